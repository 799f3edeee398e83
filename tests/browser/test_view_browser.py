"""The view travels with the link, and a new target is framed: checked in a real Chromium (issue 12).

Screenshots are kept in test-artifacts/.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import map_frame
from tests.browser.test_map_browser import _idle, _leaflet, _open, _query, _wait

pytestmark = pytest.mark.browser

LINK = "?at=50.91,34.8~Sumy&w=atacms-300&v=48.5,31.25,8"
MOSCOW = [55.7558, 37.6173]
SUMY = [50.91, 34.8]


def _view(leaflet: Any) -> tuple[float, float, int]:
    return tuple(leaflet.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"))


def _shows(leaflet: Any, point: list[float]) -> bool:
    return bool(leaflet.evaluate(f"window.map.getBounds().contains({point})"))


def test_a_link_with_a_view_opens_there_and_set_target_moscow_frames_moscow(app_url, offline_page, artifacts):
    page = offline_page
    _open(page, app_url + "/" + LINK)
    leaflet = _leaflet(page)
    # The recipient sees the sender's view: centre and zoom from v=.
    _wait(lambda: _view(leaflet)[2] == 8, what="zoom 8 from the link")
    lat, lon, _ = _view(leaflet)
    # Within a pixel (Leaflet snaps the centre to whole pixels when the frame is resized).
    pixel_deg = 360 / (256 * 2**8)
    assert (lat, lon) == pytest.approx((48.5, 31.25), abs=pixel_deg)
    _idle(page)
    lat_s, lon_s, zoom_s = _query(page)["v"][0].split(",")  # the map's first report keeps the link's view
    assert zoom_s == "8" and (float(lat_s), float(lon_s)) == pytest.approx((48.5, 31.25), abs=pixel_deg)
    assert not _shows(leaflet, MOSCOW)
    page.screenshot(path=str(artifacts / "view-1-link-view.png"))

    # The reader zooms out: the link follows, the map is not remounted.
    leaflet.evaluate("window.__same_map = true")
    page.frame_locator("iframe[title='streamlit_folium.st_folium']").locator(".leaflet-control-zoom-out").click()
    _wait(lambda: _query(page).get("v", [""])[0].endswith(",7"), what="zoom 7 in the link")
    _idle(page)

    # Set target Moscow: the map moves on purpose to show Moscow and the launch point.
    page.get_by_role("tab", name="Does it reach…?").click()
    box = page.get_by_role("textbox", name="Target: a place or coordinates")
    box.fill("Moscow")
    box.press("Enter")
    _wait(lambda: _shows(leaflet, MOSCOW), what="Moscow inside the map's bounds")
    _wait(lambda: _query(page).get("t") == ["Moscow"], what="the target in the link")
    assert _shows(leaflet, SUMY)
    assert leaflet.evaluate("window.__same_map === true")  # moved, not remounted
    _idle(page)
    # The link now carries the framed view, which is where the map is.
    lat_s, lon_s, zoom_s = _query(page)["v"][0].split(",")
    lat, lon, zoom = _view(leaflet)
    assert int(zoom_s) == zoom and (float(lat_s), float(lon_s)) == pytest.approx((lat, lon), abs=1e-4)
    page.screenshot(path=str(artifacts / "view-2-target-moscow.png"))


def _select_point(page, label: str) -> None:
    """Choose a launch point in the points tab; its boxes (and its Remove button) are shown once chosen."""
    page.locator('[data-testid="stRadio"]').get_by_text(label, exact=True).click()
    boxes = page.get_by_role("textbox", name=f"Coordinates of point {label.split('.')[0]}", exact=True)
    _wait(lambda: boxes.count() == 1, what=f"{label} chosen")
    _idle(page)


def test_undo_and_the_back_button_bring_back_the_previous_scenario(app_url, offline_page, artifacts):
    page = offline_page
    frame = _open(page, app_url + "/?at=50.91,34.8~Sumy&at=49.99,36.23~Kharkiv&w=atacms-300")
    _wait(lambda: frame.locator(".wrm-launch").count() == 2, what="two markers")
    _idle(page)
    # Remove point 1, then undo it with the button. The points tab edits the selected point.
    _select_point(page, "1. Sumy")
    page.get_by_role("button", name="Remove", exact=True).click()
    _wait(lambda: _query(page).get("at") == ["49.99,36.23~Kharkiv"], what="point 1 removed in the link")
    _idle(page)
    page.get_by_role("button", name="↶ Undo: remove launch point 1").click()
    _wait(lambda: len(_query(page).get("at", [])) == 2, what="point 1 back after Undo")
    _wait(lambda: frame.locator(".wrm-launch").count() == 2, what="two markers after Undo")
    page.screenshot(path=str(artifacts / "view-3-undo.png"))
    _idle(page)

    # Remove point 2, then the browser's Back button brings the two points back.
    _select_point(page, "2. Kharkiv")
    page.get_by_role("button", name="Remove", exact=True).click()
    _wait(lambda: _query(page).get("at") == ["50.91,34.8~Sumy"], what="point 2 removed in the link")
    _idle(page)
    with page.expect_event("load", timeout=30_000):  # Back reloads the page from the earlier link
        page.go_back()
    frame = map_frame(page)
    _wait(lambda: frame.locator(".wrm-launch").count() == 2, what="both markers after Back")
    assert _query(page)["at"] == ["50.91,34.8~Sumy", "49.99,36.23~Kharkiv"]
    page.screenshot(path=str(artifacts / "view-4-back.png"))
