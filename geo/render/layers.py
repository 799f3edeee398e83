"""folium layers for the interactive map: the only module that imports folium.

DESIGN.md §3 rules this module:

- The base map (:func:`base_map`) is identical on every rerun, so the
  streamlit-folium component stays mounted and keeps the reader's zoom and
  pan. Everything that changes (rings, markers, target) travels in
  :func:`scenario_layers` feature groups (``feature_group_to_add``).
- Markers are labelled ``DivIcon``s (the default icon image is broken in
  st_folium) and draggable; a ``dragend`` handler re-fires the drop as a
  click on the marker, whose new position then arrives through
  ``last_object_clicked`` with the marker's tooltip naming it.
- Leaflet and its CSS are served by the app itself (:class:`OfflineMap`), so
  the map draws with no internet access; only map tiles come from outside.
- Every user-supplied string is HTML-escaped before it reaches a tooltip or
  an icon.
"""

from __future__ import annotations

import contextlib
import functools
import html
import math
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import folium
import folium.elements
import numpy as np
import shapely
import shapely.affinity
import shapely.geometry
import xyzservices
from branca.element import Figure, MacroElement
from folium.utilities import JsCode
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.analyse import Analysis
from geo.analysis.labels import RingLabel, ring_labels
from geo.analysis.reverse import ReverseReach
from geo.analysis.target import geodesic_line
from geo.core.buffer import MAX_ZONE_CENTRES
from geo.core.coords import LatLon
from geo.core.densify import curve_lines
from geo.core.edges import densify_many
from geo.core.simplify import simplify_metric_many
from geo.datasets.gazetteer import Place
from geo.export.geojson import map_outline, outline_geojson
from geo.render import gestures, templates
from geo.scenario.model import LaunchPoint, System
from geo.scenario.palette import REVERSE_COLOR
from geo.scenario.zones import Zone

templates.install()  # folium's output kept as text, not compiled again as templates

#: Where Streamlit serves ``static/`` (``server.enableStaticServing``).
STATIC_URL: Final = "/app/static"
LEAFLET_DIR: Final = "leaflet"

#: OpenStreetMap's standard tiles: the one thing fetched from outside.
TILES_URL: Final = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION: Final = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
#: The tiles as an xyzservices provider: given a URL string, folium.TileLayer looks it up among
#: xyzservices' 200 named providers first (2.7 ms on every rerun, issue 10); a provider skips that.
#: The layer's JavaScript is the same (tests/render/test_templates.py).
TILES: Final = xyzservices.TileProvider(
    name="OpenStreetMap", url=TILES_URL, attribution=TILES_ATTRIBUTION, html_attribution=TILES_ATTRIBUTION, max_zoom=19
)

#: The opening view: the Sumy border area, with Kursk and Belgorod in view.
DEFAULT_CENTER: Final = (51.0, 35.6)
DEFAULT_ZOOM: Final = 6

#: Leaflet's ``smoothFactor`` for the rings: 0 draws every vertex. Leaflet's default (1)
#: runs Douglas–Peucker on screen pixels and drew 34–42 of a 117-vertex ring at zoom 5-6
#: (issue 9), so the ring shown strayed from the true ring by up to a pixel's worth of chord.
RING_SMOOTH_FACTOR: Final = 0.0

MARKER_TOOLTIP_PREFIX: Final = "Launch point "
#: CSS class of launch-point markers (place names and the target have their own).
LAUNCH_ICON_CLASS: Final = "wrm-launch"
_MARKER_TOOLTIP_RE: Final = re.compile(rf"^\s*{MARKER_TOOLTIP_PREFIX}(\d+)\b")

#: The live ring preview (issue 10): GeographicLib's JavaScript (vendored,
#: static/wrm/VENDORED.md) and wrm-rings.js, a port of geo.core.rings that
#: tests/core/test_rings_js.py holds to the server's rings.
WRM_DIR: Final = "wrm"

