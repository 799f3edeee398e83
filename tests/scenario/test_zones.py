"""Launch zones and merged coverage (issue 5), checked against independent references.

Authorities:

- distances from a point to a line: GeographicLib's pure-Python port
  (``geographiclib.geodesic``), minimising the distance along each geodesic
  edge with ``InverseLine`` (a golden-section search, to 1 mm);
- distances to a country's outline and the dense reference reach: pyproj's
  ``Geod`` (GeographicLib's C port), vectorised, on the full 1:10m outline
  sampled every 1 km (which overstates a distance by at most 1²/8r km, 0.4 m
  at 300 km);
- the symmetry of the ellipsoid about its axis (a line across the antimeridian
  and the same line turned 180° have the same reach area).

Tolerance (geo/scenario/zones.py): the outline of a zone's reach is within
``-2 · tol … +tol`` of the true one, ``tol = chord_tolerance_m(range)``
(150 m at 300 km).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon

from geo.core.rings import chord_tolerance_m, geodesic_area_km2, range_ring, ring_area_km2, ring_vertices
from geo.datasets.countries import country
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import (
    Zone,
    coverage,
    coverage_area_km2,
    coverage_feature,
    coverage_unwrapped,
    read_geojson,
    zone_from_country,
    zone_from_latlons,
    zone_reach,
    zones_from_geojson,
)

ROOT = Path(__file__).resolve().parents[2]
WGS84 = Geodesic.WGS84
PYPROJ = Geod(ellps="WGS84")
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


# --------------------------------------------------------------------------
# GeographicLib references


def direct(lat: float, lon: float, azimuth_deg: float, distance_m: float) -> tuple[float, float]:
    g = WGS84.Direct(lat, lon, azimuth_deg, distance_m)
    return g["lat2"], g["lon2"]


def distance_to_edge_m(lat: float, lon: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Shortest distance from a point to the geodesic from a to b ((lat, lon) degrees), in metres."""
    line = WGS84.InverseLine(a[0], a[1], b[0], b[1])

    def dist(s: float) -> float:
        p = line.Position(s, Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL)
        return float(WGS84.Inverse(lat, lon, p["lat2"], p["lon2"], Geodesic.DISTANCE)["s12"])

    lo, hi = 0.0, line.s13
    x1, x2 = hi - GOLDEN * (hi - lo), lo + GOLDEN * (hi - lo)
    f1, f2 = dist(x1), dist(x2)
    while hi - lo > 1e-3:
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - GOLDEN * (hi - lo)
            f1 = dist(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + GOLDEN * (hi - lo)
            f2 = dist(x2)
    return min(f1, f2, dist(0.0), dist(line.s13))


def distance_to_line_m(lat: float, lon: float, vertices: list[tuple[float, float]]) -> float:
    return min(distance_to_edge_m(lat, lon, a, b) for a, b in itertools.pairwise(vertices))


def outline_samples(geom: Polygon | MultiPolygon, count: int) -> np.ndarray:
    """``count`` (lon, lat) points spread along the exterior outlines."""
    xy = np.vstack(
        [shapely.get_coordinates(shapely.segmentize(p.exterior, 0.02)) for p in getattr(geom, "geoms", [geom])]
    )
    # Leave out the seams along ±180°: they are cuts, not the reach's edge.
    xy = xy[np.abs(np.abs(xy[:, 0]) - 180.0) > 1e-9]
    return xy[np.linspace(0, len(xy) - 1, count).astype(int)]


@pytest.fixture(scope="module")
def bent_line() -> list[tuple[float, float]]:
    """A 523 km line in two geodesic legs (300 km then 223 km) across southern Ukraine."""
    a = (46.6, 32.6)
    b = direct(*a, 70.0, 300_000.0)
    c = direct(*b, 20.0, 223_000.0)
    return [a, b, c]


# --------------------------------------------------------------------------
# The method's premise


@settings(max_examples=60, deadline=None)
@given(lat=st.floats(-80.0, 80.0), range_km=st.floats(1.0, 6000.0))
def test_geodesic_circles_without_a_pole_are_convex_in_lonlat(lat: float, range_km: float) -> None:
    """Why the convex hull of two consecutive rings is the area swept between them."""
    to_north = WGS84.Inverse(lat, 0.0, 90.0, 0.0, Geodesic.DISTANCE)["s12"]
    to_south = WGS84.Inverse(lat, 0.0, -90.0, 0.0, Geodesic.DISTANCE)["s12"]
    assume(range_km * 1000.0 < min(to_north, to_south) - 1000.0)
    lons, lats = ring_vertices(lat, 0.0, range_km * 1000.0, 720)
    ring = Polygon(np.column_stack([lons, lats]))
    assert ring.convex_hull.area == pytest.approx(ring.area, rel=1e-9)


# --------------------------------------------------------------------------
# Reach of a line, against GeographicLib


def test_line_reach_outline_is_at_the_range(bent_line: list[tuple[float, float]]) -> None:
    range_km = 300.0
    tol = chord_tolerance_m(range_km)
    zone = zone_from_latlons(bent_line, closed=False, label="front")
    reach = zone_reach(zone, range_km)
    assert reach.geom_type == "Polygon" and reach.is_valid and reach.exterior.is_ccw
    d = np.array([distance_to_line_m(lat, lon, bent_line) for lon, lat in outline_samples(reach, 150)])
    assert d.min() >= range_km * 1000.0 - 2.0 * tol, d.min()
    assert d.max() <= range_km * 1000.0 + tol, d.max()


def test_line_reach_covers_every_point_within_range(bent_line: list[tuple[float, float]]) -> None:
    """Points near the outline, classified by GeographicLib: in range → covered, beyond → not."""
    range_km = 300.0
    r_m, tol = range_km * 1000.0, chord_tolerance_m(range_km)
    reach = zone_reach(zone_from_latlons(bent_line, closed=False), range_km)
    rng = np.random.default_rng(7)
    inside = outside = 0
    for lon, lat in outline_samples(reach, 150):
        plat, plon = direct(lat, lon, rng.uniform(0.0, 360.0), rng.uniform(0.0, 3000.0))
        d = distance_to_line_m(plat, plon, bent_line)
        if d <= r_m - 2.0 * tol:
            inside += 1
            assert reach.contains(Point(plon, plat)), (plat, plon, d)
        elif d >= r_m + tol:
            outside += 1
            assert not reach.contains(Point(plon, plat)), (plat, plon, d)
    # And well inside: anywhere within range of a random point of the line.
    for _ in range(100):
        leg = int(rng.integers(0, 2))
        g = WGS84.InverseLine(*bent_line[leg], *bent_line[leg + 1])
        p = g.Position(rng.uniform(0.0, g.s13))
        plat, plon = direct(p["lat2"], p["lon2"], rng.uniform(0.0, 360.0), rng.uniform(0.0, r_m - 2.0 * tol))
        assert reach.contains(Point(plon, plat))
    assert inside > 30 and outside > 30


def test_line_reach_is_not_a_degree_buffer(bent_line: list[tuple[float, float]]) -> None:
    """DESIGN.md §2: a buffer in degrees misses a quarter of the area at 48° N."""
    reach = zone_reach(zone_from_latlons(bent_line, closed=False), 300.0)
    naive = LineString([(lon, lat) for lat, lon in bent_line]).buffer(300.0 / 111.32)
    assert geodesic_area_km2(shapely.orient_polygons(naive)) < 0.85 * geodesic_area_km2(reach)


@pytest.mark.parametrize("range_km", [10.0, 50.0, 1000.0, 2500.0], ids=["10km", "50km", "1000km", "2500km"])
def test_line_reach_outline_at_other_ranges(range_km: float) -> None:
    vertices = [(48.0, 35.0), direct(48.0, 35.0, 80.0, 200_000.0)]
    reach = zone_reach(zone_from_latlons(vertices, closed=False), range_km)
    tol = chord_tolerance_m(range_km)
    d = np.array([distance_to_line_m(lat, lon, vertices) for lon, lat in outline_samples(reach, 60)])
    assert range_km * 1000.0 - 2.0 * tol <= d.min() and d.max() <= range_km * 1000.0 + tol, (d.min(), d.max())


# --------------------------------------------------------------------------
# The antimeridian


def test_line_across_the_antimeridian_is_split_where_its_geodesic_crosses() -> None:
    zone = zone_from_latlons([(60.0, 170.0), (62.0, -170.0)], closed=False)
    assert isinstance(zone.geometry, MultiLineString)
    east, west = zone.geometry.geoms
    # GeographicLib: the latitude at which the geodesic reaches 180°.
    line = WGS84.InverseLine(60.0, 170.0, 62.0, -170.0)
    lo, hi = 0.0, line.s13
    for _ in range(80):
        mid = (lo + hi) / 2.0
        lon = line.Position(mid, Geodesic.LONGITUDE | Geodesic.LONG_UNROLL)["lon2"]
        lo, hi = (mid, hi) if lon < 180.0 else (lo, mid)
    crossing_lat = line.Position(lo)["lat2"]
    assert east.coords[-1] == pytest.approx((180.0, crossing_lat), abs=1e-9)
    assert west.coords[0] == pytest.approx((-180.0, crossing_lat), abs=1e-9)


def test_reach_across_the_antimeridian() -> None:
    range_km, tol = 300.0, chord_tolerance_m(300.0)
    vertices = [(60.0, 170.0), (62.0, -170.0)]
    reach = zone_reach(zone_from_latlons(vertices, closed=False), range_km)
    assert isinstance(reach, MultiPolygon) and reach.is_valid
    xmin, _, xmax, _ = reach.bounds
    assert (xmin, xmax) == (-180.0, 180.0)
    assert all(p.exterior.is_ccw for p in reach.geoms)
    # The same line turned 180° about the axis has the same reach (1e-6).
    turned = zone_reach(zone_from_latlons([(60.0, -10.0), (62.0, 10.0)], closed=False), range_km)
    assert geodesic_area_km2(reach) == pytest.approx(geodesic_area_km2(turned), rel=1e-6)
    # The outline is at the range, on both sides of the antimeridian.
    samples = outline_samples(reach, 80)
    assert (samples[:, 0] > 0).any() and (samples[:, 0] < 0).any()
    d = np.array([distance_to_line_m(lat, lon, vertices) for lon, lat in samples])
    assert range_km * 1000.0 - 2.0 * tol <= d.min() and d.max() <= range_km * 1000.0 + tol
    # Leaflet's form is one piece with continuous longitudes.
    unwrapped = coverage_unwrapped([], [zone_from_latlons(vertices, closed=False)], System.custom("t", range_km))
    assert unwrapped.geom_type == "Polygon" and unwrapped.bounds[0] > 160.0 and unwrapped.bounds[2] < 200.0


def test_area_across_the_antimeridian_clicked_in_leaflet_coordinates() -> None:
    """Leaflet reports clicks east of 180° as 190°; they mean the same place as -170°."""
    a = zone_from_latlons([(60.0, 170.0), (62.0, 190.0), (55.0, 185.0)], closed=True)
    b = zone_from_latlons([(60.0, 170.0), (62.0, -170.0), (55.0, -175.0)], closed=True)
    assert a.geometry.equals(b.geometry)
    assert isinstance(a.geometry, MultiPolygon)
    assert geodesic_area_km2(a.geometry) == pytest.approx(
        geodesic_area_km2(zone_from_latlons([(60.0, -10.0), (62.0, 10.0), (55.0, 5.0)], closed=True).geometry),
        rel=1e-9,
    )


# --------------------------------------------------------------------------
# A country


@pytest.fixture(scope="module")
def ukraine_outline_samples() -> np.ndarray:
    """Ukraine's full 1:10m outline, a point every 1 km at most, (lon, lat)."""
    pts = []
    for poly in country("UA").geometry.geoms:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            for (x1, y1), (x2, y2) in itertools.pairwise(xy):
                pts.append([[x1, y1]])
                k = math.ceil(PYPROJ.inv(x1, y1, x2, y2)[2] / 1000.0)
                if k > 1:
                    pts.append(PYPROJ.npts(x1, y1, x2, y2, k - 1))
    return np.vstack([np.asarray(p, dtype=float) for p in pts])


def test_country_reach_outline_is_at_the_range(ukraine_outline_samples: np.ndarray) -> None:
    range_km, tol = 300.0, chord_tolerance_m(300.0)
    reach = zone_reach(zone_from_country("UA"), range_km)
    assert reach.is_valid
    samples = outline_samples(reach, 200)
    ref = ukraine_outline_samples
    d = np.empty(len(samples))
    for i, (lon, lat) in enumerate(samples):
        n = len(ref)
        _, _, dist = PYPROJ.inv(np.full(n, lon), np.full(n, lat), ref[:, 0], ref[:, 1])
        d[i] = dist.min()
    assert d.min() >= range_km * 1000.0 - 2.0 * tol, d.min()
    assert d.max() <= range_km * 1000.0 + tol + 1.0, d.max()  # + the 1 km sampling's 0.4 m


def test_country_reach_area_against_a_dense_reference(ukraine_outline_samples: np.ndarray) -> None:
    """Rings of 256 vertices every 1 km along the full outline, unioned with the country (−22 m chords)."""
    range_km = 300.0
    ref = ukraine_outline_samples
    n = 256
    azimuths = np.tile(np.linspace(360.0, 0.0, n, endpoint=False), len(ref))
    lons, lats, _ = PYPROJ.fwd(
        np.repeat(ref[:, 0], n), np.repeat(ref[:, 1], n), azimuths, np.full(len(azimuths), range_km * 1000.0)
    )
    rings = shapely.polygons(np.stack([lons.reshape(-1, n), lats.reshape(-1, n)], axis=-1))
    dense = shapely.union_all([*rings, country("UA").geometry])
    reach = zone_reach(zone_from_country("UA"), range_km)
    assert geodesic_area_km2(reach) == pytest.approx(geodesic_area_km2(shapely.orient_polygons(dense)), rel=1e-3)
    assert reach.contains(country("UA").geometry.buffer(-1e-6))
    assert reach.contains(Point(34.10, 44.95 - 2.5))  # 280 km south of Simferopol, at sea


def test_country_with_an_enclave_is_reached_inside_its_hole() -> None:
    """South Africa surrounds Lesotho, which is within 300 km of South Africa's border everywhere."""
    reach = zone_reach(zone_from_country("ZA"), 300.0)
    assert reach.contains(country("LS").geometry)


# --------------------------------------------------------------------------
# Properties


short_lines = st.lists(st.tuples(st.floats(-70.0, 70.0), st.floats(-180.0, 180.0)), min_size=2, max_size=4).filter(
    lambda pts: len(set(pts)) >= 2
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed_point=st.tuples(st.floats(-70.0, 70.0), st.floats(-180.0, 180.0)), range_km=st.floats(10.0, 1500.0))
def test_reach_of_random_lines_is_rfc7946_and_contains_the_vertex_rings(
    seed_point: tuple[float, float], range_km: float
) -> None:
    rng = np.random.default_rng(abs(hash(seed_point)) % 2**32)
    vertices = [seed_point]
    for _ in range(int(rng.integers(1, 4))):
        vertices.append(direct(*vertices[-1], rng.uniform(0.0, 360.0), rng.uniform(5_000.0, 400_000.0)))
    zone = zone_from_latlons(vertices, closed=False)
    reach = zone_reach(zone, range_km)
    assert reach.is_valid
    for poly in getattr(reach, "geoms", [reach]):
        assert poly.exterior.is_ccw
    xmin, ymin, xmax, ymax = reach.bounds
    assert xmin >= -180.0 and xmax <= 180.0 and ymin >= -90.0 and ymax <= 90.0
    inner = range_km * 1000.0 - 2.0 * chord_tolerance_m(range_km)
    for lat, lon in vertices:
        for az in range(0, 360, 45):
            plat, plon = direct(lat, lon, az, inner)
            assert reach.covers(Point(plon, plat)), (lat, lon, az)


# --------------------------------------------------------------------------
# Coverage of a system


def test_coverage_merges_points_and_zones_into_one_shape(bent_line: list[tuple[float, float]]) -> None:
    system = System.custom("test", 300.0)
    points = [LaunchPoint(50.9, 34.8), LaunchPoint(52.0, 23.7)]
    zones = [zone_from_latlons(bent_line, closed=False)]
    merged = coverage(points, zones, system)
    parts = [range_ring(p.lat, p.lon, 300.0) for p in points] + [zone_reach(z, 300.0) for z in zones]
    assert merged.is_valid
    assert geodesic_area_km2(merged) == pytest.approx(geodesic_area_km2(shapely.union_all(parts)), rel=1e-6)
    assert coverage_area_km2(points, zones, system) == pytest.approx(geodesic_area_km2(merged), rel=1e-12)
    assert coverage_area_km2(points, zones, system) < sum(geodesic_area_km2(p) for p in parts)


def test_coverage_of_separate_points_adds_up_to_their_rings() -> None:
    system = System.custom("test", 300.0)
    points = [LaunchPoint(50.9, 34.8), LaunchPoint(-33.87, 151.21)]
    exact = sum(ring_area_km2(p.lat, p.lon, 300.0) for p in points)
    # Drawn rings are inscribed polygons: 0.05 % short at most.
    assert coverage_area_km2(points, [], system) == pytest.approx(exact, rel=5e-4)
    assert coverage_area_km2(points, [], system) < exact


def test_minimum_range_holes_points_but_not_zones() -> None:
    system = System.custom("with minimum", 300.0, 100.0)
    point = LaunchPoint(50.0, 30.0)
    donut = coverage([point], [], system)
    assert not donut.contains(Point(30.0, 50.0))
    assert geodesic_area_km2(donut) == pytest.approx(ring_area_km2(50.0, 30.0, 300.0, min_range_km=100.0), rel=5e-4)
    zone = zone_from_latlons([(49.5, 29.0), (50.5, 31.0)], closed=False)
    filled = coverage([point], [zone], system)
    assert filled.contains(Point(30.0, 50.0))
    assert filled.geom_type == "Polygon" and not filled.interiors


def test_coverage_needs_something_to_launch_from() -> None:
    with pytest.raises(InputError, match="at least one launch point or launch zone"):
        coverage([], [], System.custom("test", 300.0))


def test_coverage_feature_properties(catalog: Any) -> None:
    system = System.from_weapon(catalog.get("atacms-300"))
    feature = coverage_feature([LaunchPoint(52.0, 23.7, "Brest")], [zone_from_country("UA")], system)
    props = feature["properties"]
    assert props["weapon_id"] == "atacms-300" and props["range_km"] == system.range_km
    assert props["source_url"].startswith("http")
    assert props["zones"] == ["Ukraine"] and props["launch_points"] == ["Brest"]
    geom = shapely.geometry.shape(feature["geometry"])
    assert props["area_km2"] == pytest.approx(geodesic_area_km2(geom), rel=1e-6)


@pytest.mark.parametrize(
    ("kind", "geometry", "match"),
    [
        pytest.param("circle", LineString([(0, 0), (1, 1)]), r"zone kind: expected .* got 'circle'", id="kind"),
        pytest.param("line", Polygon([(0, 0), (1, 0), (1, 1)]), r"needs a LineString or MultiLineString", id="type"),
        pytest.param("polygon", Polygon(), r"needs a Polygon or MultiPolygon|empty geometry", id="empty"),
    ],
)
def test_zone_checks_its_fields(kind: str, geometry: Any, match: str) -> None:
    with pytest.raises(InputError, match=match):
        Zone(kind, "x", geometry)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Zones clicked on the map


@pytest.mark.parametrize(
    ("points", "closed", "match"),
    [
        pytest.param([(48.0, 35.0)], False, r"a line needs at least 2 distinct points, got 1", id="one-point"),
        pytest.param([(48.0, 35.0), (48.0, 35.0)], False, r"at least 2 distinct points, got 1", id="repeat"),
        pytest.param([(48.0, 35.0), (49.0, 36.0)], True, r"an area needs at least 3 distinct points, got 2", id="two"),
        pytest.param([(48, 35), (49, 36), (50, 37)], True, r"all lie on one line", id="collinear"),
        pytest.param([(48, 35), (50, 37), (48, 37), (50, 35)], True, r"crosses itself", id="bow-tie"),
        pytest.param([(80, 0), (80, 120), (80, -120)], True, r"goes round a pole", id="pole"),
        pytest.param([(95.0, 35.0), (48.0, 36.0)], False, r"latitude 95 is outside -90…90", id="latitude"),
        pytest.param([(float("nan"), 35.0), (48.0, 36.0)], False, r"latitude must be a finite number", id="nan"),
        pytest.param([(48.0,), (48.0, 36.0)], False, r"point 1: expected \(latitude, longitude\)", id="short"),
    ],
)
def test_zone_from_latlons_errors(points: list[Any], closed: bool, match: str) -> None:
    with pytest.raises(InputError, match=match):
        zone_from_latlons(points, closed=closed)


def test_zone_from_latlons_drops_repeated_clicks() -> None:
    z = zone_from_latlons([(48, 35), (48, 35), (49, 36), (48, 37), (48, 35)], closed=True, label="area A")
    assert z.kind == "polygon" and z.label == "area A"
    assert len(z.geometry.exterior.coords) == 4 and z.geometry.exterior.is_ccw


# --------------------------------------------------------------------------
# Uploads

LINE = {"type": "LineString", "coordinates": [[35.0, 48.0], [37.0, 48.5]]}


def fc(*geometries: Any, names: list[Any] | None = None) -> str:
    feats = [
        {"type": "Feature", "properties": {"name": (names or [None] * len(geometries))[i]}, "geometry": g}
        for i, g in enumerate(geometries)
    ]
    return json.dumps({"type": "FeatureCollection", "features": feats})


@pytest.mark.parametrize(
    ("data", "kwargs", "match"),
    [
        pytest.param(
            b" " * 2000 + b"{}", {"max_bytes": 1000}, r"the file is 2,002 bytes; the limit is 1,000", id="size"
        ),
        pytest.param("x" * 6_000_001, {}, r"the file is 6\.0 MB; the limit is 5\.0 MB", id="size-mb"),
        pytest.param(b'{"type": "Point", "coordinates": [1, 2], "x": "\xff"}', {}, r"not UTF-8 text", id="utf8"),
        pytest.param('{"type": "Point",', {}, r"not valid JSON: .* at line 1, column 18", id="json"),
        pytest.param(
            '{"type": "Point", "coordinates": [NaN, 1]}', {}, r"contains NaN, which is not a number", id="nan"
        ),
        pytest.param('{"type": "Point", "coordinates": [1e999, 1]}', {}, r"must be finite numbers", id="inf"),
        pytest.param("[1, 2]", {}, r'not GeoJSON: expected a JSON object with a "type", got a JSON array', id="array"),
        pytest.param('{"features": []}', {}, r'not GeoJSON: the object has no "type" member', id="no-type"),
        pytest.param('{"type": "Topology"}', {}, r"this is TopoJSON, not GeoJSON", id="topojson"),
        pytest.param('{"type": "Circle"}', {}, r"unsupported GeoJSON type 'Circle'", id="type"),
        pytest.param(fc({"type": "Curve", "coordinates": []}), {}, r"unsupported geometry type 'Curve'", id="geom"),
        pytest.param('{"type": "FeatureCollection", "features": []}', {}, r"no shapes found", id="empty"),
        pytest.param(fc(None), {}, r"no shapes found", id="null-geometry"),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[35, 48], [35, 48]]}),
            {},
            r"a line needs at least 2 distinct positions, got 1",
            id="degenerate-line",
        ),
        pytest.param(
            json.dumps({"type": "Polygon", "coordinates": [[[35, 48], [36, 48], [35, 48]]]}),
            {},
            r"a polygon ring needs at least 3 distinct positions, got 2",
            id="degenerate-ring",
        ),
        pytest.param(
            json.dumps({"type": "Polygon", "coordinates": [[[35, 48], [36, 49], [37, 50], [35, 48]]]}),
            {},
            r"the polygon has no area",
            id="flat-polygon",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[48.0, 95.0], [48.5, 97.0]]}),
            {},
            r"coordinates look like lat/lon swapped: GeoJSON positions are \[longitude, latitude\]; got \[48, 95\]",
            id="swapped",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[3500000.5, 6500000], [3600000, 6500000]]}),
            {},
            r"coordinates look projected \(metres\?\): GeoJSON must be WGS84 lon/lat \(RFC 7946\); got \[3\.5e\+06, 6500000\]",
            id="projected",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[120.0, 95.0], [121.0, 96.0]]}),
            {},
            r"latitude 95 is outside -90…90",
            id="latitude",
        ),
        pytest.param(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
                    "features": [],
                }
            ),
            {},
            r"declares the coordinate system 'urn:ogc:def:crs:EPSG::3857': GeoJSON must be WGS84 lon/lat",
            id="crs",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[35 + i / 100, 48] for i in range(11)]}),
            {"max_vertices": 10},
            r"the file has 11 vertices; the limit is 10",
            id="vertices",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[35, 48], ["36", 48]]}),
            {},
            r"coordinates\[1\]: expected a position \[longitude, latitude\], got \[\"36\", 48\]",
            id="position",
        ),
        pytest.param(
            json.dumps({"type": "FeatureCollection", "features": [LINE]}),
            {},
            r'features\[0\]: expected an object with "type": "Feature", got \'LineString\'',
            id="bare-geometry-in-collection",
        ),
    ],
)
def test_upload_errors(data: bytes | str, kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_geojson(data, **kwargs)


def test_upload_crs84_is_accepted() -> None:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    }
    doc["features"] = [{"type": "Feature", "properties": {}, "geometry": LINE}]
    assert [z.kind for z in zones_from_geojson(json.dumps(doc))] == ["line"]


