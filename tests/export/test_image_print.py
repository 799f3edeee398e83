"""Images for print and for every script (issue 9): print sizes, margins, fonts and bidi.

Independent readers: rsvg-convert (librsvg) renders the SVG to check its
margins; Chromium lays out the SVG's text to check the visual order of the
Arabic run; matplotlib's own libraqm layout is what Agg draws into the PNG.
Each skips on a developer machine without the tool, never under CI=true
(.ci/run installs librsvg2-bin and fonts-wqy-microhei).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from geo.core.coords import LatLon
from geo.datasets.catalog import Catalog
from geo.export.image import (
    ARTICLE_SIZE,
    PRINT_SIZES,
    SQUARE_SIZE,
    TEXT_FIT,
    PrintSize,
    TypeSizes,
    _isolate,
    font_families,
    render_image,
)
from geo.scenario.model import LaunchPoint, System, systems_from_ids
from tests.conftest import IN_CI

SVG_NS = "{http://www.w3.org/2000/svg}"
KYIV = LaunchPoint(50.45, 30.52, "Київ")
ARABIC = "نظام"  # "system"
HEBREW = "מערכת"
CHINESE = "导弹系统"  # "missile system"
UKRAINIAN = "Ракета «Нептун»"
CJK_FONTS = {"Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"}
CJK_FONTS |= {"Droid Sans Fallback"}


def _need(ok: bool, why: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(f"{why}: CI must have it (.ci/run installs it)")
        pytest.skip(why)


def _need_cjk_font() -> None:
    _need(bool(CJK_FONTS & set(font_families())), "no CJK font installed (apt-get install fonts-wqy-microhei)")


def _multiscript_systems() -> list[System]:
    return [
        System.custom(ARABIC, 400),
        System.custom(CHINESE, 300),
        System.custom(UKRAINIAN, 200),
        System.custom(HEBREW, 250),
    ]


def _render_strict(**kwargs: Any) -> bytes:
    """Render with matplotlib's "Glyph … missing from font(s)" warning raised as an error."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from font")
        return render_image(**kwargs)


def _multiscript(fmt: str, size: tuple[int, int] | PrintSize = ARTICLE_SIZE) -> bytes:
    return _render_strict(
        points=[KYIV],
        systems=_multiscript_systems(),
        colors={},
        fmt=fmt,
        size=size,
        title=f"Дальність — 射程 — مدى {ARABIC}",
        target=LatLon(50.0, 36.23),
        target_label="Харків — خاركيف",
    )


def _texts(svg: bytes) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG_NS}text"))


def _font_size(el: ET.Element) -> float:
    match = re.search(r"font-size: ([\d.]+)px", el.get("style", ""))
    assert match, el.get("style")
    return float(match.group(1))


# --------------------------------------------------------------------------
# Print sizes


@pytest.mark.parametrize("name", list(PRINT_SIZES))
def test_print_png_is_300_dpi_at_its_size_in_mm(name: str) -> None:
    size = PRINT_SIZES[name]
    png = render_image([KYIV], [System.custom("X", 300)], colors={}, size=size)
    image = Image.open(io.BytesIO(png))
    assert image.size == size.pixels
    assert image.size == (round(size.width_mm / 25.4 * 300), round(size.height_mm / 25.4 * 300))
    dpi_x, dpi_y = image.info["dpi"]
    assert dpi_x == pytest.approx(300, abs=0.01) and dpi_y == pytest.approx(300, abs=0.01)


@pytest.mark.parametrize("name", list(PRINT_SIZES))
def test_print_svg_sets_type_in_points(name: str, catalog: Catalog) -> None:
    """The SVG's viewBox is in points (72 per inch) and its size in mm: a font-size is the printed size in pt."""
    size = PRINT_SIZES[name]
    systems = systems_from_ids(catalog, ["atacms-300", "storm-shadow"])
    svg = render_image([LaunchPoint(50.91, 34.8, "Sumy")], systems, colors={}, size=size, fmt="svg", title="T")
    root = ET.fromstring(svg)
    assert root.get("width") == f"{size.width_mm:g}mm" and root.get("height") == f"{size.height_mm:g}mm"
    _, _, vb_w, vb_h = (float(v) for v in (root.get("viewBox") or "").split())
    assert vb_w == pytest.approx(size.width_mm / 25.4 * 72, rel=1e-3)
    assert vb_h == pytest.approx(size.height_mm / 25.4 * 72, rel=1e-3)
    texts = _texts(svg)
    by_text = {(el.text or ""): _font_size(el) for el in texts}
    assert by_text["T"] == size.type_pt.title
    assert by_text["Sumy"] == size.type_pt.label
    footer = [s for t, s in by_text.items() if t.startswith("Sources:")]
    assert footer == [size.type_pt.footer]
    assert min(by_text.values()) >= 6.0  # nothing printed below 6 pt