# Drag start (WRM.dragStart): dim the server's layers, add one preview polygon per system to
# the marker's own feature group. st_folium removes that group with the others
# when the rerun's groups arrive, so the server's rings replace the preview in
# the same step: no flash of the old ring, no cleanup code (DESIGN.md §3).
# The server's layers are one union per system over every launch point, and
# with launch zones a coverage the browser does not compute: while a point is
# dragged they show the last server result (dimmed), the dragged point's rings
# are drawn live, and the server's new result replaces both after the drop.
# Their code lives once in wrm-rings.js (WRM.dragStart, WRM.drag), not in every
# marker's JavaScript: 20 markers would otherwise send 30 KB more on each rerun.
_DRAGSTART_JS: Final = "function (e) { if (window.WRM) WRM.dragStart(e); }"
_DRAG_JS: Final = "function (e) { if (window.WRM) WRM.drag(e); }"

# Fire the drop as a click on the marker: st_folium has no dragend listener,
# but reports clicks on layers with their latlng and tooltip (DESIGN.md §3).
# A drop where the drag started brings no new map: undo the preview first.
# WRM.report sends the drop at once, not after streamlit-folium's 250 ms debounce.
_DRAGEND_JS: Final = """function (e) {
  var m = e.target, s = m._wrm; m._wrm = null;
  if (s && m.getLatLng().equals(s.start)) {
    s.layers.forEach(function (l) { l.remove(); });
    s.dimmed.forEach(function (d) { d[0].setStyle(d[1]); });
  }
  m.fire('click', {latlng: m.getLatLng()});
  if (window.WRM && WRM.report) WRM.report(m._map);
}"""


#: The map's scripts and styles, each as one file (written by :func:`install_leaflet`) in the
#: order streamlit-folium would load them one by one. It loads ``default_js`` one after the other,
#: each waiting for the last (``async = false``, awaited): six files cost about 0.3 s on a page
#: load on loopback, one costs 0.05 s (issue 10, ``/work/exp``-style timeline in the note).
MAP_JS: Final = "wrm-map.js"
MAP_CSS_FILE: Final = "wrm-map.css"


def _map_js_parts(leaflet_dir: Path, wrm_dir: Path) -> list[Path]:
    return [
        leaflet_dir / "leaflet.js",
        wrm_dir / "geographiclib-geodesic.min.js",
        wrm_dir / "wrm-rings.js",
        wrm_dir / "wrm-labels.js",
        gestures.ASSETS_DIR / gestures.PLUGIN_JS,
        gestures.ASSETS_DIR / gestures.WRM_JS,
    ]


def bundle_text(parts: Sequence[Path]) -> str:
    r"""Files joined into one script or stylesheet, each still its own statement list.

    Source-map comments are dropped (the maps are not shipped); each part is followed by a
    ``;`` line for scripts, so that one that ends without a semicolon cannot run into the next.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.js").write_text("var a = 1\n//# sourceMappingURL=a.js.map\n")
    >>> _ = (d / "b.js").write_text("(function () {})()")
    >>> print(bundle_text([d / "a.js", d / "b.js"]))
    /* a.js */
    var a = 1
    ;
    /* b.js */
    (function () {})()
    ;
    <BLANKLINE>
    """
    out = []
    for part in parts:
        text = gestures.SOURCE_MAP_RE.sub("", part.read_text(encoding="utf-8")).rstrip()
        end = "\n;\n" if part.suffix == ".js" else "\n"
        out.append(f"/* {part.name} */\n{text}{end}")
    return "".join(out)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # atomic: a page loading meanwhile gets the old file or the new one


