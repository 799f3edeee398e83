"""Launch zones (a country, a front line, an area) and the merged coverage of a system.

A launch zone stands for "launched from anywhere in here". Its reach is the
set of points within ``range_km`` of some point of the zone, distance being
the length of the shortest path on the WGS84 ellipsoid (DESIGN.md §2). It is
never a buffer in degrees, which for a 523 km line and 300 km falls up to
105 km short.

How :func:`zone_reach` builds it:

1. Simplify the zone's outline (Douglas–Peucker) within ``tol`` =
   :func:`geo.core.rings.chord_tolerance_m` of the range (150 m for 300 km): every
   dropped vertex lies within ``tol`` of the simplified outline, so the reach
   moves by no more than that.
2. For areas, close the outline's pockets (bays, river mouths, zig-zags of a
   coastline) across chords no longer than ``sqrt(8 · range · tol)`` (19 km
   for 300 km) and round no more than twice the range of outline: the reach
   grows by at most a chord's sagitta, ``tol``, and loses nothing
   (:func:`_fill_pockets`). Capes and borders that stick out stay. Natural
   Earth's Ukraine goes from 3,000 vertices to about 600 ring centres for
   300 km.
3. Densify every edge along its geodesic, every :data:`DENSIFY_KM` (25 km) at
   most: edges are taken as geodesics, the shortest path on the ground.
4. Put a geodesic range ring (``pyproj.Geod.fwd``, as :func:`geo.range_ring`
   does, with the same vertex count) around each vertex and take the convex
   hull of each consecutive pair of rings: the area swept by a ring moving
   along the edge. Geodesic circles that do not contain a pole are convex in
   (lon, lat) (tests/test_zones.py checks it), so the hull is a close fit. A
   small island (no wider than ``sqrt(6 · range · tol)``) gets one hull around
   all its rings. A ring that contains a pole is not convex in (lon, lat):
   next to such rings, rings alone are placed close enough together (every
   ``sqrt(8 · range · tol)``) that the scallops between them stay within ``tol``.
5. Union everything (shapely ``union_all``), with the zone's own area for
   countries and polygons.

The outline ends up within ``-2 · tol … +tol`` of the true one: ``tol`` inside
from the rings' chords (as for :func:`geo.range_ring`), ``tol`` either way
from simplifying, ``tol`` outside from closed pockets (measured against a
dense reference in tests/test_zones.py and bench/bench_coverage.py). Near a
pole, straight (lon, lat) edges stray further from the geodesic circle, as
they do for :func:`geo.range_ring`.

All of this happens with longitudes unwrapped around the zone (a line from
179° E to 179° W runs from 179 to 181), and the result is split at the
antimeridian for RFC 7946.

**Minimum range does not apply to zones.** A target is within reach of a zone
when some launch point in the zone is between the minimum and maximum range
from it. The only targets that fails for are those within the minimum range of
*every* point of the zone, and there are none once the zone is wider than twice
the minimum range (tens of km for the catalog's systems; a line or a country is
wider). For smaller zones the dead zone is still at most a disk of the minimum
range, so it is ignored rather than drawn. Launch points keep their minimum
range (a donut).

Uploads: :func:`read_geojson` reads a user's GeoJSON file. Lines and polygons
become zones; points become :class:`~geo.scenario.model.LaunchPoint` objects,
because a point is a launch point (its ring keeps the system's minimum range,
which a zone would drop). Strings in uploads (feature names) are kept as plain
text labels, never interpreted; escape them before putting them in HTML.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal, TypeAlias

import numpy as np
import shapely
import shapely.affinity
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping

from geo.core import diskcache, geodesic
from geo.core.antimeridian import insert_crossings, near, split_line, split_polygon, unwrap
from geo.core.coords import LatLon, check_latlon
from geo.core.rings import (
    check_range,
    chord_tolerance_m,
    disk_polygon,
    geodesic_area_km2,
    range_ring_unwrapped,
    vertex_count,
)
from geo.core.shapes import polygonal
from geo.core.simplify import simplify_geometry, simplify_xy
from geo.datasets.countries import country
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System

__all__ = [
    "DENSIFY_KM",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_VERTICES",
    "GeoJSONUpload",
    "Zone",
    "ZoneKind",
    "coverage",
    "coverage_area_km2",
    "coverage_feature",
    "coverage_unwrapped",
    "read_geojson",
    "zone_from_country",
    "zone_from_latlons",
    "zone_reach",
    "zones_from_geojson",
]

ZoneKind = Literal["country", "line", "polygon"]
ZoneGeometry: TypeAlias = LineString | MultiLineString | Polygon | MultiPolygon

#: Largest spacing between ring centres along a zone's outline, in km. The
#: convex hull of two rings this far apart follows the true swept area within
#: metres (DESIGN.md §2: −22…+13 m for a 523 km line and 300 km).
DENSIFY_KM: Final = 25.0

#: Default upload limits: 5 MB of GeoJSON, 200,000 vertices.
MAX_UPLOAD_BYTES: Final = 5_000_000
MAX_UPLOAD_VERTICES: Final = 200_000

#: Longest ground distance of one degree (a degree of latitude at a pole,
#: 111,694 m on WGS84): a tolerance of d / this in degrees is at most d metres.
_MAX_M_PER_DEG: Final = 111_700.0
#: Mean length of a degree on the mean sphere (R1 = 6,371,008.8 m), for rough thresholds.
_MEAN_M_PER_DEG: Final = 111_195.0

_LABEL_KEYS: Final = ("name", "Name", "NAME", "label", "Label", "title", "Title")
_MAX_LABEL_CHARS: Final = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
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
class Zone:
    """A launch zone: launched from anywhere on this line or in this area.

    Attributes
    ----------
    kind : {"country", "line", "polygon"}
    label : str
        Display name. Plain text that may come from a user's file: escape it
        before it goes into HTML.
    geometry : LineString, MultiLineString, Polygon or MultiPolygon
        (lon, lat) degrees, RFC 7946 style: longitudes within ±180, split at
        the antimeridian. Lines for ``"line"``, polygons otherwise.

    Examples
    --------
    >>> Zone("line", "front", LineString([(35.0, 48.0), (37.0, 48.5)])).kind
    'line'
    >>> Zone("line", "x", Polygon([(0, 0), (1, 0), (1, 1)]))
    Traceback (most recent call last):
    ...
    geo.errors.InputError: a 'line' zone needs a LineString or MultiLineString, got a Polygon
    """

    kind: ZoneKind
    label: str
    geometry: ZoneGeometry = field(repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("country", "line", "polygon"):
            raise InputError(f"zone kind: expected 'country', 'line' or 'polygon', got {self.kind!r}")
        wanted: tuple[type, ...] = (LineString, MultiLineString) if self.kind == "line" else (Polygon, MultiPolygon)
        if not isinstance(self.geometry, wanted):
            names = " or ".join(t.__name__ for t in wanted)
            raise InputError(f"a {self.kind!r} zone needs a {names}, got a {type(self.geometry).__name__}")
        if shapely.is_empty(self.geometry):
            raise InputError(f"zone {self.label!r} has an empty geometry")

    def __hash__(self) -> int:
        # Zones key the reach caches: hash the geometry's WKB once, not on
        # every lookup (0.7 ms for Canada's 68,000 vertices).
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.kind, self.label, self.geometry.wkb))
            object.__setattr__(self, "_hash", cached)
        return cached


@dataclass(frozen=True)
class GeoJSONUpload:
    """What :func:`read_geojson` found: zones (lines, polygons) and launch points."""

    zones: tuple[Zone, ...]
    points: tuple[LaunchPoint, ...]


# --------------------------------------------------------------------------
# Making zones


def zone_from_country(iso2: str) -> Zone:
    """The whole of a country as a launch zone (Natural Earth, German point of view).

    Examples
    --------
    >>> z = zone_from_country("UA")
    >>> z.kind, z.label
    ('country', 'Ukraine')
    """
    c = country(iso2)
    return Zone("country", c.name, c.geometry)


def zone_from_latlons(points: Sequence[LatLon | tuple[float, float]], *, closed: bool, label: str = "") -> Zone:
    """A line (``closed=False``) or polygon (``closed=True``) clicked out on the map.

    Parameters
    ----------
    points : sequence of LatLon or (lat, lon)
        Vertices in degrees, latitude first. Consecutive vertices are joined
        the short way round: 179° E then 179° W crosses the antimeridian.
        Longitudes outside ±180 (Leaflet's wrapped copies) are fine.
    closed : bool
        True for an area (at least 3 distinct points), False for a line (at
        least 2).
    label : str, optional
        Display name; defaults to "line (N points)" or "area (N points)".

    Raises
    ------
    InputError
        Bad coordinates, too few distinct points, an area whose points are all
        on one line, whose outline crosses itself, or that goes round a pole.

    Examples
    --------
    >>> z = zone_from_latlons([(48.0, 35.0), (48.5, 37.0)], closed=False, label="front")
    >>> z.kind, z.geometry.geom_type
    ('line', 'LineString')
    >>> zone_from_latlons([(60.0, 179.0), (61.0, -179.0)], closed=False).geometry.geom_type
    'MultiLineString'
    >>> zone_from_latlons([(48.0, 35.0), (48.0, 35.0)], closed=False)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: a line needs at least 2 distinct points, got 1
    """
    what = "area" if closed else "line"
    pts: list[LatLon] = []
    for i, p in enumerate(points):
        try:
            lat, lon = p
        except (TypeError, ValueError):
            raise InputError(f"point {i + 1}: expected (latitude, longitude), got {p!r}") from None
        pts.append(check_latlon(lat, lon))
    # Drop repeated clicks (consecutive duplicates, and a closing repeat of the first point).
    dedup = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    if closed and len(dedup) > 1 and dedup[-1] == dedup[0]:
        dedup.pop()
    need = 3 if closed else 2
    distinct = len(set(dedup))
    if distinct < need:
        raise InputError(f"a{'n' if closed else ''} {what} needs at least {need} distinct points, got {distinct}")
    xy = np.array([[p.lon, p.lat] for p in dedup], dtype=float)
    xy[:, 0] = np.unwrap(xy[:, 0], period=360.0)
    text = label or f"{what} ({len(dedup)} points)"
    if not closed:
        return Zone("line", text, split_line(insert_crossings(xy)))
    if round((xy[-1, 0] - xy[0, 0]) / 360.0) != 0:  # the closing edge does not lead back: a pole is inside
        raise InputError(f"the {what} goes round a pole: draw it as a line, or split it at the pole")
    poly = Polygon(insert_crossings(np.vstack([xy, xy[:1]])))
    if poly.convex_hull.area <= 0.0:
        raise InputError(f"the {what}'s points all lie on one line: it has no area")
    if not poly.is_valid:
        reason = shapely.is_valid_reason(poly)
        raise InputError(f"the {what}'s outline crosses itself ({reason}): click the corners in order around it")
    return Zone("polygon", text, shapely.orient_polygons(split_polygon(poly)))


# --------------------------------------------------------------------------
# Reading uploads


class _NonFinite(Exception):
    pass


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


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
        doc = json.loads(text, parse_constant=_reject_constant)
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
        _check_zone_size(zone)
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
            text = " ".join(_CONTROL.sub(" ", str(value)).split())
            if len(text) > _MAX_LABEL_CHARS:
                text = text[: _MAX_LABEL_CHARS - 1] + "…"
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
    return split_line(insert_crossings(unwrap(xy)))


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
        # where its geodesic crosses, as zone_reach follows the geodesic.
        fixed.append(insert_crossings(ring))
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


# --------------------------------------------------------------------------
# Reach


def _ref_lon(geometry: ZoneGeometry) -> float:
    """A longitude to unwrap the zone around: the middle of its largest part."""
    parts = list(shapely.get_parts(geometry))
    size = [p.area if isinstance(p, Polygon) else p.length for p in parts]
    biggest = parts[int(np.argmax(size))]
    if isinstance(biggest, Polygon):
        return float(biggest.centroid.x)
    return float(biggest.coords[0][0])


def densify_geodesic(xy: NDArray[np.float64], step_m: float) -> NDArray[np.float64]:
    """Vertices every ``step_m`` metres at most along the geodesic edges of a lon/lat line.

    The original vertices are kept exactly; longitudes stay continuous
    (unwrapped) along each edge, so an outline across ±180° stays in one piece.
    """
    if len(xy) < 2:
        return xy
    lon1, lat1, lon2, lat2 = xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]
    az, dist = geodesic.inverse(lat1, lon1, lat2, lon2)
    k = np.maximum(np.ceil(dist / step_m), 1).astype(int)
    if (k == 1).all():
        return xy
    edge = np.repeat(np.arange(len(k)), k)
    j = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    frac = j / k[edge]
    lats, lons = geodesic.direct(lat1[edge], lon1[edge], az[edge], dist[edge] * frac)
    start = j == 0
    lons[start], lats[start] = lon1[edge][start], lat1[edge][start]
    lons += 360.0 * np.round((lon1[edge] - lons) / 360.0)  # continuous with the edge's start
    return np.vstack([np.column_stack([lons, lats]), xy[-1:]])


def _approx_m(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Short distances between (lon, lat) rows, in metres, to within 1 % (for thresholds only)."""
    k = np.cos(np.radians((a[..., 1] + b[..., 1]) / 2.0))
    out: NDArray[np.float64] = np.hypot((b[..., 0] - a[..., 0]) * k, b[..., 1] - a[..., 1]) * _MEAN_M_PER_DEG
    return out


def _fill_pockets(ring: NDArray[np.float64], radius_m: float, max_chord_m: float) -> NDArray[np.float64]:
    """Drop concave vertices of a closed outline whose removal cannot change the reach by more than a chord's sagitta.

    The area lies to the left of ``ring`` (counter-clockwise exteriors,
    clockwise holes). A concave vertex v between a and b may go when the
    chord ab is at most ``max_chord_m`` long and the pocket it closes (bounded
    by ab and the original outline from a to b) has a perimeter of at most
    ``2 · radius_m``:

    - nothing is lost: a point outside that was within range of the pocket's
      outline is within range of the chord, which lies between them, and the
      whole pocket is within ``radius_m`` of a (its diameter is at most half
      its perimeter);
    - little is gained: a point within range of the chord is within
      ``sqrt(r² + (ab/2)²)`` of a or b, at most ``ab² / 8r`` beyond range.

    A coastline's bays, river mouths and zig-zags go; its capes stay. Vertices
    are removed in passes, never two neighbours in one pass.
    """
    xy = ring[:-1].copy()
    path_m = _approx_m(xy, np.roll(xy, -1, axis=0))  # outline length from vertex i to the next kept one
    while len(xy) > 3:
        prev, nxt = np.roll(xy, 1, axis=0), np.roll(xy, -1, axis=0)
        k = np.cos(np.radians(xy[:, 1]))
        turn = (xy[:, 0] - prev[:, 0]) * k * (nxt[:, 1] - xy[:, 1]) - (xy[:, 1] - prev[:, 1]) * (
            nxt[:, 0] - xy[:, 0]
        ) * k
        chord = _approx_m(prev, nxt)
        ok = (turn <= 0.0) & (chord <= max_chord_m) & (np.roll(path_m, 1) + path_m + chord <= 2.0 * radius_m)
        if not ok.any():
            break
        # Every other vertex of each run of candidates, so no two neighbours go at once.
        starts = ok & ~np.roll(ok, 1)
        if not starts.any():
            starts[0] = True
        pos = np.arange(len(xy))
        offset = pos - np.maximum.accumulate(np.where(starts, pos, 0))
        drop = ok & (offset % 2 == 0)
        if drop[0] and drop[-1]:
            drop[-1] = False
        gone = np.flatnonzero(drop)
        path_m[gone - 1] += path_m[gone]
        xy, path_m = xy[~drop], path_m[~drop]
    out: NDArray[np.float64] = np.vstack([xy, xy[:1]])
    return out


def _zone_outlines(
    geometry: ZoneGeometry, ref: float, radius_m: float, tol_m: float
) -> tuple[list[NDArray[np.float64]], list[Polygon | MultiPolygon]]:
    """Outline chains to put rings along, and the zone's areas, unwrapped around ``ref``.

    Chains are simplified within ``tol_m``, rid of pockets (:func:`_fill_pockets`)
    and densified every :data:`DENSIFY_KM`; closed chains repeat their first vertex.
    """
    step_m = DENSIFY_KM * 1000.0
    tol_deg = tol_m / _MAX_M_PER_DEG
    max_chord_m = math.sqrt(8.0 * radius_m * tol_m)  # sagitta ab² / 8r = tol_m
    chains: list[NDArray[np.float64]] = []
    areas: list[Polygon | MultiPolygon] = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon):
            # Ring by ring, in bounded runs (geo.core.simplify: GEOS recursion on a
            # long zig-zag overflows the stack), repaired where that broke it.
            simplified = polygonal(simplify_geometry(part, tol_deg))
            for simple in shapely.get_parts(shapely.orient_polygons(simplified)):
                if simple.is_empty:
                    continue
                shift = near(simple.centroid.x, ref)
                rings = []
                for ring in [simple.exterior, *simple.interiors]:
                    xy = np.asarray(ring.coords, dtype=float)
                    xy[:, 0] += shift
                    chains.append(densify_geodesic(_fill_pockets(xy, radius_m, max_chord_m), step_m))
                    rings.append(densify_geodesic(xy, step_m))
                # The area itself, its edges following geodesics as the chains do.
                poly = Polygon(rings[0], rings[1:])
                areas.append(poly if poly.is_valid else polygonal(shapely.make_valid(poly)))
        else:
            xy = unwrap(np.asarray(part.coords, dtype=float))
            xy[:, 0] += near(float(np.mean(xy[:, 0])), ref)
            chains.append(densify_geodesic(simplify_xy(xy, tol_deg), step_m))
    return chains, areas


