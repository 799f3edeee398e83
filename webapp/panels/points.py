"""The launch points: choose one, name it, place it precisely, remove it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from geo.analysis.analyse import Analysis
from geo.core.coords import format_latlon
from geo.core.sectors import parse_sector
from geo.errors import InputError
from geo.scenario import actions
from geo.scenario.model import LaunchPoint
from geo.scenario.share import decode_point
from webapp import events, state
from webapp.panels.common import md, sync

K_SELECTED = "selected_point"


def _option_label(points: tuple[LaunchPoint, ...], i: int) -> str:
    # Radio options are Markdown: the name is escaped like any other user text.
    return f"{i + 1}\\. {md(points[i].name)}"


def _on_select() -> None:
    value = st.session_state.get(K_SELECTED)
    points = state.scenario().points
    if isinstance(value, str):
        # Streamlit hands back the option's label instead of the option when the label holds
        # Markdown escapes such as "\\(" (seen in Chromium with "Kherson area (representative…)").
        value = next((i for i in range(len(points)) if _option_label(points, i) == value), None)
    # Only a point's index: after a drag renames the point the radio can hand back
    # something else, and a string here made the next drop fail (issue 10).
    if isinstance(value, int) and 0 <= value < len(points):
        state.update(selected=value)


def _on_label(index: int) -> None:
    text = st.session_state.get(f"label_{index}") or ""
    state.act(lambda s: actions.rename_point(s, index, text))


def _on_coords(index: int) -> None:
    text = st.session_state.get(f"coords_{index}") or ""
    state.begin_action()
    try:
        new = decode_point(text)
    except InputError as exc:
        state.say("error", f"Launch point {index + 1}: {exc}. The point was not moved.")
        return
    state.act(lambda s: actions.move_point(s, index, new.lat, new.lon), failure=f"Launch point {index + 1}: ")


def _on_sector(index: int) -> None:
    text = st.session_state.get(f"sector_{index}") or ""
    state.begin_action()
    try:
        sector = parse_sector(text)
    except InputError as exc:
        state.say("error", f"Launch point {index + 1}: {exc}. The sector was not changed.")
        return
    az, width = (sector.azimuth_deg, sector.width_deg) if sector else (None, None)
    state.act(lambda s: actions.set_sector(s, index, az, width), failure=f"Launch point {index + 1}: ")


def _on_remove(index: int) -> None:
    state.act(lambda s: actions.remove_point(s, index))


def _points_table(points: tuple[LaunchPoint, ...], mgrs: tuple[str, ...]) -> str:
    """Every launch point in one Markdown table: its number, name, coordinates, MGRS and sector."""
    rows = ["| | Name | Latitude, longitude | MGRS | Sector |", "|---|---|---|---|---|"]
    for i, p in enumerate(points):
        sector = p.sector.description() if p.sector else "full ring"
        rows.append(f"| {i + 1} | {md(p.name)} | {format_latlon(p.lat, p.lon, 5)} | {mgrs[i]} | {sector} |")
    return "\n".join(rows)


def points_panel(analysis: Analysis) -> None:
    """The launch points: all of them in one table, and the selected one's boxes to edit it.

    One point's boxes, not every point's (issue 10): the browser renders each element of the page
    on every rerun, and nine per point made a click on the map 35 ms slower with ten points.
    """
    points = analysis.scenario.points
    if not points:
        st.info("No launch points yet: click the map, or find a place above.")
        return
    selected = events.selected_index()
    assert selected is not None  # there are points
    sync(K_SELECTED, selected)
    st.radio(
        "Selected point",
        list(range(len(points))),
        format_func=lambda i: _option_label(points, i),
        key=K_SELECTED,
        horizontal=True,
        on_change=_on_select,
    )
    if len(points) > 1:
        st.markdown(_points_table(points, analysis.mgrs))
    i, p = selected, points[selected]
    c1, c2, c3 = st.columns([3, 3, 1], vertical_alignment="bottom")
    _point_box(c1, i, "label", "Name", p.label, _on_label, max_chars=60)
    _point_box(
        c2,
        i,
        "coords",
        "Coordinates",
        format_latlon(p.lat, p.lon, 5),
        _on_coords,
        help="Latitude, longitude; or MGRS (36UXB2654541359) or UTM (36U 626545 5641359).",
    )
    c3.button("Remove", key=f"remove_{i}", help=f"Remove point {i + 1}", on_click=_on_remove, args=(i,))
    c2.caption(f"MGRS {analysis.mgrs[i]}")
    _point_box(
        c1,
        i,
        "sector",
        "Sector",
        f"{p.sector.azimuth_deg:g}/{p.sector.width_deg:g}" if p.sector else "",
        _on_sector,
        placeholder="full ring",
        help="A range fan: bearing/full width in degrees, e.g. 060/90 covers 015°–105°. Empty: the full ring.",
    )


def _point_box(
    column: Any, i: int, field: str, label: str, value: str, on_change: Callable[[int], None], **options: Any
) -> None:
    """One of point ``i``'s text boxes (key ``{field}_{i}``), showing the scenario's ``value``."""
    sync(f"{field}_{i}", value)
    column.text_input(f"{label} of point {i + 1}", key=f"{field}_{i}", on_change=on_change, args=(i,), **options)
