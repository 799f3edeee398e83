"""Many visitors at once: time to rings and to a point added, server CPU and memory (issue 13).

Starts ``streamlit run app.py`` on loopback, then for N = 1, 5, 10 and 20
concurrent Chromium sessions (one browser, one context each, every request
that is not to 127.0.0.1 refused) opens the default map, waits for its rings,
clicks the map once and waits for the new marker. Then six heavy links (many
points, systems and country zones) are opened and closed, to see whether
memory comes back. Prints, per N:

- median and worst seconds to rings drawn and to a point added,
- server CPU seconds used (the server and its worker process), and the whole
  machine's (Chromium draws every session on the same two cores),
- the server's RSS before, at its peak, and 5 s after the sessions closed;
  for the heavy links also 150 s after (closed sessions live 120 s).

Everything is bounded: at most 20 sessions, a timeout on every wait, and the
server is stopped at the end whatever happens. Run:

    python -m bench.bench_load            # N = 1, 5, 10, 20
    python -m bench.bench_load 1 5        # chosen N

Needs Chromium at /usr/bin/chromium and Playwright (requirements-dev.txt).
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("WRM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_SESSIONS = 20
#: Seconds after the heavy links close when memory is read again: past Streamlit's
#: 120 s session TTL and webapp.memory's next trim.
SESSION_GONE_S = 150.0
WAIT_S = 180.0
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
#: Links that make the server work hardest within the limits (country zones are computed in the worker).
HEAVY_LINKS = [
    "?at=50.91,34.8&w=atacms-300,storm-shadow,kh-101,iskander-m&z=country:UA",
    "?at=50.91,34.8&w=atacms-300&z=country:PL&z=country:RO",
    "?" + "&".join(f"at={48 + 0.3 * i:.2f},{30 + 0.4 * i:.2f}" for i in range(50)) + "&w=atacms-300,storm-shadow",
    "?at=60,100&w=kh-101,kinzhal&z=country:FI",
    "?at=-33.9,151.2&at=64.7,-147.4&w=kh-101&c=Test:9000",
    "?at=50.91,34.8&w=atacms-300&z=country:BY&z=country:MD&t=Moscow",
]


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


def rss_mb(pid: int, *, tree: bool = True) -> float:
    total = 0
    for p in _tree(pid) if tree else [pid]:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_SIZE
        except OSError:
            continue
    return total / 1e6


def machine_cpu_seconds() -> float:
    """CPU time of the whole machine (all cores, user + system), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system = (int(f) for f in fields[:3])
    return (user + nice + system) / TICKS


@dataclass
class Sampler:
    """The server's peak RSS, sampled every 0.2 s on a thread."""

    pid: int
    peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Sampler:
        self.peak = rss_mb(self.pid)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_server(
    script: str = "app.py", cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run script`` on a free loopback port, once its health endpoint answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"streamlit run {script} did not start")


async def _until(predicate: Any, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise TimeoutError


async def one_session(browser: Any, url: str) -> tuple[float, float]:
    """Seconds to the rings drawn, then to a clicked point's marker."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    try:
        page = await context.new_page()
        t0 = time.monotonic()
        await page.goto(url, timeout=WAIT_S * 1000)
        iframe = "iframe[title='streamlit_folium.st_folium']"
        await page.wait_for_selector(iframe, timeout=WAIT_S * 1000)
        frame = page.frame_locator(iframe).first

        async def rings() -> bool:
            return await frame.locator("path.leaflet-interactive").count() >= 3

        await _until(rings)
        t_rings = time.monotonic() - t0
        await asyncio.sleep(1.5)  # the map reports in once; a click before that may be lost
        box = await page.locator(iframe).first.bounding_box()
        t1 = time.monotonic()
        await page.mouse.click(box["x"] + 140, box["y"] + box["height"] - 140)

        async def two_markers() -> bool:
            return await frame.locator(".wrm-launch").count() >= 2

        await _until(two_markers)
        return t_rings, time.monotonic() - t1
    finally:
        await context.close()


async def heavy(browser: Any, url: str) -> None:
    context = await browser.new_context()
    await context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    try:
        page = await context.new_page()
        await page.goto(url, timeout=WAIT_S * 1000)
        await page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=WAIT_S * 1000)
        await asyncio.sleep(8)  # background reaches start; some finish
    finally:
        await context.close()


async def run(counts: list[int]) -> None:
    from playwright.async_api import async_playwright

    proc, url = start_server()
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await one_session(browser, url)  # warm: imports, caches, the gazetteer
            print(f"server {url}, warm RSS {rss_mb(proc.pid):.0f} MB")
            print(
                f"{'N':>3} {'rings med':>10} {'rings max':>10} {'point med':>10} {'point max':>10} "
                f"{'server CPU':>11} {'all CPU':>8} {'RSS before':>11} {'peak':>7} {'after':>7}"
            )
            for n in counts:
                before = rss_mb(proc.pid)
                cpu0, all0 = cpu_seconds(proc.pid), machine_cpu_seconds()
                with Sampler(proc.pid) as sampler:
                    results = await asyncio.gather(*(one_session(browser, url) for _ in range(n)))
                cpu, all_cpu = cpu_seconds(proc.pid) - cpu0, machine_cpu_seconds() - all0
                await asyncio.sleep(5)
                after = rss_mb(proc.pid)
                rings = [r for r, _ in results]
                points = [p for _, p in results]
                print(
                    f"{n:>3} {statistics.median(rings):>9.2f}s {max(rings):>9.2f}s "
                    f"{statistics.median(points):>9.2f}s {max(points):>9.2f}s {cpu:>10.1f}s {all_cpu:>7.1f}s "
                    f"{before:>9.0f}MB {sampler.peak:>5.0f}MB {after:>5.0f}MB"
                )
            # Twice: memory that CPython keeps for reuse (its arenas) shows as a plateau the
            # second round does not raise; memory held by caches or sessions would grow.
            for round_ in (1, 2):
                before = rss_mb(proc.pid)
                cpu0 = cpu_seconds(proc.pid)
                with Sampler(proc.pid) as sampler:
                    await asyncio.gather(*(heavy(browser, url + link) for link in HEAVY_LINKS))
                cpu = cpu_seconds(proc.pid) - cpu0
                await asyncio.sleep(10)
                soon = rss_mb(proc.pid)
                # Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (120 s).
                await asyncio.sleep(SESSION_GONE_S - 10)
                print(
                    f"six heavy links, round {round_}: CPU {cpu:.1f} s, RSS before {before:.0f} MB, "
                    f"peak {sampler.peak:.0f} MB, 10 s after {soon:.0f} MB, {SESSION_GONE_S:.0f} s after "
                    f"{rss_mb(proc.pid):.0f} MB (the server {rss_mb(proc.pid, tree=False):.0f} MB, "
                    f"its worker process {rss_mb(proc.pid) - rss_mb(proc.pid, tree=False):.0f} MB)"
                )
            await browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str]) -> None:
    counts = [int(a) for a in argv] or [1, 5, 10, 20]
    if any(not 1 <= n <= MAX_SESSIONS for n in counts):
        raise SystemExit(f"sessions: 1…{MAX_SESSIONS}")
    asyncio.run(run(counts))


if __name__ == "__main__":
    main(sys.argv[1:])
