"""What a scenario will cost to compute, estimated before any of it is done (issue 13).

A share link or an upload is typed by anyone, and its parts multiply: 50
launch points × 20 systems × 10 country zones once cost 812 s of CPU and
1.7 GB for one page load. Counts alone do not bound that, so every expensive
part of an analysis is estimated first, from the sizes that drive it, and the
app decides from the estimate: compute now, compute in the background, or
refuse with a message that says what to change.

The estimates are upper bounds in seconds of CPU on the two-core machines
this project runs on, from the sizes below and per-unit costs measured with
``python bench/bench_budget.py`` (which prints each estimate against the
measured time; the estimates come out 1 to 3 times the measurement):

- a zone's reach: ring centres × vertices per ring (``geo.analysis.zone_reach.reach_centres`` × the ring vertex count),
  at :data:`ZONE_S_PER_RING_VERTEX`, plus :data:`ZONE_S_PER_POLAR_CENTRE` per
  centre when the range reaches a pole (those rings are built one by one);
- rings around launch points and their merged areas: ring vertices, at
  :data:`RING_S_PER_VERTEX`;
- places in reach: launch points × places in the GeoNames tier that may lie
  in range, at :data:`PLACE_S_PER_PAIR`;
- coverage by country: the vertices of the countries the coverage may touch,
  at :data:`COUNTRY_S_PER_VERTEX`.

What is already cached (a zone's reach in memory or on disk) costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.zone_reach import reach_centres, reach_is_cached, zone_size
from geo.core.buffer import MAX_ZONE_CENTRES, ring_vertex_count
from geo.core.rings import MAX_RANGE_KM, vertex_count
from geo.datasets.countries import vertices_near
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import Zone

__all__ = [
    "BACKGROUND_SECONDS",
    "COUNTRY_S_PER_VERTEX",
    "SYNC_SECONDS",
    "ZoneJob",
    "country_coverage_cost_s",
    "covered_area_cost_s",
    "places_cost_s",
    "zone_jobs",
    "zone_reach_cost_s",
]

#: What one page load or action may compute while the reader waits, in
#: estimated CPU seconds (with the page itself, about 2 s cold).
SYNC_SECONDS: Final = 1.5
#: What one scenario may ask the background worker for, in estimated CPU
#: seconds, in all; more is refused with a message naming the parts.
BACKGROUND_SECONDS: Final = 60.0

# Per-unit costs, measured on the two-core CI machine (bench/bench_budget.py):
# the reach of 8 countries and a line at 50, 300 and 2,500 km took 0.86–1.98 µs
# per ring vertex, and 240–280 µs per centre when the rings contain a pole.
ZONE_S_PER_RING_VERTEX: Final = 2.0e-6
ZONE_S_PER_POLAR_CENTRE: Final = 3.0e-4
# Ring outlines, unions and the Richardson areas of several launch points:
# 1.24 s for 50 points × 20 systems at 3,072 vertices per ring (0.4 µs).
RING_S_PER_VERTEX: Final = 0.5e-6
# Places in reach: per launch point and candidate place, the distance; then per
# system the selection (2.8 s for 50 points × 34,006 places × 20 systems;
# 0.25 s for 20 points within 1,000 km of Ukraine × 20 systems).
PLACE_S_PER_PAIR: Final = 1.5e-6
PLACE_S_PER_SYSTEM_PAIR: Final = 0.1e-6
# Places from a zone: the nearest outline vertex by a matrix product (about 3 ns
# per vertex and place), then two edges solved exactly (about 6 µs per place).
ZONE_PLACE_S_PER_VERTEX: Final = 3e-9
ZONE_PLACE_S_PER_CANDIDATE: Final = 6e-6
# Coverage by country: intersections and areas, 3.5 s for 20 coverages over
# most of Eurasia (about 1 µs per country vertex and coverage).
COUNTRY_S_PER_VERTEX: Final = 1.5e-6

#: The vertices per ring of the merged area of several launch points
#: (geo.analysis.compare: Richardson over 1,024 and 2,048).
_AREA_VERTICES_PER_RING: Final = 3 * 1024
#: The WGS84 meridian quadrant, km: a range beyond it from a zone at most this
#: far from a pole reaches the pole (an upper bound on what counts as polar).
_POLE_KM: Final = 10_001.966


@dataclass(frozen=True)
class ZoneJob:
    """The reach of one zone at one range: what computing it would cost.

    Attributes
    ----------
    zone : Zone
    range_km : float
    seconds : float
        Estimated CPU seconds; 0 when the reach is cached; ``inf`` when it is
        refused outright (``refusal`` says why) or was not estimated because
        the scenario was over its limit already.
    refusal : str
        Empty, or why it cannot be computed at all (too detailed, too long).
    """

    zone: Zone
    range_km: float
    seconds: float
    refusal: str = ""

    @property
    def cached(self) -> bool:
        return self.seconds == 0.0 and not self.refusal


def _per_centre_s(zone: Zone, range_km: float) -> float:
    """Estimated seconds per ring centre of the zone's reach at ``range_km``."""
    _, min_lat, _, max_lat = zone.geometry.bounds
    lats = (abs(min_lat), abs(max_lat), min(abs(min_lat), abs(max_lat)))
    seconds = ring_vertex_count(range_km, lats) * ZONE_S_PER_RING_VERTEX
    if range_km >= _POLE_KM - _nearest_pole_km(zone):
        seconds += ZONE_S_PER_POLAR_CENTRE
    return seconds


