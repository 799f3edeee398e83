"""Douglas–Peucker simplification that no input can crash.

GEOS simplifies recursively, one level per vertex kept in the worst case: a
zig-zag line of 60,000 vertices overflows an 8 MB stack and kills the whole
process with a segmentation fault (found with a 200,000-vertex upload, issue
13). Here lines and rings are cut into runs of at most :data:`CHUNK_VERTICES`
vertices, each simplified on its own (their end points kept), which bounds
the depth whatever the shape. Each run is within the tolerance of its
original, so the whole is too.

:func:`simplify_xy` takes its tolerance in the units of the coordinates
(degrees): for drawing only. Geometry that is measured (a zone's reach, the
distance to a zone) is simplified with :func:`simplify_metric`, whose
tolerance is in metres on the ground, after the edges were densified in their
meaning (:func:`geo.core.edges.densify_edges`): a tolerance in degrees is a
different number of metres in longitude and latitude, and the long edge it
leaves behind would be read as a geodesic, not as the edge that was given.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LinearRing, LineString, MultiLineString, MultiPolygon, Polygon

__all__ = [
    "CHUNK_VERTICES",
    "MAX_KEPT_EDGE_M",
    "METRIC_CHUNK_VERTICES",
    "simplify_geometry",
    "simplify_metric",
    "simplify_metric_many",
    "simplify_xy",
]

#: Vertices per run handed to GEOS. The stack needs about 140 bytes per level
#: (60,000 overflowed 8 MB), and a pathological run costs n² distance
#: computations: 1,000 keeps both small (0.3 s for 200,000 zig-zag vertices)
#: and adds one kept vertex per 1,000 to real outlines.
CHUNK_VERTICES: Final = 1_000


#: Vertices per run of :func:`simplify_metric`. Each level of its vectorised
#: Douglas–Peucker costs one pass over the run's remaining vertices, and a
#: zig-zag takes one level per kept vertex: 256 bounds that to 0.1 s for
#: 250,000 zig-zag vertices, and adds one kept vertex per 256 to real outlines.
METRIC_CHUNK_VERTICES: Final = 256
#: :func:`simplify_metric` keeps no edge longer than this, m: up to here the
#: geodesic between two points and the plane through them and the Earth's
#: centre (which the distances are measured to) agree within millimetres.
MAX_KEPT_EDGE_M: Final = 200_000.0
# WGS84 (a, e²).
_A: Final = 6_378_137.0
_E2: Final = 6.69437999014e-3


def _ecef(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Earth-centred (x, y, z) in metres of (lon, lat) degrees on the WGS84 surface."""
    lam, phi = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    n = _A / np.sqrt(1.0 - _E2 * np.sin(phi) ** 2)
    return np.column_stack(
        [n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - _E2) * np.sin(phi)]
    )


