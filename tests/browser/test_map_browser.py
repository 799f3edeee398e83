"""The map in a real Chromium, with every non-loopback request blocked.

Screenshots of each step are kept in test-artifacts/ (CI keeps the folder).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import map_frame, whole_page

pytestmark = pytest.mark.browser


def _leaflet(page: Any) -> Any:
    """The st_folium iframe's Frame (for evaluating JavaScript in it)."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("map frame not found")


def _wait(predicate: Any, timeout_s: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _query(page: Any) -> dict[str, list[str]]:
    # Streamlit updates the address bar with history.replaceState; page.url misses it.
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def _rings(frame: Any) -> list[str]:
    return frame.locator("path.leaflet-interactive").evaluate_all("els => els.map(e => e.getAttribute('d'))")


def _markers(frame: Any) -> int:
    return frame.locator(".wrm-launch").count()


def _idle(page: Any, quiet_s: float = 1.5, timeout_s: float = 60.0) -> None:
    """Wait until the whole page is there and the script has not run for ``quiet_s``.

    Streamlit marks the app root with ``data-test-script-state``; clicking while a
    rerun replaces the widgets can lose the click, so tests that click wait for quiet.
    A session's first paint is quiet too until the map reports in (webapp.first_paint):
    the page is settled once it is whole (``whole_page``).
    """
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        if state == "notRunning" and whole_page(page):
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet_s:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    raise AssertionError("the app did not settle")


def _open(page: Any, url: str) -> Any:
    page.goto(url)
    frame = map_frame(page)
    _wait(lambda: len(_rings(frame)) >= 1 and _markers(frame) >= 1, what="rings and markers")
    return frame


def test_default_map_draws_rings_offline(app_url, offline_page, artifacts):
    frame = _open(offline_page, app_url)
    _wait(lambda: len(_rings(frame)) == 3, what="three rings")
    assert _markers(frame) == 1
    assert frame.locator(".wrm-launch").first.inner_text().strip().startswith("1")
    # Nothing but map tiles was asked of the outside world.
    outside = [u for u in offline_page.blocked if "tile.openstreetmap.org" not in u]
    assert outside == []
    offline_page.screenshot(path=str(artifacts / "browser-1-default.png"))


def test_click_adds_point_drag_moves_rings_and_url_rebuilds(app_url, offline_page, browser, artifacts):
    page = offline_page
    frame = _open(page, app_url)
    leaflet = _leaflet(page)
    # Zoom in once: the zoom must survive every rerun that follows.
    frame.locator(".leaflet-control-zoom-in").click()
    _wait(lambda: leaflet.evaluate("window.map.getZoom()") == 7, what="zoom 7")

    # 1. A click on the map adds a launch point.
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    page.mouse.click(box["x"] + 120, box["y"] + box["height"] - 120)
    _wait(lambda: len(_query(page).get("at", [])) == 2, what="a second launch point in the URL")
    _wait(lambda: _markers(frame) == 2, what="a second marker")
    page.screenshot(path=str(artifacts / "browser-2-click-added.png"))

    # 2. Dragging marker 1 moves its rings and updates the URL.
    rings_before = _rings(frame)
    at_before = _query(page)["at"]
    marker = frame.locator(".wrm-launch").first
    mb = marker.bounding_box()
    x, y = mb["x"] + mb["width"] / 2, mb["y"] + mb["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 90, y - 40, steps=12)
    page.mouse.up()
    _wait(lambda: _query(page)["at"][0] != at_before[0], what="the dragged point in the URL")
    _wait(lambda: _rings(frame) != rings_before, what="rings redrawn")
    assert _query(page)["at"][1] == at_before[1]  # the other point stayed
    assert leaflet.evaluate("window.map.getZoom()") == 7  # no remount, zoom kept
    page.screenshot(path=str(artifacts / "browser-3-dragged.png"))

    # 3. The URL, opened in a fresh browser context, rebuilds the same map.
    url = page.evaluate("location.href")
    expected = _query(page)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    fresh = context.new_page()
    try:
        fresh_frame = _open(fresh, url)
        _wait(lambda: _markers(fresh_frame) == 2, what="both markers in the fresh context")
        assert _query(fresh) == expected
        assert len(_rings(fresh_frame)) == len(_rings(frame))
        fresh.screenshot(path=str(artifacts / "browser-4-shared-link.png"))
    finally:
        context.close()


# HTML, and a JavaScript template-literal break-out (folium writes tooltips between backticks).
NASTY = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script> & "q" `);window.__pwned=2;(` ${window.__pwned=3}'


def test_custom_names_that_look_like_markup_stay_text(app_url, offline_page, artifacts):
    from urllib.parse import urlencode

    page = offline_page
    query = urlencode({"at": f"50.9,34.8~{NASTY}", "c": f"{NASTY}:400", "w": "atacms-300"})
    frame = _open(page, f"{app_url}/?{query}")
    _wait(lambda: len(_rings(frame)) == 2, what="two rings")
    leaflet = _leaflet(page)
    # The marker label shows the name as typed (labels are cut at 60 characters).
    label = frame.locator(".wrm-launch").first.inner_text()
    assert NASTY[:60] in label
    # The legend beside the map, too.
    legend = page.get_by_text("onerror=", exact=False).first
    assert NASTY in legend.inner_text()
    # Hovering the custom ring (400 km, drawn first as the largest; its outer
    # band lies outside the 300 km ring) shows its tooltip as text.
    box = frame.locator("path.leaflet-interactive").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.06)
    _wait(lambda: frame.locator(".leaflet-tooltip").count() > 0, what="a tooltip")
    assert NASTY in frame.locator(".leaflet-tooltip").first.inner_text()
    # Nothing ran, in the page or in the map.
    assert page.evaluate("window.__pwned") is None
    assert leaflet.evaluate("window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("img[src='x']").count() == 0
    page.screenshot(path=str(artifacts / "browser-5-markup-names.png"))


def test_downloads_are_made_on_click(app_url, browser, artifacts, tmp_path):
    """The deferred exports (made when clicked) arrive whole: GeoJSON, the HTML map and the PNG."""
    import json

    from shapely.geometry import shape

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = context.new_page()
    try:
        _open(page, app_url)
        _idle(page)
        page.get_by_role("tab", name="Download").click()
        got = {}
        for label in (
            "GeoJSON (QGIS",
            "GeoJSON for D3 / Datawrapper (clockwise)",
            "Map as one HTML file",
            "Image, article 1600×1000 (PNG)",
        ):
            # Click only on a settled page: a click during a rerun can land on a
            # button being replaced, and the download then never starts.
            _idle(page)
            with page.expect_download(timeout=120_000) as info:
                page.get_by_role("button", name=label).click()
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            got[label] = path
        rings = json.loads(got["GeoJSON (QGIS"].read_text(encoding="utf-8"))
        clockwise = json.loads(got["GeoJSON for D3 / Datawrapper (clockwise)"].read_text(encoding="utf-8"))
        for doc, ccw in ((rings, True), (clockwise, False)):
            for f in doc["features"]:
                if f["geometry"]["type"] in ("Polygon", "MultiPolygon"):
                    polys = (
                        shape(f["geometry"]).geoms
                        if f["geometry"]["type"] == "MultiPolygon"
                        else [shape(f["geometry"])]
                    )
                    assert all(p.exterior.is_ccw is ccw for p in polys)
        assert rings["type"] == "FeatureCollection"
        coverage = [f for f in rings["features"] if "weapon_id" in f["properties"]]
        assert [f["properties"]["weapon_id"] for f in coverage] == ["atacms-300", "atacms-165", "storm-shadow"]
        assert [
            f["properties"]["name"] for f in rings["features"] if f["properties"].get("feature") == "launch point"
        ] == ["Sumy"]
        assert "<script src=" not in got["Map as one HTML file"].read_text(encoding="utf-8")
        png = got["Image, article 1600×1000 (PNG)"].read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (1600, 1000)
        (artifacts / "browser-6-download.png").write_bytes(png)
    finally:
        context.close()


def test_link_warnings_stay_until_the_user_acts(app_url, offline_page, artifacts):
    """A malformed link's warnings outlive the map reporting in; they go when dismissed."""
    page = offline_page
    _open(page, f"{app_url}/?at=50.91,34.80~Sumy&at=91,200&w=atacms-300,no-such-missile")
    alert = page.get_by_text("no-such-missile", exact=False).first
    alert.wait_for(timeout=30_000)
    # The map reports in (a rerun) within a second or two of drawing; the page must settle
    # with the warning still there, and stay so.
    _idle(page, quiet_s=3.0)
    time.sleep(3.0)
    assert alert.is_visible()
    assert page.get_by_text("91,200", exact=False).first.is_visible()
    # Zooming the map is not an action on the scenario: the warning stays.
    _map_frame = map_frame(page)
    _map_frame.locator(".leaflet-control-zoom-in").click()
    _idle(page)
    assert alert.is_visible()
    page.screenshot(path=str(artifacts / "browser-7-link-warnings.png"))
    # The link kept what was valid.
    query = _query(page)
    assert query["w"] == ["atacms-300"]
    assert query["at"] == ["50.91,34.8~Sumy"]
    page.get_by_role("button", name="Dismiss").click()
    _wait(lambda: page.get_by_text("no-such-missile", exact=False).count() == 0, what="the warning dismissed")


MARKDOWN_LINK = "[Map outdated: open corrected version](https://evil.example)"


def test_markdown_in_names_targets_and_bad_links_stays_text(app_url, offline_page, artifacts):
    """A link that makes the page's own text say something else (issue 13): no anchor, no formatting."""
    from urllib.parse import quote

    page = offline_page
    evil = quote(MARKDOWN_LINK, safe="")
    url = (
        f"{app_url}/?at=50.91,34.8~{evil}&at={evil}&w=atacms-300,{evil}&c={quote('**Bold** ' + MARKDOWN_LINK, safe='')}:400"
        f"&t={evil}&z=line:{evil}"
    )
    _open(page, url)
    _idle(page)
    page.get_by_role("tab", name="Does it reach…?").click()
    page.get_by_role("tab", name="Sources and caveats").click()
    _idle(page)
    # The text is on the page as typed...
    assert page.get_by_text("Map outdated: open corrected version", exact=False).count() >= 3
    # ...and never as a link or bold text made of it.
    hosts = page.locator("a[href]").evaluate_all("els => els.map(e => new URL(e.href, location.href).host)")
    assert "evil.example" not in hosts, hosts
    # (The page sets whole names in bold; the name's own ** must not make "Bold" a bold word.)
    strong = page.locator("strong, b").evaluate_all("els => els.map(e => e.innerText.trim())")
    assert "Bold" not in strong, strong
    assert any("**Bold**" in text for text in strong), strong
    page.screenshot(path=str(artifacts / "browser-8-markdown-stays-text.png"), full_page=True)


def test_a_link_with_more_fields_than_streamlit_reads_says_so(app_url, offline_page):
    """Past 999 fields Streamlit drops the whole query string; the page says so instead of a silent default."""
    page = offline_page
    fields = "&".join(f"at={50 + i / 1000:.3f},34.8" for i in range(1_200))
    _open(page, f"{app_url}/?{fields}&w=atacms-300")
    page.get_by_text("1,201 parts (the page reads at most 1,000)", exact=False).first.wait_for(timeout=30_000)
    _idle(page)
    assert page.get_by_text("1,201 parts", exact=False).first.is_visible()
    # Nothing of it was taken: the default map, said to be the default.
    assert _query(page)["at"] == ["50.91,34.8~Sumy"]


def _offline_context(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    return context


def test_two_sessions_never_see_each_other(app_url, browser, tmp_path, artifacts):
    """Points, names, uploads and messages of one visitor never reach another (issue 13)."""
    upload = tmp_path / "alpha-zone.geojson"
    upload.write_text(
        '{"type":"Feature","properties":{"name":"AlphaZone"},'
        '"geometry":{"type":"LineString","coordinates":[[30.0,48.0],[31.0,48.2]]}}',
        encoding="utf-8",
    )
    a_ctx, b_ctx = _offline_context(browser), _offline_context(browser)
    try:
        a, b = a_ctx.new_page(), b_ctx.new_page()
        # A: a named point, a target, a warning (a bad point in the link) and an uploaded zone.
        _open(a, f"{app_url}/?at=48.0,30.0~AlphaSecret&at=91,0&w=atacms-300&t=Kyiv")
        a.get_by_text("latitude 91", exact=False).first.wait_for(timeout=30_000)
        _idle(a)
        a.get_by_role("tab", name="Launch zones").click()
        a.locator("input[type='file']").set_input_files(str(upload))
        a.get_by_text("alpha-zone.geojson: 1 launch zone", exact=False).first.wait_for(timeout=30_000)
        _idle(a)
        # B opens the app meanwhile, and adds a point of its own.
        b_frame = _open(b, app_url)
        _idle(b)
        box = b.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
        b.mouse.click(box["x"] + 150, box["y"] + 150)
        _wait(lambda: _markers(b_frame) == 2, what="B's second marker")
        _idle(b)
        b_text = b.locator("body").inner_text()
        for secret in ("AlphaSecret", "AlphaZone", "alpha-zone.geojson", "Kyiv"):
            assert secret not in b_text, secret
        # A still has exactly what A made, and none of B's point.
        a.get_by_role("tab", name="Launch points").click()
        _idle(a)
        a_text = a.locator("body").inner_text()
        assert "AlphaSecret" in a_text and "AlphaZone" in a_text and "alpha-zone.geojson: 1 launch zone" in a_text
        assert _markers(map_frame(a)) == 1
        assert _query(a)["at"] == ["48,30~AlphaSecret"] and _query(a)["z"] == [
            "lonlat-line:48,30;48.2,31~AlphaZone"
        ]  # an upload (issue 9)
        a.screenshot(path=str(artifacts / "browser-9-session-a.png"))
        b.screenshot(path=str(artifacts / "browser-9-session-b.png"))
    finally:
        a_ctx.close()
        b_ctx.close()