def install_leaflet(static_dir: Path) -> Path:
    """Copy Leaflet 1.9.3 from the ``xstatic-leaflet`` package into ``static_dir``.

    With it the gesture plugin, and the map's bundles (:data:`MAP_JS`, :data:`MAP_CSS_FILE`):
    Leaflet, GeographicLib, the live rings, the labels' layout and the gestures in one script.
    Idempotent and cheap when the files are already there. Returns the folder.
    """
    import xstatic.pkg.leaflet as xleaflet

    source = Path(xleaflet.BASE_DIR)
    target = static_dir / LEAFLET_DIR
    marker = target / f".version-{xleaflet.VERSION}"
    if not marker.exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy2(source / name, target / name)
        shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
        marker.touch()
    gestures.install(target)  # the two-finger map (issue 10), next to Leaflet
    _write_if_changed(target / MAP_JS, bundle_text(_map_js_parts(target, static_dir / WRM_DIR)))
    # In Leaflet's folder, so that leaflet.css's images/… addresses still resolve.
    css = [target / "leaflet.css", gestures.ASSETS_DIR / gestures.PLUGIN_CSS]
    _write_if_changed(target / MAP_CSS_FILE, bundle_text(css))
    return target


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads only Leaflet, from the app's own static files.

    folium's defaults also pull jQuery, Bootstrap and Font Awesome from public
    CDNs; with ``DivIcon`` markers none of them is needed, and if any CDN
    fails nothing is drawn at all.
    """

    # Plain class attributes, as on folium.Map (ruff's RUF012 would want ClassVar, which mypy rejects here).
    # streamlit_folium loads these in order into its iframe (it drops <script src> from the
    # header), each after the last: one bundle of Leaflet, GeographicLib, the live rings, the
    # labels' layout and the gestures (install_leaflet), one of their styles.
    default_js = [("wrm_map", f"{STATIC_URL}/{LEAFLET_DIR}/{MAP_JS}")]  # noqa: RUF012
    default_css = [("wrm_map_css", f"{STATIC_URL}/{LEAFLET_DIR}/{MAP_CSS_FILE}")]  # noqa: RUF012


#: Styles the base map carries (constant, so the map is never remounted for them).
MAP_CSS: Final = (
    "<style>.wrm-place{pointer-events:none}"
    ".wrm-place:before{content:'';position:absolute;left:-3px;top:-3px;width:6px;height:6px;border-radius:50%;"
    "background:#444}"
    ".wrm-place span{position:absolute;left:5px;top:-8px;white-space:nowrap;font:11px sans-serif;color:#333;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}"
    # A finger on a launch point drags it and never scrolls the page (issue 10; wrm-gestures.js).
    ".wrm-launch{touch-action:none}"
    ".wrm-touch-marker.leaflet-gesture-handling-touch-warning:after{content:none}"
    # On a phone the page sizes streamlit-folium's iframe to the screen (webapp/panels/layout.py);
    # the map inside it (st_folium's #map_div, 620 px) follows. No effect in the HTML export.
    # The space in "{ #" matters: folium renders this as a Jinja template, where "{#" opens a comment.
    "@media (max-width:640px){ #map_div{height:100vh!important}}</style>"
)


def base_map(*, tiles: bool = True) -> folium.Map:
    """The map every rerun starts from: the same JavaScript each time."""
    m = OfflineMap(
        location=DEFAULT_CENTER,
        zoom_start=DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        world_copy_jump=False,
    )
    if tiles:
        folium.TileLayer(TILES, name="OpenStreetMap", max_zoom=19).add_to(m)
    root = m.get_root()
    assert isinstance(root, Figure)  # a Map's root is always its Figure
    root.header.add_child(folium.Element(MAP_CSS), name="wrm_css")
    return m


@dataclass(frozen=True)
class MapStyle:
    """Colours and unit for one rendering."""

    colors: dict[str, str]
    unit: str = "km"


#: folium writes tooltip HTML into a JavaScript template literal (between
#: backticks, where ``${...}`` runs), so besides HTML escaping these three must
#: become character references too.
_TEMPLATE_LITERAL: Final = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def tooltip_html(markup: str) -> str:
    """Make tooltip HTML (already HTML-escaped where it holds user text) safe for folium.

    Examples
    --------
    >>> tooltip_html("<b>x`);alert(1);(`${y}</b>")
    '<b>x&#96;);alert(1);(&#96;&#36;{y}</b>'
    """
    return markup.translate(_TEMPLATE_LITERAL)


def system_tooltip(system: System, unit: str) -> str:
    """Tooltip HTML for a system's rings: name, range in the unit and km, source."""
    rng = system.range_text(unit)
    parts = [f"<b>{html.escape(system.name)}</b>", f"Range {html.escape(rng)}"]
    if system.air_launched:
        parts.append("Air-launched: counted from the release point, not the airbase")
    parts.append(f"Source: {html.escape(system.source_text)}")
    return tooltip_html("<br>".join(parts))


