"""How long the find box takes: GeoNames cities, and Natural Earth regions with one typo forgiven (issue 12).

    python -m bench.bench_search

Prints the load time and, per query, the milliseconds of the city search,
the region search, and the ratio of the two (no timed assertion).
"""

from __future__ import annotations

import time

from geo.datasets.gazetteer import search_places
from geo.datasets.regions import regions, search_regions

QUERIES = (
    "Kursk",
    "Kursk oblast",
    "Kurks",
    "Crimea",
    "Belgorod region",
    "Belgorad region",
    "Курская область",
    "Zaporozhye",
)


def best_ms(fn, query: str, repeat: int = 20) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(query)
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def main() -> None:
    t = time.perf_counter()
    search_places("Kursk")
    cities_s = time.perf_counter() - t
    t = time.perf_counter()
    regions()
    print(f"first use: cities {cities_s:.2f} s, regions {time.perf_counter() - t:.2f} s")
    for q in QUERIES:
        c, r = best_ms(search_places, q), best_ms(search_regions, q)
        first = search_regions(q, limit=1)
        found = first[0].description if first else "—"
        print(f"{q!r:22} cities {c:6.2f} ms  regions {r:6.2f} ms  ratio {r / max(c, 1e-6):5.2f}  {found}")


if __name__ == "__main__":
    main()
