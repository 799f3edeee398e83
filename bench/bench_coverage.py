"""Benchmark: merged coverage from launch zones, its cost and its error (issue 5).

Figures, not assertions. For a 300 km range it times :func:`geo.scenario.zones.coverage`
from

- Ukraine as a country zone (Natural Earth 1:10m, German point of view);
- a 1,000 km line in four geodesic legs (a front line across eastern Ukraine);

cold (the zone's reach computed afresh) and warm (cached), and prints the
output's vertex count and its error against a dense reference computed here
without any of geo.scenario.zones' shortcuts: a 1,024-vertex ring (pyproj ``Geod.fwd``)
around every vertex of the full outline and every 2 km along its geodesic
edges, unioned with the zone's own area. The reference's own error is inside
by at most 2²/8r = 1.7 m (scallops) plus 1.4 m (ring chords). Errors are given
as the relative area difference and as the signed distance (metres, geodesic)
from the output's outline to the reference outline, at 2,000 points along it:
negative means the output is inside. A buffer in degrees is shown for scale.

Then it times :func:`geo.datasets.countries.coverage_by_country` on that coverage.

Run: ``python bench/bench_coverage.py`` (``--repeat N`` for more repetitions).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import pyproj
import shapely
from pyproj import Geod
from shapely.geometry import LineString

from geo.analysis.coverage import coverage
from geo.analysis.zone_reach import clear_reach_cache
from geo.core.rings import chord_tolerance_m, geodesic_area_km2
from geo.datasets.countries import countries, coverage_by_country
from geo.scenario.model import System
from geo.scenario.zones import Zone, zone_from_country

# The reference: GeographicLib through pyproj, independent of geo.core.geodesic's wrapper.
GEOD = Geod(ellps="WGS84")

RANGE_KM = 300.0
REF_STEP_M = 2_000.0
REF_VERTICES = 1024


def front_line() -> list[tuple[float, float]]:
    """1,000 km in four geodesic legs, from the Dnipro delta north-east towards Kharkiv and Belgorod."""
    points = [(46.55, 32.30)]
    for azimuth_deg, km in ((75.0, 300.0), (40.0, 250.0), (15.0, 250.0), (60.0, 200.0)):
        lon, lat, _ = GEOD.fwd(points[-1][1], points[-1][0], azimuth_deg, km * 1000.0)
        points.append((float(lat), float(lon)))
    return points


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and minimum seconds per call."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), min(runs)


def dense_reference(zone: Zone, range_km: float) -> shapely.Geometry:
    """Rings only, around every vertex and every REF_STEP_M of geodesic edge, plus the area; RFC 7946."""
    centres = []
    areas = []
    for part in shapely.get_parts(zone.geometry):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        if part.geom_type == "Polygon":
            areas.append(part)
        for ring in rings:
            xy = np.asarray(ring.coords)
            for (x1, y1), (x2, y2) in itertools.pairwise(xy):
                centres.append([[x1, y1]])
                k = math.ceil(GEOD.inv(x1, y1, x2, y2)[2] / REF_STEP_M)
                if k > 1:
                    centres.append(GEOD.npts(x1, y1, x2, y2, k - 1))
            centres.append([xy[-1]])
    c = np.vstack([np.asarray(p, dtype=float) for p in centres])
    n = REF_VERTICES
    az = np.tile(np.linspace(360.0, 0.0, n, endpoint=False), len(c))
    lons, lats, _ = GEOD.fwd(np.repeat(c[:, 0], n), np.repeat(c[:, 1], n), az, np.full(len(az), range_km * 1000.0))
    lons = np.unwrap(np.asarray(lons).reshape(-1, n), period=360.0, axis=1)
    lons += 360.0 * np.round((c[:, :1] - lons[:, :1]) / 360.0)
    rings = shapely.polygons(np.stack([lons, np.asarray(lats).reshape(-1, n)], axis=-1))
    return shapely.orient_polygons(shapely.union_all([*rings, *areas]))


def outline_error_m(geom: shapely.Geometry, ref: shapely.Geometry, samples: int = 2000) -> tuple[float, float]:
    """Signed geodesic distance from points along geom's outline to ref's outline: (most inside, most outside)."""
    xy = np.vstack([shapely.get_coordinates(shapely.segmentize(p.exterior, 0.02)) for p in shapely.get_parts(geom)])
    xy = xy[np.abs(np.abs(xy[:, 0]) - 180.0) > 1e-9]
    xy = xy[np.linspace(0, len(xy) - 1, samples).astype(int)]
    pts = shapely.points(xy)
    nearest = shapely.get_coordinates(shapely.shortest_line(pts, ref.boundary))[1::2]
    _, _, d = GEOD.inv(xy[:, 0], xy[:, 1], nearest[:, 0], nearest[:, 1])
    signed = np.where(shapely.contains_xy(ref, xy[:, 0], xy[:, 1]), -d, d)
    return float(signed.min()), float(signed.max())


def degree_buffer(zone: Zone, range_km: float) -> shapely.Geometry:
    """The naive reach DESIGN.md §2 warns about: a buffer of range/111.32 km in degrees."""
    return shapely.orient_polygons(zone.geometry.buffer(range_km / 111.32))


def report(title: str, zone: Zone, system: System, repeat: int) -> shapely.Geometry:
    def cold() -> object:
        clear_reach_cache()
        return coverage([], [zone], system)

    cold_med, cold_min = timed(cold, repeat)
    warm_med, _ = timed(lambda: coverage([], [zone], system), repeat)
    geom = coverage([], [zone], system)
    t0 = time.perf_counter()
    ref = dense_reference(zone, system.range_km)
    ref_s = time.perf_counter() - t0
    area, ref_area = geodesic_area_km2(geom), geodesic_area_km2(ref)
    inside, outside = outline_error_m(geom, ref)
    naive = geodesic_area_km2(degree_buffer(zone, system.range_km))
    tol = chord_tolerance_m(system.range_km)
    print(f"\n{title}, {system.range_km:g} km")
    print(f"  coverage, cold       {cold_med * 1e3:8.1f} ms median ({cold_min * 1e3:.1f} ms best of {repeat})")
    print(f"  coverage, cached     {warm_med * 1e3:8.1f} ms median")
    print(f"  output vertices      {shapely.get_num_coordinates(geom):8,d}  ({geom.geom_type})")
    print(f"  area                 {area:12,.0f} km²")
    print(
        f"  dense reference      {ref_area:12,.0f} km²  ({shapely.get_num_coordinates(ref):,} vertices, built in {ref_s:.1f} s)"
    )
    print(f"  area error           {100.0 * (area - ref_area) / ref_area:+8.4f} %  ({area - ref_area:+,.0f} km²)")
    print(f"  outline error        {inside:+8.0f} … {outside:+.0f} m  (stated bound {-2 * tol:+.0f} … {tol:+.0f} m)")
    print(f"  degree buffer        {100.0 * (naive - ref_area) / ref_area:+8.2f} % area error, for scale")
    return geom


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timing repetitions (default 7)")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, shapely {shapely.__version__}, pyproj {pyproj.__version__}, "
        f"numpy {np.__version__}; {os.cpu_count()} cores"
    )
    t0 = time.perf_counter()
    countries()
    print(f"Natural Earth countries loaded in {time.perf_counter() - t0:.2f} s (once per process)")
    system = System.custom(f"{RANGE_KM:g} km", RANGE_KM)

    ua = report("Ukraine (country zone)", zone_from_country("UA"), system, args.repeat)
    line = front_line()
    length_km = sum(GEOD.inv(a[1], a[0], b[1], b[0])[2] for a, b in itertools.pairwise(line)) / 1000
    # Its legs are geodesics, as the reference below takes them (a zone's edges have a meaning, issue 9).
    legs = Zone("line", "front", LineString([(lon, lat) for lat, lon in line]), edges="geodesic")
    report(f"{length_km:,.0f} km line, {len(line) - 1} legs", legs, system, args.repeat)

    med, best = timed(lambda: coverage_by_country(ua), args.repeat)
    rows = coverage_by_country(ua)
    print(f"\ncoverage_by_country(Ukraine + {RANGE_KM:g} km): {med * 1e3:.1f} ms median ({best * 1e3:.1f} ms best)")
    for r in rows[:6]:
        print(
            f"  {r.country.iso2 or r.country.iso3:3s} {r.country.name:22s} {r.covered_km2:12,.0f} km²  {r.share:7.2%}"
        )
    if len(rows) > 6:
        print(f"  … and {len(rows) - 6} more")


if __name__ == "__main__":
    main()
