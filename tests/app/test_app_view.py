"""The view travels with the link, and what is added is framed (issue 12).

The map component is told where to be through its ``center`` and ``zoom``
arguments; it reports the reader's pans and zooms back (``center``, ``zoom``,
``bounds``). The bounds a centre and zoom show are computed here from Web
Mercator itself (Leaflet's EPSG:3857, 256-pixel tiles), not from the app's code.
"""

from __future__ import annotations

import math

import pytest
from geographiclib.geodesic import Geodesic

from geo.datasets.countries import country
from tests.apptest_helpers import map_args, messages, new_app, open_tab, query, send_map_value, shown
from webapp.state import DEFAULT_MAP_WIDTH_PX, MAP_HEIGHT_PX

MOSCOW = (55.7558, 37.6173)
SUMY = (50.91, 34.8)


def shown_bounds(
    center: list[float], zoom: int, width_px: float, height_px: float
) -> tuple[float, float, float, float]:
    """(south, west, north, east) that a Leaflet map of this size shows at this centre and zoom."""
    scale = 256 * 2**zoom

    def x(lon: float) -> float:
        return (lon + 180) / 360 * scale

    def y(lat: float) -> float:
        return (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * scale

    def lon(px: float) -> float:
        return px / scale * 360 - 180

    def lat(py: float) -> float:
        return math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * py / scale))) - math.pi / 2)

    cx, cy = x(center[1]), y(center[0])
    return lat(cy + height_px / 2), lon(cx - width_px / 2), lat(cy - height_px / 2), lon(cx + width_px / 2)


def inside(point: tuple[float, float], bounds: tuple[float, float, float, float]) -> bool:
    south, west, north, east = bounds
    return south <= point[0] <= north and west <= point[1] <= east


def reported(center: tuple[float, float], zoom: int, width_px: int = 800, height_px: int = MAP_HEIGHT_PX) -> dict:
    """What streamlit-folium reports after a pan or zoom ends."""
    south, west, north, east = shown_bounds(list(center), zoom, width_px, height_px)
    return {
        "center": {"lat": center[0], "lng": center[1]},
        "zoom": zoom,
        "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
    }


def test_a_link_with_a_view_opens_at_that_view():
    at = new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-300", "v": "48.5,31.25,8"}).run()
    assert not at.exception
    args = map_args(at)
    assert args["center"] == [48.5, 31.25] and args["zoom"] == 8
    assert query(at)["v"] == ["48.5,31.25,8"]  # kept in the address bar


def test_an_old_link_without_a_view_still_frames_its_points():
    at = new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-300"}).run()
    args = map_args(at)
    assert "v" not in query(at)  # nothing reported yet, nothing invented
    bounds = shown_bounds(args["center"], args["zoom"], DEFAULT_MAP_WIDTH_PX, MAP_HEIGHT_PX)
    # The launch point and its whole 300 km ring (its northern, southern, eastern, western points).
    for azimuth in (0, 90, 180, 270):
        edge = Geodesic.WGS84.Direct(*SUMY, azimuth, 300_000)
        assert inside((edge["lat2"], edge["lon2"]), bounds), azimuth


def test_a_bad_view_is_named_and_the_rest_kept():
    at = new_app({"at": ["50.91,34.8"], "v": "48.5,31.25,40"}).run()
    assert any("Ignored view '48.5,31.25,40'" in m and "1 to 18" in m for m in messages(at))
    assert query(at)["at"] == ["50.91,34.8"]


def test_the_readers_pan_and_zoom_go_into_the_link_without_moving_the_map():
    at = new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-300", "v": "a,b,c"}).run()
    warning = messages(at)
    assert warning  # the bad view is named ...
    before = map_args(at)
    at = send_map_value(at, **reported((49.123456, 30.5), 9))
    assert query(at)["v"] == ["49.12346,30.5,9"]  # at the link's precision
    after = map_args(at)
    # The map was not told to move (it is already there) and its base is the same (no remount).
    assert (after["center"], after["zoom"]) == (before["center"], before["zoom"])
    assert after["script"] == before["script"]
    assert messages(at) == warning  # ... and a pan does not clear it: panning answers nothing


def test_a_fresh_maps_first_report_of_its_base_view_is_not_the_readers_view():
    from geo.render.layers import DEFAULT_CENTER, DEFAULT_ZOOM

    at = new_app({"at": ["50.91,34.8"], "v": "48.5,31.25,8"}).run()
    # Chromium: the map reports the base map's view once before it moves to the one it was given.
    at = send_map_value(at, **reported(DEFAULT_CENTER, DEFAULT_ZOOM))
    assert query(at)["v"] == ["48.5,31.25,8"]
    at = send_map_value(at, **reported((48.5, 31.25), 8))
    assert query(at)["v"] == ["48.5,31.25,8"]


