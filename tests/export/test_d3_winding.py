"""The clockwise GeoJSON as d3-geo reads it (issue 9): d3-geo 3.1.1 through Node.

d3-geo (behind Observable Plot, Vega-Lite's geoshape, Datawrapper) takes the
area to the left of a ring on the sphere the other way round from RFC 7946:
a counter-clockwise ring is the globe minus the ring. Needs ``node`` and
``npm ci --prefix tests/js`` (.ci/run does both); skipped without them, and
failing under ``CI=true``. tests/export/test_gis_readers.py checks the same
rule port-free.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from geo.export.geojson import rings_feature_collection
from geo.scenario.model import LaunchPoint, System
from tests.conftest import IN_CI, ROOT

JS = ROOT / "tests" / "js"
EARTH_KM2 = 510_065_621.7
KURSK, SYDNEY = [36.19, 51.73], [151.21, -33.87]


@pytest.fixture(scope="module")
def d3() -> None:
    if shutil.which("node") is None or not (JS / "node_modules" / "d3-geo").is_dir():
        if IN_CI:
            pytest.fail("node and d3-geo are required under CI=true (.ci/run: npm ci --prefix tests/js)")
        pytest.skip("node or d3-geo (npm ci --prefix tests/js) not installed")


def read_with_d3(fc: dict[str, Any], points: list[list[float]]) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["node", str(JS / "read.mjs"), json.dumps(points)],
        input=json.dumps(fc),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


CASES = [
    pytest.param(51.73, 36.19, 300.0, 0.0, id="atacms-kursk"),
    pytest.param(50.45, 30.52, 500.0, 50.0, id="donut"),
    pytest.param(65.0, 175.0, 2500.0, 0.0, id="antimeridian"),
    pytest.param(85.0, 0.0, 2500.0, 0.0, id="north-pole"),
    pytest.param(50.9, 34.8, 19000.0, 0.0, id="both-poles"),
]


@pytest.mark.usefixtures("d3")
@pytest.mark.parametrize(("lat", "lon", "r", "rmin"), CASES)
def test_d3_reads_the_clockwise_export_as_the_ring(lat: float, lon: float, r: float, rmin: float) -> None:
    point, system = LaunchPoint(lat, lon, "x"), System.custom("x", r, min_range_km=rmin)
    far = [lon - 180.0 if lon > 0 else lon + 180.0, -lat]  # the antipode: out of reach of all but the largest
    inside = [lon, lat] if not rmin else [lon + (rmin + r) / 2 / 111.32 / 0.64, lat]  # within the donut's band
    for winding in ("ccw", "cw"):
        fc = rings_feature_collection([point], [system], winding=winding)
        stated = fc["features"][0]["properties"]["area_km2"]
        ((got),) = read_with_d3(fc, [inside, far])
        if winding == "ccw":
            # The misreading that the clockwise file exists for: each part read as the globe minus the part.
            assert got["area_km2"] > EARTH_KM2 / 2
            continue
        # d3 measures on a sphere, not the ellipsoid: within 1 % of the stated ellipsoidal area.
        assert got["area_km2"] == pytest.approx(stated, rel=0.01)
        assert got["contains"] == [True, False]


@pytest.mark.usefixtures("d3")
def test_d3_atacms_from_kursk_contains_kursk_not_sydney() -> None:
    """Issue 9's example: 509,784,081 km² and Sydney inside, read counter-clockwise."""
    system = System.custom("ATACMS", 300.0)
    ccw, cw = (
        read_with_d3(rings_feature_collection([LaunchPoint(51.73, 36.19)], [system], winding=w), [KURSK, SYDNEY])[0]
        for w in ("ccw", "cw")
    )
    assert ccw["contains"] == [False, True] and ccw["area_km2"] > 5e8
    assert cw["contains"] == [True, False] and cw["area_km2"] < 3e5
