"""A click or a drop reaches the server at once, not after streamlit-folium's 250 ms debounce (issue 10).

WRM.report (static/wrm/wrm-rings.js) sends the value streamlit-folium's debounced
updateComponentValue would send, from a timer of 0 ms set by a click listener on the
map. A listener this test adds after it sets its own 0 ms timer, which runs right after
(timers of equal delay run in order): by then one value must have gone out, without
waiting for any delay. The debounced call, 250 ms later, must then send nothing more.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import map_frame
from tests.browser.test_map_browser import _idle, _leaflet, _markers, _query, _wait

pytestmark = pytest.mark.browser

# Count what goes to the server, and what had gone by the 0 ms timer after each click.
_SPY = """() => {
  window.__sent = []; window.__atZero = [];
  var S = window.Streamlit, send = S.setComponentValue;
  S.setComponentValue = function (v) { window.__sent.push(JSON.parse(JSON.stringify(v))); return send.apply(this, arguments); };
  window.map.getContainer().addEventListener('click', function () {
    setTimeout(function () { window.__atZero.push(window.__sent.length); }, 0);
  });
}"""


def test_a_click_and_a_drop_are_sent_at_once_and_once(app_url, offline_page):
    page = offline_page
    page.goto(app_url)
    frame = map_frame(page)
    _wait(lambda: _markers(frame) == 1, what="a marker")
    _idle(page)
    leaflet = _leaflet(page)
    _wait(lambda: leaflet.evaluate("!!(window.WRM && window.WRM.report && window.map && window.Streamlit)"), what="WRM")
    time.sleep(0.3)  # wrm-rings.js hooks the map's clicks within 100 ms of it existing
    leaflet.evaluate(_SPY)

    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    page.mouse.click(box["x"] + 200, box["y"] + 420)
    _wait(lambda: leaflet.evaluate("window.__atZero.length") == 1, what="the click's 0 ms timer")
    assert leaflet.evaluate("window.__atZero") == [1]  # sent before any delay
    time.sleep(0.6)  # the debounced call has run by now: it found nothing new
    sent = leaflet.evaluate("window.__sent")
    assert len(sent) == 1 and sent[0]["last_clicked"] is not None
    _wait(lambda: _markers(frame) == 2, what="the new point")
    _wait(lambda: len(_query(page).get("at", [])) == 2, what="the new point in the link")
    _idle(page)

    # A drop: the dragend handler reports the marker's click itself.
    leaflet = _leaflet(page)
    leaflet.evaluate("() => { window.__sent = []; }")
    first = _query(page)["at"][0]
    box = frame.locator(".wrm-launch").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + 4 * i, y + 2 * i)
    page.mouse.up()
    assert leaflet.evaluate("window.__sent.length") == 1  # at mouse-up, in the same task
    dropped = leaflet.evaluate("window.__sent[0]")
    assert dropped["last_object_clicked_tooltip"].startswith("Launch point 1")
    time.sleep(0.6)
    assert leaflet.evaluate("window.__sent.length") == 1
    _wait(lambda: _query(page)["at"][0] != first, what="the moved point in the link")
