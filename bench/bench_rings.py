"""Benchmark: range rings per second, against a geopy loop and bare ``Geod.fwd``.

Figures, not assertions (issue 2). For 1, 100 and 1,000 rings of 300 km at
random launch points over Europe (35 to 70° N, 10° W to 40° E) it times
:func:`geo.core.rings.range_ring` end to end (validation, vertex count, direct
geodesics, polygon, antimeridian and pole handling, orientation) and, over the
very same vertices:

- a ``geopy.distance.geodesic().destination`` loop, one call per vertex (the
  prototype's way; timed on a sample and extrapolated when slow);
- bare ``pyproj.Geod.fwd``, with every array prepared outside the timing, both
  as one call per ring (what ``range_ring`` has to do) and as a single call over
  all the vertices at once (the floor).

Targets: at least 50 times faster than the geopy loop, and at most 2 times the
bare ``Geod.fwd`` time. :func:`geo.core.rings.range_rings`, the vectorised form for
many launch points, is timed too, against a single ``Geod.fwd`` call.

Run: ``python bench/bench_rings.py`` (``--repeat N`` for more repetitions).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import timeit
from collections.abc import Callable

import geopy
import numpy as np
import pyproj
import shapely
from geopy.distance import geodesic
from pyproj import Geod

from geo.core.rings import range_ring, range_rings, vertex_count

# The reference: GeographicLib through pyproj, independent of geo.core.geodesic's wrapper.
GEOD = Geod(ellps="WGS84")

RANGE_KM = 300.0
RING_COUNTS = (1, 100, 1000)
GEOPY_SAMPLE = 3000  # vertices timed in the geopy loop before extrapolating


def interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Seconds per call of each function, ``repeat`` times, the functions taking
    turns within each repetition so that they see the same machine load (the
    other engineers' test runs share these two cores)."""
    numbers = {}
    for name, fn in fns.items():
        number, elapsed = timeit.Timer(fn).autorange()  # calls taking >= 0.2 s
        numbers[name] = max(1, round(number * min(1.0, 0.1 / elapsed))) if elapsed > 0.1 else number
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            out[name].append(timeit.Timer(fn).timeit(numbers[name]) / numbers[name])
    return out


def launch_points(count: int, seed: int = 20261125) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed + count)
    return [
        (float(lat), float(lon))
        for lat, lon in zip(rng.uniform(35, 70, count), rng.uniform(-10, 40, count), strict=True)
    ]


def bench(count: int, repeat: int) -> dict[str, list[float] | float]:
    points = launch_points(count)
    lats = np.array([p[0] for p in points])
    lons = np.array([p[1] for p in points])
    counts = [vertex_count(lat, RANGE_KM) for lat, _ in points]

    # Bare Geod.fwd over the same vertices: arrays prepared here, outside the timing.
    per_ring = [
        (
            np.full(n, lon),
            np.full(n, lat),
            np.linspace(360.0, 0.0, n, endpoint=False),
            np.full(n, RANGE_KM * 1000.0),
        )
        for (lat, lon), n in zip(points, counts, strict=True)
    ]
    one_call = tuple(np.concatenate(parts) for parts in zip(*per_ring, strict=True))

    # geopy loop over the same vertices (the first GEOPY_SAMPLE, then extrapolated).
    jobs = [((lat, lon), float(az)) for (lat, lon), arrays in zip(points, per_ring, strict=True) for az in arrays[2]]
    sample = jobs[:GEOPY_SAMPLE]
    scale = len(jobs) / len(sample)

    def geopy_loop() -> None:
        d = geodesic(kilometers=RANGE_KM)
        for start, az in sample:
            d.destination(start, bearing=az)

    times = interleaved(
        {
            "ring": lambda: [range_ring(lat, lon, RANGE_KM) for lat, lon in points],
            "rings": lambda: range_rings(lats, lons, RANGE_KM),
            "fwd_rings": lambda: [GEOD.fwd(*arrays) for arrays in per_ring],
            "fwd_one": lambda: GEOD.fwd(*one_call),
            "geopy": geopy_loop,
        },
        repeat,
    )
    times["geopy"] = [t * scale for t in times["geopy"]]
    return {"count": count, "vertices": sum(counts), "geopy_scale": scale, **times}


def paired(a: list[float], b: list[float]) -> list[float]:
    """Ratios a/b within each repetition."""
    return [x / y for x, y in zip(a, b, strict=True)]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per measurement (default 7)")
    args = parser.parse_args(argv)

    print(
        f"Python {platform.python_version()}, pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), "
        f"shapely {shapely.__version__}, geopy {geopy.__version__}, numpy {np.__version__}; "
        f"{RANGE_KM:g} km rings over Europe; best / median of {args.repeat} repetitions"
    )
    if hasattr(os, "getloadavg"):
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start (other work skews the medians)")
    results = [bench(count, args.repeat) for count in RING_COUNTS]

    def best_median(values: list[float]) -> str:
        return f"{ms(min(values)):>10} / {ms(statistics.median(values)):>8}"

    print()
    print("Time per batch, ms (best / median)")
    header = (
        f"{'rings':>6} {'vertices':>9} | {'range_ring':>21} | {'fwd, 1 call/ring':>21} | "
        f"{'fwd, 1 call':>21} | {'geopy loop':>22}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        note = "*" if r["geopy_scale"] > 1.0 else " "
        print(
            f"{r['count']:>6} {r['vertices']:>9,} | {best_median(r['ring'])} | {best_median(r['fwd_rings'])} | "
            f"{best_median(r['fwd_one'])} | {best_median(r['geopy'])}{note}"
        )
    print(f"* geopy timed on the first {GEOPY_SAMPLE:,} vertices and scaled to all of them")

    print()
    print("range_rings (the vectorised batch form: one fwd call for all rings), ms (best / median)")
    for r in results:
        speedup = paired(r["geopy"], r["rings"])
        one = paired(r["rings"], r["fwd_one"])
        print(
            f"{r['count']:>6} rings: {best_median(r['rings'])}; {r['vertices'] / min(r['rings']):,.0f} vert/s; "
            f"vs geopy loop {statistics.median(speedup):.0f}x [{min(speedup):.0f}-{max(speedup):.0f}] "
            f"{'ok' if statistics.median(speedup) >= 50 else 'MISS'}; "
            f"/ fwd one call {statistics.median(one):.2f}x [{min(one):.2f}-{max(one):.2f}] "
            f"{'ok' if statistics.median(one) <= 2 else 'MISS'}"
        )

    print()
    print("Throughput (best) and ratios: median of the ratios within each repetition [min-max]")
    columns = ("rings", "range_ring vert/s", "vs geopy loop (>= 50x)", "/ fwd per ring (<= 2x)", "/ fwd one call")
    rows = []
    for r in results:
        speedup = paired(r["geopy"], r["ring"])
        per_ring = paired(r["ring"], r["fwd_rings"])
        one = paired(r["ring"], r["fwd_one"])
        s_med, p_med = statistics.median(speedup), statistics.median(per_ring)
        rows.append(
            (
                f"{r['count']}",
                f"{r['vertices'] / min(r['ring']):,.0f}",
                f"{s_med:.0f}x [{min(speedup):.0f}-{max(speedup):.0f}] {'ok' if s_med >= 50 else 'MISS'}",
                f"{p_med:.2f}x [{min(per_ring):.2f}-{max(per_ring):.2f}] {'ok' if p_med <= 2 else 'MISS'}",
                f"{statistics.median(one):.2f}x [{min(one):.2f}-{max(one):.2f}]",
            )
        )
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(columns)]
    print(" | ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
