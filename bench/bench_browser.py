"""The map in Chromium against a bare streamlit-folium page: first ring, drop and click round-trips,
the drag preview's cost per frame (issue 10).

Starts, on loopback, ``streamlit run app.py`` and a bare page (``st_folium`` of a
``folium.Map`` with one ``folium.Circle``, Leaflet from the same static folder,
nothing else), and drives both in one Chromium with every non-loopback request
refused (map tiles fail, as offline). Prints:

- first ring after page load, cold (the app's first page after its server
  started) and warm (median of ``--loads`` fresh pages), for each and as a ratio,
  with when the map's iframe started loading and how many JS/CSS files each page fetched;
- drop → server-confirmed rings and click → new point with rings: medians over
  ``--tries`` drags and clicks, from the input event (mouse-up / mouse-down) to the first paint
  after the new layers are drawn, on the page's clock; and as Playwright saw it (it polls);
  and click → the rest of the page (the points tab) painted with the new point;
- the drag preview's cost per frame (``WRM.ringLatLngs`` plus Leaflet's
  ``setLatLngs`` for every system, timed in the page with ``performance.now``)
  over a scripted drag of 60 frames, and whether the ring moved before mouse-up.

Figures only, never assertions (two shared cores: compare the ratios).

    python -m bench.bench_browser [--tries 7] [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_load import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server

BARE_APP = """
import folium
import streamlit as st
from streamlit_folium import st_folium

import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

static = Path(__file__).resolve().parent / "static" / "leaflet"
static.mkdir(parents=True, exist_ok=True)
shutil.copy2(Path(xleaflet.BASE_DIR) / "leaflet.js", static / "leaflet.js")  # Leaflet only, as the app's


class Offline(folium.Map):
    default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
    default_css = [("leaflet_css", "/app/static/leaflet/leaflet.css")]