def test_upload_labels_are_plain_text() -> None:
    names = ["<script>alert(1)</script>", "tab\there\x00", "x" * 500, 42]
    zones = zones_from_geojson(fc(LINE, LINE, LINE, LINE, LINE, names=[*names, None]))
    labels = [z.label for z in zones]
    assert labels[0] == "<script>alert(1)</script>"  # kept verbatim; escaping is the renderer's job
    assert labels[1] == "tab here"
    assert len(labels[2]) == 120 and labels[2].endswith("…")
    assert labels[3] == "42"
    assert labels[4] == "feature 5"


def test_upload_points_are_launch_points() -> None:
    data = fc(
        {"type": "Point", "coordinates": [34.8, 50.9]},
        {"type": "MultiPoint", "coordinates": [[35.0, 48.0], [36.0, 49.0, 120.0]]},
        LINE,
        names=["HQ", "pads", "front"],
    )
    upload = read_geojson(data)
    assert upload.points == (
        LaunchPoint(50.9, 34.8, "HQ"),
        LaunchPoint(48.0, 35.0, "pads (1)"),
        LaunchPoint(49.0, 36.0, "pads (2)"),
    )
    assert [z.label for z in upload.zones] == ["front"]
    with pytest.raises(InputError, match=r"the file holds 3 points: points are launch points, not zones"):
        zones_from_geojson(data)


