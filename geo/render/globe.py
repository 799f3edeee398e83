"""The globe view's layers (issue 12): the map's rings, zones, reverse reach and borders, on a sphere.

Long ranges (Kh-101, Oreshnik, a 5,500 km ring from Kaliningrad) bend out of
shape on Web Mercator and leave it near the poles; on a globe they read as
what they are. This module turns the one :class:`~geo.analysis.analyse.Analysis`
of the scenario into plain layer data for deck.gl's ``GlobeView`` (rendered by
the deck.gl that ships inside Streamlit's frontend: ``st.pydeck_chart``, no
CDN, no basemap; see ``webapp/panels/globe.py``). Nothing is computed again:

- **fills** are each system's coverage as RFC 7946 has it
  (:attr:`SystemResult.coverage`: split at ±180°, a ring round a pole closed
  along the pole). deck.gl triangulates polygons in (lon, lat) and, on a globe,
  cuts them by a grid of :data:`GLOBE_RESOLUTION_DEG` first, so a polygon whose
  edges are straight in lon/lat is drawn as such: a pole closure or a ±180° cut
  is an edge of the fill, never a stroke.
- **outlines** are the coverage's own vertices, unwrapped and unsplit
  (:func:`geo.core.densify.curve_lines` without the pole closure): a ring
  round the North Pole is one path whose ends meet, a ring across ±180° one
  path through 180° (the globe's projection is periodic in longitude).
- **land and borders** are the Natural Earth countries the app ships
  (:mod:`geo.datasets.countries`), simplified for display only.

Coordinates are (lon, lat) as deck.gl takes them, rounded to 1e-5° (about 1 m)
like the map's (:data:`geo.export.geojson.MAP_PRECISION`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.analyse import Analysis
from geo.analysis.labels import ring_labels
from geo.analysis.target import geodesic_line
from geo.core.antimeridian import seam_free_lines
from geo.core.densify import curve_lines
from geo.core.simplify import simplify_metric_many
from geo.datasets.countries import borders_geojson, countries
from geo.export.geojson import MAP_PRECISION
from geo.scenario.zones import Zone

__all__ = [
    "GLOBE_RESOLUTION_DEG",
    "GlobeFill",
    "GlobeLabel",
    "GlobeLayers",
    "GlobePath",
    "GlobeView",
    "deck_spec",
    "extent_px",
    "globe_layers",
    "globe_view",
    "hex_rgba",
    "land_and_borders",
]

#: deck.gl's GlobeView cuts polygons and paths into cells this many degrees wide before
#: projecting them (its default, 10°, draws the sphere's rim as a visible polygon, and the
#: flat triangles of a 10° cell lie up to 47 km under the sphere).
GLOBE_RESOLUTION_DEG: Final = 2.0
#: Earth's mean radius (IUGG), metres: only to frame the view, never to measure.
_MEAN_RADIUS_M: Final = 6_371_008.8
#: Labels float this high above the sphere (metres), so that the ocean and land drawn on it
#: never hide them; on the far side the sphere still does.
LABEL_ALTITUDE_M: Final = 30_000.0
#: Labels' depth offset (deck.gl ``getPolygonOffset`` units): see :func:`deck_spec`.
LABEL_DEPTH_OFFSET: Final = -1_000_000
#: Display simplification of land and borders, degrees (≤ 11 km; the globe shows continents).
LAND_TOLERANCE_DEG: Final = 0.15
#: Land and border coordinates are kept to 0.01° (1.1 km): invisible at a globe's scale.
LAND_DECIMALS: Final = 2
#: Islands smaller than this (square degrees, about 250 km² at the equator) are left out of the land.
LAND_MIN_AREA_DEG2: Final = 0.02
#: Zone outlines are simplified within this many metres for display (as on the map).
ZONE_TOLERANCE_M: Final = 1_000.0

OCEAN_RGBA: Final = (206, 224, 240, 255)
LAND_RGBA: Final = (244, 241, 232, 255)
BORDER_RGBA: Final = (120, 120, 120, 200)
ZONE_RGBA: Final = (34, 34, 34, 255)
TARGET_RGBA: Final = (204, 0, 0, 255)
POINT_RGBA: Final = (20, 20, 20, 255)
#: Reverse reach: the map's colour for it (geo.render.layers.REVERSE_COLOR, #5b2a86).
REVERSE_RGBA: Final = (91, 42, 134, 255)
FILL_ALPHA: Final = 0.18

PathKind = Literal["ring", "zone", "reverse", "target-line"]
LabelKind = Literal["ring", "point", "target"]


@dataclass(frozen=True)
class GlobeView:
    """Where the globe opens: its centre (degrees) and deck.gl zoom."""

    lat: float
    lon: float
    zoom: float


@dataclass(frozen=True)
class GlobePath:
    """A line to stroke: (lon, lat) vertices, longitudes continuous (unwrapped)."""

    kind: PathKind
    key: str
    rgba: tuple[int, int, int, int]
    path: list[list[float]]


@dataclass(frozen=True)
class GlobeFill:
    """A polygon to fill: its exterior and holes, (lon, lat), RFC 7946 (within ±180°)."""

    kind: Literal["ring", "reverse"]
    key: str
    rgba: tuple[int, int, int, int]
    polygon: list[list[list[float]]]


@dataclass(frozen=True)
class GlobeLabel:
    """Text drawn on the globe's canvas (never HTML): a ring, a launch point or the target."""

    kind: LabelKind
    text: str
    lon: float
    lat: float
    rgba: tuple[int, int, int, int]