def test_screen_sizes_are_unchanged() -> None:
    assert TypeSizes.scaled(1.0).label == 11.0
    png = render_image([KYIV], [System.custom("X", 300)], colors={}, size=ARTICLE_SIZE)
    image = Image.open(io.BytesIO(png))
    assert image.size == ARTICLE_SIZE
    assert image.info["dpi"][0] == pytest.approx(100, abs=0.01)


def test_cli_image_print_size(tmp_path: Path) -> None:
    from geo.cli import main

    out = tmp_path / "col.png"
    stdout = io.StringIO()
    code = main(["image", "--range-km", "300", "--at", "50.9,34.8", "--size", "column", "-o", str(out)], out=stdout)
    assert code == 0
    assert "column, 85 × 130 mm at 300 dpi, 1004×1535 px PNG" in stdout.getvalue()
    assert Image.open(out).size == PRINT_SIZES["column"].pixels


# --------------------------------------------------------------------------
# Margins, checked by an independent renderer


def _ink_columns(png: bytes) -> tuple[int, int]:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    ink = pixels.min(axis=2) < 200
    cols = np.flatnonzero(ink.any(axis=0))
    return int(cols.min()), int(cols.max())


def _rsvg(svg: bytes, dpi: int) -> bytes:
    tool = shutil.which("rsvg-convert")
    _need(tool is not None, "rsvg-convert not found (apt-get install librsvg2-bin)")
    assert tool is not None
    run = subprocess.run(
        [tool, "--dpi-x", str(dpi), "--dpi-y", str(dpi), "--format", "png"],
        input=svg,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return run.stdout


LONG_TITLE = (
    "Which of the long-range strike systems reported for Ukraine's armed forces reach the airfields, "
    "depots and rail junctions of Kursk, Belgorod and Bryansk regions"
)
LONG_NAME = "A system whose name is far longer than anything in the catalog, with a designation XK-1234567890-ABCDEFG"


@pytest.mark.parametrize(
    "size",
    [ARTICLE_SIZE, SQUARE_SIZE, (800, 600), PRINT_SIZES["column"], PRINT_SIZES["page"]],
    ids=["article", "square", "small", "column", "page"],
)
def test_svg_text_keeps_its_margin_in_rsvg(size: Any, catalog: Catalog) -> None:
    """Issue 9: the footer reached x = 1598 of 1600 in rsvg. Every line now ends inside the margin."""
    systems = [*systems_from_ids(catalog, ["atacms-300", "atacms-165", "storm-shadow"]), System.custom(LONG_NAME, 120)]
    kwargs: dict[str, Any] = {"colors": {}, "title": LONG_TITLE, "size": size}
    points = [LaunchPoint(50.91, 34.8, "Sumy"), LaunchPoint(48.46, 35.05, "Dnipro")]
    svg = render_image(points, systems, fmt="svg", **kwargs)
    dpi = size.dpi if isinstance(size, PrintSize) else 96  # rsvg maps CSS px 1:1 at 96 dpi
    width = size.pixels[0] if isinstance(size, PrintSize) else size[0]
    rendered = _rsvg(svg, dpi)
    assert Image.open(io.BytesIO(rendered)).size[0] == pytest.approx(width, abs=1)
    scale = (size.type_pt.label / 11.0) * (size.dpi / 100.0) if isinstance(size, PrintSize) else min(size) / 1000.0
    pad = 30.0 * scale
    left, right = _ink_columns(rendered)
    print(f"{size}: ink from x={left} to x={right} of {width} (margin {pad:.0f} px)")
    assert left >= 0.85 * pad  # a key swatch's edge or a glyph's bearing may reach a little left
    assert right <= width - pad + 1, (right, width - pad)
    # The PNG keeps the same margin.
    png_left, png_right = _ink_columns(render_image(points, systems, fmt="png", **kwargs))
    assert png_left >= 0.85 * pad and png_right <= width - pad + 1


def test_lines_are_wrapped_with_room_to_spare() -> None:
    from geo.export.image import _wrap

    lines = _wrap("word " * 60, 100.0, lambda t: float(len(t)))
    assert max(len(line) for line in lines) <= 100.0 * TEXT_FIT
    assert " ".join(lines).split() == ["word"] * 60


# --------------------------------------------------------------------------
# Scripts: fonts and bidi


def test_chinese_arabic_hebrew_ukrainian_have_every_glyph() -> None:
    """No character falls back to the .notdef box: matplotlib's missing-glyph warning fails the test."""
    _need_cjk_font()
    for fmt in ("png", "svg"):
        assert _multiscript(fmt)
    assert _multiscript("png", PRINT_SIZES["page"])


def test_without_a_cjk_font_it_still_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a machine with DejaVu Sans only, CJK becomes boxes with matplotlib's warning, and nothing fails."""
    import geo.export.image as image

    monkeypatch.setattr(image, "font_families", lambda: ("DejaVu Sans",))
    with pytest.warns(UserWarning, match="missing from font"):
        png = render_image([KYIV], [System.custom(CHINESE, 300)], colors={})
    assert png.startswith(b"\x89PNG")


def test_svg_names_the_fallback_fonts() -> None:
    _need_cjk_font()
    svg = _multiscript("svg")
    style = next(el.get("style", "") for el in _texts(svg) if CHINESE in (el.text or ""))
    families = re.search(r"font-family: ([^;]+)", style)
    assert families and families.group(1).startswith("'DejaVu Sans', ")
    assert any(name in families.group(1) for name in CJK_FONTS)


def test_rtl_names_are_isolated_in_the_text() -> None:
    svg = _multiscript("svg") if CJK_FONTS & set(font_families()) else None
    if svg is None:
        svg = render_image([KYIV], [System.custom(ARABIC, 400)], colors={}, fmt="svg")
    texts = [el.text or "" for el in _texts(svg)]
    assert f"\u2068{ARABIC}\u2069: 400 km" in texts
    assert any(t.startswith("Sources: ") and f"\u2068{ARABIC}\u2069: user-defined range" in t for t in texts)


def _layout_x(text: str) -> list[tuple[str, float]]:
    """Where matplotlib's libraqm layout (what Agg draws into the PNG) puts each character."""
    from matplotlib import _text_helpers
    from matplotlib.font_manager import FontProperties, fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(FontProperties(family=list(font_families()))))
    font.set_size(12, 72)
    return [(item.char, item.x) for item in _text_helpers.layout(text, font)]