def _segment_distance_m(a: NDArray[np.float64], b: NDArray[np.float64], p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Distance from surface points ``p`` to the edges from ``a`` to ``b`` (rows, ECEF m).

    Across the edge: to the plane through a, b and the Earth's centre (the
    ground distance to a short geodesic, within millimetres); beyond either
    end: to that end.
    """
    normal = np.cross(a, b)
    norm = np.linalg.norm(normal, axis=1)
    cross = np.abs(np.einsum("ij,ij->i", p, normal)) / np.where(norm > 0.0, norm, 1.0)
    ab = b - a
    before = np.einsum("ij,ij->i", p - a, ab) < 0.0
    after = np.einsum("ij,ij->i", p - b, ab) > 0.0
    to_a = np.linalg.norm(p - a, axis=1)
    to_b = np.linalg.norm(p - b, axis=1)
    out: NDArray[np.float64] = np.where(
        (norm <= 1e-6 * np.linalg.norm(a, axis=1) ** 2) | before, to_a, np.where(after, to_b, cross)
    )
    # a == b (a closed ring's ends): the distance to that point.
    return np.where(np.linalg.norm(ab, axis=1) == 0.0, to_a, out)


def simplify_metric(xy: NDArray[np.float64], tolerance_m: float) -> NDArray[np.float64]:
    """Douglas–Peucker in metres on the ground, for (lon, lat) vertices read as short geodesic edges.

    Every dropped vertex lies within ``tolerance_m`` of the kept edge that
    replaces it (distances to the edge as a segment, not as an endless line,
    so the kept path and the original are within ``tolerance_m`` of each other
    both ways). Kept edges are at most :data:`MAX_KEPT_EDGE_M` long. The
    first and last vertices are kept, and every
    :data:`METRIC_CHUNK_VERTICES`-th, which bounds the work on any input.

    Examples
    --------
    >>> line = np.array([[20.0 + i * 0.01, 0.0001 * (i % 2)] for i in range(101)])  # 11 m teeth on the equator
    >>> len(simplify_metric(line, 20.0)), len(simplify_metric(line, 5.0))
    (2, 101)
    """
    return simplify_metric_many([xy], tolerance_m)[0]


def simplify_metric_many(chains: list[NDArray[np.float64]], tolerance_m: float) -> list[NDArray[np.float64]]:
    """:func:`simplify_metric` of many lines at once (a country's thousands of islands in one pass)."""
    arrays = [np.asarray(c, dtype=np.float64).reshape(-1, 2) for c in chains]
    sizes = np.array([len(c) for c in arrays], dtype=np.int64)
    if not len(arrays) or sizes.sum() == 0:
        return arrays
    xy = np.vstack(arrays)
    n = len(xy)
    p = _ecef(xy)
    begin = np.cumsum(sizes) - sizes
    keep = np.zeros(n, dtype=bool)
    local = np.arange(n) - np.repeat(begin, sizes)
    keep[local % (METRIC_CHUNK_VERTICES - 1) == 0] = True
    keep[(begin + sizes - 1)[sizes > 0]] = True
    kept = np.flatnonzero(keep)
    # Runs between consecutive kept vertices of one chain.
    chain_of = np.repeat(np.arange(len(arrays)), sizes)
    same = chain_of[kept[:-1]] == chain_of[kept[1:]]
    starts, ends = kept[:-1][same], kept[1:][same]
    while len(starts):
        inner = ends - starts - 1
        live = inner > 0
        starts, ends, inner = starts[live], ends[live], inner[live]
        if not len(starts):
            break
        seg = np.repeat(np.arange(len(starts)), inner)
        offsets = np.cumsum(inner) - inner
        idx = np.arange(int(inner.sum())) - np.repeat(offsets, inner) + starts[seg] + 1
        d = _segment_distance_m(p[starts[seg]], p[ends[seg]], p[idx])
        worst = np.maximum.reduceat(d, offsets)
        # The first vertex at each run's largest distance.
        hit = np.flatnonzero(d == worst[seg])
        first = hit[np.unique(seg[hit], return_index=True)[1]]
        at = idx[first]
        long = np.linalg.norm(p[ends] - p[starts], axis=1) > MAX_KEPT_EDGE_M
        at = np.where((worst <= tolerance_m) & long, (starts + ends) // 2, at)
        split = (worst > tolerance_m) | long
        # A split near one end (a zig-zag's first tooth) leaves a run almost as
        # long as before: cut it in the middle too, so the levels stay about
        # log2 of the run (keeping a vertex more only makes the result closer).
        mid = (starts + ends) // 2
        lopsided = split & (np.minimum(at - starts, ends - at) * 8 < inner) & (mid != at)
        heads = np.concatenate([starts[split], at[split], mid[lopsided]])
        tails = np.concatenate([at[split], ends[split], mid[lopsided]])
        keep[heads] = True
        starts, ends = np.sort(heads), np.sort(tails)
    return [xy[b : b + k][keep[b : b + k]] for b, k in zip(begin.tolist(), sizes.tolist(), strict=True)]


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
