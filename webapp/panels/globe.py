"""The globe view (issue 12): a "Flat map / Globe" switch by the map, and the globe in the map's place.

The globe is drawn by ``st.pydeck_chart`` with deck.gl's ``GlobeView``: the
deck.gl inside Streamlit's own frontend, so nothing is loaded from a CDN; with
no map style and a globe view it fetches no basemap, style or font (checked in
Chromium with every non-loopback request aborted, tests/browser/test_globe_browser.py).
Its layers are :func:`geo.render.globe.globe_layers` of the page's one analysis.
It is built only while chosen: the flat map's first page costs nothing more.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Final

import streamlit as st

from geo.analysis.analyse import Analysis
from geo.render.globe import deck_spec, globe_layers
from geo.scenario import actions
from webapp import state
from webapp.panels.common import sync

K_GLOBE: Final = "map_or_globe"
K_GLOBE_CHART: Final = "globe_chart"
FLAT: Final = "flat"
GLOBE: Final = "globe"
_NAMES: Final = {FLAT: "Flat map", GLOBE: "Globe"}
#: The globe's height on the page, px (the flat map's, webapp.panels.map).
GLOBE_HEIGHT_PX: Final = 620


def _on_switch() -> None:
    chosen = st.session_state.get(K_GLOBE, FLAT) == GLOBE
    state.act(lambda s: actions.set_globe(s, chosen))


def globe_chosen() -> bool:
    """The "Flat map / Globe" switch, drawn where it is called; whether the globe is chosen."""
    sync(K_GLOBE, GLOBE if state.scenario().globe else FLAT)
    st.radio(
        "View",
        list(_NAMES),
        key=K_GLOBE,
        format_func=_NAMES.__getitem__,
        on_change=_on_switch,
        horizontal=True,
        label_visibility="collapsed",
        help="The globe shows long ranges (Kh-101, Oreshnik) undistorted, poles included; "
        "the flat map is the one to click, drag and search on.",
    )
    return state.scenario().globe


@functools.cache
def _deck_class() -> type:
    """pydeck's Deck, subclassed on first use: pydeck (and its imports) stay off the flat map's first page."""
    import pydeck as pdk

    class GlobeDeck(pdk.Deck):  # type: ignore[misc]  # pydeck is unannotated: Deck is Any to mypy
        """A pydeck Deck whose JSON is :func:`geo.render.globe.deck_spec`, written compactly.

        pydeck writes its JSON indented (three times the bytes for the land's 20,000
        vertices) and turns every string into an expression; the spec is already deck.gl JSON.
        """

        def __init__(self, spec: dict[str, Any]) -> None:
            super().__init__(layers=[], map_style=None, map_provider=None)
            self.spec = spec

        def to_json(self) -> str:
            return json.dumps(self.spec, separators=(",", ":"), ensure_ascii=False)

    return GlobeDeck


def globe_deck(spec: dict[str, Any]) -> Any:
    """The globe as a pydeck Deck for ``st.pydeck_chart`` (its JSON is ``spec``)."""
    return _deck_class()(spec)


def globe_panel(analysis: Analysis) -> None:
    """The globe in the map's place, with a caption saying what it is."""
    layers = globe_layers(analysis, state.get().color_map, height_px=GLOBE_HEIGHT_PX)
    st.pydeck_chart(globe_deck(deck_spec(layers)), height=GLOBE_HEIGHT_PX, key=K_GLOBE_CHART)
    st.caption(
        "Globe: the same geodesic rings (WGS84) as the flat map, on a sphere; drag to turn it, scroll to zoom. "
        "Natural Earth borders. Switch back to the flat map to click, drag or search."
    )
