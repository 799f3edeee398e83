"""The Streamlit app under AppTest: state, widgets, URL handling, map events.

What is drawn on the map and the drag itself are covered by the browser tests
(tests/browser); here the component's value is injected as DESIGN.md §3 shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.export.geojson import map_outline
from geo.scenario.presets import PRESETS
from geo.scenario.share import decode_query
from tests.apptest_helpers import (
    launch_markers,
    map_args,
    messages,
    new_app,
    open_expander,
    points,
    query,
    ring_layers,
    send_map_value,
    shown,
)
from webapp.panels.systems import K_CUSTOM_OPEN, K_PRESETS_OPEN

DEFAULT_IDS = ["atacms-300", "atacms-165", "storm-shadow"]


@pytest.fixture()
def app():
    return new_app().run()


def test_default_scenario_is_the_november_2024_sumy_map(app):
    assert not app.exception
    assert messages(app) == []
    [(lat, lon, label)] = points(app)
    assert label == "Sumy"
    assert (lat, lon) == pytest.approx((50.91, 34.8))
    assert app.multiselect(key="systems").value == DEFAULT_IDS
    assert "November 2024" in app.markdown[0].value
    # A page opened without a link leaves the address bar alone on its first run (the browser
    # checks that Streamlit did not drop an over-long link); the next run writes the map in.
    assert query(app) == {}
    app.run()
    assert query(app) == {"at": ["50.91,34.8~Sumy"], "w": [",".join(DEFAULT_IDS)]}
    args = map_args(app)
    # One outline per system, one draggable marker with its dragend handler.
    assert ring_layers(app) == 3
    assert launch_markers(app) == 1
    assert "dragend" in args["feature_group"]
    # Kursk (51.73 N, 36.19 E) and Belgorod (50.60 N, 36.59 E) are within the initial view.
    (clat, clon), zoom = args["center"], args["zoom"]
    assert zoom >= 5
    assert abs(clat - 51.2) < 2 and abs(clon - 35.5) < 2


def test_map_receives_offline_leaflet_only(app):
    """One script and one stylesheet, from the app's own files (issue 10: streamlit-folium loads
    scripts one after another): Leaflet, the drag preview's two scripts, the ring labels' layout
    (issue 12) and the two-finger map's (issue 10), each whole and in that order."""
    args = map_args(app)
    assert args["js_links"] == ["/app/static/leaflet/wrm-map.js"]
    assert args["css_links"] == ["/app/static/leaflet/wrm-map.css"]
    root = Path(__file__).resolve().parents[2]
    static = root / "static"
    bundle = (static / "leaflet/wrm-map.js").read_text(encoding="utf-8")
    parts = [
        (static / "leaflet/leaflet.js", True),  # copied in at start-up from xstatic-leaflet
        (static / "wrm/geographiclib-geodesic.min.js", False),  # kept in git
        (static / "wrm/wrm-rings.js", False),
        (static / "wrm/wrm-labels.js", False),
        (root / "geo/render/assets/leaflet-gesture-handling.min.js", True),  # vendored, package data
        (root / "geo/render/assets/wrm-gestures.js", False),
    ]
    import xstatic.pkg.leaflet as xleaflet

    assert (static / "leaflet/leaflet.js").read_bytes() == (Path(xleaflet.BASE_DIR) / "leaflet.js").read_bytes()
    at = 0
    for path, has_source_map in parts:
        text = path.read_text(encoding="utf-8")
        assert ("sourceMappingURL" in text) == has_source_map, path
        body = "\n".join(line for line in text.splitlines() if "sourceMappingURL" not in line).rstrip()
        found = bundle.find(body, at)
        assert found >= at, f"{path.name} missing from the bundle, or out of order"
        at = found + len(body)
    assert "sourceMappingURL" not in bundle
    css = (static / "leaflet/wrm-map.css").read_text(encoding="utf-8")
    assert css.index(".leaflet-pane") < css.index("leaflet-gesture-handling")
    assert "url(images/layers.png)" in css and (static / "leaflet/images/layers.png").is_file()


