"""Tests for geo.export.kml: the KML 2.2 export for Google Earth.

Every test reads the output back with an XML parser (xml.etree), never by
matching strings, except to prove that no markup got into the raw file.
Ring vertices are checked against GeographicLib's ``Inverse``.
"""

from __future__ import annotations

import html
import itertools
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from geo.datasets.catalog import Catalog
from geo.errors import InputError
from geo.export.kml import FILL_OPACITY, KML_NS, rings_kml
from geo.scenario.model import LaunchPoint, System, systems_from_ids
from geo.scenario.palette import OKABE_ITO

ROOT = Path(__file__).resolve().parents[2]
WGS84 = Geodesic.WGS84
NS = {"k": KML_NS}
K = f"{{{KML_NS}}}"

SUMY = LaunchPoint(50.9, 34.8, "Sumy")
KHARKIV = LaunchPoint(50.0, 36.23, "Kharkiv")
MALICIOUS_NAME = '<script>alert(1)</script> & "q"'
MALICIOUS_LABEL = "<b>Sumy</b> & 'x' <img src=x onerror=alert(2)>"


def parse(kml: str) -> ET.Element:
    return ET.fromstring(kml.encode("utf-8"))


def ring_placemarks(root: ET.Element) -> list[ET.Element]:
    return [
        pm
        for pm in root.iterfind(".//k:Placemark", NS)
        if pm.find("k:Polygon", NS) is not None or pm.find("k:MultiGeometry", NS) is not None
    ]


def point_placemarks(root: ET.Element) -> list[ET.Element]:
    """Launch-point placemarks (not the ring labels' Points, issue 12)."""
    return [
        pm
        for pm in root.iterfind(".//k:Placemark", NS)
        if pm.find("k:Point", NS) is not None
        and not (pm.findtext("k:styleUrl", namespaces=NS) or "").startswith("#label-")
    ]


def coords(ring: ET.Element) -> list[tuple[float, float]]:
    """(lon, lat) pairs of a LinearRing's <coordinates>."""
    text = ring.findtext("k:coordinates", namespaces=NS) or ""
    return [(float(x), float(y)) for x, y in (c.split(",")[:2] for c in text.split())]


def expected_kml_color(hex_rgb: str, alpha: int) -> str:
    r, g, b = (int(hex_rgb[i : i + 2], 16) for i in (1, 3, 5))
    return f"{alpha:02x}{b:02x}{g:02x}{r:02x}"


def style_of(root: ET.Element, placemark: ET.Element) -> ET.Element:
    url = placemark.findtext("k:styleUrl", namespaces=NS) or ""
    assert url.startswith("#")
    matches = [s for s in root.iterfind(".//k:Style", NS) if s.get("id") == url[1:]]
    assert len(matches) == 1
    return matches[0]


def test_document_structure_and_namespace(catalog: Catalog) -> None:
    systems = systems_from_ids(catalog, ["atacms-300", "storm-shadow"])
    root = parse(rings_kml([SUMY, KHARKIV], systems))
    assert root.tag == f"{K}kml"
    doc = root.find("k:Document", NS)
    assert doc is not None
    assert all(el.tag.startswith(K) for el in root.iter())  # every element in the KML 2.2 namespace
    assert len(ring_placemarks(root)) == 2 * 2  # one per launch point and system
    assert [pm.findtext("k:name", namespaces=NS) for pm in point_placemarks(root)] == ["Sumy", "Kharkiv"]
    for pm in point_placemarks(root):
        lon, lat = map(float, (pm.findtext("k:Point/k:coordinates", namespaces=NS) or "").split(","))
        assert (lat, lon) in {(SUMY.lat, SUMY.lon), (KHARKIV.lat, KHARKIV.lon)}  # lon,lat order


def test_placemark_names_and_descriptions(catalog: Catalog) -> None:
    weapon = catalog.get("atacms-300")
    root = parse(rings_kml([SUMY], systems_from_ids(catalog, ["atacms-300"])))
    (pm,) = ring_placemarks(root)
    assert pm.findtext("k:name", namespaces=NS) == f"{weapon.name} — 300 km from Sumy"
    desc = html.unescape(pm.findtext("k:description", namespaces=NS) or "")
    src = weapon.sources[0]
    for expected in ("300 km", src.publisher, src.date.isoformat(), src.url, "nominal"):
        assert expected in desc
    data = {d.get("name"): d.findtext("k:value", namespaces=NS) for d in pm.iterfind("k:ExtendedData/k:Data", NS)}
    assert data["weapon_id"] == "atacms-300" and data["source_url"] == src.url


