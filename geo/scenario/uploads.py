"""Launch zones and launch points from a user's GeoJSON file (RFC 7946).

Lines and polygons become zones; points become
:class:`~geo.scenario.model.LaunchPoint` objects, because a point is a launch
point (its ring keeps the system's minimum range, which a zone would drop).
Strings in uploads (feature names) are kept as plain text labels, never
interpreted; escape them before putting them in HTML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.core.antimeridian import split_line, split_polygon, unwrap
from geo.core.buffer import check_outline_size, outline_size
from geo.core.edges import insert_crossings_in
from geo.core.shapes import polygonal
from geo.core.text import clean_label
from geo.errors import InputError
from geo.scenario.model import LaunchPoint
from geo.scenario.zones import Zone

__all__ = ["MAX_UPLOAD_BYTES", "MAX_UPLOAD_VERTICES", "GeoJSONUpload", "read_geojson", "zones_from_geojson"]

#: Default upload limits: 5 MB of GeoJSON, 200,000 vertices.
MAX_UPLOAD_BYTES: Final = 5_000_000
MAX_UPLOAD_VERTICES: Final = 200_000

_LABEL_KEYS: Final = ("name", "Name", "NAME", "label", "Label", "title", "Title")
_CRS84_NAMES: Final = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "crs84",
        "ogc:crs84",
        # Same datum and, in practice, the same lon/lat order (GeoJSON 2008
        # files from older tools); a swapped file is caught by the latitude check.
        "epsg:4326",
        "urn:ogc:def:crs:epsg::4326",
        "http://www.opengis.net/def/crs/epsg/0/4326",
    }
)
_GEOMETRY_TYPES: Final = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}
)


@dataclass(frozen=True)
class GeoJSONUpload:
    """What :func:`read_geojson` found: zones (lines, polygons) and launch points."""

    zones: tuple[Zone, ...]
    points: tuple[LaunchPoint, ...]


class _NonFinite(Exception):
    pass


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


#: Longest number literal read (a coordinate needs about 20; Python's int refuses
#: 4,300 digits and a float overflows past 309, issue 13).
_MAX_NUMBER_CHARS = 40


class _LongNumber(Exception):
    pass


def _parse_int(text: str) -> int:
    if len(text) > _MAX_NUMBER_CHARS:
        raise _LongNumber(text)
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > _MAX_NUMBER_CHARS:
        raise _LongNumber(text)
    return float(text)


def read_geojson(
    data: bytes | str, *, max_bytes: int = MAX_UPLOAD_BYTES, max_vertices: int = MAX_UPLOAD_VERTICES
) -> GeoJSONUpload:
    """Read launch zones and launch points from a user's GeoJSON (RFC 7946) file.

    Parameters
    ----------
    data : bytes or str
        The file's content (UTF-8).
    max_bytes, max_vertices : int, optional
        Refuse larger files, or files with more vertices (positions) in all.

    Returns
    -------
    GeoJSONUpload
        One zone per Feature (or bare geometry) holding lines or polygons
        (a GeometryCollection mixing both gives one of each); one launch point
        per Point position. Labels come from the ``name`` (or ``label``,
        ``title``) property, as plain text, else "feature N".

    Raises
    ------
    InputError
        With a specific message for: a file over ``max_bytes``; not UTF-8;
        not JSON; NaN or Infinity; not GeoJSON (no "type"); an unsupported
        type; a "crs" other than WGS84 lon/lat (CRS84); coordinates that look
        projected (metres) or swapped (lat, lon); more than ``max_vertices``
        vertices; empty or degenerate shapes; no shapes at all.

    Examples
    --------
    >>> up = read_geojson('{"type": "LineString", "coordinates": [[35, 48], [37, 48.5]]}')
    >>> [z.kind for z in up.zones], up.points
    (['line'], ())
    >>> read_geojson('{"type": "Point", "coordinates": [3500000, 6500000]}')
    Traceback (most recent call last):
    ...
    geo.errors.InputError: coordinates look projected (metres?): GeoJSON must be WGS84 lon/lat (RFC 7946); got [3500000, 6500000] in the geometry
    """
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise InputError(f"the file is {_size(len(raw))}; the limit is {_size(max_bytes)}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}): GeoJSON must be UTF-8"
        ) from None
    try:
        doc = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int, parse_float=_parse_float)
    except _LongNumber as exc:
        raise InputError(
            f"the file has a number written with {len(str(exc)):,} characters ({str(exc)[:12]}…): "
            f"coordinates need at most {_MAX_NUMBER_CHARS}"
        ) from None
    except _NonFinite as exc:
        raise InputError(f"the file contains {exc}, which is not a number in JSON or GeoJSON") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError("not usable JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise InputError(f'not GeoJSON: expected a JSON object with a "type", got a JSON {_json_kind(doc)}')
    if "type" not in doc:
        keys = ", ".join(repr(k) for k in list(doc)[:5]) or "none"
        raise InputError(
            f'not GeoJSON: the object has no "type" member (expected FeatureCollection, Feature or a geometry; keys: {keys})'
        )
    _check_crs(doc, "the file")
    count = _count_positions(doc)
    if count > max_vertices:
        raise InputError(
            f"the file has {count:,} vertices; the limit is {max_vertices:,}: simplify it first "
            "(e.g. mapshaper -simplify or QGIS Simplify)"
        )
    zones: list[Zone] = []
    points: list[LaunchPoint] = []
    for where, label, geometry in _features(doc):
        _collect(geometry, where, label, zones, points)
    if not zones and not points:
        raise InputError("no shapes found: the file has no lines, polygons or points")
    for zone in zones:  # refuse now what no range could compute (issue 13)
        check_outline_size(outline_size(zone.geometry, zone.edges), zone.label)
    return GeoJSONUpload(tuple(zones), tuple(points))


def zones_from_geojson(
    data: bytes | str, *, max_bytes: int = MAX_UPLOAD_BYTES, max_vertices: int = MAX_UPLOAD_VERTICES
) -> list[Zone]:
    """The launch zones (lines and polygons) of a GeoJSON file; see :func:`read_geojson`.

    Raises
    ------
    InputError
        As :func:`read_geojson`, and if the file holds points: those are
        launch points, not zones (read them with :func:`read_geojson`).

    Examples
    --------
    >>> zs = zones_from_geojson(b'{"type": "Feature", "properties": {"name": "<b>front</b>"},'
    ...                         b' "geometry": {"type": "LineString", "coordinates": [[35, 48], [37, 48.5]]}}')
    >>> zs[0].label  # kept as plain text
    '<b>front</b>'
    >>> zones_from_geojson('{"type": "LineString", "coordinates": [[48, 95], [48.5, 97]]}')
    Traceback (most recent call last):
    ...
    geo.errors.InputError: coordinates look like lat/lon swapped: GeoJSON positions are [longitude, latitude]; got [48, 95] in the geometry
    """
    upload = read_geojson(data, max_bytes=max_bytes, max_vertices=max_vertices)
    if upload.points:
        n = len(upload.points)
        raise InputError(
            f"the file holds {n} point{'s' if n != 1 else ''}: points are launch points, not zones "
            "(read the file with read_geojson, or give them with --at)"
        )
    return list(upload.zones)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _json_kind(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


def _check_crs(obj: dict[str, Any], where: str) -> None:
    """Refuse a GeoJSON 2008 "crs" member that names anything but WGS84 lon/lat."""
    crs = obj.get("crs")
    if crs is None:
        return
    name = ""
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict):
            name = str(props.get("name") or props.get("href") or "")
    if name.strip().casefold() in _CRS84_NAMES:
        return
    shown = name or json.dumps(crs)[:80]
    raise InputError(
        f"{where} declares the coordinate system {shown!r}: GeoJSON must be WGS84 lon/lat (RFC 7946, CRS84); "
        "reproject it, e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"
    )


def _count_positions(obj: Any) -> int:
    """How many positions the document holds (iteratively: nesting may be deep)."""
    total = 0
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            coords = item.get("coordinates")
            if isinstance(coords, list):
                total += _positions_in(coords)
            for key in ("features", "geometries"):
                if isinstance(item.get(key), list):
                    stack.extend(item[key])
            if isinstance(item.get("geometry"), dict):
                stack.append(item["geometry"])
    return total


def _positions_in(coords: list[Any]) -> int:
    total = 0
    stack = [coords]
    while stack:
        arr = stack.pop()
        if arr and isinstance(arr[0], list):
            stack.extend(a for a in arr if isinstance(a, list))
        elif arr:
            total += 1
    return total


def _label(props: Any) -> str:
    if not isinstance(props, dict):
        return ""
    for key in _LABEL_KEYS:
        value = props.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = clean_label(str(value))
            if text:
                return text
    return ""


def _features(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, label, geometry) for every non-null geometry in the document."""
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise InputError('not GeoJSON: a FeatureCollection needs a "features" array')
        if not features:
            raise InputError("no shapes found: the FeatureCollection has no features")
        for i, feature in enumerate(features):
            where = f"features[{i}]"
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                got = feature.get("type") if isinstance(feature, dict) else _json_kind(feature)
                raise InputError(f'{where}: expected an object with "type": "Feature", got {got!r}')
            yield from _feature(feature, where, f"feature {i + 1}")
    elif kind == "Feature":
        yield from _feature(doc, "the feature", "feature 1")
    elif kind in _GEOMETRY_TYPES:
        yield "the geometry", "feature 1", doc
    elif kind == "Topology":
        raise InputError("this is TopoJSON, not GeoJSON: convert it first (e.g. topo2geo or mapshaper)")
    else:
        raise InputError(
            f"unsupported GeoJSON type {kind!r}: expected FeatureCollection, Feature, "
            "LineString, MultiLineString, Polygon, MultiPolygon, Point or MultiPoint"
        )


