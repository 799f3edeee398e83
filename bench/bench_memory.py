"""What a server keeps after heavy links: live memory against RSS, round after round (issue 13).

Runs the six heavy links of :mod:`bench.bench_load` three times in this process
(Streamlit's AppTest), empties the page's caches after each round (as their
idle expiry does on a server), and prints the RSS (after ``gc`` and glibc's
``malloc_trim``) and the memory ``tracemalloc`` still counts as live (Python
objects and numpy arrays). Live memory that comes back while RSS stays shows
what the allocators keep for reuse; live memory that grows would be a leak.
Prints the largest live allocations by file at the end. Asserts nothing.

    python -m bench.bench_memory
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import tracemalloc
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from bench.bench_load import HEAVY_LINKS

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3


def rss_mb() -> float:
    gc.collect()
    name = ctypes.util.find_library("c")
    if name:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
        if trim is not None:
            trim(0)
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def open_link(link: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, values in parse_qs(link.lstrip("?")).items():
        at.query_params[key] = values
    at.run()
    at.run()


def main() -> None:
    from webapp import caches

    open_link("")
    caches.ANALYSES.purge(float("inf"))
    caches.EXPORTS.purge(float("inf"))
    tracemalloc.start()
    print(f"warm: RSS {rss_mb():.0f} MB, live 0 MB (tracemalloc starts here)")
    for round_ in range(1, ROUNDS + 1):
        for link in HEAVY_LINKS:
            open_link(link)
        caches.ANALYSES.purge(float("inf"))
        caches.EXPORTS.purge(float("inf"))
        live = tracemalloc.get_traced_memory()[0] / 1e6
        print(f"round {round_}: RSS {rss_mb():.0f} MB, live {live:.0f} MB")
    for stat in tracemalloc.take_snapshot().statistics("filename")[:6]:
        print(f"  {stat}")


if __name__ == "__main__":
    main()
