"""``python -m geo``: the command line contract of DESIGN.md §5 (issue 2).

Run as a user would, in a subprocess (``sys.executable -m geo``, from the
repository root): every command has ``--help`` with examples; bad input prints
one line on stderr, exits with status 2 and never shows a traceback.
Geometry in the output is checked against GeographicLib.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from geographiclib.geodesic import Geodesic

from geo.cli import build_parser
from geo.core.rings import ring_area_km2

ROOT = Path(__file__).resolve().parent.parent
WGS84 = Geodesic.WGS84
# Exported coordinates keep 6 decimals: 1e-6° is at most 0.11 m.
EXPORT_TOLERANCE_M = 0.2


def run(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUTF8": "1"}  # a UTF-8 terminal, for the DMS arguments
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
        check=False,
    )


def assert_bad_input(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr containing the fragments."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def features(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    fc = json.loads(result.stdout)
    assert fc["type"] == "FeatureCollection"
    return fc["features"]


def outline(feature: dict[str, Any]) -> list[list[list[float]]]:
    """The rings (exterior first, then holes) of every polygon in a feature."""
    geom = feature["geometry"]
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return [ring for poly in polys for ring in poly]


def max_error_m(lat: float, lon: float, ring: list[list[float]], range_km: float) -> float:
    errors = [
        abs(WGS84.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] - range_km * 1000.0)
        for x, y in ring
        if abs(x) != 180.0 and abs(y) != 90.0
    ]
    return max(errors)


# ---------------------------------------------------------------------------
# weapons


def test_weapons_table_lists_ids() -> None:
    result = run("weapons")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for weapon_id in ("atacms-300", "atacms-165", "storm-shadow"):
        assert weapon_id in result.stdout
    header = result.stdout.splitlines()[0]
    assert header.split()[:3] == ["ID", "NAME", "RANGE"]
    assert "air (from release point)" in result.stdout  # air-launched ranges are from the release point
    assert "publicly reported nominal figures" in result.stdout


def test_weapons_json_parses(catalog: Any) -> None:
    result = run("weapons", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == list(catalog.ids)
    by_id = {r["id"]: r for r in rows}
    assert by_id["atacms-300"]["range_km"] == 300
    assert by_id["storm-shadow"]["air_launched"] is True
    assert all(r["source_url"].startswith("https://") for r in rows)


def test_weapons_json_gives_every_source_and_the_span(catalog: Any) -> None:
    """Issue 11: every source with title, publisher, URL, date and quote, not one URL; the span with who."""
    rows = {r["id"]: r for r in json.loads(run("weapons", "--json").stdout)}
    for weapon in catalog:
        row = rows[weapon.id]
        assert [s["url"] for s in row["sources"]] == [s.url for s in weapon.sources]
        for got, source in zip(row["sources"], weapon.sources, strict=True):
            assert got["quote"] == source.quote and got["quote"]
            assert got["title"] == source.title and got["publisher"] == source.publisher
            assert got["date"] == source.date.isoformat()
            assert got["reprint_of"] == source.reprint_of
        assert row["drawn_because"] == weapon.drawn_because
    kh = rows["kh-101"]
    assert kh["range_km"] == 4500
    assert kh["span"]["high_km"] == 5500 and "Ihnat" in kh["span"]["high_by"]
    assert kh["span"]["text"] == "drawn: 4,500 km · claims up to 5,500 km"
    assert "5.500 Kilometer" in kh["sources"][kh["span"]["high_source"]]["quote"]
    assert rows["atacms-300"]["span"] is None


# ---------------------------------------------------------------------------
# help


_, _COMMANDS = build_parser()


@pytest.mark.parametrize("command", [None, *sorted(_COMMANDS)], ids=lambda c: c or "top-level")
def test_help_exits_0_with_examples(command: str | None) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m geo")
    assert "examples:" in result.stdout
    assert "python -m geo " in result.stdout.split("examples:")[1]


def test_weapons_and_rings_are_commands() -> None:
    assert {"weapons", "rings"} <= set(_COMMANDS)


# ---------------------------------------------------------------------------
# rings


def test_rings_two_weapons_two_points() -> None:
    result = run(
        "rings", "--weapon", "atacms-300", "--weapon", "storm-shadow", "--at", "50.9,34.8", "--at", "48.5,35.0"
    )
    feats = features(result)
    assert len(feats) == 4
    got = {(f["properties"]["weapon_id"], f["properties"]["launch_lat"], f["properties"]["launch_lon"]) for f in feats}
    assert got == {
        ("atacms-300", 50.9, 34.8),
        ("atacms-300", 48.5, 35.0),
        ("storm-shadow", 50.9, 34.8),
        ("storm-shadow", 48.5, 35.0),
    }
    for f in feats:
        p = f["properties"]
        expected_range = {"atacms-300": 300.0, "storm-shadow": 250.0}[p["weapon_id"]]
        assert p["range_km"] == expected_range
        assert p["min_range_km"] == 0.0
        assert p["air_launched"] is (p["weapon_id"] == "storm-shadow")
        assert p["custom"] is False
        assert p["source_url"].startswith("https://")
        assert p["area_km2"] == pytest.approx(ring_area_km2(p["launch_lat"], p["launch_lon"], expected_range), abs=0.1)
        assert f["geometry"]["type"] == "Polygon"
        (exterior,) = outline(f)
        assert exterior[0] == exterior[-1]
        assert max_error_m(p["launch_lat"], p["launch_lon"], exterior, expected_range) <= EXPORT_TOLERANCE_M


@pytest.mark.parametrize(
    "at_args",
    [
        pytest.param(["--at", "-33.9,151.2"], id="negative-separate-argument"),
        pytest.param(["--at=-33.9,151.2"], id="negative-equals"),
        pytest.param(["--at", "-33.9 151.2"], id="negative-space-separated"),
    ],
)
def test_rings_negative_latitude(at_args: list[str]) -> None:
    (f,) = features(run("rings", "--weapon", "atacms-300", *at_args))
    assert (f["properties"]["launch_lat"], f["properties"]["launch_lon"]) == (-33.9, 151.2)
    (exterior,) = outline(f)
    assert max_error_m(-33.9, 151.2, exterior, 300) <= EXPORT_TOLERANCE_M


def test_rings_dms_launch_point() -> None:
    (f,) = features(run("rings", "--weapon", "atacms-165", "--at", "50°54′36″N 34°48′E"))
    assert f["properties"]["launch_lat"] == pytest.approx(50.91, abs=1e-12)
    assert f["properties"]["launch_lon"] == pytest.approx(34.8, abs=1e-12)
    assert f["properties"]["range_km"] == 165.0


def test_rings_custom_donut() -> None:
    (f,) = features(run("rings", "--range-km", "500", "--min-range-km", "50", "--at", "50.9,34.8"))
    p = f["properties"]
    assert (p["range_km"], p["min_range_km"], p["custom"]) == (500.0, 50.0, True)
    assert p["source"] == "user-defined"
    assert p["area_km2"] == pytest.approx(ring_area_km2(50.9, 34.8, 500) - ring_area_km2(50.9, 34.8, 50), abs=0.1)
    assert f["geometry"]["type"] == "Polygon"
    exterior, hole = outline(f)
    assert max_error_m(50.9, 34.8, exterior, 500) <= EXPORT_TOLERANCE_M
    assert max_error_m(50.9, 34.8, hole, 50) <= EXPORT_TOLERANCE_M


def test_rings_antimeridian_is_split() -> None:
    f, line = features(run("rings", "--range-km", "2500", "--at", "65,175"))
    assert line["properties"] == {"feature": "outline", "outline_of": "custom-2500-km-range-2500", "launch_label": ""}
    assert f["geometry"]["type"] == "MultiPolygon"
    lons = [x for ring in outline(f) for x, _ in ring]
    assert min(lons) == -180.0 and max(lons) == 180.0


def test_rings_output_file(tmp_path: Path) -> None:
    out = tmp_path / "rings.geojson"
    result = run("rings", "--weapon", "atacms-300", "--at", "50.9,34.8", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1


def test_rings_output_to_missing_folder(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder" / "rings.geojson"
    assert_bad_input(run("rings", "--weapon", "atacms-300", "--at", "50.9,34.8", "-o", out), "cannot write")


# ---------------------------------------------------------------------------
# Bad input: exit 2, one line, no traceback


def test_broken_catalog(tmp_path: Path) -> None:
    data = json.loads((ROOT / "data" / "weapons.json").read_text(encoding="utf-8"))
    data["weapons"][3]["range_km"] = -5
    data["weapons"][4]["id"] = "atacms-300"
    path = tmp_path / "weapons.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for args in (["weapons"], ["rings", "--weapon", "atacms-300", "--at", "50.9,34.8"]):
        line = assert_bad_input(run(*args, "--catalog", path), str(path), "weapons[3].range_km: expected a number > 0")
        assert line.endswith("(and 1 more)")


def test_catalog_not_json(tmp_path: Path) -> None:
    path = tmp_path / "weapons.json"
    path.write_text("{not json", encoding="utf-8")
    assert_bad_input(run("weapons", "--catalog", path), "not valid JSON")


def test_catalog_missing(tmp_path: Path) -> None:
    assert_bad_input(run("weapons", "--catalog", tmp_path / "nowhere.json"), "cannot read the file")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        pytest.param(
            ["--weapon", "atacms-999", "--at", "50.9,34.8"],
            ["unknown weapon id 'atacms-999'", "known ids: atacms-300"],
            id="unknown-weapon",
        ),
        pytest.param(
            ["--weapon", "atacms-300", "--at", "hello"], ["could not read coordinates from 'hello'"], id="garbage-at"
        ),
        pytest.param(
            ["--weapon", "atacms-300", "--at", "95,30"], ["latitude 95 is outside", "lat/lon swapped?"], id="lat-95"
        ),
        pytest.param(
            ["--weapon", "atacms-300", "--at", "50°60′N 34°E"],
            ["minutes and seconds must be below 60"],
            id="minutes-60",
        ),
        pytest.param(
            ["--range-km", "0", "--at", "50.9,34.8"], ["range_km: expected a number > 0, got 0"], id="range-0"
        ),
        pytest.param(["--range-km", "-5", "--at", "50.9,34.8"], ["expected a number > 0, got -5"], id="range-negative"),
        pytest.param(["--range-km", "nan", "--at", "50.9,34.8"], ["expected a number > 0, got nan"], id="range-nan"),
        pytest.param(
            ["--range-km", "30000", "--at", "50.9,34.8"], ["beyond the 19,950 km maximum"], id="range-too-long"
        ),
        pytest.param(
            ["--range-km", "far", "--at", "50.9,34.8"], ["expected a number of kilometres, got 'far'"], id="range-text"
        ),
        pytest.param(
            ["--range-km", "500", "--min-range-km", "600", "--at", "50.9,34.8"],
            ["min_range_km (600) must be less than range_km (500)"],
            id="min-beyond-range",
        ),
        pytest.param(["--weapon", "atacms-300"], ["the following arguments are required: --at"], id="missing-at"),
        pytest.param(
            ["--at", "50.9,34.8"], ["one of the arguments --weapon/-w --range-km is required"], id="no-system"
        ),
    ],
)
def test_rings_bad_input(args: list[str], fragments: list[str]) -> None:
    line = assert_bad_input(run("rings", *args), *fragments)
    assert line.startswith("python -m geo rings: error: ")


def test_no_command() -> None:
    assert_bad_input(run(), "the following arguments are required: COMMAND")


def test_unknown_command() -> None:
    assert_bad_input(run("frobnicate"), "invalid choice: 'frobnicate'")