def test_set_target_moscow_brings_moscow_and_the_launch_point_into_view():
    at = open_tab(new_app(), "Does it reach…?")  # the default map: Sumy
    at = send_map_value(at, **reported((51.0, 35.6), 6, width_px=640))  # the map is 640 px wide
    at.text_input(key="target_query").input("Moscow").run()
    assert not at.exception
    args = map_args(at)
    bounds = shown_bounds(args["center"], args["zoom"], 640, MAP_HEIGHT_PX)
    assert inside(MOSCOW, bounds), (args["center"], args["zoom"], bounds)
    assert inside(SUMY, bounds)
    assert args["zoom"] >= 5  # framed, not the whole continent
    lat, lon, zoom = query(at)["v"][0].split(",")
    assert (float(lat), float(lon), int(zoom)) == pytest.approx((*args["center"], args["zoom"]), abs=1e-5)


def test_setting_the_same_frame_again_moves_the_map_back_after_a_pan():
    at = open_tab(new_app(), "Does it reach…?")
    at.text_input(key="target_query").input("Moscow").run()
    framed = map_args(at)
    at = send_map_value(at, **reported((40.0, 10.0), 7))  # the reader pans far away
    at.text_input(key="target_query").input("Moskva").run()  # the same place, the same frame
    again = map_args(at)
    # streamlit-folium moves the map only when its arguments change: they must differ, by a hair.
    assert again["center"] != framed["center"]
    assert again["center"] == pytest.approx(framed["center"], abs=1e-6) and again["zoom"] == framed["zoom"]


def test_adding_ukraine_as_a_zone_frames_the_whole_coverage():
    at = open_tab(new_app({"w": "atacms-300"}), "Launch zones")
    at.selectbox(key="zone_country").set_value("UA").run()
    at.button(key="zone_add_country").click().run()
    assert not at.exception and query(at)["z"] == ["country:UA"]
    args = map_args(at)
    bounds = shown_bounds(args["center"], args["zoom"], DEFAULT_MAP_WIDTH_PX, MAP_HEIGHT_PX)
    west, south, east, north = country("UA").geometry.bounds
    # Ukraine's extreme points, and 300 km beyond its northern and southern ones.
    for corner in ((south, west), (north, east), (south, east), (north, west)):
        assert inside(corner, bounds), corner
    for lat, lon, azimuth in ((north, (west + east) / 2, 0), (south, (west + east) / 2, 180)):
        edge = Geodesic.WGS84.Direct(lat, lon, azimuth, 300_000)
        assert inside((edge["lat2"], edge["lon2"]), bounds), azimuth


# --- Undo ----------------------------------------------------------------------

LINK = {"at": ["50.91,34.8~Sumy", "49.99,36.23~Kharkiv"], "w": "atacms-300", "z": "country:BY"}


def _undo(at):
    return at.button(key="undo").click().run()


def _without_view(link: dict) -> dict:
    return {k: v for k, v in link.items() if k != "v"}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            # The points tab has the selected point's boxes (issue 10): choose point 1 first.
            lambda at: at.radio(key="selected_point").set_value(0).run().button(key="remove_0").click().run(),
            "remove launch point 1",
        ),
        (
            lambda at: send_map_value(
                at,
                last_object_clicked={"lat": 51.2, "lng": 35.1},
                last_object_clicked_tooltip="Launch point 2: Kharkiv (drag to move)",
                last_object_clicked_count=1,
            ),
            "move launch point 2",
        ),
        (lambda at: open_tab(at, "Launch zones").button(key="zone_remove_0").click().run(), "remove a launch zone"),
    ],
    ids=["removed point", "moved point", "cleared zone"],
)
def test_undo_brings_back_the_scenario_before_the_last_change(change, named):
    at = new_app(LINK).run()
    assert at.button(key="undo").disabled  # nothing to undo on a fresh page
    before = _without_view(query(at))
    at = change(at)
    assert _without_view(query(at)) != before
    assert at.button(key="undo").label == f"↶ Undo: {named}"
    at = _undo(at)
    assert not at.exception
    assert _without_view(query(at)) == before  # the scenario, and so the link, as it was
    assert any(f"Undone: {named}." in shown(i.value) for i in at.info)
    assert at.button(key="undo").disabled


def test_undo_steps_back_one_change_at_a_time_and_leaves_the_view():
    at = new_app(LINK).run()
    first = _without_view(query(at))
    at = at.button(key="remove_1").click().run()
    second = _without_view(query(at))
    at = at.button(key="remove_0").click().run()
    at = send_map_value(at, **reported((47.0, 30.0), 7))  # the reader pans: not a change to undo
    at = _undo(at)
    assert _without_view(query(at)) == second
    assert query(at)["v"] == ["47,30,7"]  # the map stays where the reader has it
    at = _undo(at)
    assert _without_view(query(at)) == first
