"""The story mode and the page's header: what the map shows, in words, with its date and source.

The story is the dated events of ``data/events.json`` (deliveries,
authorisations, first uses) as steps: each step is a scenario, and the share
link keeps the step (``d=YYYY-MM-DD``). The header follows the scenario: a
story step shows its event, a preset its news context, and any other scenario
a plain description of what is drawn (:func:`context_for`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from geo.core.units import format_distance
from geo.datasets.catalog import Catalog, Source
from geo.datasets.events import Event, load_events
from geo.errors import InputError
from geo.scenario.model import Scenario
from geo.scenario.presets import PRESETS, Preset
from geo.scenario.share import decode_query

__all__ = ["Context", "context_for", "event_for", "events", "neighbours", "step_scenario"]

#: The header of the page's first, link-less map (the default scenario).
DEFAULT_CONTEXT: Final = (
    "The United States allowed Ukraine to fire ATACMS at targets inside Russia; "
    "Ukraine's first such strike hit Bryansk region on 19 November. The rings show how far each system "
    "reaches from the Sumy border area, with Russia's Kursk and Belgorod regions in view."
)


@dataclass(frozen=True)
class Context:
    """The header of a scenario: a heading, a paragraph, where the launch points are, and the source."""

    heading: str
    text: str
    placement: str = ""
    source: Source | None = None
    date: dt.date | None = None


def events() -> tuple[Event, ...]:
    """The story's steps, oldest first."""
    return load_events()


def event_for(day: dt.date) -> Event:
    """The event of a story step.

    Raises
    ------
    InputError
        If no event has that date.
    """
    for event in load_events():
        if event.date == day:
            return event
    raise InputError(f"no dated event on {day.isoformat()}")


def neighbours(day: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The steps before and after ``day`` (the first step after None)."""
    dates = [e.date for e in load_events()]
    if day is None or day not in dates:
        return None, dates[0]
    i = dates.index(day)
    return (dates[i - 1] if i else None), (dates[i + 1] if i + 1 < len(dates) else None)


def step_scenario(day: dt.date, catalog: Catalog, current: Scenario | None = None) -> Scenario:
    """The scenario of a story step, keeping the unit and borders of ``current``.

    Raises
    ------
    InputError
        If the event names what the catalog lacks (a broken event file).

    Examples
    --------
    >>> from geo.datasets.catalog import load_catalog
    >>> s = step_scenario(dt.date(2024, 11, 19), load_catalog())
    >>> s.catalog_ids, s.target, s.step.isoformat()
    (('atacms-300',), 'Karachev', '2024-11-19')
    """
    event = event_for(day)
    decoded = decode_query({**event.params(), "d": [day.isoformat()]}, catalog)
    if decoded.warnings:
        raise InputError(f"story step {day.isoformat()}: {'; '.join(decoded.warnings)}")
    scenario = decoded.scenario
    if current is not None:
        scenario = scenario.with_(unit=current.unit, borders=current.borders)
    return scenario


def _same_map(a: Scenario, b: Scenario) -> bool:
    """The same launch points, systems and target (the view, unit and borders aside)."""
    return (a.points, a.zones, a.systems, a.target.strip()) == (b.points, b.zones, b.systems, b.target.strip())


def _preset_for(scenario: Scenario, catalog: Catalog) -> Preset | None:
    for preset in PRESETS:
        try:
            if _same_map(preset.scenario(catalog), scenario):
                return preset
        except InputError:
            continue
    return None


def describe(scenario: Scenario) -> str:
    """What a scenario without a news context draws, in words.

    Examples
    --------
    >>> from geo.scenario.model import LaunchPoint, System
    >>> describe(Scenario(points=(LaunchPoint(50.9, 34.8, "Sumy"),), systems=(System.custom("X", 300),)))
    'X (300 km) from Sumy.'
    """
    if not scenario.systems:
        return "No systems chosen: choose systems in the sidebar to draw their ranges."
    systems = ", ".join(f"{s.name} ({format_distance(s.range_km, scenario.unit)})" for s in scenario.systems)
    places = [p.name for p in scenario.points] + [z.label or z.kind for z in scenario.zones]
    if not places:
        return f"{systems}: add a launch point or zone to draw the rings."
    where = ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
    return f"{systems} from {where}."


def context_for(scenario: Scenario, catalog: Catalog, default: Scenario | None = None) -> Context:
    """The page's header for a scenario: its story step, its preset, the default map's, or a description.

    A step or preset is named only while the map is still theirs: once a launch
    point or system is changed the header describes the new map instead.
    """
    if scenario.step is not None:
        try:
            event = event_for(scenario.step)
            if _same_map(step_scenario(scenario.step, catalog), scenario):
                return Context(
                    heading=f"{event.date.strftime('%-d %B %Y')}: {event.title}",
                    text=event.summary,
                    placement=event.placement,
                    source=event.source,
                    date=event.date,
                )
        except InputError:
            pass
    preset = _preset_for(scenario, catalog)
    if preset is not None:
        source = Source(
            preset.source_title,
            preset.source_publisher,
            preset.source_url,
            preset.source_date,
            quote=preset.source_quote,
        )
        return Context(
            heading=f"{preset.date.strftime('%-d %B %Y')}: {preset.title}",
            text=preset.context,
            placement=preset.placement,
            source=source,
            date=preset.date,
        )
    if default is not None and _same_map(default, scenario):
        return Context(heading="17–19 November 2024: ATACMS cleared for strikes inside Russia", text=DEFAULT_CONTEXT)
    return Context(heading="Your scenario", text=describe(scenario))
