"""Reverse reach drawn in a real Chromium (issue 12): a dashed outline in its own colour, from the link's ``r=``."""

from __future__ import annotations

import time
from typing import Any

import pytest

from geo.render.layers import REVERSE_COLOR, REVERSE_DASH
from tests.browser.conftest import map_frame

pytestmark = pytest.mark.browser


def _dashed(frame: Any) -> list[dict[str, Any]]:
    return frame.locator("path.leaflet-interactive").evaluate_all(
        """els => els.filter(e => e.getAttribute('stroke-dasharray')).map(e => {
            const b = e.getBoundingClientRect();
            return {dash: e.getAttribute('stroke-dasharray'), color: e.getAttribute('stroke'),
                    w: b.width, h: b.height};
        })"""
    )


def test_reverse_reach_from_the_link_is_drawn_dashed(app_url: str, offline_page: Any, artifacts: Any) -> None:
    offline_page.goto(f"{app_url}/?at=50.91,34.8&w=atacms-300&t=Kursk&r=atacms-300:UA")
    frame = map_frame(offline_page)
    deadline = time.monotonic() + 60
    found: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        found = [d for d in _dashed(frame) if d["color"] == REVERSE_COLOR]
        if found:
            break
        time.sleep(0.25)
    assert found, "no reverse-reach outline drawn"
    (outline,) = found
    assert outline["dash"] == REVERSE_DASH.replace(" ", ",") or outline["dash"] == REVERSE_DASH
    assert outline["w"] > 30 and outline["h"] > 30  # a real area on screen, not a speck
    offline_page.get_by_role("tab", name="Does it reach…?").click()  # the page builds the open tab only
    offline_page.get_by_text("The part of Ukraine from which").first.wait_for(timeout=30_000)
    offline_page.screenshot(path=str(artifacts / "browser-reverse-reach.png"))
