"""AppTest for issue 4: comparison table, custom systems, presets, target panel, downloads."""

from __future__ import annotations

import pytest
from geographiclib.geodesic import Geodesic

from geo.core.rings import ring_area_km2
from geo.scenario.presets import PRESETS
from tests.apptest_helpers import (
    map_args,
    messages,
    new_app,
    open_expander,
    open_tab,
    points,
    query,
    ring_layers,
    shown,
    table_with,
)
from webapp.panels.systems import K_CUSTOM_OPEN, K_PRESETS_OPEN

NASTY = '<script>alert(1)</script> & "q"'


def test_comparison_table_lists_each_system_with_sources_and_area():
    at = open_tab(new_app({"at": ["50.91,34.8"], "w": "atacms-300,storm-shadow"}).run(), "Compare")
    table = table_with(at, "Area covered (km²)")
    assert list(table["System"]) == [
        "ATACMS (long-range, M39A1/M48/M57)",
        "Storm Shadow / SCALP-EG",
    ]
    assert list(table["Range (km)"]) == [300, 250]
    # Area from one point: the ellipsoidal ring area.
    assert table["Area covered (km²)"][0] == round(ring_area_km2(50.91, 34.8, 300))
    assert table["Air-launched"].tolist() == [False, True]
    assert table["Link"].str.startswith("https://").all()


def test_comparison_counts_overlaps_once():
    one = table_with(open_tab(new_app({"at": ["50.91,34.8"], "w": "atacms-165"}), "Compare"), "Area covered (km²)")
    two = table_with(
        open_tab(new_app({"at": ["50.91,34.8", "50.91,34.8001"], "w": "atacms-165"}), "Compare"), "Area covered (km²)"
    )
    assert two["Area covered (km²)"][0] == pytest.approx(one["Area covered (km²)"][0], rel=1e-3)


def test_custom_system_is_added_drawn_tabled_and_shared_as_text():
    at = open_expander(new_app().run(), K_CUSTOM_OPEN)
    at.text_input(key="custom_name").input(NASTY)
    at.number_input(key="custom_range").set_value(400.0)
    at.number_input(key="custom_min_range").set_value(20.0)
    next(b for b in at.button if b.label == "Add system").click().run()
    assert not at.exception, messages(at)
    assert f"{NASTY}:400:20" in query(at)["c"]
    assert NASTY in list(table_with(open_tab(at, "Compare"), "Area covered (km²)")["System"])
    fg = map_args(at)["feature_group"]
    assert "<script>alert(1)" not in fg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in fg
    assert ring_layers(at) == 4


def test_custom_system_comes_back_from_the_link():
    at = new_app({"at": ["50.9,34.8"], "c": ["Test rocket:120", "Donut:500:50", "broken:-5"]}).run()
    assert any("broken" in shown(w.value) for w in at.warning)  # on the page, whichever tab is open
    at = open_tab(at, "Compare")
    table = table_with(at, "Area covered (km²)")
    assert list(table["System"]) == ["Test rocket", "Donut"]
    assert any("broken" in shown(w.value) for w in at.warning)
    assert query(at)["c"] == ["Test rocket:120", "Donut:500:50"]


def test_bad_custom_range_is_an_error_and_changes_nothing():
    at = new_app().run().run()  # the page, then the map reporting in (the address bar is written)
    before = query(at)
    assert before["w"]
    at = open_expander(at, K_CUSTOM_OPEN)
    at.text_input(key="custom_name").input("Zero")
    next(b for b in at.button if b.label == "Add system").click().run()
    assert any("range_km" in shown(e.value) for e in at.error)
    assert query(at) == before


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_presets_load_into_the_url(preset):
    at = open_expander(new_app().run(), K_PRESETS_OPEN)
    next(b for b in at.button if b.key == f"preset_{preset.id}").click().run()
    assert not at.exception
    link = query(at)
    # The preset, and the view that frames it (the map moved onto it on purpose: issue 12).
    view = link.pop("v")
    assert link == {k: v for k, v in preset.params().items()}
    lat, lon, zoom = view[0].split(",")
    assert map_args(at)["center"] == pytest.approx([float(lat), float(lon)], abs=1e-5)  # the link has the map's view
    assert map_args(at)["zoom"] == int(zoom)
    assert any(preset.title in shown(i.value) for i in at.info)
    assert preset.source_url.startswith("https://")


def test_target_panel_distances_against_geographiclib():
    at = open_tab(new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-165,atacms-300", "t": "Kursk"}), "Does it reach…?")
    table = table_with(at, "Distance (km)")
    kursk = Geodesic.WGS84.Inverse(50.91, 34.8, 51.73783, 36.18717)
    assert table["Distance (km)"][0] == pytest.approx(kursk["s12"] / 1000, abs=1.5)
    assert list(table["In range"]) == ["yes", "yes"]
    # The geodesic line from the nearest launch point is on the map.
    assert map_args(at)["feature_group"].count("L.polyline(") == 1


def test_target_from_a_map_click_in_target_mode_travels_in_the_link():
    from tests.apptest_helpers import send_map_value

    at = new_app().run()
    at.radio(key="click_mode").set_value("Set the target").run()
    at = send_map_value(at, last_clicked={"lat": 55.75, "lng": 37.62})
    assert query(at)["t"] == ["55.75,37.62"]
    assert len(points(at)) == 1
    table = table_with(open_tab(at, "Does it reach…?"), "Distance (km)")
    assert set(table["In range"]) == {"no"}


def test_unknown_target_warns_and_keeps_the_scenario():
    at = open_tab(new_app({"at": ["50.9,34.8"], "w": "atacms-300", "t": "Qwertyzzz"}), "Does it reach…?")
    assert any("Qwertyzzz" in shown(w.value) for w in at.warning)
    assert len(points(at)) == 1


def test_downloads_are_offered():
    at = open_tab(new_app(), "Download")
    labels = [b.label for b in at.get("download_button")]
    for kind in ("GeoJSON", "KML", "CSV"):
        assert any(kind in label for label in labels), labels
    # Print sizes at 300 dpi (issue 9).
    assert sorted(label for label in labels if "300 dpi" in label) == [
        "Print, A4 landscape, 300 dpi (PNG)",
        "Print, one column 8.5 × 13 cm, 300 dpi (PNG)",
        "Print, page width 17 × 11 cm, 300 dpi (PNG)",
    ]