def _check_visual_order(xs: dict[int, float], text: str) -> None:
    """The Arabic word reads right to left, and the whole word stands left of ": 400 km" (an LTR line)."""
    start = text.index(ARABIC)
    arabic = [xs[start + i] for i in range(len(ARABIC))]
    assert arabic == sorted(arabic, reverse=True), arabic  # first letter rightmost
    rest = text.index("400")
    assert max(arabic) < xs[rest] < xs[rest + 1] < xs[rest + 2]
    assert xs[text.index("km")] > xs[rest + 2]


def test_png_layout_puts_the_arabic_run_in_visual_order() -> None:
    label = _isolate(ARABIC) + ": 400 km"
    placed = _layout_x(label)  # glyphs left to right
    xs = [x for _, x in placed]
    assert xs == sorted(xs)
    visual = "".join(c for c, _ in placed if c not in "\u2068\u2069")
    assert visual == ARABIC[::-1] + ": 400 km"  # the name's last letter leftmost, then ": 400 km"
    # Without the isolate the bidi algorithm drew "km 400 :نظام" (the issue): the number left of the name.
    bare = "".join(c for c, _ in _layout_x(ARABIC + ": 400 km"))
    assert bare == "km 400 :" + ARABIC[::-1]


@pytest.mark.browser
def test_svg_arabic_run_in_visual_order_in_chromium(browser: Any, tmp_path: Path, artifacts: Path) -> None:
    """Chromium lays out the SVG's own text: each character's position after its bidi reordering."""
    svg = render_image([KYIV], [System.custom(ARABIC, 400), System.custom(UKRAINIAN, 200)], colors={}, fmt="svg")
    path = tmp_path / "bidi.svg"
    path.write_bytes(svg)
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        label = f"\u2068{ARABIC}\u2069: 400 km"
        xs = page.evaluate(
            """(label) => {
                const el = [...document.querySelectorAll("text")].find(t => t.textContent === label);
                if (!el) { return null; }
                const n = el.getNumberOfChars();
                return [...Array(n).keys()].map(i => el.getStartPositionOfChar(i).x);
            }""",
            label,
        )
        assert xs is not None, "the key's label is not in the SVG"
        _check_visual_order(dict(enumerate(xs)), label)
        page.set_viewport_size({"width": 1600, "height": 1000})
        page.screenshot(path=str(artifacts / "image-bidi-svg.png"))
    finally:
        page.close()
