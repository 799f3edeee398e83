"""Range fans (issue 12) against GeographicLib and pyproj.

- vertices at the range: 1 mm from GeographicLib's inverse distance;
- radials: every radial vertex on the geodesic from the launch point at the
  edge azimuth (GeographicLib's inverse azimuth within 1e-7°);
- area: the one area method against pyproj's ``geometry_area_perimeter`` of a
  dense outline (20 ppm), and against width/360 of the exact ring area;
  four 90° fans tile the ring (20 ppm).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon

from geo.core.antimeridian import split_polygon
from geo.core.area import outline_area_km2
from geo.core.rings import chord_tolerance_m, ring_area_km2
from geo.core.sectors import Sector, sector_outline, sector_polygon_unwrapped
from geo.errors import InputError

G = Geodesic.WGS84


def _distances_m(lat: float, lon: float, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out = [G.Inverse(lat, lon, float(y), float(x)) for x, y in xy]
    return np.array([o["s12"] for o in out]), np.array([o["azi1"] for o in out]) % 360.0


@pytest.mark.parametrize(
    ("lat", "lon", "range_km", "az", "width"),
    [
        (50.9, 34.8, 300, 60, 90),
        (65.0, 175.0, 2500, 90, 120),
        (-33.9, 151.2, 1500, 300, 45),
        (0.0, -179.5, 800, 270, 30),
    ],
)
def test_arc_vertices_on_the_range_and_radials_geodesic(lat, lon, range_km, az, width):
    sector = Sector.at(az, width)
    xy = sector_outline(lat, lon, range_km, sector)[:-1]
    dist, azi = _distances_m(lat, lon, xy)
    r_m = range_km * 1000.0
    on_arc = np.abs(dist - r_m) < 1e-3
    inside = ~on_arc & (dist > 0.5)
    # Arc vertices: exactly at the range (1 mm) and within the sector.
    assert on_arc.sum() >= 3
    assert all(sector.contains(float(a)) for a in azi[on_arc])
    # Everything else is on a radial: azimuth is one edge, distance short of the range.
    edges = np.array([sector.start_deg, sector.end_deg])
    off = np.min(np.abs((azi[inside, None] - edges[None, :] + 180.0) % 360.0 - 180.0), axis=1)
    assert inside.sum() >= 2
    assert off.max() < 1e-7
    assert dist[inside].max() < r_m
    # The arc steps no wider than the ring's (same vertex contract): the arc's
    # chord error is the ring's, within chord_tolerance_m.
    arc = xy[on_arc]
    step = max(G.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in itertools.pairwise(arc))
    from geo.core.rings import vertex_count

    assert step <= 2 * np.pi * r_m / vertex_count(lat, range_km) * 1.01
    assert chord_tolerance_m(range_km) > 0


def test_area_against_pyproj_dense_outline_and_the_ring_share():
    lat, lon, range_km = 50.9, 34.8, 300
    sector = Sector.at(60, 90)
    fan = sector_polygon_unwrapped(lat, lon, range_km, sector)
    area = outline_area_km2(fan)
    # Dense reference: the same sector with ~50 m steps, geodesic edges, pyproj's area.
    end, start = 105.0, 15.0
    az = np.linspace(end, start, 20_000)
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(np.full(az.size, lon), np.full(az.size, lat), az, np.full(az.size, 300e3))
    ref = Polygon([(lon, lat), *zip(lon2, lat2, strict=True)])
    ref_area, _ = Geod(ellps="WGS84").geometry_area_perimeter(ref)
    assert area == pytest.approx(abs(ref_area) / 1e6, rel=2e-5)
    assert area == pytest.approx(ring_area_km2(lat, lon, range_km) * 90 / 360, rel=2e-3)


@pytest.mark.parametrize("min_range_km", [0.0, 100.0])
def test_four_fans_tile_the_ring(min_range_km):
    lat, lon, range_km = 48.5, 35.0, 500
    total = sum(
        outline_area_km2(sector_polygon_unwrapped(lat, lon, range_km, Sector.at(a, 90), min_range_km=min_range_km))
        for a in (0, 90, 180, 270)
    )
    assert total == pytest.approx(ring_area_km2(lat, lon, range_km, min_range_km=min_range_km), rel=2e-5)


def test_fan_across_the_antimeridian_splits_into_valid_rfc7946_pieces():
    fan = sector_polygon_unwrapped(65.0, 175.0, 2500, Sector.at(90, 120))
    assert fan.bounds[2] > 180.0  # one piece unwrapped for the map
    split = split_polygon(fan)
    assert isinstance(split, MultiPolygon) and split.is_valid
    assert split.bounds[0] >= -180.0 and split.bounds[2] <= 180.0
    # Anchorage-ish, 150° W at 62° N: due east of the launch point and within 2,500 km? check by GeographicLib.
    inv = G.Inverse(65.0, 175.0, 62.0, -150.0)
    assert inv["s12"] < 2_500e3 and Sector.at(90, 120).contains(inv["azi1"] % 360)
    assert split.contains(Point(-150.0, 62.0))
    assert not split.contains(Point(175.0, 70.0))  # due north: outside the sector
    assert outline_area_km2(fan) == pytest.approx(ring_area_km2(65.0, 175.0, 2500) / 3, rel=5e-3)


def test_fan_around_a_pole_is_closed_along_it():
    fan = sector_polygon_unwrapped(80.0, 20.0, 2000, Sector.at(0, 90))
    assert fan.is_valid and fan.bounds[3] == 90.0
    assert fan.contains(Point(100.0, 89.0))  # beyond the pole, 200 km from it: within the fan
    assert outline_area_km2(fan) == pytest.approx(ring_area_km2(80.0, 20.0, 2000) / 4, rel=1e-2)


def test_bad_sectors_are_refused_with_a_message():
    with pytest.raises(InputError, match="width"):
        Sector.at(60, 0)
    with pytest.raises(InputError, match="width"):
        Sector.at(60, 360)
    with pytest.raises(InputError, match="bearing"):
        Sector.at(float("nan"), 90)
    with pytest.raises(InputError, match="both poles"):
        sector_polygon_unwrapped(0.0, 0.0, 15_000, Sector.at(90, 300))


def test_sector_link_round_trip():
    for s in (Sector.at(60, 90), Sector.at(359.5, 0.5), Sector.at(0, 359.9)):
        assert Sector.parse_link(s.link()) == s
    assert Sector.parse_link("Sumy") is None


@pytest.mark.parametrize("lat", [-89.9, 89.95], ids=["south", "north"])
def test_a_pole_inside_the_minimum_range_is_in_the_hole_not_closed_along(lat):
    """Issue 12: from 11 km off a pole with a 50 km minimum range the pole lies in the hole.

    The fan was closed along the pole as if it held it, and the repair of that
    shape gave a MultiPolygon of slivers. Now: one valid polygon that does not
    reach the pole, and four 90° fans still tile the annulus.
    """
    fans = [sector_polygon_unwrapped(lat, 34.8, 500, Sector.at(a, 90), min_range_km=50) for a in (0, 90, 180, 270)]
    for fan in fans:
        assert isinstance(fan, Polygon) and fan.is_valid and not fan.interiors
        assert max(abs(y) for _, y in fan.exterior.coords) < 90.0
    total = sum(outline_area_km2(f) for f in fans)
    assert total == pytest.approx(ring_area_km2(lat, 34.8, 500, min_range_km=50), rel=2e-5)
