"""The weapons catalog: typed, immutable records loaded from JSON.

``data/weapons.json`` is validated in one pass; every problem is reported at
once with its JSON path and the bad value, e.g.
``weapons[3].range_km: expected a number > 0, got -5``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

from geo.core.rings import MAX_RANGE_KM, MIN_RANGE_KM
from geo.core.text import INVISIBLE, shorten
from geo.errors import CatalogError, InputError

#: The catalog shipped with the package (``data/weapons.json``, packaged as ``geo.data``).
DEFAULT_CATALOG: Final = "weapons.json"

#: The environment variable naming a catalog file to use instead of the shipped one.
CATALOG_ENV: Final = "WRM_CATALOG"
#: Largest catalog file read, in bytes (the shipped one is about 40 kB).
MAX_CATALOG_BYTES: Final = 2_000_000
#: Longest text field (a note); names and titles are much shorter in practice.
MAX_TEXT_CHARS: Final = 4_000
#: Longest number literal read as a number (JSON allows any length; Python's int
#: refuses 4,300 digits and float() overflows past 309).
_MAX_NUMBER_CHARS: Final = 40

ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CATEGORIES: Final = frozenset(
    {
        "short-range ballistic missile",
        "cruise missile",
        "air-launched cruise missile",
        "air-launched ballistic missile",
        "guided rocket",
        "anti-ship/land-attack cruise missile",
    }
)


@dataclass(frozen=True)
class Source:
    """A published source for a figure."""

    title: str
    publisher: str
    url: str
    date: dt.date


@dataclass(frozen=True)
class Weapon:
    """One variant of a weapon system with its publicly reported nominal range."""

    id: str
    name: str
    aliases: tuple[str, ...]
    family: str
    category: str
    range_km: float
    range_reported: str
    platforms: tuple[str, ...]
    air_launched: bool
    origin: str
    manufacturer: str
    supplied_by: str | None
    as_of: dt.date
    sources: tuple[Source, ...]
    notes: str
    min_range_km: float = 0.0

    @property
    def primary_source(self) -> Source:
        """The first (strongest) source listed."""
        return self.sources[0]


@dataclass(frozen=True)
class Catalog:
    """An ordered, read-only collection of weapons, looked up by id."""

    weapons: tuple[Weapon, ...]
    as_of: dt.date
    path: str

    def __iter__(self) -> Iterator[Weapon]:
        return iter(self.weapons)

    def __len__(self) -> int:
        return len(self.weapons)

    def __contains__(self, weapon_id: object) -> bool:
        return any(w.id == weapon_id for w in self.weapons)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(w.id for w in self.weapons)

    def get(self, weapon_id: str) -> Weapon:
        """Return the weapon with this id.

        Raises
        ------
        InputError
            Naming the unknown id and the known ones.
        """
        for weapon in self.weapons:
            if weapon.id == weapon_id:
                return weapon
        raise InputError(f"unknown weapon id {shorten(repr(weapon_id), 80)}; known ids: {', '.join(self.ids)}")


_WEAPON_KEYS: Final = {
    "id": True,
    "name": True,
    "aliases": True,
    "family": True,
    "category": True,
    "range_km": True,
    "range_reported": True,
    "min_range_km": False,
    "platforms": True,
    "air_launched": True,
    "origin": True,
    "manufacturer": True,
    "supplied_by": True,
    "as_of": True,
    "sources": True,
    "notes": True,
}
_SOURCE_KEYS: Final = ("title", "publisher", "url", "date")
_TOP_KEYS: Final = {"schema_version": True, "as_of": True, "weapons": True}


def _show(value: Any) -> str:
    """A bad value as an error message quotes it: its repr, at most 80 characters."""
    if isinstance(value, _LongNumber):
        return f"a number written with {len(value):,} characters ({value[:12]}…)"
    return shorten(repr(value), 80)


class _LongNumber(str):
    """A number literal too long to be a range (kept as its text, reported by the checker)."""


def _parse_int(text: str) -> int | _LongNumber:
    return _LongNumber(text) if len(text) > _MAX_NUMBER_CHARS else int(text)


def _parse_float(text: str) -> float | _LongNumber:
    return _LongNumber(text) if len(text) > _MAX_NUMBER_CHARS else float(text)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


class _Checker:
    """Collects every problem found, each with its JSON path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def keys(self, obj: Mapping[str, Any], spec: Mapping[str, bool], path: str) -> None:
        """Unknown and missing keys; ``path`` is empty at the top level."""
        for key in obj:
            if key not in spec:
                name = shorten(key, 40)
                self.fail(f"{path}.{name}" if path else name, f"unknown field (known: {', '.join(spec)})")
        for key, required in spec.items():
            if required and key not in obj:
                self.fail(f"{path}.{key}" if path else key, "missing")

    def clean(self, value: str, path: str) -> str:
        """A text field as shown to readers: no control or invisible characters, bounded length."""
        bad = INVISIBLE.search(value.replace("\n", " "))
        if bad:
            self.fail(path, f"contains the invisible or control character U+{ord(bad.group()):04X}: remove it")
            return ""
        if len(value) > MAX_TEXT_CHARS:
            self.fail(path, f"expected at most {MAX_TEXT_CHARS:,} characters, got {len(value):,}")
            return ""
        return value.strip()

    def text(self, obj: Mapping[str, Any], key: str, path: str, *, empty_ok: bool = False) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or isinstance(value, _LongNumber) or (not empty_ok and not value.strip()):
            if key in obj:
                self.fail(f"{path}.{key}", f"expected a non-empty string, got {_show(value)}")
            return ""
        return self.clean(value, f"{path}.{key}")

    def texts(self, obj: Mapping[str, Any], key: str, path: str, *, empty_ok: bool) -> tuple[str, ...]:
        value = obj.get(key)
        if key not in obj:
            return ()
        if not isinstance(value, list) or (not empty_ok and not value):
            self.fail(
                f"{path}.{key}", f"expected a {'' if empty_ok else 'non-empty '}list of strings, got {_show(value)}"
            )
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or isinstance(item, _LongNumber) or not item.strip():
                self.fail(f"{path}.{key}[{i}]", f"expected a non-empty string, got {_show(item)}")
            else:
                out.append(self.clean(item, f"{path}.{key}[{i}]"))
        return tuple(out)

    def distance(self, obj: Mapping[str, Any], key: str, path: str) -> float:
        """A range in km: finite, at least :data:`MIN_RANGE_KM` (10 m), at most :data:`MAX_RANGE_KM`."""
        value = obj.get(key)
        number = math.nan
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an integer past float's range
                number = math.inf
        if MIN_RANGE_KM <= number <= MAX_RANGE_KM:
            return number
        if key in obj:
            if isinstance(value, _LongNumber):
                self.fail(f"{path}.{key}", f"expected a range in km, got {_show(value)}")
            elif number > MAX_RANGE_KM:
                self.fail(
                    f"{path}.{key}", f"expected at most {MAX_RANGE_KM:g} (about half a meridian), got {_show(value)}"
                )
            elif 0 < number < MIN_RANGE_KM:
                self.fail(f"{path}.{key}", f"expected at least {MIN_RANGE_KM:g} km (10 m), got {_show(value)}")
            else:
                self.fail(f"{path}.{key}", f"expected a number > 0, got {_show(value)}")
        return math.nan

    def date(self, value: Any, path: str) -> dt.date:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"expected a date as YYYY-MM-DD, got {_show(value)}")
        return dt.date.min


