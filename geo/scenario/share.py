"""The share link: the page URL is the scenario.

Query parameters (DESIGN.md §5):

- ``at=lat,lon`` once per launch point, in order; an optional label follows a
  tilde: ``at=50.91,34.8~Sumy``. Any form :func:`geo.core.grid.parse_coordinates`
  reads (latitude/longitude, MGRS such as ``at=36UXB2654541359``, UTM) is accepted on the way in; the way out is decimal degrees with at most
  :data:`geo.core.coords.COORD_DECIMALS` places (about 1 m), trailing zeros dropped.
- A range fan (issue 12) follows as a last ``~`` part: ``at=50.91,34.8~Sumy~az60w90``
  is bearing 060°, full width 90° (060° ± 45°); ``at=50.91,34.8~~az60w90`` without
  a label. Links without it read as before (full rings). A label that itself
  ends like a sector is written with a closing ``~full``.
- ``w=id,id`` the catalog systems, comma-separated, in order.
- ``c=NAME:RANGE_KM`` or ``c=NAME:RANGE_KM:MIN_RANGE_KM`` once per custom
  system. The numbers are taken from the right; in the name, ``:`` and ``%``
  are written ``%3A`` and ``%25`` so that a name such as ``Variant:500``
  comes back as written. Numbers are written exactly (the shortest decimal
  that reads back as the same float).
- ``u=km|mi|nmi`` the unit; ``t=lat,lon`` or ``t=Place name`` the target.
- ``b=0`` hides the country borders and place names (shown by default).
- ``z=country:UA``, ``z=line:lat,lon;lat,lon;…`` or ``z=area:lat,lon;…``
  once per launch zone (optionally ``~label``). ``line`` and ``area`` are
  clicked on the map: their edges are straight on the Web Mercator map, as
  the user saw them (every link before issue 9 reads the same way).
  ``lonlat-line`` and ``lonlat-area`` carry a small uploaded file's line or
  area, whose edges are straight in (lon, lat) (RFC 7946 §3.1.1; see
  :mod:`geo.scenario.zones`). Uploaded files are not put in the link when
  they are larger than :data:`MAX_ZONE_VERTICES` points.
- ``l=detailed`` or ``l=off`` the ring labels (issue 12; compact, the default, is not written).
- ``v=lat,lon,zoom`` the map's view (centre and zoom).
- ``g=1`` the globe in the flat map's place (issue 12; links without it open the flat map).
- ``r=system-id`` or ``r=system-id:UA`` reverse reach: from where that
  system (one of the link's systems) reaches the target, optionally only
  inside a country (an ISO code; :mod:`geo.analysis.reverse`).
- ``d=YYYY-MM-DD`` the story step: the date of a dated event in
  ``data/events.json`` (:mod:`geo.scenario.story`). Links without it are read
  as before.

:func:`encode_query` and :func:`decode_query` are inverse: every scenario the
app can build comes back equal from its link (tests/scenario/test_share.py
checks it over generated scenarios). Decoding never fails: whatever cannot be
used is dropped and named in a warning, and everything valid is kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote, urlencode

from geo.core.coords import compact_latlon, parse_latlon, round_coord
from geo.core.edges import EdgeMeaning
from geo.core.grid import parse_coordinates
from geo.core.sectors import Sector
from geo.core.text import clean_label, shorten
from geo.core.units import UNITS
from geo.datasets.catalog import Catalog
from geo.datasets.events import event_dates
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
from geo.scenario.zones import Zone, zone_from_country, zone_from_latlons

__all__ = [
    "MAX_FIELDS",
    "MAX_QUERY_CHARS",
    "MAX_ZONE_VERTICES",
    "Decoded",
    "decode_custom",
    "decode_point",
    "decode_query",
    "decode_reverse",
    "decode_step",
    "decode_view",
    "decode_zone",
    "encode_custom",
    "encode_point",
    "encode_query",
    "encode_reverse",
    "encode_view",
    "query_string",
    "shareable",
]

#: Points of a drawn or uploaded zone that a link may carry.
MAX_ZONE_VERTICES: Final = 100
#: Streamlit drops the whole query string past this many fields (``&``-separated parts)
#: or :data:`MAX_QUERY_CHARS` characters; the page says so. Streamlit 1.67's own limits
#: (tests/app/test_app.py checks them against streamlit.runtime.state.query_params).
MAX_FIELDS: Final = 1000
MAX_QUERY_CHARS: Final = 512 * 1024
_MAX_PARAM_CHARS: Final = 200
_MAX_ZONE_CHARS: Final = MAX_ZONE_VERTICES * 24
#: Characters the share link leaves unescaped (they read well and mean nothing to a URL's query).
SAFE_CHARS: Final = ",~:;"


@dataclass(frozen=True)
class Decoded:
    """A scenario read from a link, and what was dropped from it."""

    scenario: Scenario
    warnings: tuple[str, ...] = ()


def _short(text: str, limit: int = 40) -> str:
    return shorten(text, limit)


def decode_point(text: str) -> LaunchPoint:
    """Read one ``at`` value: ``lat,lon`` with an optional ``~label``.

    Examples
    --------
    >>> decode_point("50.9,34.8~Sumy")
    LaunchPoint(lat=50.9, lon=34.8, label='Sumy')
    >>> decode_point("36UXB2654541359~Sumy")
    LaunchPoint(lat=50.91, lon=34.8, label='Sumy')
    """
    coords, _, label = text.partition("~")
    p = parse_coordinates(coords)
    sector = None
    head, tilde, tail = label.rpartition("~")
    if tilde:
        if tail == _FULL_RING:
            label = head
        else:
            sector = Sector.parse_link(tail)
            if sector is not None:
                label = head
            elif _SECTOR_LIKE.match(tail):
                raise InputError(f"sector {_short(tail)!r}: expected az<bearing>w<width>, e.g. az60w90")
    return LaunchPoint.at(round_coord(p.lat), round_coord(p.lon), label, sector)


def encode_point(point: LaunchPoint) -> str:
    """Write one ``at`` value.

    Examples
    --------
    >>> encode_point(LaunchPoint(50.9, 34.8, "Sumy"))
    '50.9,34.8~Sumy'
    """
    text = compact_latlon(point.lat, point.lon)
    if point.sector is not None:
        return f"{text}~{point.label}~{point.sector.link()}"
    _, tilde, tail = point.label.rpartition("~")
    if tilde and (tail == _FULL_RING or _SECTOR_LIKE.match(tail)):
        return f"{text}~{point.label}~{_FULL_RING}"  # a label that ends like a sector: say there is none
    return f"{text}~{point.label}" if point.label else text


#: The last ``~`` part of an ``at`` value that reads as "no sector" (only written after a label that ends like one).
_FULL_RING: Final = "full"
_SECTOR_LIKE: Final = re.compile(r"^az[0-9.eE+-]*w[0-9.eE+-]*$")


def _number(value: float) -> str:
    """The shortest decimal that reads back as the same float: 300.0 → '300', 299.9999 → '299.9999'."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def decode_custom(text: str) -> System:
    """Read one ``c`` value: ``NAME:RANGE_KM[:MIN_RANGE_KM]``.

    Examples
    --------
    >>> s = decode_custom("My <b>rocket</b>:120:10")
    >>> s.name, s.range_km, s.min_range_km
    ('My <b>rocket</b>', 120.0, 10.0)
    >>> decode_custom("Variant%3A500:100").name  # a colon in the name, written %3A
    'Variant:500'
    """
    parts = text.rsplit(":", 2)
    numbers: list[float] = []
    # Take numbers from the right; the rest is the name.
    while len(parts) > 1:
        try:
            value = float(parts[-1])
        except ValueError:
            break
        if not math.isfinite(value):
            break
        numbers.insert(0, value)
        parts.pop()
        if len(numbers) == 2:
            break
    name = unquote(":".join(parts))
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
    >>> encode_custom(System.custom("Variant:500", 299.9999))
    'Variant%3A500:299.9999'
    """
    name = system.name.replace("%", "%25").replace(":", "%3A")
    text = f"{name}:{_number(system.range_km)}"
    return f"{text}:{_number(system.min_range_km)}" if system.min_range_km else text


@functools.lru_cache(maxsize=128)
def decode_zone(text: str) -> Zone:
    """Read one ``z`` value into a launch zone (its ``spec`` is the normalised value).

    Raises
    ------
    InputError
        Naming what is wrong (unknown country, too few points…).

    Examples
    --------
    >>> zone = decode_zone("country:ua")
    >>> zone.spec, zone.label
    ('country:UA', 'Ukraine')
    >>> decode_zone("line:48,35;48.5,37~front").spec
    'line:48,35;48.5,37~front'
    >>> decode_zone("line:48,35;48.5,37").edges, decode_zone("lonlat-line:48,35;48.5,37").edges
    ('mercator', 'lonlat')
    """
    body, _, label = text.partition("~")
    kind, sep, rest = body.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in ("country", "line", "area", "lonlat-line", "lonlat-area"):
        raise InputError(
            f"launch zone {_short(text)!r}: expected country:ISO2, line:lat,lon;…, area:lat,lon;… "
            "(or lonlat-line:…, lonlat-area:…)"
        )
    if kind == "country":
        return zone_from_country(rest.strip())
    parts = [p for p in rest.split(";") if p.strip()]
    if len(parts) > MAX_ZONE_VERTICES:
        raise InputError(f"launch zone {_short(text)!r}: at most {MAX_ZONE_VERTICES} points in a link")
    latlons = [parse_coordinates(p) for p in parts]
    edges: EdgeMeaning = "lonlat" if kind.startswith("lonlat-") else "mercator"
    return zone_from_latlons(latlons, closed=kind.endswith("area"), label=label, edges=edges)


def shareable(zone: Zone) -> Zone:
    """The zone as a link carries it, when it can: read back from its ``z`` value, so that the
    scenario and its link hold the same zone; the zone itself (``spec`` None) when it is
    larger than :data:`MAX_ZONE_VERTICES` points, has holes or several parts.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> shareable(Zone("line", "front", LineString([(35.0, 48.0), (37.0, 48.5)]))).spec
    'lonlat-line:48,35;48.5,37~front'
    """
    if zone.spec is not None:
        return zone
    geom = zone.geometry
    if geom.geom_type == "LineString":
        kind, coords = "line", list(geom.coords)
    elif geom.geom_type == "Polygon" and not geom.interiors:
        kind, coords = "area", list(geom.exterior.coords)[:-1]
    else:
        return zone
    if len(coords) > MAX_ZONE_VERTICES:
        return zone
    if zone.edges == "lonlat":
        kind = f"lonlat-{kind}"
    elif zone.edges != "mercator":
        return zone
    label = clean_label(zone.label).replace("~", "-")
    spec = f"{kind}:" + ";".join(compact_latlon(lat, lon) for lon, lat in coords) + (f"~{label}" if label else "")
    try:
        return decode_zone(spec)
    except InputError:
        return zone


def decode_view(text: str) -> View:
    """Read the ``v`` value: ``lat,lon,zoom``.

    Examples
    --------
    >>> decode_view("51,35.6,6")
    View(lat=51.0, lon=35.6, zoom=6)
    """
    parts = text.split(",")
    if len(parts) != 3:
        raise InputError("expected lat,lon,zoom")
    p = parse_latlon(f"{parts[0]},{parts[1]}")
    try:
        zoom = int(parts[2])
    except ValueError:
        raise InputError("the zoom must be a whole number from 1 to 18") from None
    return View.at(round_coord(p.lat), round_coord(p.lon), zoom)


def encode_view(view: View) -> str:
    """Write the ``v`` value.

    Examples
    --------
    >>> encode_view(View(51.0, 35.6, 6))
    '51,35.6,6'
    """
    return f"{compact_latlon(view.lat, view.lon)},{view.zoom}"


def decode_query(params: Mapping[str, Sequence[str]], catalog: Catalog) -> Decoded:
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
    Decoded
        The scenario, with ``warnings`` naming each dropped value.

    Examples
    --------
    >>> from geo.datasets.catalog import load_catalog
    >>> d = decode_query({"at": ["50.9,34.8", "95,10"], "w": ["atacms-300,nope"]}, load_catalog())
    >>> len(d.scenario.points), d.scenario.catalog_ids
    (1, ('atacms-300',))
    >>> for w in d.warnings: print(w)
    Ignored launch point '95,10': latitude 95 is outside -90…90 (lat/lon swapped? 10, 95 would be valid)
    Ignored unknown system 'nope'
    """
    warnings: list[str] = []
    points: list[LaunchPoint] = []
    for raw in params.get("at", []):
        if len(raw) > _MAX_PARAM_CHARS:  # refused, not cut: a cut value can mean something else
            warnings.append(f"Ignored launch point {_short(raw)!r}: longer than {_MAX_PARAM_CHARS} characters")
            continue
        try:
            point = decode_point(raw)
        except InputError as exc:
            warnings.append(f"Ignored launch point {_short(raw)!r}: {exc}")
            continue
        if len(points) >= MAX_POINTS:
            warnings.append(f"Ignored launch point {_short(raw)!r}: at most {MAX_POINTS} launch points")
            continue
        points.append(point)

    systems: list[System] = []
    for raw in params.get("w", []):
        if len(raw) > _MAX_PARAM_CHARS * 4:
            warnings.append(f"Ignored systems {_short(raw)!r}: longer than {_MAX_PARAM_CHARS * 4} characters")
            continue
        for weapon_id in raw.split(","):
            weapon_id = weapon_id.strip()
            if not weapon_id or any(s.id == weapon_id for s in systems):
                continue
            if weapon_id not in catalog:
                warnings.append(f"Ignored unknown system {_short(weapon_id)!r}")
            elif len(systems) >= MAX_SYSTEMS:
                warnings.append(f"Ignored system {_short(weapon_id)!r}: at most {MAX_SYSTEMS} systems")
            else:
                systems.append(System.from_weapon(catalog.get(weapon_id)))

    for raw in params.get("c", []):
        if len(raw) > _MAX_PARAM_CHARS:
            warnings.append(f"Ignored custom system {_short(raw)!r}: longer than {_MAX_PARAM_CHARS} characters")
            continue
        try:
            system = decode_custom(raw)
        except InputError as exc:
            warnings.append(f"Ignored {exc}")
            continue
        if len(systems) >= MAX_SYSTEMS:
            warnings.append(f"Ignored custom system {_short(raw)!r}: at most {MAX_SYSTEMS} systems")
        elif any(s.id == system.id for s in systems):
            continue
        else:
            systems.append(system)

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
        if len(targets[-1]) > _MAX_PARAM_CHARS:
            warnings.append(f"Ignored target {_short(targets[-1])!r}: longer than {_MAX_PARAM_CHARS} characters")
        else:
            target = clean_label(targets[-1])

    zones: list[Zone] = []
    for raw in params.get("z", []):
        if len(raw) > _MAX_ZONE_CHARS:
            warnings.append(f"Ignored launch zone {_short(raw)!r}: longer than {_MAX_ZONE_CHARS:,} characters")
            continue
        try:
            zone = decode_zone(raw)
        except InputError as exc:
            message = str(exc)
            prefix = "" if message.startswith("launch zone") else f"launch zone {_short(raw)!r}: "
            warnings.append(f"Ignored {prefix}{message}")
            continue
        if len(zones) >= MAX_ZONES:
            warnings.append(f"Ignored launch zone {_short(raw)!r}: at most {MAX_ZONES} launch zones")
        elif all(z.spec != zone.spec for z in zones):
            zones.append(zone)

    view = None
    views = params.get("v", [])
    if views:
        try:
            if len(views[-1]) > _MAX_PARAM_CHARS:
                raise InputError(f"longer than {_MAX_PARAM_CHARS} characters")
            view = decode_view(views[-1])
        except InputError as exc:
            warnings.append(f"Ignored view {_short(views[-1])!r}: {exc}")

    step = None
    steps = params.get("d", [])
    if steps:
        step, problem = decode_step(steps[-1])
        if problem:
            warnings.append(problem)

    reverse = None
    reverses = params.get("r", [])
    if reverses:
        try:
            reverse = decode_reverse(reverses[-1], [s.id for s in systems])
        except InputError as exc:
            warnings.append(f"Ignored reverse reach {_short(reverses[-1])!r}: {exc}")

    labels = "compact"
    label_values = params.get("l", [])
    if label_values:
        if label_values[-1] in LABEL_MODES:
            labels = label_values[-1]
        else:
            warnings.append(f"Ignored labels {_short(label_values[-1])!r}: expected one of {', '.join(LABEL_MODES)}")

    borders = params.get("b", ["1"])[-1] != "0"
    globe = False
    globes = params.get("g", [])
    if globes:
        if globes[-1] in ("0", "1"):
            globe = globes[-1] == "1"
        else:
            warnings.append(f"Ignored view {_short(globes[-1])!r}: g=1 shows the globe, g=0 the flat map")
    scenario = Scenario(
        points=tuple(points),
        zones=tuple(zones),
        systems=tuple(s for s in systems if not s.is_custom) + tuple(s for s in systems if s.is_custom),
        unit=unit,  # type: ignore[arg-type]
        target=target,
        borders=borders,
        view=view,
        step=step,
        labels=labels,  # type: ignore[arg-type]
        reverse=reverse,
        globe=globe,
    )
    return Decoded(scenario, tuple(warnings))