def test_share_url_in_rebuilds_the_scenario_and_url_out_matches():
    at = new_app({"at": ["50.9,34.8", "48.5,35.0~Dnipro area"], "w": "storm-shadow,gmlrs", "u": "mi"}).run()
    assert not app_problems(at)
    assert points(at) == [(50.9, 34.8, ""), (48.5, 35.0, "Dnipro area")]
    assert at.multiselect(key="systems").value == ["storm-shadow", "gmlrs"]
    assert at.radio(key="unit").value == "mi"
    assert query(at) == {
        "at": ["50.9,34.8", "48.5,35~Dnipro area"],
        "w": ["storm-shadow,gmlrs"],
        "u": ["mi"],
    }
    assert ring_layers(at) == 2


def app_problems(at):
    return list(at.exception) + messages(at)


@pytest.mark.parametrize(
    ("params", "kept_points", "kept_ids", "named"),
    [
        ({"at": ["95,10", "50.9,34.8"], "w": "atacms-300"}, 1, ["atacms-300"], ["95,10", "swapped"]),
        ({"at": ["garbage", "50.9,34.8"], "w": "atacms-300,nope"}, 1, ["atacms-300"], ["garbage", "nope"]),
        ({"at": ["nan,nan"], "w": "storm-shadow"}, 0, ["storm-shadow"], ["nan,nan"]),
        ({"at": ["50.9,34.8"], "w": ",,<script>", "u": "furlongs"}, 1, [], ["<script>", "furlongs"]),
    ],
    ids=["impossible-latitude", "garbage-and-unknown-system", "nan", "markup-and-bad-unit"],
)
def test_malformed_links_warn_and_keep_what_is_valid(params, kept_points, kept_ids, named):
    at = new_app(params).run()
    assert not at.exception
    assert len(points(at)) == kept_points
    assert at.multiselect(key="systems").value == kept_ids
    warnings = " ".join(shown(w.value) for w in at.warning)
    for text in named:
        assert text in warnings


def test_map_click_adds_a_launch_point_and_updates_the_url(app):
    at = send_map_value(app, last_clicked={"lat": 49.99, "lng": 36.23})
    assert not at.exception
    assert points(at)[-1][:2] == (49.99, 36.23)
    assert query(at)["at"] == ["50.91,34.8~Sumy", "49.99,36.23"]
    assert launch_markers(at) == 2
    # The sticky value is handled once: another rerun adds nothing.
    at.run()
    assert len(points(at)) == 2


def test_marker_drop_moves_that_point_and_its_rings(app):
    before = map_args(app)["feature_group"]
    at = send_map_value(
        app,
        last_object_clicked={"lat": 51.2, "lng": 35.1},
        last_object_clicked_tooltip="Launch point 1: Sumy (drag to move)",
        last_object_clicked_count=1,
    )
    # Dropped 40 km from Sumy: the point is not Sumy any more (issue 8), it says where it is instead.
    [(lat, lon, label)] = points(at)
    assert (lat, lon) == (51.2, 35.1) and label != "Sumy"
    assert query(at)["at"] == [f"51.2,35.1~{label}" if label else "51.2,35.1"]
    after = map_args(at)["feature_group"]
    assert after != before
    # The drawn outline is the one for the new position.
    outline = map_outline(((51.2, 35.1),), 300.0)
    first_vertex = outline["coordinates"][0][0]
    assert f"{first_vertex[0]}, {first_vertex[1]}" in after.replace("[", "").replace("]", "")


def test_click_on_a_ring_tooltip_still_adds_a_point(app):
    at = send_map_value(
        app,
        last_clicked={"lat": 50.0, "lng": 33.0},
        last_object_clicked={"lat": 50.0, "lng": 33.0},
        last_object_clicked_tooltip="ATACMS (long-range) Range 300 km",
        last_object_clicked_count=1,
    )
    assert points(at)[-1][:2] == (50.0, 33.0)


