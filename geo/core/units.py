"""Distance units: SI inside the library, conversion only at the edges.

Both factors are exact by definition:

- international mile = 1,609.344 m (International Yard and Pound Agreement,
  1959; NIST Handbook 44, Appendix C);
- international nautical mile = 1,852 m (International Hydrographic
  Conference, 1929; NIST SP 811, Table 8).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from geo.errors import InputError

Unit = Literal["km", "mi", "nmi"]
UNITS: Final[tuple[Unit, ...]] = get_args(Unit)

KM_PER_UNIT: Final[dict[str, float]] = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}
UNIT_LABELS: Final[dict[str, str]] = {"km": "km", "mi": "mi", "nmi": "nmi"}
UNIT_NAMES: Final[dict[str, str]] = {
    "km": "kilometres",
    "mi": "miles",
    "nmi": "nautical miles",
}


def check_unit(unit: str) -> Unit:
    """Return ``unit`` if it is a known unit name, else raise :class:`InputError`.

    Examples
    --------
    >>> check_unit("mi")
    'mi'
    """
    if unit not in KM_PER_UNIT:
        raise InputError(f"unknown unit {unit!r}: expected one of {', '.join(UNITS)}")
    return unit  # type: ignore[return-value]


def km_to(distance_km: float, unit: str) -> float:
    """Convert kilometres to ``unit``.

    Examples
    --------
    >>> round(km_to(300, "mi"), 1)
    186.4
    >>> km_to(1.852, "nmi")
    1.0
    """
    return distance_km / KM_PER_UNIT[check_unit(unit)]


def to_km(distance: float, unit: str) -> float:
    """Convert a distance in ``unit`` to kilometres.

    Examples
    --------
    >>> to_km(100, "mi")
    160.9344
    """
    return distance * KM_PER_UNIT[check_unit(unit)]


def format_distance(distance_km: float, unit: str, *, with_km: bool = False) -> str:
    """Format a distance for people, e.g. ``186 mi (300 km)``.

    Examples
    --------
    >>> format_distance(300, "mi", with_km=True)
    '186 mi (300 km)'
    >>> format_distance(2.5, "km")
    '2.5 km'
    """
    value = km_to(distance_km, unit)
    text = f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"
    out = f"{text} {UNIT_LABELS[unit]}"
    if with_km and unit != "km":
        out += f" ({format_distance(distance_km, 'km')})"
    return out
