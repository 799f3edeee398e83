"""The share link: the page URL is the scenario.

Query parameters (DESIGN.md §5):

- ``at=lat,lon`` once per launch point, in order; an optional label follows a
  tilde: ``at=50.9,34.8~Sumy``. Any form :func:`geo.core.coords.parse_latlon`
  reads is accepted on the way in; the way out is decimal degrees (4 places,
  about 10 m).
- ``w=id,id`` the catalog systems, comma-separated, in order.
- ``c=NAME:RANGE_KM`` or ``c=NAME:RANGE_KM:MIN_RANGE_KM`` once per custom
  system (the name may contain colons: the numbers are taken from the right).
- ``u=km|mi|nmi`` the unit; ``t=lat,lon`` or ``t=Place name`` the target.
- ``b=0`` hides the country borders and place names (shown by default).
- ``z=country:UA``, ``z=line:lat,lon;lat,lon;…`` or ``z=area:lat,lon;…``
  once per launch zone (optionally ``~label``). Uploaded files are not put in
  the link when they are larger than :data:`MAX_ZONE_VERTICES` points.

Decoding never fails: whatever cannot be used is dropped and named in a
warning, and everything valid is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geo.core.coords import format_latlon, parse_latlon
from geo.core.units import UNITS
from geo.datasets.catalog import Catalog
from geo.datasets.countries import country
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import Zone, zone_from_country, zone_from_latlons

#: Launch points and systems beyond these are dropped with a warning: a link is
#: typed by people, and the map must stay responsive.
MAX_POINTS = 50
MAX_SYSTEMS = 20
MAX_LABEL_CHARS = 60
MAX_ZONES = 10
MAX_ZONE_VERTICES = 100
_MAX_PARAM_CHARS = 200
_MAX_ZONE_CHARS = MAX_ZONE_VERTICES * 24


@dataclass(frozen=True)
class SharedScenario:
    """Everything a share link carries."""

    points: tuple[LaunchPoint, ...] = ()
    weapon_ids: tuple[str, ...] = ()
    custom: tuple[System, ...] = ()
    unit: str = "km"
    target: str = ""  # "lat,lon" or a place name, resolved by the caller
    zones: tuple[str, ...] = ()  # launch-zone specs, see decode_zone
    borders: bool = True  # country borders and place names (``b=0`` turns them off)
    warnings: tuple[str, ...] = field(default=(), compare=False)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode_point(text: str) -> LaunchPoint:
    """Read one ``at`` value: ``lat,lon`` with an optional ``~label``.

    Examples
    --------
    >>> decode_point("50.9,34.8~Sumy")
    LaunchPoint(lat=50.9, lon=34.8, label='Sumy')
    """
    coords, _, label = text.partition("~")
    p = parse_latlon(coords)
    return LaunchPoint(p.lat, p.lon, label.strip()[:MAX_LABEL_CHARS])


def encode_point(point: LaunchPoint) -> str:
    """Write one ``at`` value.

    Examples
    --------
    >>> encode_point(LaunchPoint(50.9, 34.8, "Sumy"))
    '50.9000,34.8000~Sumy'
    """
    text = format_latlon(point.lat, point.lon).replace(" ", "")
    return f"{text}~{point.label}" if point.label else text


def decode_custom(text: str) -> System:
    """Read one ``c`` value: ``NAME:RANGE_KM[:MIN_RANGE_KM]``.

    Examples
    --------
    >>> s = decode_custom("My <b>rocket</b>:120:10")
    >>> s.name, s.range_km, s.min_range_km
    ('My <b>rocket</b>', 120.0, 10.0)
    """
    parts = text.rsplit(":", 2)
    numbers: list[float] = []
    # Take numbers from the right; the rest is the name (which may hold colons).
    while len(parts) > 1:
        try:
            numbers.insert(0, float(parts[-1]))
        except ValueError:
            break
        parts.pop()
        if len(numbers) == 2:
            break
    name = ":".join(parts)
    if not numbers:
        raise InputError(f"custom system {_short(text)!r}: expected NAME:RANGE_KM or NAME:RANGE_KM:MIN_RANGE_KM")
    range_km = numbers[0]
    min_range_km = numbers[1] if len(numbers) == 2 else 0.0
    try:
        return System.custom(name, range_km, min_range_km)
    except InputError as exc:
        raise InputError(f"custom system {_short(text)!r}: {exc}") from None


def encode_custom(system: System) -> str:
    """Write one ``c`` value.

    Examples
    --------
    >>> encode_custom(System.custom("Test", 120, 10))
    'Test:120:10'
    """
    text = f"{system.name}:{system.range_km:g}"
    return f"{text}:{system.min_range_km:g}" if system.min_range_km else text


@functools.lru_cache(maxsize=128)
def decode_zone(text: str) -> tuple[str, Zone]:
    """Read one ``z`` value into a launch zone; returns it with its normalised spec.

    Raises
    ------
    InputError
        Naming what is wrong (unknown country, too few points…).

    Examples
    --------
    >>> spec, zone = decode_zone("country:ua")
    >>> spec, zone.label
    ('country:UA', 'Ukraine')
    >>> decode_zone("line:48,35;48.5,37~front")[0]
    'line:48.0000,35.0000;48.5000,37.0000~front'
    """
    body, _, label = text.partition("~")
    kind, sep, rest = body.partition(":")
    kind = kind.strip().lower()
    label = label.strip()[:MAX_LABEL_CHARS]
    if not sep or kind not in ("country", "line", "area"):
        raise InputError(f"launch zone {_short(text)!r}: expected country:ISO2, line:lat,lon;… or area:lat,lon;…")
    if kind == "country":
        zone = zone_from_country(rest.strip())
        iso = country(rest.strip()).iso2 or rest.strip().upper()
        return f"country:{iso}", zone
    parts = [p for p in rest.split(";") if p.strip()]
    if len(parts) > MAX_ZONE_VERTICES:
        raise InputError(f"launch zone {_short(text)!r}: at most {MAX_ZONE_VERTICES} points in a link")
    latlons = [parse_latlon(p) for p in parts]
    zone = zone_from_latlons(latlons, closed=kind == "area", label=label)
    spec = f"{kind}:" + ";".join(format_latlon(p.lat, p.lon).replace(" ", "") for p in latlons)
    return (f"{spec}~{label}" if label else spec), zone


def decode_query(params: Mapping[str, Sequence[str]], catalog: Catalog) -> SharedScenario:
    """Rebuild a scenario from query parameters, keeping all that is valid.

    Parameters
    ----------
    params : mapping of str to list of str
        Every value of each key, e.g. from ``st.query_params.to_dict`` with
        repeated keys read by ``get_all``.
    catalog : Catalog
        To check weapon ids.

    Returns
    -------
    SharedScenario
        With ``warnings`` naming each dropped value.

    Examples
    --------
    >>> from geo.datasets.catalog import load_catalog
    >>> s = decode_query({"at": ["50.9,34.8", "95,10"], "w": ["atacms-300,nope"]}, load_catalog())
    >>> len(s.points), s.weapon_ids
    (1, ('atacms-300',))
    >>> for w in s.warnings: print(w)
    Ignored launch point '95,10': latitude 95 is outside -90…90 (lat/lon swapped? 10, 95 would be valid)
    Ignored unknown system 'nope'
    """
    warnings: list[str] = []
    points: list[LaunchPoint] = []
    for raw in params.get("at", []):
        raw = raw[:_MAX_PARAM_CHARS]
        try:
            point = decode_point(raw)
        except InputError as exc:
            warnings.append(f"Ignored launch point {_short(raw)!r}: {exc}")
            continue
        if len(points) >= MAX_POINTS:
            warnings.append(f"Ignored launch point {_short(raw)!r}: at most {MAX_POINTS} launch points")
            continue
        points.append(point)

    weapon_ids: list[str] = []
    for raw in params.get("w", []):
        for weapon_id in raw[: _MAX_PARAM_CHARS * 4].split(","):
            weapon_id = weapon_id.strip()
            if not weapon_id or weapon_id in weapon_ids:
                continue
            if weapon_id not in catalog:
                warnings.append(f"Ignored unknown system {_short(weapon_id)!r}")
            elif len(weapon_ids) >= MAX_SYSTEMS:
                warnings.append(f"Ignored system {weapon_id!r}: at most {MAX_SYSTEMS} systems")
            else:
                weapon_ids.append(weapon_id)

    custom: list[System] = []
    for raw in params.get("c", []):
        raw = raw[:_MAX_PARAM_CHARS]
        try:
            system = decode_custom(raw)
        except InputError as exc:
            warnings.append(f"Ignored {exc}")
            continue
        if len(weapon_ids) + len(custom) >= MAX_SYSTEMS:
            warnings.append(f"Ignored custom system {_short(raw)!r}: at most {MAX_SYSTEMS} systems")
        elif any(c.id == system.id for c in custom):
            continue
        else:
            custom.append(system)

    unit = "km"
    units = params.get("u", [])
    if units:
        if units[-1] in UNITS:
            unit = units[-1]
        else:
            warnings.append(f"Ignored unit {_short(units[-1])!r}: expected one of {', '.join(UNITS)}")

    target = ""
    targets = params.get("t", [])
    if targets:
        target = targets[-1].strip()[:_MAX_PARAM_CHARS]

    zones: list[str] = []
    for raw in params.get("z", []):
        raw = raw[:_MAX_ZONE_CHARS]
        try:
            spec, _ = decode_zone(raw)
        except InputError as exc:
            message = str(exc)
            prefix = "" if message.startswith("launch zone") else f"launch zone {_short(raw)!r}: "
            warnings.append(f"Ignored {prefix}{message}")
            continue
        if len(zones) >= MAX_ZONES:
            warnings.append(f"Ignored launch zone {_short(raw)!r}: at most {MAX_ZONES} launch zones")
        elif spec not in zones:
            zones.append(spec)

    borders = params.get("b", ["1"])[-1] != "0"
    return SharedScenario(
        tuple(points), tuple(weapon_ids), tuple(custom), unit, target, tuple(zones), borders, tuple(warnings)
    )


def encode_query(scenario: SharedScenario) -> dict[str, list[str]]:
    """Query parameters for a scenario; empty parts are left out.

    Examples
    --------
    >>> encode_query(SharedScenario((LaunchPoint(50.9, 34.8),), ("atacms-300", "storm-shadow"), unit="mi"))
    {'at': ['50.9000,34.8000'], 'w': ['atacms-300,storm-shadow'], 'u': ['mi']}
    """
    out: dict[str, list[str]] = {}
    if scenario.points:
        out["at"] = [encode_point(p) for p in scenario.points]
    if scenario.weapon_ids:
        out["w"] = [",".join(scenario.weapon_ids)]
    if scenario.custom:
        out["c"] = [encode_custom(s) for s in scenario.custom]
    if scenario.unit != "km":
        out["u"] = [scenario.unit]
    if scenario.target:
        out["t"] = [scenario.target]
    if scenario.zones:
        out["z"] = list(scenario.zones)
    if not scenario.borders:
        out["b"] = ["0"]
    return out


def shareable_spec(zone: Zone) -> str | None:
    """A ``z`` value for a zone from a file, or None if it is too detailed for a link.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> shareable_spec(Zone("line", "front", LineString([(35.0, 48.0), (37.0, 48.5)])))
    'line:48.0000,35.0000;48.5000,37.0000~front'
    """
    geom = zone.geometry
    if geom.geom_type == "LineString":
        kind, coords = "line", list(geom.coords)
    elif geom.geom_type == "Polygon" and not geom.interiors:
        kind, coords = "area", list(geom.exterior.coords)[:-1]
    else:
        return None
    if len(coords) > MAX_ZONE_VERTICES:
        return None
    label = zone.label[:MAX_LABEL_CHARS].replace("~", "-")
    spec = f"{kind}:" + ";".join(format_latlon(lat, lon).replace(" ", "") for lon, lat in coords)
    return f"{spec}~{label}" if label else spec
