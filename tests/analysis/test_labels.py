"""Ring labels (issue 12): where they go (against GeographicLib), their words, and every view drawing them escaped."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from geo.analysis.analyse import analyse
from geo.analysis.labels import Box, lift_boxes, ring_labels
from geo.cli import main
from geo.core.sectors import Sector
from geo.export.image import render_image
from geo.export.kml import KML_NS, rings_kml
from geo.render.html_export import standalone_html
from geo.render.layers import RING_LABEL_CLASS, MapStyle, analysis_layers, base_map
from geo.scenario.model import LaunchPoint, Scenario, System

G = Geodesic.WGS84
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<img src=x onerror="alert(1)">&amp;'


def _analysis(points, systems, **kw):
    return analyse(Scenario(points=tuple(points), systems=tuple(systems), **kw))


def test_label_at_the_rings_northern_point_by_geographiclib():
    a = _analysis([LaunchPoint(50.9, 34.8)], [System.custom("ATACMS (long-range)", 300)])
    (lab,) = ring_labels(a)
    north = G.Direct(50.9, 34.8, 0.0, 300e3)
    assert lab.text == "ATACMS 300 km"
    assert lab.lat == pytest.approx(north["lat2"], abs=1e-9) and lab.lon == pytest.approx(north["lon2"], abs=1e-9)


def test_ring_round_the_north_pole_is_labelled_at_its_southern_point():
    a = _analysis([LaunchPoint(85.0, 175.0)], [System.custom("X", 2000)])
    (lab,) = ring_labels(a)
    south = G.Direct(85.0, 175.0, 180.0, 2000e3)
    assert lab.lat == pytest.approx(south["lat2"], abs=1e-9)
    assert (lab.lon - south["lon2"]) % 360.0 == pytest.approx(0.0, abs=1e-9)


def test_fan_is_labelled_mid_arc_and_a_covered_spot_moves():
    fan = _analysis([LaunchPoint(50.9, 34.8, "", Sector.at(120, 60))], [System.custom("X", 300)])
    (lab,) = ring_labels(fan)
    mid = G.Direct(50.9, 34.8, 120.0, 300e3)
    assert lab.lat == pytest.approx(mid["lat2"], abs=1e-9) and lab.lon == pytest.approx(mid["lon2"], abs=1e-9)
    # Point 2's northern point lies inside point 1's ring: its label goes to the next free azimuth.
    two = _analysis([LaunchPoint(51.5, 34.8), LaunchPoint(50.5, 34.8)], [System.custom("X", 300)])
    labs = ring_labels(two, "detailed")
    assert [lab.point_index for lab in labs] == [0, 1]
    inv = G.Inverse(50.5, 34.8, labs[1].lat, labs[1].lon)
    assert inv["s12"] == pytest.approx(300e3, abs=1e-3)
    assert abs(inv["azi1"]) > 1.0  # not the covered northern point
    assert G.Inverse(51.5, 34.8, labs[1].lat, labs[1].lon)["s12"] > 300e3  # on the merged outline


def _brute_overlaps(boxes: list[Box]) -> bool:
    return any(
        a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def _random_boxes(seed: int, n: int) -> list[Box]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        x, y, w = (float(v) for v in rng.uniform([0, 0, 20], [300, 200, 120]))
        out.append(Box(x, y, x + w, y + 15.0))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_moved_labels_never_overlap_and_only_go_down(seed: int):
    """lift_boxes on random piles of labels (a brute-force pairwise check after the move)."""
    boxes = _random_boxes(seed, 2 + seed % 12)
    drops = lift_boxes(boxes)
    assert all(d >= 0 for d in drops)
    moved = [Box(b.left, b.top + d, b.right, b.bottom + d) for b, d in zip(boxes, drops, strict=True)]
    assert not _brute_overlaps(moved)
    # A label that overlaps nothing stays on its spot.
    alone = [Box(0, 0, 10, 10), Box(20, 0, 30, 10), Box(0, 20, 10, 30)]
    assert lift_boxes(alone) == [0.0, 0.0, 0.0]


def test_the_maps_label_script_is_the_same_function():
    """static/wrm/wrm-labels.js's liftBoxes against lift_boxes, in Node."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is not on PATH (apt-get install nodejs)")
        pytest.skip("node is not on PATH (apt-get install nodejs)")
    cases = [_random_boxes(seed, 2 + seed % 12) for seed in range(30)]
    script = (
        f"const L = require({json.dumps(str(ROOT / 'static' / 'wrm' / 'wrm-labels.js'))});"
        "let s = ''; process.stdin.on('data', d => s += d);"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(s).map(b => L.liftBoxes(b)))));"
    )
    data = json.dumps([[dataclasses.asdict(b) for b in boxes] for boxes in cases])
    out = subprocess.run([node, "-e", script], input=data.encode(), capture_output=True, check=True, timeout=60)
    assert json.loads(out.stdout) == [lift_boxes(boxes) for boxes in cases]


