"""The antimeridian (±180°): splitting shapes for RFC 7946, and seams that are not edges.

Inside ``geo`` shapes are built with longitudes unwrapped (continuous along an
outline, possibly beyond ±180°), which is how Leaflet draws them in one piece.
RFC 7946 output keeps longitudes within [-180, 180]: shapes are cut at the
meridian and the pieces shifted back (:func:`split_polygon`,
:func:`split_line`). A cut adds edges along ±180° that are not part of the
shape; outlines that are stroked must leave them out (:func:`seam_free_lines`).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
import shapely.affinity
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.core import geodesic

__all__ = ["crossing_edges", "insert_crossings", "near", "seam_free_lines", "split_line", "split_polygon", "unwrap"]


def split_polygon(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """Cut an unwrapped polygon at ±180° and shift the pieces into [-180, 180]."""
    xmin, _, xmax, _ = geom.bounds
    if xmin >= -180.0 and xmax <= 180.0:
        return geom
    pieces = []
    for k in range(math.floor((xmin + 180.0) / 360.0), math.floor((xmax + 180.0) / 360.0) + 1):
        part = shapely.clip_by_rect(geom, -180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, xoff=-360.0 * k))
    # A ring around a pole spans exactly 360° of longitude: its pieces meet
    # along the launch meridian and must be merged, not listed side by side.
    merged = shapely.union_all(pieces)
    polys = [p for p in getattr(merged, "geoms", [merged]) if isinstance(p, Polygon) and p.area > 0]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def split_line(xy: NDArray[np.float64]) -> LineString | MultiLineString:
    """An unwrapped (lon, lat) line cut at ±180° into RFC 7946 pieces."""
    line = LineString(xy)
    xmin, _, xmax, _ = line.bounds
    if xmin >= -180.0 and xmax <= 180.0:
        return line
    pieces: list[LineString] = []
    for k in range(math.floor((xmin + 180.0) / 360.0), math.floor((xmax + 180.0) / 360.0) + 1):
        part = shapely.clip_by_rect(line, -180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        for g in shapely.get_parts(part):
            if isinstance(g, LineString) and g.length > 0.0:
                pieces.append(shapely.affinity.translate(g, xoff=-360.0 * k))
    return pieces[0] if len(pieces) == 1 else MultiLineString(pieces)


def unwrap(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Longitudes made continuous: consecutive vertices joined the short way round."""
    out = xy.copy()
    out[:, 0] = np.unwrap(out[:, 0], period=360.0)
    return out


def near(lon: float, ref: float) -> float:
    """The multiple of 360° to add to ``lon`` to bring it within 180° of ``ref``."""
    return 360.0 * round((ref - lon) / 360.0)


def crossing_edges(xy: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The edges of an unwrapped line that cross a ±180° meridian, and the meridian each crosses.

    Returns ``(edges, meridians)``: edge ``k`` runs from ``xy[k]`` to ``xy[k + 1]``;
    ``meridians[i]`` is the first ±180° + 360°·n east of edge ``edges[i]``'s western end.

    Examples
    --------
    >>> edges, at = crossing_edges(np.array([[170.0, 60.0], [190.0, 62.0], [200.0, 62.0]]))
    >>> edges.tolist(), at.tolist()
    ([0], [180.0])
    """
    lo = np.minimum(xy[:-1, 0], xy[1:, 0])
    hi = np.maximum(xy[:-1, 0], xy[1:, 0])
    cut = 180.0 + 360.0 * (np.floor((lo - 180.0) / 360.0) + 1.0)  # first ±180° meridian east of lo
    edges = np.flatnonzero(cut < hi)
    return edges, cut[edges]


def insert_crossings(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Add the points where geodesic edges cross the antimeridian (``xy`` unwrapped).

    Splitting at ±180° then cuts each edge where its geodesic crosses, not
    where a straight (lon, lat) line would (60° N 170° E to 62° N 170° W
    crosses at 61.4° N, not 61° N), so the pieces follow the same path.
    """
    edges, target = crossing_edges(xy)
    if not len(edges):
        return xy
    lon1, lat1, lon2, lat2 = xy[edges, 0], xy[edges, 1], xy[edges + 1, 0], xy[edges + 1, 1]
    az, dist = geodesic.inverse(lat1, lon1, lat2, lon2)
    east = lon2 > lon1
    s_lo, s_hi = np.zeros(len(edges)), dist.copy()
    for _ in range(64):  # bisection on the distance along the geodesic
        mid = (s_lo + s_hi) / 2.0
        _, lon = geodesic.direct(lat1, lon1, az, mid)
        guess = lon1 + (lon2 - lon1) * np.divide(mid, dist, out=np.zeros_like(mid), where=dist > 0)
        lon = lon + 360.0 * np.round((guess - lon) / 360.0)
        short = np.where(east, lon < target, lon > target)
        s_lo, s_hi = np.where(short, mid, s_lo), np.where(short, s_hi, mid)
    lat, _ = geodesic.direct(lat1, lon1, az, (s_lo + s_hi) / 2.0)
    out: NDArray[np.float64] = np.insert(xy, edges + 1, np.column_stack([target, lat]), axis=0)
    return out


def seam_free_lines(xy: NDArray[np.float64]) -> list[NDArray[np.float64]]:
    """Split an outline where it runs along ±180°: a cut made by the data or by :func:`split_polygon`, not an edge.

    Returns the pieces between such edges, each with at least two vertices.

    Examples
    --------
    >>> ring = np.array([[170.0, 60.0], [180.0, 60.0], [180.0, 65.0], [170.0, 65.0], [170.0, 60.0]])
    >>> [p.tolist() for p in seam_free_lines(ring)]
    [[[170.0, 60.0], [180.0, 60.0]], [[180.0, 65.0], [170.0, 65.0], [170.0, 60.0]]]
    """
    on_cut = np.abs(np.abs(xy[:, 0]) - 180.0) < 1e-9
    cut_edge = on_cut[:-1] & on_cut[1:]
    pieces: list[NDArray[np.float64]] = []
    start = 0
    for k in np.flatnonzero(cut_edge).tolist():
        if k + 1 - start >= 2:
            pieces.append(xy[start : k + 1])
        start = k + 1
    if len(xy) - start >= 2:
        pieces.append(xy[start:])
    return pieces
