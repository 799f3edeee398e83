"""References shared by the launch-zone tests: GeographicLib distances to lines, outline samples, a bent line.

The authorities are described in tests/analysis/test_zone_reach.py.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon

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


# --------------------------------------------------------------------------
# Zones sampled densely in their edges' meaning (issue 9), and brute-force distances to them.
# Written here from the definitions, not from geo.core.edges: straight in (lon, lat) is
# linear in both degrees (RFC 7946 §3.1.1); straight on the map is linear in spherical
# Web Mercator x and y = ln tan(π/4 + φ/2) (EPSG:3857, as Leaflet projects).


def _merc_y(lat: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4.0 + np.radians(lat) / 2.0))


def _merc_lat(y: np.ndarray) -> np.ndarray:
    return np.degrees(2.0 * np.arctan(np.exp(y)) - np.pi / 2.0)


def _edge(a: np.ndarray, b: np.ndarray, t: np.ndarray, meaning: str) -> np.ndarray:
    if meaning == "lonlat":
        return a + (b - a) * t[:, None]
    if meaning == "mercator":
        y = _merc_y(np.array([a[1]])) + (_merc_y(np.array([b[1]])) - _merc_y(np.array([a[1]]))) * t
        return np.column_stack([a[0] + (b[0] - a[0]) * t, _merc_lat(y)])
    raise ValueError(meaning)


def sample_path(xy: np.ndarray, meaning: str, step_m: float = 500.0) -> np.ndarray:
    """(lon, lat) points along an unwrapped vertex path, every ``step_m`` at most along each edge in its meaning."""
    out = [xy[:1]]
    for a, b in itertools.pairwise(np.asarray(xy, dtype=float)):
        coarse = _edge(a, b, np.linspace(0.0, 1.0, 65), meaning)
        length = PYPROJ.line_length(coarse[:, 0], coarse[:, 1])
        k = max(1, math.ceil(length / step_m))
        out.append(_edge(a, b, np.linspace(0.0, 1.0, k + 1)[1:], meaning))
    return np.vstack(out)


def unwrapped_lines(geom: object) -> list[np.ndarray]:
    """Every line and ring of a geometry as (lon, lat) arrays, consecutive vertices joined the short way."""
    out = []
    for part in shapely.get_parts(geom):
        lines = [part.exterior, *part.interiors] if isinstance(part, Polygon) else [part]
        for line in lines:
            xy = np.asarray(line.coords, dtype=float)
            xy[:, 0] = np.unwrap(xy[:, 0], period=360.0)
            out.append(xy)
    return out


def zone_samples(geom: object, meaning: str, step_m: float = 500.0) -> np.ndarray:
    """The outline of a zone (lines, rings), sampled every ``step_m`` along its edges in ``meaning``."""
    return np.vstack([sample_path(xy, meaning, step_m) for xy in unwrapped_lines(geom)])


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def distance_to_samples_m(lons: np.ndarray, lats: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """Geodesic distance (pyproj ``Geod.inv``) from each point to the nearest of ``samples``, m.

    Candidates are picked on the unit sphere (within 1 % + 5 km of the nearest
    there, more than the sphere's 0.56 % error), then solved exactly.
    """
    lons, lats = np.atleast_1d(np.asarray(lons, float)), np.atleast_1d(np.asarray(lats, float))
    su = _unit(samples[:, 0], samples[:, 1])
    out = np.empty(len(lons))
    chunk = max(1, 5_000_000 // len(samples))
    for start in range(0, len(lons), chunk):
        pu = _unit(lons[start : start + chunk], lats[start : start + chunk])
        ang = np.arccos(np.clip(pu @ su.T, -1.0, 1.0)) * 6_371_008.8
        near = ang <= ang.min(axis=1, keepdims=True) * 1.01 + 5_000.0
        rows, cols = np.nonzero(near)
        _, _, d = PYPROJ.inv(lons[start + rows], lats[start + rows], samples[cols, 0], samples[cols, 1])
        best = np.full(len(pu), np.inf)
        np.minimum.at(best, rows, d)
        out[start : start + chunk] = best
    return out


def dense_area(geom: object, meaning: str, step_m: float = 500.0) -> object:
    """A polygonal zone with its edges in ``meaning`` (for "inside the zone": distance 0)."""
    polys = []
    for part in shapely.get_parts(geom):
        rings = [sample_path(xy, meaning, step_m) for xy in unwrapped_lines(part)]
        polys.append(shapely.make_valid(Polygon(rings[0], rings[1:])))
    return shapely.union_all(polys)


def outline_vertices(geom: Polygon | MultiPolygon) -> np.ndarray:
    """Every vertex of the exterior and interior rings, less the cuts along ±180°, (lon, lat)."""
    xy = shapely.get_coordinates(shapely.get_rings(shapely.get_parts(geom)))
    return xy[np.abs(np.abs(xy[:, 0]) - 180.0) > 1e-9]