@dataclass(frozen=True)
class GlobeLayers:
    """Everything the globe draws for one analysis; see the module docstring."""

    fills: list[GlobeFill] = field(default_factory=list)
    paths: list[GlobePath] = field(default_factory=list)
    labels: list[GlobeLabel] = field(default_factory=list)
    view: GlobeView = GlobeView(51.0, 35.6, 1.0)


def hex_rgba(hex_rgb: str, alpha: float = 1.0) -> tuple[int, int, int, int]:
    """``#rrggbb`` as deck.gl's [r, g, b, a] (0–255).

    Examples
    --------
    >>> hex_rgba("#E69F00", 0.5)
    (230, 159, 0, 128)
    """
    h = hex_rgb.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), round(255 * alpha)


def _rounded(xy: NDArray[np.float64], decimals: int = MAP_PRECISION) -> list[list[float]]:
    out: list[list[float]] = np.round(np.asarray(xy, dtype=np.float64)[:, :2], decimals).tolist()
    return out


def _polygons(geom: Polygon | MultiPolygon, decimals: int = MAP_PRECISION) -> list[list[list[list[float]]]]:
    polys: list[list[list[list[float]]]] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        rings = [poly.exterior, *poly.interiors]
        polys.append([_rounded(np.asarray(r.coords), decimals) for r in rings])
    return polys


def outline_paths(geom: Polygon | MultiPolygon) -> list[NDArray[np.float64]]:
    """The lines that stroke an outline: its own vertices, without pole closures or ±180° cuts.

    An unwrapped outline (the analysis's ``outline``) has no cuts at ±180°, so a ring
    round a pole comes back as one line whose ends are the same point of the globe
    (360° apart in longitude); a split one (reverse reach, RFC 7946) loses its cuts.

    Examples
    --------
    >>> from geo.core.rings import range_ring_unwrapped
    >>> [len(p) for p in outline_paths(range_ring_unwrapped(80.0, 0.0, 2500))]
    [103]
    """
    out: list[NDArray[np.float64]] = []
    for line in curve_lines(shapely.orient_polygons(geom)):
        out.extend(seam_free_lines(line))
    return out


def _zone_paths(zone: Zone) -> list[NDArray[np.float64]]:
    parts = shapely.get_parts(zone.geometry)
    lines = shapely.get_rings(parts) if zone.kind != "line" else parts
    paths = [np.asarray(line.coords, dtype=np.float64)[:, :2] for line in lines]
    out: list[NDArray[np.float64]] = []
    for xy in simplify_metric_many(paths, ZONE_TOLERANCE_M):
        out.extend(seam_free_lines(xy))
    return out