def test_upload_geometry_collection_gives_one_zone_per_kind() -> None:
    square = {"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}
    data = json.dumps(
        {
            "type": "Feature",
            "properties": {"name": "mixed"},
            "geometry": {"type": "GeometryCollection", "geometries": [LINE, square]},
        }
    )
    zones = zones_from_geojson(data)
    assert [(z.kind, z.label) for z in zones] == [("line", "mixed"), ("polygon", "mixed")]


@pytest.mark.parametrize(
    "ring",
    [
        pytest.param([[170, 60], [-170, 60], [-170, 62], [170, 62], [170, 60]], id="jumping-179-to-minus-179"),
        pytest.param([[170, 60], [190, 60], [190, 62], [170, 62], [170, 60]], id="0-to-360-longitudes"),
    ],
)
def test_upload_polygon_not_split_at_the_antimeridian_is_split(ring: list[list[float]]) -> None:
    (zone,) = zones_from_geojson(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert isinstance(zone.geometry, MultiPolygon)
    assert zone.geometry.bounds[0] == -180.0 and zone.geometry.bounds[2] == 180.0
    reference = Polygon([(-10, 60), (10, 60), (10, 62), (-10, 62)])  # the same, turned 180°
    ref_lonlat = zones_from_geojson(json.dumps(shapely.geometry.mapping(reference)))[0].geometry
    # Cut where the geodesic edges cross 180°, so the area (edges as geodesics) is the turned one's.
    assert geodesic_area_km2(zone.geometry) == pytest.approx(geodesic_area_km2(ref_lonlat), rel=1e-6)


def test_upload_self_touching_polygon_is_repaired() -> None:
    bow = {"type": "Polygon", "coordinates": [[[30, 50], [32, 52], [32, 50], [30, 52], [30, 50]]]}
    (zone,) = zones_from_geojson(json.dumps(bow))
    assert zone.geometry.is_valid and zone.geometry.area > 0


# --------------------------------------------------------------------------
# The command line


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUTF8": "1"},
        timeout=120,
        check=False,
    )


def assert_bad_input(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr


def test_cli_rings_from_a_country_and_a_point() -> None:
    result = run("rings", "-w", "atacms-300", "-w", "storm-shadow", "--from-country", "UA", "--at", "52.0,23.7")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["type"] == "FeatureCollection" and "Natural Earth" in doc["attribution"]
    assert [f["properties"]["weapon_id"] for f in doc["features"]] == ["atacms-300", "storm-shadow"]
    for f in doc["features"]:
        props = f["properties"]
        assert set(props) >= {"weapon_id", "weapon_name", "range_km", "area_km2", "source_url", "zones"}
        assert props["zones"] == ["Ukraine"] and props["launch_points"] == ["52.00, 23.70"]
        geom = shapely.geometry.shape(f["geometry"])
        assert geom.is_valid and all(p.exterior.is_ccw for p in getattr(geom, "geoms", [geom]))
        assert props["area_km2"] == pytest.approx(geodesic_area_km2(geom), rel=1e-5)
        assert geom.contains(Point(34.10, 44.95)) and geom.contains(Point(23.7, 52.0))


def test_cli_rings_from_geojson_files(tmp_path: Path) -> None:
    front = tmp_path / "front.geojson"
    front.write_text(fc(LINE, {"type": "Point", "coordinates": [30.5, 50.45]}, names=["front", "Kyiv"]), "utf-8")
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps({"type": "Polygon", "coordinates": [[[30, 46], [31, 46], [31, 47], [30, 46]]]}))
    result = run(
        "rings", "--range-km", "100", "--from-geojson", front, "--from-geojson", area, "-o", tmp_path / "o.json"
    )
    assert result.returncode == 0, result.stderr
    (f,) = json.loads((tmp_path / "o.json").read_text("utf-8"))["features"]
    assert f["properties"]["zones"] == ["front", "feature 1"]
    assert f["properties"]["launch_points"] == ["Kyiv"]
    assert f["properties"]["range_km"] == 100.0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(["--from-country", "XX"], "unknown country 'XX'", id="country"),
        pytest.param(["--from-geojson", "missing.geojson"], "cannot read missing.geojson", id="missing-file"),
        pytest.param([], "the following arguments are required: --at (or a launch zone", id="nothing"),
    ],
)
def test_cli_rings_zone_errors(args: list[str], fragment: str) -> None:
    assert_bad_input(run("rings", "--range-km", "300", *args), fragment)