def point_details(point: LaunchPoint, mgrs: str = "") -> str:
    """A launch point's MGRS (the points panel's string) and sector, as tooltip HTML lines.

    Examples
    --------
    >>> from geo.core.sectors import Sector
    >>> point_details(LaunchPoint(50.91, 34.8, "", Sector.at(60, 90)), "36U XB 26545 41359")
    '<br>MGRS 36U XB 26545 41359<br>Sector: bearing 060°, width 90°'
    """
    out = f"<br>MGRS {html.escape(mgrs)}" if mgrs else ""
    if point.sector is not None:
        out += f"<br>Sector: {html.escape(point.sector.description())}"
    return out


def marker_tooltip(index: int, point: LaunchPoint, mgrs: str = "") -> str:
    """Tooltip of the ``index``-th (0-based) marker; :func:`marker_index` reads it back."""
    name = html.escape(point.name)
    return tooltip_html(f"{MARKER_TOOLTIP_PREFIX}{index + 1}: {name} (drag to move){point_details(point, mgrs)}")


def marker_index(tooltip: str | None) -> int | None:
    """The 0-based marker index named by a clicked object's tooltip text, if any.

    Examples
    --------
    >>> marker_index("Launch point 3: Kharkiv (drag to move)")
    2
    >>> marker_index("ATACMS") is None
    True
    """
    if not tooltip:
        return None
    match = _MARKER_TOOLTIP_RE.match(tooltip)
    return int(match.group(1)) - 1 if match else None


def marker_icon(number: int, label: str, *, selected: bool) -> folium.DivIcon:
    ring = "box-shadow:0 0 0 3px #ffd400;" if selected else ""
    pin = (
        f'<div style="width:22px;height:22px;border-radius:50%;background:#222;color:#fff;'
        f"font:bold 12px/22px sans-serif;text-align:center;border:2px solid #fff;{ring}"
        f'">{number}</div>'
    )
    text = (
        '<div style="position:absolute;left:26px;top:2px;white-space:nowrap;font:600 12px sans-serif;'
        "color:#111;background:rgba(255,255,255,.85);padding:1px 4px;border-radius:3px;"
        f'">{html.escape(label)}</div>'
        if label
        else ""
    )
    return folium.DivIcon(
        html=f'<div style="position:relative">{pin}{text}</div>',
        icon_size=(22, 22),
        icon_anchor=(13, 13),
        class_name=LAUNCH_ICON_CLASS,
    )


#: CSS class of ring labels ("ATACMS 300 km" on the ring, issue 12).
RING_LABEL_CLASS: Final = "wrm-ring-label"
#: A label's bottom edge above its spot, px. static/wrm/wrm-labels.js moves labels that would
#: overlap apart, in the map's own pixels after each zoom (geo.analysis.labels.lift_boxes).
RING_LABEL_LIFT_PX: Final = 2
#: The label script, loaded with Leaflet (app) or inlined (the standalone HTML).
WRM_LABELS_JS: Final = "wrm-labels.js"


def ring_label_icon(label: RingLabel, color: str) -> folium.DivIcon:
    """A label centred just above its spot on the ring (the map's script moves it off a neighbour); text escaped."""
    lift = RING_LABEL_LIFT_PX
    text = html.escape(label.text).translate(_TEMPLATE_LITERAL)
    return folium.DivIcon(
        html=(
            f'<div style="position:absolute;left:0;bottom:{lift}px;transform:translateX(-50%);white-space:nowrap;'
            f"font:600 12px/15px sans-serif;color:{html.escape(color)};background:rgba(255,255,255,.82);"
            f'padding:0 4px;border-radius:3px;pointer-events:none">{text}</div>'
        ),
        icon_size=(0, 0),
        icon_anchor=(0, 0),
        class_name=RING_LABEL_CLASS,
    )


