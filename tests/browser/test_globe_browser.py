"""The globe (issue 12) in a real Chromium, with every non-loopback request aborted and logged.

It must draw offline (the deck.gl inside Streamlit's frontend, no basemap, style,
font or CDN request), show the ring in its colour, and draw hostile names as
text on the canvas, never as HTML.
"""

from __future__ import annotations

import io
import time
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest

from tests.conftest import block_outside

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">'
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


def _globe_pixels(page: Any) -> np.ndarray:
    from PIL import Image

    chart = page.locator("[data-testid='stDeckGlJsonChart']")
    return np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).astype(int)


def _loopback(url: str) -> bool:
    return url.startswith(LOOPBACK)


def _open(browser: Any, url: str, dialogs: list[str]) -> Any:
    """The page at ``url``, every non-loopback request refused and listed in ``page.blocked``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = block_outside(context, _loopback)
    page = context.new_page()
    page.blocked = blocked
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=90_000)
    time.sleep(5)  # the globe's layers (land: 20,000 vertices) settle
    return page


def test_the_globe_draws_offline_in_the_rings_colour(app_url, browser, artifacts):
    dialogs: list[str] = []
    url = f"{app_url}/?at=54.71,20.51~{quote(HOSTILE)}&w=oreshnik&t={quote('Kyiv')}&g=1"
    page = _open(browser, url, dialogs)
    blocked = page.blocked
    try:
        px = _globe_pixels(page)
        page.screenshot(path=str(artifacts / "globe-browser.png"))
        assert blocked == []
        # The Oreshnik ring, the first system's colour (Okabe–Ito #E69F00), stroked on the globe.
        orange = (np.abs(px[:, :, 0] - 230) < 25) & (np.abs(px[:, :, 1] - 159) < 30) & (px[:, :, 2] < 60)
        assert orange.sum() > 500
        # The ocean sphere (206, 224, 240) is drawn, round and within the canvas.
        ocean = (np.abs(px[:, :, 0] - 206) < 8) & (np.abs(px[:, :, 1] - 224) < 8) & (np.abs(px[:, :, 2] - 240) < 8)
        assert ocean.sum() > 1000
        # The hostile name is drawn on the canvas: no element, no script, no dialog from it.
        assert dialogs == []
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("img[src='x']").count() == 0
    finally:
        page.context.close()


def test_a_ring_round_the_north_pole_draws_without_a_hole(app_url, browser, artifacts):
    page = _open(browser, f"{app_url}/?at=80,0~Svalbard&w=oreshnik&g=1", [])
    blocked = page.blocked
    try:
        px = _globe_pixels(page)
        page.screenshot(path=str(artifacts / "globe-browser-pole.png"))
        assert blocked == []
        h, w, _ = px.shape
        # No white in the middle of the globe: the pole is covered by ocean and the ring's fill.
        middle = px[h // 2 - 60 : h // 2 + 60, w // 2 - 60 : w // 2 + 60]
        assert int((middle.min(axis=2) > 250).sum()) == 0
    finally:
        page.context.close()


def test_the_switch_replaces_the_map_with_the_globe_and_back(app_url, browser, artifacts):
    from urllib.parse import parse_qs, urlparse

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    block_outside(context, _loopback)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?at=54.71,20.51~Kaliningrad&w=oreshnik")
        page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=90_000)
        assert page.locator("[data-testid='stDeckGlJsonChart']").count() == 0  # not built until chosen
        page.get_by_text("Globe", exact=True).click()
        page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=90_000)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "g" not in parse_qs(urlparse(page.evaluate("location.href")).query):
            time.sleep(0.25)
        assert parse_qs(urlparse(page.evaluate("location.href")).query)["g"] == ["1"]
        assert page.locator("iframe[title='streamlit_folium.st_folium']").count() == 0
        page.get_by_text("Flat map", exact=True).click()
        page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=90_000)
        page.wait_for_selector("[data-testid='stDeckGlJsonChart']", state="detached", timeout=30_000)
    finally:
        context.close()


def test_the_standalone_globe_draws_offline_from_a_file(browser, artifacts, tmp_path):
    from geo.analysis.analyse import analyse
    from geo.render.globe_html import globe_html
    from geo.scenario.model import LaunchPoint, Scenario, System

    a = analyse(Scenario(points=(LaunchPoint.at(54.71, 20.51, HOSTILE),), systems=(System.custom("X", 5500.0),)))
    path = tmp_path / "globe.html"
    path.write_text(globe_html(a, {a.results[0].system.id: "#E69F00"}, title=HOSTILE), encoding="utf-8")
    dialogs: list[str] = []
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    blocked = block_outside(context, lambda url: url.startswith(("file://", "data:", "blob:")))
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("#wrm-globe canvas", timeout=60_000)
        time.sleep(4)
        from PIL import Image

        px = np.asarray(Image.open(io.BytesIO(page.locator("#wrm-globe").screenshot())).convert("RGB")).astype(int)
        page.screenshot(path=str(artifacts / "globe-standalone.png"))
        assert blocked == []
        orange = (np.abs(px[:, :, 0] - 230) < 25) & (np.abs(px[:, :, 1] - 159) < 30) & (px[:, :, 2] < 60)
        assert orange.sum() > 500
        assert dialogs == [] and page.evaluate("window.__pwned === undefined")
        assert page.title() == HOSTILE  # the title shows the text, escaped in the page
        assert page.locator("img[src='x']").count() == 0
    finally:
        context.close()


def test_labels_show_near_the_rim_and_hide_behind_the_globe(browser, tmp_path):
    """A label stands up from its point: near the rim the sphere behind it must not hide it,
    and turned to the far side the globe must (deck.gl culls or shows all of it otherwise)."""
    from geo.analysis.analyse import analyse
    from geo.render.globe_html import globe_html
    from geo.scenario.model import LaunchPoint, Scenario, System

    # The 5,500 km ring's label sits at its southern point, near the rim of the framed globe.
    a = analyse(Scenario(points=(LaunchPoint.at(54.71, 20.51, "K"),), systems=(System.custom("X", 5500.0),)))
    path = tmp_path / "globe.html"
    path.write_text(globe_html(a, {a.results[0].system.id: "#111111"}), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page = context.new_page()
    try:
        from PIL import Image

        def dark() -> int:
            time.sleep(2.5)
            shot = page.locator("#wrm-globe").screenshot()
            px = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
            return int((px.sum(axis=2) < 150).sum())

        page.goto(path.as_uri())
        page.wait_for_selector("#wrm-globe canvas", timeout=60_000)
        # Text only: hide the legend, the ring (drawn in near-black) and the launch point's label.
        page.add_style_tag(content=".wrm-legend{display:none}")
        page.evaluate(
            "wrmGlobe.setProps({layers: wrmGlobe.props.layers.filter(l => l.id !== 'paths-ring')"
            ".map(l => l.id === 'labels' ? l.clone({data: l.props.data.filter(d => d.text !== '1 K')}) : l)})"
        )
        near_rim = dark()
        # The whole label, as drawn without any depth test.
        page.evaluate(
            "wrmGlobe.setProps({layers: wrmGlobe.props.layers.map(l => l.id === 'labels' ? "
            "l.clone({parameters: {cullMode: 'none', depthTest: false}}) : l)})"
        )
        whole = dark()
        assert whole > 15 and near_rim >= 0.95 * whole  # "X 5,500 km", not cut by the globe's bulge
        page.evaluate(
            "wrmGlobe.setProps({layers: wrmGlobe.props.layers.map(l => l.id === 'labels' ? "
            "l.clone({parameters: {cullMode: 'none'}}) : l)})"
        )
        page.evaluate("wrmGlobe.setProps({initialViewState: {latitude: -54.71, longitude: -159.49, zoom: 1}})")
        assert dark() == 0  # on the far side: hidden by the globe
    finally:
        context.close()
