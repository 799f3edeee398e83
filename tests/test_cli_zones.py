"""`python -m geo` with launch zones: --from-country and --from-geojson (issue 5, 13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from geo.core.rings import geodesic_area_km2

# --------------------------------------------------------------------------
# The command line
from tests.scenario.test_uploads import LINE, fc
from tests.zone_reference import (
    ROOT,
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUTF8": "1"},
        timeout=120,
        check=False,
    )


def assert_bad_input(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr


def test_cli_rings_from_a_country_and_a_point() -> None:
    result = run("rings", "-w", "atacms-300", "-w", "storm-shadow", "--from-country", "UA", "--at", "52.0,23.7")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["type"] == "FeatureCollection" and "Natural Earth" in doc["attribution"]
    assert [f["properties"]["weapon_id"] for f in doc["features"]] == ["atacms-300", "storm-shadow"]
    for f in doc["features"]:
        props = f["properties"]
        assert set(props) >= {"weapon_id", "weapon_name", "range_km", "area_km2", "source_url", "zones"}
        assert props["zones"] == "Ukraine" and props["launch_points"] == "52.00, 23.70"
        geom = shapely.geometry.shape(f["geometry"])
        assert geom.is_valid and all(p.exterior.is_ccw for p in getattr(geom, "geoms", [geom]))
        # The analysis's area; the polygon's own geodesic area is short by the chords' shortfall (< 0.1 %, issue 9).
        assert props["area_km2"] == pytest.approx(geodesic_area_km2(geom), rel=1e-3)
        assert geom.contains(Point(34.10, 44.95)) and geom.contains(Point(23.7, 52.0))


def test_cli_rings_from_geojson_files(tmp_path: Path) -> None:
    front = tmp_path / "front.geojson"
    front.write_text(fc(LINE, {"type": "Point", "coordinates": [30.5, 50.45]}, names=["front", "Kyiv"]), "utf-8")
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps({"type": "Polygon", "coordinates": [[[30, 46], [31, 46], [31, 47], [30, 46]]]}))
    result = run(
        "rings", "--range-km", "100", "--from-geojson", front, "--from-geojson", area, "-o", tmp_path / "o.json"
    )
    assert result.returncode == 0, result.stderr
    (f,) = json.loads((tmp_path / "o.json").read_text("utf-8"))["features"]
    assert f["properties"]["zones"] == "front; feature 1"
    assert f["properties"]["launch_points"] == "Kyiv"
    assert f["properties"]["range_km"] == 100.0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(["--from-country", "XX"], "unknown country 'XX'", id="country"),
        pytest.param(["--from-geojson", "missing.geojson"], "cannot read missing.geojson", id="missing-file"),
        pytest.param([], "the following arguments are required: --at (or a launch zone", id="nothing"),
    ],
)
def test_cli_rings_zone_errors(args: list[str], fragment: str) -> None:
    assert_bad_input(run("rings", "--range-km", "300", *args), fragment)


def test_cli_rings_bad_geojson_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "metres.geojson"
    bad.write_text(json.dumps({"type": "LineString", "coordinates": [[3500000, 6500000], [3600000, 6500000]]}))
    assert_bad_input(run("rings", "--range-km", "300", "--from-geojson", bad), f"{bad}: coordinates look projected")


@pytest.mark.parametrize("command", ["rings", "image", "reach"])
def test_cli_geojson_from_a_device_is_read_with_a_byte_limit(command: str, tmp_path: Path) -> None:
    # stat() says 0 bytes for /dev/zero: the old size check passed it and the
    # read never ended (issue 13). The read itself now stops after the limit.
    extra = ["-o", str(tmp_path / "x.png")] if command == "image" else []
    assert_bad_input(
        run(command, "--range-km", "300", "--from-geojson", "/dev/zero", *extra),
        "/dev/zero: the file is larger than 5 MB, the limit",
    )


def test_cli_geojson_from_a_fifo_is_read_with_a_byte_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "rings", "--range-km", "300", "--from-geojson", str(fifo)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Open without blocking: a CLI that died before opening the pipe would leave a blocking open
    # waiting for a reader for ever.
    deadline = time.monotonic() + 60
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:  # ENXIO: no reader yet
            if proc.poll() is not None:
                pytest.fail(f"the CLI exited before reading the pipe: {proc.communicate()[1]}")
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the CLI did not open the pipe within 60 s")
            time.sleep(0.05)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as writer:
        try:
            for _ in range(7):  # 7 MB and more to come: the reader stops at the limit and exits
                writer.write(b" " * 1_000_000)
                writer.flush()
        except BrokenPipeError:
            pass
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "the file is larger than 5 MB, the limit" in err and "Traceback" not in err
