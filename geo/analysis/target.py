"""Does it reach X? Distance, bearing and margin from each launch point to a target.

Distances and bearings are geodesics on the WGS84 ellipsoid (pyproj's
``Geod.inv``, which wraps GeographicLib), the same metric the range rings use:
a target is in range exactly when it lies inside the ring drawn for that
launch point and system.

Bearings are initial azimuths: the direction to set off in from the launch
point, in degrees clockwise from true north. Along a long geodesic the
direction changes; the compass label names the initial one.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
from numpy.typing import NDArray

from geo.analysis.compare import spreadsheet_safe, unit_columns, unit_values
from geo.core import geodesic
from geo.core.coords import LatLon, check_latlon
from geo.core.grid import format_mgrs
from geo.core.units import check_unit, format_distance
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System

if TYPE_CHECKING:
    from geo.analysis.analyse import Verdict

__all__ = [
    "BEYOND_RANGE",
    "IN_RANGE",
    "OUTSIDE_SECTOR",
    "TOO_CLOSE",
    "NearestPoint",
    "TargetRow",
    "compass_label",
    "geodesic_line",
    "nearest_point",
    "resolve_target",
    "target_csv",
    "target_report",
]

Status = Literal["in range", "out of range", "inside minimum range", "outside the sector"]
IN_RANGE: Final[Status] = "in range"
BEYOND_RANGE: Final[Status] = "out of range"
TOO_CLOSE: Final[Status] = "inside minimum range"
#: Within range but off the launch point's range fan (issue 12).
OUTSIDE_SECTOR: Final[Status] = "outside the sector"

_WINDS_16: Final = (
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
)

#: Default spacing of :func:`geodesic_line`'s points. Leaflet joins them with
#: straight Web Mercator segments, which stray from the geodesic by about
#: l² · tan φ · |sin α| / (8 R) for a segment of length l at latitude φ and
#: azimuth α (the geodesic's curvature relative to a rhumb line): 25 km keeps
#: that under 25 m up to 60° and under 70 m up to 78° (checked in
#: tests/analysis/test_target.py against GeographicLib).
DEFAULT_SEGMENT_KM: Final = 25.0
_MAX_LINE_POINTS: Final = 100_000


def compass_label(bearing_deg: float, winds: Literal[4, 8, 16] = 16) -> str:
    """The compass point nearest a bearing: ``N``, ``NNE``, ``NE`` …

    Parameters
    ----------
    bearing_deg : float
        Degrees clockwise from true north (any value; taken modulo 360).
    winds : {4, 8, 16}
        How many compass points to choose from.

    Examples
    --------
    >>> compass_label(50.0), compass_label(50.0, winds=4), compass_label(-90.0)
    ('NE', 'E', 'W')
    >>> compass_label(359.0)
    'N'
    """
    if winds not in (4, 8, 16):
        raise InputError(f"winds: expected 4, 8 or 16 compass points, got {winds!r}")
    if not math.isfinite(bearing_deg):
        raise InputError(f"bearing_deg must be a finite number, got {bearing_deg}")
    step = 360.0 / winds
    index = round((bearing_deg % 360.0) / step) % winds
    return _WINDS_16[index * (16 // winds)]


@dataclass(frozen=True)
class TargetRow:
    """One launch point × system: can it reach the target, and by how much.

    Attributes
    ----------
    target : LatLon
        The target, in degrees.
    point : LaunchPoint
        Where the system fires from.
    system : System
        The catalog or custom system.
    distance_km : float
        Geodesic distance from the launch point to the target, in kilometres.
    bearing_deg : float
        Initial bearing from the launch point to the target, degrees clockwise
        from true north, in [0, 360).
    compass : str
        The 16-point compass label of ``bearing_deg`` (``""`` when the target
        is the launch point itself and there is no direction).
    in_range : bool
        ``min_range_km <= distance_km <= range_km``.
    margin_km : float
        Signed distance to the nearest edge of the reachable zone, in km.
        Positive: in range, with that much to spare (``range_km - distance``;
        with a minimum range, the smaller of that and ``distance -
        min_range_km``). Negative: out of reach by that much, either beyond
        the range or (``status`` says which) that much inside the minimum
        range.
    status : str
        ``"in range"``, ``"out of range"`` or ``"inside minimum range"``.
    """

    target: LatLon
    point: LaunchPoint
    system: System
    distance_km: float
    bearing_deg: float
    compass: str
    in_range: bool
    margin_km: float
    status: Status

    def verdict(self, unit: str = "km") -> str:
        """The answer in words, e.g. ``in range, 166 km to spare``.

        Examples
        --------
        >>> row = target_report(LatLon(51.73, 36.19), [LaunchPoint(50.9, 34.8, "Sumy")],
        ...                     [System.custom("X", 300)])[0]
        >>> row.verdict("mi")
        'in range, 103 mi to spare'
        """
        margin = format_distance(abs(self.margin_km), unit)
        if self.status == IN_RANGE:
            return f"in range, {margin} to spare"
        if self.status == TOO_CLOSE:
            minimum = format_distance(self.system.min_range_km, unit)
            return f"too close: {margin} inside the {minimum} minimum range"
        return f"out of range, short by {margin}"


def _classify(distance_km: float, range_km: float, min_range_km: float) -> tuple[Status, float]:
    if distance_km > range_km:
        return BEYOND_RANGE, range_km - distance_km
    if distance_km < min_range_km:
        return TOO_CLOSE, distance_km - min_range_km
    if min_range_km > 0.0:
        return IN_RANGE, min(range_km - distance_km, distance_km - min_range_km)
    return IN_RANGE, range_km - distance_km  # no inner edge: the launch point itself is in reach


def _inverse(target: LatLon, points: Sequence[LaunchPoint]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Bearings (deg, [0, 360)) and distances (km) from each point to the target, in one call."""
    lats = np.array([p.lat for p in points], dtype=float)
    lons = np.array([p.lon for p in points], dtype=float)
    for lat, lon in zip(lats, lons, strict=True):
        check_latlon(lat, lon)
    az12, dist_m = geodesic.inverse(lats, lons, target.lat, target.lon)
    return np.mod(az12, 360.0), dist_m / 1000.0