def test_document_description_credits_sources(catalog: Catalog) -> None:
    systems = [*systems_from_ids(catalog, ["atacms-300", "kh-101"]), System.custom("Mine", 100)]
    root = parse(rings_kml([SUMY], systems))
    desc = html.unescape(root.findtext("k:Document/k:description", namespaces=NS) or "")
    for expected in ("GeoNames", "CC BY 4.0", "publicly reported nominal figures", "release point", "user-defined"):
        assert expected in desc
    for wid in ("atacms-300", "kh-101"):
        assert catalog.get(wid).sources[0].url in desc


@pytest.mark.parametrize("n_systems", [1, 3, 8, 9], ids=["one", "three", "eight", "nine-wraps"])
def test_default_colours_are_okabe_ito_in_aabbggrr(n_systems: int) -> None:
    systems = [System.custom(f"S{i}", 100 + i) for i in range(n_systems)]
    root = parse(rings_kml([SUMY], systems))
    pms = ring_placemarks(root)
    assert len(pms) == n_systems
    for i, pm in enumerate(pms):
        style = style_of(root, pm)
        hex_rgb = OKABE_ITO[i % len(OKABE_ITO)]
        assert style.findtext("k:LineStyle/k:color", namespaces=NS) == expected_kml_color(hex_rgb, 0xFF)
        fill = style.findtext("k:PolyStyle/k:color", namespaces=NS) or ""
        assert fill == expected_kml_color(hex_rgb, round(FILL_OPACITY * 255))
        assert 0 < int(fill[:2], 16) < 0xFF  # semi-transparent
        assert style.findtext("k:PolyStyle/k:outline", namespaces=NS) == "1"


def test_custom_colours_by_system_id() -> None:
    a, b = System.custom("A", 100), System.custom("B", 200)
    root = parse(rings_kml([SUMY], [a, b], colors={b.id: "#ff0000"}))
    first, second = (style_of(root, pm) for pm in ring_placemarks(root))
    assert first.findtext("k:LineStyle/k:color", namespaces=NS) == expected_kml_color(OKABE_ITO[0], 0xFF)
    assert second.findtext("k:LineStyle/k:color", namespaces=NS) == "ff0000ff"  # red is aa bb gg rr = ff 00 00 ff
    with pytest.raises(InputError, match="#rrggbb"):
        rings_kml([SUMY], [a], colors={a.id: "red"})


def test_rings_are_at_the_range_in_lon_lat_order(catalog: Catalog) -> None:
    root = parse(rings_kml([SUMY], systems_from_ids(catalog, ["atacms-300"])))
    (pm,) = ring_placemarks(root)
    outer = pm.find("k:Polygon/k:outerBoundaryIs/k:LinearRing", NS)
    assert outer is not None
    ring = coords(outer)
    assert ring[0] == ring[-1] and len(ring) >= 4
    for lon, lat in ring:
        # 6 decimals of a degree round by at most 0.11 m.
        assert WGS84.Inverse(SUMY.lat, SUMY.lon, lat, lon)["s12"] == pytest.approx(300_000.0, abs=0.2)


def test_donut_has_an_inner_boundary(catalog: Catalog) -> None:
    iskander = catalog.get("iskander-m")
    assert iskander.min_range_km > 0
    root = parse(rings_kml([SUMY], systems_from_ids(catalog, ["iskander-m"])))
    (pm,) = ring_placemarks(root)
    inner = pm.findall("k:Polygon/k:innerBoundaryIs/k:LinearRing", NS)
    assert len(inner) == 1
    for lon, lat in coords(inner[0]):
        assert WGS84.Inverse(SUMY.lat, SUMY.lon, lat, lon)["s12"] == pytest.approx(
            iskander.min_range_km * 1000.0, abs=0.2
        )
    name = pm.findtext("k:name", namespaces=NS) or ""
    assert "50" in name and "500 km" in name