def scenario_layers(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    style: MapStyle,
    *,
    selected: int | None = None,
    target: LatLon | None = None,
    target_label: str = "",
    target_line: Sequence[LatLon] = (),
    extra: Sequence[folium.FeatureGroup] = (),
    outlines: Mapping[str, dict[str, Any]] | None = None,
    labels: Sequence[RingLabel] = (),
    mgrs: Sequence[str] = (),
    target_mgrs: str = "",
) -> list[folium.FeatureGroup]:
    """The feature groups that change with the scenario.

    One GeoJSON layer per system: the union of its rings from every launch
    point (one outline, overlaps drawn once), longitudes unwrapped so rings
    across the antimeridian draw in one piece, coordinates rounded to 1e-5°
    (about 1 m). Then the draggable launch-point markers and the target.
    ``outlines`` (system id → GeoJSON geometry) replaces the rings, e.g. by
    a coverage that includes launch zones; ``extra`` groups go under the
    markers. ``labels`` (:func:`geo.analysis.labels.ring_labels`) are drawn
    on the rings, in the rings' group, not interactive. ``mgrs`` (one per
    point, :attr:`geo.analysis.analyse.Analysis.mgrs`) and ``target_mgrs``
    go into the markers' tooltips, as the points and target panels write them.
    """
    rings = folium.FeatureGroup(name="Range rings")
    # Largest first, so smaller rings stay on top and keep their tooltips.
    for system in sorted(systems, key=lambda s: -s.range_km):
        if outlines is not None:
            if system.id not in outlines:
                continue
            geometry = outlines[system.id]
        elif points:
            geometry = map_outline(tuple((p.lat, p.lon) for p in points), system.range_km, system.min_range_km)
        else:
            break
        color = style.colors.get(system.id, "#333333")
        folium.GeoJson(
            # The drag preview finds (and dims) the server's layers by their wrmSystem.
            stroke_safe(geometry, {"wrmSystem": system.id}),
            name=system.id,
            style_function=lambda f, c=color: {
                "color": c,
                "weight": 0 if f["properties"].get("part") == "fill" else 2.5,
                "fillColor": c,
                "fillOpacity": 0.12,
            },
            highlight_function=lambda f: {
                "weight": 0 if f["properties"].get("part") == "fill" else 4,
                "fillOpacity": 0.2,
            },
            tooltip=folium.Tooltip(system_tooltip(system, style.unit), sticky=True),
            smooth_factor=RING_SMOOTH_FACTOR,
        ).add_to(rings)
    for label in labels:
        folium.Marker(
            [label.lat, label.lon],
            icon=ring_label_icon(label, style.colors.get(label.system_id, "#333333")),
            interactive=False,
            keyboard=False,
        ).add_to(rings)
    groups = [rings, *extra]

    markers = folium.FeatureGroup(name="Launch points")
    # What the drag preview draws for each marker: [range km, min range km, colour], largest first.
    # A marker option (folium passes unknown keywords through to L.marker), so each marker carries
    # its own and nothing global has to stay in step with the feature groups.
    live = [
        [s.range_km, s.min_range_km, style.colors.get(s.id, "#333333")]
        for s in sorted(systems, key=lambda s: -s.range_km)
    ]
    for i, point in enumerate(points):
        marker = folium.Marker(
            [point.lat, point.lon],
            icon=marker_icon(i + 1, point.label, selected=i == selected),
            draggable=True,
            tooltip=folium.Tooltip(marker_tooltip(i, point, mgrs[i] if i < len(mgrs) else "")),
            wrmRings=live,
            # A range fan (issue 12): WRM.sectorLatLngs, a port of geo.core.sectors, draws it live.
            wrmSector=[point.sector.azimuth_deg, point.sector.width_deg] if point.sector is not None else None,
        )
        marker.add_child(folium.elements.EventHandler("dragstart", JsCode(_DRAGSTART_JS)))
        marker.add_child(folium.elements.EventHandler("drag", JsCode(_DRAG_JS)))
        marker.add_child(folium.elements.EventHandler("dragend", JsCode(_DRAGEND_JS)))
        marker.add_to(markers)
    groups.append(markers)

    if target is not None:
        tgroup = folium.FeatureGroup(name="Target")
        if len(target_line) >= 2:
            folium.PolyLine(
                [[p.lat, p.lon] for p in target_line], color="#111111", weight=2, dash_array="6 6", interactive=False
            ).add_to(tgroup)
        icon = folium.DivIcon(
            html=(
                '<div style="width:18px;height:18px;margin:-9px 0 0 -9px;border:3px solid #d00;border-radius:50%;'
                'background:rgba(255,255,255,.6)"></div>'
                '<div style="position:absolute;left:14px;top:-8px;white-space:nowrap;font:600 12px sans-serif;'
                f'color:#900;background:rgba(255,255,255,.85);padding:1px 4px">{html.escape(target_label)}</div>'
            ),
            icon_size=(0, 0),
        )
        folium.Marker(
            [target.lat, target.lon],
            icon=icon,
            tooltip=tooltip_html(
                f"Target: {html.escape(target_label)}" + (f"<br>MGRS {html.escape(target_mgrs)}" if target_mgrs else "")
            ),
        ).add_to(tgroup)
        groups.append(tgroup)
    return groups


