"""One analysis of a scenario: what each system covers, how much, and whether it reaches the target.

Every view and export renders this result and computes nothing of its own
(issue 8: the Compare tab, its CSV, the Coverage tab, the target panel, the
PNG and the standalone map each measured on their own and disagreed). Per
system:

- the **coverage**: everywhere the system reaches from every launch point
  (with its minimum range as a hole) and every launch zone, merged into one
  shape (:func:`geo.analysis.coverage.coverage_unwrapped`), kept unwrapped for
  the map and split at ±180° for RFC 7946 files;
- its **area**: :func:`geo.core.area.outline_area_km2` of that one shape, the
  single area method (within 2 ppm of the exact ring area);
- the **target verdict**: distance, bearing and margin from each launch point
  and each zone (to its nearest point, :mod:`geo.analysis.distance`), and
  the best of them.

Places in reach and coverage by country are derived from the same result
(:meth:`Analysis.places`, :meth:`Analysis.by_country`); they cost more and
are computed when asked for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, Literal

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.coverage import coverage_unwrapped
from geo.analysis.distance import distances_to_zone
from geo.analysis.reach import CityInReach, CountryTotal, ReachTotal, cities_in_reach, country_totals, reach_totals
from geo.analysis.reverse import ReverseReach, reverse_reach
from geo.analysis.target import BEYOND_RANGE, IN_RANGE, OUTSIDE_SECTOR, TOO_CLOSE, Status, compass_label, resolve_target
from geo.core import geodesic
from geo.core.antimeridian import split_polygon
from geo.core.area import outline_area_km2
from geo.core.coords import LatLon
from geo.core.grid import format_mgrs
from geo.core.units import format_distance
from geo.datasets.countries import CountryCoverage, coverage_by_country
from geo.errors import InputError
from geo.scenario.model import Scenario, System
from geo.scenario.zones import Zone

__all__ = ["Analysis", "Reach", "SystemResult", "Target", "Verdict", "analyse"]

SourceKind = Literal["point", "zone"]


@dataclass(frozen=True)
class Target:
    """The scenario's target, resolved: a point and a label, or why it could not be read."""

    text: str
    point: LatLon | None
    label: str
    error: str = ""


@dataclass(frozen=True)
class Reach:
    """How one launch point or zone stands to the target, for one system.

    Attributes
    ----------
    source : str
        The launch point's or zone's name.
    kind : {"point", "zone"}
    index : int
        Its position among the scenario's points or zones.
    from_point : LatLon
        Where the distance is measured from: the launch point, or the zone's
        nearest point to the target (the target itself inside an area).
    distance_km, bearing_deg : float
        Geodesic distance and initial bearing (degrees clockwise from north,
        [0, 360); NaN when the distance is 0) from ``from_point`` to the target.
    status : str
        "in range", "out of range" or "inside minimum range" (points only:
        zones have no minimum range).
    margin_km : float
        Positive: in range with that much to spare. Negative: short by that
        much (or that much inside the minimum range).
    """

    source: str
    kind: SourceKind
    index: int
    from_point: LatLon
    distance_km: float
    bearing_deg: float
    status: Status
    margin_km: float

    @property
    def in_range(self) -> bool:
        return self.status == IN_RANGE

    @property
    def compass(self) -> str:
        return compass_label(self.bearing_deg) if math.isfinite(self.bearing_deg) and self.distance_km > 0 else ""

    def verdict(self, unit: str, system: System) -> str:
        """The answer in words, e.g. ``in range, 166 km to spare``."""
        margin = format_distance(abs(self.margin_km), unit)
        if self.status == IN_RANGE:
            return f"in range, {margin} to spare"
        if self.status == OUTSIDE_SECTOR:
            return f"outside the launch point's sector (bearing {self.bearing_deg:03.0f}°)"
        if self.status == TOO_CLOSE:
            return f"too close: {margin} inside the {format_distance(system.min_range_km, unit)} minimum range"
        return f"out of range, short by {margin}"


@dataclass(frozen=True)
class Verdict:
    """Whether a system reaches the target: the best of its launch points and zones, and each of them."""

    system: System
    target: LatLon
    best: Reach
    reaches: tuple[Reach, ...]

    @property
    def in_range(self) -> bool:
        return self.best.in_range


