"""Tests for geo.analysis.target: does it reach X?

Authority: GeographicLib's ``Geodesic.WGS84.Inverse`` and ``Direct`` (the
reference implementation of Karney 2013), called here independently of
pyproj. Tolerances: 1 mm for distances, 1e-9° for bearings.
"""

from __future__ import annotations

import csv
import io
import itertools
import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.analysis.target import (
    BEYOND_RANGE,
    IN_RANGE,
    TOO_CLOSE,
    compass_label,
    geodesic_line,
    nearest_point,
    target_csv,
    target_report,
)
from geo.core.coords import LatLon
from geo.core.units import KM_PER_UNIT
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System

WGS84 = Geodesic.WGS84
MM_KM = 1e-6  # 1 mm in km
BEARING_TOL_DEG = 1e-9


# The reference: GeographicLib through pyproj, independent of geo.core.geodesic's wrapper.
GEOD = Geod(ellps="WGS84")


def bearing_diff_deg(a: float, b: float) -> float:
    """Smallest difference between two bearings, in degrees."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def direct(lat: float, lon: float, azimuth_deg: float, distance_km: float) -> LatLon:
    g = WGS84.Direct(lat, lon, azimuth_deg, distance_km * 1000.0)
    return LatLon(g["lat2"], g["lon2"])


# (launch points, target): named cases of the geodesic inverse problem.
INVERSE_CASES = [
    pytest.param([(50.9, 34.8), (50.0, 36.23), (48.5, 35.0)], (51.73, 36.19), id="sumy-kharkiv-dnipro-to-kursk"),
    pytest.param([(65.0, 175.0), (60.0, -170.0)], (62.0, 179.9), id="antimeridian"),
    pytest.param([(-33.87, 151.21), (-41.29, 174.78)], (51.5, -0.13), id="southern-to-london"),
    pytest.param([(0.0, 0.0), (1.0, 0.5)], (0.5, 179.5), id="nearly-antipodal"),
    pytest.param([(89.9, 0.0), (-89.9, 45.0)], (89.9, 180.0), id="near-the-poles"),
    pytest.param([(10.0, 20.0)], (10.0, 20.0), id="target-at-launch-point"),
]


@pytest.mark.parametrize(("starts", "target"), INVERSE_CASES)
def test_distance_and_bearing_match_geographiclib(
    starts: list[tuple[float, float]], target: tuple[float, float]
) -> None:
    points = [LaunchPoint(lat, lon) for lat, lon in starts]
    rows = target_report(LatLon(*target), points, [System.custom("X", 300)])
    assert len(rows) == len(points)
    for row, (lat, lon) in zip(rows, starts, strict=True):
        ref = WGS84.Inverse(lat, lon, *target)
        assert row.distance_km == pytest.approx(ref["s12"] / 1000.0, abs=MM_KM)
        assert 0.0 <= row.bearing_deg < 360.0
        if ref["s12"] > 0:
            assert bearing_diff_deg(row.bearing_deg, ref["azi1"]) < BEARING_TOL_DEG
            assert row.compass == compass_label(row.bearing_deg)
        else:
            assert row.compass == ""  # no direction to a target on the launch point


@settings(max_examples=200, deadline=None)
@given(
    lat1=st.floats(-89.0, 89.0),
    lon1=st.floats(-180.0, 180.0),
    lat2=st.floats(-89.0, 89.0),
    lon2=st.floats(-180.0, 180.0),
)
def test_distance_and_bearing_property(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    ref = WGS84.Inverse(lat1, lon1, lat2, lon2)
    row = target_report(LatLon(lat2, lon2), [LaunchPoint(lat1, lon1)], [System.custom("X", 300)])[0]
    assert row.distance_km == pytest.approx(ref["s12"] / 1000.0, abs=MM_KM)
    # Near the antipode the azimuth is ill-conditioned (it swings through
    # 180° over a few mm), so compare bearings only away from it.
    if 1.0 < ref["s12"] < 19_900e3:
        assert bearing_diff_deg(row.bearing_deg, ref["azi1"]) < BEARING_TOL_DEG


SUMY = LaunchPoint(50.9, 34.8, "Sumy")


# (system range, minimum range, target distance from Sumy, status, expected margin): all in km.
REACH_CASES = [
    pytest.param(300.0, 0.0, 290.0, IN_RANGE, 10.0, id="inside-by-10km"),
    pytest.param(300.0, 0.0, 310.0, BEYOND_RANGE, -10.0, id="short-by-10km"),
    pytest.param(300.0, 0.0, 300.0 - 0.001, IN_RANGE, 0.001, id="inside-by-1m"),
    pytest.param(300.0, 0.0, 300.0 + 0.001, BEYOND_RANGE, -0.001, id="beyond-by-1m"),
    pytest.param(300.0, 0.0, 1.0, IN_RANGE, 299.0, id="next-to-launcher-no-minimum"),
    pytest.param(500.0, 50.0, 30.0, TOO_CLOSE, -20.0, id="donut-inside-minimum"),
    pytest.param(500.0, 50.0, 60.0, IN_RANGE, 10.0, id="donut-near-inner-edge"),
    pytest.param(500.0, 50.0, 450.0, IN_RANGE, 50.0, id="donut-near-outer-edge"),
    pytest.param(500.0, 50.0, 600.0, BEYOND_RANGE, -100.0, id="donut-beyond"),
]


@pytest.mark.parametrize(("range_km", "min_range_km", "distance_km", "status", "margin_km"), REACH_CASES)
@pytest.mark.parametrize("azimuth_deg", [0.0, 137.0, 271.0], ids=["north", "south-east", "west"])
def test_in_range_and_margin(
    range_km: float, min_range_km: float, distance_km: float, status: str, margin_km: float, azimuth_deg: float
) -> None:
    target = direct(SUMY.lat, SUMY.lon, azimuth_deg, distance_km)
    row = target_report(target, [SUMY], [System.custom("X", range_km, min_range_km)])[0]
    assert row.status == status
    assert row.in_range is (status == IN_RANGE)
    assert row.margin_km == pytest.approx(margin_km, abs=MM_KM)
    assert math.copysign(1.0, row.margin_km) == math.copysign(1.0, margin_km)
    assert bearing_diff_deg(row.bearing_deg, azimuth_deg) < BEARING_TOL_DEG


def test_the_range_itself_is_in_range() -> None:
    target = direct(SUMY.lat, SUMY.lon, 45.0, 300.0)
    d_km = target_report(target, [SUMY], [System.custom("X", 1)])[0].distance_km
    row = target_report(target, [SUMY], [System.custom("X", d_km)])[0]
    assert row.in_range and row.margin_km == 0.0


@pytest.mark.parametrize(
    ("min_range_km", "status", "margin_km"),
    [pytest.param(0.0, IN_RANGE, 300.0, id="no-minimum"), pytest.param(50.0, TOO_CLOSE, -50.0, id="with-minimum")],
)
def test_target_on_the_launch_point(min_range_km: float, status: str, margin_km: float) -> None:
    row = target_report(SUMY.latlon, [SUMY], [System.custom("X", 300, min_range_km)])[0]
    assert row.distance_km == 0.0
    assert (row.status, row.margin_km, row.compass) == (status, margin_km, "")


def test_verdict_words() -> None:
    near, far = direct(50.9, 34.8, 90, 290), direct(50.9, 34.8, 90, 320)
    system = System.custom("X", 300, 50)
    assert target_report(near, [SUMY], [system])[0].verdict() == "in range, 10 km to spare"
    assert target_report(far, [SUMY], [system])[0].verdict() == "out of range, short by 20 km"
    close = target_report(direct(50.9, 34.8, 90, 35), [SUMY], [system])[0]
    assert close.verdict() == "too close: 15 km inside the 50 km minimum range"


def test_rows_are_system_major_with_every_point() -> None:
    points = [SUMY, LaunchPoint(50.0, 36.23, "Kharkiv")]
    systems = [System.custom("A", 100), System.custom("B", 300)]
    rows = target_report(LatLon(51.73, 36.19), points, systems)
    assert [(r.system.name, r.point.label) for r in rows] == [
        ("A", "Sumy"),
        ("A", "Kharkiv"),
        ("B", "Sumy"),
        ("B", "Kharkiv"),
    ]
    assert target_report(LatLon(0, 0), [], systems) == []


@pytest.mark.parametrize(
    ("target", "points"),
    [
        pytest.param(LatLon(95.0, 30.0), [SUMY], id="bad-target-latitude"),
        pytest.param(LatLon(float("nan"), 30.0), [SUMY], id="nan-target"),
        pytest.param(LatLon(50.0, 30.0), [LaunchPoint(91.0, 0.0)], id="bad-launch-point"),
    ],
)
def test_bad_coordinates_raise(target: LatLon, points: list[LaunchPoint]) -> None:
    with pytest.raises(InputError, match="latitude"):
        target_report(target, points, [System.custom("X", 300)])


# ---------------------------------------------------------------- compass


@pytest.mark.parametrize(
    ("bearing_deg", "label"),
    [
        pytest.param(0.0, "N", id="north"),
        pytest.param(11.0, "N", id="just-below-NNE"),
        pytest.param(12.0, "NNE", id="just-above-NNE"),
        pytest.param(45.0, "NE", id="north-east"),
        pytest.param(90.0, "E", id="east"),
        pytest.param(200.0, "SSW", id="south-south-west"),
        pytest.param(350.0, "N", id="almost-north"),
        pytest.param(-45.0, "NW", id="negative"),
        pytest.param(765.0, "NE", id="more-than-a-turn"),
    ],
)
def test_compass_label(bearing_deg: float, label: str) -> None:
    assert compass_label(bearing_deg) == label


@given(st.floats(-1e4, 1e4))
def test_compass_label_is_the_nearest_point(bearing_deg: float) -> None:
    names = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
    label = compass_label(bearing_deg)
    # The label's own direction is within half a point (11.25°) of the bearing.
    assert bearing_diff_deg(names.index(label) * 22.5, bearing_deg) <= 11.25 + 1e-9
    assert compass_label(bearing_deg, winds=8) in names[::2]
    assert compass_label(bearing_deg, winds=4) in names[::4]


@pytest.mark.parametrize(
    ("start", "target", "label"),
    [
        pytest.param((50.0, 30.0), (55.0, 30.0), "N", id="due-north"),
        pytest.param((0.0, 10.0), (0.0, 20.0), "E", id="due-east-on-equator"),
        pytest.param((-10.0, 10.0), (-20.0, 10.0), "S", id="due-south"),
        pytest.param((0.0, 179.0), (0.0, -179.0), "E", id="east-across-antimeridian"),
    ],
)
def test_compass_in_report(start: tuple[float, float], target: tuple[float, float], label: str) -> None:
    row = target_report(LatLon(*target), [LaunchPoint(*start)], [System.custom("X", 300)])[0]
    assert row.compass == label


def test_compass_rejects_bad_input() -> None:
    with pytest.raises(InputError, match="finite"):
        compass_label(float("nan"))
    with pytest.raises(InputError, match="4, 8 or 16"):
        compass_label(10.0, winds=12)  # type: ignore[arg-type]


# ---------------------------------------------------------------- nearest point


def test_nearest_point_matches_geographiclib() -> None:
    points = [LaunchPoint(50.9, 34.8, "Sumy"), LaunchPoint(50.0, 36.23, "Kharkiv"), LaunchPoint(48.5, 35.0, "Dnipro")]
    target = LatLon(49.9, 35.2)
    ref = [WGS84.Inverse(p.lat, p.lon, *target) for p in points]
    best = min(range(len(points)), key=lambda i: ref[i]["s12"])
    near = nearest_point(target, points)
    assert near.index == best and near.point == points[best]
    assert near.distance_km == pytest.approx(ref[best]["s12"] / 1000.0, abs=MM_KM)
    assert bearing_diff_deg(near.bearing_deg, ref[best]["azi1"]) < BEARING_TOL_DEG


def test_nearest_point_tie_takes_the_first_and_empty_raises() -> None:
    twins = [LaunchPoint(10.0, 10.0, "a"), LaunchPoint(10.0, 10.0, "b")]
    assert nearest_point(LatLon(11.0, 11.0), twins).point.label == "a"
    with pytest.raises(InputError, match="no launch points"):
        nearest_point(LatLon(0, 0), [])


# ---------------------------------------------------------------- geodesic line


def _merc_y(lat_deg: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(lat_deg) / 2))


def _from_merc_y(y: np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def max_mercator_deviation_m(line: list[LatLon]) -> float:
    """Largest distance from Leaflet's straight Web Mercator segments to the geodesic, in metres.

    Points at 1/4, 1/2 and 3/4 of each straight segment (in Mercator) are
    mapped back to lon/lat; their distance to the geodesic sub-segment is
    found by ternary search along it (pyproj's Geod, i.e. GeographicLib).
    """
    lats = np.array([p.lat for p in line])
    lons = np.array([p.lon for p in line])
    az, _, seg_m = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:], return_back_azimuth=True)
    worst = 0.0
    for t in (0.25, 0.5, 0.75):
        x = lons[:-1] + t * (lons[1:] - lons[:-1])
        y = _from_merc_y(_merc_y(lats[:-1]) + t * (_merc_y(lats[1:]) - _merc_y(lats[:-1])))

        def dist_m(s: np.ndarray, x: np.ndarray = x, y: np.ndarray = y) -> np.ndarray:
            lon2, lat2, _ = GEOD.fwd(lons[:-1], lats[:-1], az, s, return_back_azimuth=True)
            return np.asarray(GEOD.inv(x, y, lon2, lat2, return_back_azimuth=True)[2])

        lo, hi = np.zeros(len(seg_m)), np.asarray(seg_m, dtype=float)
        for _ in range(60):
            m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
            nearer_start = dist_m(m1) < dist_m(m2)
            hi, lo = np.where(nearer_start, m2, hi), np.where(nearer_start, lo, m1)
        worst = max(worst, float(dist_m((lo + hi) / 2).max()))
    return worst


LINE_CASES = [
    pytest.param(LatLon(50.9, 34.8), LatLon(55.75, 37.62), id="sumy-moscow"),
    pytest.param(LatLon(65.0, 175.0), LatLon(60.0, -170.0), id="east-across-antimeridian"),
    pytest.param(LatLon(60.0, -170.0), LatLon(65.0, 175.0), id="west-across-antimeridian"),
    pytest.param(LatLon(-33.87, 151.21), LatLon(51.5, -0.13), id="sydney-london"),
    pytest.param(LatLon(40.0, -75.0), LatLon(51.5, 0.0), id="transatlantic"),
    pytest.param(LatLon(0.0, 0.0), LatLon(0.0, 100.0), id="equator"),
]


@pytest.mark.parametrize(("a", "b"), LINE_CASES)
def test_geodesic_line_lies_on_the_geodesic(a: LatLon, b: LatLon) -> None:
    line = geodesic_line(a, b)
    total_m = WGS84.Inverse(a.lat, a.lon, b.lat, b.lon)["s12"]
    # A point is on the shortest path from a to b exactly when it splits the
    # distance without detour: |a p| + |p b| = |a b|.
    for p in line[1:-1]:
        detour_m = WGS84.Inverse(a.lat, a.lon, p.lat, p.lon)["s12"] + WGS84.Inverse(p.lat, p.lon, b.lat, b.lon)["s12"]
        assert detour_m == pytest.approx(total_m, abs=1e-3)
    # Ends are the inputs (the end's longitude up to whole turns).
    assert (line[0].lat, line[0].lon) == (a.lat, a.lon)
    assert line[-1].lat == b.lat and (line[-1].lon - b.lon) % 360.0 == 0.0
    # Consecutive points at most max_segment_km apart, evenly spread.
    steps_m = [WGS84.Inverse(p.lat, p.lon, q.lat, q.lon)["s12"] for p, q in itertools.pairwise(line)]
    assert max(steps_m) <= 25_000.0 + 1e-3
    assert sum(steps_m) == pytest.approx(total_m, abs=1e-3)
    assert max(steps_m) - min(steps_m) < 1e-3


@pytest.mark.parametrize(("a", "b"), LINE_CASES)
def test_geodesic_line_longitudes_are_continuous(a: LatLon, b: LatLon) -> None:
    lons = np.array([p.lon for p in geodesic_line(a, b)])
    assert np.all(np.abs(np.diff(lons)) < 5.0)  # no jump of ~360° anywhere
    assert lons[0] == a.lon


def test_geodesic_line_across_the_antimeridian() -> None:
    east = geodesic_line(LatLon(65.0, 175.0), LatLon(60.0, -170.0))
    assert east[-1].lon == 190.0 and max(p.lon for p in east) > 180.0
    assert np.all(np.diff([p.lon for p in east]) > 0)  # heading east all the way
    west = geodesic_line(LatLon(60.0, -170.0), LatLon(65.0, 175.0))
    assert west[-1].lon == -185.0 and np.all(np.diff([p.lon for p in west]) < 0)


@pytest.mark.parametrize(
    ("a", "b", "tolerance_m"),
    [
        pytest.param(LatLon(50.0, 30.0), LatLon(50.0, 40.0), 25.0, id="50N-east-west"),
        pytest.param(LatLon(60.0, -10.0), LatLon(60.0, 40.0), 25.0, id="60N-east-west"),
        pytest.param(LatLon(78.0, 0.0), LatLon(78.0, 60.0), 70.0, id="78N-east-west"),
        pytest.param(LatLon(65.0, 175.0), LatLon(60.0, -170.0), 25.0, id="antimeridian"),
        pytest.param(LatLon(-33.87, 151.21), LatLon(51.5, -0.13), 25.0, id="sydney-london"),
    ],
)
def test_geodesic_line_drawn_in_mercator_stays_close(a: LatLon, b: LatLon, tolerance_m: float) -> None:
    line = geodesic_line(a, b)
    assert max_mercator_deviation_m(line) < tolerance_m
    # Too few points would not: the same line as one straight Mercator segment is far off.
    assert max_mercator_deviation_m([line[0], line[-1]]) > 100 * tolerance_m


def test_geodesic_line_spacing_and_degenerate_cases() -> None:
    a, b = LatLon(50.9, 34.8), LatLon(55.75, 37.62)
    total_km = WGS84.Inverse(a.lat, a.lon, b.lat, b.lon)["s12"] / 1000.0
    assert len(geodesic_line(a, b, max_segment_km=100.0)) == math.ceil(total_km / 100.0) + 1
    assert geodesic_line(a, a) == [a, a]
    with pytest.raises(InputError, match="max_segment_km"):
        geodesic_line(a, b, max_segment_km=0.0)
    with pytest.raises(InputError, match="larger spacing"):
        geodesic_line(a, b, max_segment_km=0.001)
    with pytest.raises(InputError, match="latitude"):
        geodesic_line(LatLon(91.0, 0.0), b)


# ---------------------------------------------------------------- CSV


MALICIOUS = "<script>alert(1)</script> & \"q\", 'x'"


@pytest.mark.parametrize("unit", ["km", "mi", "nmi"])
def test_target_csv_columns_and_values(unit: str) -> None:
    points = [LaunchPoint(50.9, 34.8, MALICIOUS), LaunchPoint(50.0, 36.23, "Kharkiv")]
    systems = [System.custom(MALICIOUS, 300), System.custom("B", 100, 10)]
    target = LatLon(51.73, 36.19)
    rows = target_report(target, points, systems)
    parsed = list(csv.DictReader(io.StringIO(target_csv(rows, unit))))
    assert len(parsed) == len(rows) == 4
    for row, out in zip(rows, parsed, strict=True):
        ref_km = WGS84.Inverse(row.point.lat, row.point.lon, *target)["s12"] / 1000.0
        assert float(out["distance_km"]) == pytest.approx(ref_km, abs=5e-4)
        assert float(out[f"distance_{unit}"]) == pytest.approx(ref_km / KM_PER_UNIT[unit], abs=5e-4)
        assert float(out[f"range_{unit}"]) == pytest.approx(row.system.range_km / KM_PER_UNIT[unit], abs=5e-4)
        assert float(out[f"margin_{unit}"]) == pytest.approx(row.margin_km / KM_PER_UNIT[unit], abs=5e-4)
        assert out["in_range"] == ("yes" if row.in_range else "no")
        assert out["status"] == row.status
        assert out["compass"] == row.compass
        assert out["launch_point"] == row.point.name  # user text round-trips unchanged
        assert out["system_name"] == row.system.name
    assert parsed[0]["system_name"] == MALICIOUS and parsed[0]["launch_point"] == MALICIOUS


def test_target_csv_defuses_spreadsheet_formulas() -> None:
    formula = '=HYPERLINK("http://example.invalid","x")'
    rows = target_report(LatLon(51.0, 35.0), [LaunchPoint(50.9, 34.8, formula)], [System.custom("@SUM(A1)", 300)])
    out = next(csv.DictReader(io.StringIO(target_csv(rows))))
    assert out["launch_point"] == "'" + formula
    assert out["system_name"] == "'@SUM(A1)"


def test_target_csv_rejects_unknown_unit() -> None:
    with pytest.raises(InputError, match="unit"):
        target_csv([], "furlong")
