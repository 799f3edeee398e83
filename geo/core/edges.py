"""What an edge between two vertices means, and the same path as short geodesics.

Two (lon, lat) vertices do not say which path joins them. A launch zone's
edges have one of three meanings (DESIGN.md §6, README "Launch zones"):

``"lonlat"``
    A straight line in (lon, lat) degrees: RFC 7946 §3.1.1 ("a line between
    two positions is a straight Cartesian line"), so every GeoJSON file and
    the Natural Earth borders. Along a parallel this is the parallel, not the
    geodesic, which bows towards the pole (48 km north of it midway between
    20° E and 40° E at 50° N).
``"mercator"``
    A straight line on the Web Mercator map (EPSG:3857, the sphere Leaflet
    projects on): what a user saw when clicking a line out on the map.
``"geodesic"``
    The shortest path on the WGS84 ellipsoid.

:func:`densify_edges` puts vertices along each edge, in its meaning, close
enough that the geodesic between consecutive vertices stays within
:data:`DENSE_M` of the edge: the result can be read as geodesic edges (as the
reach, :mod:`geo.core.buffer`, and the distances, :mod:`geo.analysis.distance`,
read it) and is the same path to within that many metres. Only then may it
be simplified, in metres (:func:`geo.core.simplify.simplify_metric`).

Longitudes must be unwrapped (continuous: consecutive vertices less than 180°
apart), as everywhere inside ``geo``.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from geo.core import geodesic
from geo.core.antimeridian import crossing_edges, insert_crossings

__all__ = [
    "DENSE_M",
    "EDGE_MEANINGS",
    "EdgeMeaning",
    "densify_edges",
    "densify_many",
    "edge_points",
    "insert_crossings_in",
    "path_size",
]

EdgeMeaning: TypeAlias = Literal["lonlat", "mercator", "geodesic"]
EDGE_MEANINGS: Final = ("lonlat", "mercator", "geodesic")

#: Largest gap between an edge in its meaning and the geodesics that replace it, m.
DENSE_M: Final = 1.0
#: No densified sub-edge of a straight line is longer than this (m): it keeps
#: the midpoint check of :func:`densify_edges` honest on long edges.
_MAX_STEP_M: Final = 100_000.0
#: Mean length of a degree on the mean sphere, m (for first guesses only).
_MEAN_M_PER_DEG: Final = 111_195.0
#: Mercator's y grows without bound at the poles; latitudes are held this far from them.
_POLE_GUARD_DEG: Final = 1e-9


def _mercator_y(lat: NDArray[np.float64]) -> NDArray[np.float64]:
    phi = np.radians(np.clip(lat, -90.0 + _POLE_GUARD_DEG, 90.0 - _POLE_GUARD_DEG))
    out: NDArray[np.float64] = np.arcsinh(np.tan(phi))
    return out


def _mercator_lat(y: NDArray[np.float64]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.degrees(np.arctan(np.sinh(y)))
    return out


def edge_points(
    a: NDArray[np.float64], b: NDArray[np.float64], t: NDArray[np.float64], meaning: EdgeMeaning
) -> NDArray[np.float64]:
    """Points at fraction ``t`` (0…1) of the way along edges from ``a`` to ``b`` ((m, 2) lon/lat rows), in their meaning.

    The fraction is of longitude and of latitude (``"lonlat"``), of Mercator x
    and y (``"mercator"``), or of the geodesic's length (``"geodesic"``).

    Examples
    --------
    >>> a, b = np.array([[20.0, 50.0]]), np.array([[40.0, 50.0]])
    >>> edge_points(a, b, np.array([0.5]), "lonlat").tolist()
    [[30.0, 50.0]]
    >>> lat = edge_points(a, b, np.array([0.5]), "geodesic")[0, 1]
    >>> round(float(lat), 2)  # the geodesic bows towards the pole
    50.43
    """
    t = t[:, None] if t.ndim == 1 else t
    if meaning == "lonlat":
        out: NDArray[np.float64] = a + (b - a) * t
        return out
    if meaning == "mercator":
        ya, yb = _mercator_y(a[:, 1]), _mercator_y(b[:, 1])
        lon = a[:, 0] + (b[:, 0] - a[:, 0]) * t[:, 0]
        lat = _mercator_lat(ya + (yb - ya) * t[:, 0])
        return np.column_stack([lon, lat])
    if meaning == "geodesic":
        az, dist = geodesic.inverse(a[:, 1], a[:, 0], b[:, 1], b[:, 0])
        lat, lon = geodesic.direct(a[:, 1], a[:, 0], az, dist * t[:, 0])
        lon = lon + 360.0 * np.round((a[:, 0] + (b[:, 0] - a[:, 0]) * t[:, 0] - lon) / 360.0)
        return np.column_stack([lon, lat])
    raise ValueError(f"edge meaning: expected one of {EDGE_MEANINGS}, got {meaning!r}")


def _approx_m(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rough lengths of edges in their lon/lat box, m (first guesses only)."""
    k = np.cos(np.radians(np.clip((a[:, 1] + b[:, 1]) / 2.0, -89.0, 89.0)))
    out: NDArray[np.float64] = np.hypot((b[:, 0] - a[:, 0]) * k, b[:, 1] - a[:, 1]) * _MEAN_M_PER_DEG
    return out


