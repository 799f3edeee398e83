"""City districts counted once, in their city (issue 11).

Authority: the GeoNames ids of known city districts (feature code PPLX in the
GeoNames dump, checked by hand on geonames.org: Kyiv's raions and masyvs,
Kharkiv's Saltivka…) and of separate towns next to those cities that must
stay places of their own; and a brute-force sum of the gazetteer's
populations for the totals.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from geo.analysis.analyse import analyse
from geo.analysis.reach import COUNTRY_CSV_COLUMNS, cities_in_reach, country_totals, country_totals_csv, reach_totals
from geo.datasets.gazetteer import load_gazetteer
from geo.scenario.model import LaunchPoint, Scenario, System

KYIV_DISTRICTS = {  # GeoNames PPLX
    13580095: "Darnytsya", 13546519: "Desna", 8519916: "Obolon", 696877: "Podil", 13535747: "Svyatoshyn",
    688758: "Vyhurivshchyna-Troyeshchyna", 13546518: "Dniprovskyi", 13546521: "Shevchenkivskyi",
    13546520: "Solomyanka", 13535744: "Holosiyiv", 13535745: "Pechersk", 13580094: "Pozniaky",
    11778464: "Borshchahivka", 699871: "Nova Darnytsya", 13580099: "Stare Misto",
}  # fmt: skip
KHARKIV_DISTRICTS = {6722148: "Saltivka", 6723024: "Pivnichna Saltivka", 12500938: "Oleksiyivka",
                     13561808: "Rayon KTZ", 6723020: "Zhuravlivka"}  # fmt: skip
MOSCOW_DISTRICTS = {"Lefortovo", "Kuntsevo", "Ramenki", "Izmaylovo", "Lyublino", "Fili", "Otradnoye", "Bibirevo"}
TOWNS = {  # next to a big city, each a town of its own (PPL / PPLA2)
    550280: "Khimki", 523812: "Mytishchi", 579464: "Balashikha", 508101: "Podolsk", 542374: "Krasnogorsk",
    532615: "Lyubertsy", 554233: "Korolev", 502018: "Reutov", 516215: "Odintsovo", 565614: "Dolgoprudnyy",
    473778: "Vidnoye", 711390: "Brovary", 707565: "Irpin", 711350: "Bucha", 689487: "Vyshneve",
    711515: "Boyarka", 688723: "Vyshhorod", 711660: "Boryspil", 697488: "Pisochyn", 710098: "Derhachi",
}  # fmt: skip

X = System.custom("X", 45)


def around(lat: float, lon: float) -> dict[int, str]:
    """geonameid -> the city it is a district of ("" for a place of its own), 45 km around."""
    return {r.geonameid: r.district_of for r in cities_in_reach([LaunchPoint(lat, lon)], [X])}


@pytest.mark.parametrize(
    ("lat", "lon", "city", "districts"),
    [(50.45, 30.52, "Kyiv", KYIV_DISTRICTS), (49.99, 36.23, "Kharkiv", KHARKIV_DISTRICTS)],
)
def test_known_districts_count_in_their_city(lat: float, lon: float, city: str, districts: dict[int, str]) -> None:
    found = around(lat, lon)
    for gid, name in districts.items():
        assert gid in found, name
        assert found[gid] != "", f"{name} counted as a place of its own"
    assert city in set(found.values())


def test_moscow_raions_are_districts_and_the_oblast_towns_are_not() -> None:
    rows = cities_in_reach([LaunchPoint(55.7558, 37.6173)], [X])
    by_name = {r.name: r.district_of for r in rows}
    for name in MOSCOW_DISTRICTS:
        assert by_name[name] == "Moscow", name
    assert by_name["Moscow"] == ""


@pytest.mark.parametrize(("lat", "lon"), [(55.7558, 37.6173), (50.45, 30.52), (49.99, 36.23)])
def test_towns_next_to_a_city_stay_towns(lat: float, lon: float) -> None:
    found = around(lat, lon)
    for gid, name in TOWNS.items():
        if gid in found:
            assert found[gid] == "", f"{name} merged into {found[gid]}"


def test_atacms_300_from_sumy_counts_each_city_once() -> None:
    """12.07 M people naively (Saltivka beside Kharkiv…); 10.02 M with each city once,
    as the data-source study measured with the same rule (105 places, 17 districts)."""
    atacms = System.custom("ATACMS", 300)
    rows = cities_in_reach([LaunchPoint(50.91, 34.8)], [atacms])
    g = load_gazetteer(15_000)
    d = np.array(
        [Geodesic.WGS84.Inverse(50.91, 34.8, a, b, Geodesic.DISTANCE)["s12"] for a, b in zip(g.lat, g.lon, strict=True)]
    )
    naive = int(g.population[d <= 300_000].sum())  # brute force over the whole gazetteer
    t = reach_totals(rows, [atacms])[atacms.id]
    assert t.population + t.district_population == naive == 12_074_312
    assert (t.cities, t.population, t.districts) == (105, 10_024_478, 17)
    assert sum(r.population for r in rows if not r.district_of) == t.population
    by_name = {r.name: r.district_of for r in rows}
    assert by_name["Saltivka"] == "Kharkiv" and by_name["Kharkiv"] == ""
    # Kyiv's centre is out of reach, so its east-bank raions stay in: people who are in reach
    assert "Kyiv" not in by_name and by_name["Desna"] == ""


def test_totals_per_country_add_up_and_follow_the_country() -> None:
    atacms = System.custom("ATACMS", 300)
    a = analyse(Scenario(points=(LaunchPoint(50.91, 34.8),), systems=(atacms,)))
    rows = a.places(15_000)
    per = a.country_totals(15_000)
    assert sum(t.population for t in per) == a.totals(15_000)[atacms.id].population
    for t in per:  # brute force: each country's rows
        mine = [r for r in rows if r.country_code == t.country_code and not r.district_of]
        assert (t.places, t.population) == (len(mine), sum(r.population for r in mine))
    assert [t.country_code for t in per[:2]] == ["UA", "RU"]
    lines = list(csv.DictReader(io.StringIO(country_totals_csv(per, {atacms.id: "ATACMS"}))))
    assert tuple(lines[0]) == COUNTRY_CSV_COLUMNS
    assert [(ln["country_code"], int(ln["population"])) for ln in lines] == [
        (t.country_code, t.population) for t in per
    ]
    assert country_totals([]) == []
