"""What a map shows: the :class:`Scenario` — launch points, launch zones, systems, unit, target, view.

A scenario is one immutable value. The page holds one, the share link encodes
it (:mod:`geo.scenario.share`), user actions are pure functions from one
scenario to the next (:mod:`geo.scenario.actions`), and every table, caption
and export is computed from it by one analysis (:mod:`geo.analysis.scenario`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from geo.core.coords import LatLon, check_latlon, format_latlon
from geo.core.rings import check_range
from geo.core.sectors import Sector
from geo.core.text import MAX_LABEL_CHARS, clean_label
from geo.core.units import Unit, check_unit, format_distance
from geo.datasets.catalog import Catalog, Weapon
from geo.errors import InputError
from geo.scenario.zones import Zone

#: Ring label modes (issue 12): the short name and range, the full text, or none.
LabelMode = Literal["compact", "detailed", "off"]
LABEL_MODES: Final[tuple[LabelMode, ...]] = ("compact", "detailed", "off")

__all__ = [
    "CUSTOM_PREFIX",
    "LABEL_MODES",
    "MAX_LABEL_CHARS",
    "MAX_POINTS",
    "MAX_SYSTEMS",
    "MAX_ZONES",
    "LabelMode",
    "LaunchPoint",
    "ReverseQuery",
    "Scenario",
    "System",
    "View",
    "clean_label",
    "systems_from_ids",
]

CUSTOM_PREFIX: Final = "custom-"

#: Launch points, systems and zones beyond these are refused with a message: a
#: link is typed by people, and the map must stay responsive.
MAX_POINTS: Final = 50
MAX_SYSTEMS: Final = 20
MAX_ZONES: Final = 10


@dataclass(frozen=True)
class LaunchPoint:
    """A launch point: where rings are centred, with an optional label and an optional sector.

    ``sector`` (issue 12) limits every system's reach from this point to an
    azimuth sector, a range fan: it belongs to the launch point, as in
    ArcGIS's and TAK's range fans, because it is where a launcher faces (a
    front), whatever it fires. None is the full ring.
    """

    lat: float
    lon: float
    label: str = ""
    sector: Sector | None = field(default=None, repr=False)

    @classmethod
    def at(cls, lat: float, lon: float, label: str = "", sector: Sector | None = None) -> LaunchPoint:
        """A validated launch point (longitude normalised, label cleaned)."""
        p = check_latlon(lat, lon)
        return cls(p.lat, p.lon, clean_label(label), sector)

    @property
    def latlon(self) -> LatLon:
        return LatLon(self.lat, self.lon)

    @property
    def name(self) -> str:
        """The label, or the coordinates when there is none."""
        return self.label or format_latlon(self.lat, self.lon, 2)


@dataclass(frozen=True)
class System:
    """A range to draw: a catalog weapon or a user's custom system.

    ``weapon`` is None for custom systems; everything the map, tables and
    exports need is on this record so both kinds behave the same.
    """

    id: str
    name: str
    range_km: float
    min_range_km: float = 0.0
    weapon: Weapon | None = None

    @classmethod
    def from_weapon(cls, weapon: Weapon) -> System:
        return cls(weapon.id, weapon.name, weapon.range_km, weapon.min_range_km, weapon)

    @classmethod
    def custom(cls, name: str, range_km: float, min_range_km: float = 0.0) -> System:
        """A user-defined system; the name is kept exactly as typed.

        Raises
        ------
        InputError
            Empty name, or a range :func:`geo.range_ring` would refuse.
        """
        name = clean_label(name) if isinstance(name, str) else ""
        if not name:
            raise InputError("a custom system needs a name")
        r, rmin = check_range(range_km, min_range_km)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "system"
        numbers = "-".join(_id_number(x) for x in ((r, rmin) if rmin else (r,)))
        return cls(f"{CUSTOM_PREFIX}{slug}-{numbers}", name, r, rmin, None)

    def range_text(self, unit: str = "km") -> str:
        """The range for people: ``300 km``, ``186 mi (300 km)``, ``50 km–500 km``.

        Examples
        --------
        >>> System.custom("X", 500, 50).range_text("mi")
        '31 mi–311 mi (500 km)'
        """
        text = format_distance(self.range_km, unit, with_km=True)
        if self.min_range_km > 0.0:
            text = f"{format_distance(self.min_range_km, unit)}–{text}"
        return text

    @property
    def is_custom(self) -> bool:
        return self.weapon is None

    @property
    def air_launched(self) -> bool:
        return bool(self.weapon and self.weapon.air_launched)

    @property
    def source_url(self) -> str:
        return self.weapon.primary_source.url if self.weapon else ""

    @property
    def source_text(self) -> str:
        """``Publisher, YYYY-MM-DD`` of the primary source, or 'user-defined'."""
        if self.weapon is None:
            return "user-defined"
        s = self.weapon.primary_source
        return f"{s.publisher}, {s.date.isoformat()}"


def _id_number(value: float) -> str:
    """A number for an id, exact (shortest repr) and id-safe: 300 → '300', 299.9999 → '299p9999'."""
    text = repr(float(value))
    return (text[:-2] if text.endswith(".0") else text).replace(".", "p").replace("-", "m").replace("+", "")


@dataclass(frozen=True)
class View:
    """What the map shows: its centre and zoom level (Web Mercator tiles, 1–18)."""

    lat: float
    lon: float
    zoom: int

    @classmethod
    def at(cls, lat: float, lon: float, zoom: int) -> View:
        p = check_latlon(lat, lon)
        if not isinstance(zoom, int) or not 1 <= zoom <= 18:
            raise InputError(f"zoom: expected a whole number from 1 to 18, got {zoom!r}")
        return cls(p.lat, p.lon, zoom)


@dataclass(frozen=True)
class ReverseQuery:
    """Reverse reach asked for (:mod:`geo.analysis.reverse`): a system of the scenario, and a country or "".

    ``country`` is a Natural Earth code (``"UA"``; the alpha-3 code for the
    few units without an alpha-2 one); build it with :meth:`at`, which reads
    a code or an English name.
    """

    system_id: str
    country: str = ""

    @classmethod
    def at(cls, system_id: str, country_text: str = "") -> ReverseQuery:
        """Validated: the country read by :func:`geo.datasets.countries.country` (InputError if unknown)."""
        from geo.datasets.countries import country

        if not isinstance(system_id, str) or not system_id.strip():
            raise InputError("reverse reach needs a system")
        code = ""
        if country_text.strip():
            c = country(country_text)
            code = c.iso2 or c.iso3
        return cls(system_id.strip(), code)


@dataclass(frozen=True)
class Scenario:
    """Everything a map shows, as one immutable value.

    Attributes
    ----------
    points : tuple of LaunchPoint
        Launch points, in order (numbered from 1 on the map).
    zones : tuple of Zone
        Launch zones (countries, lines, areas), in order.
    systems : tuple of System
        Catalog and custom systems, in the order chosen (the order of their
        colours, tables and exports).
    unit : {"km", "mi", "nmi"}
        The unit distances are shown in (km is always shown too).
    target : str
        The target as typed or clicked: a place name or coordinates, or "".
    borders : bool
        Country borders and place names drawn on the map.
    view : View or None
        The map's centre and zoom; None frames the scenario.
    step : datetime.date or None
        The story step shown (the date of an event in ``data/events.json``), or None.
    labels : {"compact", "detailed", "off"}
        Ring labels on the map and in the exports (:mod:`geo.analysis.labels`).
    globe : bool
        The globe shown in the flat map's place (issue 12; :mod:`geo.render.globe`).
    reverse : ReverseQuery or None
        Reverse reach shown ("from where can it be fired?"); dropped when its
        system is not (or no longer) among ``systems``.
    """

    points: tuple[LaunchPoint, ...] = ()
    zones: tuple[Zone, ...] = ()
    systems: tuple[System, ...] = ()
    unit: Unit = "km"
    target: str = ""
    borders: bool = True
    view: View | None = field(default=None)
    step: dt.date | None = None
    reverse: ReverseQuery | None = None
    labels: LabelMode = "compact"
    globe: bool = False

    def __post_init__(self) -> None:
        check_unit(self.unit)
        if self.labels not in LABEL_MODES:
            raise InputError(f"labels: expected one of {', '.join(LABEL_MODES)}, got {self.labels!r}")
        if self.reverse is not None and all(s.id != self.reverse.system_id for s in self.systems):
            object.__setattr__(self, "reverse", None)  # its system was removed: nothing to show
        for what, items, limit in (
            ("launch points", self.points, MAX_POINTS),
            ("systems", self.systems, MAX_SYSTEMS),
            ("launch zones", self.zones, MAX_ZONES),
        ):
            if len(items) > limit:
                raise InputError(f"at most {limit} {what}, got {len(items)}")
        if len({s.id for s in self.systems}) != len(self.systems):
            raise InputError("a system is chosen twice")

    @property
    def catalog_ids(self) -> tuple[str, ...]:
        """The catalog systems' ids, in order."""
        return tuple(s.id for s in self.systems if not s.is_custom)

    @property
    def custom_systems(self) -> tuple[System, ...]:
        return tuple(s for s in self.systems if s.is_custom)

    @property
    def has_launch_sites(self) -> bool:
        """At least one launch point or zone: something to measure from."""
        return bool(self.points or self.zones)

    def with_(self, **changes: object) -> Scenario:
        """A copy with some fields changed (validated like a new scenario)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def systems_from_ids(catalog: Catalog, weapon_ids: list[str]) -> list[System]:
    """Look up catalog systems by id, keeping order and dropping repeats."""
    out: list[System] = []
    for weapon_id in dict.fromkeys(weapon_ids):
        out.append(System.from_weapon(catalog.get(weapon_id)))
    return out