def _rings(centres: NDArray[np.float64], radius_m: float, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Ring outlines around many centres at once: (m, n) arrays, lon unwrapped near each centre."""
    m = len(centres)
    azimuths = np.linspace(360.0, 0.0, n, endpoint=False)
    lats = np.repeat(centres[:, 1], n)
    lons = np.repeat(centres[:, 0], n)
    geodesic.direct_in_place(lats, lons, np.tile(azimuths, m), np.full(m * n, radius_m))
    lons = np.unwrap(lons.reshape(m, n), period=360.0, axis=1)
    lons += 360.0 * np.round((centres[:, :1] - lons[:, :1]) / 360.0)
    return lons, lats.reshape(m, n)


def _chain_pieces(chains: list[NDArray[np.float64]], radius_m: float, tol_m: float) -> list[Any]:
    """Polygons whose union is everything within ``radius_m`` of the chains."""
    chains = [c for c in chains if len(c)]
    if not chains:
        return []
    centres = np.vstack(chains)
    sizes = np.array([len(c) for c in chains])
    chain_id = np.repeat(np.arange(len(chains)), sizes)
    lats_abs = np.abs(centres[:, 1])
    range_km = radius_m / 1000.0
    # The vertex count range_ring uses, at least that for the equator (which
    # needs no allowance for Mercator: this is geometry, not only a drawing).
    n = max(vertex_count(lat, range_km) for lat in (0.0, float(lats_abs.min()), float(lats_abs.max())))
    ring_lons, ring_lats = _rings(centres, radius_m, n)
    _, to_north = geodesic.inverse(centres[:, 1], centres[:, 0], 90.0, centres[:, 0])
    _, to_south = geodesic.inverse(centres[:, 1], centres[:, 0], -90.0, centres[:, 0])
    polar = (radius_m > to_north) | (radius_m > to_south)

    # A chain no wider than sqrt(6 r tol) (a small island): one hull around all
    # its rings. That hull reaches at most (its circumradius)² / 2r ≤ width² / 6r
    # = tol beyond the rings themselves.
    starts = np.cumsum(sizes) - sizes
    width = np.array([float(_approx_m(c.min(axis=0), c.max(axis=0))) for c in chains])
    small = (width <= math.sqrt(6.0 * radius_m * tol_m)) & ~np.logical_or.reduceat(polar, starts)
    pieces: list[Any] = []
    if small.any():
        members = small[chain_id]
        xy = np.column_stack([ring_lons[members].ravel(), ring_lats[members].ravel()])
        _, which = np.unique(chain_id[members], return_inverse=True)
        pieces.extend(shapely.convex_hull(shapely.linestrings(xy, indices=np.repeat(which, n))))

    # Elsewhere, the hull of each consecutive pair of rings (the area swept by
    # a ring moving along the edge), unless one of them contains a pole.
    first = np.flatnonzero((chain_id[:-1] == chain_id[1:]) & ~small[chain_id[:-1]])  # pairs (i, i + 1)
    hull_pairs = first[~polar[first] & ~polar[first + 1]]
    if len(hull_pairs):
        xy = np.stack(
            [
                np.concatenate([ring_lons[hull_pairs], ring_lons[hull_pairs + 1]], axis=1),
                np.concatenate([ring_lats[hull_pairs], ring_lats[hull_pairs + 1]], axis=1),
            ],
            axis=-1,
        )
        # Hulls of linestrings through both rings: building linestrings from
        # a 3-D array is 40 times faster than building multipoints.
        pieces.extend(shapely.convex_hull(shapely.linestrings(xy)))
    # Centres in no hull (a lone vertex, or next to a polar ring) still need their ring.
    covered = small[chain_id].copy()
    covered[hull_pairs] = True
    covered[hull_pairs + 1] = True
    for i in np.flatnonzero(~covered & ~polar):
        pieces.append(Polygon(np.column_stack([ring_lons[i], ring_lats[i]])))
    # Rings around a pole are not convex in (lon, lat): rings alone there, close
    # enough that the scallops between neighbours (sagitta d² / 8r for centres
    # d apart) stay within tol_m.
    if polar.any():
        spacing_m = math.sqrt(8.0 * radius_m * tol_m)
        for i in np.flatnonzero(polar):
            pieces.append(disk_polygon(float(centres[i, 1]), float(centres[i, 0]), radius_m, n))
        for i in first[polar[first] | polar[first + 1]]:
            for lon, lat in densify_geodesic(centres[i : i + 2], spacing_m)[1:-1]:
                pieces.append(disk_polygon(float(lat), float(lon), radius_m, n))
    return pieces


# --------------------------------------------------------------------------
# What a reach costs, bounded before it is computed (issue 13)


@dataclass(frozen=True)
class ZoneSize:
    """How big a zone's outline is, from its raw geometry (cheap to measure).

    Attributes
    ----------
    vertices : int
        Vertices of the geometry.
    length_km : float
        Geodesic length of its outline (lines, exterior and interior rings), km.
    """

    vertices: int
    length_km: float

    @property
    def centres_bound(self) -> int:
        """An upper bound on the ring centres of its reach at any range.

        Simplifying and closing pockets only drop vertices and shorten the
        outline; densifying adds at most one centre every :data:`DENSIFY_KM`.
        """
        return self.vertices + math.ceil(self.length_km / DENSIFY_KM)


#: A zone whose outline could need more ring centres than this
#: (:attr:`ZoneSize.centres_bound`) is refused before any work: the largest
#: country, Canada, needs at most 73,963; a 3 MB zig-zag upload asked for 33
#: million and 6 GiB of memory (issue 13).
MAX_ZONE_CENTRES: Final = 250_000

#: Ring vertices (centres × vertices per ring) one reach may compute: about
#: 20 s and 2 GB at the most. Canada at 50 km needs 3.1 million.
MAX_REACH_VERTICES: Final = 10_000_000


@lru_cache(maxsize=256)
def zone_size(zone: Zone) -> ZoneSize:
    """Vertices and geodesic outline length of a zone (cached per zone).

    Examples
    --------
    >>> size = zone_size(zone_from_latlons([(50.0, 20.0), (50.0, 30.0)], closed=False))
    >>> size.vertices, round(size.length_km)
    (2, 716)
    """
    vertices = 0
    length_m = 0.0
    for part in shapely.get_parts(zone.geometry):
        lines = [part.exterior, *part.interiors] if isinstance(part, Polygon) else [part]
        for line in lines:
            xy = np.asarray(line.coords, dtype=float)
            vertices += len(xy)
            if len(xy) > 1:
                length_m += geodesic.line_length_m(xy[:, 1], xy[:, 0])
    return ZoneSize(vertices, length_m / 1000.0)


def _check_zone_size(zone: Zone) -> None:
    bound = zone_size(zone).centres_bound
    if bound > MAX_ZONE_CENTRES:
        raise InputError(
            f"launch zone {zone.label[:40]!r} is too long or detailed to compute its reach: its outline "
            f"could need {bound:,} ring centres (at most {MAX_ZONE_CENTRES:,}); simplify it or split it up"
        )


@lru_cache(maxsize=32)
def _outline_chains(
    zone: Zone, range_km: float
) -> tuple[list[NDArray[np.float64]], list[Polygon | MultiPolygon], float, int]:
    """The chains and areas of :func:`_zone_outlines`, the reference longitude and the ring count per centre."""
    _check_zone_size(zone)
    radius_m = range_km * 1000.0
    ref = _ref_lon(zone.geometry)
    chains, areas = _zone_outlines(zone.geometry, ref, radius_m, chord_tolerance_m(range_km))
    # The vertices per ring that _chain_pieces uses.
    lats = np.abs(np.concatenate([c[:, 1] for c in chains if len(c)] or [np.zeros(1)]))
    n = max(vertex_count(lat, range_km) for lat in (0.0, float(lats.min()), float(lats.max())))
    return chains, areas, ref, n


def reach_centres(zone: Zone, range_km: float) -> int:
    """How many ring centres the reach of ``zone`` at ``range_km`` puts rings around (its cost).

    Cheap next to the reach itself (the zone is simplified, not ringed); the
    result is kept for the reach.

    Raises
    ------
    InputError
        For a zone over :data:`MAX_ZONE_CENTRES` (checked before any work).

    Examples
    --------
    >>> reach_centres(zone_from_latlons([(50.0, 20.0), (50.0, 30.0)], closed=False), 300)
    30
    """
    r_km, _ = check_range(range_km)
    chains, _, _, _ = _outline_chains(zone, r_km)
    return sum(len(c) for c in chains)


# --------------------------------------------------------------------------
# The reach, cached in memory (bounded) and, for countries, on disk

#: Bump when the reach a zone gives changes, so cached results are not reused.
REACH_ALGORITHM: Final = "zone-reach-1"
#: The memory cache keeps reaches up to this many vertices in all (about 50 MB).
_MEMORY_VERTICES: Final = 2_000_000
_MEMORY_ENTRIES: Final = 64
_reach_memory: OrderedDict[tuple[Zone, float], tuple[Polygon | MultiPolygon, float, int]] = OrderedDict()
_reach_lock = threading.Lock()


@lru_cache(maxsize=256)
def _zone_digest(zone: Zone) -> str:
    return diskcache.digest(REACH_ALGORITHM, zone.kind, zone.geometry.wkb)


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
    _outline_chains.cache_clear()


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
    radius_m = range_km * 1000.0
    tol_m = chord_tolerance_m(range_km)
    chains, areas, ref, n = _outline_chains(zone, range_km)
    work = sum(len(c) for c in chains) * n
    if work > MAX_REACH_VERTICES:
        raise InputError(
            f"the reach of launch zone {zone.label[:40]!r} at {range_km:,.6g} km would compute {work:,} ring "
            f"vertices (at most {MAX_REACH_VERTICES:,}): simplify the zone, or use a larger range"
        )
    pieces = _chain_pieces(chains, radius_m, tol_m) + areas
    return polygonal(shapely.union_all(pieces)), ref


def _reach_unwrapped(zone: Zone, range_km: float) -> tuple[Polygon | MultiPolygon, float]:
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
    >>> z = zone_from_latlons([(48.0, 35.0), (48.5, 37.0)], closed=False)
    >>> reach = zone_reach(z, 100)
    >>> reach.geom_type, reach.exterior.is_ccw
    ('Polygon', True)
    >>> from shapely.geometry import Point
    >>> reach.contains(Point(36.0, 49.1))  # about 80 km north of the line
    True
    """
    r_km, _ = check_range(range_km)
    geom, _ = _reach_unwrapped(zone, r_km)
    out: Polygon | MultiPolygon = shapely.orient_polygons(split_polygon(geom))
    return out


# --------------------------------------------------------------------------
# Coverage of one system


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
    ref = points[0].lon if points else _ref_lon(zones[0].geometry)
    pieces: list[Any] = []
    for p in points:
        ring = range_ring_unwrapped(p.lat, p.lon, r_km, min_range_km=rmin_km)
        pieces.append(shapely.affinity.translate(ring, xoff=near(p.lon, ref)))
    for z in zones:
        reach, zone_ref = _reach_unwrapped(z, r_km)
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
