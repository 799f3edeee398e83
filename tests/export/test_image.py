"""Print-ready images (issue 5): geo/export/image.py and ``python -m geo image``."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
import shapely

from geo.analysis.coverage import coverage
from geo.cli import main
from geo.core.coords import LatLon
from geo.datasets.catalog import Catalog
from geo.errors import InputError
from geo.export.image import (
    ARTICLE_SIZE,
    SQUARE_SIZE,
    image_format_for,
    parse_image_size,
    projected_coverage,
    projection_for,
    render_image,
    view_extent,
)
from geo.scenario.model import LaunchPoint, System, systems_from_ids

SVG_NS = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[2]

SUMY = LaunchPoint(50.9, 34.8, "Sumy")
# Mathtext, markup and an entity: each must come out as typed.
UNSAFE_POINT = "Base $x^2$ <b>bold</b> & co"
UNSAFE_SYSTEM = "<i>Rocket</i> & $\\alpha$"
UNSAFE_TITLE = "Reach $5 & <script>alert(1)</script>"


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return [el.text or "" for el in root.iter(f"{SVG_NS}text")]


@pytest.fixture(scope="module")
def article_svg(catalog: Catalog) -> bytes:
    systems = systems_from_ids(catalog, ["atacms-300", "storm-shadow"])
    return render_image([SUMY], systems, colors={}, title="ATACMS and Storm Shadow from Sumy", fmt="svg")


@pytest.fixture(scope="module")
def unsafe_svg() -> bytes:
    return render_image(
        [LaunchPoint(50.9, 34.8, UNSAFE_POINT)],
        [System.custom(UNSAFE_SYSTEM, 300)],
        colors={},
        title=UNSAFE_TITLE,
        subtitle="a & b",
        target=LatLon(51.73, 36.19),
        target_label="<Kursk> $",
        size=SQUARE_SIZE,
        fmt="svg",
    )


# --------------------------------------------------------------------------
# PNG


@pytest.mark.parametrize("size", [ARTICLE_SIZE, SQUARE_SIZE, (1201, 677)], ids=["article", "square", "odd"])
def test_png_has_the_requested_pixel_size(size: tuple[int, int]) -> None:
    png = render_image([SUMY], [System.custom("X", 300)], colors={}, size=size, place_labels=0)
    assert png[:8] == PNG_MAGIC
    pixels = mpimg.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (size[1], size[0])  # rows = height, columns = width


def test_png_shows_the_system_colour() -> None:
    png = render_image([SUMY], [System.custom("X", 300)], colors={"custom-x-300": "#D55E00"}, place_labels=0)
    rgb = (mpimg.imread(io.BytesIO(png), format="png")[..., :3] * 255).round().astype(int)
    vermillion = np.all(np.abs(rgb - [0xD5, 0x5E, 0x00]) <= 3, axis=-1)
    assert vermillion.sum() > 1000  # the outline, a few pixels wide all round


def test_output_is_deterministic() -> None:
    args = ([SUMY], [System.custom("X", 300)])
    assert render_image(*args, colors={}, fmt="svg") == render_image(*args, colors={}, fmt="svg")
    assert render_image(*args, colors={}) == render_image(*args, colors={})


# --------------------------------------------------------------------------
# SVG content


def test_svg_is_xml_with_the_pixel_size(article_svg: bytes) -> None:
    root = ET.fromstring(article_svg)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == ("1600", "1000")
    assert b"<dc:date>" not in article_svg  # no timestamp


def test_svg_has_title_key_projection_and_sources(article_svg: bytes, catalog: Catalog) -> None:
    texts = svg_texts(article_svg)
    joined = " ".join(" ".join(texts).split())  # footer lines wrap at spaces
    assert "ATACMS and Storm Shadow from Sumy" in texts
    for weapon_id in ("atacms-300", "storm-shadow"):
        weapon = catalog.get(weapon_id)
        assert any(t.startswith(f"{weapon.name}: ") and f"{weapon.range_km:,.0f} km" in t for t in texts)
        source = weapon.primary_source
        assert f"{weapon.name}: {source.publisher}, {source.date.isoformat()}" in joined
    assert "Azimuthal equidistant projection centred on 50.9° N, 34.8° E" in joined
    assert "Natural Earth 5.1.1" in joined and "Crimea" in joined
    assert "publicly reported nominal figures" in joined
    assert "Sumy" in texts


def test_user_text_is_drawn_verbatim(unsafe_svg: bytes) -> None:
    texts = svg_texts(unsafe_svg)
    assert UNSAFE_POINT in texts  # the launch point's label, as typed: no mathtext, no markup
    assert UNSAFE_TITLE in texts
    assert "a & b" in texts
    assert any(t.startswith(f"{UNSAFE_SYSTEM}: 300 km") for t in texts)
    assert any(t.startswith("<Kursk> $ · ") for t in texts)
    # The file itself is escaped XML: no live markup.
    assert b"<b>" not in unsafe_svg and b"<script>" not in unsafe_svg and b"<i>" not in unsafe_svg
    assert b"&lt;b&gt;bold&lt;/b&gt; &amp; co" in unsafe_svg


def test_user_dollars_never_become_mathtext() -> None:
    # Rendering "$x^2$" as mathtext would draw a superscript: with an
    # unbalanced "$" it would raise. Both must simply render.
    for label in ("$x^2$", "cost $5", "\\frac{1}{2}$"):
        assert render_image([LaunchPoint(50.9, 34.8, label)], [System.custom("X", 100)], colors={})[:8] == PNG_MAGIC


def test_legend_gives_the_unit_and_km() -> None:
    svg = render_image([SUMY], [System.custom("X", 300, 50)], colors={}, unit="mi", fmt="svg", place_labels=0)
    texts = svg_texts(svg)
    assert "X: 31–186 mi (50–300 km)" in texts
    assert "mi" in " ".join(texts)  # the scale bar is in the unit too


def test_geonames_credited_only_when_place_names_are_drawn() -> None:
    args = ([SUMY], [System.custom("X", 300)])
    with_places = " ".join(svg_texts(render_image(*args, colors={}, fmt="svg")))
    without = " ".join(svg_texts(render_image(*args, colors={}, fmt="svg", place_labels=0)))
    assert "GeoNames" in with_places and "Kharkiv" in with_places
    assert "GeoNames" not in without and "Kharkiv" not in without


def test_target_distance_from_a_launch_zone(catalog: Catalog) -> None:
    from geo.scenario.zones import zone_from_country

    svg = render_image(
        [],
        systems_from_ids(catalog, ["atacms-300"]),
        colors={},
        zones=[zone_from_country("UA")],
        target=LatLon(55.7558, 37.6173),
        target_label="Moscow",
        fmt="svg",
        place_labels=0,
    )
    texts = svg_texts(svg)
    assert "Launch zone: Ukraine" in texts
    label = next(t for t in texts if t.startswith("Moscow · "))
    km = float(label.split("· ")[1].split(" km")[0].replace(",", ""))
    assert 420 < km < 480  # Moscow is about 450 km from Ukraine's nearest border


# --------------------------------------------------------------------------
# Projection


@pytest.mark.parametrize(
    ("lat", "lon", "range_km"),
    [(50.9, 34.8, 300), (65.0, 175.0, 300), (-33.9, 151.2, 300), (0.0, 0.0, 2500), (80.0, 20.0, 1500)],
    ids=["sumy", "antimeridian", "sydney", "equator-2500", "pole-inside"],
)
def test_projected_ring_is_a_true_circle(lat: float, lon: float, range_km: float) -> None:
    point = LaunchPoint(lat, lon)
    projection = projection_for([point])
    assert projection.centre == LatLon(lat, lon)
    ring = projected_coverage([point], [], System.custom("X", range_km), projection)
    assert ring.geom_type == "Polygon"
    xy = np.asarray(ring.exterior.coords)
    radius_km = np.hypot(xy[:, 0], xy[:, 1]) / 1000.0  # aeqd: distance from the centre is true
    # Vertices lie on the ring, to the 1 mm grid the drawing is snapped to;
    # the densified points between them, on the geodesic chords, a hair inside.
    assert radius_km.max() <= range_km + 1e-5
    assert radius_km.min() >= range_km * (1 - 0.005)
    assert np.isclose(radius_km, range_km, rtol=0, atol=1e-5).sum() >= 100


def test_ring_around_a_pole_has_no_spike_to_the_pole() -> None:
    # The ring is closed along the pole in lon/lat; projected, that edge must
    # vanish rather than draw a line from the ring to the pole.
    point = LaunchPoint(80.0, 20.0)
    ring = projected_coverage([point], [], System.custom("X", 1500), projection_for([point]))
    xmin, ymin, xmax, ymax = ring.bounds
    assert (xmax - xmin) / 1000 == pytest.approx(3000, rel=1e-3)
    assert (ymax - ymin) / 1000 == pytest.approx(3000, rel=1e-3)
    assert len(ring.interiors) == 0


def test_ring_across_the_antimeridian_draws_in_one_piece() -> None:
    point = LaunchPoint(65.0, 175.0)
    system = System.custom("X", 2500)
    assert coverage([point], [], system).geom_type == "MultiPolygon"  # RFC 7946: split at ±180
    projection = projection_for([point])
    ring = projected_coverage([point], [], system, projection)
    assert ring.geom_type == "Polygon"  # joined again in the projection
    xmin, _, xmax, _ = ring.bounds
    # About 2 × range wide: no streak across the world.
    assert (xmax - xmin) / 1000 == pytest.approx(5000, rel=0.01)
    x0, x1, y0, y1 = view_extent([ring], [(0.0, 0.0)], 1.6)
    assert (x1 - x0) / 1000 < 3 * 5000 and (y1 - y0) / 1000 < 1.5 * 5000
    png = render_image([point], [system], colors={}, place_labels=0)
    assert png[:8] == PNG_MAGIC


def test_projection_for_many_points_is_the_middle_of_the_launch_area() -> None:
    across = projection_for([LaunchPoint(50.0, 179.0), LaunchPoint(50.0, -179.0)])
    assert across.centre.lat == pytest.approx(50.0, abs=0.05) and abs(across.centre.lon) == 180.0
    two = projection_for([SUMY, LaunchPoint(48.5, 35.0)])
    assert two.name == f"Azimuthal equidistant projection centred on {two.centre.lat:.1f}° N, {two.centre.lon:.1f}° E"
    with pytest.raises(InputError, match="nothing to centre"):
        projection_for([])


def test_view_fits_the_coverage_with_a_margin() -> None:
    disk = shapely.Point(0, 0).buffer(300_000, 256)
    x0, x1, y0, y1 = view_extent([disk], [], 1.6)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(1.6)
    assert y0 < -300_000 and y1 > 300_000 and (y1 - y0) < 1.2 * 600_000


# --------------------------------------------------------------------------
# Input


@pytest.mark.parametrize(
    ("text", "size"),
    [("1600x1000", (1600, 1000)), ("square", SQUARE_SIZE), ("article", ARTICLE_SIZE), (" 1080 X 1350 ", (1080, 1350))],
)
def test_parse_image_size(text: str, size: tuple[int, int]) -> None:
    assert parse_image_size(text) == size


@pytest.mark.parametrize("text", ["big", "1600", "10x10", "1600x99999", "-5x100"])
def test_parse_image_size_refuses(text: str) -> None:
    with pytest.raises(InputError, match="image"):
        parse_image_size(text)


def test_image_format_from_suffix() -> None:
    assert image_format_for("a/b/map.SVG") == "svg"
    with pytest.raises(InputError, match=r"must end in \.png or \.svg"):
        image_format_for("map.jpeg")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "jpg"}, "image format"),
        ({"size": (100, 100)}, "image width"),
        ({"unit": "furlong"}, "unknown unit"),
        ({"colors": {"custom-x-300": "red"}}, "#rrggbb"),
    ],
    ids=["format", "size", "unit", "colour"],
)
def test_render_refuses_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"colors": {}, **kwargs}
    with pytest.raises(InputError, match=message):
        render_image([SUMY], [System.custom("X", 300)], **args)  # type: ignore[arg-type]


def test_render_needs_a_system_and_a_launch_point() -> None:
    with pytest.raises(InputError, match="weapon system"):
        render_image([SUMY], [], colors={})
    with pytest.raises(InputError, match="launch point"):
        render_image([], [System.custom("X", 300)], colors={})


# --------------------------------------------------------------------------
# CLI


def test_cli_writes_png_and_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "map.png"
    assert main(["image", "-w", "atacms-300", "--at", "50.9,34.8", "--size", "square", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == PNG_MAGIC
    assert mpimg.imread(png).shape[:2] == (1080, 1080)
    assert "1080×1080" in capsys.readouterr().out

    svg = tmp_path / "map.svg"
    argv = ["image", "--range-km", "500", "--min-range-km", "50", "--at", "-33.9,151.2", "--unit", "nmi"]
    assert main([*argv, "--title", "Sydney $x$", "--places", "0", "-o", str(svg)]) == 0
    texts = svg_texts(svg.read_bytes())
    assert "Sydney $x$" in texts
    assert any("nmi (50–500 km)" in t for t in texts)


def test_cli_launch_zone_from_a_geojson_file(tmp_path: Path) -> None:
    front = tmp_path / "front.geojson"
    front.write_text(
        '{"type": "Feature", "properties": {"name": "Front & <line>"},'
        ' "geometry": {"type": "LineString", "coordinates": [[35.2, 47.8], [37.8, 48.6]]}}',
        encoding="utf-8",
    )
    svg = tmp_path / "front.svg"
    assert main(["image", "-w", "atacms-300", "--from-geojson", str(front), "--places", "0", "-o", str(svg)]) == 0
    assert any("ATACMS" in t for t in svg_texts(svg.read_bytes()))
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    assert run_cli(["image", "-w", "atacms-300", "--from-geojson", str(broken), "-o", str(tmp_path / "b.png")]) == 2
    assert not (tmp_path / "b.png").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-w", "atacms-300", "--at", "50.9,34.8", "-o", "map.jpg"], "must end in .png or .svg"),
        (["-w", "atacms-300", "--at", "50.9,34.8", "-o", "map"], "must end in .png or .svg"),
        (["-w", "atacms-300", "-o", "map.png"], "--at"),
        (["-w", "nope", "--at", "50.9,34.8", "-o", "map.png"], "unknown weapon id"),
        (["-w", "atacms-300", "--at", "50.9,34.8", "--size", "huge", "-o", "map.png"], "image size"),
    ],
    ids=["jpg", "no-suffix", "no-launch", "unknown-weapon", "bad-size"],
)
def test_cli_bad_input_exits_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli(["image", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def run_cli(argv: list[str]) -> int:
    """The exit status, whether argparse exits (usage errors) or main returns it."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_cli_bad_suffix_in_a_real_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "image", "-w", "atacms-300", "--at", "50.9,34.8", "-o", str(tmp_path / "m.gif")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "must end in .png or .svg" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_cli_help_has_examples() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "image", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0
    assert "python -m geo image --weapon atacms-300" in proc.stdout and "--size" in proc.stdout


