"""The dated events of the story mode: what changed what could reach where, and when.

``data/events.json`` is validated like the catalog, in one pass, each problem
named with its JSON path and the bad value (``events[3].date: expected a date
as YYYY-MM-DD, got '2024-13-01'``). Each event carries the share-link values
of its scenario (``at``, ``w``, ``t``, decoded by :mod:`geo.scenario.story`),
the sentence explaining where its launch points are, and its source with the
quoted words. The date names the event in a share link (``d=YYYY-MM-DD``), so
no two events share a date.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from geo.datasets.catalog import MAX_CATALOG_BYTES, Checker, Source, parse_source
from geo.errors import CatalogError

#: The events shipped with the package (``data/events.json``).
DEFAULT_EVENTS: Final = "events.json"
KINDS: Final = frozenset({"announcement", "authorisation", "debate", "delivery", "first-use", "strike", "test"})
_EVENT_KEYS: Final = {
    "id": True,
    "date": True,
    "title": True,
    "summary": True,
    "kind": True,
    "systems": True,
    "scenario": True,
    "placement": True,
    "source": True,
    "see_also": False,
}
_SCENARIO_KEYS: Final = {"at": True, "w": True, "t": False}


@dataclass(frozen=True)
class Event:
    """One dated step of the story."""

    id: str
    date: dt.date
    title: str
    summary: str
    kind: str
    systems: tuple[str, ...]
    #: The scenario as share-link parameters (``at``, ``w`` and optionally ``t``).
    query: tuple[tuple[str, tuple[str, ...]], ...]
    placement: str
    source: Source
    see_also: tuple[Source, ...] = ()

    def params(self) -> dict[str, list[str]]:
        return {key: list(values) for key, values in self.query}


def _parse_event(c: Checker, raw: Any, path: str) -> Event | None:
    if not isinstance(raw, dict):
        c.fail(path, f"expected an object, got {raw!r:.80}")
        return None
    c.keys(raw, _EVENT_KEYS, path)
    date = c.date(raw.get("date"), f"{path}.date") if "date" in raw else dt.date.min
    kind = c.text(raw, "kind", path)
    if kind and kind not in KINDS:
        c.fail(f"{path}.kind", f"expected one of {sorted(KINDS)}, got {kind!r:.80}")
    query: list[tuple[str, tuple[str, ...]]] = []
    scenario = raw.get("scenario")
    if "scenario" in raw:
        if not isinstance(scenario, dict):
            c.fail(f"{path}.scenario", f"expected an object with at, w and t, got {scenario!r:.80}")
        else:
            c.keys(scenario, _SCENARIO_KEYS, f"{path}.scenario")
            for key in ("at", "w"):
                values = c.texts(scenario, key, f"{path}.scenario", empty_ok=False)
                if values:
                    query.append((key, values))
            if "t" in scenario:
                query.append(("t", (c.text(scenario, "t", f"{path}.scenario"),)))
    source = parse_source(c, raw.get("source"), f"{path}.source") if "source" in raw else None
    see_also: list[Source] = []
    if "see_also" in raw:
        items = raw["see_also"]
        if not isinstance(items, list):
            c.fail(f"{path}.see_also", f"expected a list of sources, got {items!r:.80}")
        else:
            for i, item in enumerate(items):
                extra = parse_source(c, item, f"{path}.see_also[{i}]")
                if extra is not None:
                    see_also.append(extra)
    return Event(
        id=c.text(raw, "id", path),
        date=date,
        title=c.text(raw, "title", path),
        summary=c.text(raw, "summary", path),
        kind=kind,
        systems=c.texts(raw, "systems", path, empty_ok=False),
        query=tuple(query),
        placement=c.text(raw, "placement", path),
        source=source or Source("", "", "", dt.date.min),
        see_also=tuple(see_also),
    )


def parse_events(data: Any, source: str = "events") -> tuple[Event, ...]:
    """Validate decoded ``events.json`` and return its events, oldest first.

    Raises
    ------
    CatalogError
        Listing every problem, each with its JSON path and the bad value.

    Examples
    --------
    >>> parse_events({"schema_version": 1, "as_of": "2026-12-01", "events": [{"date": "2024-13-01"}]})
    Traceback (most recent call last):
    ...
    geo.errors.CatalogError: events: 9 problems
      events[0].id: missing
    ...
    """
    c = Checker()
    if not isinstance(data, dict):
        raise CatalogError([f"(top level): expected an object with 'events', got {type(data).__name__}"], source)
    c.keys(data, {"schema_version": True, "as_of": True, "events": True}, "")
    if data.get("schema_version", 1) != 1:
        c.fail("schema_version", f"expected 1, got {data['schema_version']!r:.80}")
    raw_events = data.get("events")
    events: list[Event] = []
    if not isinstance(raw_events, list) or not raw_events:
        c.fail("events", f"expected a non-empty list, got {raw_events!r:.80}")
    else:
        dates: dict[dt.date, int] = {}
        for i, raw in enumerate(raw_events):
            event = _parse_event(c, raw, f"events[{i}]")
            if event is None:
                continue
            if event.date != dt.date.min and event.date in dates:
                c.fail(
                    f"events[{i}].date",
                    f"{event.date.isoformat()} is also events[{dates[event.date]}]'s: the date names the step "
                    "in a share link, so each event needs its own",
                )
            dates.setdefault(event.date, i)
            events.append(event)
        order = [e.date for e in events]
        if order != sorted(order):
            c.fail("events", "expected the events in date order, oldest first")
    if c.problems:
        raise CatalogError(c.problems, source)
    return tuple(events)


@functools.cache
def load_events() -> tuple[Event, ...]:
    """The shipped events (``data/events.json``).

    Examples
    --------
    >>> events = load_events()
    >>> events[0].date.isoformat(), len(events) >= 20
    ('2022-06-01', True)
    """
    file = resources.files("geo.data") / DEFAULT_EVENTS
    with file.open("rb") as f:
        raw = f.read(MAX_CATALOG_BYTES + 1)
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError([f"the file is larger than {MAX_CATALOG_BYTES / 1e6:g} MB"], str(file))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError([f"not valid JSON: {exc}"], str(file)) from None
    return parse_events(data, str(file))


def event_dates() -> tuple[dt.date, ...]:
    """The dates of the shipped events, oldest first: the values a share link's ``d`` may take."""
    return tuple(e.date for e in load_events())