def _nearest_pole_km(zone: Zone) -> float:
    """A lower bound on the distance from the zone to the nearer pole, km (1° ≥ 110.5 km)."""
    _, min_lat, _, max_lat = zone.geometry.bounds
    return float(90.0 - max(abs(min_lat), abs(max_lat))) * 110.5


def zone_reach_cost_s(zone: Zone, range_km: float) -> float:
    """Estimated CPU seconds for the reach of ``zone`` at ``range_km`` (0 if cached).

    From the exact number of ring centres (the zone simplified and densified
    as for the reach: cheap, and cached for it).

    Raises
    ------
    InputError
        When the zone is too detailed or long to compute at all
        (:data:`geo.core.buffer.MAX_ZONE_CENTRES`), before any work.

    Examples
    --------
    >>> from geo.scenario.zones import zone_from_latlons
    >>> line = zone_from_latlons([(50.0, 20.0), (50.0, 21.0)], closed=False, label="budget doctest")
    >>> 0 < zone_reach_cost_s(line, 300) < 0.1
    True
    """
    if reach_is_cached(zone, range_km):
        return 0.0
    centres = reach_centres(zone, range_km)
    return centres * _per_centre_s(zone, range_km)


def zone_jobs(
    zones: Sequence[Zone], systems: Sequence[System], *, limit_s: float = BACKGROUND_SECONDS
) -> list[ZoneJob]:
    """One :class:`ZoneJob` per zone and distinct range (zones have no minimum range).

    Estimating is itself kept cheap: a bound from the zone's raw size
    (:attr:`geo.core.buffer.OutlineSize.centres_bound`) where that is small; else the
    exact centre count at the zone's shortest range, which has the most
    centres, as a bound for its other ranges. Once the total passes
    ``limit_s`` the remaining reaches are not estimated further: they are
    refused (``seconds`` is ``inf``).

    Examples
    --------
    >>> from geo.scenario.zones import zone_from_latlons
    >>> line = zone_from_latlons([(50.0, 20.0), (50.0, 21.0)], closed=False, label="jobs doctest")
    >>> jobs = zone_jobs([line], [System.custom("A", 300), System.custom("B", 300), System.custom("C", 100)])
    >>> [(j.range_km, j.refusal) for j in jobs]
    [(300.0, ''), (100.0, '')]
    """
    ranges = list(dict.fromkeys(s.range_km for s in systems))
    jobs: list[ZoneJob] = []
    total = 0.0
    for zone in zones:
        todo = [r for r in ranges if not reach_is_cached(zone, r)]
        jobs.extend(ZoneJob(zone, r, 0.0) for r in ranges if r not in todo)
        if not todo:
            continue
        if total > limit_s:
            jobs.extend(ZoneJob(zone, r, math.inf) for r in todo)  # not estimated: over the limit already
            continue
        try:
            bound = zone_size(zone).centres_bound
            if bound > MAX_ZONE_CENTRES:
                reach_centres(zone, todo[0])  # raises with the reason
            if total + sum(bound * _per_centre_s(zone, r) for r in todo) > SYNC_SECONDS:
                # Shorter ranges have more centres (less to simplify, fewer pockets closed).
                bound = reach_centres(zone, min(todo))
        except InputError as exc:
            jobs.extend(ZoneJob(zone, r, math.inf, str(exc)) for r in todo)
            continue
        for r in todo:
            seconds = bound * _per_centre_s(zone, r)
            jobs.append(ZoneJob(zone, r, seconds))
            total += seconds
    order = {(z, r): i for i, (z, r) in enumerate((z, r) for z in zones for r in ranges)}
    return sorted(jobs, key=lambda j: order[(j.zone, j.range_km)])


