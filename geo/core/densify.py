"""Outlines that every reader draws as the true curve: densify where edge conventions differ.

A ring's outline is a list of vertices on the true geodesic circle; what lies
between two vertices depends on who reads the file (issue 9):

- RFC 7946 readers (QGIS, GDAL, shapely, geojson.io) take a straight line in
  lon/lat (RFC 7946 §3.1.1);
- PostGIS geography, BigQuery, GeographicLib's PolygonArea, pyproj's
  ``geometry_area_perimeter`` and d3-geo take the geodesic (great circle);
- Leaflet and other web maps take a straight line in Web Mercator.

The map's own rings (:func:`geo.core.rings.vertex_count`) are sized for the
Mercator chords only. Near a pole or on a long edge the three readings part:
a 64-vertex ring of 2,500 km round the North Pole sags 2.99 km for geodesic
readers. :func:`densify_outline` inserts vertices *on the true curve* (the
exact ring, found from the launch point and range, or an arc fitted to the
outline's own turning where no circle is known) in every edge where the
midpoint of any reading strays more than half the tolerance from the curve's
midpoint, and repeats on the halves. Edges where the readings agree (short
edges away from the poles) are left alone, so payloads stay small.

The Mercator reading is checked only where both ends of an edge are on the
Web Mercator map (within ±85.05°): no Mercator reader shows anything beyond.
Edges that stand for no curve (along a meridian, or at a pole: the closure of
a ring around a pole) are never split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geo.core import geodesic

__all__ = ["Circle", "curve_lines", "densify_outline", "reading_midpoints"]

#: Latitude beyond which a vertex counts as on the pole (a ring's closure).
_POLE_LAT: Final = 89.999999
#: Leaflet's Web Mercator limit, degrees (L.Projection.SphericalMercator.MAX_LATITUDE).
_MAX_MERCATOR_LAT: Final = 85.0511287798
#: A vertex is on a circle when its distance from the centre is within this of the radius, metres.
#: Ring vertices are solved to nanometres, then rounded to 1e-6° (≤ 0.11 m) in files.
_ON_CIRCLE_M: Final = 0.5
#: Halvings at most per edge: 2¹⁴ sub-edges, far more than any reading needs.
_MAX_LEVELS: Final = 14
#: Share of the tolerance a reading's midpoint may stray: the rest is left for
#: the deviation away from the midpoint and for rounding.
_BUDGET: Final = 0.8


@dataclass(frozen=True)
class Circle:
    """A geodesic circle that outline vertices may lie on (a launch point and a range or minimum range)."""

    lat: float
    lon: float
    radius_m: float


def reading_midpoints(
    lon1: NDArray[np.float64], lat1: NDArray[np.float64], lon2: NDArray[np.float64], lat2: NDArray[np.float64]
) -> dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Midpoints of each edge as each reader draws it: ``{reading: (lons, lats)}``.

    ``"lonlat"``: the straight line in lon/lat; ``"geodesic"``: the geodesic;
    ``"mercator"``: the straight line in (Web) Mercator (NaN where an end is
    beyond ±85.05°). Longitudes are unwrapped (``lon2`` continuous with ``lon1``).
    """
    mid_lon = (lon1 + lon2) / 2.0
    az, dist = geodesic.inverse(lat1, lon1, lat2, lon2)
    g_lat, g_lon = geodesic.direct(lat1, lon1, az, dist / 2.0)
    g_lon = g_lon + 360.0 * np.round((mid_lon - g_lon) / 360.0)
    on_map = (np.abs(lat1) <= _MAX_MERCATOR_LAT) & (np.abs(lat2) <= _MAX_MERCATOR_LAT)
    with np.errstate(invalid="ignore"):
        y = (
            np.arctanh(np.sin(np.radians(np.clip(lat1, -89.0, 89.0))))
            + np.arctanh(np.sin(np.radians(np.clip(lat2, -89.0, 89.0))))
        ) / 2.0
    m_lat = np.where(on_map, np.degrees(np.arctan(np.sinh(y))), np.nan)
    return {
        "lonlat": (mid_lon, (lat1 + lat2) / 2.0),
        "geodesic": (g_lon, g_lat),
        "mercator": (mid_lon, m_lat),
    }


