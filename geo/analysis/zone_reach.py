"""The reach of a launch zone, cached: in memory (bounded) and, for countries, on disk.

:mod:`geo.core.buffer` computes a reach from an outline; this module keys it
by :class:`~geo.scenario.zones.Zone` and range, and keeps it. What it costs is
known before it is paid (:func:`reach_centres`), so :mod:`geo.analysis.budget`
can decide whether to compute it now, in the background worker
(:mod:`geo.analysis.background`, which uses :func:`compute_reach` and
:func:`store_reach`), or not at all.

**Minimum range does not apply to zones.** A target is within reach of a zone
when some launch point in the zone is between the minimum and maximum range
from it. The only targets that fails for are those within the minimum range of
*every* point of the zone, and there are none once the zone is wider than twice
the minimum range (tens of km for the catalog's systems; a line or a country is
wider). For smaller zones the dead zone is still at most a disk of the minimum
range, so it is ignored rather than drawn. Launch points keep their minimum
range (a donut).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Final

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.core import diskcache
from geo.core.antimeridian import split_polygon
from geo.core.buffer import Chains, OutlineSize, check_outline_size, outline_chains, outline_size, reach_from_chains
from geo.core.rings import check_range
from geo.scenario.zones import Zone

__all__ = [
    "REACH_ALGORITHM",
    "clear_reach_cache",
    "compute_reach",
    "reach_centres",
    "reach_is_cached",
    "store_reach",
    "zone_reach",
    "zone_reach_unwrapped",
    "zone_size",
]


# Bounded caches: their keys hold zones (an upload can be megabytes), so they must not
# keep every zone a server has seen (issue 13).
@lru_cache(maxsize=64)
def zone_size(zone: Zone) -> OutlineSize:
    """:func:`geo.core.buffer.outline_size` of a zone, cached per zone.

    Examples
    --------
    >>> from geo.scenario.zones import zone_from_latlons
    >>> size = zone_size(zone_from_latlons([(50.0, 20.0), (50.0, 30.0)], closed=False))
    >>> size.vertices, round(size.length_km)  # along the parallel (clicked: straight on the map)
    (2, 717)
    """
    return outline_size(zone.geometry, zone.edges)


@lru_cache(maxsize=8)  # a zone's chains hold up to MAX_ZONE_CENTRES ring centres
def _chains(zone: Zone, range_km: float) -> Chains:
    check_outline_size(zone_size(zone), zone.label)
    return outline_chains(zone.geometry, range_km, zone.edges)


def reach_centres(zone: Zone, range_km: float) -> int:
    """How many ring centres the reach of ``zone`` at ``range_km`` puts rings around (its cost).

    Cheap next to the reach itself (the zone is simplified, not ringed); the
    result is kept for the reach.

    Raises
    ------
    InputError
        For a zone over :data:`geo.core.buffer.MAX_ZONE_CENTRES` (checked before any work).

    Examples
    --------
    >>> from geo.scenario.zones import zone_from_latlons
    >>> reach_centres(zone_from_latlons([(50.0, 20.0), (50.0, 30.0)], closed=False), 300)
    33
    """
    r_km, _ = check_range(range_km)
    return _chains(zone, r_km).centres


#: Bump when the reach a zone gives changes, so cached results are not reused.
REACH_ALGORITHM: Final = "zone-reach-2"  # 2: edges in their meaning, simplified in metres (issue 9)
#: The memory cache keeps reaches up to this many vertices in all (about 50 MB).
_MEMORY_VERTICES: Final = 2_000_000
_MEMORY_ENTRIES: Final = 64
_reach_memory: OrderedDict[tuple[Zone, float], tuple[Polygon | MultiPolygon, float, int]] = OrderedDict()
_reach_lock = threading.Lock()


@lru_cache(maxsize=64)
def _zone_digest(zone: Zone) -> str:
    return diskcache.digest(REACH_ALGORITHM, zone.kind, zone.edges, zone.geometry.wkb)


def _disk_key(zone: Zone, range_km: float) -> str | None:
    """The on-disk cache key, for country zones only (uploads stay in memory)."""
    if zone.kind != "country":
        return None
    return diskcache.digest(_zone_digest(zone), repr(float(range_km)))


def _remember(zone: Zone, range_km: float, geom: Polygon | MultiPolygon, ref: float) -> None:
    size = int(shapely.get_num_coordinates(geom))
    with _reach_lock:
        _reach_memory[(zone, range_km)] = (geom, ref, size)
        _reach_memory.move_to_end((zone, range_km))
        total = sum(v[2] for v in _reach_memory.values())
        while len(_reach_memory) > 1 and (len(_reach_memory) > _MEMORY_ENTRIES or total > _MEMORY_VERTICES):
            _, (_, _, dropped) = _reach_memory.popitem(last=False)
            total -= dropped


def _recall(zone: Zone, range_km: float) -> tuple[Polygon | MultiPolygon, float] | None:
    with _reach_lock:
        hit = _reach_memory.get((zone, range_km))
        if hit is not None:
            _reach_memory.move_to_end((zone, range_km))
            return hit[0], hit[1]
    key = _disk_key(zone, range_km)
    data = diskcache.load(key) if key else None
    if data is None or len(data) < 9:
        return None
    try:
        geom = shapely.from_wkb(data[8:])
    except shapely.errors.GEOSException:
        return None
    if not isinstance(geom, Polygon | MultiPolygon):
        return None
    ref = float(np.frombuffer(data[:8], dtype="<f8")[0])
    _remember(zone, range_km, geom, ref)
    return geom, ref


def clear_reach_cache() -> None:
    """Forget every reach kept in memory (the disk cache stays): for measurements and tests."""
    with _reach_lock:
        _reach_memory.clear()
    _chains.cache_clear()


def reach_is_cached(zone: Zone, range_km: float) -> bool:
    """Whether the reach is at hand (in memory or, for countries, on disk) and costs nothing to get."""
    return _recall(zone, float(range_km)) is not None


def compute_reach(zone: Zone, range_km: float) -> tuple[bytes, float]:
    """Compute a reach from scratch (for a worker process): its unwrapped WKB and reference longitude."""
    r_km, _ = check_range(range_km)
    geom, ref = _compute_reach(zone, r_km)
    return shapely.to_wkb(geom), ref


def store_reach(zone: Zone, range_km: float, wkb: bytes, ref: float) -> None:
    """Keep a reach computed elsewhere (see :func:`compute_reach`) as if computed here."""
    geom = shapely.from_wkb(wkb)
    _remember(zone, float(range_km), geom, ref)
    key = _disk_key(zone, float(range_km))
    if key:
        diskcache.store(key, np.float64(ref).astype("<f8").tobytes() + wkb)


def _compute_reach(zone: Zone, range_km: float) -> tuple[Polygon | MultiPolygon, float]:
    chains = _chains(zone, range_km)
    return reach_from_chains(chains, range_km, zone.label), chains.ref


def zone_reach_unwrapped(zone: Zone, range_km: float) -> tuple[Polygon | MultiPolygon, float]:
    """The reach with longitudes unwrapped around the zone, and that reference longitude (cached)."""
    hit = _recall(zone, range_km)
    if hit is not None:
        return hit
    geom, ref = _compute_reach(zone, range_km)
    store_reach(zone, range_km, shapely.to_wkb(geom), ref)
    return geom, ref


def zone_reach(zone: Zone, range_km: float) -> Polygon | MultiPolygon:
    """Everything within ``range_km`` of some point of the zone, following RFC 7946.

    Parameters
    ----------
    zone : Zone
    range_km : float
        Range in km (0 < range_km <= :data:`geo.core.rings.MAX_RANGE_KM`). There is
        no minimum range for zones (see the module docstring).

    Returns
    -------
    Polygon or MultiPolygon
        (lon, lat) degrees, split at the antimeridian, exterior rings
        counter-clockwise. Its outline is within about
        :func:`geo.core.rings.chord_tolerance_m` of the true one (150 m for 300 km):
        the simplification, and the rings' chords, fall inside it.

    Examples
    --------
    >>> from geo.scenario.zones import zone_from_latlons
    >>> z = zone_from_latlons([(48.0, 35.0), (48.5, 37.0)], closed=False)
    >>> reach = zone_reach(z, 100)
    >>> reach.geom_type, reach.exterior.is_ccw
    ('Polygon', True)
    >>> from shapely.geometry import Point
    >>> reach.contains(Point(36.0, 49.1))  # about 80 km north of the line
    True
    """
    r_km, _ = check_range(range_km)
    geom, _ = zone_reach_unwrapped(zone, r_km)
    out: Polygon | MultiPolygon = shapely.orient_polygons(split_polygon(geom))
    return out
