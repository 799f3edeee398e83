"""What a map shows: launch points and the systems fired from them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.core.coords import LatLon, check_latlon, format_latlon
from geo.core.rings import check_range
from geo.core.units import format_distance
from geo.datasets.catalog import Catalog, Weapon
from geo.errors import InputError

CUSTOM_PREFIX = "custom-"


@dataclass(frozen=True)
class LaunchPoint:
    """A launch point: where rings are centred, with an optional label."""

    lat: float
    lon: float
    label: str = ""

    @classmethod
    def at(cls, lat: float, lon: float, label: str = "") -> LaunchPoint:
        """A validated launch point (longitude normalised)."""
        p = check_latlon(lat, lon)
        return cls(p.lat, p.lon, label)

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
        if not isinstance(name, str) or not name.strip():
            raise InputError("a custom system needs a name")
        r, rmin = check_range(range_km, min_range_km)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "system"
        return cls(f"{CUSTOM_PREFIX}{slug}-{r:g}".replace(".", "-"), name, r, rmin, None)

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


def systems_from_ids(catalog: Catalog, weapon_ids: list[str]) -> list[System]:
    """Look up catalog systems by id, keeping order and dropping repeats."""
    out: list[System] = []
    for weapon_id in dict.fromkeys(weapon_ids):
        out.append(System.from_weapon(catalog.get(weapon_id)))
    return out
