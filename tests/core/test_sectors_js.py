"""The drag preview of a range fan (``WRM.sectorGeometry`` in ``static/wrm/wrm-rings.js``, issue 12)
against the server's fan, :func:`geo.core.sectors.sector_polygon_unwrapped`.

While a marker with a fan is dragged the browser draws the fan; after the drop the server's
replaces it, so the two must be the same polygon. In Node **and** headless Chromium, over a grid
(fans facing each way, narrow and wide, with and without a minimum range, across ±180°, round one
pole, refused round both) and 300 random fans:

- the ring's vertex count is :func:`geo.core.rings.vertex_count`, and the arc's vertices are the
  ring's own azimuths plus the two edges: as many as the server's;
- every vertex of the polygon is the server's, in the same order up to the starting vertex,
  within 1 mm (pyproj's ``Geod.inv``) and 1e-9° of longitude (the same unwrapping);
- every vertex of the outer arc is at the range from the launch point within 1 mm, and each
  radial's vertices lie on the edge azimuth within 1e-7°, by GeographicLib's Python ``Inverse``
  (an authority apart from both ports' ``Direct``);
- ``WRM.sectorLatLngs`` rounded to 5 decimals is what the map is sent after the drop;
- a fan containing both poles gives no preview, as the server refuses it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyproj
import pytest
from geographiclib.geodesic import Geodesic

from geo.core.rings import MAX_RANGE_KM, vertex_count
from geo.core.sectors import Sector, sector_polygon_unwrapped
from geo.errors import InputError
from geo.export.geojson import outline_geojson
from tests.core.wrm_js import HERE, each, engine_results, node_script, run_chromium, run_node

GEOD = pyproj.Geod(ellps="WGS84")
G = Geodesic.WGS84
TOL_M = 1e-3
TOL_LON = 1e-9

Fan = tuple[float, float, float, float, float, float]


def _grid() -> list[Fan]:
    out: list[Fan] = []
    for lat in (-89.9, -85.0, -50.0, 0.0, 50.9, 65.0, 85.0, 89.9):
        for lon in (34.8, 179.9, -179.9, 180.0):
            for km, mn in ((10.0, 0.0), (300.0, 0.0), (500.0, 50.0), (2500.0, 0.0), (5500.0, 1000.0)):
                for az, width in ((60.0, 90.0), (0.0, 120.0), (180.0, 45.0), (270.0, 300.0), (359.5, 1.0)):
                    out.append((lat, lon, km, mn, az, width))
    out.append((50.9, 34.8, 19000.0, 0.0, 90.0, 300.0))  # both poles: refused
    out.append((-89.9, 34.8, 500.0, 50.0, 180.0, 300.0))  # the pole inside the minimum range: no closure
    return out


def _random(count: int = 300) -> list[Fan]:
    rng = np.random.default_rng(20261201)
    out: list[Fan] = []
    for _ in range(count):
        lat = float(np.degrees(np.arcsin(rng.uniform(-1, 1))))
        km = float(np.exp(rng.uniform(0.0, math.log(MAX_RANGE_KM / 2))))
        mn = float(km * rng.uniform(0.05, 0.9)) if rng.random() < 0.4 else 0.0
        az, width = float(rng.uniform(0, 360)), float(rng.uniform(1, 350))
        out.append(
            (
                round(lat, 6),
                round(float(rng.uniform(-180, 180)), 6),
                round(km, 3),
                round(mn, 3),
                round(az, 3),
                round(width, 3),
            )
        )
    return out


CASES = _grid() + _random()


def _server(case: Fan) -> Any:
    lat, lon, km, mn, az, width = case
    try:
        return sector_polygon_unwrapped(lat, lon, km, Sector.at(az, width), min_range_km=mn)
    except InputError:
        return None


SERVER = [_server(c) for c in CASES]


def _run_node() -> list[dict[str, Any]]:
    return run_node(node_script(HERE / "sector_runner.js"), CASES)


def _run_chromium(browser: Any) -> list[dict[str, Any]]:
    return run_chromium(browser, HERE / "sector_runner.js", "(cases) => wrmRunSectors(WRM, cases)", CASES)


_RESULTS: dict[str, list[dict[str, Any]]] = {}


@pytest.fixture(scope="module", params=["node", "chromium"])
def js(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return engine_results(request, _RESULTS, _run_node, _run_chromium)


def _each(check: Any) -> None:
    each(check, CASES, "fans")


def _dedupe(xy: np.ndarray, tol: float = 1e-9) -> np.ndarray:
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


def _same_ring(mine: np.ndarray, server: np.ndarray) -> None:
    a, b = _dedupe(mine), _dedupe(server)
    assert len(a) == len(b), f"{len(a)} vertices, server {len(b)}"
    k = int(np.argmin(np.max(np.abs(b - a[0]), axis=1)))
    b = np.roll(b, -k, axis=0)
    _, _, d = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    i = int(np.argmax(d))
    assert d[i] <= TOL_M, f"vertex {i} is {d[i]:.3g} m from the server's"
    assert np.max(np.abs(a[:, 0] - b[:, 0])) <= TOL_LON, "longitudes unwrapped differently"


def test_the_cases_cover_what_they_claim() -> None:
    """Fans round a pole, across ±180° and refused ones are all in the grid (a test that cannot fail is a defect)."""
    refused = [c for c, s in zip(CASES, SERVER, strict=True) if s is None]
    assert refused and len(refused) < len(CASES) // 10
    at_pole = [s for s in SERVER if s is not None and max(abs(y) for _, y in s.exterior.coords) == 90.0]
    across = [s for s in SERVER if s is not None and (s.bounds[0] < -180.0 or s.bounds[2] > 180.0)]
    assert len(at_pole) > 20 and len(across) > 20


def test_vertex_counts_are_the_servers(js: list[dict[str, Any]]) -> None:
    def check(i: int) -> None:
        lat, _lon, km, _mn, az, width = CASES[i]
        assert js[i]["n"] == vertex_count(lat, km), "ring vertex count"
        step = 360.0 / js[i]["n"]
        inner = [a for a in js[i]["arc"][1:-1]]
        assert js[i]["arc"][0] == pytest.approx(az + width / 2, abs=1e-12), "clockwise edge"
        assert js[i]["arc"][-1] == pytest.approx(az - width / 2, abs=1e-12), "counter-clockwise edge"
        assert all(abs(a / step - round(a / step)) < 1e-9 for a in inner), "the ring's own azimuths in between"
        assert len(inner) == len({round(a / step) for a in inner}) >= int(width / step) - 1, "every ring azimuth once"

    _each(check)


def test_fans_are_the_servers(js: list[dict[str, Any]]) -> None:
    def check(i: int) -> None:
        server = SERVER[i]
        if server is None:
            assert js[i]["polygons"] is None and js[i]["latlngs"] == [], "a fan round both poles is refused"
            return
        assert server.geom_type == "Polygon" and not server.interiors
        (poly,) = js[i]["polygons"]
        (ring,) = poly
        _same_ring(np.column_stack(ring), np.asarray(server.exterior.coords))

    _each(check)


def test_arc_and_radials_against_geographiclib(js: list[dict[str, Any]]) -> None:
    """The arc at the range and the radials on the edge azimuths, by GeographicLib's Python Inverse."""

    def check(i: int) -> None:
        lat, lon, km, mn, az, width = CASES[i]
        if js[i]["polygons"] is None or abs(lat) >= 89.0:  # azimuths from near a pole are ill-conditioned
            return
        xy = np.column_stack(js[i]["polygons"][0][0])
        edges = ((az + width / 2) % 360.0, (az - width / 2) % 360.0)
        on_arc = on_radial = 0
        for x, y in xy:
            if abs(y) == 90.0:
                continue  # the closure along a pole
            inv = G.Inverse(lat, lon, float(y), float(x))
            if abs(inv["s12"] - km * 1000.0) <= TOL_M:
                on_arc += 1
            elif inv["s12"] > 1.0 and min(abs((inv["azi1"] - e + 180) % 360 - 180) for e in edges) <= 1e-7:
                on_radial += 1
            elif not (mn and abs(inv["s12"] - mn * 1000.0) <= TOL_M) and inv["s12"] > 1e-3:
                raise AssertionError(f"vertex {x}, {y} is on neither the arcs nor a radial ({inv['s12']:.3f} m)")
        assert on_arc >= len(js[i]["arc"]), f"{on_arc} vertices at the range, {len(js[i]['arc'])} arc azimuths"
        assert on_radial >= 2, "radials"

    _each(check)


def test_leaflet_latlngs_are_what_the_map_is_sent(js: list[dict[str, Any]]) -> None:
    def check(i: int) -> None:
        server = SERVER[i]
        if server is None:
            return
        sent = np.asarray(outline_geojson(server)["coordinates"][0], float)
        (poly,) = js[i]["latlngs"]
        mine = np.asarray(poly[0], float)[:, ::-1]
        a, b = _dedupe(np.round(mine, 5), 1.5e-5), _dedupe(sent, 1.5e-5)
        assert len(a) == len(b), f"{len(a)} vertices, sent {len(b)}"
        k = int(np.argmin(np.max(np.abs(b - a[0]), axis=1)))
        assert np.max(np.abs(a - np.roll(b, -k, axis=0))) <= 1e-5 + 1e-9, "coordinates"

    _each(check)
