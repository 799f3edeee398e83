"""KML 2.2 export of range rings, for Google Earth and other GIS tools.

One Placemark per launch point and system (the same rings as the GeoJSON
export: RFC 7946 form, split at the antimeridian, so every longitude is within
±180°, and densified wherever readers' edge conventions part:
:func:`geo.export.geojson.export_shape`), one Style per system in its palette
colour, and the launch points and zones as Placemarks of their own, each with
a style of its own (a style without LineStyle or PolyStyle is painted
opaque white by the KML defaults, issue 9).

Outlines never stroke a cut: where a ring's polygon has edges that are not
the ring (a cut at ±180°, the closure of a ring round a pole, the lunes of a
ring round both poles), the polygon is filled without outline and the
outline is drawn as LineStrings through the ring's own vertices, unsplit:
Google Earth joins two vertices the shorter way round, across ±180° when
that is shorter (KML 2.2 §10.7, ``<LineString>`` with ``<tessellate>``).

Safety: every user-supplied string (system names, launch point labels) stays
plain text. The document is built with :mod:`xml.etree.ElementTree`, which
escapes text for XML; characters XML 1.0 cannot hold are replaced by U+FFFD.
Google Earth renders ``<description>`` as HTML, so descriptions are built
from :func:`html.escape`-d pieces (and then escaped again for XML by the
serializer), and every Style's balloon shows only the description, so a
name is never pasted into the balloon's HTML.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.analyse import Analysis, analyse
from geo.analysis.caption import caption_for
from geo.analysis.labels import ring_labels
from geo.core.antimeridian import seam_free_lines
from geo.core.grid import format_mgrs
from geo.core.units import check_unit, format_distance
from geo.datasets.catalog import span_text
from geo.export.geojson import ATTRIBUTION, EXPORT_PRECISION, ExportShape, coverage_shape, ring_shape, round_geometry
from geo.scenario.model import LaunchPoint, Scenario, System
from geo.scenario.palette import REVERSE_COLOR, check_hex_color, color_for, kml_color
from geo.scenario.zones import Zone

__all__ = ["FILL_OPACITY", "KML_NS", "LINE_WIDTH_PX", "rings_kml"]

#: The KML 2.2 namespace (OGC 07-147r2).
KML_NS: Final = "http://www.opengis.net/kml/2.2"

#: Opacity of ring fills: light enough to see the terrain and overlapping rings.
FILL_OPACITY: Final = 0.25

#: Ring outline width in pixels.
LINE_WIDTH_PX: Final = 2.0

#: Launch zones: a dark dashed-looking outline is not in KML; a dark grey line and a faint fill.
ZONE_COLOR: Final = "#222222"
ZONE_FILL_OPACITY: Final = 0.08
#: Launch points: Google Earth's paddle icon is not bundled offline; its default icon, tinted dark.
POINT_COLOR: Final = "#222222"

NOMINAL_NOTE: Final = (
    "Ranges are publicly reported nominal figures, not measured performance; each is listed with its source and date."
)
AIR_LAUNCHED_NOTE: Final = "Air-launched: range counts from the release point, not from the airbase."

# Characters XML 1.0 allows (§2.2 Char); anything else cannot be written.
_NOT_XML_CHAR: Final = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """User text made storable in XML, otherwise unchanged.

    XML parsers turn a carriage return into a line feed, so do that here and
    the file reads back as written.
    """
    return _NOT_XML_CHAR.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = _text(text)
    return el


def _number(value: float) -> str:
    """A coordinate without needless zeros or exponent (``34.8``, ``-180``)."""
    out = f"{value:.{EXPORT_PRECISION}f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def _coordinates(xy: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y, *_ in xy)


def _polygon(parent: ET.Element, poly: Polygon) -> None:
    el = _sub(parent, "Polygon")
    _sub(el, "tessellate", "1")  # edges follow the ground, not a straight line through the earth
    ring = _sub(_sub(el, "outerBoundaryIs"), "LinearRing")
    _sub(ring, "coordinates", _coordinates(poly.exterior.coords))
    for interior in poly.interiors:
        ring = _sub(_sub(el, "innerBoundaryIs"), "LinearRing")
        _sub(ring, "coordinates", _coordinates(interior.coords))


def _geometry(parent: ET.Element, geom: Polygon | MultiPolygon) -> None:
    if isinstance(geom, Polygon):
        _polygon(parent, geom)
        return
    multi = _sub(parent, "MultiGeometry")
    for poly in geom.geoms:
        _polygon(multi, poly)


def _cut_lines(geom: Polygon | MultiPolygon) -> list[NDArray[np.float64]] | None:
    """The outline of a polygon cut along ±180° without the cut edges, or None when it has no such cut."""
    rings = [np.asarray(r.coords) for poly in getattr(geom, "geoms", [geom]) for r in (poly.exterior, *poly.interiors)]
    pieces = [piece for ring in rings for piece in seam_free_lines(ring)]
    whole = sum(len(r) for r in rings)
    return pieces if sum(len(p) for p in pieces) < whole or len(pieces) > len(rings) else None


def _geometry_with_outline(parent: ET.Element, geom: Polygon | MultiPolygon) -> None:
    """The polygon filled (its style draws no outline) and its outline, the cuts along ±180° left out, as LineStrings."""
    multi = _sub(parent, "MultiGeometry")
    for poly in getattr(geom, "geoms", [geom]):
        _polygon(multi, poly)
    for line in _cut_lines(geom) or []:
        el = _sub(multi, "LineString")
        _sub(el, "tessellate", "1")
        _sub(el, "coordinates", _coordinates(line.tolist()))


def _wrapped(line: NDArray[np.float64]) -> list[tuple[float, float]]:
    """An unwrapped line's vertices with longitudes brought into [-180, 180] (KML's range), unsplit."""
    lon = (line[:, 0] + 180.0) % 360.0 - 180.0
    lon = np.where((lon == -180.0) & (line[:, 0] > 0.0), 180.0, lon)
    return list(zip(lon.tolist(), line[:, 1].tolist(), strict=True))


def _shape(parent: ET.Element, shape: ExportShape) -> None:
    """The polygon, and where it has cuts, the outline as LineStrings (the style then draws no polygon outline)."""
    if not shape.has_cuts:
        _geometry(parent, shape.polygon)
        return
    multi = _sub(parent, "MultiGeometry")
    for poly in getattr(shape.polygon, "geoms", [shape.polygon]):
        _polygon(multi, poly)
    for line in shape.lines:
        el = _sub(multi, "LineString")
        _sub(el, "tessellate", "1")
        _sub(el, "coordinates", _coordinates(_wrapped(line)))


def _style_url(style_id: str, shape: ExportShape) -> str:
    return f"#{style_id}-cut" if shape.has_cuts else f"#{style_id}"


def _link(url: str) -> str:
    """An HTML link for http(s) URLs; anything else as plain text."""
    safe = html.escape(url, quote=True)
    return f'<a href="{safe}">{safe}</a>' if url.startswith(("https://", "http://")) else safe


def _source_html(system: System) -> str:
    if system.weapon is None:
        return "Source: user-defined (entered by the user, not from the catalog)"
    w, s = system.weapon, system.weapon.primary_source
    return (
        f"Source: {html.escape(s.title)}, {html.escape(s.publisher)}, {s.date.isoformat()} {_link(s.url)}<br>"
        f"As reported: {html.escape(w.range_reported)}<br>"
        + (f"Sources disagree: {html.escape(span_text(w))}<br>" if w.disputed else "")
        + (f"{html.escape(w.drawn_because)}<br>" if w.drawn_because else "")
        + f"Catalog entry as of {w.as_of.isoformat()}"
    )


def _ring_description(point: LaunchPoint, system: System, unit: str) -> str:
    lines = [
        f"<b>{html.escape(system.name)}</b>",
        f"Range: {html.escape(format_distance(system.range_km, unit, with_km=True))}",
    ]
    if system.min_range_km > 0.0:
        lines.append(f"Minimum range: {html.escape(format_distance(system.min_range_km, unit, with_km=True))}")
    lines.append(f"From: {html.escape(point.name)} ({point.lat:.4f}, {point.lon:.4f})")
    if point.sector is not None:
        lines.append(f"Sector: {html.escape(point.sector.description())}")
    if system.air_launched:
        lines.append(AIR_LAUNCHED_NOTE)
    lines += [_source_html(system), NOMINAL_NOTE]
    return "<br>".join(lines)


def _document_description(systems: Sequence[System]) -> str:
    # ATTRIBUTION (shared with the GeoJSON export) credits GeoNames (CC BY 4.0)
    # and says the ranges are publicly reported nominal figures.
    lines = [html.escape(ATTRIBUTION), "Geodesics computed with GeographicLib (through pyproj)."]
    if any(s.air_launched for s in systems):
        lines.append(AIR_LAUNCHED_NOTE)
    sources = []
    for system in systems:
        if system.weapon is None:
            sources.append(f"{html.escape(system.name)}: user-defined range")
            continue
        s = system.weapon.primary_source
        sources.append(
            f"{html.escape(system.name)}: {html.escape(s.title)}, {html.escape(s.publisher)}, "
            f"{s.date.isoformat()} {_link(s.url)}"
        )
    if sources:
        lines.append("Sources:<br>" + "<br>".join(sources))
    return "<br>".join(lines)


def _style(
    parent: ET.Element, style_id: str, hex_rgb: str, *, fill_opacity: float = FILL_OPACITY, outline: bool = True
) -> None:
    """A Style with every sub-style a Placemark may need, so no schema default (opaque white) shows.

    ``outline=False``: the polygon is filled only, its outline drawn by the
    Placemark's LineStrings (see the module docstring).
    """
    style = _sub(parent, "Style")
    style.set("id", style_id)
    icon = _sub(style, "IconStyle")
    _sub(icon, "color", kml_color(hex_rgb, 1.0))
    _sub(icon, "scale", "1")
    label = _sub(style, "LabelStyle")
    _sub(label, "color", "ffffffff")
    _sub(label, "scale", "0.9")
    line = _sub(style, "LineStyle")
    _sub(line, "color", kml_color(hex_rgb, 1.0))
    _sub(line, "width", f"{LINE_WIDTH_PX:g}")
    poly = _sub(style, "PolyStyle")
    _sub(poly, "color", kml_color(hex_rgb, fill_opacity))
    _sub(poly, "fill", "1")
    _sub(poly, "outline", "1" if outline else "0")
    # Show only the (escaped) description: Google Earth's default balloon
    # pastes the name into HTML.
    _sub(_sub(style, "BalloonStyle"), "text", "$[description]")


def _labels_folder(doc: ET.Element, analysis: Analysis, palette: Mapping[str, str]) -> None:
    """Ring labels (issue 12) as Point Placemarks showing only their name: no icon, the system's colour."""
    labels = ring_labels(analysis)
    if not labels:
        return
    styled: set[str] = set()
    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Ring labels")
    for lab in labels:
        style_id = f"label-{lab.system_id}"
        if style_id not in styled:
            styled.add(style_id)
            # The full style (no schema default shows), then: no icon, the label in the system's colour.
            holder = ET.Element("holder")
            color = palette.get(lab.system_id, "#333333")
            _style(holder, style_id, color)
            style = holder[0]
            style.find("IconStyle/scale").text = "0"  # type: ignore[union-attr]
            style.find("LabelStyle/color").text = kml_color(color, 1.0)  # type: ignore[union-attr]
            style.find("LabelStyle/scale").text = "1"  # type: ignore[union-attr]
            # Styles before every Feature (the OGC schema's order): after the last Style.
            last = max(i for i, child in enumerate(doc) if child.tag == "Style")
            doc.insert(last + 1, style)
        mark = _sub(folder, "Placemark")
        _sub(mark, "name", lab.text)
        _sub(mark, "styleUrl", f"#{style_id}")
        lon = (lab.lon + 180.0) % 360.0 - 180.0
        _sub(_sub(mark, "Point"), "coordinates", f"{_number(lon)},{_number(lab.lat)}")


