"""Edges in their meaning, densified to short geodesics, and simplification in metres (issue 9).

Authorities: the meanings written from their definitions in
tests/zone_reference.py (linear in lon/lat; linear in spherical Web Mercator
x and y), and GeographicLib (``geographiclib.geodesic``) for distances to
geodesic edges (tests/zone_reference.py, ``distance_to_edge_m``).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.edges import DENSE_M, densify_edges, insert_crossings_in
from geo.core.simplify import MAX_KEPT_EDGE_M, simplify_metric
from tests.zone_reference import PYPROJ, WGS84, distance_to_edge_m, sample_path

edge = st.tuples(
    st.floats(-170.0, 170.0), st.floats(-84.0, 84.0), st.floats(-60.0, 60.0), st.floats(-30.0, 30.0)
).filter(lambda e: abs(e[2]) + abs(e[3]) > 0.01 and -84.0 <= e[1] + e[3] <= 84.0)


def _gap_to_path_m(lon: float, lat: float, a: np.ndarray, b: np.ndarray, meaning: str) -> float:
    """Distance from a point to the path from a to b in ``meaning``: to the nearest of 400 samples'
    chords, in the point's local east/north plane (chords of a few metres: millimetres of error)."""
    path = sample_path(np.array([a, b]), meaning, max(1.0, PYPROJ.inv(a[0], a[1], b[0], b[1])[2] / 400.0))
    az, _, d = PYPROJ.inv(np.full(len(path), lon), np.full(len(path), lat), path[:, 0], path[:, 1])
    xy = np.column_stack([d * np.sin(np.radians(az)), d * np.cos(np.radians(az))])
    p, q = xy[:-1], xy[1:]
    t = np.clip(np.einsum("ij,ij->i", -p, q - p) / np.maximum(np.einsum("ij,ij->i", q - p, q - p), 1e-12), 0.0, 1.0)
    return float(np.hypot(*(p + (q - p) * t[:, None]).T).min())


@settings(max_examples=40, deadline=None)
@given(e=edge, meaning=st.sampled_from(["lonlat", "mercator"]))
def test_densified_edges_are_geodesics_within_a_metre_of_the_meaning(
    e: tuple[float, float, float, float], meaning: str
) -> None:
    lon, lat, dlon, dlat = e
    xy = np.array([[lon, lat], [lon + dlon, lat + dlat]])
    dense = densify_edges(xy, meaning)  # type: ignore[arg-type]
    assert dense[0].tolist() == xy[0].tolist() and dense[-1].tolist() == xy[-1].tolist()
    # The middle of geodesics between consecutive vertices, against the path between them in its
    # meaning (a piece of a straight line in lon/lat or on the map is the straight line between its ends).
    pick = np.unique(np.linspace(0, len(dense) - 2, min(len(dense) - 1, 60)).astype(int))
    for k in pick:
        (x1, y1), (x2, y2) = dense[k], dense[k + 1]
        g = WGS84.InverseLine(y1, x1, y2, x2)
        mid = g.Position(g.s13 / 2.0, Geodesic.STANDARD | Geodesic.LONG_UNROLL)
        gap = _gap_to_path_m(mid["lon2"], mid["lat2"], dense[k], dense[k + 1], meaning)
        assert gap <= DENSE_M + 0.01, (k, gap)


def test_a_parallel_is_not_its_geodesic() -> None:
    """The issue's example: 20° E to 40° E along 50° N; the geodesic bows 48 km north."""
    xy = np.array([[20.0, 50.0], [40.0, 50.0]])
    dense = densify_edges(xy, "lonlat")
    assert (dense[:, 1] == 50.0).all() and len(dense) > 100
    lat = WGS84.Direct(50.0, 20.0, WGS84.Inverse(50.0, 20.0, 50.0, 40.0)["azi1"], 716_000.0)["lat2"]
    assert PYPROJ.inv(30.0, 50.0, 30.0, lat)[2] == pytest.approx(48_100.0, abs=100.0)


def test_crossings_of_the_antimeridian_in_each_meaning() -> None:
    xy = np.array([[170.0, 60.0], [190.0, 62.0]])
    assert insert_crossings_in(xy, "lonlat")[1].tolist() == [180.0, 61.0]
    y = np.log(np.tan(np.pi / 4 + np.radians([60.0, 62.0]) / 2)).mean()
    assert insert_crossings_in(xy, "mercator")[1, 1] == pytest.approx(np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2))


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    lat=st.floats(-80.0, 80.0),
    tol_m=st.sampled_from([5.0, 45.0, 500.0]),
)
def test_metric_simplification_keeps_every_vertex_within_the_tolerance(seed: int, lat: float, tol_m: float) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    lons = 30.0 + np.cumsum(rng.uniform(0.0, 0.05, n))
    lats = lat + np.cumsum(rng.normal(0.0, 0.002, n))
    xy = np.column_stack([lons, lats])
    kept = simplify_metric(xy, tol_m)
    assert kept[0].tolist() == xy[0].tolist() and kept[-1].tolist() == xy[-1].tolist()
    index = [int(np.flatnonzero((xy == k).all(axis=1))[0]) for k in kept]
    assert index == sorted(index)
    for i, j in itertools.pairwise(index):
        a, b = (xy[i, 1], xy[i, 0]), (xy[j, 1], xy[j, 0])
        assert WGS84.Inverse(*a, *b)["s12"] <= MAX_KEPT_EDGE_M + 1.0
        for k in range(i + 1, j):
            assert distance_to_edge_m(xy[k, 1], xy[k, 0], a, b) <= tol_m + 0.01


def test_metric_simplification_is_in_metres_not_degrees() -> None:
    """A degree of longitude is 111 km at the equator and 19 km at 80° N: the same teeth, the same answer."""
    for lat in (0.0, 80.0):
        teeth = np.array([[20.0 + i * 0.01, lat + 0.0001 * (i % 2)] for i in range(101)])  # 11 m north
        assert len(simplify_metric(teeth, 5.0)) == 101
        assert len(simplify_metric(teeth, 20.0)) < 10
