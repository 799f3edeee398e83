"""GeoJSON (RFC 7946) output for range rings."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon, box, mapping

from geo.analysis.analyse import Analysis, analyse
from geo.analysis.reverse import ReverseReach
from geo.core.antimeridian import split_line, split_polygon
from geo.core.area import outline_area_km2
from geo.core.densify import Circle, curve_lines, densify_outline
from geo.core.grid import format_mgrs
from geo.core.rings import chord_tolerance_m, range_ring_unwrapped
from geo.core.sectors import sector_polygon_unwrapped
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


Winding = Literal["ccw", "cw"]

#: Exterior-ring orientations offered. ``ccw`` is RFC 7946 (§3.1.6: exteriors
#: counter-clockwise, holes clockwise); ``cw`` is the reverse, which d3-geo
#: (Observable Plot, Vega-Lite, Datawrapper, newsroom D3 code) needs: it reads
#: a counter-clockwise ring as "the globe minus the ring" (issue 9).
WINDINGS: Final = ("ccw", "cw")

#: Lune width, degrees, for shapes that cover both poles (issue 9): see :func:`globe_safe`.
_LUNE_DEG: Final = 90.0
#: Largest step, degrees, along cuts that follow a meridian (at ±180°, between lunes, to a pole).
#: Such an edge is straight in lon/lat and a geodesic (a meridian) with two vertices, but
#: reprojected to a pseudo-cylindrical CRS it is a curve: GDAL's ``-t_srs ESRI:54009``
#: (Mollweide) joined the ends of a 45° cut along ±180° straight and lost 79 % of a
#: 2,500 km ring at 65° N 175° E. One degree keeps that under 0.05 %.
_CUT_STEP_DEG: Final = 1.0
#: Gap between neighbouring lunes, degrees (≤ 0.11 m, the files' precision): parts of a valid
#: MultiPolygon may not share an edge (OGC Simple Features), and a repair would merge them back.
_LUNE_GAP_DEG: Final = 1e-6


def round_geometry(geom: Any, decimals: int) -> Any:
    """Round every coordinate to ``decimals`` places, keeping vertex order."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def check_winding(winding: str) -> Winding:
    """``"ccw"`` or ``"cw"``, or an :class:`InputError` that names both."""
    if winding not in WINDINGS:
        raise InputError(f"winding: expected 'ccw' (RFC 7946) or 'cw' (d3-geo), got {winding!r}")
    return "cw" if winding == "cw" else "ccw"


