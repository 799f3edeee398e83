"""Cities in reach: which GeoNames places lie within range of the launch points and zones.

A city is in reach of a system when its geodesic distance on WGS84 from at
least one launch point is between the system's ``min_range_km`` and
``range_km`` (both included), or from at least one launch zone (to the zone's
nearest point, :mod:`geo.analysis.distance`) at most ``range_km``. Each city
comes with its distance, margin and bearing from the nearest launch point or
zone that reaches it: the same measure as the verdicts on a target.

The work is vectorised over the gazetteer: per launch point, a latitude band
(a binary search in a latitude-sorted index) and a great-circle bound on a
sphere select the candidates, and one ``Geod.inv`` call on numpy arrays gives
their exact distances and bearings; per zone, its box widened by the range.
Python loops run over launch points, zones and systems, never over cities.

Populations and names are GeoNames data (CC BY 4.0): credit
:data:`geo.datasets.gazetteer.GEONAMES_CREDIT` wherever the results are shown.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from geo.analysis.compare import spreadsheet_safe
from geo.analysis.distance import distances_to_zone
from geo.core import geodesic
from geo.core.coords import check_latlon, format_latlon
from geo.core.grid import format_mgrs
from geo.datasets.districts import district_parents
from geo.datasets.gazetteer import DEFAULT_MIN_POPULATION, Gazetteer, check_min_population, load_gazetteer, tier_for
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import Zone

__all__ = [
    "COUNTRY_CSV_COLUMNS",
    "CSV_COLUMNS",
    "CityInReach",
    "CountryTotal",
    "ReachTotal",
    "cities_in_reach",
    "country_totals",
    "country_totals_csv",
    "reach_csv",
    "reach_json_rows",
    "reach_totals",
]

#: Mean Earth radius R1 = (2a + b) / 3 in km (Moritz 1980), for the prefilter only.
_SPHERE_KM: Final = 6_371.0087714

# The prefilter's great-circle bound. Mapping the sphere of radius R1 onto
# WGS84 (same latitude and longitude) scales lengths by M/R1 along meridians
# and N/R1 along parallels, M and N being the radii of curvature: 6,335.4 to
# 6,399.6 km, so factors 0.9944 to 1.0045. A geodesic of length d is thus at
# least 0.9944 × its great-circle distance: every city within d has a
# great-circle distance below d / 0.9944 = 1.0057 d. 1 % and 1 km keep a
# safe margin over floating point; tests compare with a brute-force search.
_BOUND_FACTOR: Final = 1.01
_BOUND_SLACK_KM: Final = 1.0

#: Columns of :func:`reach_csv`, in order.
CSV_COLUMNS: Final = (
    "name",
    "country_code",
    "country",
    "population",
    "lat",
    "lon",
    "distance_km",
    "margin_km",
    "bearing_deg",
    "weapon_id",
    "weapon_name",
    "range_km",
    "nearest_launch",
    "launch_lat",
    "launch_lon",
    "launch_mgrs",
    "via_zone",
    "geonameid",
    "district_of",
)


@dataclass(frozen=True, slots=True)
class CityInReach:
    """A city within reach of one system.

    Distances are geodesic on WGS84, in km, from ``nearest_launch``: the
    nearest launch point or zone from which the city is in range (for a zone,
    from its nearest point, ``launch_lat``/``launch_lon``; 0 inside it).
    ``margin_km`` is how far inside the range the city lies (``range_km -
    distance_km``; with a minimum range, the smaller of that and ``distance_km
    - min_range_km``). ``bearing_deg`` is the initial azimuth from that launch
    point (or nearest point of the zone) to the city, clockwise from true
    north, in [0, 360); None inside a zone. ``via_zone`` says the source is a
    zone.
    """

    name: str
    country_code: str
    country_name: str
    population: int
    lat: float
    lon: float
    geonameid: int
    weapon_id: str
    weapon_name: str
    range_km: float
    distance_km: float | None
    margin_km: float | None
    bearing_deg: float | None
    nearest_launch: str
    launch_lat: float | None
    launch_lon: float | None
    via_zone: bool = False
    #: The larger place in reach of the same system this place is a district of
    #: (:mod:`geo.datasets.districts`), "" for a place of its own. Totals count it once, in its city.
    district_of: str = ""

    @property
    def label(self) -> str:
        """``Kursk, Russia``."""
        return f"{self.name}, {self.country_name or self.country_code}"


class ReachTotal(NamedTuple):
    """How many places, and how many people in them, one system reaches.

    ``cities`` and ``population`` count each city once: places that are
    districts of a larger place in reach are left out (``districts`` of them,
    ``district_population`` people, already counted in their city).
    """

    weapon_id: str
    weapon_name: str
    cities: int
    population: int
    districts: int = 0
    district_population: int = 0


class _LatIndex(NamedTuple):
    """A tier's rows sorted by latitude, and its coordinates in radians."""

    order: NDArray[np.intp]
    lat_sorted: NDArray[np.float64]
    lat_rad: NDArray[np.float64]
    lon_rad: NDArray[np.float64]
    cos_lat: NDArray[np.float64]


