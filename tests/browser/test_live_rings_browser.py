"""The live ring preview (issue 10) in the real app: Streamlit, st_folium's iframe, Chromium.

While marker 1 is dragged, before the mouse is released: one preview polygon
per system is drawn and follows the marker, and the server's rings are
dimmed. After the drop and the rerun: the preview is gone (removed with the
old feature groups) and the server's new rings are the preview's last frame,
to the map's 1e-5° rounding, so the swap shows no jump.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import map_frame
from tests.browser.test_map_browser import _idle, _leaflet, _wait

pytestmark = pytest.mark.browser

_PREVIEW = """() => {
  var out = [];
  window.map.eachLayer(function (l) {
    if (l instanceof L.Polygon && !l.options.interactive && !l.feature) {
      out.push({color: l.options.color, rings: l.getLatLngs().map(function (p) {
        return p.map(function (r) { return r.map(function (q) { return [q.lat, q.lng]; }); }); })});
    }
  });
  return out;
}"""

_SERVER = """() => {
  var out = [];
  window.map.eachLayer(function (l) {
    if (l.feature && l.feature.properties && l.feature.properties.wrmSystem && l.getLatLngs) {
      var ll = l.getLatLngs();
      if (!Array.isArray(ll[0][0])) ll = [ll];  // a Polygon: one more level, as a MultiPolygon
      out.push({color: l.options.color, opacity: l.options.opacity, rings: ll.map(function (p) {
        return p.map(function (r) { return r.map(function (q) { return [q.lat, q.lng]; }); }); })});
    }
  });
  return out;
}"""

_MARKER = "() => { var p = null; window.map.eachLayer(function (l) { if (l.dragging && l.getLatLng) p = l.getLatLng(); }); return [p.lat, p.lng]; }"


def _vertices(layer: dict[str, Any]) -> list[tuple[float, float]]:
    return [(v[0], v[1]) for poly in layer["rings"] for ring in poly for v in ring]


def _centre(layer: dict[str, Any]) -> tuple[float, float]:
    vs = _vertices(layer)
    return sum(v[0] for v in vs) / len(vs), sum(v[1] for v in vs) / len(vs)


def _drag_first_marker(page: Any, frame: Any, leaflet: Any, steps: int, dx: float, dy: float) -> list[Any]:
    """Press the first launch marker and move it ``steps`` animation frames by (dx, dy) px each,
    leaving the mouse down: (preview, marker position) at the 10th frame and the last."""
    box = frame.locator(".wrm-launch").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    seen = []
    for i in range(1, steps + 1):
        page.mouse.move(x + dx * i, y + dy * i)
        leaflet.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        if i in (10, steps):
            seen.append((leaflet.evaluate(_PREVIEW), leaflet.evaluate(_MARKER)))
    return seen


def _server_replaced(leaflet: Any, last: list[dict[str, Any]], layers: int) -> list[dict[str, Any]]:
    """After the drop: the server's ``layers`` layers replace the preview, each with as many vertices
    as the preview drew (rounded to 5 decimals), every preview vertex within 2e-5° of one of them.
    Returns the server's layers."""
    _wait(lambda: not leaflet.evaluate(_PREVIEW), what="the preview replaced by the rerun")
    after = leaflet.evaluate(_SERVER)
    assert len(after) == layers
    for preview in last:
        server = next(s for s in after if s["color"] == preview["color"])
        have, want = _vertices(preview), _vertices(server)
        assert len({(round(a, 5), round(b, 5)) for a, b in have}) == len(set(want))
        worst = max(min(abs(a - c) + abs(b - d) for c, d in want) for a, b in have)
        assert worst <= 2e-5, worst
    return after  # type: ignore[no-any-return]