def _parse_source(c: _Checker, raw: Any, path: str) -> Source | None:
    if not isinstance(raw, dict):
        c.fail(path, f"expected an object with {', '.join(_SOURCE_KEYS)}, got {_show(raw)}")
        return None
    c.keys(raw, dict.fromkeys(_SOURCE_KEYS, True), path)
    url = c.text(raw, "url", path)
    if url and not url.startswith(("https://", "http://")):
        c.fail(f"{path}.url", f"expected an http(s) URL, got {_show(url)}")
    date = c.date(raw.get("date"), f"{path}.date") if "date" in raw else dt.date.min
    return Source(c.text(raw, "title", path), c.text(raw, "publisher", path), url, date)


def _parse_weapon(c: _Checker, raw: Any, path: str) -> Weapon | None:
    if not isinstance(raw, dict):
        c.fail(path, f"expected an object, got {_show(raw)}")
        return None
    c.keys(raw, _WEAPON_KEYS, path)
    weapon_id = c.text(raw, "id", path)
    if weapon_id and not ID_PATTERN.match(weapon_id):
        c.fail(
            f"{path}.id",
            f"expected lowercase letters, digits and single hyphens (e.g. 'atacms-300'), got {_show(weapon_id)}",
        )
    category = c.text(raw, "category", path)
    if category and category not in CATEGORIES:
        c.fail(f"{path}.category", f"expected one of {sorted(CATEGORIES)}, got {_show(category)}")
    range_km = c.distance(raw, "range_km", path)
    min_range_km = 0.0
    if "min_range_km" in raw:
        min_range_km = c.distance(raw, "min_range_km", path)
        if min_range_km >= range_km:
            c.fail(f"{path}.min_range_km", f"expected less than range_km ({range_km:g}), got {min_range_km:g}")
    air_launched = raw.get("air_launched")
    if "air_launched" in raw and not isinstance(air_launched, bool):
        c.fail(f"{path}.air_launched", f"expected true or false, got {_show(air_launched)}")
    supplied_by = raw.get("supplied_by")
    if supplied_by is not None and (not isinstance(supplied_by, str) or not supplied_by.strip()):
        c.fail(f"{path}.supplied_by", f"expected a non-empty string or null, got {_show(supplied_by)}")
        supplied_by = None
    as_of = c.date(raw.get("as_of"), f"{path}.as_of") if "as_of" in raw else dt.date.min
    sources: list[Source] = []
    raw_sources = raw.get("sources")
    if "sources" in raw:
        if not isinstance(raw_sources, list) or not raw_sources:
            c.fail(f"{path}.sources", f"expected at least one source, got {_show(raw_sources)}")
        else:
            for i, item in enumerate(raw_sources):
                source = _parse_source(c, item, f"{path}.sources[{i}]")
                if source is not None:
                    sources.append(source)
    return Weapon(
        id=weapon_id,
        name=c.text(raw, "name", path),
        aliases=c.texts(raw, "aliases", path, empty_ok=True),
        family=c.text(raw, "family", path),
        category=category,
        range_km=range_km,
        range_reported=c.text(raw, "range_reported", path),
        min_range_km=min_range_km,
        platforms=c.texts(raw, "platforms", path, empty_ok=False),
        air_launched=bool(air_launched),
        origin=c.text(raw, "origin", path),
        manufacturer=c.text(raw, "manufacturer", path),
        supplied_by=c.clean(supplied_by, f"{path}.supplied_by") or None if isinstance(supplied_by, str) else None,
        as_of=as_of,
        sources=tuple(sources),
        notes=c.text(raw, "notes", path, empty_ok=True),
    )


