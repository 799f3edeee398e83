"""Geodesic distance from places to a launch zone: how far from the nearest point of the zone.

A launch zone is "launched from anywhere in here", so a place is as far from
it as from its nearest point: 0 inside an area, else the distance to its
outline (the outline of a line zone is the line). The same measure decides
whether a zone reaches a target and which places it reaches, and gives the
margin (range minus distance), so that the verdicts and the places agree with
each other and with the zone's reach on the map (:mod:`geo.core.buffer`,
whose outline lies at the range from the same outline, its edges taken the
same way: in their meaning, :attr:`geo.scenario.zones.Zone.edges`).

How: each edge is densified in its meaning (:func:`geo.core.edges.densify_edges`,
within :data:`geo.core.edges.DENSE_M`), simplified within :data:`SIMPLIFY_M`
in metres and densified every :data:`STEP_M` along the geodesics that then
stand for it; for each place the nearest vertex is found on the unit sphere
(one matrix product for many places), then the distance is minimised along
the two geodesic edges that meet there (the foot of the perpendicular,
then an exact geodesic). The result is within :data:`SIMPLIFY_M` +
:data:`geo.core.edges.DENSE_M` (2 m) of the distance to the zone as given (tests/analysis/test_distance.py checks it against a dense
brute force with GeographicLib).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import MultiPolygon, Polygon

from geo.core import geodesic
from geo.core.antimeridian import unwrap
from geo.core.buffer import densify_geodesic
from geo.core.edges import densify_edges
from geo.core.simplify import simplify_metric_many
from geo.scenario.zones import Zone

__all__ = ["SIMPLIFY_M", "STEP_M", "ZoneDistances", "distances_to_zone"]

#: The outline is simplified within this many metres before measuring: a place
#: is in reach or not as the zone itself says, but for places within 2 m of the range.
SIMPLIFY_M: Final = 1.0
#: And densified along its geodesic edges every this many metres.
STEP_M: Final = 5_000.0
#: Mean Earth radius R1 = (2a + b) / 3, m (Moritz 1980): for the along-track angle only.
_MEAN_RADIUS_M: Final = 6_371_008.7714


@dataclass(frozen=True)
class ZoneDistances:
    """Distances from places to one zone.

    Attributes
    ----------
    distance_km : ndarray
        Geodesic distance to the zone's nearest point, km (0 inside an area).
    lat, lon : ndarray
        That nearest point of the zone (the place itself when inside).
    """

    distance_km: NDArray[np.float64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class _Outline:
    lonlat: NDArray[np.float64]  # (m, 2) vertices of every chain, one after another
    xyz: NDArray[np.float64]  # (m, 3) unit vectors
    prev: NDArray[np.intp]  # index of the previous vertex on the same chain, or itself
    next: NDArray[np.intp]  # the next, or itself
    area: Polygon | MultiPolygon | None


def _unit(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


@lru_cache(maxsize=32)
def _outline(zone: Zone) -> _Outline:
    dense: list[NDArray[np.float64]] = []
    polygons: list[Polygon] = []
    for part in shapely.get_parts(zone.geometry):
        lines = [part.exterior, *part.interiors] if isinstance(part, Polygon) else [part]
        rings = [densify_edges(unwrap(np.asarray(line.coords, dtype=np.float64)), zone.edges) for line in lines]
        dense.extend(rings)
        if isinstance(part, Polygon):  # the area with its edges in their meaning, for "inside"
            polygons.append(Polygon(rings[0], rings[1:]))
    chains = [densify_geodesic(xy, STEP_M) for xy in simplify_metric_many(dense, SIMPLIFY_M)]
    lonlat = np.vstack(chains)
    sizes = np.array([len(c) for c in chains])
    starts = np.cumsum(sizes) - sizes
    index = np.arange(len(lonlat))
    prev, nxt = index - 1, index + 1
    prev[starts] = starts  # a chain's ends have no neighbour beyond them
    nxt[starts + sizes - 1] = starts + sizes - 1
    area = None
    if zone.kind != "line":
        area = shapely.union_all([p if p.is_valid else shapely.make_valid(p) for p in polygons])
        shapely.prepare(area)
    return _Outline(lonlat, _unit(lonlat[:, 1], lonlat[:, 0]), prev, nxt, area)


def _along(
    lat1: NDArray[np.float64],
    lon1: NDArray[np.float64],
    lat2: NDArray[np.float64],
    lon2: NDArray[np.float64],
    plat: NDArray[np.float64],
    plon: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The point of each short geodesic edge nearest each place: (distance m, lat, lon).

    The foot of the perpendicular is placed with the spherical along-track
    formula (exact azimuths and distances from the edge's start, the mean
    radius for the angles: on a 5 km edge this puts the foot within
    centimetres, and the distance is stationary there), then the distance
    from that point is solved exactly.
    """
    az12, length = geodesic.inverse(lat1, lon1, lat2, lon2)
    az13, d13 = geodesic.inverse(lat1, lon1, plat, plon)
    delta = d13 / _MEAN_RADIUS_M
    turn = np.radians(az13 - az12)
    cross = np.arcsin(np.clip(np.sin(delta) * np.sin(turn), -1.0, 1.0))
    along = np.arccos(np.clip(np.cos(delta) / np.maximum(np.cos(cross), 1e-12), -1.0, 1.0)) * _MEAN_RADIUS_M
    along = np.where(np.cos(turn) < 0.0, 0.0, np.minimum(along, length))
    qlat, qlon = geodesic.direct(lat1, lon1, az12, along)
    return geodesic.inverse(qlat, qlon, plat, plon)[1], qlat, qlon