def _reverse_folder(doc: ET.Element, analysis: Analysis, unit: str) -> None:
    """Reverse reach ("from where can it be fired?"): one Placemark with the analysis's area and geometry."""
    reach, target = analysis.reverse, analysis.target
    if reach is None or target is None:
        return
    label = target.label
    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Reverse reach")
    mark = _sub(folder, "Placemark")
    _sub(mark, "name", reach.summary(label))
    where = f" in {html.escape(reach.country.name)}" if reach.country is not None else ""
    rng = html.escape(reach.system.range_text(unit))
    lines = [
        f"<b>{html.escape(reach.summary(label))}</b>",
        f"Target: {html.escape(label)} ({reach.target.lat:.4f}, {reach.target.lon:.4f}; "
        f"MGRS {format_mgrs(reach.target.lat, reach.target.lon)})",
        f"Launch sites{where} within {rng} of the target (dashed on the map): {reach.area_km2:,.0f} km²",
        "Area: ellipsoidal (WGS84)",
        _source_html(reach.system),
        NOMINAL_NOTE,
    ]
    _sub(mark, "description", "<br>".join(lines))
    _sub(mark, "styleUrl", "#reverse-reach")
    _extended_data(
        mark,
        {
            "feature": "reverse_reach",
            "weapon_id": reach.system.id,
            "weapon_name": reach.system.name,
            "range_km": f"{reach.system.range_km:g}",
            "min_range_km": f"{reach.system.min_range_km:g}",
            "target": label,
            "target_lat": f"{reach.target.lat:.6f}",
            "target_lon": f"{reach.target.lon:.6f}",
            "target_mgrs": format_mgrs(reach.target.lat, reach.target.lon),
            "country": (reach.country.iso2 or reach.country.iso3) if reach.country is not None else "",
            "area_km2": f"{reach.area_km2:.1f}",
        },
    )
    if not reach.empty:
        geom = round_geometry(reach.geometry, EXPORT_PRECISION)
        if _cut_lines(geom):
            mark.find("styleUrl").text = "#reverse-reach-cut"  # type: ignore[union-attr]
            _geometry_with_outline(mark, geom)
        else:
            _geometry(mark, geom)