def test_cli_rings_bad_geojson_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "metres.geojson"
    bad.write_text(json.dumps({"type": "LineString", "coordinates": [[3500000, 6500000], [3600000, 6500000]]}))
    assert_bad_input(run("rings", "--range-km", "300", "--from-geojson", bad), f"{bad}: coordinates look projected")


@pytest.mark.parametrize("command", ["rings", "image", "reach"])
def test_cli_geojson_from_a_device_is_read_with_a_byte_limit(command: str, tmp_path: Path) -> None:
    # stat() says 0 bytes for /dev/zero: the old size check passed it and the
    # read never ended (issue 13). The read itself now stops after the limit.
    extra = ["-o", str(tmp_path / "x.png")] if command == "image" else []
    assert_bad_input(
        run(command, "--range-km", "300", "--from-geojson", "/dev/zero", *extra),
        "/dev/zero: the file is larger than 5 MB, the limit",
    )


def test_cli_geojson_from_a_fifo_is_read_with_a_byte_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "rings", "--range-km", "300", "--from-geojson", str(fifo)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with fifo.open("wb") as writer:
        try:
            for _ in range(7):  # 7 MB and more to come: the reader stops at the limit and exits
                writer.write(b" " * 1_000_000)
                writer.flush()
        except BrokenPipeError:
            pass
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "the file is larger than 5 MB, the limit" in err and "Traceback" not in err