def test_rings_follow_the_dragged_marker_and_equal_the_server_rings(app_url, offline_page, artifacts):
    page = offline_page
    page.goto(app_url)
    frame = map_frame(page)
    _wait(lambda: frame.locator(".wrm-launch").count() == 1, what="a marker")
    _idle(page)
    leaflet = _leaflet(page)
    _wait(lambda: leaflet.evaluate("!!(window.WRM && window.geodesic && window.map)"), what="the preview scripts")
    assert leaflet.evaluate("geodesic.Constants.version_string") == "2.2.0"
    _wait(lambda: len(leaflet.evaluate(_SERVER)) == 3, what="the three server rings")
    before = leaflet.evaluate(_SERVER)

    seen = _drag_first_marker(page, frame, leaflet, 40, 3, -1.5)
    dimmed = leaflet.evaluate(_SERVER)
    page.screenshot(path=str(artifacts / "browser-live-rings-mid-drag.png"))
    page.mouse.up()

    (first, at_first), (last, at_last) = seen
    assert sorted(p["color"] for p in last) == sorted(s["color"] for s in before)  # one preview per system
    # Mid-drag the preview moved with the marker: its centre by the marker's own shift.
    for a, b in zip(first, last, strict=True):
        (lat_a, lon_a), (lat_b, lon_b) = _centre(a), _centre(b)
        assert abs((lon_b - lon_a) - (at_last[1] - at_first[1])) < 0.05
        assert abs((lat_b - lat_a) - (at_last[0] - at_first[0])) < 0.1
    assert at_last != at_first
    assert all(layer["opacity"] == 0.35 for layer in dimmed)  # the last server result, dimmed meanwhile

    after = _server_replaced(leaflet, last, 3)
    assert all(layer["opacity"] != 0.35 for layer in after)
    assert not page.blocked or all("tile.openstreetmap.org" in u for u in page.blocked)


def test_a_point_dragged_twice_moves_twice(app_url, offline_page):
    """The first drop renames the point (its coordinates), and the points radio then handed the
    selection back as something not an index: the second drop raised a TypeError (issue 10)."""
    page = offline_page
    page.goto(app_url)
    frame = map_frame(page)
    _wait(lambda: frame.locator(".wrm-launch").count() == 1, what="a marker")
    for k in range(2):
        _idle(page)
        leaflet = _leaflet(page)
        before = leaflet.evaluate(_MARKER)
        box = frame.locator(".wrm-launch").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        for i in range(1, 16):
            page.mouse.move(x + 4 * i, y + (2 if k else -2) * i)
            leaflet.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        page.mouse.up()
        _wait(
            lambda b=before: _leaflet(page).evaluate(_MARKER) != b and not _leaflet(page).evaluate(_PREVIEW),
            what=f"drop {k + 1}",
        )
    _idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert len(_leaflet(page).evaluate(_SERVER)) == 3


FAN_LINK = "/?at=50.91,34.8~Sumy~az60w90&w=atacms-300,storm-shadow"


def test_a_range_fan_follows_the_drag_and_equals_the_server_fan(app_url, offline_page, artifacts):
    """Issue 12: a point with a fan (bearing 060°, width 90°) previews its fans, not rings, while
    dragged (WRM.sectorLatLngs), and the server's fans after the drop are the preview's last frame."""
    page = offline_page
    page.goto(app_url + FAN_LINK)
    frame = map_frame(page)
    _wait(lambda: frame.locator(".wrm-launch").count() == 1, what="a marker")
    _idle(page)
    leaflet = _leaflet(page)
    _wait(lambda: len(leaflet.evaluate(_SERVER)) == 2, what="the two server fans")

    seen = _drag_first_marker(page, frame, leaflet, 30, -3, 2)
    page.screenshot(path=str(artifacts / "browser-live-fan-mid-drag.png"))
    page.mouse.up()

    (first, at_first), (last, at_last) = seen
    assert len(last) == 2 and at_last != at_first
    for layer, at in ((last[0], at_last), (first[0], at_first)):
        vs = _vertices(layer)
        # A fan without a minimum range has its apex at the launch point; a ring has none near it.
        assert min(abs(a - at[0]) + abs(b - at[1]) for a, b in vs) < 1e-9
        # …and lies east-north-east of it (bearing 015°–105°): nothing south-west of the marker.
        assert all(a >= at[0] - 1.0 and b >= at[1] - 1e-9 for a, b in vs)
    _server_replaced(leaflet, last, 2)
