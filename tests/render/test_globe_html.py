"""The standalone globe page (``python -m geo globe``, issue 12): offline, escaped, the same layers.

Drawn in Chromium offline by tests/browser/test_globe_browser.py.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys

from geo.analysis.analyse import analyse
from geo.render.globe import deck_spec, globe_layers
from geo.render.globe_html import FRAMED_HEIGHT_PX, VENDOR_DIR, deck_bundle, globe_html
from geo.render.html_export import external_resources
from geo.scenario.model import LaunchPoint, Scenario, System
from tests.conftest import ROOT

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
COLORS = {"custom-x-5500": "#E69F00"}


def _page(label: str = "Kaliningrad", title: str = "") -> tuple[str, object]:
    a = analyse(Scenario(points=(LaunchPoint.at(54.71, 20.51, label),), systems=(System.custom("X", 5500.0),)))
    return globe_html(a, {a.results[0].system.id: "#E69F00"}, title=title), a


def _spec(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="wrm-globe-spec">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_the_page_loads_nothing_from_outside():
    page, _ = _page()
    # The bundle's own text names unpkg in an error message for H3 layers (never used here);
    # Chromium checks that nothing is fetched (tests/browser/test_globe_browser.py).
    ours = page.replace(deck_bundle(), "")
    assert external_resources(ours) == []
    assert "<script src" not in ours and "<link" not in ours


def test_the_vendored_bundle_is_the_recorded_file():
    text = (VENDOR_DIR / "VENDORED.md").read_text()
    digest = hashlib.sha256((VENDOR_DIR / "deck.gl.min.js").read_bytes()).hexdigest()
    assert digest in text
    assert "</script" not in deck_bundle().lower()


def test_the_spec_is_the_apps_globe_layers():
    page, a = _page()
    assert _spec(page) == {**deck_spec(globe_layers(a, COLORS, height_px=FRAMED_HEIGHT_PX)), "framedHeightPx": 620}


def test_hostile_names_are_escaped_in_the_page_and_plain_in_the_canvas_data():
    page, _ = _page(label=HOSTILE, title=HOSTILE)
    # Only the page's own three scripts; no script or element from the name.
    page = page.replace(deck_bundle(), "")
    assert page.count("<script") == 3
    assert "<img src=x" not in page
    assert f"<title>{html.escape(HOSTILE)}</title>" in page
    texts = [d["text"] for layer in _spec(page)["layers"] if layer["@@type"] == "TextLayer" for d in layer["data"]]
    assert f"1 {HOSTILE}" in texts  # the canvas draws it as written


def test_the_cli_writes_a_globe_and_refuses_no_launch_site(tmp_path):
    out = tmp_path / "globe.html"
    done = subprocess.run(
        [sys.executable, "-m", "geo", "globe", "-w", "oreshnik", "--at", "54.71,20.51", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    spec = _spec(out.read_text(encoding="utf-8"))
    assert spec["views"][0]["@@type"] == "_GlobeView"
    assert (spec["initialViewState"]["latitude"], spec["initialViewState"]["longitude"]) == (54.71, 20.51)
    bad = subprocess.run(
        [sys.executable, "-m", "geo", "globe", "-w", "oreshnik"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "--at" in bad.stderr
