"""The reach of launch zones (issue 5), checked against independent references.

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

Tolerance (geo/core/buffer.py): the outline of a zone's reach is within
``-2 · tol … +tol`` of the true one, ``tol = chord_tolerance_m(range)``
(150 m at 300 km).
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon

from geo.analysis.coverage import coverage_unwrapped
from geo.analysis.zone_reach import zone_reach
from geo.core.rings import chord_tolerance_m, geodesic_area_km2, ring_vertices
from geo.datasets.countries import country
from geo.scenario.model import System
from geo.scenario.zones import zone_from_country, zone_from_latlons
from tests.zone_reference import (
    PYPROJ,
    WGS84,
    dense_area,
    direct,
    distance_to_samples_m,
    outline_samples,
    zone_samples,
)


@functools.lru_cache(maxsize=16)
def _clicked_samples(vertices: tuple[tuple[float, float], ...]) -> np.ndarray:
    return zone_samples(LineString([(lon, lat) for lat, lon in vertices]), "mercator", 200.0)


def clicked_distance_m(lat: float, lon: float, vertices: list[tuple[float, float]]) -> float:
    """Distance to a line clicked on the map (its edges straight on Web Mercator, issue 9), m.

    The line sampled every 200 m (tests/zone_reference.py; 0.1 m too long at
    50 km), then pyproj's ``Geod.inv`` to the samples.
    """
    xy = _clicked_samples(tuple((float(a), float(b)) for a, b in vertices))
    return float(distance_to_samples_m(np.array([lon]), np.array([lat]), xy)[0])


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
    d = np.array([clicked_distance_m(lat, lon, bent_line) for lon, lat in outline_samples(reach, 150)])
    assert d.min() >= range_km * 1000.0 - tol, d.min()
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
        d = clicked_distance_m(plat, plon, bent_line)
        if d <= r_m - tol:
            inside += 1
            assert reach.contains(Point(plon, plat)), (plat, plon, d)
        elif d >= r_m + tol:
            outside += 1
            assert not reach.contains(Point(plon, plat)), (plat, plon, d)
    # And well inside: anywhere within range of a random point of the line.
    line = _clicked_samples(tuple(bent_line))
    for _ in range(100):
        lon, lat = line[int(rng.integers(0, len(line)))]
        plat, plon = direct(lat, lon, rng.uniform(0.0, 360.0), rng.uniform(0.0, r_m - tol))
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
    d = np.array([clicked_distance_m(lat, lon, vertices) for lon, lat in outline_samples(reach, 60)])
    assert range_km * 1000.0 - tol <= d.min() and d.max() <= range_km * 1000.0 + tol, (d.min(), d.max())


# --------------------------------------------------------------------------
# The antimeridian


def test_line_across_the_antimeridian_is_split_where_its_drawn_line_crosses() -> None:
    """A clicked line is straight on Web Mercator: it reaches 180° where that straight line does (issue 9)."""
    zone = zone_from_latlons([(60.0, 170.0), (62.0, -170.0)], closed=False)
    assert isinstance(zone.geometry, MultiLineString)
    east, west = zone.geometry.geoms
    # Half way in Mercator y = ln tan(π/4 + φ/2), as longitude is half way.
    y = np.log(np.tan(np.pi / 4.0 + np.radians([60.0, 62.0]) / 2.0)).mean()
    crossing_lat = float(np.degrees(2.0 * np.arctan(np.exp(y)) - np.pi / 2.0))
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
    d = np.array([clicked_distance_m(lat, lon, vertices) for lon, lat in samples])
    assert range_km * 1000.0 - tol <= d.min() and d.max() <= range_km * 1000.0 + tol
    # Leaflet's form is one piece with continuous longitudes.
    unwrapped = coverage_unwrapped([], [zone_from_latlons(vertices, closed=False)], System.custom("t", range_km))
    assert unwrapped.geom_type == "Polygon" and unwrapped.bounds[0] > 160.0 and unwrapped.bounds[2] < 200.0


def test_area_across_the_antimeridian_clicked_in_leaflet_coordinates() -> None:
    """Leaflet reports clicks east of 180° as 190°; they mean the same place as -170°."""
    a = zone_from_latlons([(60.0, 170.0), (62.0, 190.0), (55.0, 185.0)], closed=True)
    b = zone_from_latlons([(60.0, 170.0), (62.0, -170.0), (55.0, -175.0)], closed=True)
    assert a.geometry.equals(b.geometry)
    assert isinstance(a.geometry, MultiPolygon)
    # Its edges in their meaning (straight on the map), turned 180° about the axis: the same area.
    turned = zone_from_latlons([(60.0, -10.0), (62.0, 10.0), (55.0, 5.0)], closed=True)
    area_a = sum(
        abs(PYPROJ.geometry_area_perimeter(p)[0]) for p in shapely.get_parts(dense_area(a.geometry, "mercator"))
    )
    area_t = abs(PYPROJ.geometry_area_perimeter(dense_area(turned.geometry, "mercator"))[0])
    assert area_a == pytest.approx(area_t, rel=1e-6)


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
