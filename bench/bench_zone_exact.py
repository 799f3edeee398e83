"""Benchmark: is a launch zone's reach at the range from the zone itself, and what does it cost? (issue 9)

Figures, not assertions. For each case it prints how far the vertices of the
reach's outline are from the zone, measured by brute force (pyproj
``Geod.inv`` to the zone sampled every 500 m along its edges in their
meaning: straight in lon/lat for files and borders, straight on Web Mercator
for clicked lines; tests/zone_reference.py), as ``min … max`` minus the
range, in metres; for the 50° N line also where the outline crosses 30° E,
south and north of the line, in km; then the cold time of country reaches,
as a ratio to a fixed amount of work timed in the same process (10 × a
million ``Geod.fwd``), so that runs on a busy machine, or of an older tree,
compare, and the work itself (ring centres × vertices per ring, which the
time follows).

Run: ``WRM_CACHE_DIR=off python -m bench.bench_zone_exact``. To compare with an
older tree, run it with that tree first on ``PYTHONPATH`` (copy
tests/zone_reference.py there too).
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
import shapely
from shapely.geometry import LineString

from geo.analysis.zone_reach import clear_reach_cache, zone_reach
from geo.core.buffer import outline_chains
from geo.core.rings import chord_tolerance_m
from geo.scenario.uploads import read_geojson
from geo.scenario.zones import Zone, zone_from_country, zone_from_latlons
from tests.zone_reference import PYPROJ, distance_to_samples_m, outline_vertices, zone_samples

RANGE_KM = 300.0


def _upload(coords: list[list[float]]) -> Zone:
    return read_geojson(json.dumps({"type": "LineString", "coordinates": coords})).zones[0]


def _vertex_error_m(zone: Zone, meaning: str, range_km: float) -> tuple[float, float, int]:
    reach = zone_reach(zone, range_km)
    xy = outline_vertices(reach)
    d = distance_to_samples_m(xy[:, 0], xy[:, 1], zone_samples(zone.geometry, meaning)) - range_km * 1000.0
    return float(d.min()), float(d.max()), len(xy)


def _crossing_km(zone: Zone, lon: float, lat: float) -> tuple[float, float]:
    """Where the outline crosses the meridian ``lon``: km south and north of (lat, lon)."""
    reach = zone_reach(zone, RANGE_KM)
    cut = shapely.intersection(shapely.get_rings(shapely.get_parts(reach)), LineString([(lon, -89), (lon, 89)]))
    lats = shapely.get_coordinates(cut)[:, 1]
    south, north = lats[lats < lat].max(), lats[lats > lat].min()
    return (
        PYPROJ.inv(lon, lat, lon, float(south))[2] / 1000.0,
        PYPROJ.inv(lon, lat, lon, float(north))[2] / 1000.0,
    )


def main() -> None:
    os.environ.setdefault("WRM_CACHE_DIR", "off")
    tol = chord_tolerance_m(RANGE_KM)
    print(f"range {RANGE_KM:g} km; contract: every outline vertex within ±{tol:g} m of the range")
    line = [[20.0 + i, 50.0] for i in range(21)]
    zig = [[20.0 + i, 50.0 + 0.01 * (i % 2)] for i in range(21)]
    cases = [
        ("50N line, 21 points, clicked", zone_from_latlons([(y, x) for x, y in line], closed=False), "mercator"),
        ("50N line, 21 points, GeoJSON", _upload(line), "lonlat"),
        ("50N line zig-zagged 0.01 deg, GeoJSON", _upload(zig), "lonlat"),
        ("diagonal 1,990 km, clicked", zone_from_latlons([(45.0, 20.0), (58.0, 40.0)], closed=False), "mercator"),
        ("175E-175W at 65N, GeoJSON", _upload([[175.0, 65.0], [185.0, 66.0]]), "lonlat"),
    ]
    ones = np.ones(1_000_000)
    t0 = time.perf_counter()
    for _ in range(10):
        PYPROJ.fwd(30.0 * ones, 50.0 * ones, np.linspace(0.0, 360.0, len(ones)), 300_000.0 * ones)
    base_s = time.perf_counter() - t0
    for name, zone, meaning in cases:
        lo, hi, n = _vertex_error_m(zone, meaning, RANGE_KM)
        print(f"{name:40s} outline vertices {n:5d}: {lo:+9.1f} … {hi:+9.1f} m from the range")
    for name, zone, _ in cases[:2]:
        south, north = _crossing_km(zone, 30.0, 50.0)
        print(f"{name:40s} at 30 E the outline is {south:6.1f} km south, {north:6.1f} km north of the line")
    for iso in ("UA", "RU", "CA"):
        zone = zone_from_country(iso)
        clear_reach_cache()
        t0 = time.perf_counter()
        zone_reach(zone, RANGE_KM)
        cold = time.perf_counter() - t0
        chains = outline_chains(zone.geometry, RANGE_KM, zone.edges)
        work = chains.centres * chains.ring_vertices
        print(
            f"country {iso} cold reach at {RANGE_KM:g} km: {cold:6.2f} s ({cold / base_s:5.2f} x the fixed work); "
            f"{chains.centres:,} ring centres x {chains.ring_vertices} vertices = {work:,}"
        )
    lo, hi, n = _vertex_error_m(zone_from_country("UA"), "lonlat", RANGE_KM)
    print(f"{'country UA':40s} outline vertices {n:5d}: {lo:+9.1f} … {hi:+9.1f} m from the range")


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
