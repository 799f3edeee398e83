"""Undo: the scenarios a page had before its last changes, as one immutable value.

A :class:`History` is a bounded stack of earlier scenarios, each with a short
description of the change that followed it ("remove launch point 2"). The page
pushes the scenario it had before each change it makes and pops one to undo.
The map's view is no part of a change: panning is not undone, and an undo
leaves the map where the reader has it.

Examples
--------
>>> from geo.scenario.model import LaunchPoint, Scenario
>>> a = Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"), LaunchPoint(48.5, 35.0)))
>>> b = a.with_(points=a.points[:1])
>>> h = History().record(a, b)
>>> h.next_undo
'remove launch point 2'
>>> h2, back = h.undo(b)
>>> back == a, h2.next_undo
(True, '')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from geo.scenario.model import Scenario

__all__ = ["MAX_UNDO", "History", "describe_change"]

#: Changes that can be undone, most recent first; older ones are forgotten.
MAX_UNDO: Final = 30


def _same_place(a: object, b: object) -> bool:
    return (getattr(a, "lat", None), getattr(a, "lon", None)) == (getattr(b, "lat", None), getattr(b, "lon", None))


def describe_change(before: Scenario, after: Scenario) -> str:
    """A few words for what changed from ``before`` to ``after`` (what an undo undoes).

    Examples
    --------
    >>> from geo.scenario.model import LaunchPoint, Scenario
    >>> s = Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"),))
    >>> describe_change(s, s.with_(points=(LaunchPoint(50.0, 36.2, "Sumy"),)))
    'move launch point 1'
    >>> describe_change(s, s.with_(target="Kursk"))
    'set the target'
    >>> describe_change(s, s.with_(points=()))
    'remove launch point 1'
    """
    bp, ap = before.points, after.points
    if len(ap) == len(bp) + 1 and ap[:-1] == bp:
        return f"add launch point {len(ap)}"
    if len(ap) == len(bp) - 1:
        for i in range(len(bp)):
            if bp[:i] + bp[i + 1 :] == ap:
                return f"remove launch point {i + 1}"
    if len(ap) == len(bp) and ap != bp:
        changed = [i for i, (p, q) in enumerate(zip(bp, ap, strict=True)) if p != q]
        if len(changed) == 1:
            i = changed[0]
            verb = "rename" if _same_place(bp[i], ap[i]) else "move"
            return f"{verb} launch point {i + 1}"
        return "change the launch points"
    if ap != bp:
        return "change the launch points"
    bz, az = before.zones, after.zones
    if len(az) > len(bz):
        return "add a launch zone" if len(az) == len(bz) + 1 else "add launch zones"
    if len(az) < len(bz):
        return "remove a launch zone" if len(az) == len(bz) - 1 else "remove launch zones"
    if az != bz:
        return "change the launch zones"
    if after.systems != before.systems:
        return "change the systems"
    if after.target != before.target:
        return "clear the target" if not after.target else "set the target"
    if after.unit != before.unit:
        return "change the unit"
    if after.borders != before.borders:
        return "show the borders" if after.borders else "hide the borders"
    return "change the map"


@dataclass(frozen=True)
class History:
    """Earlier scenarios, most recent last, each with the change that followed it."""

    past: tuple[tuple[Scenario, str], ...] = ()

    @property
    def next_undo(self) -> str:
        """What :meth:`undo` would undo ("" when there is nothing to undo)."""
        return self.past[-1][1] if self.past else ""

    def record(self, before: Scenario, after: Scenario) -> History:
        """The history after a change from ``before`` to ``after`` (unchanged when only the view moved)."""
        if before.with_(view=None) == after.with_(view=None):
            return self
        entry = (before.with_(view=None), describe_change(before, after))
        return History((*self.past, entry)[-MAX_UNDO:])

    def undo(self, current: Scenario) -> tuple[History, Scenario]:
        """The history without its last entry, and that scenario with ``current``'s view.

        Raises
        ------
        IndexError
            When there is nothing to undo.
        """
        if not self.past:
            raise IndexError("nothing to undo")
        scenario, _ = self.past[-1]
        return History(self.past[:-1]), scenario.with_(view=current.view)