def target_report(target: LatLon, points: Sequence[LaunchPoint], systems: Sequence[System]) -> list[TargetRow]:
    """Whether each system reaches ``target`` from each launch point.

    Parameters
    ----------
    target : LatLon
        The target, latitude first, in degrees.
    points : sequence of LaunchPoint
        Launch points.
    systems : sequence of System
        Catalog or custom systems.

    Returns
    -------
    list of TargetRow
        One row per system and launch point, systems in the given order and,
        within each system, the launch points in the given order (the order of
        the GeoJSON and KML exports).

    Raises
    ------
    InputError
        For a target or launch point that is not a valid coordinate.

    Examples
    --------
    >>> rows = target_report(LatLon(51.73, 36.19), [LaunchPoint(50.9, 34.8, "Sumy")],
    ...                      [System.custom("A", 300), System.custom("B", 100)])
    >>> [(r.system.name, round(r.distance_km, 1), r.compass, r.in_range, round(r.margin_km, 1)) for r in rows]
    [('A', 133.9, 'NE', True, 166.1), ('B', 133.9, 'NE', False, -33.9)]
    """
    tgt = check_latlon(*target)
    if not points:
        return []
    bearings, distances = _inverse(tgt, points)
    rows: list[TargetRow] = []
    for system in systems:
        for point, bearing, distance in zip(points, bearings, distances, strict=True):
            d_km, b_deg = float(distance), float(bearing)
            status, margin = _classify(d_km, system.range_km, system.min_range_km)
            rows.append(
                TargetRow(
                    target=tgt,
                    point=point,
                    system=system,
                    distance_km=d_km,
                    bearing_deg=b_deg,
                    compass=compass_label(b_deg) if d_km > 0.0 else "",
                    in_range=status == IN_RANGE,
                    margin_km=margin,
                    status=status,
                )
            )
    return rows


@dataclass(frozen=True)
class NearestPoint:
    """The launch point closest to a target.

    Attributes
    ----------
    index : int
        Its position in the list given (the first one on a tie).
    point : LaunchPoint
        The launch point.
    distance_km : float
        Geodesic distance to the target, in kilometres.
    bearing_deg : float
        Initial bearing from the launch point to the target, degrees in [0, 360).
    """

    index: int
    point: LaunchPoint
    distance_km: float
    bearing_deg: float


def nearest_point(target: LatLon, points: Sequence[LaunchPoint]) -> NearestPoint:
    """The launch point nearest ``target`` along the ellipsoid.

    Raises
    ------
    InputError
        When there are no launch points, or for an invalid coordinate.

    Examples
    --------
    >>> pts = [LaunchPoint(50.9, 34.8, "Sumy"), LaunchPoint(50.0, 36.23, "Kharkiv")]
    >>> near = nearest_point(LatLon(50.6, 36.6), pts)
    >>> near.index, near.point.label, round(near.distance_km, 1)
    (1, 'Kharkiv', 71.8)
    """
    tgt = check_latlon(*target)
    if not points:
        raise InputError("no launch points: add one to find the nearest")
    bearings, distances = _inverse(tgt, points)
    i = int(np.argmin(distances))
    return NearestPoint(i, points[i], float(distances[i]), float(bearings[i]))