def _feature(feature: dict[str, Any], where: str, fallback: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    _check_crs(feature, where)
    geometry = feature.get("geometry")
    if geometry is None:  # allowed by RFC 7946 (an unlocated feature): nothing to draw
        return
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise InputError(f'{where}.geometry: expected a geometry object with a "type", got {_json_kind(geometry)}')
    yield f"{where}.geometry", _label(feature.get("properties")) or fallback, geometry


def _collect(
    geometry: dict[str, Any], where: str, label: str, zones: list[Zone], points: list[LaunchPoint], depth: int = 0
) -> None:
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or depth > 0:
            raise InputError(f'{where}: a GeometryCollection needs a "geometries" array and cannot be nested')
        lines: list[LineString] = []
        polys: list[Polygon] = []
        for i, member in enumerate(members):
            if not isinstance(member, dict):
                raise InputError(f"{where}.geometries[{i}]: expected a geometry object")
            sub: list[Zone] = []
            _collect(member, f"{where}.geometries[{i}]", label, sub, points, depth + 1)
            for z in sub:
                target: list[Any] = lines if z.kind == "line" else polys
                target.extend(shapely.get_parts(z.geometry))
        if lines:
            zones.append(Zone("line", label, lines[0] if len(lines) == 1 else MultiLineString(lines)))
        if polys:
            zones.append(Zone("polygon", label, polygonal(shapely.union_all(polys))))
        return
    if kind not in _GEOMETRY_TYPES:
        raise InputError(
            f"{where}: unsupported geometry type {kind!r}: expected Point, MultiPoint, LineString, "
            "MultiLineString, Polygon or MultiPolygon"
        )
    _check_crs(geometry, where)
    coords = geometry.get("coordinates")
    if not isinstance(coords, list):
        raise InputError(f'{where}: a {kind} needs a "coordinates" array')
    if kind == "Point":
        xy = _positions([coords], f"{where}.coordinates", kind)
        points.append(_point(xy[0], label))
    elif kind == "MultiPoint":
        xy = _positions(coords, f"{where}.coordinates", kind)
        if len(xy) == 0:
            raise InputError(f"{where}: the MultiPoint is empty")
        points.extend(_point(p, f"{label} ({i + 1})" if len(xy) > 1 and label else label) for i, p in enumerate(xy))
    elif kind in ("LineString", "MultiLineString"):
        parts = [coords] if kind == "LineString" else coords
        pieces: list[LineString] = []
        for i, part in enumerate(parts):
            at = f"{where}.coordinates" + ("" if kind == "LineString" else f"[{i}]")
            pieces.extend(shapely.get_parts(_line(_positions(part, at, kind), at)))
        if not pieces:
            raise InputError(f"{where}: the {kind} is empty")
        zones.append(Zone("line", label, pieces[0] if len(pieces) == 1 else MultiLineString(pieces)))
    else:  # Polygon, MultiPolygon
        parts = [coords] if kind == "Polygon" else coords
        polys = []
        for i, part in enumerate(parts):
            at = f"{where}.coordinates" + ("" if kind == "Polygon" else f"[{i}]")
            if not isinstance(part, list) or not part:
                raise InputError(f"{at}: a polygon needs at least one ring of positions")
            rings = [_positions(ring, f"{at}[{j}]", kind) for j, ring in enumerate(part)]
            polys.extend(shapely.get_parts(_polygon(rings, at)))
        if not polys:
            raise InputError(f"{where}: the {kind} is empty")
        zones.append(Zone("polygon", label, polygonal(shapely.union_all(polys))))


def _point(xy: NDArray[np.float64], label: str) -> LaunchPoint:
    lon, lat = float(xy[0]), float(xy[1])
    return LaunchPoint.at(lat, lon, label)


def _positions(value: Any, where: str, kind: str) -> NDArray[np.float64]:
    """Validate a list of [lon, lat(, alt)] positions; returns an N×2 array."""
    if not isinstance(value, list):
        raise InputError(f"{where}: expected an array of [longitude, latitude] positions, got {_json_kind(value)}")
    out = np.empty((len(value), 2), dtype=float)
    for i, pos in enumerate(value):
        if (
            not isinstance(pos, list)
            or len(pos) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos[:3])
        ):
            raise InputError(f"{where}[{i}]: expected a position [longitude, latitude], got {json.dumps(pos)[:60]}")
        out[i] = pos[0], pos[1]
    if len(out) == 0:
        return out
    if not np.isfinite(out).all():
        i = int(np.flatnonzero(~np.isfinite(out).all(axis=1))[0])
        raise InputError(f"{where}[{i}]: coordinates must be finite numbers, got {value[i]}")
    x, y = np.abs(out[:, 0]), np.abs(out[:, 1])
    where_text = "in the geometry" if where.startswith("the geometry") else f"at {where}"
    if (x > 360.0).any() or (y > 180.0).any():
        i = int(np.flatnonzero((x > 360.0) | (y > 180.0))[0])
        raise InputError(
            "coordinates look projected (metres?): GeoJSON must be WGS84 lon/lat (RFC 7946); "
            f"got {_pos(value[i])} {where_text}"
        )
    if (y > 90.0).any():
        i = int(np.flatnonzero(y > 90.0)[0])
        if (x <= 90.0).all():
            raise InputError(
                "coordinates look like lat/lon swapped: GeoJSON positions are [longitude, latitude]; "
                f"got {_pos(value[i])} {where_text}"
            )
        raise InputError(f"latitude {out[i, 1]:g} is outside -90…90: got {_pos(value[i])} {where_text}")
    return out