def _counts(
    a: NDArray[np.float64], b: NDArray[np.float64], meaning: EdgeMeaning, max_dev_m: float, limit: int
) -> NDArray[np.int64]:
    """Sub-edges per edge (from ``a`` to ``b``) so that each sub-edge's geodesic is within ``max_dev_m`` of the edge.

    The gap is measured at each sub-edge's middle (between the edge's point
    and the geodesic's midpoint); it grows as the square of the sub-edge's
    length, so the count is raised by that rule until every middle passes.
    Stops early (returning counts whose sum exceeds ``limit``) when the path
    would need more than ``limit`` vertices.
    """
    if meaning == "geodesic":
        return np.ones(len(a), dtype=np.int64)
    k = np.maximum(np.ceil(_approx_m(a, b) / _MAX_STEP_M), 1).astype(np.int64)
    todo = np.arange(len(k))  # edges not yet known to pass
    for _ in range(12):
        if int(k.sum()) > limit or not len(todo):
            return k
        kt = k[todo]
        edge = np.repeat(todo, kt)
        j = np.arange(int(kt.sum())) - np.repeat(np.cumsum(kt) - kt, kt)
        kk = k[edge].astype(float)
        ea, eb = a[edge], b[edge]
        p0 = edge_points(ea, eb, j / kk, meaning)
        p1 = edge_points(ea, eb, (j + 1) / kk, meaning)
        mid = edge_points(ea, eb, (j + 0.5) / kk, meaning)
        az, dist = geodesic.inverse(p0[:, 1], p0[:, 0], p1[:, 1], p1[:, 0])
        glat, glon = geodesic.direct(p0[:, 1], p0[:, 0], az, dist / 2.0)
        _, gap = geodesic.inverse(glat, glon, mid[:, 1], mid[:, 0])
        worst = np.zeros(len(k))
        np.maximum.at(worst, edge, gap)
        bad = todo[worst[todo] > max_dev_m]
        if not len(bad):
            return k
        # gap ∝ length²: the factor that brings the worst middle within max_dev_m, with 10 % to spare.
        factor = np.sqrt(worst[bad] / max_dev_m) * 1.1
        k[bad] = np.maximum(np.ceil(k[bad] * factor), k[bad] + 1).astype(np.int64)
        todo = bad
    return k


def densify_many(
    paths: list[NDArray[np.float64]], meaning: EdgeMeaning, max_dev_m: float = DENSE_M, *, limit: int | None = None
) -> list[NDArray[np.float64]]:
    """:func:`densify_edges` of many paths at once (a country's thousands of islands in one pass)."""
    arrays = [np.asarray(xy, dtype=np.float64).reshape(-1, 2) for xy in paths]
    edges_a = [xy[:-1] for xy in arrays]
    if not sum(len(e) for e in edges_a):
        return arrays
    a = np.vstack(edges_a)
    b = np.vstack([xy[1:] for xy in arrays])
    cap = limit if limit is not None else 2**62
    k = _counts(a, b, meaning, max_dev_m, cap)
    if int(k.sum()) + len(arrays) > cap:
        raise ValueError(f"densifying the edges needs more than {limit:,} vertices")
    edge = np.repeat(np.arange(len(k)), k)
    j = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    pts = edge_points(a[edge], b[edge], j / k[edge].astype(float), meaning)
    pts[j == 0] = a[edge[j == 0]]
    # Back into paths: each path's sub-edge points, then its last vertex.
    per_path = np.array([max(len(xy) - 1, 0) for xy in arrays])
    points_per_path = np.add.reduceat(k, np.cumsum(per_path) - per_path) if len(k) else np.zeros(0, np.int64)
    out: list[NDArray[np.float64]] = []
    start = 0
    for xy, edges_n, i in zip(arrays, per_path.tolist(), range(len(arrays)), strict=True):
        if edges_n == 0:
            out.append(xy)
            continue
        count = int(points_per_path[i])
        out.append(np.vstack([pts[start : start + count], xy[-1:]]))
        start += count
    return out


