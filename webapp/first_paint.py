"""A session's first run draws the map first; the rest of the page follows at once (issue 10).

Measured in Chromium on loopback (the note of issue 10): the map's iframe cannot start loading
until the page has fetched and run the code of every element type it shows, one file per type
and helper (105 JavaScript and CSS files for the whole page, 64 for a bare map page), over the
browser's six connections, on the main thread the map's iframe shares with it. The map's
iframe started at 1.8 s against 0.96 s on a bare page, and its first ring was painted 2.1 s after
navigation against 1.15 s.

So the first run of a session builds only what sits above the map and the map itself, at the
place and size they will keep (nothing above the map is left out, so the map never moves or
remounts), with the scenario's rings, markers, zones and target but not the borders and place
names drawn for context. The map reports its first view as soon as it is built (streamlit-folium
always does), and that report's rerun builds the whole page: the sidebar, the legend and share
link beside the map, the tabs, the borders and place names. Nothing is lost on the way: the
scenario is in the page's state from the first run, and every panel draws from it.

Should the map never report (a browser that fails to load the component), a fragment asks for the
whole page after :data:`FALLBACK_S`.

The globe (``g=1``) is drawn whole at once: it has no map to report, and its page is one chart.
AppTest runs no browser, so no map reports to finish the page: ``tests/apptest_helpers.new_app``
sets :data:`K_WHOLE_FIRST_RUN`, and ``tests/app/test_app_first_paint.py`` runs a session without it.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

#: Session-state key: set (to True) to build the whole page on a session's first run too.
K_WHOLE_FIRST_RUN: Final = "wrm_whole_first_run"
#: Session-state key: True while the page shown is the first run's (the map only).
K_PENDING: Final = "wrm_first_paint_pending"
#: Seconds after which the page asks for its whole self if the map has not reported by then.
FALLBACK_S: Final = 4.0


def begin(*, first_run: bool, globe: bool) -> bool:
    """Whether this run draws the first paint only: a session's first run, with the flat map."""
    paint = first_run and not globe and not st.session_state.get(K_WHOLE_FIRST_RUN, False)
    st.session_state[K_PENDING] = paint
    return paint


def sidebar_placeholder() -> None:
    """Where the systems will be, for the moment they take to arrive."""
    st.caption("Loading the systems…")


#: Session-state key: set while the fallback's fragment is first called, from the script's run
#: (a fragment's body runs then too), so that only its timed reruns ask for the page.
_K_IN_SCRIPT_RUN: Final = "wrm_first_paint_in_script_run"


def finish_later() -> None:
    """The fallback: ask for the whole page if it has not come by :data:`FALLBACK_S`."""
    st.session_state[_K_IN_SCRIPT_RUN] = True
    _finish_page()


@st.fragment(run_every=FALLBACK_S)
def _finish_page() -> None:
    if st.session_state.pop(_K_IN_SCRIPT_RUN, False):
        return
    if st.session_state.get(K_PENDING, False):
        st.rerun(scope="app")
