"""Find a place, or type coordinates, and add it as a launch point or move the selected one there."""

from __future__ import annotations

from typing import Final

import streamlit as st

from geo.core.coords import format_latlon
from geo.core.grid import format_mgrs, parse_coordinates
from geo.datasets.gazetteer import normalize_name, search_places, split_country
from geo.datasets.regions import region_asked, search_regions
from geo.errors import InputError
from geo.scenario import actions
from webapp import events, state
from webapp.panels.common import md

K_FIND: Final = "find_query"
K_FIND_CHOICE: Final = "find_choice"


Found = tuple[str, float, float, str, str]


def _found(query: str) -> tuple[list[Found], str]:
    """(label, lat, lon, point name, target text) for what the query finds, or the reason it finds nothing.

    Cities named exactly so come first, then regions (Natural Earth admin-1,
    one typo forgiven), then cities whose name starts so; a query that says
    "oblast", "region", "province"… puts the regions first.
    """
    try:
        p = parse_coordinates(query)
    except InputError as coord_error:
        places = search_places(query, limit=8)
        regions = search_regions(query, limit=4)
        key = split_country(query)[0]
        city = [(f"{pl.label} · pop. {pl.population:,}", pl.lat, pl.lon, pl.name, pl.label) for pl in places]
        exact = sum(1 for pl in places if normalize_name(pl.matched_name) == key)
        region = [
            (f"{r.description}{' · spelling corrected' if r.typo else ''}", r.lat, r.lon, r.name, r.label)
            for r in regions
        ]
        found = region + city if region_asked(query) else city[:exact] + region + city[exact:]
        if found:
            return found[:10], ""
        looks_numeric = any(ch.isdigit() for ch in query)
        return [], str(coord_error) if looks_numeric else f"No place called {query[:60]!r} in the offline gazetteer."
    coords = format_latlon(p.lat, p.lon)
    return [(f"Coordinates {coords} · MGRS {format_mgrs(p.lat, p.lon)}", p.lat, p.lon, "", coords)], ""


def find_place_panel() -> None:
    st.text_input(
        "Find a place or type coordinates",
        key=K_FIND,
        placeholder="Kharkiv, Курск, 50.91, 34.80, 50°54′36″N 34°48′E or 36UXB2654541359",
        help="Place names come from the offline GeoNames gazetteer, regions (oblasts, provinces) from Natural Earth; old and local spellings and one typo work. Coordinates: latitude/longitude, MGRS or UTM.",
    )
    query = (st.session_state.get(K_FIND) or "").strip()
    if not query:
        return
    found, problem = _found(query)
    if not found:
        st.warning(md(problem))
        return
    labels = [f[0] for f in found]
    choice = st.selectbox("Matches", labels, key=K_FIND_CHOICE, label_visibility="collapsed")
    _, lat, lon, name, target_text = found[labels.index(choice)] if choice in labels else found[0]
    # Callbacks, run before the script: the whole run (the map drawn before this panel, the legend,
    # the tables, the link) sees the changed scenario, not only what comes after this panel.
    c1, c2, c3 = st.columns(3)
    c1.button("Add launch point", key="find_add", width="stretch", on_click=_add, args=(lat, lon, name))
    selected = events.selected_index()
    c2.button(
        "Move selected here",
        key="find_move",
        disabled=selected is None,
        width="stretch",
        on_click=_move_selected,
        args=(lat, lon, name),
    )
    c3.button("Set as target", key="find_target", width="stretch", on_click=_set_target, args=(target_text,))


def _add(lat: float, lon: float, name: str) -> None:
    if state.act(lambda s: actions.add_point(s, lat, lon, name)):
        state.update(selected=len(state.scenario().points) - 1)
        state.move_map(lat, lon)


def _move_selected(lat: float, lon: float, name: str) -> None:
    selected = events.selected_index()
    if selected is not None and state.act(
        lambda s: actions.rename_point(
            actions.move_point(s, selected, lat, lon), selected, name or s.points[selected].label
        )
    ):
        state.move_map(lat, lon)


def _set_target(target_text: str) -> None:
    state.act(lambda s: actions.set_target(s, target_text), frame="target")
