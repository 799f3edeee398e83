"""The coverage of a system: everywhere it reaches from every launch point and launch zone, as one shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.zone_reach import zone_reach_unwrapped
from geo.core.antimeridian import near, split_polygon
from geo.core.rings import check_range, geodesic_area_km2
from geo.core.sectors import sector_polygon_unwrapped
from geo.core.shapes import polygonal
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import Zone, ref_lon

__all__ = ["coverage", "coverage_area_km2", "coverage_unwrapped"]


def coverage_unwrapped(points: Sequence[LaunchPoint], zones: Sequence[Zone], system: System) -> Polygon | MultiPolygon:
    """The merged coverage with longitudes continuous around the first launch point (or zone).

    For Leaflet, which draws it in one piece across the antimeridian; not
    RFC 7946 (longitudes may leave ±180). See :func:`coverage`.

    Examples
    --------
    >>> s = System.custom("test", 2500)
    >>> coverage_unwrapped([LaunchPoint(65.0, 175.0)], [], s).bounds[2] > 180
    True
    """
    r_km, rmin_km = check_range(system.range_km, system.min_range_km)
    if not points and not zones:
        raise InputError("coverage needs at least one launch point or launch zone")
    ref = points[0].lon if points else ref_lon(zones[0].geometry)
    pieces: list[Any] = []
    for p in points:
        ring = sector_polygon_unwrapped(p.lat, p.lon, r_km, p.sector, min_range_km=rmin_km)
        pieces.append(shapely.affinity.translate(ring, xoff=near(p.lon, ref)))
    for z in zones:
        reach, zone_ref = zone_reach_unwrapped(z, r_km)
        pieces.append(shapely.affinity.translate(reach, xoff=near(zone_ref, ref)))
    merged = pieces[0] if len(pieces) == 1 else polygonal(shapely.union_all(pieces))
    out: Polygon | MultiPolygon = shapely.orient_polygons(merged)
    return out


def coverage(points: Sequence[LaunchPoint], zones: Sequence[Zone], system: System) -> Polygon | MultiPolygon:
    """One merged shape: everywhere ``system`` reaches from any launch point or zone.

    The union of the rings around every point (with the system's minimum
    range as a hole, which another point or zone may fill) and the reach of
    every zone (no minimum range; see the module docstring).

    Returns
    -------
    Polygon or MultiPolygon
        RFC 7946: (lon, lat), split at the antimeridian, counter-clockwise.

    Examples
    --------
    >>> s = System.custom("test", 300)
    >>> two = coverage([LaunchPoint(50.9, 34.8), LaunchPoint(48.5, 35.0)], [], s)
    >>> two.geom_type
    'Polygon'
    """
    out: Polygon | MultiPolygon = shapely.orient_polygons(split_polygon(coverage_unwrapped(points, zones, system)))
    return out


def coverage_area_km2(points: Sequence[LaunchPoint], zones: Sequence[Zone], system: System) -> float:
    """Ellipsoidal area of :func:`coverage`, in km², each overlap counted once.

    Examples
    --------
    >>> s = System.custom("test", 300)
    >>> round(coverage_area_km2([LaunchPoint(50.9, 34.8)], [], s), -3)
    283000.0
    """
    return geodesic_area_km2(coverage(points, zones, system))
