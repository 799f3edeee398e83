"""Ring labels (issue 12): where they go (against GeographicLib), their words, and every view drawing them escaped."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from geographiclib.geodesic import Geodesic

from geo.analysis.analyse import analyse
from geo.analysis.labels import STACK_SHARE, ring_labels
from geo.cli import main
from geo.core.sectors import Sector
from geo.export.image import render_image
from geo.export.kml import KML_NS, rings_kml
from geo.render.html_export import standalone_html
from geo.render.layers import RING_LABEL_CLASS, MapStyle, analysis_layers, base_map
from geo.scenario.model import LaunchPoint, Scenario, System

G = Geodesic.WGS84
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


def test_close_rings_from_one_point_stack_and_modes():
    systems = [System.custom("A", 300), System.custom("B", 280), System.custom("C", 100)]
    labs = {lab.text: lab for lab in ring_labels(_analysis([LaunchPoint(50.9, 34.8)], systems))}
    assert STACK_SHARE * 300 > 20  # 20 km apart: stacked; 200 km apart: not
    assert {labs["A 300 km"].stack, labs["B 280 km"].stack} == {0, 1}
    assert labs["C 100 km"].stack == 0
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