def test_move_mode_moves_the_selected_point(app):
    app.radio(key="click_mode").set_value("Move the selected point").run()
    at = send_map_value(app, last_clicked={"lat": 49.0, "lng": 32.0})
    assert [p[:2] for p in points(at)] == [(49.0, 32.0)]


def test_bad_click_from_the_component_is_an_error_not_a_traceback(app):
    at = send_map_value(app, last_clicked={"lat": "north", "lng": 32.0})
    assert not at.exception
    assert len(points(at)) == 1


def test_units_switch_changes_every_figure_and_the_url(app):
    app.radio(key="unit").set_value("nmi").run()
    assert query(app)["u"] == ["nmi"]
    legend = " ".join(m.value for m in app.markdown)
    assert "162 nmi" in legend  # 300 km / 1.852
    assert "nmi" in map_args(app)["feature_group"]


def test_typed_coordinates_add_a_point_and_bad_ones_warn(app):
    app.text_input(key="find_query").input("50°00′N 36°14′E").run()
    app.button(key="find_add").click().run()
    assert points(app)[-1][:2] == pytest.approx((50.0, 36.2333), abs=1e-4)
    app.text_input(key="find_query").input("95, 500").run()
    assert any("outside -90" in shown(w.value) for w in app.warning)
    assert len(points(app)) == 2


def test_a_found_place_is_on_the_map_and_in_the_link_in_the_same_run(app):
    """The search's buttons act before the run (callbacks): the map, the legend and the link of the
    run that follows the click show the new point, the moved point and the target (they showed the
    scenario before the click until one more rerun)."""
    app.text_input(key="find_query").input("Kharkiv").run()
    app.button(key="find_add").click().run()
    assert [p[2] for p in points(app)] == ["Sumy", "Kharkiv"]
    assert launch_markers(app) == 2
    assert "Kharkiv" in map_args(app)["feature_group"]
    assert "Kharkiv" in query(app)["at"][0] + query(app)["at"][-1]
    app.text_input(key="find_query").input("Poltava").run()
    app.button(key="find_move").click().run()  # the selected point (Kharkiv, just added) moves
    assert [p[2] for p in points(app)] == ["Sumy", "Poltava"]
    assert launch_markers(app) == 2 and "Poltava" in map_args(app)["feature_group"]
    app.text_input(key="find_query").input("Kursk").run()
    app.button(key="find_target").click().run()
    assert "Kursk" in query(app)["t"][0]
    assert "Kursk" in map_args(app)["feature_group"]


def test_editing_a_point_precisely_and_rejecting_garbage(app):
    app.text_input(key="coords_0").input("48.5, 35.05").run()
    assert points(app)[0][:2] == (48.5, 35.05)
    app.text_input(key="coords_0").input("not a place").run()
    assert not app.exception
    assert points(app)[0][:2] == (48.5, 35.05)
    assert any("could not read coordinates" in shown(e.value) for e in app.error)


def test_rename_and_remove_points(app):
    app.text_input(key="label_0").input("Border <b>area</b>").run()
    assert points(app)[0][2] == "Border <b>area</b>"
    # The label reaches the map escaped, never as markup.
    fg = map_args(app)["feature_group"]
    assert "Border &lt;b&gt;area&lt;/b&gt;" in fg and "Border <b>area" not in fg
    app.button(key="remove_0").click().run()
    assert points(app) == []
    assert "at" not in query(app)


