"""Helpers to drive app.py under Streamlit's AppTest."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


#: webapp.first_paint.K_WHOLE_FIRST_RUN: AppTest runs no browser, whose map's first report would
#: finish a first paint, so the page is built whole from the first run (tests/app/test_app_first_paint.py
#: runs a session without it).
WHOLE_FIRST_RUN = "wrm_whole_first_run"


def new_app(query: dict[str, list[str] | str] | None = None, *, first_paint: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if not first_paint:
        at.session_state[WHOLE_FIRST_RUN] = True
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


#: app.K_TAB: the tabs' widget key, whose value is the open tab's label.
TAB_KEY = "tab"


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open the tab ``label`` and run: the page builds only the open tab's panel (issue 10)."""
    at.session_state[TAB_KEY] = label
    return at.run()


def open_expander(at: AppTest, key: str) -> AppTest:
    """Open the expander ``key`` and run: a lazy expander builds its content only while open (issue 10)."""
    at.session_state[key] = True
    return at.run()


def map_component(at: AppTest) -> Any:
    """The st_folium element (AppTest sees it as an UnknownElement)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                if type(child).__name__ == "UnknownElement" and "st_folium" in str(
                    getattr(child.proto, "component_name", "")
                ):
                    found.append(child)
                walk(child)

    walk(at._tree)
    assert len(found) == 1, f"expected one map component, found {len(found)}"
    return found[0]


def map_args(at: AppTest) -> dict[str, Any]:
    """The arguments the map component receives (generated JavaScript and all)."""
    return json.loads(map_component(at).proto.json_args)  # type: ignore[no-any-return]


def send_map_value(at: AppTest, **value: Any) -> AppTest:
    """Inject what the browser component would report, then rerun."""
    base = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_count": 0,
    }
    at.session_state[map_component(at).key] = {**base, **value}
    return at.run()


def query(at: AppTest) -> dict[str, list[str]]:
    """The URL's query parameters after a run, every value as a list."""
    return {k: [v] if isinstance(v, str) else list(v) for k, v in at.query_params.items()}


def scenario(at: AppTest) -> Any:
    """The scenario the page holds (webapp.state.PageState.scenario)."""
    return at.session_state["page"].scenario


def points(at: AppTest) -> list[tuple[float, float, str]]:
    return [(p.lat, p.lon, p.label) for p in scenario(at).points]


def shown(markdown: str) -> str:
    """Markdown source as a reader sees it: backslash escapes and character references of user text decoded."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown)).replace("\u2060", "")


def messages(at: AppTest) -> list[str]:
    """The warnings and errors on the page, as shown."""
    return [shown(e.value) for e in at.warning] + [shown(e.value) for e in at.error]


def ring_layers(at: AppTest) -> int:
    """How many system outlines the map draws (GeoJSON layers of the first feature group)."""
    return map_args(at)["feature_group"].count("var geo_json_feature_group_0_")


def launch_markers(at: AppTest) -> int:
    """How many draggable launch-point markers the map draws."""
    return map_args(at)["feature_group"].count('"draggable": true')


def table_with(at: AppTest, column: str) -> Any:
    """The first dataframe shown that has ``column``."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with column {column!r}"
    return frames[0]
