"""No widget action loses part of the scenario: the unit switch, then each other action.

The reducers are checked over random action sequences in
tests/scenario/test_actions.py; this runs the page itself, because the bug
seen in a browser (issue 8: after km → miles, the next action dropped every
system and ``w=`` from the link) lived in how widgets and session state met.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.apptest_helpers import new_app, open_expander, open_tab, query, scenario, send_map_value
from webapp.panels.systems import K_CUSTOM_OPEN

DEFAULT_IDS = ("atacms-300", "atacms-165", "storm-shadow")


def _custom(at: Any) -> Any:
    # Inside a form: the values are sent with the submit button, in one run.
    at = open_expander(at, K_CUSTOM_OPEN)
    at.text_input(key="custom_name").input("Test 400")
    at.number_input(key="custom_range").set_value(250.0)  # miles: the unit in force
    return next(b for b in at.button if b.label == "Add system").click().run()


def _find(at: Any) -> Any:
    at.text_input(key="find_query").input("50.0, 36.23").run()
    return at.button(key="find_add").click().run()


def _zone(at: Any) -> Any:
    at = open_tab(at, "Launch zones")
    at.selectbox(key="zone_country").set_value("BY").run()
    return at.button(key="zone_add_country").click().run()


#: An action, and what it is expected to change (the rest must stay as it was).
ACTIONS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], None]]] = {
    "set a target": (
        lambda at: open_tab(at, "Does it reach…?").text_input(key="target_query").input("Kursk").run(),
        lambda s: None if s.target == "Kursk" else pytest.fail(f"target {s.target!r}"),
    ),
    "click the map": (
        lambda at: send_map_value(at, last_clicked={"lat": 49.99, "lng": 36.23}),
        lambda s: None if len(s.points) == 2 else pytest.fail("no point added"),
    ),
    "drag a marker": (
        lambda at: send_map_value(
            at,
            last_object_clicked={"lat": 51.2, "lng": 35.1},
            last_object_clicked_tooltip="Launch point 1: Sumy (drag to move)",
            last_object_clicked_count=1,
        ),
        lambda s: None if (s.points[0].lat, s.points[0].lon) == (51.2, 35.1) else pytest.fail("not moved"),
    ),
    "rename a point": (
        lambda at: at.text_input(key="label_0").input("Border").run(),
        lambda s: None if s.points[0].label == "Border" else pytest.fail("not renamed"),
    ),
    "type a point's coordinates": (
        lambda at: at.text_input(key="coords_0").input("48.5, 35.05").run(),
        lambda s: None if (s.points[0].lat, s.points[0].lon) == (48.5, 35.05) else pytest.fail("not moved"),
    ),
    "find and add a place": (_find, lambda s: None if len(s.points) == 2 else pytest.fail("no point added")),
    "remove the point": (
        lambda at: at.button(key="remove_0").click().run(),
        lambda s: None if s.points == () else pytest.fail("not removed"),
    ),
    "add a custom system": (
        _custom,
        lambda s: (
            None
            if [c.range_km for c in s.custom_systems] == [pytest.approx(402.336)]
            else pytest.fail(f"custom {s.custom_systems}")
        ),
    ),
    "add a country zone": (_zone, lambda s: None if len(s.zones) == 1 else pytest.fail("no zone")),
    "hide the borders": (
        lambda at: at.checkbox(key="borders").uncheck().run(),
        lambda s: None if s.borders is False else pytest.fail("borders still on"),
    ),
    "change the click mode": (lambda at: at.radio(key="click_mode").set_value("Set the target").run(), lambda s: None),
    "filter places by population": (
        lambda at: (
            open_tab(at, "Places in range")
            .selectbox(key="min_population")
            .set_value(at.selectbox(key="min_population").options[-1])
            .run()
        ),
        lambda s: None,
    ),
    "open another tab": (lambda at: open_tab(at, "Coverage by country"), lambda s: None),
    "a rerun with nothing new (the map reporting in)": (lambda at: at.run(), lambda s: None),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_unit_switch_then_any_action_keeps_the_scenario(name):
    at = new_app().run()
    at.radio(key="unit").set_value("mi").run()
    before = scenario(at)
    assert before.unit == "mi" and before.catalog_ids == DEFAULT_IDS
    do, changed = ACTIONS[name]
    do(at)
    assert not at.exception
    after = scenario(at)
    changed(after)
    assert after.catalog_ids == DEFAULT_IDS, f"{name} dropped systems"
    assert after.unit == "mi", f"{name} reset the unit"
    # Twice more, as the map component reports in after each change.
    at.run()
    at.run()
    again = scenario(at)
    assert again == after
    link = query(at)
    assert link["w"] == [",".join(DEFAULT_IDS)] and link["u"] == ["mi"]
    # Nothing else was lost: what the action did not touch is as it was.
    untouched = {"points", "zones", "custom_systems", "target", "borders"}
    for field in untouched:
        if getattr(after, field) != getattr(before, field):
            continue  # this action changed it, and `changed` checked how
        assert getattr(again, field) == getattr(before, field)