@dataclass(frozen=True, eq=False)
class SystemResult:
    """One system's coverage, area and target verdict.

    Attributes
    ----------
    system : System
    outline : Polygon or MultiPolygon or None
        The coverage, longitudes unwrapped around the first launch point or
        zone (for the map, which draws it in one piece across ±180°); None
        without launch points and zones.
    area_km2 : float
        Ellipsoidal area of the coverage, overlaps counted once.
    verdict : Verdict or None
        None without a target (or without launch sites).
    """

    system: System
    outline: Polygon | MultiPolygon | None
    area_km2: float
    verdict: Verdict | None

    @cached_property
    def coverage(self) -> Polygon | MultiPolygon | None:
        """The coverage following RFC 7946: split at ±180°, counter-clockwise."""
        if self.outline is None:
            return None
        out: Polygon | MultiPolygon = shapely.orient_polygons(split_polygon(self.outline))
        return out


@dataclass(frozen=True, eq=False)
class Analysis:
    """The one analysis of a scenario; see the module docstring.

    Attributes
    ----------
    scenario : Scenario
    zones : tuple of Zone
        The launch zones included (the work budget may hold some back:
        :func:`analyse`'s ``zones``).
    results : tuple of SystemResult
        One per system, in the scenario's order.
    target : Target or None
    """

    scenario: Scenario
    zones: tuple[Zone, ...]
    results: tuple[SystemResult, ...]
    target: Target | None
    _places: dict[int, list[CityInReach]] = field(default_factory=dict, repr=False)
    _countries: dict[str, list[CountryCoverage]] = field(default_factory=dict, repr=False)

    def result(self, system_id: str) -> SystemResult:
        for r in self.results:
            if r.system.id == system_id:
                return r
        raise InputError(f"no system {system_id!r} in this scenario")

    @property
    def verdicts(self) -> list[Verdict]:
        return [r.verdict for r in self.results if r.verdict is not None]

    def places(self, min_population: int) -> list[CityInReach]:
        """The places each system reaches, from its launch points and zones (computed once per threshold)."""
        if min_population not in self._places:
            self._places[min_population] = cities_in_reach(
                self.scenario.points, self.scenario.systems, min_population=min_population, zones=self.zones
            )
        return self._places[min_population]

    def totals(self, min_population: int) -> dict[str, ReachTotal]:
        """Places and people each system reaches, city districts counted in their city (issue 11)."""
        return reach_totals(self.places(min_population), self.scenario.systems)

    def country_totals(self, min_population: int) -> list[CountryTotal]:
        """Places and people each system reaches per country, districts counted in their city."""
        return country_totals(self.places(min_population))

    @cached_property
    def mgrs(self) -> tuple[str, ...]:
        """Each launch point in MGRS to 1 m ("36U XB 26545 41359"): the points panel, the map's
        tooltips and every export write these (:func:`geo.core.grid.format_mgrs`)."""
        return tuple(format_mgrs(p.lat, p.lon) for p in self.scenario.points)

    @cached_property
    def target_mgrs(self) -> str:
        """The target in MGRS to 1 m, or "" without a resolved target."""
        if self.target is None or self.target.point is None:
            return ""
        return format_mgrs(self.target.point.lat, self.target.point.lon)

    @cached_property
    def reverse(self) -> ReverseReach | None:
        """Reverse reach asked for by the scenario (``Scenario.reverse``), around the target; None without either."""
        asked = self.scenario.reverse
        if asked is None or self.target is None or self.target.point is None:
            return None
        return reverse_reach(self.target.point, self.result(asked.system_id).system, asked.country or None)

    def by_country(self, system_id: str) -> list[CountryCoverage]:
        """How much of each country the system's coverage covers (computed once per system)."""
        if system_id not in self._countries:
            geom = self.result(system_id).coverage
            self._countries[system_id] = [] if geom is None else coverage_by_country(geom)
        return self._countries[system_id]


def _classify(distance_km: float, range_km: float, min_range_km: float) -> tuple[Status, float]:
    if distance_km > range_km:
        return BEYOND_RANGE, range_km - distance_km
    if distance_km < min_range_km:
        return TOO_CLOSE, distance_km - min_range_km
    if min_range_km > 0.0:
        return IN_RANGE, min(range_km - distance_km, distance_km - min_range_km)
    return IN_RANGE, range_km - distance_km


