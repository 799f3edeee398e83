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