def test_antimeridian_ring_is_a_multigeometry_within_180() -> None:
    centre = LaunchPoint(65.0, 175.0, "Anadyr area")
    root = parse(rings_kml([centre], [System.custom("2500", 2500)]))
    (pm,) = ring_placemarks(root)
    multi = pm.find("k:MultiGeometry", NS)
    assert multi is not None
    polygons = multi.findall("k:Polygon", NS)
    assert len(polygons) >= 2
    lons = []
    for poly in polygons:
        for ring in poly.iterfind(".//k:LinearRing", NS):
            pts = coords(ring)
            assert pts[0] == pts[-1]
            lons += [lon for lon, _ in pts]
            # No part wraps around the globe: consecutive vertices stay close in longitude.
            assert all(abs(p[0] - q[0]) < 180.0 for p, q in itertools.pairwise(pts))
    assert all(-180.0 <= lon <= 180.0 for lon in lons)
    assert min(lons) < 0.0 < max(lons)  # both sides of the antimeridian


def test_malicious_names_stay_text() -> None:
    system = System.custom(MALICIOUS_NAME, 300)
    point = LaunchPoint(50.9, 34.8, MALICIOUS_LABEL)
    kml = rings_kml([point], [system])
    assert "<script" not in kml.lower() and "<b>" not in kml and "<img" not in kml
    root = parse(kml)
    (ring_pm,) = ring_placemarks(root)
    (point_pm,) = point_placemarks(root)
    assert point_pm.findtext("k:name", namespaces=NS) == MALICIOUS_LABEL
    assert ring_pm.findtext("k:name", namespaces=NS) == f"{MALICIOUS_NAME} — 300 km from {MALICIOUS_LABEL}"
    folders = [f.findtext("k:name", namespaces=NS) for f in root.iterfind(".//k:Folder", NS)]
    assert MALICIOUS_NAME in folders
    data = {d.get("name"): d.findtext("k:value", namespaces=NS) for d in ring_pm.iterfind(".//k:Data", NS)}
    assert data["weapon_name"] == MALICIOUS_NAME and data["launch_label"] == MALICIOUS_LABEL
    # Google Earth renders descriptions as HTML: after parsing the XML, the
    # user's text must still be escaped, so the balloon shows it as text.
    for pm in (ring_pm, point_pm):
        desc = pm.findtext("k:description", namespaces=NS) or ""
        assert "<script" not in desc and "<img" not in desc and "<b>Sumy" not in desc
    ring_desc = html.unescape(ring_pm.findtext("k:description", namespaces=NS) or "")
    assert MALICIOUS_NAME in ring_desc and MALICIOUS_LABEL in ring_desc
    # Balloons show only the escaped description, never the raw name.
    for style in root.iterfind(".//k:Style", NS):
        assert style.findtext("k:BalloonStyle/k:text", namespaces=NS) == "$[description]"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_label_gives_parseable_kml(label: str) -> None:
    kml = rings_kml([LaunchPoint(10.0, 20.0, label)], [System.custom("X", 5)])
    (pm,) = point_placemarks(parse(kml))
    name = pm.findtext("k:name", namespaces=NS) or ""
    printable = all(c.isprintable() or c in "\n\t" for c in label)
    if printable and not any(0xD800 <= ord(c) <= 0xDFFF for c in label):
        assert name == label
    else:
        assert len(name) == len(label.replace("\r\n", "\n"))  # unstorable characters replaced, one for one


def test_no_points_or_no_systems() -> None:
    root = parse(rings_kml([], [System.custom("X", 10)]))
    assert ring_placemarks(root) == [] and point_placemarks(root) == []
    root = parse(rings_kml([SUMY], []))
    assert ring_placemarks(root) == [] and len(point_placemarks(root)) == 1


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_rings_format_kml(catalog: Catalog) -> None:
    result = run_cli("rings", "--weapon", "atacms-300", "--at", "50.9,34.8", "--format", "kml")
    assert result.returncode == 0, result.stderr
    root = parse(result.stdout)
    assert root.tag == f"{K}kml"
    (pm,) = ring_placemarks(root)
    assert (pm.findtext("k:name", namespaces=NS) or "").startswith(f"{catalog.get('atacms-300').name} — 300 km from")