@functools.lru_cache(maxsize=4)
def _lat_index(tier: int) -> _LatIndex:
    g = load_gazetteer(tier)
    order = np.argsort(g.lat, kind="stable")
    lat_rad = np.radians(g.lat)
    return _LatIndex(order, g.lat[order], lat_rad, np.radians(g.lon), np.cos(lat_rad))


def _rows_in_band(index: _LatIndex, lat_min: float, lat_max: float, max_row: int) -> NDArray[np.intp]:
    """Rows below ``max_row`` with latitude in [lat_min, lat_max], ascending."""
    lo = int(np.searchsorted(index.lat_sorted, lat_min, side="left"))
    hi = int(np.searchsorted(index.lat_sorted, lat_max, side="right"))
    rows = index.order[lo:hi]
    return np.sort(rows[rows < max_row])


def _candidates(point: LaunchPoint, index: _LatIndex, max_row: int, bound_km: float) -> NDArray[np.intp]:
    """Rows that may lie within ``bound_km`` of ``point`` (a superset; see _BOUND_FACTOR)."""
    reach_km = bound_km * _BOUND_FACTOR + _BOUND_SLACK_KM
    if reach_km >= math.pi * _SPHERE_KM:
        return np.arange(max_row)
    theta = reach_km / _SPHERE_KM  # angular radius on the sphere
    band_deg = math.degrees(theta)  # a great circle is at least as long as its change in latitude
    rows = _rows_in_band(index, point.lat - band_deg, point.lat + band_deg, max_row)
    lat1, lon1 = math.radians(point.lat), math.radians(point.lon)
    half_dlat = np.sin((index.lat_rad[rows] - lat1) / 2.0)
    half_dlon = np.sin((index.lon_rad[rows] - lon1) / 2.0)
    haversine = half_dlat**2 + math.cos(lat1) * index.cos_lat[rows] * half_dlon**2
    result: NDArray[np.intp] = rows[haversine <= math.sin(theta / 2.0) ** 2]
    return result