def _extended_data(parent: ET.Element, values: Mapping[str, str]) -> None:
    ext = _sub(parent, "ExtendedData")
    for key, value in values.items():
        data = _sub(ext, "Data")
        data.set("name", key)
        _sub(data, "value", value)


def _zones_folder(
    doc: ET.Element,
    analysis: Analysis,
    style_ids: Mapping[str, str],
    unit: str,
) -> None:
    """Launch zones as outlines, then one merged coverage Placemark per system."""
    zones, systems = analysis.zones, analysis.scenario.systems
    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Launch zones")
    for zone in zones:
        mark = _sub(folder, "Placemark")
        _sub(mark, "name", zone.label)
        _sub(mark, "description", f"Launch zone: {html.escape(zone.label)}")
        _sub(mark, "styleUrl", "#launch-zone")
        _extended_data(mark, {"feature": "launch zone", "kind": zone.kind, "label": zone.label})
        geom = round_geometry(zone.geometry, EXPORT_PRECISION)
        if isinstance(geom, (Polygon, MultiPolygon)):
            _geometry(mark, geom)
        else:
            multi = _sub(mark, "MultiGeometry")
            for line in getattr(geom, "geoms", [geom]):
                _sub(_sub(multi, "LineString"), "coordinates", _coordinates(line.coords))
    for system in systems:
        result = analysis.result(system.id)
        folder = _sub(doc, "Folder")
        _sub(folder, "name", system.name)
        mark = _sub(folder, "Placemark")
        _sub(mark, "name", f"{system.name} — {system.range_text(unit)} from the launch zones and points")
        _sub(mark, "description", f"{html.escape(system.name)}<br>{_source_html(system)}")
        shape = coverage_shape(analysis, system.id)
        _sub(mark, "styleUrl", _style_url(style_ids[system.id], shape))
        _extended_data(
            mark,
            {
                "weapon_id": system.id,
                "weapon_name": system.name,
                "range_km": f"{system.range_km:g}",
                "area_km2": f"{result.area_km2:.1f}",
                "zones": "; ".join(z.label for z in zones),
                "source": system.source_text,
                "source_url": system.source_url,
            },
        )
        _shape(mark, shape)