def test_modes():
    a = _analysis(
        [LaunchPoint(50.9, 34.8, "", Sector.at(60, 90))], [System.custom("Long name (v2)", 500, 50)], unit="mi"
    )
    assert [lab.text for lab in ring_labels(a, "detailed")] == [
        "Long name (v2) · 31 mi–311 mi (500 km) · sector 060° ± 45°"
    ]
    assert ring_labels(a, "off") == []


def test_map_layer_and_html_export_draw_labels_escaped():
    a = _analysis([LaunchPoint(50.9, 34.8)], [System.custom(HOSTILE, 300)])
    m = base_map(tiles=False)
    for group in analysis_layers(a, MapStyle({}, "km")):
        group.add_to(m)
    app_map = m.get_root().render()
    assert app_map.count(f'"className": "{RING_LABEL_CLASS}"') == 1
    assert "<img src=x" not in app_map
    html = standalone_html([LaunchPoint(50.9, 34.8)], [System.custom(HOSTILE, 300)], colors={}, context=False)
    assert html.count(f'"className": "{RING_LABEL_CLASS}"') == 1
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html
    off = standalone_html(
        [LaunchPoint(50.9, 34.8)],
        [System.custom("X", 300)],
        colors={},
        context=False,
        analysis=_analysis([LaunchPoint(50.9, 34.8)], [System.custom("X", 300)], labels="off"),
    )
    assert RING_LABEL_CLASS not in off


def test_kml_label_placemark_escaped_and_read_by_gdal(tmp_path):
    kml = rings_kml([LaunchPoint(50.9, 34.8)], [System.custom(HOSTILE, 300)])
    root = ET.fromstring(kml)
    ns = {"k": KML_NS}
    folder = next(f for f in root.iterfind(".//k:Folder", ns) if f.findtext("k:name", namespaces=ns) == "Ring labels")
    (mark,) = folder.iterfind("k:Placemark", ns)
    name = mark.findtext("k:name", namespaces=ns)
    assert name.startswith("<img src=x") and name.endswith(" 300 km")  # the text as typed, XML-escaped in the file
    lon, lat = map(float, mark.findtext("k:Point/k:coordinates", namespaces=ns).split(","))
    north = G.Direct(50.9, 34.8, 0.0, 300e3)
    assert lat == pytest.approx(north["lat2"], abs=1e-6) and lon == pytest.approx(north["lon2"], abs=1e-6)
    assert "<img" not in kml


def test_svg_image_draws_one_label_per_system():
    svg = render_image(
        [LaunchPoint(50.9, 34.8)],
        [System.custom("A", 300), System.custom("B <x>", 120)],
        colors={},
        fmt="svg",
        size=(800, 500),
        place_labels=0,
    ).decode()
    assert len(re.findall(r'<g id="ring-label', svg)) == 2