def test_url_round_trip_through_the_decoder(app, catalog):
    app.run()  # the map reporting in: the address bar is written from the second run
    decoded = decode_query(query(app), catalog)
    assert [(p.lat, p.lon) for p in decoded.scenario.points] == [(50.91, 34.8)]
    assert list(decoded.scenario.catalog_ids) == DEFAULT_IDS


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda t: t.replace('"range_km": 300', '"range_km": ' + "9" * 5000, 1), "weapons[0].range_km"),
        (lambda t: t.replace("ATACMS", "AT\\ud800ACMS", 1), "weapons[0].name"),
        (lambda t: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (lambda t: t.replace('"range_km": 300', '"range_km": 1e-320', 1), "expected at least 0.01 km"),
    ],
    ids=["5000-digit-range", "lone-surrogate", "deep-nesting", "tiny-range"],
)
def test_a_broken_catalog_is_named_by_path_and_field(tmp_path, monkeypatch, make, named):
    from webapp import caches

    text = (Path(__file__).resolve().parents[2] / "data" / "weapons.json").read_text(encoding="utf-8")
    broken = make(text)
    assert broken != text
    path = tmp_path / "weapons.json"
    path.write_text(broken, encoding="utf-8", errors="surrogatepass")
    monkeypatch.setenv("WRM_CATALOG", str(path))
    caches.catalog.clear()
    try:
        at = new_app().run()
    finally:
        monkeypatch.delenv("WRM_CATALOG")
        caches.catalog.clear()
    assert not at.exception
    [error] = at.error
    assert named in shown(error.value)
    assert str(path) in shown(error.value)


def test_our_link_limits_are_streamlits():
    """The page's limits are the ones Streamlit drops a query string past: an upgrade that changes them fails here."""
    from streamlit.runtime.state import query_params as streamlit_limits

    from geo.scenario.share import MAX_FIELDS, MAX_QUERY_CHARS

    assert streamlit_limits.CLIENT_STATE_QUERY_STRING_MAX_FIELDS == MAX_FIELDS
    assert streamlit_limits.CLIENT_STATE_QUERY_STRING_MAX_LENGTH == MAX_QUERY_CHARS


@pytest.mark.parametrize(
    "junk",
    [
        {"dropped": "lots", "chars": "9"},
        {"dropped": "1201", "chars": "1e9"},
        {"dropped": "1201"},
        {"dropped": "1201", "chars": "5", "at": "49.0,30.0"},
    ],
    ids=["words", "float", "half", "with-a-point"],
)
def test_a_forged_dropped_link_report_is_a_link_like_any_other(junk):
    at = new_app()
    for key, value in junk.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert not any("could not be read" in shown(w.value) for w in at.warning)
    if "at" in junk:
        assert [(lat, lon) for lat, lon, _ in points(at)] == [(49.0, 30.0)]


def test_points_tab_lists_every_point_and_edits_the_selected_one():
    """Issue 10: one table of all the points, and the boxes of the selected point only."""
    at = new_app({"at": ["50.91,34.8~Sumy <b>", "49.99,36.23~Kharkiv", "48.5,35.0~Dnipro~az60w90"]}).run()
    table = next(m.value for m in at.markdown if m.value.startswith("| | Name |"))
    rows = table.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == ["| 1", "| 2", "| 3"]
    assert "Sumy &lt;b&gt;" in rows[0] and "<b>" not in table  # user text stays text
    assert "50.91000, 34.80000" in rows[0] and "bearing 060°, width 90°" in rows[2] and "full ring" in rows[1]
    assert [t.key for t in at.text_input if t.key.startswith("coords_")] == ["coords_2"]  # the last added
    at = at.radio(key="selected_point").set_value(1).run()
    assert [t.key for t in at.text_input if t.key.startswith("coords_")] == ["coords_1"]
    assert at.text_input(key="label_1").value == "Kharkiv"
    at.text_input(key="coords_1").input("50.0, 36.3").run()
    assert points(at)[1][:2] == (50.0, 36.3)
    assert "50.00000, 36.30000" in next(m.value for m in at.markdown if m.value.startswith("| | Name |"))


def test_sidebar_boxes_are_built_only_while_open():
    """Issue 10: the custom-system form and the presets are built when their box is opened."""
    at = new_app().run()
    assert not [b for b in at.button if b.key and b.key.startswith("preset_")]
    assert not [t for t in at.text_input if t.key == "custom_name"]
    at = open_expander(open_expander(at, K_PRESETS_OPEN), K_CUSTOM_OPEN)
    assert len([b for b in at.button if b.key and b.key.startswith("preset_")]) == len(PRESETS)
    assert at.text_input(key="custom_name") is not None
