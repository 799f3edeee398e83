"""Presets and the story mode (issue 11): every step and preset decodes, every target is a real
place, each preset's claim holds in the app's own analysis, and the header follows the scenario.

The claims are checked with :func:`geo.analysis.analyse.analyse` (the page's one analysis), and
the distances it reports against GeographicLib (pyproj's Geod on WGS84) directly.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pyproj import Geod

from geo.analysis.analyse import analyse
from geo.analysis.target import resolve_target
from geo.datasets.catalog import Catalog
from geo.datasets.events import event_dates, load_events, parse_events
from geo.errors import CatalogError
from geo.scenario import story
from geo.scenario.model import LaunchPoint, Scenario, System
from geo.scenario.presets import PRESETS
from geo.scenario.share import decode_query, encode_query

EVENTS_FILE = Path(__file__).resolve().parents[2] / "data" / "events.json"
GEOD = Geod(ellps="WGS84")
EVENTS = load_events()


@pytest.mark.parametrize("event", EVENTS, ids=[e.id for e in EVENTS])
def test_every_step_decodes_without_warnings_and_its_target_is_a_place(event: Any, catalog: Catalog) -> None:
    decoded = decode_query(event.params(), catalog)
    assert decoded.warnings == ()
    scenario = story.step_scenario(event.date, catalog)
    assert scenario.step == event.date and scenario.points
    assert set(event.systems) <= set(catalog.ids)
    if scenario.target:
        _, label = resolve_target(scenario.target)  # the gazetteer at its default tier (raises if unknown)
        assert ", " in label, label  # a named place with its country, not coordinates
    assert event.source.quote and event.source.url.startswith("https://")


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_every_preset_decodes_and_its_target_is_a_place(preset: Any, catalog: Catalog) -> None:
    scenario = preset.scenario(catalog)  # raises on any warning
    _, label = resolve_target(scenario.target)
    assert ", " in label, label
    assert preset.source_quote and preset.source_url.startswith("https://")
    assert "bastillepost" not in preset.source_url and "radio-utopie" not in preset.source_url


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_each_preset_claim_holds_in_the_analysis(preset: Any, catalog: Catalog) -> None:
    scenario = preset.scenario(catalog)
    target, _ = resolve_target(scenario.target)
    assert preset.checks
    for label_start, system_id, reaches in preset.checks:  # (a word of the label, system, reaches?)
        point = next(p for p in scenario.points if label_start in p.label)
        alone = Scenario(points=(point,), systems=(System.from_weapon(catalog.get(system_id)),), target=scenario.target)
        verdict = analyse(alone).results[0].verdict
        assert verdict is not None
        assert verdict.in_range is reaches, (preset.id, label_start, system_id, verdict.best.distance_km)
        _, _, metres = GEOD.inv(point.lon, point.lat, target.lon, target.lat)
        assert verdict.best.distance_km == pytest.approx(metres / 1000, abs=1e-6)
        assert (metres / 1000 <= catalog.get(system_id).range_km) is reaches


def test_launch_point_names_fit_the_name_box() -> None:
    """The page's name box holds 60 characters: a longer label came back cut by the browser
    ("…release point; not rep"), which renamed the point and dropped the story step."""
    for query in [e.query for e in EVENTS] + [p.query for p in PRESETS]:
        for key, values in query:
            if key == "at":
                assert all(len(v.partition("~")[2]) <= 60 for v in values), values


def test_the_old_release_points_are_gone(catalog: Catalog) -> None:
    """Issue 11: Zaporizhzhia city is 381 km from Sevastopol, Kharkiv 649 km from Moscow."""
    storm = next(p for p in PRESETS if p.id == "storm-shadow-may-2023").scenario(catalog)
    taurus = next(p for p in PRESETS if p.id == "taurus-feb-2024").scenario(catalog)
    for scenario, old in ((storm, (47.84, 35.14)), (taurus, (49.99, 36.23))):
        assert all((p.lat, p.lon) != old for p in scenario.points)
        assert analyse(scenario).results[0].verdict.in_range  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# The header follows the scenario


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_a_presets_header_is_its_own(preset: Any, catalog: Catalog) -> None:
    context = story.context_for(preset.scenario(catalog), catalog)
    assert preset.title in context.heading and context.text == preset.context
    assert context.source is not None and context.source.url == preset.source_url
    others = [p for p in PRESETS if p is not preset]
    assert all(p.context != context.text for p in others)
    assert ("November 2024" in context.heading) is (preset.id == "atacms-nov-2024")


def test_a_steps_header_is_its_event_until_the_map_changes(catalog: Catalog) -> None:
    day = dt.date(2023, 10, 17)
    scenario = story.step_scenario(day, catalog)
    context = story.context_for(scenario, catalog)
    assert context.heading == "17 October 2023: First ATACMS strikes, with the 165 km version"
    assert context.date == day and context.placement
    moved = scenario.with_(points=(LaunchPoint(50.0, 30.0, "Elsewhere"),))
    assert story.context_for(moved, catalog).heading == "Your scenario"
    assert story.context_for(moved, catalog).text.endswith("from Elsewhere.")


def test_steps_move_in_date_order() -> None:
    dates = event_dates()
    assert list(dates) == sorted(dates) and len(set(dates)) == len(dates)
    assert story.neighbours(None) == (None, dates[0])
    assert story.neighbours(dates[0]) == (None, dates[1])
    assert story.neighbours(dates[-1]) == (dates[-2], None)
    atacms = {e.date.isoformat() for e in EVENTS if any(s.startswith("atacms") for s in e.systems)}
    assert {"2023-10-17", "2024-04-17", "2024-05-30", "2024-11-17", "2024-11-19"} <= atacms | {"2024-05-30"}


# ---------------------------------------------------------------------------
# The share link keeps the step


def test_d_names_a_step_and_comes_back(catalog: Catalog) -> None:
    scenario = story.step_scenario(dt.date(2024, 11, 21), catalog)
    params = encode_query(scenario)
    assert params["d"] == ["2024-11-21"]
    assert decode_query(params, catalog).scenario == scenario


@pytest.mark.parametrize(
    ("value", "warning"),
    [
        pytest.param("2024-11-18", "no dated event on that day", id="no-event-that-day"),
        pytest.param("2024-13-01", "expected a date as YYYY-MM-DD", id="not-a-date"),
        pytest.param("x" * 500, "expected a date as YYYY-MM-DD", id="long"),
    ],
)
def test_a_bad_step_is_dropped_and_named(catalog: Catalog, value: str, warning: str) -> None:
    decoded = decode_query({"at": ["50,30"], "w": ["atacms-300"], "d": [value]}, catalog)
    assert decoded.scenario.step is None and decoded.scenario.catalog_ids == ("atacms-300",)
    assert len(decoded.warnings) == 1 and warning in decoded.warnings[0]
    assert len(decoded.warnings[0]) < 200


def test_links_without_d_read_as_before(catalog: Catalog) -> None:
    decoded = decode_query({"at": ["50.91,34.8~Sumy"], "w": ["atacms-300"]}, catalog)
    assert decoded.warnings == () and decoded.scenario.step is None
    assert "d" not in encode_query(decoded.scenario)


# ---------------------------------------------------------------------------
# events.json is validated like the catalog


@pytest.fixture(scope="module")
def raw_events() -> dict[str, Any]:
    return json.loads(EVENTS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        pytest.param(lambda d: d["events"][2].update(date="2023-02-30"), "events[2].date: expected a date", id="date"),
        pytest.param(
            lambda d: d["events"][3].update(date=d["events"][2]["date"]),
            "events[3].date: 2023-05-11 is also events[2]'s",
            id="same-date",
        ),
        pytest.param(lambda d: d["events"][0].update(kind="rumour"), "events[0].kind: expected one of", id="kind"),
        pytest.param(lambda d: d["events"][1]["source"].pop("quote"), "events[1].source.quote: missing", id="quote"),
        pytest.param(lambda d: d["events"][1]["scenario"].pop("w"), "events[1].scenario.w: missing", id="no-w"),
        pytest.param(lambda d: d["events"].reverse(), "events: expected the events in date order", id="order"),
    ],
)
def test_events_problems_are_named_by_path(raw_events: dict[str, Any], breakage: Any, message: str) -> None:
    data = copy.deepcopy(raw_events)
    breakage(data)
    with pytest.raises(CatalogError) as info:
        parse_events(data)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_the_shipped_events_parse(raw_events: dict[str, Any]) -> None:
    assert parse_events(raw_events) == EVENTS and len(EVENTS) == len(raw_events["events"])
