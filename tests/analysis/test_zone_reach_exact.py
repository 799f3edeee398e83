"""Reach from a launch zone is exact whatever the zone's vertices (issue 9, section 1).

The contract: every vertex of a zone's coverage outline lies at the range
from the zone, within ``tol = max(0.05 % of the range, 50 m)``; every point
of the zone, and every point within ``range - tol`` of it, is covered; no
point beyond ``range + tol`` is. And the places a zone reaches are exactly
those within range of it.

The authority: the zone sampled densely along its edges in their meaning
(straight in lon/lat for files and Natural Earth borders, RFC 7946 §3.1.1;
straight on the Web Mercator map for clicked lines), written in
tests/zone_reference.py from those definitions, and pyproj's ``Geod.inv``
(GeographicLib) from each point to every nearby sample. Sampling every
500 m overstates a distance by at most 0.5²/8r km (0.1 m at 300 km); for
countries every 2 km (1.7 m at 300 km, 5 m at 100 km).

Before issue 9, the 21-point line along 50° N gave an outline 251.9 km south
and 348.1 km north of the line (bench/bench_zone_exact.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString

from geo.analysis.reach import cities_in_reach
from geo.analysis.zone_reach import reach_centres, zone_reach, zone_size
from geo.core.buffer import MAX_ZONE_CENTRES
from geo.core.rings import chord_tolerance_m
from geo.datasets.gazetteer import load_gazetteer
from geo.errors import InputError
from geo.scenario.model import System
from geo.scenario.share import decode_zone, shareable
from geo.scenario.uploads import read_geojson
from geo.scenario.zones import Zone, zone_from_country, zone_from_latlons
from tests.zone_reference import (
    PYPROJ,
    dense_area,
    direct,
    distance_to_samples_m,
    outline_vertices,
    zone_samples,
)


def _upload(geometry: dict[str, object]) -> Zone:
    return read_geojson(json.dumps(geometry)).zones[0]


def _line_upload(coords: list[list[float]]) -> Zone:
    return _upload({"type": "LineString", "coordinates": coords})


PARALLEL_50N = [[20.0 + i, 50.0] for i in range(21)]

# id: (zone, edge meaning by construction, range km, sampling step m)
CASES: dict[str, tuple[Callable[[], Zone], str, float, float]] = {
    "parallel-50N-21-points-geojson": (lambda: _line_upload(PARALLEL_50N), "lonlat", 300.0, 500.0),
    "parallel-50N-clicked": (
        lambda: zone_from_latlons([(50.0, 20.0), (50.0, 40.0)], closed=False),
        "mercator",
        300.0,
        500.0,
    ),
    "parallel-70N-1000km-edge": (lambda: _line_upload([[10.0, 70.0], [40.0, 70.0]]), "lonlat", 100.0, 500.0),
    "meridian-30E": (lambda: _line_upload([[30.0, 45.0], [30.0, 52.0], [30.0, 60.0]]), "lonlat", 300.0, 500.0),
    "diagonal-1990km-geojson": (lambda: _line_upload([[20.0, 45.0], [40.0, 58.0]]), "lonlat", 300.0, 500.0),
    "diagonal-1990km-clicked": (
        lambda: zone_from_latlons([(45.0, 20.0), (58.0, 40.0)], closed=False),
        "mercator",
        300.0,
        500.0,
    ),
    "zigzag-0.01deg": (
        lambda: _line_upload([[20.0 + i, 50.0 + 0.01 * (i % 2)] for i in range(21)]),
        "lonlat",
        300.0,
        500.0,
    ),
    "antimeridian-chukotka-geojson": (lambda: _line_upload([[175.0, 65.0], [-175.0, 66.0]]), "lonlat", 300.0, 500.0),
    "antimeridian-chukotka-clicked": (
        lambda: zone_from_latlons([(65.0, 175.0), (66.0, -175.0)], closed=False),
        "mercator",
        300.0,
        500.0,
    ),
    "area-clicked-long-edges": (
        lambda: zone_from_latlons([(44.0, 20.0), (56.0, 24.0), (50.0, 44.0)], closed=True),
        "mercator",
        300.0,
        500.0,
    ),
    "country-UA": (lambda: zone_from_country("UA"), "lonlat", 300.0, 2000.0),
    "country-DK-islands": (lambda: zone_from_country("DK"), "lonlat", 100.0, 2000.0),
}


@pytest.fixture(scope="module", params=list(CASES), ids=list(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Zone, str, float, object, np.ndarray]:
    make, meaning, range_km, step_m = CASES[request.param]
    zone = make()
    return zone, meaning, range_km, zone_reach(zone, range_km), zone_samples(zone.geometry, meaning, step_m)


def test_every_outline_vertex_is_at_the_range(case: tuple[Zone, str, float, object, np.ndarray]) -> None:
    _, _, range_km, reach, samples = case
    tol = chord_tolerance_m(range_km)
    xy = outline_vertices(reach)
    d = distance_to_samples_m(xy[:, 0], xy[:, 1], samples) - range_km * 1000.0
    assert reach.is_valid
    assert d.min() >= -tol and d.max() <= tol, (d.min(), d.max(), tol)


def test_the_zone_and_everything_within_range_is_covered(case: tuple[Zone, str, float, object, np.ndarray]) -> None:
    zone, meaning, range_km, reach, samples = case
    tol = chord_tolerance_m(range_km)
    r_m = range_km * 1000.0
    shapely.prepare(reach)
    # The zone itself, sampled in its meaning (lon/lat, back within ±180°).
    own = samples[np.linspace(0, len(samples) - 1, min(len(samples), 3000)).astype(int)].copy()
    own[:, 0] = (own[:, 0] + 180.0) % 360.0 - 180.0
    assert shapely.intersects_xy(reach, own[:, 0], own[:, 1]).all()
    # Points scattered around the outline, classified by brute force.
    rng = np.random.default_rng(9)
    xy = outline_vertices(reach)
    pick = xy[rng.integers(0, len(xy), 600)]
    pts = np.array([direct(lat, lon, rng.uniform(0, 360), rng.uniform(0, 5 * tol + 2000)) for lon, lat in pick])
    plat, plon = pts[:, 0], pts[:, 1]
    d = distance_to_samples_m(plon, plat, samples)
    if zone.kind != "line":
        inside = shapely.intersects_xy(dense_area(zone.geometry, meaning), np.unwrap(plon, period=360.0), plat)
        d = np.where(inside, 0.0, d)
    covered = shapely.intersects_xy(reach, plon, plat)
    assert covered[d <= r_m - tol].all()
    assert not covered[d >= r_m + tol].any()
    assert (d <= r_m - tol).sum() > 50 and (d >= r_m + tol).sum() > 50


def test_the_50N_line_reaches_300_km_both_sides() -> None:
    """The issue's example: 251.9 km south and 348.1 km north before."""
    reach = zone_reach(_line_upload(PARALLEL_50N), 300.0)
    cut = shapely.intersection(shapely.get_rings(shapely.get_parts(reach)), LineString([(30.0, 40.0), (30.0, 60.0)]))
    lats = shapely.get_coordinates(cut)[:, 1]
    south = PYPROJ.inv(30.0, 50.0, 30.0, float(lats[lats < 50].max()))[2]
    north = PYPROJ.inv(30.0, 50.0, 30.0, float(lats[lats > 50].min()))[2]
    assert south == pytest.approx(300_000.0, abs=150.0) and north == pytest.approx(300_000.0, abs=150.0)


