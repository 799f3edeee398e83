"""The page on a phone (issue 10): the map first, fitted to the screen, the legend one tap away.

Only a CSS media query for screens up to :data:`PHONE_MAX_WIDTH_PX` wide (Streamlit stacks
columns from that width down), so a laptop or desktop page is the one it always was:

- the row that holds the map comes first, above the title and the search, and the map's
  iframe is as tall as the screen less room above (Streamlit's header, with the sidebar
  toggle, labelled "Systems" here: the systems live in the sidebar) and below (the legend
  button and a strip of page to scroll with). The map inside the iframe follows it
  (``geo.render.layers.MAP_CSS``);
- a "Legend" button right under the map opens the legend over the page, so it can be read
  beside the rings (on a wide screen the legend stands beside the map and the button is hidden);
- on the map itself one finger scrolls the page and two move the map
  (``geo/render/assets/wrm-gestures.js``).
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from geo.analysis.analyse import Analysis
from webapp.panels import legend

#: Streamlit's own breakpoint for stacking columns (its theme's ``columns`` breakpoint).
PHONE_MAX_WIDTH_PX: Final = 640
K_PHONE_LEGEND: Final = "wrm_phone_legend"
#: The search row's container (app.py fills it after drawing the map).
K_FIND_ROW: Final = "wrm_find_row"
K_PHONE_LEGEND_BUTTON: Final = "wrm_phone_legend_button"
MAP_IFRAME: Final = 'iframe[title="streamlit_folium.st_folium"]'

#: Room the map leaves on a phone: Streamlit's header above it (3.75rem, 60 px), and below it
#: the legend button and a strip of page to put a finger on (6.25rem). ``svh``: the screen's
#: height with the browser's address bar shown, so the map fits at load (``vh`` before it).
_ABOVE_MAP: Final = "3.75rem"
_NOT_MAP: Final = "10rem"

_MAIN: Final = '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]'

#: The map's row comes before the search row in the page (app.py), so that the browser fetches the
#: map's code first (issue 10: the search's text box alone is 25 files, fetched before the map's
#: when it came first); shown in the order of old: the search row above the map, the rest below.
ORDER_CSS: Final = f"""
{_MAIN} > :has({MAP_IFRAME}), {_MAIN} > :has({MAP_IFRAME}) ~ * {{ order: 1; }}
{_MAIN} > [data-testid="stLayoutWrapper"]:has(> .st-key-{K_FIND_ROW}) {{ order: 0; }}
"""

PHONE_CSS: Final = f"""<style>{ORDER_CSS}
@media (max-width: {PHONE_MAX_WIDTH_PX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: {_ABOVE_MAP} !important; }}
  {_MAIN} > :has({MAP_IFRAME}) {{ order: -1; }}
  {MAP_IFRAME} {{ height: calc(100vh - {_NOT_MAP}) !important; height: calc(100svh - {_NOT_MAP}) !important; }}
  /* Under the map: the legend button first, then the note on clicking the map. */
  [data-testid="stColumn"]:has({MAP_IFRAME}) [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) {{
    order: 2;
  }}
  [data-testid="stExpandSidebarButton"] {{ width: auto; padding: 0 .4rem; }}
  [data-testid="stExpandSidebarButton"]::after {{ content: "Systems"; font-size: .95rem; margin-left: .2rem; }}
}}
@media (min-width: {PHONE_MAX_WIDTH_PX + 1}px) {{
  /* The wrapper too: an empty one would still take the column's 1rem gap. */
  [data-testid="stLayoutWrapper"]:has(> .st-key-{K_PHONE_LEGEND}), .st-key-{K_PHONE_LEGEND} {{
    display: none !important;
  }}
}}
</style>"""


def phone_css() -> None:
    """The phone layout's CSS (no effect on a wider screen)."""
    st.html(PHONE_CSS)


def phone_legend(analysis: Analysis) -> None:
    """The legend behind a button under the map, shown on a phone only (the CSS hides it on a wider screen)."""
    with st.container(key=K_PHONE_LEGEND), st.popover("Legend", icon=":material/list:", key=K_PHONE_LEGEND_BUTTON):
        legend.legend(analysis)