def geodesic_line(a: LatLon, b: LatLon, *, max_segment_km: float = DEFAULT_SEGMENT_KM) -> list[LatLon]:
    """Points along the shortest path from ``a`` to ``b``, for drawing on a Web Mercator map.

    Leaflet joins points with straight lines in Web Mercator, which a
    geodesic is not: the points are spaced at most ``max_segment_km`` apart
    along the geodesic so those straight pieces stay close to it (see
    :data:`DEFAULT_SEGMENT_KM`).

    Parameters
    ----------
    a, b : LatLon
        Start and end, latitude first, in degrees.
    max_segment_km : float, optional
        Largest distance between consecutive points, in kilometres.

    Returns
    -------
    list of LatLon
        From ``a`` to ``b``, both included. Longitudes are unwrapped: they
        change continuously along the line, starting at ``a``'s (normalised)
        longitude, so they may leave ±180° (the last one then differs from
        ``b.lon`` by 360°) and Leaflet draws the line across the antimeridian
        instead of around the world. (A line through a pole still jumps by
        180° of longitude there, as every meridian meets at the pole.)

    Raises
    ------
    InputError
        For invalid coordinates, a non-positive spacing, or more than 100,000
        points.

    Examples
    --------
    >>> line = geodesic_line(LatLon(65.0, 175.0), LatLon(60.0, -170.0), max_segment_km=100)
    >>> len(line), line[-1].lon  # continuous across the antimeridian: -170° reads 190°
    (11, 190.0)
    """
    start, end = check_latlon(*a), check_latlon(*b)
    if not (math.isfinite(max_segment_km) and max_segment_km > 0.0):
        raise InputError(f"max_segment_km: expected a number > 0, got {max_segment_km!r}")
    _, dist = geodesic.inverse(start.lat, start.lon, end.lat, end.lon)
    dist_m = float(dist)
    segments = max(1, math.ceil(dist_m / (max_segment_km * 1000.0)))
    if segments + 1 > _MAX_LINE_POINTS:
        raise InputError(
            f"max_segment_km={max_segment_km:g} would need {segments + 1:,} points for "
            f"{dist_m / 1000.0:,.0f} km (at most {_MAX_LINE_POINTS:,}): use a larger spacing"
        )
    lats, raw_lons = geodesic.intermediate(start.lat, start.lon, end.lat, end.lon, segments + 1)
    lons = np.unwrap(raw_lons, period=360.0)
    lons += start.lon - lons[0]
    # Pin the end points to the input exactly (the library returns them to within rounding).
    lats[0], lats[-1] = start.lat, end.lat
    lons[-1] = end.lon + 360.0 * round((lons[-1] - end.lon) / 360.0)
    return [LatLon(float(lat), float(lon)) for lat, lon in zip(lats, lons, strict=True)]


def target_csv(rows: Sequence[TargetRow], unit: str = "km") -> str:
    """The target report as CSV (RFC 4180, via the csv module), distances in ``unit`` and in km.

    One header line, then one line per row. Names and labels are written as
    text: the csv module quotes them as needed, and a leading ``=``, ``+``,
    ``-`` or ``@`` gets an apostrophe so spreadsheets do not run it as a
    formula (:func:`geo.analysis.compare.spreadsheet_safe`).

    Examples
    --------
    >>> rows = target_report(LatLon(51.73, 36.19), [LaunchPoint(50.9, 34.8, "Sumy")], [System.custom("A", 300)])
    >>> print(target_csv(rows, "mi").splitlines()[0])
    target_lat,target_lon,target_mgrs,launch_point,launch_lat,launch_lon,launch_mgrs,system_id,system_name,distance_mi,distance_km,...
    """
    u = check_unit(unit)
    header = [
        "target_lat",
        "target_lon",
        "target_mgrs",
        "launch_point",
        "launch_lat",
        "launch_lon",
        "launch_mgrs",
        "system_id",
        "system_name",
        *unit_columns("distance", u),
        "bearing_deg",
        "compass",
        "in_range",
        "status",
        *unit_columns("margin", u),
        *unit_columns("range", u),
        *unit_columns("min_range", u),
        "verdict",
        "source",
        "source_url",
    ]

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for r in rows:
        writer.writerow(
            [
                f"{r.target.lat:.6f}",
                f"{r.target.lon:.6f}",
                format_mgrs(r.target.lat, r.target.lon),
                spreadsheet_safe(r.point.name),
                f"{r.point.lat:.6f}",
                f"{r.point.lon:.6f}",
                format_mgrs(r.point.lat, r.point.lon),
                spreadsheet_safe(r.system.id),
                spreadsheet_safe(r.system.name),
                *unit_values(r.distance_km, u),
                f"{r.bearing_deg:.3f}",
                r.compass,
                "yes" if r.in_range else "no",
                r.status,
                *unit_values(r.margin_km, u),
                *unit_values(r.system.range_km, u),
                *unit_values(r.system.min_range_km, u),
                r.verdict(u),
                spreadsheet_safe(r.system.source_text),
                spreadsheet_safe(r.system.source_url),
            ]
        )
    return buf.getvalue()