def _bearings(lat: Sequence[float], lon: Sequence[float], target: LatLon) -> tuple[list[float], list[float]]:
    az, dist = geodesic.inverse(np.asarray(lat), np.asarray(lon), target.lat, target.lon)
    bearing = np.where(dist > 0.0, np.mod(az, 360.0), np.nan)
    bearing[bearing >= 360.0] = 0.0
    return bearing.tolist(), (dist / 1000.0).tolist()


def verdicts_for(scenario: Scenario, zones: Sequence[Zone], target: LatLon) -> dict[str, Verdict]:
    """Per system: each launch point's and zone's reach to the target, and the best."""
    sources: list[tuple[str, SourceKind, int, LatLon, float, float]] = []
    off_sector: set[int] = set()  # launch points whose range fan does not face the target
    if scenario.points:
        bearings, dists = _bearings([p.lat for p in scenario.points], [p.lon for p in scenario.points], target)
        for i, (p, b, d) in enumerate(zip(scenario.points, bearings, dists, strict=True)):
            sources.append((p.name, "point", i, p.latlon, b, d))
            if p.sector is not None and d > 0.0 and not p.sector.contains(b):
                off_sector.add(i)
    for i, zone in enumerate(zones):
        near = distances_to_zone(zone, [target.lat], [target.lon])
        from_point = LatLon(float(near.lat[0]), float(near.lon[0]))
        bearings, _ = _bearings([from_point.lat], [from_point.lon], target)
        sources.append((zone.label, "zone", i, from_point, bearings[0], float(near.distance_km[0])))
    out: dict[str, Verdict] = {}
    for system in scenario.systems:
        reaches = []
        for name, kind, index, frm, bearing, dist in sources:
            minimum = system.min_range_km if kind == "point" else 0.0
            status, margin = _classify(dist, system.range_km, minimum)
            if kind == "point" and index in off_sector:
                status, margin = OUTSIDE_SECTOR, -dist  # no distance makes it reachable: ranked last
            reaches.append(Reach(name, kind, index, frm, dist, bearing, status, margin))
        if reaches:
            # The best: in range with the most to spare, else the nearest miss.
            best = max(reaches, key=lambda r: (r.in_range, r.margin_km))
            out[system.id] = Verdict(system, target, best, tuple(reaches))
    return out


def resolve(text: str) -> Target:
    """The target as typed: coordinates or a place name; an error message when it is neither."""
    if not text.strip():
        raise InputError("no target")
    try:
        point, label = resolve_target(text)
    except InputError as exc:
        return Target(text, None, "", f"Target not shown: {exc}")
    return Target(text, point, label)


#: The analysis needs no launch sites to exist; without them there is nothing to cover.
_NO_AREA: Final = 0.0


def analyse(scenario: Scenario, *, zones: Sequence[Zone] | None = None) -> Analysis:
    """The one analysis of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    zones : sequence of Zone, optional
        The launch zones to include (default: all of the scenario's). The
        page leaves out zones whose reach is still being computed or was
        refused by the work budget (:mod:`geo.analysis.budget`), and says so.

    Examples
    --------
    >>> from geo.scenario.model import LaunchPoint
    >>> s = Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"),), systems=(System.custom("X", 300),), target="Kursk")
    >>> a = analyse(s)
    >>> round(a.results[0].area_km2), a.results[0].verdict.best.source, a.results[0].verdict.in_range
    (282691, 'Sumy', True)
    """
    used = tuple(scenario.zones if zones is None else zones)
    target = resolve(scenario.target) if scenario.target.strip() else None
    verdicts = verdicts_for(scenario, used, target.point) if target and target.point else {}
    results = []
    for system in scenario.systems:
        if scenario.points or used:
            outline = coverage_unwrapped(scenario.points, used, system)
            # Unwrapped rings round a pole each span 360° of longitude; launched from different
            # meridians their union spans more, and counts the overlap twice over (+12 % for
            # 2,500 km from 85° N 0° E and 80° N 120° E). Split at ±180°, the pieces are merged
            # modulo 360° (issue 9: the stated area must be what a GIS recomputes).
            xmin, _, xmax, _ = outline.bounds
            area = outline_area_km2(outline if xmax - xmin <= 360.0 + 1e-9 else split_polygon(outline))
        else:
            outline, area = None, _NO_AREA
        results.append(SystemResult(system, outline, area, verdicts.get(system.id)))
    return Analysis(scenario, used, tuple(results), target)