def densify_edges(
    xy: NDArray[np.float64], meaning: EdgeMeaning, max_dev_m: float = DENSE_M, *, limit: int | None = None
) -> NDArray[np.float64]:
    """Vertices along each edge, in its meaning, so that geodesics between them stay within ``max_dev_m``.

    Parameters
    ----------
    xy : ndarray
        (n, 2) unwrapped (lon, lat) vertices, degrees.
    meaning : {"lonlat", "mercator", "geodesic"}
        What the edges are (see the module docstring).
    max_dev_m : float
        Largest gap allowed between an edge and the geodesics along it, m.
    limit : int, optional
        Raise ``ValueError`` rather than return more vertices than this.

    Returns
    -------
    ndarray
        (m, 2) vertices, the original ones kept exactly; sub-edges of straight
        lines are at most 100 km long (geodesics are left as they are).

    Examples
    --------
    >>> line = np.array([[20.0, 50.0], [40.0, 50.0]])
    >>> dense = densify_edges(line, "lonlat")
    >>> bool((dense[:, 1] == 50.0).all()), len(dense) > 200
    (True, True)
    >>> len(densify_edges(line, "geodesic"))  # a geodesic needs nothing more
    2
    """
    xy = np.asarray(xy, dtype=np.float64)
    if len(xy) < 2:
        return xy
    return densify_many([xy], meaning, max_dev_m, limit=limit)[0]


def path_size(
    paths: list[NDArray[np.float64]], meaning: EdgeMeaning, max_dev_m: float, *, limit: int
) -> tuple[int, float]:
    """Vertices of :func:`densify_many` at ``max_dev_m`` and the paths' geodesic length in m.

    Stops counting past ``limit`` vertices (the count returned is then over it
    and the length is that of the raw vertices).
    """
    arrays = [np.asarray(xy, dtype=np.float64).reshape(-1, 2) for xy in paths]
    try:
        dense = densify_many(arrays, meaning, max_dev_m, limit=limit)
    except ValueError:
        return limit + 1, sum(geodesic.line_length_m(xy[:, 1], xy[:, 0]) for xy in arrays if len(xy) > 1)
    return sum(len(xy) for xy in dense), sum(geodesic.line_length_m(xy[:, 1], xy[:, 0]) for xy in dense if len(xy) > 1)


def insert_crossings_in(xy: NDArray[np.float64], meaning: EdgeMeaning) -> NDArray[np.float64]:
    """Add the points where edges, in their meaning, cross ±180° (``xy`` unwrapped).

    Splitting at the antimeridian then cuts each edge on its own path, so the
    pieces are the same edges, in the same meaning. Straight lines in (lon,
    lat) and in Web Mercator cross where their longitude does (linear in
    longitude, both); geodesics where :func:`geo.core.antimeridian.insert_crossings` finds.

    Examples
    --------
    >>> xy = np.array([[170.0, 60.0], [190.0, 62.0]])
    >>> insert_crossings_in(xy, "lonlat")[1].tolist()
    [180.0, 61.0]
    >>> round(float(insert_crossings_in(xy, "mercator")[1, 1]), 4)  # straight on the map
    61.0157
    """
    if meaning == "geodesic":
        return insert_crossings(xy)
    edges, meridians = crossing_edges(xy)
    if not len(edges):
        return xy
    a, b = xy[edges], xy[edges + 1]
    t = (meridians - a[:, 0]) / (b[:, 0] - a[:, 0])
    pts = edge_points(a, b, t, meaning)
    pts[:, 0] = meridians
    out: NDArray[np.float64] = np.insert(xy, edges + 1, pts, axis=0)
    return out