m = Offline(location=(51.0, 35.6), zoom_start=6, tiles=None)
folium.Circle((50.91, 34.8), radius=300_000, color="#c00").add_to(m)
st_folium(m, height=620, use_container_width=True, returned_objects=[])
"""

FRAME_SELECTOR = "iframe[title='streamlit_folium.st_folium']"
WAIT_S = 60.0

# Time the preview's work per animation frame: ring computation and Leaflet's setLatLngs.
_INSTRUMENT = """() => {
  if (window.__wrmTimed) return;
  window.__wrmTimed = true; window.__frames = []; var acc = 0, pending = false;
  function wrap(obj, name) {
    var f = obj[name];
    obj[name] = function () { var t = performance.now(); try { return f.apply(this, arguments); }
      finally { acc += performance.now() - t; if (!pending) { pending = true; requestAnimationFrame(function () {
        window.__frames.push(acc); acc = 0; pending = false; }); } } };
  }
  wrap(window.WRM, 'ringLatLngs'); wrap(L.Polygon.prototype, 'setLatLngs');
}"""
_PREVIEW_COUNT = (
    "() => { var n = 0; window.map.eachLayer(function (l) {"
    " if (l instanceof L.Polygon && !l.options.interactive && !l.feature) n++; }); return n; }"
)
_PREVIEW_FIRST = (
    "() => { var v = null; window.map.eachLayer(function (l) {"
    " if (!v && l instanceof L.Polygon && !l.options.interactive && !l.feature) {"
    " var p = l.getLatLngs()[0]; v = p && p[0] && p[0][0] ? [p[0][0].lat, p[0][0].lng] : null; } }); return v; }"
)
_SERVER_RINGS = (
    "() => { var n = 0; window.map.eachLayer(function (l) {"
    " if (l.feature && l.feature.properties && l.feature.properties.wrmSystem && l.options.opacity !== 0.35) n++; });"
    " return n; }"
)


#: Started in the map's iframe right before a click or a drop: the time of the input event (the
#: click's mousedown, the drop's mouseup) and of the first paint after its result is drawn (a new
#: launch marker; the server's rings in place of the preview), both on the page's own clock.
_ACTION_CLOCK = (
    """(kind) => {
  window.__wrmAction = {};
  const out = window.__wrmAction, n0 = document.querySelectorAll('.wrm-launch').length;
  const preview = """
    + _PREVIEW_COUNT
    + """, server = """
    + _SERVER_RINGS
    + """;
  window.addEventListener(kind === 'click' ? 'mousedown' : 'mouseup', () => { out.input = performance.now(); },
                          {capture: true, once: true});
  const every = setInterval(() => {
    if (out.input == null) return;
    const done = kind === 'click' ? document.querySelectorAll('.wrm-launch').length === n0 + 1
                                  : preview() === 0 && server() > 0;
    if (!done) return;
    clearInterval(every);
    requestAnimationFrame(() => setTimeout(() => { out.painted = performance.now(); }, 0));
  }, 2);
}"""
)


#: Started in the top page with :data:`_ACTION_CLOCK`: when the rest of the page shows the click's new
#: point (the points tab's "Selected point" gains an option), painted, on the top page's clock. The map
#: goes first after a map event (webapp.events.MAP_FIRST_S): this is what that costs the rest.
_PAGE_CLOCK = """() => {
  window.__wrmPage = {};
  const out = window.__wrmPage, radios = () => document.querySelectorAll('input[type=radio]').length, n0 = radios();
  const every = setInterval(() => {
    if (radios() !== n0 + 1) return;
    clearInterval(every);
    requestAnimationFrame(() => setTimeout(() => { out.painted = performance.timeOrigin + performance.now(); }, 0));
  }, 2);
}"""


def _page_ms(page: Any, leaflet: Any) -> float:
    """Input (in the map's iframe) → the rest of the page painted with the new point, ms (waits for it)."""
    _until(lambda: page.evaluate("() => !!(window.__wrmPage && window.__wrmPage.painted)"), 20.0)
    start = leaflet.evaluate("() => performance.timeOrigin + window.__wrmAction.input")
    return float(page.evaluate("() => window.__wrmPage.painted")) - float(start)


def _action_ms(leaflet: Any) -> float:
    """Input → result painted, ms, from :data:`_ACTION_CLOCK` (waits for it)."""
    _until(lambda: leaflet.evaluate("() => !!(window.__wrmAction && window.__wrmAction.painted)"), 20.0)
    return float(leaflet.evaluate("() => window.__wrmAction.painted - window.__wrmAction.input"))


def start_bare(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    (folder / "bare.py").write_text(BARE_APP)
    (folder / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    (folder / "static").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return start_server("bare.py", folder, env)


def _until(predicate: Any, timeout_s: float = WAIT_S) -> float:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    loopback = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(loopback) else r.abort())
    return context


def _leaflet(page: Any) -> Any:
    for frame in page.frames:
        if "streamlit_folium" in frame.url and not frame.is_detached():
            return frame
    return None


def _eval(page: Any, script: str) -> Any:
    """Evaluate in the map's iframe, None while it is being replaced."""
    frame = _leaflet(page)
    try:
        return frame.evaluate(script) if frame is not None else None
    except Exception:  # a frame detached mid-call: the caller tries again
        return None


def _server_drawn(page: Any) -> bool:
    return _eval(page, _PREVIEW_COUNT) == 0 and (_eval(page, _SERVER_RINGS) or 0) > 0


#: Where a page load's time goes, read in the page after its first ring: when the map's
#: iframe started loading (after navigation start, s), and how many JavaScript and CSS
#: files the Streamlit page fetched (its elements' code is loaded per element type).
_LOAD_PARTS = """(selector) => {
  const f = document.querySelector(selector);
  const start = f && f.contentWindow ? (f.contentWindow.performance.timeOrigin - performance.timeOrigin) / 1000 : null;
  const files = performance.getEntriesByType('resource').filter(e => /\\.(js|css)(\\?|$)/.test(e.name)).length;
  return [start, files];
}"""


#: Run in every frame of a page: in the map's iframe, the moment the first ring (an interactive SVG
#: path) is painted, in seconds after the page's navigation started, kept in the top page as
#: ``__wrmRingS``. Timed in the page: Playwright's own waiting re-checks with a backoff of up to
#: half a second, which showed as up to 0.4 s of the first-ring time.
_RING_CLOCK = """(() => {
  if (window === window.top) return;
  const found = () => {
    if (!document.querySelector('path.leaflet-interactive')) return false;
    requestAnimationFrame(() => setTimeout(() => {
      try {
        const top = window.top;
        if (top.__wrmRingS == null)
          top.__wrmRingS = (performance.timeOrigin + performance.now() - top.performance.timeOrigin) / 1000;
      } catch (e) { /* not the app's frame */ }
    }, 0));
    return true;
  };
  const every = setInterval(() => { if (found()) clearInterval(every); }, 4);
})();"""


def first_ring(browser: Any, url: str) -> tuple[float, float, int]:
    """Seconds from navigation to the first ring painted in the map's iframe (timed in the page),
    the second at which that iframe started loading, and the page's count of JS/CSS files."""
    context = _context(browser)
    context.add_init_script(_RING_CLOCK)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__wrmRingS != null", timeout=WAIT_S * 1000, polling=50)
    elapsed = page.evaluate("() => window.__wrmRingS")
    iframe_s, files = page.evaluate(_LOAD_PARTS, FRAME_SELECTOR)
    context.close()
    return elapsed, iframe_s, files


def first_ring_s(browser: Any, url: str) -> float:
    """Seconds from navigation to the first ring in the map's iframe."""
    return first_ring(browser, url)[0]


def _idle(page: Any, quiet_s: float = 0.6) -> None:
    """Quiet for ``quiet_s`` with the whole page there (its tabs), not only the first paint."""
    quiet = None
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        if state == "notRunning" and page.locator('[data-testid="stTabs"]').count():
            quiet = quiet or time.monotonic()
            if time.monotonic() - quiet >= quiet_s:
                return
        else:
            quiet = None
        time.sleep(0.05)
    raise TimeoutError


def interactions(browser: Any, url: str, tries: int) -> dict[str, Any]:
    context = _context(browser)
    page = context.new_page()
    page.goto(url)
    frame = page.frame_locator(FRAME_SELECTOR)
    frame.locator(".wrm-launch").first.wait_for(timeout=WAIT_S * 1000)
    _idle(page, 1.5)
    leaflet = _leaflet(page)
    _until(lambda: leaflet.evaluate("!!(window.WRM && window.map)"))
    out: dict[str, Any] = {
        "drop": [],
        "click": [],
        "drop_driver": [],
        "click_driver": [],
        "click_page": [],
        "frames": [],
        "moved": None,
        "remounts": 0,
    }
    first_frame = leaflet

    map_box = page.locator(FRAME_SELECTOR).bounding_box()
    for k in range(tries):
        leaflet = _leaflet(page)
        n = frame.locator(".wrm-launch").count()
        leaflet.evaluate(_ACTION_CLOCK, "click")
        page.evaluate(_PAGE_CLOCK)
        t0 = time.perf_counter()
        page.mouse.click(map_box["x"] + 60 + 110 * (k % 5), map_box["y"] + 70 + 50 * (k // 5))
        try:
            t1 = _until(lambda n=n: frame.locator(".wrm-launch").count() == n + 1, 20.0)
        except TimeoutError:
            page.screenshot(path="test-artifacts/bench-browser-click-timeout.png")
            raise
        out["click_driver"].append(t1 - t0)
        out["click"].append(_action_ms(leaflet) / 1000)
        out["click_page"].append(_page_ms(page, leaflet) / 1000)
        page.mouse.move(5, 5)  # away from the map: no tooltip over the next click
        _idle(page)

    # The scripted drag: 60 frames, timed in the page.
    leaflet.evaluate(_INSTRUMENT)
    leaflet.evaluate("() => { window.__frames = []; }")
    box = frame.locator(".wrm-launch").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    start = None
    for i in range(1, 61):
        page.mouse.move(x + 2 * i, y + 1 * i)
        leaflet.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        if i == 5:
            start = leaflet.evaluate(_PREVIEW_FIRST)
    end = leaflet.evaluate(_PREVIEW_FIRST)
    out["moved"] = start is not None and end is not None and start != end
    out["frames"] = leaflet.evaluate("() => window.__frames.slice()")
    page.mouse.up()
    _until(lambda: _server_drawn(page))
    _idle(page)

    for k in range(tries):
        leaflet = _leaflet(page)
        box = frame.locator(".wrm-launch").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        for i in range(1, 11):
            page.mouse.move(x + (4 if k % 2 == 0 else -4) * i, y + (2 if k % 2 == 0 else -2) * i)
            leaflet.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        leaflet.evaluate(_ACTION_CLOCK, "drop")
        t0 = time.perf_counter()
        page.mouse.up()
        t1 = _until(lambda: _server_drawn(page))
        out["drop_driver"].append(t1 - t0)
        out["drop"].append(_action_ms(leaflet) / 1000)
        _idle(page)

    out["remounts"] = int(_leaflet(page) is not first_frame)
    context.close()
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tries", type=int, default=7)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="wrm-bare-"))
    app, app_url = start_server()
    bare, bare_url = start_bare(folder)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cold_app = first_ring_s(browser, app_url)
            cold_bare = first_ring_s(browser, bare_url)
            warm_app, warm_bare, parts_app, parts_bare = [], [], [], []
            for _ in range(args.loads):  # interleaved, so both see the same machine
                t, *rest = first_ring(browser, bare_url)
                warm_bare.append(t)
                parts_bare.append(rest)
                t, *rest = first_ring(browser, app_url)
                warm_app.append(t)
                parts_app.append(rest)
            got = interactions(browser, app_url, args.tries)
            browser.close()
    finally:
        for proc in (app, bare):
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)

    wa, wb = statistics.median(warm_app), statistics.median(warm_bare)
    print(
        f"first ring, cold server: app {cold_app:.2f} s, bare page {cold_bare:.2f} s (ratio {cold_app / cold_bare:.2f}×)"
    )
    print(
        f"first ring, warm (median of {args.loads}): app {wa:.2f} s, bare page {wb:.2f} s: ratio {wa / wb:.2f}× (target ≤ 1.3×)"
    )
    (ia, fa), (ib, fb) = ([statistics.median(x) for x in zip(*parts, strict=True)] for parts in (parts_app, parts_bare))
    print(
        f"  of which: the map's iframe starts loading at {ia:.2f} s (app) / {ib:.2f} s (bare page); "
        f"the page fetches {fa:.0f} / {fb:.0f} JS and CSS files (Streamlit loads each element type's code)"
    )
    for name in ("drop", "click"):
        xs, driver = got[name], got[f"{name}_driver"]
        med = statistics.median(xs)
        print(
            f"{name} → server rings painted: median {med * 1000:.0f} ms over {len(xs)} (min {min(xs) * 1000:.0f}, "
            f"max {max(xs) * 1000:.0f}) on the page's clock; {med / wb:.3f}× the bare page's first ring "
            f"(target ≤ 250 ms); as the test driver saw it, median {statistics.median(driver) * 1000:.0f} ms"
        )
    whole = got["click_page"]
    print(
        f"click → the rest of the page painted with the new point (the points tab): median "
        f"{statistics.median(whole) * 1000:.0f} ms (min {min(whole) * 1000:.0f}, max {max(whole) * 1000:.0f})"
    )
    frames = sorted(got["frames"])
    if frames:
        p95 = frames[min(len(frames) - 1, int(0.95 * len(frames)))]
        print(
            f"drag preview per frame (3 systems, {len(frames)} frames): median {statistics.median(frames):.2f} ms, "
            f"p95 {p95:.2f} ms, worst {frames[-1]:.2f} ms (budget 4 ms)"
        )
    else:
        print("drag preview per frame: no preview frames (no live rings)")
    print(f"ring moved before mouse-up: {'yes' if got['moved'] else 'no'}; map iframe replaced: {got['remounts']}")


if __name__ == "__main__":
    main(sys.argv[1:])
