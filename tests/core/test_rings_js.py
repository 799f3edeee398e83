"""The map's live drag preview (``static/wrm/wrm-rings.js``, issue 10) against the server's rings.

While a marker is dragged the browser draws its rings with GeographicLib's own
JavaScript (``static/wrm/geographiclib-geodesic.min.js``) and a port of
:mod:`geo.core.rings`; after the drop the server's rings replace them. For
the swap to show no jump the two must be the same ring. The module runs in
Node **and** in headless Chromium (their V8s differ in the last bits) over a
grid of launch points and ranges (poles, antimeridian, 1 km to 19,950 km,
with and without a minimum range, rings grazing a pole, round one pole and
round both) and 400 random cases; for each case:

- the vertex counts equal :func:`geo.core.rings.vertex_count` (outer and inner);
- the outline equals the server's: the same azimuths bit for bit (including
  those the pole refinement inserts), every vertex within 1 mm of pyproj's
  (``Geod.inv``), longitudes within 1e-9° (the same unwrapping);
- the ring equals :func:`geo.core.rings.range_ring_unwrapped` (what the map
  draws): the same polygons and holes, the same vertices in the same order up
  to where GEOS starts each ring, each within 1 mm and 1e-9° of longitude,
  exteriors counter-clockwise and holes clockwise;
- ``WRM.ringLatLngs`` rounded to 5 decimals equals
  :func:`geo.export.geojson.map_outline` (the GeoJSON the map is sent).

Node comes from Debian's ``nodejs`` (``.ci/run`` installs it). Without Node or
Chromium the tests skip on a developer's machine and fail under ``CI=true``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyproj
import pytest

from geo.core import rings
from geo.core.coords import normalize_lon
from geo.export.geojson import map_outline
from tests.core.wrm_js import HERE, WRM, each, engine_results, run_chromium, run_node

GEOD = pyproj.Geod(ellps="WGS84")
TOL_M = 1e-3  # 1 mm
TOL_LON = 1e-9  # degrees: the same unwrapping
DUP_DEG = 1e-9  # consecutive vertices closer than this are one (GEOS noding noise)

Case = tuple[float, float, float, float]


def _grid() -> list[Case]:
    lats = [-90.0, -89.9, -89.0, -60.0, -30.0, 0.0, 30.0, 50.9, 60.0, 85.0, 89.9, 90.0]
    lons = [34.8, 179.9, -179.9, 180.0, -180.0, 0.0]
    ranges = [1, 10, 77, 165, 300, 1000, 2500, 5500, 9000, 10500, 12000, 15000, 18000, 19950]
    out = [
        (lat, lon, float(r), round(r * frac, 3))
        for lat in lats
        for lon in lons
        for r in ranges
        for frac in (0.0, 0.3, 0.8)
    ]
    # Rings grazing a pole (10 m short of it, 10 m past it), as outer and as inner rings.
    for lat in (-89.9, -89.0, -60.0, 0.0, 45.0, 89.9):
        _, _, dist = GEOD.inv([10.0, 10.0], [lat, lat], [10.0, 10.0], [90.0, -90.0])
        for d in dist:
            if d / 1000.0 > rings.MAX_RANGE_KM:
                continue
            for eps in (-0.01, 0.01):
                km = d / 1000.0 + eps
                out.append((lat, 10.0, km, 0.0))
                out.append((lat, 10.0, min(km * 1.5, rings.MAX_RANGE_KM), km))
    return out


def _random(count: int = 400) -> list[Case]:
    rng = np.random.default_rng(20240610)
    out = []
    for _ in range(count):
        lat = float(np.degrees(np.arcsin(rng.uniform(-1, 1))))
        lon = float(rng.uniform(-180, 180))
        km = float(np.exp(rng.uniform(0.0, math.log(rings.MAX_RANGE_KM))))
        mn = float(km * rng.uniform(0.05, 0.95)) if rng.random() < 0.4 else 0.0
        out.append((round(lat, 6), round(lon, 6), round(km, 3), round(mn, 3)))
    return out


CASES = _grid() + _random()


def _run_node() -> list[dict[str, Any]]:
    return run_node([str(HERE / "node_runner.js")], CASES)


def _run_chromium(browser: Any) -> list[dict[str, Any]]:
    """The same cases in headless Chromium: the scripts from disk, every request aborted."""
    return run_chromium(browser, HERE / "case_runner.js", "(cases) => wrmRunCases(WRM, cases)", CASES)


_RESULTS: dict[str, list[dict[str, Any]]] = {}


@pytest.fixture(scope="module", params=["node", "chromium"])
def js(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    """What wrm-rings.js computes for every case, in Node and in Chromium."""
    return engine_results(request, _RESULTS, _run_node, _run_chromium)


def _each(check: Callable[[int], None]) -> None:
    """Run ``check`` on every case; report every failing case (the first 10) at once."""
    each(check, CASES)


# ---------------------------------------------------------------- helpers


def _close(xy_js: np.ndarray, xy_py: np.ndarray, what: str) -> None:
    """Vertex by vertex: within 1 mm and 1e-9 degrees of longitude."""
    assert xy_js.shape == xy_py.shape, f"{what}: {len(xy_js)} vertices, server {len(xy_py)}"
    _, _, d = GEOD.inv(xy_js[:, 0], xy_js[:, 1], xy_py[:, 0], xy_py[:, 1])
    d = np.asarray(d)
    i = int(np.argmax(d))
    assert d[i] <= TOL_M, f"{what}: vertex {i} is {d[i]:.3g} m from the server's ({xy_js[i]} vs {xy_py[i]})"
    dlon = np.abs(xy_js[:, 0] - xy_py[:, 0])
    j = int(np.argmax(dlon))
    assert dlon[j] <= TOL_LON, f"{what}: vertex {j} longitude {xy_js[j, 0]!r} vs {xy_py[j, 0]!r}"


def _dedupe(xy: np.ndarray, tol: float = DUP_DEG) -> np.ndarray:
    """Drop the closing vertex and consecutive vertices within ``tol`` degrees (cyclically)."""
    xy = np.asarray(xy, float)
    if len(xy) > 1 and np.array_equal(xy[0], xy[-1]):
        xy = xy[:-1]
    keep = [0]
    for i in range(1, len(xy)):
        if np.max(np.abs(xy[i] - xy[keep[-1]])) > tol:
            keep.append(i)
    while len(keep) > 1 and np.max(np.abs(xy[keep[-1]] - xy[keep[0]])) <= tol:
        keep.pop()
    return xy[keep]


def _cyclic(xy_js: np.ndarray, xy_py: np.ndarray, what: str) -> None:
    """Same ring up to where it starts: the server's rotated to start at the JS ring's first vertex."""
    a, b = _dedupe(xy_js), _dedupe(xy_py)
    assert len(a) == len(b), f"{what}: {len(a)} vertices, server {len(b)}"
    k = int(np.argmin(np.max(np.abs(b - a[0]), axis=1)))
    _close(a, np.roll(b, -k, axis=0), what)


def _server_polygons(geom: Any) -> list[list[np.ndarray]]:
    return [
        [np.asarray(p.exterior.coords)] + [np.asarray(h.coords) for h in p.interiors]
        for p in getattr(geom, "geoms", [geom])
    ]


def _bounds(xy: np.ndarray) -> np.ndarray:
    return np.concatenate([xy.min(axis=0), xy.max(axis=0)])


def _pair(js_items: list[Any], py_items: list[Any], key: Callable[[Any], np.ndarray]) -> list[tuple[Any, Any]]:
    """Pair rings or polygons by their bounding boxes (GEOS orders them its own way)."""
    left = list(range(len(py_items)))
    pairs = []
    for item in js_items:
        best = min(left, key=lambda j: float(np.max(np.abs(key(item) - key(py_items[j])))))
        left.remove(best)
        pairs.append((item, py_items[best]))
    return pairs


def _area2(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return float(np.sum((np.roll(x, 1) - x) * (np.roll(y, 1) + y)))


# ------------------------------------------------------------------ tests


def test_vertex_counts_are_the_servers(js: list[dict[str, Any]]) -> None:
    def check(i: int) -> None:
        lat, _lon, r, m = CASES[i]
        assert js[i]["outer"]["n"] == rings.vertex_count(lat, r), "outer count"
        if m > 0:
            assert js[i]["inner"]["n"] == rings.vertex_count(lat, m), "inner count"

    _each(check)


def test_outlines_are_the_servers(js: list[dict[str, Any]]) -> None:
    """The outline before the polygon is built: ``rings._ring_outline`` (private, so through disk_polygon's input)."""

    def check(i: int) -> None:
        lat, lon, r, m = CASES[i]
        for key, km in (("outer", r), ("inner", m)):
            if km <= 0:
                continue
            o = js[i][key]
            # ring_vertices is the public face of the outline; the azimuths are those
            # np.linspace(360, 0, n) gives, plus the refinement's: rebuilt from the vertices' own.
            lons, lats = rings.ring_vertices(lat, normalize_lon(lon) if lon != 180.0 else 180.0, km * 1000.0, o["n"])
            assert len(o["x"]) == len(lons), f"{key}: {len(o['x'])} vertices after refinement, server {len(lons)}"
            if len(o["az"]) == o["n"]:
                assert np.array_equal(np.asarray(o["az"]), np.linspace(360.0, 0.0, o["n"], endpoint=False)), key
            _close(np.column_stack([o["x"], o["y"]]), np.column_stack([lons, lats]), key)

    _each(check)


def test_rings_are_the_servers(js: list[dict[str, Any]]) -> None:
    def check(i: int) -> None:
        lat, lon, r, m = CASES[i]
        assert js[i]["exact"], "the module fell back to an approximate shape"
        server = _server_polygons(rings.range_ring_unwrapped(lat, lon, r, min_range_km=m))
        mine = [[np.column_stack(ring) for ring in poly] for poly in js[i]["polygons"]]
        assert len(mine) == len(server), f"{len(mine)} polygons, server {len(server)}"
        for pj, pp in _pair(mine, server, key=lambda p: _bounds(p[0])):
            assert len(pj) == len(pp), f"{len(pj) - 1} holes, server {len(pp) - 1}"
            _cyclic(pj[0], pp[0], "exterior")
            for hj, hp in _pair(pj[1:], pp[1:], key=_bounds):
                _cyclic(hj, hp, "hole")
            assert _area2(pj[0]) > 0 and all(_area2(h) < 0 for h in pj[1:]), "orientation"

    _each(check)


def test_leaflet_latlngs_are_the_map_outline(js: list[dict[str, Any]]) -> None:
    """What Leaflet draws during the drag vs the GeoJSON the map is sent after it (5 decimals)."""

    def check(i: int) -> None:
        lat, lon, r, m = CASES[i]
        gj = map_outline(((lat, lon),), r, m)
        polys = gj["coordinates"] if gj["type"] == "MultiPolygon" else [gj["coordinates"]]
        server = [[np.asarray(ring, float) for ring in poly] for poly in polys]
        mine = [[np.asarray(ring, float)[:, ::-1] for ring in poly] for poly in js[i]["latlngs"]]
        assert len(mine) == len(server), "polygons"
        for pj, pp in _pair(mine, server, key=lambda p: _bounds(p[0])):
            assert len(pj) == len(pp), "holes"
            for rj, rp in [(pj[0], pp[0]), *_pair(pj[1:], pp[1:], key=_bounds)]:
                # Two GEOS vertices 1e-12 apart may round to neighbouring 1e-5 steps: one vertex.
                a, b = _dedupe(np.round(rj, 5), 1.5e-5), _dedupe(rp, 1.5e-5)
                assert len(a) == len(b), f"{len(a)} vertices, server {len(b)}"
                k = int(np.argmin(np.max(np.abs(b - a[0]), axis=1)))
                # Equal after rounding, but for a value within 1e-12 of a rounding boundary.
                assert np.max(np.abs(a - np.roll(b, -k, axis=0))) <= 1e-5 + 1e-9, "coordinates"

    _each(check)


def test_a_marker_dragged_a_world_away_gets_its_rings_round_it() -> None:
    """Leaflet does not wrap a dragged marker's longitude: the ring is the server's for the
    normalised longitude (as ``check_latlon`` gives the server), moved round the marker."""
    script = (
        f"const W = require({json.dumps(str(WRM / 'wrm-rings.js'))});"
        f"W.use(require({json.dumps(str(WRM / 'geographiclib-geodesic.min.js'))}));"
        "process.stdout.write(JSON.stringify(W.ringLatLngs(50.9, 34.8 + 720, 300, 0)));"
    )
    drawn = np.asarray(run_node(["-e", script], None)[0][0])
    server = np.asarray(map_outline(((50.9, 34.8),), 300.0)["coordinates"][0])
    assert len(drawn) == len(server) - 1  # Leaflet's rings are not closed
    k = int(np.argmin(np.abs(server[:, 1] - drawn[0, 0]) + np.abs(server[:, 0] + 720.0 - drawn[0, 1])))
    server = np.roll(server[:-1], -k, axis=0)
    assert np.max(np.abs(np.round(drawn[:, 1] - 720.0, 5) - server[:, 0])) <= 1e-5 + 1e-9
    assert np.max(np.abs(np.round(drawn[:, 0], 5) - server[:, 1])) <= 1e-5 + 1e-9
