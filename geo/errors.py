"""Exceptions raised by the library for bad input.

Every error names what was expected, shows what came and, where it helps,
hints at the likely mistake (STYLE.md, "Errors"). They all derive from
:class:`ValueError`, so callers that only know the standard library can still
catch them.
"""

from __future__ import annotations

from collections.abc import Sequence


class InputError(ValueError):
    """A value supplied by a user (coordinate, range, file, URL) is unusable."""


class CatalogError(InputError):
    """A weapons catalog failed validation.

    Parameters
    ----------
    problems : sequence of str
        Every problem found in one pass, each prefixed with its JSON path,
        e.g. ``weapons[3].range_km: expected a number > 0, got -5``.
    source : str
        Where the catalog came from (a path), for the first line of the message.
    """

    def __init__(self, problems: Sequence[str], source: str = "catalog") -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))
