"""The weapons catalog: typed, immutable records loaded from JSON.

``data/weapons.json`` is validated in one pass; every problem is reported at
once with its JSON path and the bad value, e.g.
``weapons[3].range_km: expected a number > 0, got -5``.

Schema version 2 (``docs/catalog-schema.md`` documents every field) adds, per
weapon, the sentence saying why the drawn figure is drawn (``drawn_because``)
and the reported ``span`` (lowest and highest figure, each with who claims it
and the index of the source quoting it); per source, the ``quote`` the figure
rests on and ``reprint_of`` for a republication. Version 1 files (a
newsroom's own catalog) still load, without those.
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
        "intermediate-range ballistic missile",
        "long-range attack drone",
    }
)
#: Schema versions read: 1 (figures and sources) and 2 (quotes, spans, the reason for each figure).
SCHEMA_VERSIONS: Final = (1, 2)
#: Wire services whose stories subscribing papers print as they are: a marked reprint of one of
#: these may be an entry's first source when no copy on the agency's own site is stored, since the
#: text is the agency's own (Liutyi: Kyodo's story as Gifu Shimbun, a Kyodo member paper, printed
#: it). A reprint of anyone else never comes first: cite the original, or a primary source.
WIRE_SERVICES: Final = frozenset(
    {"Associated Press", "AFP", "Reuters", "Kyodo News", "DPA", "ANSA", "Yonhap News Agency", "askanews"}
)


@dataclass(frozen=True)
class Source:
    """A published source for a figure."""

    title: str
    publisher: str
    url: str
    date: dt.date
    #: The source's exact words the figure rests on (schema 2).
    quote: str = ""
    #: The original publisher when this is a republication (``publisher`` then says "X (via Y)").
    reprint_of: str | None = None


@dataclass(frozen=True)
class Span:
    """The lowest and highest figure reported, each with who claims it and the source quoting it."""

    low_km: float
    low_by: str
    low_source: int
    high_km: float
    high_by: str
    high_source: int


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
    #: One plain sentence: why this figure is the one drawn (schema 2).
    drawn_because: str = ""
    span: Span | None = None

    @property
    def primary_source(self) -> Source:
        """The first (strongest) source listed."""
        return self.sources[0]

    @property
    def disputed(self) -> bool:
        """Whether sources give figures other than the one drawn."""
        return self.span is not None and (self.span.low_km < self.range_km or self.span.high_km > self.range_km)


def span_text(weapon: Weapon, unit: str = "km") -> str:
    """The drawn figure beside the reported span, where sources disagree; "" where they do not.

    Every page and export that states a figure calls this, so that they all say the same.

    Examples
    --------
    >>> span_text(load_catalog().get("kh-101"))
    'drawn: 4,500 km · claims up to 5,500 km'
    >>> span_text(load_catalog().get("kn-23"), "mi")
    'drawn: 559 mi · reported as low as 373 mi'
    >>> span_text(load_catalog().get("atacms-300"))
    ''
    """
    from geo.core.units import format_distance

    span = weapon.span
    if span is None or not weapon.disputed:
        return ""
    low, high = (format_distance(km, unit) for km in (span.low_km, span.high_km))
    if span.low_km < weapon.range_km and span.high_km > weapon.range_km:
        claims = f"reported from {low} to {high}"
    elif span.high_km > weapon.range_km:
        claims = f"claims up to {high}"
    else:
        claims = f"reported as low as {low}"
    return f"drawn: {format_distance(weapon.range_km, unit)} · {claims}"


def citation(weapon: Weapon) -> str:
    """The short citation exports print for a catalog figure: the first source, the span where
    sources disagree and why the figure is drawn, e.g. ``CNN, 2023-07-11 (drawn: 250 km · claims
    up to 560 km)``.
    """
    src = weapon.primary_source
    span = span_text(weapon)
    return f"{src.publisher}, {src.date.isoformat()}" + (f" ({span})" if span else "")


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
    "drawn_because": False,
    "span": False,
}
_SOURCE_KEYS: Final = ("title", "publisher", "url", "date")
_SOURCE_KEYS_V2: Final = {
    "title": True,
    "publisher": True,
    "url": True,
    "date": True,
    "quote": True,
    "reprint_of": False,
}
_SPAN_KEYS: Final = {k: True for k in ("low_km", "low_by", "low_source", "high_km", "high_by", "high_source")}
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


class Checker:
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


def parse_source(c: Checker, raw: Any, path: str, *, version: int = 2) -> Source | None:
    """One source object (also used by the dated events, :mod:`geo.datasets.events`)."""
    if not isinstance(raw, dict):
        c.fail(path, f"expected an object with {', '.join(_SOURCE_KEYS)}, got {_show(raw)}")
        return None
    c.keys(raw, _SOURCE_KEYS_V2 if version >= 2 else dict.fromkeys(_SOURCE_KEYS, True), path)
    url = c.text(raw, "url", path)
    if url and not url.startswith(("https://", "http://")):
        c.fail(f"{path}.url", f"expected an http(s) URL, got {_show(url)}")
    date = c.date(raw.get("date"), f"{path}.date") if "date" in raw else dt.date.min
    reprint_of = c.text(raw, "reprint_of", path) or None if "reprint_of" in raw else None
    return Source(
        c.text(raw, "title", path),
        c.text(raw, "publisher", path),
        url,
        date,
        quote=c.text(raw, "quote", path) if version >= 2 else "",
        reprint_of=reprint_of,
    )


def _source_index(c: Checker, obj: Mapping[str, Any], key: str, path: str, n_sources: int) -> int:
    value = obj.get(key)
    if key not in obj:
        return -1
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < n_sources:
        c.fail(f"{path}.{key}", f"expected the index of one of this entry's {n_sources} sources, got {_show(value)}")
        return -1
    return value


def _parse_span(c: Checker, raw: Any, path: str, range_km: float, n_sources: int) -> Span | None:
    if not isinstance(raw, dict):
        c.fail(path, f"expected an object with {', '.join(_SPAN_KEYS)}, got {_show(raw)}")
        return None
    c.keys(raw, _SPAN_KEYS, path)
    low, high = c.distance(raw, "low_km", path), c.distance(raw, "high_km", path)
    if low > range_km:
        c.fail(f"{path}.low_km", f"expected at most range_km ({range_km:g}), got {low:g}")
    if high < range_km:
        c.fail(f"{path}.high_km", f"expected at least range_km ({range_km:g}), got {high:g}")
    return Span(
        low_km=low,
        low_by=c.text(raw, "low_by", path),
        low_source=_source_index(c, raw, "low_source", path, n_sources),
        high_km=high,
        high_by=c.text(raw, "high_by", path),
        high_source=_source_index(c, raw, "high_source", path, n_sources),
    )


def _parse_weapon(c: Checker, raw: Any, path: str, version: int) -> Weapon | None:
    if not isinstance(raw, dict):
        c.fail(path, f"expected an object, got {_show(raw)}")
        return None
    c.keys(raw, {**_WEAPON_KEYS, "drawn_because": True} if version >= 2 else _WEAPON_KEYS, path)
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
                source = parse_source(c, item, f"{path}.sources[{i}]", version=version)
                if source is not None:
                    sources.append(source)
    first = sources[0] if sources else None
    if first is not None and first.reprint_of is not None and first.reprint_of not in WIRE_SERVICES:
        c.fail(
            f"{path}.sources[0].reprint_of",
            f"the first source is the one the figure is cited to: cite the original, not a reprint "
            f"(a reprint of a wire service may come first; got {_show(first.reprint_of)})",
        )
    span = None
    if "span" in raw:
        span = _parse_span(c, raw["span"], f"{path}.span", range_km, len(raw_sources or []))
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
        drawn_because=c.text(raw, "drawn_because", path),
        span=span,
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
    c = Checker()
    if not isinstance(data, dict):
        raise CatalogError([f"(top level): expected an object with 'weapons', got {type(data).__name__}"], source)
    c.keys(data, _TOP_KEYS, "")
    version = data.get("schema_version")
    if "schema_version" in data and (
        version not in SCHEMA_VERSIONS or isinstance(version, bool) or not isinstance(version, int)
    ):
        c.fail("schema_version", f"expected 1 or 2, got {_show(data['schema_version'])}")
        version = 2
    if not isinstance(version, int):
        version = 2
    as_of = c.date(data.get("as_of"), "as_of") if "as_of" in data else dt.date.min
    raw_weapons = data.get("weapons")
    weapons: list[Weapon] = []
    if not isinstance(raw_weapons, list) or not raw_weapons:
        c.fail("weapons", f"expected a non-empty list, got {_show(raw_weapons)}")
    else:
        seen: dict[str, int] = {}
        for i, raw in enumerate(raw_weapons):
            weapon = _parse_weapon(c, raw, f"weapons[{i}]", version)
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