def resolve_target(text: str) -> tuple[LatLon, str]:
    """Read a target typed or shared as coordinates or a place name.

    Returns
    -------
    (LatLon, str)
        The point, and a label: the place with its country, or the coordinates.

    Raises
    ------
    InputError
        Quoting the text when it is neither coordinates nor a known place.

    Examples
    --------
    >>> resolve_target("Kursk")[1]
    'Kursk, Russia'
    >>> resolve_target("55.75, 37.62")[0]
    LatLon(lat=55.75, lon=37.62)
    >>> resolve_target("Kursk oblast")[1]  # no city of that name: the region's label point
    'Kursk region, Russia'
    """
    from geo.core.coords import format_latlon
    from geo.core.grid import parse_coordinates
    from geo.datasets.gazetteer import resolve_place
    from geo.datasets.regions import resolve_region

    text = text.strip()
    try:
        point = parse_coordinates(text)
    except InputError as coord_error:
        place = resolve_place(text)
        if place is None:
            region = resolve_region(text)  # "Crimea", "Kursk oblast": the region's label point
            if region is not None:
                return LatLon(region.lat, region.lon), region.label
            if any(ch.isdigit() for ch in text):
                raise
            raise InputError(f"no place called {text[:60]!r} in the offline gazetteer") from coord_error
        return LatLon(place.lat, place.lon), place.label
    return point, format_latlon(point.lat, point.lon, 2)


def verdicts_csv(verdicts: Sequence[Verdict], unit: str = "km") -> str:
    """The target report as CSV: one line per system and launch point or zone (RFC 4180).

    Distances in ``unit`` and in km, from the launch point or the nearest
    point of the zone (``from_lat``, ``from_lon``), to the target. Text cells
    go through :func:`geo.analysis.compare.spreadsheet_safe`.
    """
    u = check_unit(unit)
    header = [
        "target_lat",
        "target_lon",
        "target_mgrs",
        "source",
        "source_kind",
        "from_lat",
        "from_lon",
        "from_mgrs",
        "system_id",
        "system_name",
        *unit_columns("distance", u),
        "bearing_deg",
        "compass",
        "in_range",
        "status",
        *unit_columns("margin", u),
        *unit_columns("range", u),
        *unit_columns("min_range", u),
        "verdict",
        "best_for_system",
        "source_reference",
        "source_url",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for v in verdicts:
        for r in v.reaches:
            writer.writerow(
                [
                    f"{v.target.lat:.6f}",
                    f"{v.target.lon:.6f}",
                    format_mgrs(v.target.lat, v.target.lon),
                    spreadsheet_safe(r.source),
                    r.kind,
                    f"{r.from_point.lat:.6f}",
                    f"{r.from_point.lon:.6f}",
                    format_mgrs(r.from_point.lat, r.from_point.lon),
                    spreadsheet_safe(v.system.id),
                    spreadsheet_safe(v.system.name),
                    *unit_values(r.distance_km, u),
                    f"{r.bearing_deg:.3f}" if math.isfinite(r.bearing_deg) else "",
                    r.compass,
                    "yes" if r.in_range else "no",
                    r.status,
                    *unit_values(r.margin_km, u),
                    *unit_values(v.system.range_km, u),
                    *unit_values(v.system.min_range_km if r.kind == "point" else 0.0, u),
                    r.verdict(u, v.system),
                    "yes" if r is v.best else "no",
                    spreadsheet_safe(v.system.source_text),
                    spreadsheet_safe(v.system.source_url),
                ]
            )
    return buf.getvalue()
