"""After a click or a drop on the map, the map's message goes first and the rest of the page waits
(webapp.events.MAP_FIRST_S, issue 10); a pan, or any other action, waits for nothing."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import launch_markers, new_app, points
from webapp import events


def _report_script() -> None:
    """The map's on_change callback, as the component calls it, on a page with one launch point."""
    import streamlit as st

    from geo.scenario.model import LaunchPoint, Scenario
    from webapp import events, state

    if not state.started():
        state.start(Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"),)))
    st.session_state[events.K_MAP] = st.session_state["reported"]
    events.on_map_change()
    st.write(f"first={st.session_state.pop(events.K_MAP_FIRST, False)} points={len(state.scenario().points)}")


def _report(at: AppTest, **value: Any) -> str:
    base = {"last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": 0}
    base.update(center={"lat": 51.0, "lng": 35.6}, zoom=6)
    at.session_state["reported"] = {**base, **value}
    return str(at.run().markdown[-1].value)


def test_only_a_report_that_changes_the_map_asks_for_the_map_first():
    at = AppTest.from_function(_report_script)
    assert _report(at) == "first=False points=1"  # the map's first report: its view, no event
    assert _report(at, zoom=7) == "first=False points=1"  # a zoom: the link changes, the map does not
    assert _report(at, zoom=7, last_clicked={"lat": 50.0, "lng": 33.0}) == "first=True points=2"  # a click adds
    assert _report(at, zoom=7, last_clicked={"lat": 50.0, "lng": 33.0}) == "first=False points=2"  # the same again
    dropped = {"lat": 50.5, "lng": 34.0}
    tooltip = "Launch point 1: Sumy (drag to move)"
    moved = _report(
        at,
        zoom=7,
        last_clicked={"lat": 50.0, "lng": 33.0},
        last_object_clicked=dropped,
        last_object_clicked_tooltip=tooltip,
        last_object_clicked_count=1,
    )
    assert moved == "first=True points=2"  # a drop moves point 1


@pytest.fixture()
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    calls: list[float] = []
    monkeypatch.setattr(events, "_pause", calls.append)
    return calls


def test_the_run_after_a_map_event_waits_once_after_the_map(pauses):
    at = new_app().run()
    assert pauses == []  # a page load waits for nothing
    at.session_state[events.K_MAP_FIRST] = True  # what on_map_change leaves for the run it starts
    at.run()
    assert pauses == [events.MAP_FIRST_S] and events.K_MAP_FIRST not in at.session_state
    assert not at.exception and launch_markers(at) == len(points(at)) == 1
    at.run()
    assert pauses == [events.MAP_FIRST_S]  # once