def _true_midpoints(
    ends: NDArray[np.float64], circle_of_edge: NDArray[np.intp], kappa: NDArray[np.float64], circles: Sequence[Circle]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The midpoint of the curve each edge stands for: on its circle, else on an arc of curvature ``kappa``.

    ``ends`` is an (n, 2, 2) array: for each edge its two (lon, lat) ends.
    """
    lon1, lat1, lon2, lat2 = ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1]
    n = len(lon1)
    out_lon, out_lat = np.empty(n), np.empty(n)
    known = circle_of_edge >= 0
    if known.any():
        idx = np.flatnonzero(known)
        c = circle_of_edge[idx]
        clat = np.array([circles[i].lat for i in c])
        clon = np.array([circles[i].lon for i in c])
        crad = np.array([circles[i].radius_m for i in c])
        a1, _ = geodesic.inverse(clat, clon, lat1[idx], lon1[idx])
        a2, _ = geodesic.inverse(clat, clon, lat2[idx], lon2[idx])
        mid_az = a1 + ((a2 - a1 + 180.0) % 360.0 - 180.0) / 2.0
        m_lat, m_lon = geodesic.direct(clat, clon, mid_az, crad)
        out_lon[idx], out_lat[idx] = m_lon, m_lat
    if (~known).any():
        idx = np.flatnonzero(~known)
        az, length = geodesic.inverse(lat1[idx], lon1[idx], lat2[idx], lon2[idx])
        g_lat, g_lon = geodesic.direct(lat1[idx], lon1[idx], az, length / 2.0)
        g_az, _ = geodesic.inverse(g_lat, g_lon, lat2[idx], lon2[idx])  # the chord's direction at its middle
        k = kappa[idx]
        # An arc of curvature κ through both ends stands |κ|l²/8 (exactly ρ − √(ρ² − l²/4)) off the chord's
        # middle, to the right of travel for a left-turning (counter-clockwise) outline. Turns sharper than
        # a radian over one edge are corners, not curves: no offset.
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = np.where(np.abs(k) > 0.0, 1.0 / np.abs(k), np.inf)
            sag = np.where(np.abs(k) * length < 1.0, rho - np.sqrt(np.maximum(rho**2 - length**2 / 4.0, 0.0)), 0.0)
        sag = np.nan_to_num(sag, nan=0.0, posinf=0.0)
        m_lat, m_lon = geodesic.direct(g_lat, g_lon, g_az + np.where(k >= 0.0, 90.0, -90.0), sag)
        out_lon[idx], out_lat[idx] = m_lon, m_lat
    ref = (lon1 + lon2) / 2.0
    out_lon += 360.0 * np.round((ref - out_lon) / 360.0)
    return out_lon, out_lat


def _turning_curvature(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Signed curvature of each edge of a closed ring, read off its turning (as :mod:`geo.core.area` does)."""
    lon, lat = xy[:-1, 0], xy[:-1, 1]
    lon2, lat2 = np.roll(lon, -1), np.roll(lat, -1)
    az12, length = geodesic.inverse(lat, lon, lat2, lon2)
    back, _ = geodesic.inverse(lat2, lon2, lat, lon)
    arrival = np.roll(back, 1) + 180.0
    turn = (az12 - arrival + 180.0) % 360.0 - 180.0
    half = (np.roll(length, 1) + length) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(half > 0.0, -np.radians(turn) / half, 0.0)
    nxt = np.roll(kappa, -1)
    edge: NDArray[np.float64] = np.where(np.abs(kappa) < np.abs(nxt), kappa, nxt)
    return edge


def _circle_of_edges(xy: NDArray[np.float64], circles: Sequence[Circle]) -> NDArray[np.intp]:
    """For each edge, the circle both its ends lie on (-1 for none)."""
    n_edges = len(xy) - 1
    best = np.full(n_edges, -1, dtype=np.intp)
    best_err = np.full(n_edges, np.inf)
    for i, c in enumerate(circles):
        _, d = geodesic.inverse(np.full(len(xy), c.lat), np.full(len(xy), c.lon), xy[:, 1], xy[:, 0])
        err = np.abs(d - c.radius_m)
        edge_err = np.maximum(err[:-1], err[1:])
        take = (edge_err <= _ON_CIRCLE_M) & (edge_err < best_err)
        best[take], best_err[take] = i, edge_err[take]
    return best


def _densify_ring(xy: NDArray[np.float64], circles: Sequence[Circle], tolerance_m: float) -> NDArray[np.float64]:
    if len(xy) < 4:
        return xy
    circle_of = _circle_of_edges(xy, circles)
    kappa = _turning_curvature(xy)
    lon1, lat1, lon2, lat2 = xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]
    # Edges that stand for no curve: along a meridian (the closure of a ring round a pole, a cut) or at a pole.
    active = ~((lon1 == lon2) | (np.abs(lat1) > _POLE_LAT) | (np.abs(lat2) > _POLE_LAT))
    limit = _BUDGET * tolerance_m
    for _ in range(_MAX_LEVELS):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        sub = np.stack([xy[idx], xy[idx + 1]], axis=1)
        # True midpoints of the active edges, then how far each reading's midpoint strays from it.
        t_lon, t_lat = _true_midpoints(sub, circle_of[idx], kappa[idx], circles)
        worst = np.zeros(len(idx))
        for r_lon, r_lat in reading_midpoints(sub[:, 0, 0], sub[:, 0, 1], sub[:, 1, 0], sub[:, 1, 1]).values():
            ok = np.isfinite(r_lat)
            if ok.any():
                _, d = geodesic.inverse(t_lat[ok], t_lon[ok], r_lat[ok], r_lon[ok])
                worst[ok] = np.maximum(worst[ok], d)
        split = worst > limit
        if not split.any():
            break
        cut = idx[split]
        xy = np.insert(xy, cut + 1, np.column_stack([t_lon[split], t_lat[split]]), axis=0)
        # Each half keeps its parent's circle and curvature; halves of edges that were fine stay finished.
        circle_of = np.insert(circle_of, cut + 1, circle_of[cut])
        kappa = np.insert(kappa, cut + 1, kappa[cut])
        still = np.zeros(len(active), dtype=bool)
        still[cut] = True
        active = np.insert(still, cut + 1, True)
    return xy


