"""What a user can do to a scenario, as pure functions: ``Scenario → Scenario``.

The page calls these and keeps the result; nothing else changes a scenario.
Each returns a new :class:`~geo.scenario.model.Scenario` and leaves every part
it was not asked to change as it was (tests/scenario/test_actions.py drives
random sequences of them and checks that nothing is lost). An action that
cannot be done raises :class:`~geo.errors.InputError` saying why, and the
page keeps the scenario it had.

Coordinates enter at the precision of the share link
(:data:`geo.core.coords.COORD_DECIMALS`), so a scenario and its link agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from geo.core import geodesic
from geo.core.coords import round_coord
from geo.core.sectors import Sector
from geo.core.text import clean_label
from geo.core.units import check_unit
from geo.datasets.catalog import Catalog
from geo.datasets.gazetteer import largest_places, resolve_place
from geo.errors import InputError
from geo.scenario.model import (
    LABEL_MODES,
    MAX_POINTS,
    MAX_SYSTEMS,
    MAX_ZONES,
    LaunchPoint,
    ReverseQuery,
    Scenario,
    System,
    View,
)
from geo.scenario.zones import Zone

__all__ = [
    "DUPLICATE_M",
    "KEEP_LABEL_M",
    "add_custom_system",
    "add_point",
    "add_zone",
    "choose_systems",
    "duplicate_points",
    "move_point",
    "remove_point",
    "remove_zone",
    "rename_point",
    "set_borders",
    "set_globe",
    "set_labels",
    "set_reverse",
    "set_sector",
    "set_target",
    "set_unit",
    "set_view",
]

#: A point moved by at most this many metres keeps its place name.
KEEP_LABEL_M: Final = 2_000.0
#: "near X" names the nearest sizeable place within this distance of a moved point.
NEAR_PLACE_M: Final = 30_000.0
#: Two launch points closer than this are flagged as the same place.
DUPLICATE_M: Final = 100.0


def _point(lat: float, lon: float, label: str = "") -> LaunchPoint:
    point = LaunchPoint.at(lat, lon, label)
    return LaunchPoint(round_coord(point.lat), round_coord(point.lon), point.label)


def _index(items: Sequence[object], index: int, what: str) -> int:
    if not isinstance(index, int) or not 0 <= index < len(items):
        raise InputError(f"there is no {what} {index + 1 if isinstance(index, int) else index!r}")
    return index


def add_point(scenario: Scenario, lat: float, lon: float, label: str = "") -> Scenario:
    """Add a launch point at the end.

    Raises
    ------
    InputError
        For bad coordinates, or when there are :data:`~geo.scenario.model.MAX_POINTS` already.

    Examples
    --------
    >>> add_point(Scenario(), 50.912345678, 34.8, "Sumy").points
    (LaunchPoint(lat=50.91235, lon=34.8, label='Sumy'),)
    """
    if len(scenario.points) >= MAX_POINTS:
        raise InputError(f"at most {MAX_POINTS} launch points: remove one first")
    return scenario.with_(points=(*scenario.points, _point(lat, lon, label)))


def _names_a_place_at(label: str, lat: float, lon: float) -> bool:
    """Whether ``label`` is the name of a gazetteer place within :data:`KEEP_LABEL_M` × 5 of (lat, lon)."""
    if not label or label.startswith("near "):
        return bool(label)
    place = resolve_place(label.split(",")[0])
    if place is None:
        return False
    _, dist = geodesic.inverse(lat, lon, place.lat, place.lon)
    return float(dist) <= 5 * KEEP_LABEL_M


def _near_label(lat: float, lon: float) -> str:
    """``near <the largest place within NEAR_PLACE_M>``, or "" when there is none."""
    box = 0.3  # degrees of latitude, about 33 km: a superset of NEAR_PLACE_M
    lon_box = box / max(0.05, abs(math.cos(math.radians(lat))))
    bbox = (lon - lon_box, max(-90.0, lat - box), lon + lon_box, min(90.0, lat + box))
    best: tuple[float, str] | None = None
    for place in largest_places(bbox, limit=20, min_population=15_000, min_separation_km=0.0):
        _, dist = geodesic.inverse(lat, lon, place.lat, place.lon)
        if float(dist) <= NEAR_PLACE_M and (best is None or float(dist) < best[0]):
            best = (float(dist), place.name)
    return f"near {best[1]}" if best else ""


def move_point(scenario: Scenario, index: int, lat: float, lon: float) -> Scenario:
    """Move launch point ``index`` (0-based); the others stay as they are.

    A point named after a place keeps the name when it moves at most
    :data:`KEEP_LABEL_M`; moved further, the name no longer fits: it becomes
    "near X" after the nearest sizeable place (within :data:`NEAR_PLACE_M`), or
    none. A name the user gave that is not a place name stays.

    Examples
    --------
    >>> s = Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"),))
    >>> move_point(s, 0, 50.915, 34.81).points[0].label  # a few hundred metres
    'Sumy'
    >>> move_point(s, 0, 50.35, 36.12).points[0].label  # 100 km away: not Sumy any more
    'near Derhachi'
    """
    i = _index(scenario.points, index, "launch point")
    old = scenario.points[i]
    moved = _point(lat, lon)
    label = old.label
    _, dist = geodesic.inverse(old.lat, old.lon, moved.lat, moved.lon)
    if label and float(dist) > KEEP_LABEL_M and _names_a_place_at(label, old.lat, old.lon):
        label = _near_label(moved.lat, moved.lon)
    points = list(scenario.points)
    points[i] = LaunchPoint(moved.lat, moved.lon, label, old.sector)  # a moved launcher still faces the same way
    return scenario.with_(points=tuple(points))


def remove_point(scenario: Scenario, index: int) -> Scenario:
    """Remove launch point ``index`` (0-based)."""
    i = _index(scenario.points, index, "launch point")
    return scenario.with_(points=scenario.points[:i] + scenario.points[i + 1 :])


def rename_point(scenario: Scenario, index: int, label: str) -> Scenario:
    """Give launch point ``index`` a new label (cleaned; "" for none)."""
    i = _index(scenario.points, index, "launch point")
    points = list(scenario.points)
    points[i] = replace(points[i], label=clean_label(label))
    return scenario.with_(points=tuple(points))


def duplicate_points(scenario: Scenario) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of launch points less than :data:`DUPLICATE_M` apart.

    Examples
    --------
    >>> duplicate_points(Scenario(points=(LaunchPoint(50.91, 34.8), LaunchPoint(48.0, 35.0), LaunchPoint(50.9103, 34.8))))
    [(0, 2)]
    """
    pts = scenario.points
    out = []
    for i in range(len(pts)):
        for j in range(i + 1, len(pts)):
            _, dist = geodesic.inverse(pts[i].lat, pts[i].lon, pts[j].lat, pts[j].lon)
            if float(dist) < DUPLICATE_M:
                out.append((i, j))
    return out


