"""Regions as journalists type them (issue 12): Natural Earth admin-1, one typo forgiven, the country shown.

Each answer is checked against the data's own identity (ISO 3166-2 code) and
against geometry: the region's label point must lie inside the Natural Earth
admin-0 outline of the country shown.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from shapely.geometry import Point
from shapely.prepared import prep

from geo.analysis.target import resolve_target
from geo.datasets.countries import country
from geo.datasets.regions import Region, regions, resolve_region, search_regions
from webapp.panels.find import _found


@pytest.mark.parametrize(
    ("query", "code", "iso2", "typo"),
    [
        ("Kursk oblast", "RU-KRS", "RU", False),
        ("Kurks", "RU-KRS", "RU", True),
        ("Kursl oblast", "RU-KRS", "RU", True),
        ("Курская область", "RU-KRS", "RU", False),
        ("Crimea", "UA-43", "UA", False),
        ("Krym", "UA-43", "UA", False),
        ("Belgorod region", "RU-BEL", "RU", False),
        ("Belgorad region", "RU-BEL", "RU", True),
        ("Kharkiv oblast", "UA-63", "UA", False),
        ("Харківська область", "UA-63", "UA", False),
        ("Zaporozhye", "UA-23", "UA", False),
        ("Sevastopol", "UA-40", "UA", False),
        ("Bavaria", "DE-BY", "DE", False),
    ],
)
def test_the_region_typed_is_found_first_with_its_country(query: str, code: str, iso2: str, typo: bool) -> None:
    t = time.perf_counter()
    (first, *_) = search_regions(query)
    ms = (time.perf_counter() - t) * 1e3
    print(f"\n{query!r}: {first.description} in {ms:.1f} ms")
    assert (first.code, first.country_code, first.typo) == (code, iso2, typo)
    assert country(iso2).geometry.contains(Point(first.lon, first.lat))
    assert first.country_name == country(iso2).name


def test_region_label_points_lie_in_the_country_shown() -> None:
    grown: dict[str, Any] = {}

    def inside(r: Region) -> bool:
        if r.country_code not in grown:
            grown[r.country_code] = prep(country(r.country_code).geometry.buffer(0.01))
        return bool(grown[r.country_code].contains(Point(r.lon, r.lat)))

    everything = regions()
    assert len(everything) > 4000
    theatre = [r for r in everything if r.country_code in {"UA", "RU", "BY", "PL", "MD", "RO"}]
    assert len(theatre) > 150 and all(inside(r) for r in theatre)
    # Worldwide, a few islands' label points lie at sea at 1:10m: they take the nearest country.
    outside = [r.code for r in everything if not inside(r)]
    print(f"\n{len(outside)} of {len(everything)} label points at sea: {outside}")
    assert len(outside) < 0.005 * len(everything)


def test_a_country_suffix_filters_and_the_label_resolves_back() -> None:
    assert [r.code for r in search_regions("Kursk, RU")] == ["RU-KRS"]
    assert search_regions("Kursk, Ukraine") == []
    for r in regions()[:: len(regions()) // 40]:
        back = resolve_region(r.label)
        assert back is not None and back.country_code == r.country_code
    assert resolve_region("Kurks") is None  # a target needs the exact name


def test_moscow_city_and_oblast_are_told_apart_by_the_words_typed() -> None:
    assert "city" in search_regions("Moscow city")[0].kind.lower()
    assert "city" not in search_regions("Moscow oblast")[0].kind.lower()


@pytest.mark.parametrize("city", ["Kursk", "Kharkiv", "Belgorod", "Sevastopol"])
def test_exact_city_names_still_rank_first_in_the_find_box(city: str) -> None:
    found, problem = _found(city)
    assert problem == ""
    assert found[0][0].startswith(f"{city}, ") and "pop." in found[0][0]
    assert any("region" in label or "city" in label for label, *_ in found[1:])


def test_region_words_put_regions_first_and_typos_still_find_something() -> None:
    found, _ = _found("Kursk oblast")
    assert found[0][0].startswith("Kursk — region, Russia")
    found, _ = _found("Kurks")
    assert found and found[0][0].startswith("Kursk — region, Russia") and "spelling corrected" in found[0][0]


def test_a_region_becomes_a_target_at_its_label_point() -> None:
    point, label = resolve_target("Crimea")
    assert label == "Crimea region, Ukraine"
    assert country("UA").geometry.contains(Point(point.lon, point.lat))
    point, label = resolve_target("Kursk")  # the city, not the region
    assert label == "Kursk, Russia"