def decode_reverse(text: str, system_ids: Sequence[str]) -> ReverseQuery:
    """Read the ``r`` value: ``system-id`` or ``system-id:COUNTRY``, the system one of ``system_ids``.

    Examples
    --------
    >>> decode_reverse("atacms-300:ua", ["atacms-300"])
    ReverseQuery(system_id='atacms-300', country='UA')
    >>> decode_reverse("kalibr", ["atacms-300"])
    Traceback (most recent call last):
    ...
    geo.errors.InputError: no system 'kalibr' in this link
    """
    if len(text) > _MAX_PARAM_CHARS:
        raise InputError(f"longer than {_MAX_PARAM_CHARS} characters")
    system_id, _, code = text.strip().partition(":")
    if system_id not in system_ids:
        raise InputError(f"no system {_short(system_id)!r} in this link")
    return ReverseQuery.at(system_id, code)


def encode_reverse(reverse: ReverseQuery) -> str:
    """The ``r`` value (:func:`decode_reverse` reads it back)."""
    return f"{reverse.system_id}:{reverse.country}" if reverse.country else reverse.system_id


def decode_step(text: str) -> tuple[dt.date | None, str]:
    """Read the ``d`` value: the date of a story step; (None, the warning) when it names none.

    Examples
    --------
    >>> decode_step("2024-11-19")
    (datetime.date(2024, 11, 19), '')
    >>> decode_step("2024-11-18")[1]
    "Ignored story step '2024-11-18': no dated event on that day (the story's dates run from 2022-06-01 to 2025-09-26)"
    """
    dates = event_dates()
    span = f"the story's dates run from {dates[0].isoformat()} to {dates[-1].isoformat()}"
    try:
        day = dt.date.fromisoformat(text.strip()) if len(text) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        return None, f"Ignored story step {_short(text)!r}: expected a date as YYYY-MM-DD ({span})"
    if day not in dates:
        return None, f"Ignored story step {_short(text)!r}: no dated event on that day ({span})"
    return day, ""


