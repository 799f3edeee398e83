"""The work budget's estimates against measured CPU time, and the worst link and upload (issue 13).

Prints, for the reach of several countries and lines at several ranges, the
estimate of geo.analysis.budget and the CPU time measured in this process (the ratio
should stay at 1 or more: estimates are upper bounds), then the CPU time and
peak memory of the worst share link and the worst upload of issue 13 in the
app (AppTest), cold and warm. Asserts nothing: these machines are noisy.

    python bench/bench_budget.py
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.analysis import zone_reach
from geo.analysis.budget import places_cost_s, zone_reach_cost_s
from geo.analysis.reach import cities_in_reach
from geo.scenario.model import LaunchPoint, System
from geo.scenario.zones import zone_from_country, zone_from_latlons

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("WRM_CACHE_DIR", tempfile.mkdtemp(prefix="wrm-bench-"))

WORST_LINK = {
    "at": [f"{45 + (i % 10) * 1.0:.2f},{20 + (i // 10) * 3.0:.2f}" for i in range(50)],
    "c": [f"S{i}:{100 + 250 * i}" for i in range(20)],
    "z": [f"country:{c}" for c in ["CA", "RU", "US", "AQ", "GL", "ID", "NO", "AU", "CL", "CN"]],
}


def cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def reach_estimates() -> None:
    print("zone reach: estimate vs measured CPU")
    cases = [(zone_from_country(c), r) for c in ("UA", "RU", "CA", "NO", "AQ") for r in (50.0, 300.0, 2500.0, 5500.0)]
    cases.append((zone_from_latlons([(50.0, 20.0 + i) for i in range(21)], closed=False, label="50N line"), 300.0))
    worst = 0.0
    for zone, range_km in cases:
        zone_reach.clear_reach_cache()
        estimate = zone_reach_cost_s(zone, range_km)
        measured = cpu(lambda z=zone, r=range_km: zone_reach.zone_reach_unwrapped(z, r))
        worst = max(worst, measured / estimate)
        print(
            f"  {zone.label[:14]:14} {range_km:7,.0f} km  estimate {estimate:6.2f} s  measured {measured:6.2f} s  ratio {estimate / measured:5.2f}"
        )
    print(f"  lowest estimate/measured: {1 / worst:.2f} (≥ 1: the estimates are upper bounds)")


def places_estimates() -> None:
    print("places in reach: estimate vs measured CPU")
    cities_in_reach([LaunchPoint(50.0, 30.0)], [System.custom("warm-up", 10.0)])  # loads the gazetteer
    for n_points, range_km in ((1, 300.0), (20, 1000.0), (50, 4850.0)):
        pts = [LaunchPoint(45 + (i % 10), 20 + 3 * (i // 10)) for i in range(n_points)]
        systems = [System.custom(f"S{i}", range_km * (i + 1) / 20) for i in range(20)]
        estimate = places_cost_s(pts, systems, 34_006)
        measured = cpu(lambda p=pts, s=systems: cities_in_reach(p, s))
        print(
            f"  {n_points:3} points, longest {range_km:6,.0f} km  estimate {estimate:5.2f} s  measured {measured:5.2f} s"
        )


def app_run(query: dict[str, list[str]], label: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    for key, value in query.items():
        at.query_params[key] = value
    cold = cpu(at.run)
    warm = cpu(at.run)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:42} first run {cold:6.2f} s CPU, rerun {warm:5.2f} s; peak RSS so far {rss:,.0f} MB")


def upload_run() -> None:
    coords = [[20.0 + 20.0 * i / 199_999, 80.0 * (i % 2)] for i in range(199_999)]
    data = json.dumps({"type": "LineString", "coordinates": coords}, separators=(",", ":")).encode()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.query_params["at"] = ["50.91,34.8"]
    at.run()
    seconds = cpu(lambda: at.file_uploader(key="zone_upload").set_value(("zz.geojson", data, "application/json")).run())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {'3 MB zig-zag upload, 199,999 vertices':42} {seconds:6.2f} s CPU; peak RSS so far {rss:,.0f} MB")


def main() -> None:
    reach_estimates()
    places_estimates()
    print("the app (AppTest, this process; the first run includes loading the app's data)")
    app_run({"at": ["50.91,34.8~Sumy"], "w": ["atacms-300,atacms-165,storm-shadow"]}, "default scenario")
    app_run(WORST_LINK, "worst link (50 pts, 20 systems, 10 countries)")
    app_run({**WORST_LINK, "c": [f"T{i}:{111 + 250 * i}" for i in range(20)]}, "worst link, other ranges (cold caches)")
    upload_run()


if __name__ == "__main__":
    main()
