"""Bounded work per request (issue 13): estimates before work, refusals, the worker, the disk cache.

The figures here are counts and bytes, not seconds: how long something takes
is measured by ``bench/bench_budget.py``, which prints each estimate beside the
measured time.
"""

from __future__ import annotations

import json
import math
import os
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo.analysis import zone_reach as zone_reach_module
from geo.analysis.background import MAX_QUEUED_PER_OWNER, ReachWorker
from geo.analysis.budget import (
    BACKGROUND_SECONDS,
    SYNC_SECONDS,
    covered_area_cost_s,
    places_cost_s,
    zone_jobs,
    zone_reach_cost_s,
)
from geo.analysis.zone_reach import reach_centres, reach_is_cached, zone_reach, zone_size
from geo.core import buffer, diskcache
from geo.core.antimeridian import split_polygon
from geo.core.buffer import MAX_REACH_VERTICES, MAX_ZONE_CENTRES
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, System
from geo.scenario.uploads import read_geojson
from geo.scenario.zones import Zone, zone_from_country, zone_from_latlons


def zigzag_upload(vertices: int) -> bytes:
    """The upload of issue 13: one LineString zig-zagging between 0° and 80° N, inside both upload limits."""
    coords = [[20.0 + 20.0 * i / vertices, 80.0 * (i % 2)] for i in range(vertices)]
    return json.dumps({"type": "LineString", "coordinates": coords}, separators=(",", ":")).encode()


def test_the_zigzag_upload_is_refused_before_any_large_allocation() -> None:
    data = zigzag_upload(199_999)
    assert len(data) < 5_000_000  # within the upload limits, as in the issue
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="too long or detailed to compute its reach"):
            read_geojson(data)  # refused as it is read, from its size alone
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # It asked numpy for 6.1 GiB before.
    assert peak < 200 * 1024**2
    # Built some other way, the zone is refused by the estimate and by the reach itself.
    zone = Zone("line", "zig-zag", shapely.LineString(json.loads(data)["coordinates"]))
    assert zone_size(zone).centres_bound > MAX_ZONE_CENTRES
    (job,) = zone_jobs([zone], [System.custom("X", 300)])
    assert math.isinf(job.seconds) and "too long or detailed" in job.refusal
    with pytest.raises(InputError, match="too long or detailed to compute its reach"):
        zone_reach(zone, 300)


def test_long_zigzags_do_not_crash_geos_in_a_thread() -> None:
    # GEOS's recursive Douglas–Peucker overflowed the stack at 60,000 zig-zag
    # vertices and killed the server with a segmentation fault (issue 13).
    import threading

    # The reach simplifies in metres, vectorised (geo.core.simplify.simplify_metric), with no recursion.
    from geo.core.simplify import simplify_metric
    from geo.render.layers import ZONE_DISPLAY_VERTICES, _zone_outline

    coords = [(20.0 + 20.0 * i / 150_000, 80.0 * (i % 2)) for i in range(150_000)]
    zone = Zone("line", "zig-zag", shapely.LineString(coords))
    out: list[object] = []
    worker = threading.Thread(
        target=lambda: out.append((_zone_outline(zone), simplify_metric(np.asarray(coords, dtype=float), 45.0)))
    )
    worker.start()
    worker.join(timeout=120)
    assert out, "the thread did not finish"
    drawn, kept = out[0]
    assert sum(len(c) for c in drawn["coordinates"]) <= ZONE_DISPLAY_VERTICES + len(drawn["coordinates"])
    assert len(kept) == 150_000  # nothing to drop
    # And its reach is refused before any of that work: its 8,900 km teeth would need millions of rings.
    with pytest.raises(InputError, match="too long or detailed"):
        reach_centres(zone, 300)


def test_a_reach_over_the_vertex_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    zone = zone_from_latlons([(50.0, 20.0), (50.0, 30.0)], closed=False, label="vertex limit test")
    vertices = reach_centres(zone, 300) * 118
    monkeypatch.setattr(buffer, "MAX_REACH_VERTICES", vertices - 1)
    with pytest.raises(InputError, match=r"would compute [\d,]+ ring vertices \(at most"):
        zone_reach(zone, 300)
    assert MAX_REACH_VERTICES >= 37354 * 84  # Canada at 50 km, the largest real case, fits