def test_places_in_reach_of_the_50N_line_match_a_brute_force() -> None:
    """Every GeoNames place (≥ 15,000 people) within 300 km of the line, and no other (Orël is 330 km away)."""
    zone = _line_upload(PARALLEL_50N)
    rows = cities_in_reach([], [System.custom("x", 300.0)], zones=[zone])
    got = {r.geonameid for r in rows}
    g = load_gazetteer(15_000)
    box = (g.lat > 44.0) & (g.lat < 56.0) & (g.lon > 5.0) & (g.lon < 55.0)
    rows_box = np.flatnonzero(box)
    d = distance_to_samples_m(g.lon[rows_box], g.lat[rows_box], zone_samples(zone.geometry, "lonlat", 200.0))
    want = {int(g.geonameid[i]) for i in rows_box[d <= 300_000.0]}
    # No place sits within 5 m of the range, where the references' own metre-level error could decide.
    assert not (np.abs(d - 300_000.0) < 5.0).any()
    assert got == want
    orel = [i for i in rows_box if g.name[i] in ("Orël", "Oryol", "Orel")]
    assert orel and all(int(g.geonameid[i]) not in got for i in orel)
    assert len(want) > 100


def test_clicked_lines_keep_their_meaning_in_the_link() -> None:
    clicked = zone_from_latlons([(45.0, 20.0), (58.0, 40.0)], closed=False, label="front")
    assert clicked.edges == "mercator" and clicked.spec == "line:45,20;58,40~front"
    assert decode_zone(clicked.spec) == clicked
    # An old link decodes to the same vertices, read as clicked.
    old = decode_zone("line:45,20;58,40~front")
    assert old == clicked and old.geometry.equals(clicked.geometry)
    # A small upload is carried as lonlat-line and comes back the same zone.
    upload = _line_upload([[20.0, 45.0], [40.0, 58.0]])
    carried = shareable(upload)
    assert carried.spec is not None and carried.spec.startswith("lonlat-line:")
    assert carried.edges == "lonlat" and carried.geometry.equals(upload.geometry)
    assert decode_zone(carried.spec) == carried
    area = decode_zone("lonlat-area:44,20;56,24;50,44")
    assert area.kind == "polygon" and area.edges == "lonlat"
    # The meanings differ on the ground: 1,990 km diagonals, 52 km apart midway.
    assert zone_reach(clicked, 300.0).symmetric_difference(zone_reach(upload, 300.0)).area > 0.1


