"""AppTest for issue 5 in the app: places in range, launch zones, coverage by country."""

from __future__ import annotations

from geographiclib.geodesic import Geodesic

from tests.apptest_helpers import new_app, open_tab, shown, table_with


def test_places_in_range_lists_cities_with_distances_and_totals():
    at = open_tab(new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-165"}), "Places in range")
    assert not at.exception
    table = table_with(at, "Nearest launch point or zone")
    kursk = table[table["Place"] == "Kursk"].iloc[0]
    expected = Geodesic.WGS84.Inverse(50.91, 34.8, 51.73733, 36.18735)["s12"] / 1000
    assert abs(kursk["Distance (km)"] - expected) < 1.0
    assert kursk["Country"] == "Russia"
    assert (table["Distance (km)"] <= 165).all()
    total = next(m.value for m in at.markdown if "within reach" in m.value)
    # each city once: the districts of a city in reach (Saltivka in Kharkiv) are in its figure
    assert (table["District of"] != "").any()
    own = table[table["District of"] == ""]
    assert f"{len(own):,} places" in total
    assert f"{int(own['Population'].sum()):,} people" in total
    assert f"{len(table) - len(own):,} city districts" in total


def test_population_threshold_and_filter():
    at = open_tab(new_app({"at": ["50.91,34.8"], "w": "atacms-165"}), "Places in range")
    n15 = len(table_with(at, "Nearest launch point or zone"))
    at.selectbox(key="min_population").set_value(5000).run()
    n5 = len(table_with(at, "Nearest launch point or zone"))
    assert n5 > n15
    at.text_input(key="city_filter").input("russia").run()
    table = table_with(at, "Nearest launch point or zone")
    assert set(table["Country"]) == {"Russia"}
    # the country totals follow the filter: Russia only, its people those of the table's own places
    per_country = table_with(at, "City districts counted in their city")
    assert list(per_country["Country"]) == ["Russia"]
    own = table[table["District of"] == ""]
    assert int(per_country["People"].iloc[0]) == int(own["Population"].sum())


def test_country_zone_from_the_link_merges_into_one_outline_per_system():
    from tests.apptest_helpers import map_args, query, ring_layers

    at = new_app({"at": ["50.91,34.8"], "w": "atacms-300", "z": ["country:UA"]}).run()
    assert not at.exception
    assert query(at)["z"] == ["country:UA"]
    fg = map_args(at)["feature_group"]
    # One merged coverage outline for the system (the dashed zone outline is another layer).
    assert ring_layers(at) == 1
    assert "Launch zone: Ukraine" in fg
    cov = table_with(open_tab(at, "Coverage by country"), "Share of the country")
    assert cov["Country"].iloc[0] == "Ukraine" and cov["Share of the country"].iloc[0] == "100.0%"
    russia = cov[cov["Country"] == "Russia"].iloc[0]
    assert 0 < russia["Area within reach (km²)"] < 1_000_000


def test_drawn_zone_by_clicks_then_finish_as_line():
    from tests.apptest_helpers import points, query, send_map_value

    at = new_app({"at": ["50.91,34.8"], "w": "atacms-165"}).run()
    at.radio(key="click_mode").set_value("Draw a launch zone").run()
    at = send_map_value(at, last_clicked={"lat": 48.0, "lng": 37.5})
    at = send_map_value(at, last_clicked={"lat": 48.6, "lng": 38.2})
    assert len(points(at)) == 1  # clicks drew corners, not launch points
    at = open_tab(at, "Launch zones")  # the zone's name and the finishing buttons
    at.text_input(key="zone_label").input("Front <i>line</i>").run()
    at.button(key="zone_finish_line").click().run()
    assert query(at)["z"] == ["line:48,37.5;48.6,38.2~Front <i>line</i>"]


def test_bad_zone_in_link_warns_and_keeps_the_rest():
    from tests.apptest_helpers import points

    at = new_app({"at": ["50.91,34.8"], "w": "atacms-300", "z": ["country:XX", "area:48,35;48,36"]}).run()
    assert not at.exception
    warnings = " ".join(shown(w.value) for w in at.warning)
    assert "country:XX" in warnings and "area:48,35;48,36" in warnings
    assert len(points(at)) == 1


def test_uploads_add_zones_and_bad_ones_change_nothing():
    import json

    from tests.apptest_helpers import points, query

    at = open_tab(new_app({"at": ["50.91,34.8"], "w": "atacms-300"}), "Launch zones")
    before = query(at)
    at.file_uploader(key="zone_upload").set_value(("broken.geojson", b"{not json", "application/json")).run()
    assert not at.exception
    assert any("broken.geojson" in shown(e.value) for e in at.error)
    assert query(at) == before

    swapped = {"type": "LineString", "coordinates": [[48.0, 95.0], [48.5, 96.0]]}
    at.file_uploader(key="zone_upload").set_value(
        ("swapped.geojson", json.dumps(swapped).encode(), "application/json")
    ).run()
    assert any("swapped.geojson" in shown(e.value) for e in at.error)
    assert query(at) == before

    front = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "<b>front</b>"},
                "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [38.2, 48.6]]},
            }
        ],
    }
    at.file_uploader(key="zone_upload").set_value(
        ("front.geojson", json.dumps(front).encode(), "application/json")
    ).run()
    assert not at.exception
    assert query(at)["z"] == ["lonlat-line:48,37.5;48.6,38.2~<b>front</b>"]  # a file: straight in lon/lat (issue 9)
    assert len(points(at)) == 1