def _pos(pos: list[Any]) -> str:
    return "[" + ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in pos) + "]"


def _line(xy: NDArray[np.float64], where: str) -> LineString | MultiLineString:
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = np.any(np.diff(xy, axis=0) != 0.0, axis=1)
    xy = xy[keep]
    if len(xy) < 2:
        raise InputError(f"{where}: a line needs at least 2 distinct positions, got {len(xy)}")
    return split_line(insert_crossings_in(unwrap(xy), "lonlat"))


def _polygon(rings: list[NDArray[np.float64]], where: str) -> Polygon | MultiPolygon:
    fixed = []
    for j, ring in enumerate(rings):
        if len(ring) and (ring[0] != ring[-1]).any():  # RFC 7946 wants it closed; close it for the user
            ring = np.vstack([ring, ring[:1]])
        distinct = len(np.unique(ring, axis=0))
        if distinct < 3:
            raise InputError(f"{where}[{j}]: a polygon ring needs at least 3 distinct positions, got {distinct}")
        if np.abs(np.diff(ring[:, 0])).max() > 180.0:
            # Not split at the antimeridian (or written 0…360): join vertices
            # the short way round, then split it ourselves.
            ring = unwrap(ring)
            if abs(ring[-1, 0] - ring[0, 0]) > 1e-9:
                raise InputError(f"{where}[{j}]: the ring goes round a pole; split it at the antimeridian (RFC 7946)")
        # Where an edge crosses ±180° (unwrapped, or written 0…360), cut it
        # where its straight (lon, lat) line crosses: a file's edges are
        # straight in lon/lat (RFC 7946 §3.1.1), and zone_reach follows them so.
        fixed.append(insert_crossings_in(ring, "lonlat"))
    shell, holes = fixed[0], fixed[1:]
    poly = Polygon(shell, holes)
    if not poly.is_valid:
        # Tools often write slightly invalid polygons (a self-touching ring):
        # repair rather than refuse, keeping the area.
        poly = polygonal(shapely.make_valid(poly))
    if poly.is_empty or poly.area <= 0.0:
        raise InputError(f"{where}: the polygon has no area (its positions lie on one line)")
    out: Polygon | MultiPolygon = shapely.orient_polygons(split_polygon(poly))
    return out