def test_centre_count_is_what_the_reach_rings() -> None:
    zone = zone_from_country("UA")
    counted: list[int] = []
    original = buffer._chain_pieces

    def spy(chains: list[np.ndarray], radius_m: float, tol_m: float) -> list[object]:
        counted.append(sum(len(c) for c in chains))
        return original(chains, radius_m, tol_m)

    try:
        buffer._chain_pieces = spy  # type: ignore[assignment]
        zone_reach_module._compute_reach(zone, 123.0)
    finally:
        buffer._chain_pieces = original  # type: ignore[assignment]
    assert counted == [reach_centres(zone, 123.0)]
    assert zone_size(zone).centres_bound >= counted[0]


def test_estimating_the_worst_link_computes_almost_nothing() -> None:
    # The 1,024-character link of issue 13: 10 large countries × 20 ranges.
    countries = [zone_from_country(c) for c in ["CA", "RU", "US", "AQ", "GL", "ID", "NO", "AU", "CL", "CN"]]
    systems = [System.custom(f"S{i}", 100 + 250 * i) for i in range(20)]
    zone_reach_module._chains.cache_clear()
    jobs = zone_jobs(countries, systems)
    assert len(jobs) == 200
    # Once over the limit the rest is not estimated: the chains of one or two zones at most.
    assert zone_reach_module._chains.cache_info().currsize <= 2
    assert sum(j.seconds for j in jobs) > BACKGROUND_SECONDS
    assert not any(reach_is_cached(j.zone, j.range_km) for j in jobs)


def test_small_zones_are_estimated_within_the_sync_budget() -> None:
    line = zone_from_latlons([(48.0, 35.0), (48.5, 37.0)], closed=False, label="budget front")
    jobs = zone_jobs([line], [System.custom("A", 300), System.custom("B", 165)])
    assert [j.range_km for j in jobs] == [300.0, 165.0]
    assert 0 < sum(j.seconds for j in jobs) < SYNC_SECONDS


def test_a_cached_reach_costs_nothing() -> None:
    line = zone_from_latlons([(48.0, 30.0), (48.5, 31.0)], closed=False, label="cached front")
    assert zone_reach_cost_s(line, 77.0) > 0
    zone_reach(line, 77.0)
    assert zone_reach_cost_s(line, 77.0) == 0.0


@pytest.mark.parametrize("points", [1, 50])
def test_points_costs_are_bounded_by_the_count_limits(points: int) -> None:
    pts = [LaunchPoint(45.0 + i * 0.1, 30.0) for i in range(points)]
    systems = [System.custom(f"S{i}", 19_000.0) for i in range(20)]
    assert covered_area_cost_s(pts, systems) < 2.0
    # Places for 50 points × a near-global range: over the budget, so the app refuses that table.
    assert (places_cost_s(pts, systems, 34_006) > SYNC_SECONDS) == (points == 50)


# --------------------------------------------------------------------------
# The disk cache


def test_disk_cache_round_trip_and_off_switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WRM_CACHE_DIR", str(tmp_path / "c"))
    key = diskcache.digest("test", b"\x00")
    assert diskcache.load(key) is None
    assert diskcache.store(key, b"payload")
    assert diskcache.load(key) == b"payload"
    monkeypatch.setenv("WRM_CACHE_DIR", "off")
    assert diskcache.cache_dir() is None and diskcache.load(key) is None and not diskcache.store(key, b"x")


def test_disk_cache_is_bounded_and_drops_the_least_recently_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WRM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diskcache, "MAX_BYTES", 4000)
    for i in range(4):
        assert diskcache.store(f"k{i}", bytes(900))
        os.utime(tmp_path / f"k{i}.bin", (1000 + i, 1000 + i))
    assert diskcache.load("k0") is not None  # used again: now the most recent
    assert diskcache.store("k4", bytes(900))
    left = sorted(p.stem for p in tmp_path.glob("*.bin"))
    assert sum(p.stat().st_size for p in tmp_path.glob("*.bin")) <= 4000
    assert "k0" in left and "k1" not in left and "k4" in left


def test_disk_cache_write_failure_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("WRM_CACHE_DIR", str(blocker / "sub"))
    assert diskcache.store("k", b"x") is False


def test_country_reach_survives_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WRM_CACHE_DIR", str(tmp_path))
    ua = zone_from_country("UA")
    first = zone_reach(ua, 211.0)
    assert list(tmp_path.glob("*.bin")), "the country's reach was written to disk"
    zone_reach_module.clear_reach_cache()  # as after a restart
    assert reach_is_cached(ua, 211.0)
    assert shapely.equals_exact(zone_reach(ua, 211.0), first, 0.0)
    # Uploads and drawn zones stay in memory only.
    line = zone_from_latlons([(48.0, 35.0), (48.5, 37.0)], closed=False, label="not on disk")
    before = set(tmp_path.glob("*.bin"))
    zone_reach(line, 211.0)
    assert set(tmp_path.glob("*.bin")) == before


