"""``python -m geo rings`` writes RFC 7946 GeoJSON (DESIGN.md §5).

Each case runs the real command and checks its output against RFC 7946's
rules: positions are [longitude, latitude] (§3.1.1) within [-180, 180] and
[-90, 90] (§4), linear rings are closed with at least four positions
(§3.1.6), exterior rings are counter-clockwise and holes clockwise (§3.1.6),
geometries crossing the antimeridian are cut into a MultiPolygon (§3.1.9),
and no "crs" member (§4). Orientation is decided by the signed (shoelace)
area in the lon/lat plane, computed here; lon/lat order is proved by
GeographicLib's ``Inverse``: every vertex is at the range from the launch
point only when read as (lon, lat).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, shape

from geo.core.rings import geodesic_area_km2, ring_area_km2
from geo.datasets.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]
WGS84 = Geodesic.WGS84
VERTEX_TOL_M = 0.2  # 6 decimals of a degree round by at most 0.11 m

REQUIRED_PROPERTIES = (
    "weapon_id",
    "weapon_name",
    "range_km",
    "min_range_km",
    "launch_label",
    "launch_lat",
    "launch_lon",
    "area_km2",
    "source_url",
)


def run_rings(*args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "geo", "rings", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in the lon/lat plane: positive for counter-clockwise rings."""
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return list(geometry["coordinates"])


CASES = [
    pytest.param(["--weapon", "atacms-300", "--at", "50.9,34.8"], 1, id="atacms-from-sumy"),
    pytest.param(["--weapon", "iskander-m", "--at", "50.9,34.8"], 1, id="donut"),
    pytest.param(["--range-km", "2500", "--at", "65,175"], 1, id="antimeridian"),
    pytest.param(["--range-km", "800", "--min-range-km", "100", "--at", "-10,-179.5"], 1, id="antimeridian-donut"),
    pytest.param(["-w", "atacms-300", "-w", "kalibr", "--at", "50.9,34.8", "--at=-33.87,151.21"], 4, id="2x2"),
    pytest.param(["--range-km", "2000", "--at", "80,0"], 1, id="around-north-pole"),
]


@pytest.mark.parametrize(("args", "n_features"), CASES)
def test_rings_output_follows_rfc7946(args: list[str], n_features: int) -> None:
    fc = run_rings(*args)
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc
    rings = [f for f in fc["features"] if f["properties"].get("feature") != "outline"]
    assert len(rings) == n_features
    for feature in rings:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        for poly in polygons(geometry):
            for i, ring in enumerate(poly):
                assert len(ring) >= 4
                assert ring[0] == ring[-1]
                for position in ring:
                    assert len(position) == 2
                    lon, lat = position
                    assert -180.0 <= lon <= 180.0
                    assert -90.0 <= lat <= 90.0
                area = signed_area(ring)
                assert area > 0 if i == 0 else area < 0, "exterior counter-clockwise, holes clockwise"


@pytest.mark.parametrize(("args", "n_features"), CASES)
def test_vertices_are_lon_lat_at_the_range(args: list[str], n_features: int) -> None:
    fc = run_rings(*args)
    for feature in fc["features"]:
        props = feature["properties"]
        if props.get("feature") == "outline":
            continue  # tests/export/test_gis_readers.py checks the outlines
        lat0, lon0 = props["launch_lat"], props["launch_lon"]
        radii_m = {props["range_km"] * 1000.0, props["min_range_km"] * 1000.0}
        for poly in polygons(feature["geometry"]):
            for ring in poly:
                for lon, lat in ring:
                    if abs(lat) == 90.0 or abs(lon) == 180.0:
                        continue  # vertices added where the ring is cut at the pole or the antimeridian
                    d_m = WGS84.Inverse(lat0, lon0, lat, lon)["s12"]
                    assert min(abs(d_m - r) for r in radii_m) < VERTEX_TOL_M
        # The launch point is inside its ring when read as (lon, lat), unless it
        # is inside the minimum range.
        geom = shape(feature["geometry"])
        if props["min_range_km"] == 0:
            assert geom.intersects(Point(lon0, lat0))


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--range-km", "2500", "--at", "65,175"], id="east-of-dateline"),
        pytest.param(["--range-km", "800", "--min-range-km", "100", "--at", "-10,-179.5"], id="donut-west-of-dateline"),
    ],
)
def test_antimeridian_ring_is_split(args: list[str]) -> None:
    feature, line = run_rings(*args)["features"]
    assert line["properties"]["feature"] == "outline"  # the stroke: checked in tests/export/test_gis_readers.py
    geometry = feature["geometry"]
    assert geometry["type"] == "MultiPolygon"
    assert len(geometry["coordinates"]) >= 2
    lons = []
    for poly in geometry["coordinates"]:
        for ring in poly:
            part = [lon for lon, _ in ring]
            lons += part
            # A part never crosses 180°: no edge jumps across it, and each part
            # lies on one side (its longitudes all >= 0 or all <= 0 here).
            assert all(abs(a - b) < 180.0 for a, b in itertools.pairwise(part))
            assert min(part) >= 0.0 or max(part) <= 0.0
    assert 180.0 in lons and -180.0 in lons  # cut exactly at the antimeridian
    # The parts together are the ring, not its complement.
    props = feature["properties"]
    exact = ring_area_km2(
        props["launch_lat"], props["launch_lon"], props["range_km"], min_range_km=props["min_range_km"]
    )
    assert geodesic_area_km2(shape(geometry)) == pytest.approx(exact, rel=1e-3)


def test_properties_present_and_sourced(catalog: Catalog) -> None:
    fc = run_rings("-w", "atacms-300", "-w", "iskander-m", "--at", "50.9,34.8")
    assert [f["properties"]["weapon_id"] for f in fc["features"]] == ["atacms-300", "iskander-m"]
    for feature in fc["features"]:
        props = feature["properties"]
        for key in REQUIRED_PROPERTIES:
            assert key in props, key
        weapon = catalog.get(props["weapon_id"])
        assert props["weapon_name"] == weapon.name
        assert (props["range_km"], props["min_range_km"]) == (weapon.range_km, weapon.min_range_km)
        assert (props["launch_lat"], props["launch_lon"]) == (50.9, 34.8)
        assert props["source_url"] == weapon.sources[0].url
        exact = ring_area_km2(50.9, 34.8, weapon.range_km, min_range_km=weapon.min_range_km)
        assert props["area_km2"] == pytest.approx(exact, abs=0.05)
        assert props["area_km2"] == pytest.approx(geodesic_area_km2(shape(feature["geometry"])), rel=1e-3)


def test_custom_range_properties() -> None:
    (feature,) = run_rings("--range-km", "120", "--min-range-km", "15", "--at", "48.5,35.0")["features"]
    props = feature["properties"]
    assert (props["range_km"], props["min_range_km"]) == (120.0, 15.0)
    assert props["source_url"] == ""
    assert props["weapon_id"] and props["weapon_name"]
