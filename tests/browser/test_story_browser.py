"""The story mode in a real Chromium (issue 11): a step link opens its map and header; Next moves on
and the address bar keeps the step."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_map_browser import _idle, _open, _query, _wait

pytestmark = pytest.mark.browser


def test_a_step_link_then_next_moves_the_map_header_and_link(app_url: str, offline_page: Any, artifacts: Any) -> None:
    page = offline_page
    _open(page, f"{app_url}/?d=2023-09-22")
    _wait(
        lambda: "22 September 2023: Storm Shadow hits Black Sea Fleet headquarters" in page.inner_text("body"),
        timeout_s=90,
        what="the step's header",
    )
    _wait(lambda: _query(page).get("d") == ["2023-09-22"], what="the step in the address bar", timeout_s=90)
    assert _query(page)["w"] == ["storm-shadow"] and _query(page)["t"] == ["Sevastopol"]
    _idle(page)
    page.get_by_role("button", name="Next ▶").click()
    _wait(
        lambda: "17 October 2023: First ATACMS strikes" in page.inner_text("body"),
        timeout_s=90,
        what="the next step's header",
    )
    _wait(lambda: _query(page).get("d") == ["2023-10-17"], what="the next step in the address bar", timeout_s=90)
    assert _query(page)["w"] == ["atacms-165"]
    page.screenshot(path=str(artifacts / "browser-story-step.png"))
