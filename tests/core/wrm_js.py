"""Running the drag preview's JavaScript (static/wrm/) on test cases, in Node and in Chromium.

Shared by the ring and the fan ports' tests (tests/core/test_rings_js.py,
tests/core/test_sectors_js.py): the same scripts from disk, every request
aborted in the browser, and every failing case reported at once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT

HERE = ROOT / "tests" / "core" / "js"
WRM = ROOT / "static" / "wrm"
#: The vendored GeographicLib JS (static/wrm/VENDORED.md).
GEOGRAPHICLIB_JS_VERSION = "2.2.0"


def missing(what: str) -> None:
    """Skip on a developer's machine without ``what``; fail under CI, which must run these tests."""
    if IN_CI:
        pytest.fail(f"{what}: CI must run the drag-preview tests")
    pytest.skip(what)


def run_node(args: Sequence[str], cases: Any) -> list[dict[str, Any]]:
    """``node ARGS`` with the cases as JSON on standard input; its JSON output."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        missing("node is not on PATH (apt-get install nodejs)")
    proc = subprocess.run(
        [str(node), *args], input=json.dumps(cases), capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def node_script(runner: Path) -> list[str]:
    """Node arguments that load wrm-rings.js with GeographicLib and hand ``runner``'s export the cases."""
    script = (
        f"const W = require({json.dumps(str(WRM / 'wrm-rings.js'))});"
        f"W.use(require({json.dumps(str(WRM / 'geographiclib-geodesic.min.js'))}));"
        f"const run = require({json.dumps(str(runner))});"
        "process.stdout.write(JSON.stringify(run(W, JSON.parse(require('fs').readFileSync(0, 'utf8')))));"
    )
    return ["-e", script]


def run_chromium(browser: Any, runner: Path, call: str, cases: Any) -> list[dict[str, Any]]:
    """The cases in headless Chromium: the scripts from disk, every request aborted; ``call`` gets them."""
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())
        page.evaluate("window.WRM_NO_WARMUP = true")
        for path in (WRM / "geographiclib-geodesic.min.js", WRM / "wrm-rings.js", runner):
            page.add_script_tag(path=str(path))
        assert page.evaluate("geodesic.Constants.version_string") == GEOGRAPHICLIB_JS_VERSION
        return page.evaluate(call, cases)  # type: ignore[no-any-return]
    finally:
        page.close()


def each(check: Callable[[int], None], cases: Sequence[Any], what: str = "cases") -> None:
    """Run ``check`` on every case index; report every failing case (the first 10) at once."""
    failures = []
    for i in range(len(cases)):
        try:
            check(i)
        except AssertionError as exc:
            failures.append(f"{cases[i]}: {exc}")
    assert not failures, f"{len(failures)} of {len(cases)} {what} differ:\n" + "\n".join(failures[:10])


def engine_results(
    request: pytest.FixtureRequest,
    cache: dict[str, list[dict[str, Any]]],
    node: Callable[[], list[dict[str, Any]]],
    chromium: Callable[[Any], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """For a fixture parametrized over ``"node"`` and ``"chromium"``: the cases' results in that
    engine, computed once and kept in ``cache`` (Chromium's from the ``browser`` fixture)."""
    engine = request.param
    if engine not in cache:
        cache[engine] = node() if engine == "node" else chromium(request.getfixturevalue("browser"))
    return cache[engine]
