"""Regions by name: Natural Earth admin-1 (oblasts, provinces, states), offline, one typo forgiven.

Journalists type regions as they read them: "Kursk oblast", "Belgorod
region", "Crimea", "Курская область", and sometimes "Kurks". The data are
Natural Earth's 10m admin-1 states and provinces (public domain; the credit
the app shows for Natural Earth covers them), reduced to names, a label
point and a bounding box in ``data/admin1.json.gz`` (260 KB; built by
``data/tools/admin1.py``). Each region's country is the German
point-of-view admin-0 unit that holds its label point, as the app's
borders draw it (Crimea and Sevastopol in Ukraine; Natural Earth's admin-1
file lists them under Russia).

Names are compared as :func:`geo.datasets.gazetteer.normalize_name` folds
them, without the words that say what kind of region it is (oblast, region,
province, krai, republic, область, …, and one-typo forms of them), with
Russian and Ukrainian adjectival endings cut ("Курская" → "курск"). When no
name matches exactly, names one edit away (an insertion, deletion,
substitution or swap of two neighbours: optimal string alignment) are
found with rapidfuzz.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from geo.datasets.gazetteer import MAX_QUERY_CHARS, country_name, normalize_name, split_country

__all__ = ["Region", "region_asked", "regions", "resolve_region", "search_regions"]

#: Words that say what kind of region a name is: dropped from names and queries.
KIND_WORDS: Final = frozenset(
    [
        "oblast",
        "oblasti",
        "obl",
        "region",
        "province",
        "provincia",
        "krai",
        "kray",
        "okrug",
        "autonomous",
        "republic",
        "respublika",
        "avtonomna",
        "of",
        "the",
        "city",
        "misto",
        "gorod",
        "state",
        "raion",
        "rayon",
        "область",
        "обл",
        "край",
        "республика",
        "республіка",
        "автономна",
        "автономная",
        "округ",
        "місто",
        "город",
    ]
)
#: Of those, the ones that ask for a region rather than a city.
_REGION_WORDS: Final = ("obl", "reg", "pro", "kra", "обл", "кра", "rep", "рес")
_CITY_WORDS: Final = frozenset({"city", "misto", "gorod", "місто", "город"})
_ADJECTIVE: Final = re.compile(r"(ская|ська|цкая|цька|ский|ський|ий|ый|ая)$")
#: Names shorter than this are not matched with a typo ("Ufa" is not "Uda").
_MIN_TYPO_CHARS: Final = 4


@dataclass(frozen=True)
class Region:
    """One admin-1 region: a name, its country, a label point and a box."""

    code: str
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]
    matched_name: str = ""
    typo: bool = False

    @property
    def country_name(self) -> str:
        return country_name(self.country_code)

    @property
    def label(self) -> str:
        """``Kursk region, Russia``: a text :func:`resolve_region` reads back to this region."""
        return f"{self.name} region, {self.country_name}"

    @property
    def description(self) -> str:
        """``Kursk — region, Russia`` (with the kind Natural Earth gives, and the spelling matched)."""
        kind = self.kind.split("|")[0].lower() or "region"
        also = f" (“{self.matched_name}”)" if self.matched_name and self.matched_name != self.name else ""
        return f"{self.name}{also} — {kind}, {self.country_name}"


def _is_kind_word(word: str) -> bool:
    return word in KIND_WORDS or (
        len(word) >= 5 and any(len(k) >= 5 and OSA.distance(word, k, score_cutoff=1) <= 1 for k in KIND_WORDS)
    )


def _core(text: str) -> str:
    """The name without its kind words: ``"Kursk oblast"`` → ``"kursk"``."""
    words = normalize_name(text).split()
    kept = [w for w in words if not _is_kind_word(w)]
    return " ".join(kept or words)


def _keys(text: str) -> set[str]:
    core = _core(text)
    return {k for k in (core, _ADJECTIVE.sub("", core)) if len(k) >= 3}


def region_asked(text: str) -> bool:
    """Whether the query says it wants a region ("Kursk oblast", "Belgorod region").

    Examples
    --------
    >>> region_asked("Kursk oblast"), region_asked("Kursk")
    (True, False)
    """
    return _asks_for(text) == "region"


def _asks_for(text: str) -> str | None:
    words = normalize_name(text).split()
    if any(w in _CITY_WORDS for w in words):
        return "city"
    if any(_is_kind_word(w) and w.startswith(_REGION_WORDS) for w in words):
        return "region"
    return None


@functools.cache
def _load() -> tuple[tuple[Region, ...], dict[str, tuple[tuple[int, str], ...]], tuple[str, ...]]:
    """The regions, and the index: name key → (region, spelling)."""
    ref = resources.files("geo.data").joinpath("admin1.json.gz")
    data: dict[str, Any] = json.loads(gzip.decompress(ref.read_bytes()))
    out: list[Region] = []
    index: dict[str, list[tuple[int, str]]] = {}
    for code, country, kind, lat, lon, bbox, names in data["regions"]:
        i = len(out)
        out.append(Region(code, names[0], kind, country, lat, lon, tuple(bbox)))
        for name in names:
            for key in _keys(name):
                entries = index.setdefault(key, [])
                if all(j != i for j, _ in entries):
                    entries.append((i, name))
    frozen = {k: tuple(v) for k, v in index.items()}
    return tuple(out), frozen, tuple(frozen)


def regions() -> tuple[Region, ...]:
    """Every region (4,589), by country and code."""
    return _load()[0]


def search_regions(query: str | None, *, limit: int = 5, typos: bool = True) -> list[Region]:
    """Regions whose name matches ``query``, exact matches first, then one typo away.

    ``"Kursk oblast, Russia"`` or ``"Kursk, RU"`` keeps only regions of that
    country. Among equals, a region of the kind asked for ("… city" or
    "… oblast") comes first, then the name Natural Earth gives first.

    Examples
    --------
    >>> [r.description for r in search_regions("Kursk oblast", limit=1)]
    ['Kursk — region, Russia']
    >>> [r.code for r in search_regions("Kurks", limit=1)]
    ['RU-KRS']
    >>> search_regions("")
    []
    """
    if not query or not query.strip():
        return []
    head, countries = split_country(query[:MAX_QUERY_CHARS])
    everything, index, keys = _load()
    asked = _asks_for(query)
    hits: dict[int, tuple[int, str]] = {}
    wanted = _keys(head)
    for key in wanted:
        for i, name in index.get(key, ()):
            hits.setdefault(i, (0, name))
    if not hits and typos:
        for key in wanted:
            if len(key) < _MIN_TYPO_CHARS:
                continue
            for near, dist, _ in process.extract(key, keys, scorer=OSA.distance, score_cutoff=1, limit=20):
                if len(near) >= _MIN_TYPO_CHARS:
                    for i, name in index[near]:
                        hits.setdefault(i, (int(dist), name))
    if countries is not None:
        hits = {i: h for i, h in hits.items() if everything[i].country_code in countries}

    def rank(i: int) -> tuple[int, int, int]:
        is_city = "city" in everything[i].kind.lower()
        off_kind = 0 if asked is None or (asked == "city") == is_city else 1
        return hits[i][0], off_kind, i

    out = []
    for i in sorted(hits, key=rank)[:limit]:
        dist, name = hits[i]
        r = everything[i]
        out.append(Region(r.code, r.name, r.kind, r.country_code, r.lat, r.lon, r.bbox, name, dist > 0))
    return out


def resolve_region(text: str | None) -> Region | None:
    """The region ``text`` names exactly (kind words aside; no typo), or None.

    Examples
    --------
    >>> resolve_region("Crimea").country_name
    'Ukraine'
    >>> resolve_region("Kursk region, Russia").code
    'RU-KRS'
    >>> resolve_region("Kurks") is None
    True
    """
    if not text:
        return None
    found = search_regions(text, limit=1, typos=False)
    return found[0] if found else None
