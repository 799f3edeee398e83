"""Douglas–Peucker simplification that no input can crash.

GEOS simplifies recursively, one level per vertex kept in the worst case: a
zig-zag line of 60,000 vertices overflows an 8 MB stack and kills the whole
process with a segmentation fault (found with a 200,000-vertex upload, issue
13). Here lines and rings are cut into runs of at most :data:`CHUNK_VERTICES`
vertices, each simplified on its own (their end points kept), which bounds
the depth whatever the shape. Each run is within the tolerance of its
original, so the whole is too.

Tolerances are in the units of the coordinates (degrees here).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LinearRing, LineString, MultiLineString, MultiPolygon, Polygon

__all__ = ["CHUNK_VERTICES", "simplify_geometry", "simplify_xy"]

#: Vertices per run handed to GEOS. The stack needs about 140 bytes per level
#: (60,000 overflowed 8 MB), and a pathological run costs n² distance
#: computations: 1,000 keeps both small (0.3 s for 200,000 zig-zag vertices)
#: and adds one kept vertex per 1,000 to real outlines.
CHUNK_VERTICES: Final = 1_000


def simplify_xy(xy: NDArray[np.float64], tolerance: float) -> NDArray[np.float64]:
    """Douglas–Peucker on an (n, 2) vertex array, in runs of :data:`CHUNK_VERTICES`.

    The first and last vertices are kept (so a closed ring stays closed), and
    so is every ``CHUNK_VERTICES``-th vertex where the runs meet.

    Examples
    --------
    >>> zigzag = np.array([[i * 0.1, 80.0 * (i % 2)] for i in range(100_000)])  # 60,000 crashed GEOS
    >>> len(simplify_xy(zigzag, 0.01)) == len(zigzag)  # nothing to drop, and no crash
    True
    >>> simplify_xy(np.array([[0.0, 0.0], [1.0, 0.001], [2.0, 0.0]]), 0.01).tolist()
    [[0.0, 0.0], [2.0, 0.0]]
    """
    xy = np.asarray(xy, dtype=float)
    if len(xy) <= 2:
        return xy
    pieces: list[NDArray[np.float64]] = []
    step = CHUNK_VERTICES - 1
    for start in range(0, len(xy) - 1, step):
        run = xy[start : start + CHUNK_VERTICES]
        if len(run) < 2:
            break
        simple = np.asarray(shapely.simplify(LineString(run), tolerance, preserve_topology=False).coords)
        if len(simple) < 2:  # a run that folds back onto its start keeps its ends
            simple = run[[0, -1]]
        pieces.append(simple if not pieces else simple[1:])
    return np.vstack(pieces)


def _ring(coords: Any, tolerance: float) -> NDArray[np.float64] | None:
    xy = simplify_xy(np.asarray(coords, dtype=float), tolerance)
    return xy if len(np.unique(xy, axis=0)) >= 3 else None


def simplify_geometry(geom: Any, tolerance: float) -> Any:
    """Simplify lines and polygons ring by ring with :func:`simplify_xy`.

    Polygons are rebuilt from their simplified rings and repaired when that
    made them invalid (rings that collapse are dropped); lines keep their end
    points. Other geometries are returned unchanged.

    Examples
    --------
    >>> square = Polygon([(0, 0), (1, 0.0001), (2, 0), (2, 2), (0, 2)])
    >>> len(simplify_geometry(square, 0.01).exterior.coords)
    5
    """
    if isinstance(geom, LineString | LinearRing):
        return LineString(simplify_xy(np.asarray(geom.coords), tolerance))
    if isinstance(geom, MultiLineString):
        return MultiLineString([simplify_geometry(g, tolerance) for g in geom.geoms])
    if isinstance(geom, Polygon):
        shell = _ring(geom.exterior.coords, tolerance)
        if shell is None:
            return Polygon()
        holes = [h for h in (_ring(r.coords, tolerance) for r in geom.interiors) if h is not None]
        poly = Polygon(shell, holes)
        return poly if poly.is_valid else shapely.make_valid(poly)
    if isinstance(geom, MultiPolygon):
        parts = [simplify_geometry(g, tolerance) for g in geom.geoms]
        merged = shapely.union_all([p for p in parts if not p.is_empty])
        return merged
    return geom
