"""Shared fixtures: the catalog, and a real Chromium for browser tests.

Browser tests drive Debian's ``/usr/bin/chromium`` through Playwright (never
``playwright install``). Every request to anything but loopback is aborted, so
a test passes only if the page works with no internet (map tiles, which are the
one thing the product fetches from outside, simply fail to load). Without
Chromium they skip on a developer's machine, and fail when ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from geo.datasets.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent
# The on-disk reach cache of this test session (and of the servers and CLI
# runs it starts): a fresh folder, so no test depends on an earlier run.
os.environ.setdefault("WRM_CACHE_DIR", tempfile.mkdtemp(prefix="wrm-test-cache-"))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def _is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about"}:
        return True
    return (parsed.hostname or "") in {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium; skips without one, except under CI=true."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def is_loopback_or_file(url: str) -> bool:
    """Loopback, or a file on disk (an export opened from a folder)."""
    return urlparse(url).scheme == "file" or _is_loopback(url)


def block_outside(context: Any, allowed: Callable[[str], bool] = _is_loopback) -> list[str]:
    """Abort every request of a browser context whose URL is not ``allowed`` (loopback by default).

    Returns the list the refused URLs are appended to, for assertions.
    """
    blocked: list[str] = []

    def route(r: Any) -> None:
        if allowed(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


@pytest.fixture()
def offline_page(browser: Any) -> Iterator[Any]:
    """A fresh browser context whose non-loopback requests are all aborted.

    ``page.blocked`` lists the URLs that were refused, for assertions.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = block_outside(context)
    page = context.new_page()
    page.blocked = blocked
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots kept as test artifacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
