"""Rerun cost and map payload of the app, 1 point × 1 system vs 20 points × 3 systems.

Prints figures; asserts nothing (these machines are noisy: compare the ratio
between the two scenarios, measured in the same process).

    python -m bench.bench_app   (from the project folder: it imports tests.apptest_helpers)
"""

from __future__ import annotations

import gc
import json
import statistics
import threading
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import map_component

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 9


def scenario(n_points: int, weapon_ids: list[str]) -> dict[str, list[str]]:
    # Points spread over eastern Ukraine, 0.4° apart.
    at = [f"{48.0 + 0.45 * (i % 5):.4f},{33.0 + 0.6 * (i // 5):.4f}" for i in range(n_points)]
    return {"at": at, "w": [",".join(weapon_ids)]}


def measure(name: str, query: dict[str, list[str]]) -> tuple[float, int]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    t0 = time.perf_counter()
    at.run()  # first run: imports, caches, catalog; the first paint (the map only, webapp.first_paint)
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    t0 = time.perf_counter()
    at.run()  # the run the map's first report starts in a browser: the whole page
    whole = time.perf_counter() - t0
    # The server warms what the first map does not need after its first run (caches.warm_later):
    # time the reruns once that is done, as a reader's would be a few seconds after the first page.
    for thread in threading.enumerate():
        if thread.name == "warm-later":
            thread.join()
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    payload = len(map_component(at).proto.json_args.encode())
    args = json.loads(map_component(at).proto.json_args)
    fg = len(args["feature_group"].encode())
    median = statistics.median(times)
    print(
        f"{name:>14}: first run {first:5.2f} s, then the whole page {whole:5.2f} s, rerun median {median * 1000:7.1f} ms (min {min(times) * 1000:.1f}), "
        f"map component args {payload / 1024:7.1f} KB (of which layers {fg / 1024:.1f} KB)"
    )
    return median, payload


def gc_pause_ms() -> float:
    """How long the full collection Streamlit runs after every script run (runner.postScriptGC) takes now."""
    t0 = time.perf_counter()
    gc.collect(2)
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    gc.unfreeze()  # as a server before its warm-up ends (webapp.caches.freeze_long_lived)
    t1, b1 = measure("1 pt × 1 sys", scenario(1, ["atacms-300"]))
    before = gc_pause_ms()
    gc.unfreeze()
    tracked = len(gc.get_objects())
    after_unfreeze = gc_pause_ms()
    from webapp.caches import freeze_long_lived

    freeze_long_lived()
    print(
        f"post-run gc.collect(2): {after_unfreeze:.1f} ms with nothing frozen ({tracked:,} objects "
        f"tracked), {gc_pause_ms():.1f} ms once the long-lived objects are frozen "
        f"({gc.get_freeze_count():,}); {before:.1f} ms as the warm-up left it"
    )
    t2, b2 = measure("20 pts × 3 sys", scenario(20, ["atacms-300", "atacms-165", "storm-shadow"]))
    print(f"rerun ratio 20×3 / 1×1: {t2 / t1:.2f}× (target ≤ 3×)")
    print(f"20×3 map payload: {b2 / 1024:.1f} KB (target ≤ 150 KB); 1×1: {b1 / 1024:.1f} KB")


if __name__ == "__main__":
    main()