#: Zones are drawn simplified within this many metres (under a pixel up to
#: zoom 7): Canada's 68,000 vertices made every rerun send 1.3 MB.
ZONE_DISPLAY_TOLERANCE_M: Final = 1_000.0
#: At most this many vertices per drawn zone: a coarser tolerance is taken
#: until it fits (a fine zig-zag would otherwise keep every vertex).
ZONE_DISPLAY_VERTICES: Final = 20_000


@functools.lru_cache(maxsize=64)
def _zone_outline(zone: Zone) -> dict[str, Any]:
    """The zone's outline to draw (lines or rings: never filled by Leaflet beyond its dashes).

    Leaflet joins vertices with straight lines on Web Mercator: a zone whose
    edges mean something else (straight in lon/lat: files, borders) is first
    densified in that meaning, so the map shows the path its reach is
    measured from (issue 9), then simplified in metres.
    """
    lines = (
        shapely.get_rings(shapely.get_parts(zone.geometry)) if zone.kind != "line" else shapely.get_parts(zone.geometry)
    )
    paths = [np.asarray(line.coords, dtype=float) for line in lines]
    if zone.edges != "mercator" and sum(len(xy) for xy in paths) <= MAX_ZONE_CENTRES:
        with contextlib.suppress(ValueError):  # too much to densify for a drawing: drawn as given
            paths = densify_many(paths, zone.edges, ZONE_DISPLAY_TOLERANCE_M / 4.0, limit=MAX_ZONE_CENTRES)
    tolerance_m = ZONE_DISPLAY_TOLERANCE_M
    while True:
        simple = simplify_metric_many(paths, tolerance_m)
        count = sum(len(xy) for xy in simple)
        if count <= ZONE_DISPLAY_VERTICES or tolerance_m > 4e7:  # past the Earth's circumference all goes
            break
        tolerance_m *= 16.0 if count > 4 * ZONE_DISPLAY_VERTICES else 4.0
    coords = [np.round(xy, 5).tolist() for xy in simple]
    return {"type": "MultiLineString", "coordinates": coords}