def add_zone(scenario: Scenario, zone: Zone) -> Scenario:
    """Add a launch zone at the end; the same zone again changes nothing.

    Raises
    ------
    InputError
        When there are :data:`~geo.scenario.model.MAX_ZONES` already.
    """
    if any(z == zone or (zone.spec is not None and z.spec == zone.spec) for z in scenario.zones):
        return scenario
    if len(scenario.zones) >= MAX_ZONES:
        raise InputError(f"at most {MAX_ZONES} launch zones: remove one first")
    return scenario.with_(zones=(*scenario.zones, zone))


def remove_zone(scenario: Scenario, index: int) -> Scenario:
    """Remove launch zone ``index`` (0-based)."""
    i = _index(scenario.zones, index, "launch zone")
    return scenario.with_(zones=scenario.zones[:i] + scenario.zones[i + 1 :])


def set_target(scenario: Scenario, text: str) -> Scenario:
    """Set the target as typed or clicked ("" clears it); resolved by the analysis."""
    return scenario.with_(target=clean_label(text))


def set_reverse(scenario: Scenario, system_id: str, country_text: str = "") -> Scenario:
    """Show from where ``system_id`` reaches the target, optionally only inside a country ("" system: off).

    Raises
    ------
    InputError
        A system not in the scenario, or an unknown country.
    """
    if not system_id:
        return scenario.with_(reverse=None)
    if all(s.id != system_id for s in scenario.systems):
        raise InputError(f"no system {system_id!r} on the map")
    return scenario.with_(reverse=ReverseQuery.at(system_id, country_text))


