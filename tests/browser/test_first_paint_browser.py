"""A page load shows the map first; the whole page follows without moving or remounting it (issue 10).

webapp.first_paint: a session's first run draws what sits above the map and the map (its rings,
no borders), the map's first report brings the whole page. Checked in Chromium, offline: where
the map is and which iframe it is when its first ring is painted, and again once the sidebar,
the legend and the tabs are there; and that a map that never reports still gets the page.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.conftest import whole_page
from tests.browser.test_map_browser import _leaflet, _query, _wait
from tests.conftest import block_outside

pytestmark = pytest.mark.browser

MAP = "iframe[title='streamlit_folium.st_folium']"

#: In the map's iframe, once its first ring can be seen: mark the iframe's window, and keep the
#: iframe's box and what the page holds at that moment in the top page.
_AT_FIRST_RING = """(() => {
  if (window === window.top) return;
  const every = setInterval(() => {
    // Seen: the ring is drawn and the page has given the iframe its height (until then it is 0 px
    // tall, a few pixels lower, and shows nothing).
    const box = window.frameElement.getBoundingClientRect();
    if (!document.querySelector('path.leaflet-interactive') || box.height === 0) return;
    clearInterval(every);
    window.__wrmFirstWindow = true;
    const top = window.top, doc = top.document;
    top.__wrmAtFirstRing = {
      box: [box.x, box.y, box.width, box.height],
      tabs: doc.querySelectorAll('[data-testid="stTabs"]').length,
      systems: doc.querySelectorAll('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').length,
      search: doc.querySelectorAll('.st-key-wrm_find_row input[type="text"]').length,
      borders: document.querySelectorAll('path.leaflet-interactive, path').length,
    };
  }, 4);
})();"""


def _page(browser: Any, **blocks: Any) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    block_outside(context, **blocks)
    context.add_init_script(_AT_FIRST_RING)
    return context, context.new_page()


def _whole(page: Any) -> bool:
    return whole_page(page) and bool(page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count())


def _box(page: Any) -> list[float]:
    b = page.locator(MAP).bounding_box()
    return [b["x"], b["y"], b["width"], b["height"]]


def test_the_map_comes_first_and_stays_put_when_the_page_follows(app_url, browser):
    context, page = _page(browser)
    try:
        page.goto(f"{app_url}/?at=50.91,34.8~Sumy&w=atacms-300,storm-shadow")
        _wait(lambda: page.evaluate("!!window.__wrmAtFirstRing"), 60, "the first ring")
        first = page.evaluate("window.__wrmAtFirstRing")
        assert first["search"] == 1  # what sits above the map is there, so the map is where it stays
        _wait(lambda: _whole(page), 30, "the whole page")
        leaflet = _leaflet(page)
        assert leaflet.evaluate("window.__wrmFirstWindow === true"), "the map's iframe was replaced"
        assert _box(page) == pytest.approx(first["box"], abs=0.5), "the map moved when the page came"
        # The whole page: the legend beside the map, the context layers on it, the same scenario.
        assert page.locator('[data-testid="stPopover"], .st-key-wrm_phone_legend').count() >= 1
        _wait(lambda: leaflet.evaluate("document.querySelectorAll('.wrm-place').length") > 0, 20, "place names")
        assert _query(page)["at"] == ["50.91,34.8~Sumy"] and _query(page)["w"] == ["atacms-300,storm-shadow"]
        assert "Storm Shadow" in page.locator('[data-testid="stSidebar"]').inner_text()
        assert leaflet.evaluate("document.querySelectorAll('.wrm-launch').length") == 1
    finally:
        context.close()


def test_a_map_that_never_reports_still_gets_the_whole_page(app_url, browser):
    """streamlit-folium's own script refused: no map, so no report; the fallback asks for the page."""
    context, page = _page(
        browser,
        allowed=lambda url: url.startswith(("http://127.0.0.1", "ws://127.0.0.1")) and "streamlit_folium" not in url,
    )
    try:
        started = time.monotonic()
        page.goto(app_url)
        page.wait_for_selector(MAP, state="attached", timeout=60_000)
        _wait(lambda: _whole(page), 30, "the whole page without the map's report")
        assert time.monotonic() - started >= 2.0  # it came from the fallback's timer, not at once
        assert not page.evaluate("!!window.__wrmAtFirstRing")  # no map was drawn
    finally:
        context.close()
