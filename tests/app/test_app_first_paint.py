"""A session's first run draws the map first; its first report brings the whole page (issue 10).

webapp.first_paint. Every other AppTest builds the whole page from the first run
(tests/apptest_helpers.new_app): AppTest runs no browser whose map would report. Here a session
runs as in a browser: the first run, then the map's first report (its initial view).
The browser side (the map neither moves nor remounts, the fallback) is
tests/browser/test_first_paint_browser.py.
"""

from __future__ import annotations

from tests.apptest_helpers import map_args, map_component, messages, new_app, points, query, ring_layers, send_map_value

LINK = {"at": ["50.91,34.8~Sumy", "49.99,36.23~Kharkiv"], "w": "atacms-300,storm-shadow,no-such-system", "t": "Kursk"}


def _report(at):
    """What the map sends once it is drawn: its view, no click."""
    return send_map_value(at, center={"lat": 51.0, "lng": 35.6}, zoom=6)


def _other_args(at):
    args = map_args(at)
    args.pop("feature_group")
    return args


def test_the_first_run_is_the_map_with_the_scenario_and_what_sits_above_it():
    at = new_app(LINK, first_paint=True).run()
    assert not at.exception
    assert ring_layers(at) == 2
    layers = map_args(at)["feature_group"]
    assert layers.count('"draggable": true') == 2 and "Kursk" in layers  # launch points and target
    assert "wrm-place" not in layers  # the context layers come with the whole page
    assert [t.key for t in at.text_input] == ["find_query"]  # above the map: there from the first run
    assert [r.key for r in at.radio] == ["click_mode"]
    assert not at.tabs and not at.multiselect  # the tabs and the sidebar's systems: not yet
    assert any("no-such-system" in m for m in messages(at))  # the link's warning is on screen already
    assert query(at)["t"] == ["Kursk"]  # the address bar is the scenario's from the first run


def test_the_maps_first_report_brings_the_whole_page_and_the_same_scenario():
    at = new_app(LINK, first_paint=True).run()
    first_args, first_query = _other_args(at), query(at)
    first_key = map_component(at).key
    first_groups = map_args(at)["feature_group"].count("var feature_group_feature_group_")
    warning = [m for m in messages(at) if "no-such-system" in m]
    _report(at)
    assert not at.exception
    assert at.multiselect(key="systems").value == ["atacms-300", "storm-shadow"]
    assert len(at.tabs) == 8
    layers = map_args(at)["feature_group"]
    groups = layers.count("var feature_group_feature_group_")
    assert "wrm-place" in layers and groups == first_groups + 2  # the place names and the borders
    assert ring_layers(at) == 2 and layers.count('"draggable": true') == 2
    # The map element is the same one with the same arguments but its layers: no remount.
    assert map_component(at).key == first_key and _other_args(at) == first_args
    assert query(at) == first_query
    assert [m for m in messages(at) if "no-such-system" in m] == warning  # the report is not an action
    # From then on, every run is the whole page.
    at.run()
    assert len(at.tabs) == 8 and at.multiselect(key="systems").value == ["atacms-300", "storm-shadow"]


def test_an_action_before_the_report_is_kept():
    """The search row is there from the first run: a place found before the map reports is added."""
    at = new_app(LINK, first_paint=True).run()
    at.text_input(key="find_query").input("Poltava").run()
    assert len(at.tabs) == 8  # any rerun is the whole page
    at.button(key="find_add").click().run()
    assert points(at)[-1][2] == "Poltava"
    _report(at)
    assert len(points(at)) == 3


def test_the_globe_is_drawn_whole_at_once():
    """A globe link has no flat map to report: its first run is the whole page."""
    at = new_app({"at": "54.71,20.51~Kaliningrad", "w": "oreshnik", "g": "1"}, first_paint=True).run()
    assert not at.exception
    assert len(at.tabs) == 8 and at.multiselect(key="systems").value == ["oreshnik"]