def _inverse(
    point: LaunchPoint, g: Gazetteer, rows: NDArray[np.intp]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Geodesic distance (km) and initial azimuth (degrees, [0, 360)) from ``point`` to ``rows``."""
    az12, dist_m = geodesic.inverse(point.lat, point.lon, g.lat[rows], g.lon[rows])
    azimuth = np.mod(az12, 360.0)
    azimuth[azimuth >= 360.0] = 0.0  # np.mod(-1e-17, 360) rounds to 360
    return dist_m / 1000.0, azimuth


def _zone_candidates(zone: Zone, index: _LatIndex, g: Gazetteer, max_row: int, bound_km: float) -> NDArray[np.intp]:
    """Rows that may lie within ``bound_km`` of the zone: its box widened by that much (a superset)."""
    lon_min, lat_min, lon_max, lat_max = zone.geometry.bounds
    reach_km = bound_km * _BOUND_FACTOR + _BOUND_SLACK_KM
    band = reach_km / 110.574  # a degree of latitude is at least 110,574 m
    rows = _rows_in_band(index, lat_min - band, lat_max + band, max_row)
    far_lat = min(90.0, max(abs(lat_min), abs(lat_max)) + band)
    if far_lat < 89.0 and lon_max - lon_min < 180.0:
        widen = reach_km / (111.32 * math.cos(math.radians(far_lat)))  # a degree of longitude is at most this
        if lon_max - lon_min + 2 * widen < 360.0:
            lon = (g.lon[rows] - (lon_min - widen)) % 360.0
            rows = rows[lon <= lon_max - lon_min + 2 * widen]
    return rows


def _launch_name(point: LaunchPoint) -> str:
    return point.label or format_latlon(point.lat, point.lon)


def _check_points(points: Sequence[LaunchPoint]) -> list[LaunchPoint]:
    out = []
    for i, point in enumerate(points):
        if not isinstance(point, LaunchPoint):
            raise InputError(f"points[{i}]: expected a LaunchPoint, got {type(point).__name__}")
        p = check_latlon(point.lat, point.lon)
        out.append(LaunchPoint(p.lat, p.lon, point.label))
    return out


def cities_in_reach(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    min_population: int = DEFAULT_MIN_POPULATION,
    zones: Sequence[Zone] = (),
) -> list[CityInReach]:
    """The GeoNames cities each system reaches from any of the launch points or zones.

    Parameters
    ----------
    points : sequence of LaunchPoint
        Launch points (may be empty when there are zones).
    systems : sequence of System
        A city counts for a system when its geodesic distance from at least
        one point is between ``min_range_km`` and ``range_km`` (km,
        inclusive), or from at least one zone at most ``range_km`` (zones have
        no minimum range: see :mod:`geo.analysis.zone_reach`).
    min_population : int
        Only cities with at least this many people (GeoNames figures). Below
        15,000 the larger 5,000, 1,000 or 500 files are read (the first call
        for each takes 1 to 3 s).
    zones : sequence of Zone, optional
        Launch zones; the distance to a zone is to its nearest point
        (:func:`geo.analysis.distance.distances_to_zone`).

    Returns
    -------
    list of CityInReach
        Grouped by system in the order given, each group by population,
        largest first (ties by GeoNames id). Each city comes with its distance,
        margin and bearing from the nearest launch point or zone that reaches it.

    Raises
    ------
    InputError
        For a bad launch point or a negative ``min_population``.

    Examples
    --------
    >>> atacms = System("atacms-300", "ATACMS (300 km)", 300.0)
    >>> rows = cities_in_reach([LaunchPoint(50.9, 34.8, "Sumy")], [atacms])
    >>> kursk = next(r for r in rows if r.name == "Kursk")
    >>> kursk.nearest_launch, round(kursk.distance_km), round(kursk.margin_km), round(kursk.bearing_deg)
    ('Sumy', 133, 167, 46)
    >>> "Moscow" in {r.name for r in rows}
    False
    """
    min_population = check_min_population(min_population)
    launch_points = _check_points(points)
    system_list = list(systems)
    zone_list = list(zones)
    if not system_list or not (launch_points or zone_list):
        return []
    g = load_gazetteer(tier_for(min_population))
    index = _lat_index(g.tier)
    max_row = g.count_at_least(min_population)

    # Distances do not depend on the system: one solution per launch point and
    # zone over the candidates of the longest range.
    longest_km = max(s.range_km for s in system_list)
    sources: list[_Source] = []
    for point in launch_points:
        rows = _candidates(point, index, max_row, longest_km)
        dist_km, azimuth = _inverse(point, g, rows)
        n = rows.size
        sources.append(
            _Source(_launch_name(point), False, rows, dist_km, azimuth, np.full(n, point.lat), np.full(n, point.lon))
        )
    for zone in zone_list:
        rows = _zone_candidates(zone, index, g, max_row, longest_km)
        near = distances_to_zone(zone, g.lat[rows], g.lon[rows])
        az12, _ = geodesic.inverse(near.lat, near.lon, g.lat[rows], g.lon[rows])
        azimuth = np.where(near.distance_km > 0.0, np.mod(az12, 360.0), np.nan)
        azimuth[azimuth >= 360.0] = 0.0
        sources.append(_Source(zone.label, True, rows, near.distance_km, azimuth, near.lat, near.lon))

    out: list[CityInReach] = []
    for system in system_list:
        parts = []
        for k, src in enumerate(sources):
            low = 0.0 if src.is_zone else system.min_range_km
            ok = (src.dist_km >= low) & (src.dist_km <= system.range_km)
            parts.append((src.rows[ok], src.dist_km[ok], np.full(int(ok.sum()), k, dtype=np.intp), np.flatnonzero(ok)))
        rows_all = np.concatenate([np.zeros(0, dtype=np.intp), *(p[0] for p in parts)])
        dist_all = np.concatenate([np.zeros(0), *(p[1] for p in parts)])
        src_all = np.concatenate([np.zeros(0, dtype=np.intp), *(p[2] for p in parts)])
        pos_all = np.concatenate([np.zeros(0, dtype=np.intp), *(p[3] for p in parts)])
        # For each city, the nearest launch point or zone that reaches it; by row, that is by population.
        order = np.lexsort((dist_all, rows_all))
        first = np.ones(order.size, dtype=bool)
        first[1:] = rows_all[order][1:] != rows_all[order][:-1]
        keep = order[first]
        records = _records(g, system, sources, rows_all[keep], dist_all[keep], src_all[keep], pos_all[keep])
        # City districts among the places this system reaches, each counted in its city (issue 11).
        in_reach = rows_all[keep]
        parent = district_parents(
            g.lat[in_reach], g.lon[in_reach], g.population[in_reach], g.country_code[in_reach], g.admin1[in_reach]
        )
        for i in np.flatnonzero(parent >= 0).tolist():
            records[i] = dataclasses.replace(records[i], district_of=records[int(parent[i])].name)
        out.extend(records)
    return out


@dataclass(frozen=True, eq=False)
class _Source:
    """A launch point or zone, with its distances to the candidate cities."""

    name: str
    is_zone: bool
    rows: NDArray[np.intp]
    dist_km: NDArray[np.float64]
    azimuth: NDArray[np.float64]
    from_lat: NDArray[np.float64]
    from_lon: NDArray[np.float64]


def _records(
    g: Gazetteer,
    system: System,
    sources: list[_Source],
    rows: NDArray[np.intp],
    dist_km: NDArray[np.float64],
    source: NDArray[np.intp],
    position: NDArray[np.intp],
) -> list[CityInReach]:
    """Build the result records (a loop over results, not over the gazetteer)."""

    def num(x: float) -> float | None:
        return x if math.isfinite(x) else None

    records = []
    columns = zip(
        g.name[rows].tolist(),
        g.country_code[rows].tolist(),
        g.country_name[rows].tolist(),
        g.population[rows].tolist(),
        g.lat[rows].tolist(),
        g.lon[rows].tolist(),
        g.geonameid[rows].tolist(),
        dist_km.tolist(),
        source.tolist(),
        position.tolist(),
        strict=True,
    )
    for name, code, country, population, lat, lon, gid, dist, k, i in columns:
        src = sources[k]
        margin = system.range_km - dist
        if not src.is_zone and system.min_range_km > 0.0:
            margin = min(margin, dist - system.min_range_km)
        records.append(
            CityInReach(
                name=name,
                country_code=code,
                country_name=country,
                population=population,
                lat=lat,
                lon=lon,
                geonameid=gid,
                weapon_id=system.id,
                weapon_name=system.name,
                range_km=system.range_km,
                distance_km=dist,
                margin_km=margin,
                bearing_deg=num(float(src.azimuth[i])),
                nearest_launch=src.name,
                launch_lat=float(src.from_lat[i]),
                launch_lon=float(src.from_lon[i]),
                via_zone=src.is_zone,
            )
        )
    return records


def reach_totals(rows: Sequence[CityInReach], systems: Sequence[System] | None = None) -> dict[str, ReachTotal]:
    """Cities and people in reach per system, keyed by weapon id.

    The population is the sum of GeoNames figures, each city once: GeoNames
    lists city districts as places of their own (Saltivka, 409,300 people,
    inside Kharkiv), and those flagged as districts of a larger place in reach
    (``CityInReach.district_of``) are counted apart, in ``districts`` and
    ``district_population``.

    Parameters
    ----------
    rows : sequence of CityInReach
        From :func:`cities_in_reach`.
    systems : sequence of System, optional
        List these systems first, in this order, including those that reach
        no city (0 cities, 0 people).

    Examples
    --------
    >>> atacms = System("atacms-300", "ATACMS (300 km)", 300.0)
    >>> totals = reach_totals(cities_in_reach([LaunchPoint(50.9, 34.8)], [atacms]), [atacms])
    >>> t = totals["atacms-300"]
    >>> t.cities > 20, t.population > 3_000_000
    (True, True)
    >>> reach_totals([], [atacms])["atacms-300"]
    ReachTotal(weapon_id='atacms-300', weapon_name='ATACMS (300 km)', cities=0, population=0, districts=0, district_population=0)
    """
    counts: dict[str, list[Any]] = {}
    for system in systems or ():
        counts.setdefault(system.id, [system.name, 0, 0, 0, 0])
    for row in rows:
        entry = counts.setdefault(row.weapon_id, [row.weapon_name, 0, 0, 0, 0])
        k = 3 if row.district_of else 1
        entry[k] += 1
        entry[k + 1] += row.population
    return {wid: ReachTotal(wid, *values) for wid, values in counts.items()}


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def reach_json_rows(rows: Sequence[CityInReach]) -> list[dict[str, Any]]:
    """Plain dicts for JSON: the :data:`CSV_COLUMNS` keys, None for missing values.

    Distances and margins are rounded to the metre (3 decimals of a km),
    bearings to 0.01°.

    Examples
    --------
    >>> atacms = System("atacms-300", "ATACMS (300 km)", 300.0)
    >>> first = reach_json_rows(cities_in_reach([LaunchPoint(50.9, 34.8)], [atacms]))[0]
    >>> first["name"], first["country"], first["weapon_id"], first["distance_km"]
    ('Kharkiv', 'Ukraine', 'atacms-300', 145.296)
    """
    return [
        {
            "name": r.name,
            "country_code": r.country_code,
            "country": r.country_name,
            "population": r.population,
            "lat": r.lat,
            "lon": r.lon,
            "distance_km": _round(r.distance_km, 3),
            "margin_km": _round(r.margin_km, 3),
            "bearing_deg": _round(r.bearing_deg, 2),
            "weapon_id": r.weapon_id,
            "weapon_name": r.weapon_name,
            "range_km": r.range_km,
            "nearest_launch": r.nearest_launch,
            "launch_lat": r.launch_lat,
            "launch_lon": r.launch_lon,
            "launch_mgrs": format_mgrs(r.launch_lat, r.launch_lon),
            "via_zone": r.via_zone,
            "geonameid": r.geonameid,
            "district_of": r.district_of,
        }
        for r in rows
    ]


class CountryTotal(NamedTuple):
    """Places and people one system reaches in one country, each city counted once."""

    weapon_id: str
    country_code: str
    country: str
    places: int
    population: int
    districts: int
    district_population: int


#: Columns of :func:`country_totals_csv`, in order.
COUNTRY_CSV_COLUMNS: Final = (
    "weapon_id",
    "weapon_name",
    "country_code",
    "country",
    "places",
    "population",
    "districts_left_out",
    "district_population_left_out",
)


def country_totals(rows: Sequence[CityInReach]) -> list[CountryTotal]:
    """Per system and country: places and people in reach, districts counted in their city.

    Systems keep the order of ``rows``; within a system, countries go by people, most first.

    Examples
    --------
    >>> atacms = System("atacms-300", "ATACMS (300 km)", 300.0)
    >>> by = country_totals(cities_in_reach([LaunchPoint(50.91, 34.8)], [atacms]))
    >>> [t.country_code for t in by][:2]
    ['UA', 'RU']
    """
    counts: dict[tuple[str, str], list[Any]] = {}
    for r in rows:
        entry = counts.setdefault((r.weapon_id, r.country_code), [r.country_name or r.country_code, 0, 0, 0, 0])
        k = 3 if r.district_of else 1
        entry[k] += 1
        entry[k + 1] += r.population
    systems = list(dict.fromkeys(r.weapon_id for r in rows))
    out = [CountryTotal(wid, cc, *values) for (wid, cc), values in counts.items()]
    return sorted(out, key=lambda t: (systems.index(t.weapon_id), -t.population, t.country_code))


def country_totals_csv(totals: Sequence[CountryTotal], names: dict[str, str]) -> str:
    """:func:`country_totals` as CSV (:data:`COUNTRY_CSV_COLUMNS`), cells spreadsheet-safe."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COUNTRY_CSV_COLUMNS)
    for t in totals:
        w.writerow(
            _cell(v)
            for v in (
                t.weapon_id,
                names.get(t.weapon_id, t.weapon_id),
                t.country_code,
                t.country,
                t.places,
                t.population,
                t.districts,
                t.district_population,
            )
        )
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: empty for None, text safe from spreadsheet formulas (launch labels come from users)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


def reach_csv(rows: Sequence[CityInReach]) -> str:
    """The rows as CSV (RFC 4180, via the csv module) with a header of :data:`CSV_COLUMNS`.

    Missing values are empty cells. Text that a spreadsheet would run as a
    formula gets an apostrophe in front (:func:`geo.analysis.compare.spreadsheet_safe`).

    Examples
    --------
    >>> atacms = System("atacms-300", "ATACMS (300 km)", 300.0)
    >>> text = reach_csv(cities_in_reach([LaunchPoint(50.9, 34.8, "Sumy")], [atacms]))
    >>> print(text.splitlines()[1])
    Kharkiv,UA,Ukraine,1421125,49.98177,36.25475,145.296,154.704,134.1,atacms-300,ATACMS (300 km),300.0,Sumy,50.9,34.8,36U XB 26572 40247,false,706483,
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for record in reach_json_rows(rows):
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()