@pytest.mark.parametrize("edges", ["lonlat", "mercator"])
def test_a_zone_is_drawn_along_its_edges_meaning_not_as_geodesics(edges: str) -> None:
    """A line along 50° N is drawn along the parallel (the geodesic between its ends runs 48 km north)."""
    from geo.export.image import _zone_lines, projection_for
    from geo.scenario.zones import zone_from_latlons

    zone = zone_from_latlons([(50.0, 20.0), (50.0, 40.0)], closed=False, edges=edges)  # type: ignore[arg-type]
    projection = projection_for([], [zone])
    [line] = _zone_lines(zone, projection)
    # Back to lon/lat: every drawn vertex lies on the parallel (an azimuthal projection
    # would bow a two-vertex line's geodesic up to 48 km north of it).
    from pyproj import CRS, Transformer

    back = Transformer.from_crs(CRS.from_proj4(projection.proj4), "EPSG:4326", always_xy=True)
    _, lat = back.transform(line[:, 0], line[:, 1])
    assert len(line) > 50
    assert np.abs(lat - 50.0).max() < 0.01  # ≤ 1.1 km, drawn well under a pixel


# --------------------------------------------------------------------------
# Ring labels (issue 12)


def _ring_label_boxes(svg: bytes) -> list[tuple[float, float, float, float]]:
    """Each ring label's white box as the SVG draws it (ElementTree), (x0, y0, x1, y1) in SVG units."""
    boxes = []
    for g in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        if g.get("id") != "ring-label":
            continue
        path = next(g.iter(f"{SVG_NS}path"))
        xy = np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]).reshape(-1, 2)
        boxes.append((xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()))
    return boxes


@pytest.mark.parametrize("size", [(400, 400), ARTICLE_SIZE, "column"], ids=["small", "article", "column"])
def test_ring_labels_never_overlap_at_any_scale(size: object, catalog: Catalog) -> None:
    """Rings 20–85 km apart from one point: on a small image their spots are a few points apart."""
    systems = [*systems_from_ids(catalog, ["atacms-300", "atacms-165", "storm-shadow"]), System.custom("H <x>", 280)]
    dims = parse_image_size(size) if isinstance(size, str) else size
    svg = render_image([SUMY], systems, colors={}, fmt="svg", size=dims, place_labels=0)  # type: ignore[arg-type]
    boxes = _ring_label_boxes(svg)
    assert len(boxes) == len(systems)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (size, a, b)