def encode_query(scenario: Scenario) -> dict[str, list[str]]:
    """Query parameters for a scenario; empty parts are left out.

    Examples
    --------
    >>> from geo.datasets.catalog import load_catalog
    >>> catalog = load_catalog()
    >>> s = Scenario(points=(LaunchPoint(50.91, 34.8),), systems=(System.from_weapon(catalog.get("atacms-300")),), unit="mi")
    >>> encode_query(s)
    {'at': ['50.91,34.8'], 'w': ['atacms-300'], 'u': ['mi']}
    """
    out: dict[str, list[str]] = {}
    if scenario.points:
        out["at"] = [encode_point(p) for p in scenario.points]
    if scenario.catalog_ids:
        out["w"] = [",".join(scenario.catalog_ids)]
    if scenario.custom_systems:
        out["c"] = [encode_custom(s) for s in scenario.custom_systems]
    if scenario.unit != "km":
        out["u"] = [scenario.unit]
    if scenario.target:
        out["t"] = [scenario.target]
    shared = [z.spec for z in scenario.zones if z.spec]
    if shared:
        out["z"] = shared
    if not scenario.borders:
        out["b"] = ["0"]
    if scenario.view is not None:
        out["v"] = [encode_view(scenario.view)]
    if scenario.globe:
        out["g"] = ["1"]
    if scenario.step is not None:
        out["d"] = [scenario.step.isoformat()]
    if scenario.labels != "compact":
        out["l"] = [scenario.labels]
    if scenario.reverse is not None:
        out["r"] = [encode_reverse(scenario.reverse)]
    return out


def query_string(scenario: Scenario) -> str:
    """The scenario as a URL query string (without the ``?``).

    Examples
    --------
    >>> query_string(Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy & co"),)))
    'at=50.91,34.8~Sumy+%26+co'
    """
    return urlencode(encode_query(scenario), doseq=True, safe=SAFE_CHARS)
