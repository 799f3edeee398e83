"""Launch zones: launched from anywhere in a country, along a front line, or in an area.

A :class:`Zone` is a labelled line or area in (lon, lat) degrees, RFC 7946
style. What it reaches is computed by :mod:`geo.core.buffer` (the
ellipsoidal buffer) and kept by :mod:`geo.analysis.zone_reach`; files are
read by :mod:`geo.scenario.uploads`.

**What a zone's edges mean** (issue 9). Two vertices do not say which path
joins them, and over long edges the readings differ by tens of km (a 20°
edge along 50° N: the geodesic between its ends runs 48 km north of the
parallel). Each zone carries the meaning of its edges, :attr:`Zone.edges`
(:mod:`geo.core.edges`), and everything measured from it (its reach, the
distance of places and targets) follows that path:

- ``"lonlat"``, straight in (lon, lat): GeoJSON files (RFC 7946 §3.1.1) and
  Natural Earth's country borders. The default.
- ``"mercator"``, straight on the Web Mercator map: a line or area clicked
  out on the map, which is what the user saw (Leaflet draws straight chords
  in Web Mercator). :func:`zone_from_latlons` gives this by default.

The share link keeps the meaning: ``z=line:`` and ``z=area:`` are lines
clicked on the map (``"mercator"``), as every such link has been;
``z=lonlat-line:`` and ``z=lonlat-area:`` carry a small uploaded line or
area (``"lonlat"``) (see :mod:`geo.scenario.share`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.core.antimeridian import split_line, split_polygon
from geo.core.buffer import ZoneGeometry
from geo.core.coords import LatLon, check_latlon, compact_latlon, round_coord
from geo.core.edges import EDGE_MEANINGS, EdgeMeaning, insert_crossings_in
from geo.core.text import clean_label
from geo.datasets.countries import country
from geo.errors import InputError

__all__ = ["Zone", "ZoneGeometry", "ZoneKind", "ref_lon", "zone_from_country", "zone_from_latlons"]

ZoneKind = Literal["country", "line", "polygon"]


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
    spec : str or None
        The zone's value in a share link, or None when it is too detailed for one.
    edges : {"lonlat", "mercator", "geodesic"}
        What each edge between two vertices means (see the module docstring):
        straight in (lon, lat) (files, borders) or on the Web Mercator map
        (clicked); ``"geodesic"`` for library users whose legs are geodesics
        (the app makes none, and a link does not carry one). Part of the
        zone's identity: the same vertices read either way reach different
        places.

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
    #: The zone's value in a share link (``country:UA``, ``line:…``), or None
    #: when it is too detailed for one (a large upload); not part of equality.
    spec: str | None = field(default=None, compare=False)
    edges: EdgeMeaning = "lonlat"

    def __post_init__(self) -> None:
        if self.edges not in EDGE_MEANINGS:
            raise InputError(f"zone edges: expected one of {', '.join(EDGE_MEANINGS)}, got {self.edges!r}")
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
            cached = hash((self.kind, self.label, self.edges, self.geometry.wkb))
            object.__setattr__(self, "_hash", cached)
        return cached


def zone_from_country(iso2: str) -> Zone:
    """The whole of a country as a launch zone (Natural Earth, German point of view).

    Examples
    --------
    >>> z = zone_from_country("UA")
    >>> z.kind, z.label
    ('country', 'Ukraine')
    """
    c = country(iso2)
    return Zone("country", c.name, c.geometry, spec=f"country:{c.iso2 or iso2.strip().upper()}")


def zone_from_latlons(
    points: Sequence[LatLon | tuple[float, float]],
    *,
    closed: bool,
    label: str = "",
    edges: EdgeMeaning = "mercator",
) -> Zone:
    """A line (``closed=False``) or polygon (``closed=True``) clicked out on the map, or a small file's.

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
    edges : {"mercator", "lonlat"}, optional
        What the edges mean: straight on the Web Mercator map (clicked, the
        default) or straight in (lon, lat) (read from a file). An edge across
        the antimeridian is cut where that path crosses it.

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
        p = check_latlon(lat, lon)
        # At the precision of the share link, so the zone and its link agree exactly.
        pts.append(LatLon(round_coord(p.lat), round_coord(p.lon)))
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
    label = clean_label(label)
    text = label or f"{what} ({len(dedup)} points)"
    if edges not in ("mercator", "lonlat"):
        raise InputError(f"zone edges: expected 'mercator' or 'lonlat', got {edges!r}")
    prefix = what if edges == "mercator" else f"lonlat-{what}"
    spec = f"{prefix}:" + ";".join(compact_latlon(p.lat, p.lon) for p in dedup) + (f"~{label}" if label else "")
    if not closed:
        return Zone("line", text, split_line(insert_crossings_in(xy, edges)), spec=spec, edges=edges)
    if round((xy[-1, 0] - xy[0, 0]) / 360.0) != 0:  # the closing edge does not lead back: a pole is inside
        raise InputError(f"the {what} goes round a pole: draw it as a line, or split it at the pole")
    poly = Polygon(insert_crossings_in(np.vstack([xy, xy[:1]]), edges))
    if poly.convex_hull.area <= 0.0:
        raise InputError(f"the {what}'s points all lie on one line: it has no area")
    if not poly.is_valid:
        reason = shapely.is_valid_reason(poly)
        raise InputError(f"the {what}'s outline crosses itself ({reason}): click the corners in order around it")
    return Zone("polygon", text, shapely.orient_polygons(split_polygon(poly)), spec=spec, edges=edges)


def ref_lon(geometry: ZoneGeometry) -> float:
    """A longitude to unwrap the zone around: the middle of its largest part."""
    parts = list(shapely.get_parts(geometry))
    size = [p.area if isinstance(p, Polygon) else p.length for p in parts]
    biggest = parts[int(np.argmax(size))]
    if isinstance(biggest, Polygon):
        return float(biggest.centroid.x)
    return float(biggest.coords[0][0])