def distances_to_zone(zone: Zone, lats: ArrayLike, lons: ArrayLike) -> ZoneDistances:
    """Geodesic distance from each place to the nearest point of ``zone``.

    Parameters
    ----------
    zone : Zone
    lats, lons : array_like
        The places, in degrees.

    Examples
    --------
    >>> from geo.scenario.zones import zone_from_country
    >>> d = distances_to_zone(zone_from_country("UA"), [50.45, 55.75], [30.52, 37.62])  # Kyiv, Moscow
    >>> float(d.distance_km[0]), round(float(d.distance_km[1]))  # Moscow is 453 km from Ukraine's border
    (0.0, 453)
    """
    plat = np.atleast_1d(np.asarray(lats, dtype=np.float64))
    plon = np.atleast_1d(np.asarray(lons, dtype=np.float64))
    out = _outline(zone)
    dist = np.zeros(plat.size)
    nlat, nlon = plat.copy(), plon.copy()
    inside = np.zeros(plat.size, dtype=bool) if out.area is None else shapely.contains_xy(out.area, plon, plat)
    todo = np.flatnonzero(~inside)
    if not todo.size:
        return ZoneDistances(dist, nlat, nlon)
    places = _unit(plat[todo], plon[todo])
    chunk = max(1, 4_000_000 // len(out.xyz))
    nearest = np.empty(todo.size, dtype=np.intp)
    for start in range(0, todo.size, chunk):
        nearest[start : start + chunk] = np.argmax(places[start : start + chunk] @ out.xyz.T, axis=1)
    best = np.full(todo.size, np.inf)
    best_lat, best_lon = plat[todo].copy(), plon[todo].copy()
    for neighbour in (out.prev, out.next):
        a, b = nearest, neighbour[nearest]
        d, qlat, qlon = _along(
            out.lonlat[a, 1], out.lonlat[a, 0], out.lonlat[b, 1], out.lonlat[b, 0], plat[todo], plon[todo]
        )
        closer = d < best
        best, best_lat, best_lon = (
            np.where(closer, d, best),
            np.where(closer, qlat, best_lat),
            np.where(closer, qlon, best_lon),
        )
    dist[todo], nlat[todo], nlon[todo] = best / 1000.0, best_lat, best_lon
    return ZoneDistances(dist, nlat, nlon)