def set_unit(scenario: Scenario, unit: str) -> Scenario:
    """Show distances in ``unit`` (km, mi or nmi); nothing else changes."""
    return scenario.with_(unit=check_unit(unit))


def choose_systems(scenario: Scenario, catalog: Catalog, system_ids: Sequence[str]) -> Scenario:
    """Make ``system_ids`` the chosen systems, in that order.

    Ids are catalog ids or the ids of the scenario's custom systems (a custom
    system left out is removed). Catalog systems come first, then custom
    ones, each in the order given: the order the link keeps.

    Raises
    ------
    InputError
        For an unknown id, or more than :data:`~geo.scenario.model.MAX_SYSTEMS`.
    """
    custom = {s.id: s for s in scenario.custom_systems}
    chosen: list[System] = []
    for system_id in dict.fromkeys(system_ids):
        if system_id in custom:
            chosen.append(custom[system_id])
        elif system_id in catalog:
            chosen.append(System.from_weapon(catalog.get(system_id)))
        else:
            raise InputError(f"unknown system {system_id!r}")
    if len(chosen) > MAX_SYSTEMS:
        raise InputError(f"at most {MAX_SYSTEMS} systems: remove one first")
    ordered = tuple(s for s in chosen if not s.is_custom) + tuple(s for s in chosen if s.is_custom)
    return scenario.with_(systems=ordered)


def add_custom_system(scenario: Scenario, name: str, range_km: float, min_range_km: float = 0.0) -> Scenario:
    """Add a user-defined system (after the others); the same one again changes nothing.

    Raises
    ------
    InputError
        For an empty name, a range :func:`geo.core.rings.check_range` refuses,
        or more than :data:`~geo.scenario.model.MAX_SYSTEMS` systems.
    """
    system = System.custom(name, range_km, min_range_km)
    if any(s.id == system.id for s in scenario.systems):
        return scenario
    if len(scenario.systems) >= MAX_SYSTEMS:
        raise InputError(f"at most {MAX_SYSTEMS} systems: remove one first")
    return scenario.with_(systems=(*scenario.systems, system))


def set_borders(scenario: Scenario, shown: bool) -> Scenario:
    """Show or hide the country borders and place names."""
    return scenario.with_(borders=bool(shown))


def set_labels(scenario: Scenario, mode: str) -> Scenario:
    """Ring labels: "compact", "detailed" or "off" (issue 12)."""
    if mode not in LABEL_MODES:
        raise InputError(f"labels: expected one of {', '.join(LABEL_MODES)}, got {mode!r}")
    return scenario.with_(labels=mode)


def set_globe(scenario: Scenario, shown: bool) -> Scenario:
    """The globe in the flat map's place, or the flat map again (issue 12)."""
    return scenario.with_(globe=bool(shown))


def set_sector(scenario: Scenario, index: int, azimuth_deg: float | None, width_deg: float | None) -> Scenario:
    """Limit the ``index``-th launch point's rings to a range fan, or (None) draw full rings again."""
    if not 0 <= index < len(scenario.points):
        raise InputError(f"no launch point {index + 1}")
    sector = None if azimuth_deg is None or width_deg is None else Sector.at(azimuth_deg, width_deg)
    points = list(scenario.points)
    points[index] = replace(points[index], sector=sector)
    return scenario.with_(points=tuple(points))


def set_view(scenario: Scenario, lat: float, lon: float, zoom: int) -> Scenario:
    """Remember the map's view (centre and zoom), at the link's precision."""
    return scenario.with_(view=View.at(round_coord(lat), round_coord(lon), int(zoom)))
