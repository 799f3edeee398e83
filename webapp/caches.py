"""What the page computes once and keeps: data, the worker process, analyses, exports.

User-keyed results (an analysis per scenario, an export per scenario and
format) live in :class:`BoundedCache`: at most so many entries, each for at
most so long, the oldest dropped first, so that memory goes back down after
visitors leave (issue 13).
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

import streamlit as st

from geo.analysis.analyse import Analysis, analyse
from geo.analysis.background import ReachWorker
from geo.datasets.catalog import Catalog, load_catalog
from geo.datasets.countries import borders_geojson, countries
from geo.datasets.gazetteer import search_places
from geo.render import layers
from geo.scenario.model import Scenario
from geo.scenario.zones import Zone
from webapp import memory

ROOT: Final = Path(__file__).resolve().parent.parent
V = TypeVar("V")


class BoundedCache(Generic[V]):
    """A thread-safe LRU cache with an entry bound, an idle time and a time to live.

    An entry is dropped when it is the oldest past ``max_entries``, when nobody
    used it for ``idle_s`` (a session viewing a scenario reruns it, so what is
    in use stays), or ``ttl_s`` after it was made. :meth:`purge` drops expired
    entries without waiting for the next request: webapp.memory calls it
    periodically, so a server's memory goes back down once its visitors leave.
    """

    def __init__(self, max_entries: int, ttl_s: float, idle_s: float | None = None) -> None:
        self._max = max_entries
        self._ttl = ttl_s
        self._idle = ttl_s if idle_s is None else min(idle_s, ttl_s)
        # key -> (made, last used, value)
        self._items: OrderedDict[Hashable, tuple[float, float, V]] = OrderedDict()
        self._lock = threading.Lock()
        memory.on_tick(self.purge)

    def _fresh(self, made: float, used: float, now: float) -> bool:
        return now - made <= self._ttl and now - used <= self._idle

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and self._fresh(hit[0], hit[1], now):
                self._items[key] = (hit[0], now, hit[2])
                self._items.move_to_end(key)
                return hit[2]
        value = make()  # outside the lock: a slow computation must not block other sessions
        now = time.monotonic()
        with self._lock:
            self._items[key] = (now, now, value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        self.purge(now)
        return value

    def purge(self, now: float | None = None) -> int:
        """Drop the expired entries; return how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            stale = [k for k, (made, used, _) in self._items.items() if not self._fresh(made, used, now)]
            for key in stale:
                del self._items[key]
        return len(stale)

    def __len__(self) -> int:
        return len(self._items)


#: One analysis per scenario and set of zones used; exports per scenario and kind. An
#: analysis of a heavy link holds tens of megabytes (50 points' places in reach): after
#: six such links the server kept 175 MB for an hour until the idle time was added.
ANALYSES: Final[BoundedCache[Analysis]] = BoundedCache(max_entries=32, ttl_s=3600.0, idle_s=90.0)
EXPORTS: Final[BoundedCache[Any]] = BoundedCache(max_entries=24, ttl_s=1800.0, idle_s=120.0)


def analysis(scenario: Scenario, zones: tuple[Zone, ...]) -> Analysis:
    """The analysis of ``scenario`` with ``zones`` (cached; the map's view is no part of it, so panning costs none,
    nor is the choice of flat map or globe)."""
    scenario = scenario.with_(view=None, globe=False)
    return ANALYSES.get((scenario, zones), lambda: analyse(scenario, zones=zones))


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    return load_catalog()


@st.cache_resource(show_spinner=False)
def leaflet_installed() -> Path:
    return layers.install_leaflet(ROOT / "static")


@st.cache_resource(show_spinner=False)
def reach_worker() -> ReachWorker:
    """One worker process for the whole server: large launch zones are computed there (issue 13)."""
    return ReachWorker()


def _warm() -> None:
    search_places("Kyiv")  # the place-name index, about 2 s
    import geo.export.image  # matplotlib, for the Download tab  # noqa: F401

    freeze_long_lived()


def freeze_long_lived() -> None:
    """Take what is loaded by now out of every later garbage collection (``gc.freeze``).

    Streamlit runs a full ``gc.collect(2)`` after every script run (``runner.postScriptGC``), on
    the script's thread, holding the interpreter: with the datasets, the place-name index and
    the imported modules loaded (about 190,000 objects) it took 115 ms, and the messages of the
    run still queued for the browser waited behind it (issue 10: a click's map arrived 125 ms
    after the click for a 40 ms run). These objects live as long as the server; frozen, a
    collection walks only what came after (under 1 ms). Collected first, so no garbage is kept.
    """
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner=False)
def warm_later() -> threading.Thread:
    """Once per server, after the first page's run: build what the first map does not need.

    Started at the end of that run, so that it does not hold the interpreter while the
    first map is drawn (issue 10): the place-name index and the image export's imports.
    """
    thread = threading.Thread(target=_warm, name="warm-later", daemon=True)
    thread.start()
    return thread


@st.cache_data(show_spinner=False)
def country_options() -> dict[str, str]:
    return {c.iso2: c.name for c in sorted(countries(), key=lambda c: c.name) if c.iso2}


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def borders(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """Country borders in a box: one object shared by every session and rerun.

    ``st.cache_resource``, not ``st.cache_data``: the latter unpickles a fresh copy
    of the GeoJSON (hundreds of KB) on every rerun (issue 10). Its one reader,
    ``folium.GeoJson``, only sets each feature's ``id`` to its index: the same every time.
    """
    return borders_geojson(bbox=bbox)
