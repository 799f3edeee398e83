"""AppTest for issue 5 in the app: places in range, launch zones, coverage by country."""

from __future__ import annotations

from geographiclib.geodesic import Geodesic

from tests.apptest_helpers import new_app


def _table(at, column):
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with column {column!r}"
    return frames[0]


def test_places_in_range_lists_cities_with_distances_and_totals():
    at = new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-165"}).run()
    assert not at.exception
    table = _table(at, "Nearest launch point")
    kursk = table[table["Place"] == "Kursk"].iloc[0]
    expected = Geodesic.WGS84.Inverse(50.91, 34.8, 51.73733, 36.18735)["s12"] / 1000
    assert abs(kursk["Distance (km)"] - expected) < 1.0
    assert kursk["Country"] == "Russia"
    assert (table["Distance (km)"] <= 165).all()
    total = next(m.value for m in at.markdown if "within reach" in m.value)
    assert f"{len(table):,} places" in total
    assert f"{int(table['Population'].sum()):,} people" in total


def test_population_threshold_and_filter():
    at = new_app({"at": ["50.91,34.8"], "w": "atacms-165"}).run()
    n15 = len(_table(at, "Nearest launch point"))
    at.selectbox(key="min_population").set_value(5000).run()
    n5 = len(_table(at, "Nearest launch point"))
    assert n5 > n15
    at.text_input(key="city_filter").input("russia").run()
    table = _table(at, "Nearest launch point")
    assert set(table["Country"]) == {"Russia"}