def _unit_vector(lat: float, lon: float) -> NDArray[np.float64]:
    la, lo = math.radians(lat), math.radians(lon)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def _angle_deg(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    return math.degrees(math.atan2(float(np.linalg.norm(np.cross(a, b))), float(np.dot(a, b))))


#: deck.gl's GlobeViewport draws the sphere ``GLOBE_PX_AT_ZOOM_0 * 2**zoom / cos(lat)`` "pixels"
#: in radius (256/π: a world 512 pixels round at zoom 0, scaled like Web Mercator at the centre's
#: latitude, which it clamps to Mercator's limit), seen in perspective from ``CAMERA_ALTITUDE``
#: screen heights above the centre. Checked in Chromium: the sphere's width on screen at zoom 0, 1
#: and 2 on the equator (150, 280, 498 px of a 620 px canvas), at 55° N (248, 446 px) and at 80°,
#: 85° and 89° N match this to a pixel.
GLOBE_PX_AT_ZOOM_0: Final = 256.0 / math.pi
CAMERA_ALTITUDE: Final = 1.5
_MAX_VIEW_LAT: Final = 85.0511287798
#: The largest ring spans at most this share of the globe's half-height on screen.
FIT_SHARE: Final = 0.88
_MIN_ZOOM: Final = -3.0
_MAX_ZOOM: Final = 9.0


def extent_px(zoom: float, lat: float, theta_deg: float, height_px: float) -> float:
    """How far from the centre of the screen a circle ``theta_deg`` round the view's centre is drawn, px.

    A circle past the horizon is hidden behind the globe: its extent is then the globe's rim.
    """
    radius = GLOBE_PX_AT_ZOOM_0 * math.pow(2.0, zoom) / math.cos(math.radians(min(abs(lat), _MAX_VIEW_LAT)))
    distance = CAMERA_ALTITUDE * height_px
    horizon_deg = math.degrees(math.acos(radius / (distance + radius)))
    if theta_deg >= horizon_deg:
        return distance * radius / math.sqrt((distance + radius) ** 2 - radius**2)
    t = math.radians(theta_deg)
    return distance * radius * math.sin(t) / (distance + radius * (1.0 - math.cos(t)))


def globe_view(sites: Sequence[tuple[float, float]], reach_km: float, *, height_px: int) -> GlobeView:
    """A centre and zoom that show every site with its reach (the largest ring) on a globe ``height_px`` tall.

    The centre is the sites' mean direction on the sphere; the reach seen from it spans
    the largest angular distance of a site plus the range (on a 6,371 km sphere: framing
    only). The zoom is the largest that draws that circle within ``FIT_SHARE`` of half
    the height (:func:`extent_px`, deck.gl's projection); a reach past the horizon
    shows the whole globe.

    Examples
    --------
    >>> v = globe_view([(54.71, 20.51)], 5500, height_px=620)
    >>> v.lat, v.lon, 1.0 < v.zoom < 2.0
    (54.71, 20.51, True)
    """
    if not sites:
        return GlobeView(51.0, 35.6, 1.0)
    vectors = np.array([_unit_vector(lat, lon) for lat, lon in sites])
    mean = vectors.sum(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9:  # sites spread evenly round the globe: any centre will do
        mean, norm = vectors[0], 1.0
    centre = mean / norm
    lat = math.degrees(math.asin(max(-1.0, min(1.0, float(centre[2])))))
    lon = math.degrees(math.atan2(float(centre[1]), float(centre[0])))
    spread = max(_angle_deg(centre, v) for v in vectors)
    theta = min(spread + math.degrees(reach_km * 1000.0 / _MEAN_RADIUS_M), 180.0)
    target_px = FIT_SHARE * height_px / 2.0
    lo, hi = _MIN_ZOOM, _MAX_ZOOM
    for _ in range(40):  # the extent grows with the zoom: bisect
        mid = (lo + hi) / 2.0
        if extent_px(mid, lat, theta, height_px) > target_px:
            hi = mid
        else:
            lo = mid
    return GlobeView(round(lat, 4), round(lon, 4), math.floor(lo * 100.0) / 100.0)


def globe_layers(analysis: Analysis, colors: Mapping[str, str], *, height_px: int) -> GlobeLayers:
    """The globe's layers for ``analysis``: fills and outlines per system, zones, reverse reach, labels, view.

    ``colors`` maps system ids to ``#rrggbb`` (the map's colours); ``height_px`` is
    the globe's height on the page, for framing.
    """
    scenario = analysis.scenario
    fills: list[GlobeFill] = []
    paths: list[GlobePath] = []
    labels: list[GlobeLabel] = []
    # Largest first, so that smaller rings are drawn over them (as on the map).
    for result in sorted(analysis.results, key=lambda r: -r.system.range_km):
        if result.outline is None or result.coverage is None or result.outline.is_empty:
            continue
        color = colors.get(result.system.id, "#333333")
        for polygon in _polygons(result.coverage):
            fills.append(GlobeFill("ring", result.system.id, hex_rgba(color, FILL_ALPHA), polygon))
        for line in outline_paths(result.outline):
            paths.append(GlobePath("ring", result.system.id, hex_rgba(color), _rounded(line)))
    for zone in analysis.zones:
        for line in _zone_paths(zone):
            paths.append(GlobePath("zone", zone.label, ZONE_RGBA, _rounded(line)))
    reverse = analysis.reverse
    if reverse is not None and not reverse.empty:
        rgba = REVERSE_RGBA
        for polygon in _polygons(reverse.geometry):
            fills.append(GlobeFill("reverse", reverse.system.id, (*rgba[:3], round(255 * 0.1)), polygon))
        for line in outline_paths(reverse.geometry):
            paths.append(GlobePath("reverse", reverse.system.id, rgba, _rounded(line)))
    for label in ring_labels(analysis):
        color = colors.get(label.system_id, "#333333")
        labels.append(GlobeLabel("ring", label.text, label.lon, label.lat, hex_rgba(color)))
    for i, point in enumerate(scenario.points):
        text = f"{i + 1} {point.label}".strip()
        labels.append(GlobeLabel("point", text, point.lon, point.lat, POINT_RGBA))
    target = analysis.target
    if target is not None and target.point is not None:
        labels.append(GlobeLabel("target", f"◎ {target.label}", target.point.lon, target.point.lat, TARGET_RGBA))
        if analysis.verdicts:
            best = max(analysis.verdicts, key=lambda v: (v.in_range, -v.best.distance_km)).best
            if best.distance_km > 0.0:
                along = geodesic_line(best.from_point, target.point)
                lons = np.unwrap(np.array([p.lon for p in along]), period=360.0)
                xy = np.column_stack([lons, [p.lat for p in along]])
                paths.append(GlobePath("target-line", "target", (17, 17, 17, 255), _rounded(xy)))
    sites = [(p.lat, p.lon) for p in scenario.points]
    for zone in analysis.zones:
        c = zone.geometry.representative_point()
        sites.append((c.y, c.x))
    reach_km = max((s.range_km for s in scenario.systems), default=300.0)
    return GlobeLayers(fills, paths, labels, globe_view(sites, reach_km, height_px=height_px))


#: Layers are stacked in altitude (metres), so that none is hidden in another: on a globe
#: deck.gl cuts polygons and paths into cells of GLOBE_RESOLUTION_DEG and draws each as flat
#: pieces, whose middle lies up to 1.93 km under the sphere (a 2° cell's diagonal). Each layer
#: sits 2.5 km over the one below (invisible: 0.04 % of the Earth's radius). The ocean stays at
#: 0: sunk below it, its cells round the poles were culled and left a hole at each pole.
ALTITUDE_M: Final = {"ocean": 0.0, "land": 2_500.0, "borders": 5_000.0, "fills": 7_500.0, "paths": 10_000.0}


def _z(coords: list[list[float]], z: float) -> list[list[float]]:
    return [[x, y, z] for x, y, *_ in coords]


@functools.lru_cache(maxsize=1)
def land_and_borders() -> tuple[list[list[list[list[float]]]], list[list[list[float]]]]:
    """The land (polygons, for fills) and the borders (lines) of Natural Earth's countries, for a globe.

    Simplified by :data:`LAND_TOLERANCE_DEG` for display only (nothing is measured
    from them), islands under :data:`LAND_MIN_AREA_DEG2` left out; lines are the map's
    borders, without Natural Earth's cuts at ±180°. About 0.55 MB as JSON.
    """
    land: list[list[list[list[float]]]] = []
    for c in countries():
        simple = shapely.simplify(c.geometry, LAND_TOLERANCE_DEG, preserve_topology=True)
        for poly in getattr(simple, "geoms", [simple]):
            if poly.is_empty or poly.area < LAND_MIN_AREA_DEG2:
                continue
            land.extend([_z(ring, ALTITUDE_M["land"]) for ring in p] for p in _polygons(poly, LAND_DECIMALS))
    fc = borders_geojson(tolerance_deg=LAND_TOLERANCE_DEG, decimals=LAND_DECIMALS)
    borders = [_z(line, ALTITUDE_M["borders"]) for f in fc["features"] for line in f["geometry"]["coordinates"]]
    return land, borders


#: The sphere under everything (deck.gl's globe example): a world polygon, cut into cells by the view.
_WORLD: Final = [[-180.0, 90.0], [0.0, 90.0], [180.0, 90.0], [180.0, -90.0], [0.0, -90.0], [-180.0, -90.0]]


def _layer(kind: str, layer_id: str, data: list[dict[str, Any]], **props: Any) -> dict[str, Any]:
    return {"@@type": kind, "id": layer_id, "data": data, **props}


def deck_spec(
    layers: GlobeLayers, *, land: bool = True, resolution_deg: float = GLOBE_RESOLUTION_DEG
) -> dict[str, Any]:
    """The globe as deck.gl JSON (``JSONConverter``'s form: ``@@type``, accessors ``@@=field``), bottom layer first.

    The only other expression is a constant array (``@@=[0, -1000000]``).

    A ``GlobeView`` and no map style: deck.gl draws everything itself and fetches nothing.
    Text is drawn by deck.gl's TextLayer on the canvas: labels are never HTML.
    """
    specs: list[dict[str, Any]] = [
        _layer(
            "SolidPolygonLayer",
            "ocean",
            [{"polygon": _z(_WORLD, ALTITUDE_M["ocean"])}],
            getPolygon="@@=polygon",
            getFillColor=list(OCEAN_RGBA),
        )
    ]
    if land:
        land_polys, borders = land_and_borders()
        specs.append(
            _layer(
                "SolidPolygonLayer",
                "land",
                [{"p": p} for p in land_polys],
                getPolygon="@@=p",
                getFillColor=list(LAND_RGBA),
            )
        )
        specs.append(
            _layer(
                "PathLayer",
                "borders",
                [{"p": b} for b in borders],
                getPath="@@=p",
                getColor=list(BORDER_RGBA),
                getWidth=0.8,
                widthUnits="pixels",
            )
        )
    fills = [
        {"polygon": [_z(ring, ALTITUDE_M["fills"]) for ring in f.polygon], "color": list(f.rgba)} for f in layers.fills
    ]
    specs.append(_layer("SolidPolygonLayer", "fills", fills, getPolygon="@@=polygon", getFillColor="@@=color"))
    for kind, width in (("zone", 2.0), ("reverse", 2.5), ("ring", 2.5), ("target-line", 2.0)):
        data = [
            {"path": _z(p.path, ALTITUDE_M["paths"]), "color": list(p.rgba)} for p in layers.paths if p.kind == kind
        ]
        if data:
            specs.append(
                _layer(
                    "PathLayer",
                    f"paths-{kind}",
                    data,
                    getPath="@@=path",
                    getColor="@@=color",
                    getWidth=width,
                    widthUnits="pixels",
                    **({"getDashArray": [6, 4], "dashJustified": True} if kind in ("zone", "target-line") else {}),
                )
            )
    if layers.labels:
        data = [
            {
                "position": [round(lab.lon, 5), round(lab.lat, 5), LABEL_ALTITUDE_M],
                "text": lab.text,
                "color": list(lab.rgba),
            }
            for lab in layers.labels
        ]
        specs.append(
            _layer(
                "TextLayer",
                "labels",
                data,
                getPosition="@@=position",
                getText="@@=text",
                getColor="@@=color",
                getSize=14,
                characterSet="auto",
                fontFamily="sans-serif",
                fontWeight=600,
                getTextAnchor="middle",
                getAlignmentBaseline="bottom",
                background=True,
                getBackgroundColor=[255, 255, 255, 210],
                backgroundPadding=[3, 1],
                # GlobeView culls back faces by default, and the TextLayer's quads come out wound the
                # other way on a globe: without this no label is drawn (visgl/deck.gl#9777, #10519).
                parameters={"cullMode": "none"},
                # A label stands up from its point towards the viewer; towards the rim the sphere
                # behind it is nearer, and hid it. Pulled this far forward in depth it is drawn
                # whole, yet a label on the far side stays hidden behind the globe (both checked
                # in Chromium, tests/browser/test_globe_browser.py). No depth test would show it
                # through the globe.
                getPolygonOffset=f"@@=[0, {LABEL_DEPTH_OFFSET}]",
            )
        )
    view = layers.view
    return {
        "initialViewState": {"latitude": view.lat, "longitude": view.lon, "zoom": view.zoom},
        "views": [{"@@type": "_GlobeView", "controller": True, "resolution": resolution_deg}],
        "layers": specs,
    }