def globe_safe(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """A split shape that every reader takes, also when it covers both poles.

    A ring of more than about 10,000 km reaches past both poles: the area in
    reach is the globe minus a disk round the antipode, which RFC 7946 can
    only write as the world box [-180, 180] × [-90, 90] with a hole. Lon/lat
    readers take that box; geodesic readers (pyproj, PostGIS geography) see
    its edges along the poles and the antimeridian as nothing and get the
    hole's complement wrong (−100.6 % for 19,000 km), GDAL's reprojection to
    an equal-area CRS −199 %, and ``antimeridian.fix_shape`` raises
    (issue 9). Cut into four 90° lunes, each part is smaller than a
    hemisphere and bounded by meridians (with vertices every degree,
    :func:`densify_cuts`, so that a geodesic between them is the meridian
    itself) and by the poles: every
    reader above takes each part, and their sum, as it is. Neighbouring
    lunes are 1e-6° apart (0.11 m at most, the files' precision; 7 km² in
    all), since the parts of a valid MultiPolygon may not share an edge and
    a validity repair (``ST_MakeValid``, QGIS "Fix geometries", a union)
    would merge them back into the box that geodesic readers misread.
    """
    out: list[Polygon] = []
    changed = False
    for poly in getattr(geom, "geoms", [geom]):
        xmin, ymin, xmax, ymax = poly.bounds
        if xmin > -180.0 or xmax < 180.0 or ymin > -90.0 or ymax < 90.0:
            out.append(poly)
            continue
        changed = True
        for west in np.arange(-180.0, 180.0, _LUNE_DEG):
            start = west if west == -180.0 else west + _LUNE_GAP_DEG
            part = poly.intersection(box(start, -90.0, west + _LUNE_DEG, 90.0))
            for piece in getattr(part, "geoms", [part]):
                if isinstance(piece, Polygon) and piece.area > 0.0:
                    out.append(piece)
    if not changed:
        return geom
    return out[0] if len(out) == 1 else MultiPolygon(out)


def densify_cuts(geom: Polygon | MultiPolygon, step_deg: float = _CUT_STEP_DEG) -> Polygon | MultiPolygon:
    """Vertices every ``step_deg`` along the edges that are cuts along a meridian.

    Ring edges are left as they are (:func:`geo.core.densify.densify_outline`
    sized them), and so are edges along a pole: a point in equal-area
    projections, a straight line in the cylindrical ones.
    """

    def ring(coords: Any) -> NDArray[np.float64]:
        xy = np.asarray(coords, dtype=np.float64)[:, :2]
        a, b = xy[:-1], xy[1:]
        cut = a[:, 0] == b[:, 0]
        out = [xy[:1]]
        for i in range(len(a)):
            if cut[i]:
                n = int(np.ceil(np.max(np.abs(b[i] - a[i])) / step_deg))
                if n > 1:
                    t = np.linspace(0.0, 1.0, n + 1)[1:, None]
                    out.append(a[i] + t * (b[i] - a[i]))
                    continue
            out.append(b[i : i + 1])
        return np.vstack(out)

    polys = [
        Polygon(ring(p.exterior.coords), [ring(r.coords) for r in p.interiors])
        for p in getattr(geom, "geoms", [geom])
        if not p.is_empty
    ]
    return polys[0] if len(polys) == 1 and isinstance(geom, Polygon) else MultiPolygon(polys)


@dataclass(frozen=True)
class ExportShape:
    """One outline as files carry it (issue 9).

    Attributes
    ----------
    polygon : Polygon or MultiPolygon
        For fills and areas: densified on the true curve wherever lon/lat,
        geodesic and Web Mercator readers would part
        (:func:`geo.core.densify.densify_outline`), split at ±180° (RFC 7946),
        cut into lunes when it covers both poles (:func:`globe_safe`),
        oriented by ``winding`` and rounded.
    lines : list of ndarray
        For strokes: the outline's own vertices, (lon, lat), longitudes
        unwrapped (continuous) and not split, without the edges that stand
        for no curve (a pole closure, the world box round a huge ring).
    has_cuts : bool
        Whether the polygon's boundary has edges that are not the outline
        (cuts at ±180°, pole closures, lune sides): then strokes must come
        from ``lines``.
    """

    polygon: Polygon | MultiPolygon
    lines: list[NDArray[np.float64]]
    has_cuts: bool


def export_shape(
    outline: Polygon | MultiPolygon,
    circles: Sequence[Circle],
    range_km: float,
    *,
    winding: str = "ccw",
    decimals: int = EXPORT_PRECISION,
) -> ExportShape:
    """The file form of an unwrapped outline (a ring, a coverage): see :class:`ExportShape`.

    ``circles`` are the launch points with their range (and minimum range),
    on which new vertices are solved exactly; ``range_km`` sets the
    tolerance, :func:`geo.core.rings.chord_tolerance_m`.
    """
    wind = check_winding(winding)
    dense = densify_outline(outline, circles, chord_tolerance_m(range_km))
    split = split_polygon(dense)
    safe = globe_safe(split)
    oriented = shapely.orient_polygons(densify_cuts(safe), exterior_cw=wind == "cw")
    polygon = round_geometry(oriented, decimals)
    lines = [np.round(line, decimals) for line in curve_lines(shapely.orient_polygons(dense))]
    at_pole = bool(np.any(np.abs(shapely.get_coordinates(dense)[:, 1]) > 89.999999))
    return ExportShape(polygon, lines, safe is not dense or at_pole)


def outline_feature(shape: ExportShape, properties: dict[str, Any]) -> dict[str, Any] | None:
    """A MultiLineString Feature to stroke, when the polygon's boundary has cuts (``None`` otherwise).

    RFC 7946 (§3.1.9) has lines cut at ±180° too, but a cut line simply ends
    there: unlike a polygon's boundary it draws no edge along the meridian.
    Style the polygon without outline and this without fill.
    """
    if not shape.has_cuts:
        return None
    parts: list[Any] = []
    for line in shape.lines:
        parts.extend(shapely.get_parts(split_line(line)))
    coords = [np.asarray(g.coords).tolist() for g in parts if len(g.coords) >= 2]
    return {
        "type": "Feature",
        "geometry": {"type": "MultiLineString", "coordinates": coords},
        "properties": {"feature": "outline", **properties},
    }


def ring_circles(point: LaunchPoint, system: System) -> list[Circle]:
    """The circles a ring's vertices lie on: the range and the minimum range round the launch point."""
    circles = [Circle(point.lat, point.lon, system.range_km * 1000.0)]
    if system.min_range_km > 0.0:
        circles.append(Circle(point.lat, point.lon, system.min_range_km * 1000.0))
    return circles


def ring_shape(point: LaunchPoint, system: System, *, winding: str = "ccw") -> tuple[ExportShape, float]:
    """The file form of one ring (:func:`export_shape`) and its area in km² (the analysis's one method)."""
    ring = sector_polygon_unwrapped(
        point.lat, point.lon, system.range_km, point.sector, min_range_km=system.min_range_km
    )
    return export_shape(ring, ring_circles(point, system), system.range_km, winding=winding), outline_area_km2(ring)


def ring_feature(
    point: LaunchPoint,
    system: System,
    *,
    decimals: int = EXPORT_PRECISION,
    winding: str = "ccw",
    shape: tuple[ExportShape, float] | None = None,
) -> dict[str, Any]:
    """One Feature: the reach of ``system`` from ``point``, with its properties.

    The geometry is :func:`export_shape`'s polygon: densified so that every
    reader draws it within tolerance of the true ring, in the ``winding`` asked.
    """
    shape_, area = shape if shape is not None else ring_shape(point, system, winding=winding)
    geom = shape_.polygon if decimals == EXPORT_PRECISION else round_geometry(shape_.polygon, decimals)
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
            **(
                {"sector_azimuth_deg": point.sector.azimuth_deg, "sector_width_deg": point.sector.width_deg}
                if point.sector
                else {}
            ),
            "area_km2": round(area, 1),
            "air_launched": system.air_launched,
            "custom": system.is_custom,
            "source_url": source.url if source else "",
            "source": f"{source.title} ({source.publisher}, {source.date.isoformat()})" if source else "user-defined",
        },
    }