# --------------------------------------------------------------------------
# Bounded work (issue 13)

# The 1,024-character link of issue 13: 50 launch points, 20 custom systems,
# 10 large country zones. It cost 812 s of CPU and 1.7 GB for one page load.
HOSTILE_LINK = {
    "at": [f"{45 + (i % 10) * 1.0:.2f},{20 + (i // 10) * 3.0:.2f}" for i in range(50)],
    "c": [f"S{i}:{100 + 250 * i}" for i in range(20)],
    "z": [f"country:{c}" for c in ["CA", "RU", "US", "AQ", "GL", "ID", "NO", "AU", "CL", "CN"]],
}


def test_the_worst_link_is_refused_with_what_to_change_and_keeps_the_scenario():
    from geo.analysis.zone_reach import reach_is_cached
    from geo.scenario.zones import zone_from_country
    from tests.apptest_helpers import launch_markers, query

    at = new_app(HOSTILE_LINK).run()
    assert not at.exception
    warnings = [shown(w.value) for w in at.warning]
    zone_warning = next(w for w in warnings if w.startswith("Launch zone not used"))
    assert (
        "Canada" in zone_warning and "China" in zone_warning and "remove some launch zones or systems" in zone_warning
    )
    assert len([w for w in warnings if w.startswith("Launch zone not used")]) == 1  # one message, not ten
    # The tables that would cost too much say so instead of computing.
    warnings = [shown(w.value) for w in open_tab(at, "Places in range").warning]
    assert any(w.startswith("Too much to list at once: 50 launch points × 20 systems") for w in warnings)
    # Nothing was computed for the zones, and nothing was dropped from the scenario.
    assert not reach_is_cached(zone_from_country("CA"), 100.0)
    assert launch_markers(at) == 50
    assert sorted(query(at)["z"]) == sorted(HOSTILE_LINK["z"])
    assert len(query(at)["c"]) == 20


def test_a_large_country_is_computed_in_the_background_then_drawn():
    import time

    from tests.apptest_helpers import ring_layers

    at = new_app({"at": ["55.75,37.62~Moscow"], "w": "atacms-300", "z": ["country:CA"]}).run()
    assert not at.exception
    computing = [shown(i.value) for i in at.info if shown(i.value).startswith("Computing the reach")]
    assert computing and "Canada" in computing[0]
    assert ring_layers(at) == 1  # the launch point's ring meanwhile; the zone's outline is drawn too
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
        if not any(shown(i.value).startswith("Computing the reach") for i in at.info):
            break
    assert not at.exception
    assert not any(shown(i.value).startswith("Computing the reach") for i in at.info)
    cov = table_with(open_tab(at, "Coverage by country"), "Share of the country")
    assert cov["Country"].iloc[0] == "Canada" and cov["Share of the country"].iloc[0] == "100.0%"


def test_the_zigzag_upload_is_refused_and_the_page_lives():
    import json

    from tests.apptest_helpers import points, query

    coords = [[20.0 + 20.0 * i / 199_999, 80.0 * (i % 2)] for i in range(199_999)]
    data = json.dumps({"type": "LineString", "coordinates": coords}, separators=(",", ":")).encode()
    at = open_tab(new_app({"at": ["50.91,34.8"], "w": "atacms-300"}), "Launch zones")
    at.file_uploader(key="zone_upload").set_value(("zigzag.geojson", data, "application/json")).run()
    assert not at.exception
    assert any(
        shown(e.value).startswith("zigzag.geojson: launch zone")
        and "too long or detailed to compute its reach" in shown(e.value)
        and "Nothing was changed" in shown(e.value)
        for e in at.error
    )
    assert len(points(at)) == 1 and query(at)["w"] == ["atacms-300"] and "z" not in query(at)


def test_a_5000_point_upload_adds_what_fits_and_says_so_once():
    import json

    from tests.apptest_helpers import points

    features = [
        {
            "type": "Feature",
            "properties": {"name": f"p{i}"},
            "geometry": {"type": "Point", "coordinates": [30 + i * 1e-3, 50]},
        }
        for i in range(5000)
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    at = open_tab(new_app({"at": ["50.91,34.8"], "w": "atacms-300"}), "Launch zones")
    at.file_uploader(key="zone_upload").set_value(("many.geojson", data, "application/json")).run()
    assert not at.exception
    assert len(points(at)) == 50
    assert [shown(w.value) for w in at.warning if "not added" in shown(w.value)] == [
        "many.geojson: not added: 4,951 launch point(s) (at most 50 in all)."
    ]
    assert not at.error
