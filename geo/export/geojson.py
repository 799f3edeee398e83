"""GeoJSON (RFC 7946) output for range rings."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.analysis.coverage import coverage
from geo.core.rings import geodesic_area_km2, range_ring, range_ring_unwrapped, ring_area_km2
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import Zone

#: Decimal places kept in exported coordinates: 1e-6° is 0.11 m or less.
EXPORT_PRECISION = 6

ATTRIBUTION = (
    "Weapon Range Map: geodesic range rings on the WGS84 ellipsoid. Ranges are "
    "publicly reported nominal figures, each with its source; place names from "
    "GeoNames (CC BY 4.0)."
)


def round_geometry(geom: Any, decimals: int) -> Any:
    """Round every coordinate to ``decimals`` places, keeping vertex order."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def ring_feature(point: LaunchPoint, system: System, *, decimals: int = EXPORT_PRECISION) -> dict[str, Any]:
    """One Feature: the reach of ``system`` from ``point``, with its properties."""
    geom = range_ring(point.lat, point.lon, system.range_km, min_range_km=system.min_range_km)
    area = ring_area_km2(point.lat, point.lon, system.range_km, min_range_km=system.min_range_km)
    weapon = system.weapon
    source = weapon.primary_source if weapon else None
    return {
        "type": "Feature",
        "geometry": mapping(round_geometry(geom, decimals)),
        "properties": {
            "weapon_id": system.id,
            "weapon_name": system.name,
            "range_km": system.range_km,
            "min_range_km": system.min_range_km,
            "launch_label": point.label,
            "launch_lat": point.lat,
            "launch_lon": point.lon,
            "area_km2": round(area, 1),
            "air_launched": system.air_launched,
            "custom": system.is_custom,
            "source_url": source.url if source else "",
            "source": f"{source.title} ({source.publisher}, {source.date.isoformat()})" if source else "user-defined",
        },
    }


def rings_feature_collection(
    points: Sequence[LaunchPoint], systems: Sequence[System], *, decimals: int = EXPORT_PRECISION
) -> dict[str, Any]:
    """A FeatureCollection with one Feature per launch point and system."""
    features = [ring_feature(p, s, decimals=decimals) for s in systems for p in points]
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


#: Decimal places on the map: 1e-5° is at most 1.1 m, far below a pixel at any
#: zoom a range ring is looked at.
MAP_PRECISION = 5


@functools.lru_cache(maxsize=512)
def map_outline(centers: tuple[tuple[float, float], ...], range_km: float, min_range_km: float = 0.0) -> dict[str, Any]:
    """One system's reach from several launch points, as a GeoJSON geometry for Leaflet.

    The union of the rings in their unwrapped form (continuous longitudes, not
    RFC 7946), so a ring across the antimeridian draws in one piece next to its
    launch point; overlaps are drawn once. Cached: reruns of the app that do
    not move a point or change a range cost nothing here.

    Parameters
    ----------
    centers : tuple of (lat, lon)
        Launch points in degrees.
    range_km, min_range_km : float
        The system's range and minimum range in kilometres.

    Examples
    --------
    >>> map_outline(((50.9, 34.8),), 300.0)["type"]
    'Polygon'
    """
    rings = [range_ring_unwrapped(lat, lon, range_km, min_range_km=min_range_km) for lat, lon in centers]
    merged = rings[0] if len(rings) == 1 else shapely.union_all(rings)
    return outline_geojson(merged)


def outline_geojson(geom: Any) -> dict[str, Any]:
    """A shape for the map: counter-clockwise, coordinates rounded to :data:`MAP_PRECISION`."""
    return mapping(round_geometry(shapely.orient_polygons(geom), MAP_PRECISION))  # type: ignore[no-any-return]


def coverage_feature(
    points: Sequence[LaunchPoint], zones: Sequence[Zone], system: System, *, decimals: int = 6
) -> dict[str, Any]:
    """:func:`coverage` as one GeoJSON Feature with the system's properties.

    Properties: ``weapon_id``, ``weapon_name``, ``range_km``, ``min_range_km``
    (applied to launch points only), ``area_km2``, ``source_url``, ``zones``
    (zone labels) and ``launch_points`` (their labels or coordinates).
    """
    geom = coverage(points, zones, system)
    rounded = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    return {
        "type": "Feature",
        "geometry": mapping(rounded),
        "properties": {
            "weapon_id": system.id,
            "weapon_name": system.name,
            "range_km": system.range_km,
            "min_range_km": system.min_range_km,
            "area_km2": round(geodesic_area_km2(geom), 1),
            "source_url": system.source_url,
            "zones": [z.label for z in zones],
            "launch_points": [p.name for p in points],
        },
    }