def test_cli_fan_geojson_and_errors(capsys):
    assert main(["rings", "--range-km", "300", "--at", "50.9,34.8", "--azimuth", "60", "--width", "90"]) == 0
    fc = json.loads(capsys.readouterr().out)
    props = fc["features"][0]["properties"]
    assert props["sector_azimuth_deg"] == 60.0 and props["sector_width_deg"] == 90.0
    ring = _analysis([LaunchPoint(50.9, 34.8)], [System.custom("X", 300)]).results[0].area_km2
    assert props["area_km2"] == pytest.approx(ring / 4, rel=2e-3)
    assert main(["rings", "--range-km", "300", "--at", "50.9,34.8", "--azimuth", "60"]) == 2
    assert "--azimuth and --width go together" in capsys.readouterr().err
    assert main(["rings", "--range-km", "300", "--at", "50.9,34.8", "--azimuth", "60", "--width", "0"]) == 2
    err = capsys.readouterr().err
    assert "sector width" in err and "Traceback" not in err


def test_target_outside_the_fan_is_not_in_range():
    point = LaunchPoint(50.9, 34.8, "", Sector.at(60, 90))
    # Kursk (bearing 046°) is in the fan; Kyiv (bearing ~265°) is within 300 km... no: 330 km. Use Chernihiv, west.
    into = analyse(Scenario(points=(point,), systems=(System.custom("X", 300),), target="51.73,36.19"))
    assert into.verdicts[0].in_range
    west = analyse(Scenario(points=(point,), systems=(System.custom("X", 300),), target="51.49,31.3"))
    assert G.Inverse(50.9, 34.8, 51.49, 31.3)["s12"] < 300e3
    verdict = west.verdicts[0]
    assert not verdict.in_range and verdict.best.status == "outside the sector"
    assert "outside the launch point's sector" in verdict.best.verdict("km", verdict.system)


def _kml_label_names(text: str) -> list[str]:
    root = ET.fromstring(text)
    ns = {"k": KML_NS}
    for folder in root.iter(f"{{{KML_NS}}}Folder"):
        if folder.findtext("k:name", namespaces=ns) == "Ring labels":
            return [p.findtext("k:name", namespaces=ns) or "" for p in folder.iter(f"{{{KML_NS}}}Placemark")]
    return []


def test_cli_labels_option_in_every_export_that_draws_labels(tmp_path, capsys):
    """``--labels compact|detailed|off`` on map, image and KML rings; the default is the app's (compact)."""
    base = ["-w", "atacms-300", "-w", "storm-shadow", "--at", "50.9,34.8", "--at", "48.5,35.0"]
    for mode, count in (("compact", 2), ("detailed", 4), ("off", 0)):
        kml = tmp_path / f"{mode}.kml"
        assert main(["rings", *base, "--format", "kml", "--labels", mode, "-o", str(kml)]) == 0
        names = _kml_label_names(kml.read_text(encoding="utf-8"))
        assert len(names) == count, (mode, names)
        if mode == "detailed":
            assert all(" · " in n for n in names) and any("long-range" in n for n in names)
        svg = tmp_path / f"{mode}.svg"
        assert main(["image", *base, "--labels", mode, "--places", "0", "-o", str(svg)]) == 0
        groups = [
            g for g in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g") if g.get("id") == "ring-label"
        ]
        assert len(groups) == count, mode
        page = tmp_path / f"{mode}.html"
        assert main(["map", *base, "--labels", mode, "-o", str(page)]) == 0
        assert page.read_text(encoding="utf-8").count(f'"className": "{RING_LABEL_CLASS}"') == count, mode
    capsys.readouterr()
    default = tmp_path / "default.kml"
    assert main(["rings", *base, "--format", "kml", "-o", str(default)]) == 0
    assert _kml_label_names(default.read_text(encoding="utf-8")) == ["ATACMS 300 km", "Storm Shadow / SCALP-EG 250 km"]
    with pytest.raises(SystemExit) as exit_:
        main(["map", *base, "--labels", "loud", "-o", str(tmp_path / "x.html")])
    assert exit_.value.code == 2
    assert "invalid choice: 'loud'" in capsys.readouterr().err
    assert main(["rings", *base, "--labels", "off"]) == 2
    err = capsys.readouterr().err
    assert "--labels is for KML" in err and "Traceback" not in err