def stroke_safe(geometry: dict[str, Any], properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ring's GeoJSON for Leaflet whose stroke follows the ring only (issue 9).

    A ring round a pole is closed along the pole and back along a meridian;
    Leaflet would stroke that closure (clamped at ±85.05°) as if it were part
    of the ring. Then the polygon is filled without stroke (``"part": "fill"``)
    and the outline drawn as lines through the ring's own vertices
    (``"part": "outline"``, :func:`geo.core.densify.curve_lines`). Any other
    shape is one Feature, filled and stroked. Every feature carries ``properties``.
    """
    extra = dict(properties or {})
    coords = shapely.get_coordinates(shapely.geometry.shape(geometry))
    if not len(coords) or np.abs(coords[:, 1]).max() <= 89.999999:
        return {"type": "Feature", "properties": extra, "geometry": geometry}
    lines = curve_lines(shapely.geometry.shape(geometry))
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {**extra, "part": "fill"}, "geometry": geometry},
            {
                "type": "Feature",
                "properties": {**extra, "part": "outline"},
                "geometry": {"type": "MultiLineString", "coordinates": [np.round(xy, 5).tolist() for xy in lines]},
            },
        ],
    }


#: Reverse reach is drawn apart from the rings: dashed (the image's dashes, in points, match), in
#: :data:`geo.scenario.palette.REVERSE_COLOR`.
REVERSE_DASH: Final = "10 6"


def _near_lon(geom: Polygon | MultiPolygon, ref_lon: float) -> Polygon | MultiPolygon:
    """The pieces of a shape split at ±180° moved next to ``ref_lon``, so Leaflet draws them together."""
    pieces = []
    for part in getattr(geom, "geoms", [geom]):
        x = part.representative_point().x
        shift = 360.0 if x - ref_lon < -180.0 else -360.0 if x - ref_lon > 180.0 else 0.0
        pieces.append(shapely.affinity.translate(part, xoff=shift) if shift else part)
    return pieces[0] if len(pieces) == 1 else MultiPolygon(pieces)


def reverse_layer(reach: ReverseReach) -> folium.FeatureGroup:
    """Where a system can be fired from to reach the target: a dashed outline, lightly filled."""
    group = folium.FeatureGroup(name="Reverse reach")
    if reach.empty:
        return group
    geometry = outline_geojson(_near_lon(reach.geometry, reach.target.lon))
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": geometry},
        name="reverse-reach",
        style_function=lambda _f: {
            "color": REVERSE_COLOR,
            "weight": 2.5,
            "dashArray": REVERSE_DASH,
            "fillColor": REVERSE_COLOR,
            "fillOpacity": 0.08,
        },
        tooltip=folium.Tooltip(tooltip_html(html.escape(reach.caption())), sticky=True),
        smooth_factor=RING_SMOOTH_FACTOR,
    ).add_to(group)
    return group


def analysis_layers(
    analysis: Analysis,
    style: MapStyle,
    *,
    selected: int | None = None,
    extra: Sequence[folium.FeatureGroup] = (),
) -> list[folium.FeatureGroup]:
    """:func:`scenario_layers` for an analysis: its coverage outlines, and the target with the
    geodesic line from the nearest launch point or zone that reaches it (else the nearest)."""
    outlines = {r.system.id: outline_geojson(r.outline) for r in analysis.results if r.outline is not None}
    if analysis.reverse is not None:
        extra = [reverse_layer(analysis.reverse), *extra]
    target = analysis.target
    line: list[LatLon] = []
    if target is not None and target.point is not None and analysis.verdicts:
        best = max(analysis.verdicts, key=lambda v: (v.in_range, -v.best.distance_km)).best
        if best.distance_km > 0.0:
            line = geodesic_line(best.from_point, target.point)
    return scenario_layers(
        analysis.scenario.points,
        analysis.scenario.systems,
        style,
        selected=selected,
        target=target.point if target is not None else None,
        target_label=target.label if target is not None else "",
        target_line=line,
        extra=extra,
        outlines=outlines,
        labels=ring_labels(analysis),
        mgrs=analysis.mgrs,
        target_mgrs=analysis.target_mgrs,
    )


def zones_layer(zones: Sequence[Zone], draft: Sequence[LatLon] = ()) -> folium.FeatureGroup:
    """Launch zones as dashed outlines, and the zone being drawn with its corners."""
    group = folium.FeatureGroup(name="Launch zones")
    for zone in zones:
        folium.GeoJson(
            _zone_outline(zone),
            style_function=lambda _f: {"color": "#222222", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.05},
            tooltip=folium.Tooltip(tooltip_html(f"Launch zone: {html.escape(zone.label)}")),
        ).add_to(group)
    if draft:
        folium.PolyLine([[p.lat, p.lon] for p in draft], color="#d00000", weight=2, dash_array="4 4").add_to(group)
        for p in draft:
            folium.CircleMarker([p.lat, p.lon], radius=4, color="#d00000", fill=True, fill_opacity=1).add_to(group)
    return group


def borders_layer(borders: dict[str, Any]) -> folium.FeatureGroup:
    """Country borders (a GeoJSON FeatureCollection of lines), light, under everything."""
    group = folium.FeatureGroup(name="Country borders")
    folium.GeoJson(
        borders,
        style_function=lambda _f: {"color": "#666666", "weight": 1, "opacity": 0.8},
        interactive=False,
    ).add_to(group)
    return group


class PlaceNames(MacroElement):
    """The labels of :func:`places_layer`: one loop over ``[lat, lon, escaped name]`` rows.

    About 60 bytes a name against 450 as a folium ``Marker`` with its ``DivIcon`` each (the default
    map's 44 names: 2.9 KB against 19.7 KB, sent on every rerun), and one element for folium to
    render instead of 88 (about 20 ms of a rerun's 40 on the server, issue 10).
    """

    _template = folium.template.Template(
        """{% macro script(this, kwargs) %}
(function (group, rows) {
  rows.forEach(function (r) {
    L.marker([r[0], r[1]], {icon: L.divIcon({html: "<span>" + r[2] + "</span>", className: "wrm-place",
      iconSize: [0, 0]}), interactive: false, keyboard: false}).addTo(group);
  });
})({{ this._parent.get_name() }}, {{ this.rows }});
{% endmacro %}"""
    )

    def __init__(self, places: Sequence[Place]) -> None:
        super().__init__()
        self._name = "PlaceNames"
        self.rows = templates.script_json([[round(p.lat, 3), round(p.lon, 3), html.escape(p.name)] for p in places])


def places_layer(places: Sequence[Place]) -> folium.FeatureGroup:
    """Names of the largest places as small labels: the map reads without tiles.

    Their look comes from :data:`MAP_CSS` in the base map, so each label is
    only its (escaped) name; they let clicks through to the map.
    """
    group = folium.FeatureGroup(name="Place names")
    PlaceNames(places).add_to(group)
    return group


def context_bbox(
    points: Sequence[LaunchPoint],
    zones: Sequence[Zone],
    reach_km: float,
    *,
    margin: float,
    pad_deg: float,
    snap_deg: float,
) -> tuple[float, float, float, float]:
    """A lon/lat box around the launch points and zones and their reach, for context layers.

    ``margin`` scales the reach, ``pad_deg`` adds a fixed border, and the box
    is snapped outwards to ``snap_deg`` so that small moves give the same box
    (and reuse cached layers). Longitudes are widened by 1.6 for Mercator.

    Examples
    --------
    >>> context_bbox([LaunchPoint(50.9, 34.8)], [], 300, margin=1.0, pad_deg=0.0, snap_deg=1.0)
    (30.0, 48.0, 40.0, 54.0)
    """
    reach_deg = reach_km / 111.0 * margin + pad_deg
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    for zone in zones:
        min_lon, min_lat, max_lon, max_lat = zone.geometry.bounds
        lats += [min_lat, max_lat]
        lons += [min_lon, max_lon]
    if not lats:
        lats, lons = [DEFAULT_CENTER[0]], [DEFAULT_CENTER[1]]

    def snap(value: float, up: bool) -> float:
        return float(snap_deg * (math.ceil(value / snap_deg) if up else math.floor(value / snap_deg)))

    return (
        max(-180.0, snap(min(lons) - reach_deg * 1.6, False)),
        max(-90.0, snap(min(lats) - reach_deg, False)),
        min(180.0, snap(max(lons) + reach_deg * 1.6, True)),
        min(90.0, snap(max(lats) + reach_deg, True)),
    )


def view_for(
    points: Sequence[LaunchPoint], max_range_km: float, *, width_px: int = 900, height_px: int = 620
) -> tuple[tuple[float, float], int]:
    """A centre and zoom that show the launch points with their largest ring.

    Examples
    --------
    >>> view_for([LaunchPoint(50.9, 34.8)], 300)
    ((50.9, 34.8), 6)
    """
    if not points:
        return DEFAULT_CENTER, DEFAULT_ZOOM
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    pad_lat = max_range_km / 111.0
    mid_lat = (min(lats) + max(lats)) / 2
    pad_lon = pad_lat / max(math.cos(math.radians(min(abs(mid_lat), 80.0))), 0.17)
    south, north = max(min(lats) - pad_lat, -85.0), min(max(lats) + pad_lat, 85.0)
    span_lon = min(max(lons) - min(lons) + 2 * pad_lon, 360.0)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_y = (merc(north) - merc(south)) / (2 * math.pi)  # fraction of the world's height
    zoom_x = math.log2(width_px / 256 / (span_lon / 360.0)) if span_lon > 0 else 18
    zoom_y = math.log2(height_px / 256 / span_y) if span_y > 0 else 18
    zoom = int(max(1, min(12, math.floor(min(zoom_x, zoom_y)))))
    center = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    return (round(center[0], 4), round(center[1], 4)), zoom