def rings_kml(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    colors: Mapping[str, str] | None = None,
    unit: str = "km",
    zones: Sequence[Zone] = (),
    analysis: Analysis | None = None,
) -> str:
    """Range rings and launch points as a KML 2.2 document (Google Earth).

    Parameters
    ----------
    points : sequence of LaunchPoint
        Launch points; each becomes a Placemark, and the centre of one ring
        per system.
    systems : sequence of System
        Catalog or custom systems; each gets a Style and a Folder of rings.
    colors : mapping of str to str, optional
        Colour by system id, as ``#rrggbb``. Systems not in it take the
        Okabe–Ito palette colour of their position (:func:`geo.scenario.palette.color_for`).
    unit : {"km", "mi", "nmi"}
        Unit of the distances in names and descriptions (km is always given too).
    zones : sequence of Zone, optional
        Launch zones. With zones, each system gets one Placemark, its merged
        coverage from every point and zone, instead of a ring per point; the
        zones get a Folder of their own.
    analysis : Analysis, optional
        The scenario's analysis, whose coverage and areas the document states
        (``area_km2`` in each Placemark's ExtendedData, as every output does);
        made from the arguments above when not given.

    Returns
    -------
    str
        The KML document, UTF-8 XML with declaration. Coordinates are
        ``lon,lat`` to 6 decimals (≤ 0.11 m); rings follow RFC 7946 (split at
        the antimeridian into a MultiGeometry, longitudes within ±180°,
        exterior rings counter-clockwise); a minimum range gives an
        ``innerBoundaryIs``. Colours are KML ``aabbggrr``: opaque outline,
        :data:`FILL_OPACITY` fill.

    Raises
    ------
    InputError
        For a malformed colour, an unknown unit, or a ring
        :func:`geo.core.rings.range_ring` refuses.

    Examples
    --------
    >>> kml = rings_kml([LaunchPoint(50.9, 34.8, "Sumy")], [System.custom("ATACMS", 300)])
    >>> import xml.etree.ElementTree as ET
    >>> root = ET.fromstring(kml)
    >>> ns = {"k": KML_NS}
    >>> [p.findtext("k:name", namespaces=ns) for p in root.iterfind(".//k:Placemark", ns)]
    ['Sumy', 'ATACMS — 300 km from Sumy', 'ATACMS 300 km']
    """
    u = check_unit(unit)
    if analysis is None:
        analysis = analyse(Scenario(points=tuple(points), zones=tuple(zones), systems=tuple(systems), unit=u))
    palette = {
        s.id: check_hex_color(colors[s.id]) if colors and s.id in colors else color_for(i)
        for i, s in enumerate(systems)
    }

    root = ET.Element("kml", {"xmlns": KML_NS})
    doc = _sub(root, "Document")
    _sub(doc, "name", "Weapon Range Map: range rings")
    _sub(doc, "open", "1")
    # The caption the page and the images carry (issue 11), then the credits and sources.
    caption = "<br>".join(html.escape(t.text) for t in caption_for(analysis).systems)
    _sub(doc, "description", caption + "<br><br>" + _document_description(systems))
    style_ids = {}
    for i, system in enumerate(systems):
        style_ids[system.id] = f"system-{i}"
        _style(doc, f"system-{i}", palette[system.id])
        _style(doc, f"system-{i}-cut", palette[system.id], outline=False)
    _style(doc, "launch-point", POINT_COLOR)
    _style(doc, "launch-zone", ZONE_COLOR, fill_opacity=ZONE_FILL_OPACITY)
    if analysis.reverse is not None:
        _style(doc, "reverse-reach", REVERSE_COLOR, fill_opacity=ZONE_FILL_OPACITY)
        _style(doc, "reverse-reach-cut", REVERSE_COLOR, fill_opacity=ZONE_FILL_OPACITY, outline=False)

    if points:
        folder = _sub(doc, "Folder")
        _sub(folder, "name", "Launch points")
        for i, point in enumerate(points):
            mark = _sub(folder, "Placemark")
            _sub(mark, "name", point.name)
            sector = f"<br>Sector: {html.escape(point.sector.description())}" if point.sector is not None else ""
            mgrs = analysis.mgrs[i] if tuple(points) == analysis.scenario.points else format_mgrs(point.lat, point.lon)
            _sub(
                mark,
                "description",
                f"{html.escape(point.name)}<br>{point.lat:.6f}, {point.lon:.6f}<br>MGRS {html.escape(mgrs)}{sector}",
            )
            _sub(mark, "styleUrl", "#launch-point")
            _sub(_sub(mark, "Point"), "coordinates", f"{_number(point.lon)},{_number(point.lat)}")

    if zones:
        _zones_folder(doc, analysis, style_ids, u)
    for system in systems if not zones else ():
        folder = _sub(doc, "Folder")
        _sub(folder, "name", system.name)
        for point in points:
            shape, area = ring_shape(point, system)
            mark = _sub(folder, "Placemark")
            _sub(mark, "name", f"{system.name} — {system.range_text(u)} from {point.name}")
            _sub(mark, "description", _ring_description(point, system, u))
            _sub(mark, "styleUrl", _style_url(style_ids[system.id], shape))
            _extended_data(
                mark,
                {
                    "weapon_id": system.id,
                    "weapon_name": system.name,
                    "range_km": f"{system.range_km:g}",
                    "min_range_km": f"{system.min_range_km:g}",
                    "launch_label": point.label,
                    "launch_lat": f"{point.lat:.6f}",
                    "launch_lon": f"{point.lon:.6f}",
                    "launch_mgrs": format_mgrs(point.lat, point.lon),
                    "sector": point.sector.description() if point.sector is not None else "",
                    # This ring's area, and the system's from every launch point, overlaps counted once:
                    # the analysis's one area method (geo.core.area), as every output states it.
                    "area_km2": f"{area:.1f}",
                    "coverage_area_km2": f"{analysis.result(system.id).area_km2:.1f}",
                    "source": system.source_text,
                    "source_url": system.source_url,
                },
            )
            _shape(mark, shape)

    _reverse_folder(doc, analysis, u)
    _labels_folder(doc, analysis, palette)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