def test_cli_rings_kml_to_file(tmp_path: Path) -> None:
    out = tmp_path / "rings.kml"
    result = run_cli(
        "rings",
        "-w",
        "iskander-m",
        "-w",
        "kalibr",
        "--at",
        "50.9,34.8",
        "--at=-33.87,151.21",
        "--format",
        "kml",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()
    assert len(ring_placemarks(root)) == 4 and len(point_placemarks(root)) == 2


def test_kml_with_launch_zones_has_one_coverage_per_system_and_the_zones() -> None:
    from geo.analysis.coverage import coverage
    from geo.scenario.zones import zone_from_latlons

    zone = zone_from_latlons([(48.0, 37.5), (48.6, 38.2)], closed=False, label="Front & <line>")
    point = LaunchPoint(50.9, 34.8, "Sumy")
    systems = [System.custom("A", 300), System.custom("B", 150)]
    root = ET.fromstring(rings_kml([point], systems, zones=[zone]))
    ns = {"k": KML_NS}
    folders = {f.findtext("k:name", namespaces=ns): f for f in root.iterfind(".//k:Folder", ns)}
    assert set(folders) == {"Launch points", "Launch zones", "A", "B", "Ring labels"}
    assert [p.findtext("k:name", namespaces=ns) for p in folders["Launch zones"].iterfind("k:Placemark", ns)] == [
        "Front & <line>"
    ]
    for system in systems:
        marks = list(folders[system.name].iterfind("k:Placemark", ns))
        assert len(marks) == 1  # one merged coverage, not a ring per point
        drawn = [
            Polygon([tuple(map(float, c.split(",")[:2])) for c in ring.text.split()])
            for ring in marks[0].iterfind(".//k:outerBoundaryIs//k:coordinates", ns)
        ]
        expected = coverage([point], [zone], system)
        assert MultiPolygon(drawn).symmetric_difference(expected).area / expected.area < 1e-4


def test_cli_rings_with_a_country_zone_as_kml(tmp_path: Path) -> None:
    out = tmp_path / "ua.kml"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "rings",
            "-w",
            "atacms-300",
            "--from-country",
            "UA",
            "--format",
            "kml",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    names = [p.findtext(f"{{{KML_NS}}}name") for p in root.iter(f"{{{KML_NS}}}Placemark")]
    assert "Ukraine" in names
    assert any(n.startswith("ATACMS") and "launch zones" in n for n in names)


def test_reverse_reach_placemark_has_its_area_and_escaped_names() -> None:
    """Issue 12: one "Reverse reach" Placemark: the analysis's area, the target's MGRS, names as text."""
    from geo.analysis.analyse import analyse
    from geo.core.grid import format_mgrs
    from geo.scenario.model import ReverseQuery, Scenario

    system = System.custom(MALICIOUS_NAME, 300)
    point = LaunchPoint(50.9, 34.8, MALICIOUS_LABEL)
    scenario = Scenario(
        points=(point,), systems=(system,), target="51.73,36.19", reverse=ReverseQuery.at(system.id, "UA")
    )
    analysis = analyse(scenario)
    assert analysis.reverse is not None
    kml = rings_kml([point], [system], analysis=analysis)
    assert "<script" not in kml.lower() and "<img" not in kml
    root = parse(kml)
    (folder,) = [f for f in root.iterfind(".//k:Folder", NS) if f.findtext("k:name", namespaces=NS) == "Reverse reach"]
    (mark,) = folder.iterfind("k:Placemark", NS)
    assert mark.findtext("k:name", namespaces=NS) == analysis.reverse.summary(analysis.target.label)  # type: ignore[union-attr]
    assert MALICIOUS_NAME in (mark.findtext("k:name", namespaces=NS) or "")
    desc = mark.findtext("k:description", namespaces=NS) or ""
    assert "<script" not in desc and MALICIOUS_NAME in html.unescape(desc)
    assert f"MGRS {format_mgrs(51.73, 36.19)}" in desc
    data = {d.get("name"): d.findtext("k:value", namespaces=NS) for d in mark.iterfind(".//k:Data", NS)}
    assert data["area_km2"] == f"{analysis.reverse.area_km2:.1f}" and data["weapon_name"] == MALICIOUS_NAME
    assert mark.find("k:MultiGeometry", NS) is not None or mark.find("k:Polygon", NS) is not None
    assert mark.findtext("k:styleUrl", namespaces=NS) == "#reverse-reach"
    # Without a reverse query there is no such folder (and no style for it).
    plain = parse(rings_kml([point], [system]))
    assert all(f.findtext("k:name", namespaces=NS) != "Reverse reach" for f in plain.iterfind(".//k:Folder", NS))


def test_reverse_reach_across_the_antimeridian_has_no_outline_along_the_cut() -> None:
    """A reverse reach cut at ±180° is filled without outline and stroked by LineStrings that never run along the cut.

    Google Earth draws a polygon's outline on every edge, the cut's too: a line down the
    antimeridian that is not on the ground. Every vertex of the ring is kept in the lines.
    """
    from geo.analysis.analyse import analyse
    from geo.scenario.model import ReverseQuery, Scenario

    system = System.custom("R", 300)
    point = LaunchPoint(64.7, 177.5, "Anadyr")
    scenario = Scenario(points=(point,), systems=(system,), target="65.0,179.8", reverse=ReverseQuery.at(system.id))
    analysis = analyse(scenario)
    root = parse(rings_kml([point], [system], analysis=analysis))
    (folder,) = [f for f in root.iterfind(".//k:Folder", NS) if f.findtext("k:name", namespaces=NS) == "Reverse reach"]
    (mark,) = folder.iterfind("k:Placemark", NS)
    assert mark.findtext("k:styleUrl", namespaces=NS) == "#reverse-reach-cut"
    style = next(s for s in root.iterfind(".//k:Style", NS) if s.get("id") == "reverse-reach-cut")
    assert style.findtext("k:PolyStyle/k:outline", namespaces=NS) == "0"
    polygons = mark.findall("k:MultiGeometry/k:Polygon", NS)
    assert len(polygons) == 2  # one each side of ±180°
    lines = [coords(line) for line in mark.iterfind("k:MultiGeometry/k:LineString", NS)]
    assert lines
    on_cut = [(p, q) for line in lines for p, q in itertools.pairwise(line) if abs(p[0]) == 180.0 == abs(q[0])]
    assert not on_cut
    # The lines carry every vertex of the polygons' rings that is not only on the cut.
    ring_vertices = {pt for poly in polygons for ring in poly.iterfind(".//k:LinearRing", NS) for pt in coords(ring)}
    line_vertices = {pt for line in lines for pt in line}
    assert {pt for pt in ring_vertices if abs(pt[0]) != 180.0} <= line_vertices
    # Every kept vertex lies 300 km from the target (GeographicLib), so the lines are the ring.
    for lon, lat in line_vertices:
        if abs(lon) != 180.0:
            assert WGS84.Inverse(65.0, 179.8, lat, lon)["s12"] == pytest.approx(300_000.0, abs=200.0)


def test_a_fan_is_described_with_its_bearing_and_width() -> None:
    """Issue 12: a range fan's ring and launch point say "bearing 060°, width 90°"; ExtendedData too."""
    from geo.core.sectors import Sector

    point = LaunchPoint(50.9, 34.8, "Sumy", Sector.at(60, 90))
    root = parse(rings_kml([point], [System.custom("A", 300)]))
    (ring_pm,) = ring_placemarks(root)
    (point_pm,) = point_placemarks(root)
    for pm in (ring_pm, point_pm):
        assert "Sector: bearing 060°, width 90°" in (pm.findtext("k:description", namespaces=NS) or "")
    data = {d.get("name"): d.findtext("k:value", namespaces=NS) for d in ring_pm.iterfind(".//k:Data", NS)}
    assert data["sector"] == "bearing 060°, width 90°"
    (plain,) = ring_placemarks(parse(rings_kml([LaunchPoint(50.9, 34.8)], [System.custom("A", 300)])))
    assert "Sector" not in (plain.findtext("k:description", namespaces=NS) or "")
