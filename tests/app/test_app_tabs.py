"""Only the open tab is built (issue 10), and what a reader chose in a tab outlives a visit to another."""

from __future__ import annotations

from tests.apptest_helpers import map_args, new_app, open_tab, query, table_with

LINK = {"at": ["50.91,34.8~Sumy"], "w": "atacms-165"}


def _columns(at) -> set[str]:  # type: ignore[no-untyped-def]
    return {c for d in at.dataframe for c in d.value.columns}


def test_a_closed_tab_builds_nothing_and_opening_it_builds_it():
    at = new_app(LINK).run()
    assert "Area covered (km²)" not in _columns(at) and "Nearest launch point or zone" not in _columns(at)
    assert not at.get("download_button")
    map_before = map_args(at)["feature_group"]
    link_before = query(at)
    at = open_tab(at, "Compare")
    assert "Area covered (km²)" in _columns(at) and "Nearest launch point or zone" not in _columns(at)
    at = open_tab(at, "Places in range")
    assert "Nearest launch point or zone" in _columns(at) and "Area covered (km²)" not in _columns(at)
    # A tab switch changes neither the map's layers nor the link.
    assert map_args(at)["feature_group"].count("L.polygon(") == map_before.count("L.polygon(")
    assert query(at) == link_before


def test_choices_in_a_tab_outlive_a_visit_to_another():
    at = open_tab(new_app(LINK), "Places in range")
    n15 = len(table_with(at, "Nearest launch point or zone"))
    at.selectbox(key="min_population").set_value(5000).run()
    at.text_input(key="city_filter").input("russia").run()
    filtered = len(table_with(at, "Nearest launch point or zone"))
    at = open_tab(open_tab(at, "Compare"), "Places in range")
    assert at.selectbox(key="min_population").value == 5000
    assert at.text_input(key="city_filter").value == "russia"
    assert len(table_with(at, "Nearest launch point or zone")) == filtered != n15
    assert not at.exception and not at.warning