def test_a_line_across_the_antimeridian_is_cut_on_its_own_path() -> None:
    upload = _line_upload([[175.0, 65.0], [-175.0, 66.0]])
    clicked = zone_from_latlons([(65.0, 175.0), (66.0, -175.0)], closed=False)
    assert upload.geometry.geoms[0].coords[-1] == pytest.approx((180.0, 65.5))  # half way, straight in lon/lat
    merc = clicked.geometry.geoms[0].coords[-1]
    y = np.log(np.tan(np.pi / 4 + np.radians([65.0, 66.0]) / 2))
    assert merc == pytest.approx((180.0, np.degrees(2 * np.arctan(np.exp(y.mean())) - np.pi / 2)))


@pytest.mark.parametrize(
    "zone",
    [
        pytest.param(lambda: _line_upload([[-170.0, 85.0], [170.0, 85.0]]), id="lonlat-near-the-pole"),
        pytest.param(lambda: zone_from_latlons([(84.0, -170.0), (84.0, 10.0)], closed=False), id="mercator-85N"),
        pytest.param(lambda: zone_from_country("CA"), id="CA"),
        pytest.param(lambda: _line_upload(PARALLEL_50N), id="50N"),
    ],
)
@pytest.mark.parametrize("range_km", [50.0, 300.0])
def test_the_centre_estimate_is_an_upper_bound(zone: Callable[[], Zone], range_km: float) -> None:
    z = zone()
    assert reach_centres(z, range_km) <= zone_size(z).centres_bound


def test_a_hostile_zigzag_with_long_edges_near_the_pole_is_bounded_quickly() -> None:
    """Densifying in the edges' meaning must not be a way round MAX_ZONE_CENTRES (issue 13)."""
    coords = [[170.0 * (i % 2), 89.0 - 0.0001 * i] for i in range(20_000)]  # 170° edges along 89° N
    assert len(coords) < MAX_ZONE_CENTRES  # refused for its edges, not for its vertex count
    with pytest.raises(InputError, match="too long or detailed"):
        _line_upload(coords)