def rings_feature_collection(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    decimals: int = EXPORT_PRECISION,
    winding: str = "ccw",
) -> dict[str, Any]:
    """A FeatureCollection with one Feature per launch point and system.

    Then, for each ring whose polygon has cuts (±180°, a pole), an
    ``"outline"`` Feature to stroke instead of the polygon's boundary
    (:func:`outline_feature`).
    """
    features: list[dict[str, Any]] = []
    outlines: list[dict[str, Any]] = []
    for s in systems:
        for p in points:
            made = ring_shape(p, s, winding=winding)
            features.append(ring_feature(p, s, decimals=decimals, winding=winding, shape=made))
            line = outline_feature(made[0], {"outline_of": s.id, "launch_label": p.label})
            if line is not None:
                outlines.append(line)
    features += outlines
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


#: Decimal places on the map: 1e-5° is at most 1.1 m, far below a pixel at any
#: zoom a range ring is looked at.
MAP_PRECISION = 5


@functools.lru_cache(maxsize=64)  # 20 sessions × 3 systems; an entry can be megabytes (50 points)
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


def coverage_shape(analysis: Analysis, system_id: str, *, winding: str = "ccw") -> ExportShape:
    """The file form of a system's coverage (:func:`export_shape` of the analysis's outline)."""
    result = analysis.result(system_id)
    if result.outline is None:
        raise InputError("no launch points or zones to cover anything from")
    circles = [c for p in analysis.scenario.points for c in ring_circles(p, result.system)]
    return export_shape(result.outline, circles, result.system.range_km, winding=winding)