def densify_outline(geom: Any, circles: Sequence[Circle], tolerance_m: float) -> Polygon | MultiPolygon:
    """The (Multi)Polygon with vertices added on the true curve wherever a reader's edges would stray.

    Parameters
    ----------
    geom : Polygon or MultiPolygon
        An outline whose edges stand for smooth curves: range rings, coverage,
        zone reach; longitudes unwrapped (continuous; not split at ±180°).
    circles : sequence of Circle
        Circles the outline's vertices may lie on (each launch point with its
        range, and its minimum range): an edge with both ends on one is
        halved at the exact circle's mid-azimuth; others on an arc fitted to
        the outline's turning.
    tolerance_m : float
        The largest allowed distance, metres, between any reading of an edge
        and the curve (:func:`geo.core.rings.chord_tolerance_m` of the range).

    Returns
    -------
    Polygon or MultiPolygon
        The same outline with more vertices, orientation kept.

    Examples
    --------
    >>> from geo.core.rings import range_ring_unwrapped
    >>> ring = range_ring_unwrapped(90.0, 0.0, 2500)
    >>> len(ring.exterior.coords) - 1 < len(densify_outline(ring, [Circle(90.0, 0.0, 2.5e6)], 1250.0).exterior.coords) - 1
    True
    """

    def ring(coords: Any) -> NDArray[np.float64]:
        return _densify_ring(np.asarray(coords, dtype=np.float64)[:, :2], circles, tolerance_m)

    polys = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        polys.append(Polygon(ring(poly.exterior.coords), [ring(r.coords) for r in poly.interiors]))
    out: Polygon | MultiPolygon = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    if not out.is_valid:
        out = shapely.make_valid(out)
    return out


def curve_lines(geom: Any) -> list[NDArray[np.float64]]:
    """The outline to stroke: each ring's vertices, without the edges that stand for no curve.

    Edges with an end at a pole (the closure of a ring round a pole, the
    world box round a ring that covers both poles) are dropped; longitudes
    stay as they are (unwrapped, not split). A ring with no such edge comes
    back whole and closed.

    Examples
    --------
    >>> from geo.core.rings import range_ring_unwrapped
    >>> [len(line) for line in curve_lines(range_ring_unwrapped(80.0, 0.0, 2500))]  # the closure left out
    [103]
    """
    out: list[NDArray[np.float64]] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords, dtype=np.float64)[:, :2]
            at_pole = np.abs(xy[:, 1]) > _POLE_LAT
            if not at_pole.any():
                out.append(xy)
                continue
            # Start just after a pole vertex, so that each run of curve vertices is contiguous.
            start = int(np.flatnonzero(at_pole)[-1])
            seq = np.roll(xy[:-1], -start - 1, axis=0)
            keep = np.abs(seq[:, 1]) <= _POLE_LAT
            # Runs of vertices off the pole: consecutive ones are joined by real edges.
            edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(np.int8), [0]])))
            for a, b in zip(edges[0::2], edges[1::2], strict=True):
                if b - a >= 2:
                    out.append(seq[a:b])
    return out
