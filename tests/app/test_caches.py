"""The page's user-keyed caches give memory back: entry bound, idle time, time to live (issue 13)."""

from __future__ import annotations

import time

from webapp.caches import ANALYSES, EXPORTS, BoundedCache


def test_entries_past_the_bound_go_oldest_first() -> None:
    cache: BoundedCache[int] = BoundedCache(max_entries=3, ttl_s=60.0)
    for key in "abcd":
        cache.get(key, lambda k=key: ord(k))
    cache.get("b", lambda: -1)  # used: now the newest
    cache.get("e", lambda: ord("e"))
    assert len(cache) == 3
    assert cache.get("c", lambda: -1) == -1  # "c" was the oldest unused one, so it was made again


def test_an_idle_entry_is_purged_without_a_request() -> None:
    cache: BoundedCache[list[int]] = BoundedCache(max_entries=10, ttl_s=3600.0, idle_s=90.0)
    cache.get("kept", lambda: [1])
    cache.get("idle", lambda: [2])
    now = time.monotonic()
    assert cache.purge(now + 60) == 0
    # "kept" is used again (a session rerunning it); "idle" is not.
    cache._items["kept"] = (now, now + 60, [1])
    assert cache.purge(now + 120) == 1
    assert len(cache) == 1
    assert cache.get("kept", lambda: [0]) == [1]


def test_the_time_to_live_holds_even_for_an_entry_in_use() -> None:
    cache: BoundedCache[int] = BoundedCache(max_entries=10, ttl_s=100.0, idle_s=90.0)
    cache.get("x", lambda: 1)
    made = time.monotonic()
    cache._items["x"] = (made, made + 99, 1)
    assert cache.purge(made + 101) == 1


def test_the_page_caches_are_idle_bounded_and_purged_by_the_memory_thread() -> None:
    from webapp import memory

    for cache in (ANALYSES, EXPORTS):
        assert cache._idle <= memory.SESSION_TTL_S, "kept longer than a closed session"
        assert cache.purge in memory._ticks
    assert memory._thread is not None and memory._thread.is_alive()


def _reaches(root: object, kind: type, limit: int = 20_000) -> bool:
    """Whether ``root`` references an instance of ``kind`` (through closures, partials, containers)."""
    import gc
    import types

    seen, todo = set(), [root]
    while todo and len(seen) < limit:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        if isinstance(obj, kind):
            return True
        if isinstance(obj, types.ModuleType):
            continue
        if isinstance(obj, types.FunctionType):  # what it closes over, not its module's globals
            todo.extend(cell.cell_contents for cell in obj.__closure__ or ())
            todo.extend(obj.__defaults__ or ())
            continue
        todo.extend(gc.get_referents(obj))
    return False


def test_download_buttons_do_not_keep_the_analysis_alive(monkeypatch) -> None:
    """Streamlit keeps a download's callable after its session is gone: it must not hold the analysis.

    (It held a heavy link's places in reach, 170 MB, for good: bench/bench_load.py.)
    """
    from types import SimpleNamespace

    from geo.analysis.analyse import Analysis, analyse
    from geo.datasets.catalog import load_catalog
    from geo.scenario.share import decode_query
    from webapp.panels import downloads

    made: list[object] = []
    column = SimpleNamespace(download_button=lambda label, data, **kw: made.append(data))
    shown: list[str] = []
    fake_st = SimpleNamespace(
        columns=lambda n: [column] * n,
        caption=lambda *a, **k: None,
        text_area=lambda label, value, **kw: shown.append(value),  # the caption and alt text (issue 11)
    )
    monkeypatch.setattr(downloads, "st", fake_st)
    monkeypatch.setattr(downloads, "state", SimpleNamespace(get=lambda: SimpleNamespace(color_map={})))
    scenario = decode_query({"at": ["50.91,34.8~Sumy"], "w": ["atacms-300,storm-shadow"]}, load_catalog()).scenario
    downloads.downloads_panel(analyse(scenario, zones=()))
    assert len(made) >= 7
    assert all(callable(m) for m in made)
    assert len(shown) == 2 and shown[0].startswith("Range of ATACMS")
    held = [m for m in made if _reaches(m, Analysis)]
    assert not held, f"{len(held)} of {len(made)} download callables hold the analysis"
