"""The map to take away: one self-contained HTML file, and small multiples.

:func:`standalone_html` writes the app's map (the same rings, from
:func:`geo.render.layers.scenario_layers`) as one HTML file that opens offline and
embeds in an ``<iframe>``: Leaflet 1.9.3's JavaScript and CSS are inlined
from the ``xstatic-leaflet`` package (its CSS images as ``data:`` URIs), and
OpenStreetMap tiles are the only thing fetched from outside. When they fail
(Leaflet keeps a tile that failed hidden) the map still reads: the page
embeds the country borders and the names of the largest places of the view
(:func:`context_layers`), drawn as the app draws them offline. A legend gives
each system's colour, name and range, the sources and the credits.

:func:`small_multiples_html` draws one small map per system, all showing the
same view and moving together, for a Streamlit ``components.html`` iframe,
with the same embedded borders and place names.

Leaflet draws every vertex of a ring (``smoothFactor`` 0,
:data:`geo.render.layers.RING_SMOOTH_FACTOR`): its default simplifies each
ring on screen and drew a third of them.

Safety: every user-supplied string (system names, launch point and target
labels, the title) is HTML-escaped before it is written into the page. folium
writes tooltips into a JavaScript template literal (`` `...` ``), where an
escaped name can still end the literal with a backtick or run code with
``${...}``; :func:`_harden_tooltips` writes those characters as HTML
character references, which the tooltip shows as typed.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import folium
import numpy as np
import shapely
from branca.element import Element, Figure
from shapely.geometry import shape

from geo.analysis.analyse import Analysis, Reach, analyse, verdicts_for
from geo.analysis.caption import caption_for
from geo.analysis.labels import ring_labels
from geo.analysis.target import geodesic_line
from geo.core.coords import LatLon, check_latlon, format_latlon
from geo.core.grid import format_mgrs
from geo.core.text import clean_label, clean_text
from geo.core.units import check_unit, format_distance
from geo.datasets.catalog import Source, span_text
from geo.datasets.countries import borders_geojson
from geo.datasets.gazetteer import Place, largest_places
from geo.errors import InputError
from geo.export.geojson import MAP_PRECISION, map_outline, outline_geojson
from geo.render import gestures, templates
from geo.render.layers import (
    MAP_CSS,
    RING_SMOOTH_FACTOR,
    TILES_ATTRIBUTION,
    TILES_URL,
    WRM_LABELS_JS,
    MapStyle,
    marker_icon,  # the app's marker look, so the export matches the map on screen
    places_layer,
    point_details,
    reverse_layer,
    scenario_layers,
    tooltip_html,
    zones_layer,
)
from geo.scenario.model import LaunchPoint, Scenario, System
from geo.scenario.palette import check_hex_color, color_for
from geo.scenario.zones import Zone

__all__ = [
    "DEFAULT_TITLE",
    "NOMINAL_NOTE",
    "context_bbox",
    "context_layers",
    "external_resources",
    "leaflet_assets",
    "small_multiples_html",
    "standalone_html",
]

DEFAULT_TITLE: Final = "Weapon Range Map"
#: Longest title kept, in characters.
MAX_TITLE_CHARS: Final = 200

NOMINAL_NOTE: Final = "Ranges are publicly reported nominal figures; air-launched ranges count from the release point."

_OSM_COPYRIGHT: Final = "https://www.openstreetmap.org/copyright"
_GEONAMES: Final = "https://www.geonames.org/"
_CC_BY_4: Final = "https://creativecommons.org/licenses/by/4.0/"

_EXTERNAL_RE: Final = re.compile(
    r"<(?:script|link|img|iframe|source|embed)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]*)",
    re.IGNORECASE,
)

_CSS_IMAGE_RE: Final = re.compile(r"url\((images/[\w.-]+\.png)\)")


@functools.cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet 1.9.3's JavaScript and CSS from ``xstatic-leaflet``, ready to inline.

    The source-map comment is dropped (a browser's developer tools would fetch
    it) and the CSS images become ``data:`` URIs, so nothing is loaded from a
    relative path either. Cached: read once per process.

    Returns
    -------
    (str, str)
        The JavaScript (about 147 KB) and the CSS (about 20 KB).

    Raises
    ------
    RuntimeError
        If either file holds a sequence that would end its inline element.

    Examples
    --------
    >>> js, css = leaflet_assets()
    >>> 'version="1.9.3"' in js, "sourceMappingURL" in js, "url(images/" in css
    (True, False, False)
    """
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = gestures.SOURCE_MAP_RE.sub("", (base / "leaflet.js").read_text(encoding="utf-8")).rstrip() + "\n"

    def data_uri(match: re.Match[str]) -> str:
        payload = base64.b64encode((base / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    css = _CSS_IMAGE_RE.sub(data_uri, (base / "leaflet.css").read_text(encoding="utf-8"))
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("Leaflet's files cannot be inlined: they contain a closing </script> or </style>")
    return js, css


@functools.cache
def ring_label_js() -> str:
    """static/wrm/wrm-labels.js (shipped as ``geo.data``), ready to inline: the labels' layout.

    Examples
    --------
    >>> "liftBoxes" in ring_label_js()
    True
    """
    js = (resources.files("geo.data") / WRM_LABELS_JS).read_text(encoding="utf-8")
    if "</script" in js.lower():
        raise RuntimeError(f"{WRM_LABELS_JS} cannot be inlined: it contains a closing </script>")
    return js


def external_resources(page: str) -> list[str]:
    """The absolute http(s) URLs a page loads through ``src``/``href`` of script, link, img, iframe….

    Links the reader may follow (``<a href>``) and Leaflet's tile URL template
    (inside a script) are not loads and are not listed.

    Examples
    --------
    >>> external_resources('<script src="https://cdn.example/x.js"></script><a href="https://osm.org">OSM</a>')
    ['https://cdn.example/x.js']
    >>> external_resources(standalone_html([LaunchPoint(50.9, 34.8)], [System.custom("X", 100)], colors={}))
    []
    """
    return [m.group(1) for m in _EXTERNAL_RE.finditer(page)]


class _InlineMap(folium.Map):
    """A ``folium.Map`` that loads nothing: Leaflet is inlined into the page's header.

    folium's defaults pull Leaflet, jQuery, Bootstrap and Font Awesome from
    public CDNs; the export needs only Leaflet (markers are ``DivIcon``s).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default_js: list[tuple[str, str]] = []
        self.default_css: list[tuple[str, str]] = []


def _harden_tooltips(element: Any) -> None:
    """Make every folium tooltip under ``element`` safe inside folium's JS template literal."""
    for child in element._children.values():
        if isinstance(child, folium.Tooltip):
            child.text = tooltip_html(child.text)
        _harden_tooltips(child)


def _palette(systems: Sequence[System], colors: Mapping[str, str]) -> dict[str, str]:
    """Colour by system id: the one given (validated), else the palette colour of its position."""
    return {s.id: check_hex_color(colors[s.id]) if s.id in colors else color_for(i) for i, s in enumerate(systems)}


def _link(url: str, text: str | None = None) -> str:
    """An escaped link for an http(s) URL; anything else as escaped text."""
    safe = html.escape(url, quote=True)
    label = html.escape(text) if text is not None else safe
    if url.startswith(("https://", "http://")):
        return f'<a href="{safe}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return label


def _source_item(source: Source) -> str:
    return (
        f"{html.escape(source.title)}, {html.escape(source.publisher)}, {source.date.isoformat()}, {_link(source.url)}"
    )


def _check_inputs(points: Sequence[LaunchPoint], systems: Sequence[System], zones: Sequence[Zone] = ()) -> None:
    if not points and not zones:
        raise InputError("nothing to draw: add at least one launch point or launch zone")
    if not systems:
        raise InputError("nothing to draw: choose at least one weapon system")
    for point in points:
        check_latlon(point.lat, point.lon)


_PAGE_CSS: Final = """
html, body { font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; }
/* The legend sits beside the map (below it on a narrow screen or iframe), never over it,
   so the view fitted to the rings is all visible. It comes first in the page, so it reads first. */
body { display: flex; flex-direction: row; }
body > .folium-map { flex: 1 1 0; min-width: 0; width: auto !important; }
.leaflet-container { background: #eef0f2; }
.wrm-panel { flex: 0 0 min(340px, 40%); box-sizing: border-box; overflow: auto; padding: 10px 14px;
  border-right: 1px solid #ccc; background: #fff; font-size: 13px; }
@media (max-width: 720px) {
  body { flex-direction: column; }
  body > .folium-map { height: auto !important; }
  .wrm-panel { order: 2; flex: 0 0 auto; max-height: 40%; border-right: none; border-top: 1px solid #ccc; }
}
.wrm-panel h1 { font-size: 17px; margin: 0 0 8px; overflow-wrap: anywhere; }
.wrm-panel h2 { font-size: 13px; margin: 12px 0 4px; }
.wrm-panel ul, .wrm-panel ol { margin: 4px 0; padding-left: 20px; }
.wrm-panel ul.wrm-systems { list-style: none; padding-left: 0; }
.wrm-systems li, .wrm-points li { margin: 3px 0; overflow-wrap: anywhere; }
.wrm-swatch { display: inline-block; width: 14px; height: 14px; vertical-align: -2px; margin-right: 6px;
  border: 2px solid; border-radius: 3px; box-sizing: border-box; }
.wrm-note { color: #444; font-size: 12px; }
.wrm-sources li, .wrm-credits li { font-size: 12px; margin: 2px 0; overflow-wrap: anywhere; }
"""


def _legend_html(
    *,
    caption: str = "",
    title: str,
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    palette: Mapping[str, str],
    unit: str,
    target: LatLon | None,
    target_label: str,
    credit_geonames: bool,
    borders_credit: str,
    nearest: Reach | None = None,
    areas: Mapping[str, float] | None = None,
    mgrs: Sequence[str] = (),
    target_mgrs: str = "",
    reverse_text: str = "",
) -> str:
    items = []
    for system in systems:
        color = palette[system.id]
        notes = []
        if system.air_launched:
            notes.append("air-launched: from the release point")
        if system.is_custom:
            notes.append("user-defined")
        note = f' <span class="wrm-note">({"; ".join(notes)})</span>' if notes else ""
        area = ""
        if areas and system.id in areas:
            area = f' <span class="wrm-area">· {areas[system.id]:,.0f} km² within reach</span>'
        items.append(
            f'<li data-system="{html.escape(system.id, quote=True)}">'
            f'<span class="wrm-swatch" style="background:{color}33;border-color:{color}"></span>'
            f'<b class="wrm-name">{html.escape(system.name)}</b> '
            f'<span class="wrm-range">{html.escape(system.range_text(unit))}</span>{area}{note}</li>'
        )
    launch = [
        f'<li><span class="wrm-point-label">{html.escape(p.name)}</span>'
        + (f" ({html.escape(format_latlon(p.lat, p.lon))})" if p.label else "")
        + (f' · <span class="wrm-mgrs">MGRS {html.escape(mgrs[i])}</span>' if i < len(mgrs) else "")
        + (f' · <span class="wrm-sector">{html.escape(p.sector.description())}</span>' if p.sector else "")
        + "</li>"
        for i, p in enumerate(points)
    ]
    parts = [
        '<aside class="wrm-panel" id="wrm-legend">',
        f'<h1 class="wrm-title">{html.escape(title)}</h1>',
        f'<ul class="wrm-systems">{"".join(items)}</ul>',
        f'<h2>Launch points</h2><ol class="wrm-points">{"".join(launch)}</ol>',
    ]
    if target is not None and nearest is not None:
        name = html.escape(target_label) if target_label else "Target"
        where = f"launch point {nearest.index + 1}" if nearest.kind == "point" else f"launch zone {nearest.index + 1}"
        parts.append(
            f'<h2>Target</h2><p class="wrm-target"><span class="wrm-target-label">{name}</span> '
            f"({html.escape(format_latlon(target.lat, target.lon))}"
            + (f'; <span class="wrm-mgrs">MGRS {html.escape(target_mgrs)}</span>' if target_mgrs else "")
            + "): "
            f"{html.escape(format_distance(nearest.distance_km, unit, with_km=True))} from {where} "
            f"({html.escape(nearest.source)})</p>"
        )
    if reverse_text:  # reverse reach, as the target panel and the image's key state it (dashed on the map)
        parts.append(f'<p class="wrm-reverse">{html.escape(reverse_text)} (dashed on the map)</p>')
    sources = []
    for system in systems:
        if system.weapon is None:
            sources.append(f"<li><b>{html.escape(system.name)}</b>: user-defined range, no published source</li>")
            continue
        span = span_text(system.weapon, unit)
        cited = (f"{html.escape(span)}. " if span else "") + "; ".join(_source_item(s) for s in system.weapon.sources)
        sources.append(f"<li><b>{html.escape(system.name)}</b>: {cited}</li>")
    parts.append(f'<h2>Sources</h2><ul class="wrm-sources">{"".join(sources)}</ul>')
    credits = [
        f"<li>{html.escape(NOMINAL_NOTE)}</li>",
        "<li>Rings: geodesics on the WGS84 ellipsoid (GeographicLib, through pyproj).</li>",
        f"<li>Map tiles &copy; {_link(_OSM_COPYRIGHT, 'OpenStreetMap contributors')} (loaded online; "
        "without a connection the map shows the borders and place names embedded in this page).</li>",
    ]
    if credit_geonames:
        credits.append(f"<li>Place names: {_link(_GEONAMES, 'GeoNames')}, {_link(_CC_BY_4, 'CC BY 4.0')}.</li>")
    if borders_credit:
        credits.append(f"<li>Borders: {html.escape(borders_credit)}</li>")
    credits.append(
        '<li>Map library: <a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a> 1.9.3.</li>'
    )
    parts.append(f'<h2>Credits</h2><ul class="wrm-credits">{"".join(credits)}</ul>')
    if caption:
        parts.append(f'<h2>Caption</h2><p class="wrm-caption" id="wrm-caption">{caption}</p>')
    parts.append("</aside>")
    return "".join(parts)


def _bounds(geometries: Sequence[dict[str, Any]], extra: Sequence[LatLon]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around the rings and the extra points (lon unwrapped as drawn)."""
    minx, miny, maxx, maxy = shapely.total_bounds([shape(g) for g in geometries]).tolist()
    for p in extra:
        minx, maxx = min(minx, p.lon), max(maxx, p.lon)
        miny, maxy = min(miny, p.lat), max(maxy, p.lat)
    # Rounded as the rings are (MAP_PRECISION): float noise such as 48.209999999999994 says nothing.
    south, west, north, east = (round(v, MAP_PRECISION) for v in (max(miny, -85.0), minx, min(maxy, 85.0), maxx))
    return [[south, west], [north, east]]


#: Place names embedded in an export, at most (the app's map shows up to 45).
CONTEXT_PLACES: Final = 40
#: Share of the rings' extent added on each side for the embedded context: the
#: map, fitted to the rings, shows more than them on a wide screen (a 300 km
#: ring in a 940 × 800 pixel map: 2.6 × its width), and readers pan.
CONTEXT_MARGIN: Final = 1.0
#: Borders are simplified to the context's width divided by this, in degrees
#: (a 300 km ring at 50° N: 0.02°, at most 2.2 km, about a pixel at the zoom
#: the page opens at), within the bounds below.
_BORDER_STEPS: Final = 2000.0
_BORDER_TOLERANCE_DEG: Final = (0.005, 0.1)


@dataclass(frozen=True)
class Context:
    """What an export draws under the rings so it reads with no tiles."""

    bbox: tuple[float, float, float, float]
    borders: dict[str, Any]
    places: tuple[Place, ...]
    tolerance_deg: float


def context_bbox(bounds: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    """The lon/lat box ``(west, south, east, north)`` of the context around a map's bounds.

    ``bounds`` is ``[[south, west], [north, east]]`` as drawn (longitudes may be
    unwrapped past ±180°); the box adds :data:`CONTEXT_MARGIN` of the extent on
    each side (at least 1°), longitudes widened by 1.6 as in
    :func:`geo.render.layers.context_bbox`.

    Examples
    --------
    >>> context_bbox([[48.0, 30.0], [54.0, 40.0]])
    (14.0, 42.0, 56.0, 60.0)
    """
    (south, west), (north, east) = bounds
    dy = max(CONTEXT_MARGIN * (north - south), 1.0)
    dx = max(CONTEXT_MARGIN * (east - west) * 1.6, 1.0)
    box = (west - dx, max(south - dy, -90.0), east + dx, min(north + dy, 90.0))
    return (round(box[0], 4), round(box[1], 4), round(box[2], 4), round(box[3], 4))


def _lon_windows(west: float, east: float) -> list[tuple[float, float, float]]:
    """``(lo, hi, shift)``: the parts of an unwrapped lon range within ±180°, and the degrees to add back."""
    if east - west >= 360.0:  # the whole world, centred on the rings
        mid = (west + east) / 2.0
        west, east = mid - 180.0, mid + 180.0
    out = []
    for shift in (-360.0, 0.0, 360.0):
        lo, hi = max(west - shift, -180.0), min(east - shift, 180.0)
        if lo < hi:
            out.append((lo, hi, shift))
    return out


def _shifted(features: Sequence[dict[str, Any]], shift: float) -> list[dict[str, Any]]:
    """Copies of MultiLineString features with ``shift`` degrees added to each longitude."""
    if shift == 0.0:
        return list(features)  # shared, cached data: not modified
    out = []
    for f in features:
        lines = [(np.asarray(line) + np.array([shift, 0.0])).round(4).tolist() for line in f["geometry"]["coordinates"]]
        out.append({**f, "geometry": {"type": "MultiLineString", "coordinates": lines}})
    return out


def context_layers(bounds: Sequence[Sequence[float]], *, exclude: Sequence[str] = ()) -> Context:
    """Country borders and place names for a map showing ``bounds``, simplified for the view.

    The borders are :func:`geo.datasets.countries.borders_geojson` for the
    :func:`context_bbox`, simplified to about a pixel at the opening zoom; the
    names are up to :data:`CONTEXT_PLACES` of its largest places
    (:func:`geo.datasets.gazetteer.largest_places`: at least 100,000 people,
    spaced by a fourteenth of the view's width, at least 40 km), leaving out
    those named in ``exclude`` (the launch points' labels). Boxes across ±180°
    are handled: what lies past it is shifted to the longitudes drawn.

    Examples
    --------
    >>> ctx = context_layers([[48.2, 30.5], [53.6, 39.1]])
    >>> "UA" in {f["properties"]["iso2"] for f in ctx.borders["features"]}, ctx.places[0].name
    (True, 'Moscow')
    """
    west, south, east, north = box = context_bbox(bounds)
    lo_tol, hi_tol = _BORDER_TOLERANCE_DEG
    tolerance = round(min(max((east - west) / _BORDER_STEPS, lo_tol), hi_tol), 4)
    mid_lat = math.radians((south + north) / 2.0)
    width_km = (east - west) * 111.32 * max(math.cos(mid_lat), 0.1)
    separation_km = max(40.0, width_km / 14.0)
    features: list[dict[str, Any]] = []
    found: list[Place] = []
    attribution: Any = None
    for lo, hi, shift in _lon_windows(west, east):
        fc = borders_geojson(bbox=(lo, south, hi, north), tolerance_deg=tolerance)
        attribution = fc.get("attribution")
        features += _shifted(fc["features"], shift)
        found += [
            dataclasses.replace(p, lon=p.lon + shift)
            for p in largest_places(
                (lo, south, hi, north), limit=CONTEXT_PLACES + len(exclude), min_separation_km=separation_km
            )
        ]
    skip = set(exclude)
    found.sort(key=lambda p: -p.population)
    places = tuple(p for p in found if p.name not in skip)[:CONTEXT_PLACES]
    borders = {"type": "FeatureCollection", "features": features, "attribution": attribution}
    return Context(box, borders, places, tolerance)


def standalone_html(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    colors: Mapping[str, str],
    unit: str = "km",
    title: str = "",
    target: LatLon | None = None,
    target_label: str = "",
    borders: dict[str, Any] | None = None,
    credit_geonames: bool = True,
    zones: Sequence[Zone] = (),
    analysis: Analysis | None = None,
    context: bool = True,
) -> str:
    """The map as one self-contained HTML page, to save, mail or embed in an ``<iframe>``.

    Parameters
    ----------
    points : sequence of LaunchPoint
        Launch points, drawn as numbered, labelled markers (not draggable).
    systems : sequence of System
        Catalog or custom systems; one ring outline each (the union over the
        launch points, as in the app).
    colors : mapping of str to str
        Colour by system id, ``#rrggbb``; systems not in it take the Okabe–Ito
        colour of their position (:func:`geo.scenario.palette.color_for`).
    unit : {"km", "mi", "nmi"}
        Unit of the ranges in the legend and tooltips (km is always given too).
    title : str, optional
        Shown in the legend's heading and as the page title; default
        :data:`DEFAULT_TITLE`.
    target : LatLon, optional
        A target to mark, with a geodesic line from the nearest launch point.
    target_label : str, optional
        The target's label.
    borders : dict, optional
        Country outlines as a GeoJSON FeatureCollection (e.g.
        ``geo.datasets.countries.borders_geojson(...)``), drawn as thin grey lines
        under the rings. Its ``attribution`` member, if any, is credited.
        By default the borders of :func:`context_layers` for the view.
    credit_geonames : bool, optional
        Credit GeoNames (CC BY 4.0) for the labels (default True: the app's
        labels come from its gazetteer). Always credited when place names
        are drawn.
    zones : sequence of Zone, optional
        Launch zones: drawn dashed, their reach merged into each system's outline.
    analysis : Analysis, optional
        The scenario's analysis, whose outlines and target distance the page
        draws (as every other output does); made from the arguments above
        when not given.
    context : bool, optional
        Embed country borders and place names for the view
        (:func:`context_layers`, default True), so that the map reads with
        no tiles; False for rings and markers only.

    Returns
    -------
    str
        An HTML document. Leaflet is inlined (about 170 KB), the context
        adds some 30–150 KB; the rings' coordinates are rounded to 1e-5°
        (about 1 m). Only OpenStreetMap tiles are loaded from outside.

    Raises
    ------
    InputError
        No launch point or no system, an invalid coordinate, colour or unit.

    Examples
    --------
    >>> page = standalone_html([LaunchPoint(50.9, 34.8, "Sumy")], [System.custom("<b>X</b>", 300)],
    ...                        colors={}, title="Reach & range")
    >>> "<title>Reach &amp; range</title>" in page, "&lt;b&gt;X&lt;/b&gt;" in page, "<b>X</b>" in page
    (True, True, False)
    >>> external_resources(page)
    []
    """
    u = check_unit(unit)
    _check_inputs(points, systems, zones)
    palette = _palette(systems, colors)
    # Text from the caller as every surface takes it: no control or bidi characters (issue 13).
    heading = clean_text(title, MAX_TITLE_CHARS) or DEFAULT_TITLE
    target_label = clean_label(target_label)
    tgt = check_latlon(*target) if target is not None else None
    if analysis is None:
        analysis = analyse(Scenario(points=tuple(points), zones=tuple(zones), systems=tuple(systems), unit=u))
    zones = analysis.zones
    target_line: list[LatLon] = []
    nearest: Reach | None = None
    if tgt is not None:
        reaches = [r for v in verdicts_for(analysis.scenario, zones, tgt).values() for r in v.reaches]
        if reaches:
            nearest = min(reaches, key=lambda r: r.distance_km)
            target_line = geodesic_line(nearest.from_point, tgt) if nearest.distance_km > 0 else []

    outlines = {r.system.id: outline_geojson(r.outline) for r in analysis.results if r.outline is not None}
    geometries = list(outlines.values())
    bounds = _bounds(geometries, [p.latlon for p in points] + list(target_line))
    center = ((bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2)

    m = _InlineMap(location=center, zoom_start=5, tiles=None, control_scale=True, prefer_canvas=False)
    folium.TileLayer(TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)

    ctx = context_layers(bounds, exclude=[p.label for p in points]) if context else None
    if borders is None and ctx is not None:
        borders = ctx.borders
    borders_credit = ""
    if borders is not None:
        if not isinstance(borders, dict) or borders.get("type") != "FeatureCollection":
            raise InputError(f"borders: expected a GeoJSON FeatureCollection, got {type(borders).__name__}")
        attribution = borders.get("attribution")
        borders_credit = attribution if isinstance(attribution, str) else "Natural Earth (public domain)"
        # Drawn first, so it lies under the rings; not interactive, so the
        # rings keep their tooltips and it is not counted as one of them.
        folium.GeoJson(
            {"type": "FeatureCollection", "features": borders.get("features", [])},
            name="Country borders",
            style_function=lambda _f: {"color": "#6b6b6b", "weight": 0.8, "opacity": 0.7, "fill": False},
            interactive=False,
            control=False,
        ).add_to(m)
    places = ctx.places if ctx is not None else ()
    if places:
        places_layer(places).add_to(m)

    if zones:
        zones_layer(zones).add_to(m)
    if analysis.reverse is not None:
        reverse_layer(analysis.reverse).add_to(m)  # as on the map: dashed, under the rings
    ring_labs = ring_labels(analysis)
    # MGRS as the points and target panels write it: the analysis's, for the points it analysed.
    point_mgrs = (
        analysis.mgrs if tuple(points) == analysis.scenario.points else tuple(format_mgrs(p.lat, p.lon) for p in points)
    )
    same_target = analysis.target is not None and analysis.target.point == tgt
    tgt_mgrs = analysis.target_mgrs if same_target else format_mgrs(tgt.lat, tgt.lon) if tgt is not None else ""
    groups = scenario_layers(
        points,
        systems,
        MapStyle(palette, u),
        target=tgt,
        target_label=target_label,
        target_line=target_line,
        outlines=outlines,
        labels=ring_labs,
        target_mgrs=tgt_mgrs,
    )
    # scenario_layers returns [rings, markers(, target)]: its markers are the
    # app's draggable ones, so the export draws its own, fixed, with the same look.
    rings, *rest = groups
    target_group = rest[1] if tgt is not None else None
    rings.add_to(m)
    markers = folium.FeatureGroup(name="Launch points")
    for i, point in enumerate(points):
        folium.Marker(
            [point.lat, point.lon],
            icon=marker_icon(i + 1, point.label, selected=False),
            tooltip=folium.Tooltip(
                tooltip_html(f"Launch point {i + 1}: {html.escape(point.name)}{point_details(point, point_mgrs[i])}")
            ),
        ).add_to(markers)
    markers.add_to(m)
    if target_group is not None:
        target_group.add_to(m)
    m.fit_bounds(bounds, padding=(12, 12))
    _harden_tooltips(m)

    js, css = leaflet_assets()
    root = m.get_root()
    assert isinstance(root, Figure)  # folium.Map puts itself in a Figure
    root.header.add_child(Element(f"<title>{html.escape(heading)}</title>"), name="wrm_title", index=0)
    root.header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css")
    root.header.add_child(Element(f"<style>{_PAGE_CSS}</style>"), name="wrm_css")
    root.header.add_child(Element(MAP_CSS), name="wrm_place_css")
    root.header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js")
    if ring_labs:  # after Leaflet, before the map is made: labels moved off each other after every zoom
        root.header.add_child(Element(f"<script>{ring_label_js()}</script>"), name="wrm_labels_js")
    # Embedded in a news page, one finger scrolls the page and two move the map (issue 10).
    gesture_js, gesture_css = gestures.inline_assets()
    root.header.add_child(Element(f"<style>{gesture_css}</style>"), name="gesture_css")
    root.header.add_child(Element(f"<script>{gesture_js}</script>"), name="gesture_js")
    # The caption and alt text the page and the images carry (issue 11): the map is
    # labelled by the alt text and described by the caption, printed under the credits.
    caption = caption_for(analysis)
    legend = _legend_html(
        caption="<br>".join(html.escape(t.text) for t in caption.systems),
        title=heading,
        points=points,
        systems=systems,
        palette=palette,
        unit=u,
        target=tgt,
        target_label=target_label,
        # GeoNames figures in the place labels or the caption: credited whatever the caller says.
        credit_geonames=credit_geonames or bool(places) or any(c.places for c in caption.systems),
        borders_credit=borders_credit,
        nearest=nearest,
        areas={r.system.id: r.area_km2 for r in analysis.results if r.outline is not None},
        mgrs=point_mgrs,
        target_mgrs=tgt_mgrs,
        reverse_text=analysis.reverse.summary(target_label) if analysis.reverse is not None else "",
    )
    root.html.add_child(Element(legend), name="wrm_legend")
    page = str(root.render())
    div = f'<div class="folium-map" id="{m.get_name()}"'
    label = f' role="region" aria-label="{html.escape(caption.alt)}" aria-describedby="wrm-caption"'
    return page.replace(div, div + label, 1)


# ---------------------------------------------------------------------------
# Small multiples

_GRID_CSS: Final = """
html, body { margin: 0; padding: 0; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #111; background: #fff; }
.wrm-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 8px; padding: 4px; }
.wrm-cell { margin: 0; border: 1px solid #ccc; border-radius: 4px; overflow: hidden;
  display: flex; flex-direction: column; }
/* Captions of one, two or three lines: the maps of a row still line up at the bottom. */
.wrm-cell figcaption { flex: 1 0 auto; padding: 4px 6px; overflow-wrap: anywhere; }
.wrm-cell .leaflet-container { background: #eef0f2; }
.wrm-swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 5px;
  border: 2px solid; border-radius: 3px; box-sizing: border-box; }
.wrm-range { color: #444; white-space: nowrap; }
.wrm-pin { background: none; border: none; }
.wrm-foot { color: #555; font-size: 11px; padding: 2px 6px 6px; }
"""

# One Leaflet map per cell; every map follows the one being moved. A flag
# stops the followers' own "move" events from moving the others back.
_GRID_JS: Final = """
(function () {
  var cfg = JSON.parse(document.getElementById("wrm-data").textContent);
  var maps = [];
  var syncing = false;
  function follow(source) {
    if (syncing) { return; }
    syncing = true;
    try {
      var center = source.getCenter(), zoom = source.getZoom();
      maps.forEach(function (other) {
        if (other !== source) { other.setView(center, zoom, {animate: false}); }
      });
    } finally {
      syncing = false;
    }
  }
  cfg.systems.forEach(function (system, i) {
    var map = L.map("wrm-map-" + i, {center: cfg.center, zoom: cfg.zoom, zoomControl: i === 0,
                                     attributionControl: true, worldCopyJump: false});
    map.attributionControl.setPrefix(false);
    L.tileLayer(cfg.tiles, {attribution: cfg.attribution, maxZoom: 19}).addTo(map);
    // Borders and place names embedded in the page: the maps read with no tiles.
    L.geoJSON(cfg.borders, {style: {color: "#6b6b6b", weight: 0.8, opacity: 0.7, fill: false},
                            interactive: false}).addTo(map);
    cfg.places.forEach(function (pl) {
      L.marker([pl.lat, pl.lon], {icon: L.divIcon({html: pl.html, className: "wrm-place", iconSize: [0, 0]}),
                                  interactive: false, keyboard: false}).addTo(map);
    });
    L.geoJSON(system.geometry, {style: {color: system.color, weight: 2, fillColor: system.color,
                                        fillOpacity: 0.15, smoothFactor: cfg.smoothFactor}}).addTo(map);
    cfg.markers.forEach(function (mk) {
      L.marker([mk.lat, mk.lon], {icon: L.divIcon({html: mk.html, className: "wrm-pin",
                                                   iconSize: [22, 22], iconAnchor: [13, 13]}),
                                  keyboard: false}).addTo(map);
    });
    map.on("move", function () { follow(map); });
    maps.push(map);
  });
  window.wrmMaps = maps;
})();
"""


def small_multiples_html(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    colors: Mapping[str, str],
    unit: str = "km",
    center: tuple[float, float] | LatLon,
    zoom: int,
    height_px: int = 260,
) -> str:
    """One small map per system, in a responsive grid, all moving together.

    Every map shows the same view and the same launch points, and one
    system's rings; panning or zooming any of them moves the others. Meant
    for a Streamlit ``components.html`` iframe (give it the height of the
    rows it will show, or ``scrolling=True``); Leaflet, the country borders
    and place names (:func:`context_layers`) are inlined, so it reads with
    no internet (tiles aside).

    Parameters
    ----------
    points, systems, colors, unit
        As for :func:`standalone_html`.
    center : (lat, lon)
        The shared view's centre, in degrees (e.g. from
        :func:`geo.render.layers.view_for`).
    zoom : int
        The shared zoom level, 0…19.
    height_px : int, optional
        Height of each map in CSS pixels, 80…2000 (default 260).

    Returns
    -------
    str
        An HTML document; each map is headed by the system's (escaped) name
        and range, in the unit and in km.

    Raises
    ------
    InputError
        No launch point or system, a bad coordinate, zoom, height, colour or unit.

    Examples
    --------
    >>> page = small_multiples_html([LaunchPoint(50.9, 34.8)],
    ...     [System.custom("A & B", 300), System.custom("C", 100)], colors={}, center=(50.9, 34.8), zoom=5)
    >>> page.count('class="wrm-map"'), "A &amp; B" in page, external_resources(page)
    (2, True, [])
    """
    u = check_unit(unit)
    _check_inputs(points, systems)
    palette = _palette(systems, colors)
    view = check_latlon(*center)
    if isinstance(zoom, bool) or not isinstance(zoom, int) or not 0 <= zoom <= 19:
        raise InputError(f"zoom: expected a whole number 0…19, got {zoom!r}")
    if isinstance(height_px, bool) or not isinstance(height_px, int) or not 80 <= height_px <= 2000:
        raise InputError(f"height_px: expected a whole number of pixels 80…2000, got {height_px!r}")

    centers = tuple((p.lat, p.lon) for p in points)
    geometries = [map_outline(centers, s.range_km, s.min_range_km) for s in systems]
    ctx = context_layers(_bounds(geometries, [p.latlon for p in points]), exclude=[p.label for p in points])
    data = {
        "center": [view.lat, view.lon],
        "zoom": zoom,
        "tiles": TILES_URL,
        "attribution": TILES_ATTRIBUTION,
        "smoothFactor": RING_SMOOTH_FACTOR,
        "borders": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in ctx.borders["features"]
            ],
        },
        # Names escaped here, as the marker icons are: the page writes them as HTML.
        "places": [
            {"lat": round(p.lat, 3), "lon": round(p.lon, 3), "html": f"<span>{html.escape(p.name)}</span>"}
            for p in ctx.places
        ],
        "systems": [{"color": palette[s.id], "geometry": g} for s, g in zip(systems, geometries, strict=True)],
        # The icon HTML is built from escaped labels (geo.render.layers.marker_icon).
        "markers": [
            {"lat": p.lat, "lon": p.lon, "html": marker_icon(i + 1, p.label, selected=False).options["html"]}
            for i, p in enumerate(points)
        ],
    }
    cells = []
    for i, system in enumerate(systems):
        color = palette[system.id]
        cells.append(
            f'<figure class="wrm-cell" data-system="{html.escape(system.id, quote=True)}"><figcaption>'
            f'<span class="wrm-swatch" style="background:{color}33;border-color:{color}"></span>'
            f'<b class="wrm-name">{html.escape(system.name)}</b> '
            f'<span class="wrm-range">{html.escape(system.range_text(u))}</span></figcaption>'
            f'<div class="wrm-map" id="wrm-map-{i}" style="height:{height_px}px"></div></figure>'
        )
    js, css = leaflet_assets()
    # On a phone, one finger scrolls the app's page past the maps, two move them (issue 10).
    gesture_js, gesture_css = gestures.inline_assets(gestures.TOUCH)
    names = ", ".join(s.name for s in systems)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape('Range rings: ' + names)}</title>\n"
        f"<style>{css}</style>\n<style>{_GRID_CSS}</style>\n{MAP_CSS}\n<style>{gesture_css}</style>\n"
        f"<script>{js}</script>\n<script>{gesture_js}</script>\n</head>\n<body>\n"
        f'<div class="wrm-grid">{"".join(cells)}</div>\n'
        f'<p class="wrm-foot">{html.escape(NOMINAL_NOTE)} Tiles &copy; '
        f"{_link(_OSM_COPYRIGHT, 'OpenStreetMap contributors')}. "
        f"Borders: {html.escape(str(ctx.borders.get('attribution') or 'Natural Earth'))}"
        + (f" Place names: {_link(_GEONAMES, 'GeoNames')}, {_link(_CC_BY_4, 'CC BY 4.0')}." if ctx.places else "")
        + "</p>\n"
        f'<script type="application/json" id="wrm-data">{templates.script_json(data)}</script>\n'
        f"<script>{_GRID_JS}</script>\n</body>\n</html>\n"
    )