def test_memory_cache_is_bounded_by_vertices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zone_reach_module, "_MEMORY_VERTICES", 2_000)
    zone_reach_module._reach_memory.clear()
    line = zone_from_latlons([(48.0, 35.0), (48.5, 37.0)], closed=False, label="memory bound")
    for r in (100.0, 200.0, 300.0, 400.0):
        zone_reach(line, r)
    assert (
        sum(v[2] for v in zone_reach_module._reach_memory.values()) <= 2_000
        or len(zone_reach_module._reach_memory) == 1
    )


# --------------------------------------------------------------------------
# The worker process


def small_zone(label: str) -> Zone:
    return zone_from_latlons([(48.0, 35.0), (48.5, 37.0), (49.0, 36.0)], closed=False, label=label)


def test_worker_computes_off_the_thread_and_fills_the_cache() -> None:
    worker = ReachWorker()
    zone = small_zone("worker test")
    state = worker.submit(zone, 150.0, "session-a")
    assert state.status in ("queued", "running")
    assert worker.submit(zone, 150.0, "session-a") is state  # queued once
    done = worker.wait(zone, 150.0, timeout_s=60)
    assert done is not None and done.status == "done", done
    assert reach_is_cached(zone, 150.0)
    local = zone_reach_module._compute_reach(zone, 150.0)[0]
    assert shapely.equals_exact(zone_reach(zone, 150.0), shapely.orient_polygons(split_polygon(local)), 0)


def test_worker_time_limit_kills_the_job() -> None:
    worker = ReachWorker(timeout_s=0.05)
    zone = zone_from_country("NO")
    worker.submit(zone, 60.0, "session-b")
    state = worker.wait(zone, 60.0, timeout_s=60)
    assert state is not None and state.status == "failed" and "took longer than" in state.message
    # The next job gets a fresh process.
    worker._timeout = 60.0
    other = small_zone("after a timeout")
    worker.submit(other, 99.0, "session-b")
    after = worker.wait(other, 99.0, timeout_s=60)
    assert after is not None and after.status == "done"


def test_worker_memory_limit_fails_the_job_not_the_server() -> None:
    # The worker needs about 180 MB of address space once it has imported
    # numpy, shapely and pyproj; this zig-zag's reach takes it to 350 MB.
    worker = ReachWorker(memory_bytes=250 * 1024**2)
    zigzag = [(48.0 + 0.01 * (i % 2), 20.0 + i * 0.002) for i in range(12_000)]
    zone = zone_from_latlons(zigzag, closed=False, label="memory test")
    worker.submit(zone, 300.0, "session-c")
    state = worker.wait(zone, 300.0, timeout_s=60)
    assert state is not None and state.status == "failed", state
    assert not reach_is_cached(zone, 300.0)
    worker._memory = 3 * 1024**3  # the next job gets a fresh process with room
    small = small_zone("after running out of memory")
    worker.submit(small, 120.0, "session-c")
    after = worker.wait(small, 120.0, timeout_s=60)
    assert after is not None and after.status == "done"


def test_worker_queue_is_bounded_per_owner() -> None:
    worker = ReachWorker()
    lines = [small_zone(f"queue {i}") for i in range(MAX_QUEUED_PER_OWNER + 1)]
    states = [worker.submit(z, 500.0 + i, "greedy") for i, z in enumerate(lines)]
    assert states[-1].status == "failed" and "at a time" in states[-1].message
    assert worker.submit(lines[-1], 999.0, "someone else").status in ("queued", "running")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(s.status in ("queued", "running") for s in states[:-1]):
        time.sleep(0.1)


def test_worker_remembers_a_bounded_number_of_finished_jobs() -> None:
    from geo.analysis.background import MAX_FINISHED

    worker = ReachWorker()
    zone = small_zone("finished jobs")
    ranges = [20.0 + i for i in range(MAX_FINISHED + 5)]
    for start in range(0, len(ranges), MAX_QUEUED_PER_OWNER):
        batch = ranges[start : start + MAX_QUEUED_PER_OWNER]
        for r in batch:
            worker.submit(zone, r, "many")
        for r in batch:
            worker.wait(zone, r, timeout_s=60)
    # The newest are remembered, the oldest forgotten: memory does not grow with every job.
    assert len(worker._jobs) == MAX_FINISHED
    assert worker.state(zone, ranges[0]) is None
    newest = worker.state(zone, ranges[-1])
    assert newest is not None and newest.status == "done"