def system_feature(
    analysis: Analysis,
    system_id: str,
    *,
    decimals: int = EXPORT_PRECISION,
    winding: str = "ccw",
    shape: ExportShape | None = None,
) -> dict[str, Any]:
    """One Feature: a system's coverage from every launch point and zone, with the analysis's area.

    Properties: ``weapon_id``, ``weapon_name``, ``range_km``, ``min_range_km``
    (applied to launch points only), ``area_km2``, ``launch_points`` and
    ``zones`` (their names, joined with "; ": plain strings, which Shapefiles
    and spreadsheets take, where a list is a GDAL StringList), and the source.
    """
    result = analysis.result(system_id)
    system = result.system
    geom = (shape if shape is not None else coverage_shape(analysis, system_id, winding=winding)).polygon
    return {
        "type": "Feature",
        "geometry": mapping(geom if decimals == EXPORT_PRECISION else round_geometry(geom, decimals)),
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


def analysis_geojson(analysis: Analysis, *, decimals: int = EXPORT_PRECISION, winding: str = "ccw") -> dict[str, Any]:
    """The scenario as one RFC 7946 FeatureCollection: what the map shows, with what the tables state.

    One coverage Feature per system (:func:`system_feature`), then an
    ``"outline"`` Feature for each coverage that has cuts (:func:`outline_feature`), then a Point per
    launch point (``feature``: "launch point") and the target (``feature``:
    "target", with each system's verdict: ``<system id>_in_range``,
    ``<system id>_distance_km``, ``<system id>_margin_km``), and the reverse
    reach when the scenario asks for it (``feature``: "reverse_reach",
    :func:`reverse_feature`).
    """
    shapes = {
        r.system.id: coverage_shape(analysis, r.system.id, winding=winding) for r in analysis.results if r.outline
    }
    features = [system_feature(analysis, sid, decimals=decimals, shape=shp) for sid, shp in shapes.items()]
    for sid, shp in shapes.items():
        line = outline_feature(shp, {"outline_of": sid})
        if line is not None:
            features.append(line)
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
        if analysis.reverse is not None and not analysis.reverse.empty:
            features.append(
                reverse_feature(analysis.reverse, decimals=decimals, target_label=target.label, winding=winding)
            )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def coverage_feature(
    points: Sequence[LaunchPoint],
    zones: Sequence[Zone],
    system: System,
    *,
    decimals: int = EXPORT_PRECISION,
    winding: str = "ccw",
) -> dict[str, Any]:
    """:func:`system_feature` of one system's analysis from these points and zones (the command line's ``rings``)."""
    return coverage_features(points, zones, system, decimals=decimals, winding=winding)[0]


def coverage_features(
    points: Sequence[LaunchPoint],
    zones: Sequence[Zone],
    system: System,
    *,
    decimals: int = EXPORT_PRECISION,
    winding: str = "ccw",
) -> list[dict[str, Any]]:
    """:func:`coverage_feature`, then its ``"outline"`` Feature when the coverage has cuts (:func:`outline_feature`)."""
    analysis = analyse(Scenario(points=tuple(points), zones=tuple(zones), systems=(system,)))
    shape_ = coverage_shape(analysis, system.id, winding=winding)
    out = [system_feature(analysis, system.id, decimals=decimals, shape=shape_)]
    line = outline_feature(shape_, {"outline_of": system.id})
    return out if line is None else [*out, line]


def reverse_feature(
    reach: ReverseReach, *, decimals: int = EXPORT_PRECISION, target_label: str = "", winding: str = "ccw"
) -> dict[str, Any]:
    """One reverse-reach area (:mod:`geo.analysis.reverse`) as an RFC 7946 Feature.

    The geometry is the analysis's own: split at ±180°, counter-clockwise
    (or clockwise, ``winding="cw"``), rounded to ``decimals``; ``area_km2``
    is the analysis's area.
    """
    wind = check_winding(winding)
    geom = round_geometry(shapely.orient_polygons(reach.geometry, exterior_cw=wind == "cw"), decimals)
    return {
        "type": "Feature",
        "geometry": mapping(geom) if not geom.is_empty else None,
        "properties": {
            "feature": "reverse_reach",
            "weapon_id": reach.system.id,
            "weapon_name": reach.system.name,
            "range_km": reach.system.range_km,
            "min_range_km": reach.system.min_range_km,
            "target": target_label,
            "target_lat": reach.target.lat,
            "target_lon": reach.target.lon,
            "country": reach.country.iso2 or reach.country.iso3 if reach.country is not None else None,
            "area_km2": round(reach.area_km2, 1),
        },
    }