def covered_area_cost_s(points: Sequence[LaunchPoint], systems: Sequence[System]) -> float:
    """Estimated CPU seconds for the rings of ``points`` and their merged areas, every system.

    Examples
    --------
    >>> covered_area_cost_s([LaunchPoint(50.9, 34.8)] * 50, [System.custom("X", 300)] * 20) < 2.0
    True
    """
    if not points:
        return 0.0
    total = 0
    for system in systems:
        per_ring = _AREA_VERTICES_PER_RING if len(points) > 1 else 4 * 1024
        drawn = sum(vertex_count(p.lat, system.range_km) for p in points)
        total += (len(points) * per_ring + drawn) * (2 if system.min_range_km else 1)
    return total * RING_S_PER_VERTEX


def places_cost_s(
    points: Sequence[LaunchPoint], systems: Sequence[System], places: int, *, zones: Sequence[Zone] = ()
) -> float:
    """Estimated CPU seconds to list the places in reach: points and zones × places that may be in range.

    ``places`` is the size of the GeoNames tier searched. The share of it that
    may lie in range is bounded by the share of the globe the longest range
    covers, times 20 for the way cities cluster (Europe's are several times
    denser than the world's; at least 2 %, at most all). Each candidate costs
    once for its distance and once per system for the selection; for a zone,
    its distance is found among the zone's outline vertices (one every 5 km).

    Examples
    --------
    >>> round(places_cost_s([LaunchPoint(50.9, 34.8)] * 50, [System.custom("X", 19_000)], 34_006), 1)
    2.7
    """
    if not (points or zones) or not systems:
        return 0.0
    longest = min(max(s.range_km for s in systems), MAX_RANGE_KM)
    cap_share = (1.0 - math.cos(min(math.pi, longest / 6_371.0))) / 2.0  # spherical cap / sphere
    candidates = places * min(1.0, max(0.02, 20.0 * cap_share))
    per_candidate = PLACE_S_PER_PAIR + len(systems) * PLACE_S_PER_SYSTEM_PAIR
    seconds = len(points) * candidates * per_candidate
    for zone in zones:
        size = zone_size(zone)
        outline = size.vertices + size.length_km / 5.0
        seconds += candidates * (per_candidate + ZONE_PLACE_S_PER_CANDIDATE + outline * ZONE_PLACE_S_PER_VERTEX)
    return seconds


def country_coverage_cost_s(coverages: Sequence[Polygon | MultiPolygon]) -> float:
    """Estimated CPU seconds for :func:`geo.datasets.countries.coverage_by_country` of each coverage.

    Examples
    --------
    >>> from geo.core.rings import range_ring
    >>> country_coverage_cost_s([range_ring(50.45, 30.52, 50)]) < 0.1
    True
    """
    vertices = sum(vertices_near(g) + int(shapely.get_num_coordinates(g)) for g in coverages)
    return vertices * COUNTRY_S_PER_VERTEX