def parse_catalog(data: Any, source: str = "catalog") -> Catalog:
    """Validate decoded catalog JSON and build the typed catalog.

    Raises
    ------
    CatalogError
        Listing every problem, each with its JSON path and the bad value.

    Examples
    --------
    >>> parse_catalog({"schema_version": 1, "as_of": "2026-11-25", "weapons": [{"id": "X"}]})
    Traceback (most recent call last):
    ...
    geo.errors.CatalogError: catalog: 15 problems
      weapons[0].name: missing
    ...
    """
    c = _Checker()
    if not isinstance(data, dict):
        raise CatalogError([f"(top level): expected an object with 'weapons', got {type(data).__name__}"], source)
    c.keys(data, _TOP_KEYS, "")
    if "schema_version" in data and data["schema_version"] != 1:
        c.fail("schema_version", f"expected 1, got {_show(data['schema_version'])}")
    as_of = c.date(data.get("as_of"), "as_of") if "as_of" in data else dt.date.min
    raw_weapons = data.get("weapons")
    weapons: list[Weapon] = []
    if not isinstance(raw_weapons, list) or not raw_weapons:
        c.fail("weapons", f"expected a non-empty list, got {_show(raw_weapons)}")
    else:
        seen: dict[str, int] = {}
        for i, raw in enumerate(raw_weapons):
            weapon = _parse_weapon(c, raw, f"weapons[{i}]")
            if weapon is None:
                continue
            if weapon.id and weapon.id in seen:
                c.fail(f"weapons[{i}].id", f"duplicate id {weapon.id!r} (first at weapons[{seen[weapon.id]}])")
            seen.setdefault(weapon.id, i)
            weapons.append(weapon)
    if c.problems:
        raise CatalogError(c.problems, source)
    return Catalog(tuple(weapons), as_of, source)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog file.

    Without ``path``, the file named by the environment variable
    :data:`CATALOG_ENV` (``WRM_CATALOG``) if it is set, else the shipped
    ``data/weapons.json``: a newsroom can run the app on its own catalog.

    Raises
    ------
    CatalogError
        If the file cannot be read, is not JSON, or fails validation.

    Examples
    --------
    >>> catalog = load_catalog()
    >>> catalog.get("atacms-300").range_km
    300.0
    """
    if path is None:
        path = os.environ.get(CATALOG_ENV) or None
    file: Traversable | Path = Path(path) if path is not None else resources.files("geo.data") / DEFAULT_CATALOG
    try:
        with file.open("rb") as f:
            raw = f.read(MAX_CATALOG_BYTES + 1)
    except OSError as exc:
        raise CatalogError([f"cannot read the file: {exc.strerror or exc}"], str(file)) from None
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError([f"the file is larger than {MAX_CATALOG_BYTES / 1e6:g} MB"], str(file))
    return parse_catalog_bytes(raw, str(file))


def parse_catalog_bytes(raw: bytes, source: str = "catalog") -> Catalog:
    """Decode and validate a catalog file's bytes (UTF-8, a byte-order mark allowed).

    Whatever the bytes, the result is a :class:`Catalog` or a
    :class:`CatalogError` naming what is wrong and where (tests/datasets/
    test_catalog.py fuzzes it).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError([f"line {line}: not UTF-8 (byte {exc.start:,}: 0x{raw[exc.start]:02x})"], source) from None
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise CatalogError([f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"], source) from None
    except RecursionError:
        raise CatalogError(["nested too deeply to be a catalog"], source) from None
    except ValueError as exc:  # NaN or Infinity
        raise CatalogError([f"not valid JSON: {exc}"], source) from None
    return parse_catalog(data, source)
