"""GeoJSON (RFC 7946) output for range rings."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.analysis.analyse import Analysis, analyse
from geo.core.area import outline_area_km2
from geo.core.grid import format_mgrs
from geo.core.rings import range_ring, range_ring_unwrapped
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, Scenario, System
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
    # The analysis's one area method, on the same ring: a scenario of one point states the same area everywhere.
    area = outline_area_km2(
        range_ring_unwrapped(point.lat, point.lon, system.range_km, min_range_km=system.min_range_km)
    )
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
            "launch_mgrs": format_mgrs(point.lat, point.lon),
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


def _source_properties(system: System) -> dict[str, Any]:
    source = system.weapon.primary_source if system.weapon else None
    return {
        "air_launched": system.air_launched,
        "custom": system.is_custom,
        "source_url": source.url if source else "",
        "source": f"{source.title} ({source.publisher}, {source.date.isoformat()})" if source else "user-defined",
    }


def system_feature(analysis: Analysis, system_id: str, *, decimals: int = EXPORT_PRECISION) -> dict[str, Any]:
    """One Feature: a system's coverage from every launch point and zone, with the analysis's area.

    Properties: ``weapon_id``, ``weapon_name``, ``range_km``, ``min_range_km``
    (applied to launch points only), ``area_km2``, ``launch_points`` and
    ``zones`` (their names, joined with "; ": plain strings, which Shapefiles
    and spreadsheets take, where a list is a GDAL StringList), and the source.
    """
    result = analysis.result(system_id)
    system = result.system
    if result.coverage is None:
        raise InputError("no launch points or zones to cover anything from")
    return {
        "type": "Feature",
        "geometry": mapping(round_geometry(result.coverage, decimals)),
        "properties": {
            "weapon_id": system.id,
            "weapon_name": system.name,
            "range_km": system.range_km,
            "min_range_km": system.min_range_km,
            "area_km2": round(result.area_km2, 1),
            "launch_points": "; ".join(p.name for p in analysis.scenario.points),
            "zones": "; ".join(z.label for z in analysis.zones),
            **_source_properties(system),
        },
    }


def analysis_geojson(analysis: Analysis, *, decimals: int = EXPORT_PRECISION) -> dict[str, Any]:
    """The scenario as one RFC 7946 FeatureCollection: what the map shows, with what the tables state.

    One coverage Feature per system (:func:`system_feature`), then a Point per
    launch point (``feature``: "launch point") and the target (``feature``:
    "target", with each system's verdict: ``<system id>_in_range``,
    ``<system id>_distance_km``, ``<system id>_margin_km``).
    """
    features = [system_feature(analysis, r.system.id, decimals=decimals) for r in analysis.results if r.outline]
    for i, p in enumerate(analysis.scenario.points):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(p.lon, decimals), round(p.lat, decimals)]},
                "properties": {"feature": "launch point", "number": i + 1, "label": p.label, "name": p.name},
            }
        )
    target = analysis.target
    if target is not None and target.point is not None:
        props: dict[str, Any] = {"feature": "target", "name": target.label}
        for v in analysis.verdicts:
            props[f"{v.system.id}_in_range"] = v.in_range
            props[f"{v.system.id}_distance_km"] = round(v.best.distance_km, 3)
            props[f"{v.system.id}_margin_km"] = round(v.best.margin_km, 3)
            props[f"{v.system.id}_from"] = v.best.source
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(target.point.lon, decimals), round(target.point.lat, decimals)],
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def coverage_feature(
    points: Sequence[LaunchPoint], zones: Sequence[Zone], system: System, *, decimals: int = EXPORT_PRECISION
) -> dict[str, Any]:
    """:func:`system_feature` of one system's analysis from these points and zones (the command line's ``rings``)."""
    scenario = Scenario(points=tuple(points), zones=tuple(zones), systems=(system,))
    return system_feature(analyse(scenario), system.id, decimals=decimals)
