"""Weapon Range Map: the page.

Run with ``streamlit run app.py``. Layout and calls only: the scenario lives
in :mod:`webapp.state`, user actions are :mod:`geo.scenario.actions`, and
every panel renders one analysis of the scenario (:mod:`geo.analysis.analyse`).
The page URL is the scenario (:mod:`geo.scenario.share`); the map's base
never changes, so zoom and pan survive every rerun (DESIGN.md §3).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Final
from urllib.parse import urlencode

import streamlit as st

from geo.errors import CatalogError
from geo.scenario import story
from geo.scenario.model import Scenario
from geo.scenario.share import MAX_FIELDS, MAX_QUERY_CHARS, SAFE_CHARS, decode_query, encode_query, query_string
from webapp import caches, events, first_paint, memory, state, work
from webapp.markdown import md
from webapp.panels import (
    compare,
    countries,
    downloads,
    find,
    layout,
    legend,
    messages,
    places,
    points,
    sources,
    status,
    systems,
    target,
    undo,
    zones,
)
from webapp.panels import globe as globe_panel
from webapp.panels import map as map_panel

DEFAULT_QUERY: Final[dict[str, list[str]]] = {
    "at": ["50.91,34.8~Sumy"],
    "w": ["atacms-300,atacms-165,storm-shadow"],
}
TABS: Final = (
    "Launch points",
    "Launch zones",
    "Compare",
    "Does it reach…?",
    "Places in range",
    "Coverage by country",
    "Download",
    "Sources and caveats",
)

#: The tabs' widget key: its value is the open tab's label.
K_TAB: Final = "tab"
#: Choices made in a tab's widgets that should outlive a visit to another tab (a closed tab's
#: widgets are not built, and Streamlit forgets the state of widgets a run does not build).
#: Not those the panels set from the scenario (the target, reverse reach), nor the systems
#: shown in "Places in range", whose options follow the scenario's systems.
KEPT_TAB_WIDGETS: Final = (
    places.K_MIN_POPULATION,
    places.K_CITY_FILTER,
    compare.K_SMALL_MULTIPLES,
    zones.K_ZONE_COUNTRY,
    zones.K_ZONE_LABEL,
)


def keep_tab_widgets() -> None:
    """Keep the choices of the tabs' widgets across runs where their tab is closed."""
    for key in KEPT_TAB_WIDGETS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


#: Streamlit drops the whole query string past its limits, and the script then sees no
#: link at all (neither ``st.query_params`` nor the run context keeps it). The browser
#: still has it: this script, run once on a link-less first page, sends such a link back
#: as its counts, which the page then reports (issue 13). No user text is put in it.
DROPPED_LINK_CHECK: Final = f"""<script>
(function () {{
  const query = window.location.search.slice(1);
  const parts = query ? query.split("&").length : 0;
  if (parts > {MAX_FIELDS} || query.length > {MAX_QUERY_CHARS}) {{
    window.location.replace(window.location.pathname + "?dropped=" + parts + "&chars=" + query.length);
  }}
}})();
</script>"""


def _dropped_link(params: dict[str, list[str]]) -> str:
    """The warning for a link Streamlit dropped (reported back as ``dropped=N&chars=M``), or ""."""
    if set(params) != {"dropped", "chars"}:
        return ""
    try:
        parts, chars = int(params["dropped"][-1]), int(params["chars"][-1])
    except ValueError:
        return ""
    what = (
        f"{parts:,} parts (the page reads at most {MAX_FIELDS:,})"
        if parts > MAX_FIELDS
        else f"{chars:,} characters (the page reads at most {MAX_QUERY_CHARS:,})"
    )
    return (
        f"This link has {what}, so it could not be read and the default map is shown instead: "
        "shorten the link (fewer launch points, zones or systems)."
    )


def start_from_link() -> None:
    """The first run of a session: the scenario from the link, or the default map."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    dropped = _dropped_link(params)
    if dropped:
        params = {}
    decoded = decode_query(params or DEFAULT_QUERY, caches.catalog())
    first = decoded.scenario
    if first.step is not None and not (first.points or first.zones or first.systems):
        # A link naming only a story step (``?d=2024-11-19``) opens that step's map.
        first = story.step_scenario(first.step, caches.catalog(), first)
    state.start(first)
    if dropped:
        state.say("warning", dropped)
    elif not params:
        # No link, or one Streamlit dropped: the browser tells which (dropped_link_check)
        # before the address bar is given the default map, on the next run.
        state.update(url_synced=False)
    for warning in decoded.warnings:
        state.say("warning", f"Share link: {warning}")


def dropped_link_check() -> None:
    """The last element of every run, so that what it holds never shifts the map's place (a remount)."""
    slot = st.empty()
    if not state.get().url_synced:
        slot.html(DROPPED_LINK_CHECK, unsafe_allow_javascript=True)


#: Run once per change to the scenario: the link before it becomes a browser history entry of its
#: own, so that Back brings it back (Streamlit itself only ever replaces the address). Back then
#: reloads the page from that link. The two query strings are JSON, with "<" escaped.
HISTORY_ENTRY: Final = """<script>
(function () {
  const before = %s, after = %s, here = window.location.pathname;
  window.history.replaceState(null, "", before ? here + "?" + before : here);
  window.history.pushState(null, "", after ? here + "?" + after : here);
  if (!window.__wrmBack) {
    window.__wrmBack = true;
    window.addEventListener("popstate", function () { window.location.reload(); });
  }
})();
</script>"""


def _js_string(text: str) -> str:
    return json.dumps(text).replace("<", "\\u003c")


def sync_url() -> str:
    """Write the scenario into the address bar (only when it changed), in one message to the browser.

    Returns the script that makes a new browser history entry when the scenario itself changed
    (not only the map's view), or "".
    """
    page = state.get()
    if not page.url_synced:
        state.update(url_synced=True, changes_in_url=page.changes)  # a link-less page's first run
        return ""
    wanted = encode_query(state.scenario())
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    entry = ""
    if page.changes != page.changes_in_url:
        state.update(changes_in_url=page.changes)
        if current and current != wanted:
            before = urlencode(current, doseq=True, safe=SAFE_CHARS)
            entry = HISTORY_ENTRY % (_js_string(before), _js_string(query_string(state.scenario())))
    if current != wanted:
        if wanted:
            st.query_params.from_dict(wanted)
        else:
            st.query_params.clear()
    return entry


def header(scenario: Scenario) -> None:
    """The page's header follows the scenario: its story step, its preset, the default map's, or what it draws."""
    catalog = caches.catalog()
    context = story.context_for(scenario, catalog, decode_query(DEFAULT_QUERY, catalog).scenario)
    st.markdown(f"**{md(context.heading)}.** {md(context.text)}")
    notes = []
    if context.placement:
        notes.append(md(context.placement))
    if context.source is not None:
        src = context.source
        notes.append(
            f"Source: {md(src.publisher)}, {src.date.strftime('%-d %B %Y')}, "
            f"[{md(src.title)}]({src.url.replace('(', '%28').replace(')', '%29')})"
        )
    if notes:
        st.caption(" ".join(notes))


def link_last() -> None:
    """The end of every run: the dropped-link check, then the address bar and Back's history entry."""
    dropped_link_check()
    back_slot = st.empty()  # always there, so that it never shifts what comes before it
    entry = sync_url()
    if entry:
        back_slot.html(entry, unsafe_allow_javascript=True)


#: A run this long (seconds) is followed by handing freed memory back to the system.
HEAVY_RUN_S: Final = 0.5


def main() -> None:
    started = time.monotonic()
    st.set_page_config(page_title="Weapon Range Map", page_icon="🎯", layout="wide")
    try:
        caches.catalog()
    except CatalogError as exc:
        messages.catalog_error(exc)
        st.stop()
    caches.leaflet_installed()
    first_run = not state.started()
    if first_run:
        start_from_link()
    # A session's first run draws the map first and the rest once the map has reported in
    # (webapp.first_paint, issue 10): the map's iframe no longer waits for every panel's code.
    paint = first_paint.begin(first_run=first_run, globe=state.scenario().globe)
    # The map's value, handled before anything is drawn (also under AppTest,
    # where the component's on_change callback does not fire).
    events.handle_map_event(st.session_state.get(events.K_MAP))

    # Less empty space above the title: the map should be in view on a laptop screen.
    st.html('<style>[data-testid="stMainBlockContainer"]{padding-top:2rem}</style>')
    layout.phone_css()  # on a phone: the map first, fitted to the screen (issue 10)
    st.title("Weapon Range Map")
    scenario = state.scenario()
    header(scenario)
    messages.show()
    messages.scenario_notes()

    plan = work.plan_zones(scenario)
    status.zone_notes(plan)
    analysis = caches.analysis(scenario, plan.used)

    # The map's row comes before the search row in the page, which shows it below (layout.ORDER_CSS):
    # the browser then fetches the map's code first, not the search's (issue 10).
    map_col, side_col = st.columns([4, 1])
    with side_col:  # the "Flat map / Globe" switch beside the map, so the map sits where it always did
        globe = False if paint else globe_panel.globe_chosen()
    with map_col:
        if globe:
            globe_panel.globe_panel(analysis)  # built only when chosen: the flat map's page costs nothing more
        else:
            map_panel.map_panel(analysis, context=not paint)
            events.after_map()  # after a click or a drop on the map, the map goes first
        if not paint:
            layout.phone_legend(analysis)
    # The sidebar after the map: its widgets act in callbacks, before the run, so the order
    # changes nothing on the page but when the map's message leaves (issue 10).
    with st.sidebar:
        st.header("Systems")
        if paint:
            first_paint.sidebar_placeholder()
        else:
            systems.systems_panel()
            systems.custom_system_panel()
            systems.presets_panel()
            systems.story_panel()
            st.header("Map")
            systems.map_options_panel()
    with st.container(key=layout.K_FIND_ROW):
        find_col, mode_col = st.columns([3, 2])
        with find_col:
            find.find_place_panel()
        with mode_col:
            map_panel.mode_picker()
    if paint:
        link_last()
        first_paint.finish_later()
        return
    with side_col:
        undo.undo_button()
        st.subheader("Legend")
        legend.legend(analysis)
        st.subheader("Share")
        legend.share_panel()

    # Only the open tab is built (issue 10): a tab switch reruns the page with the new tab open.
    tabs = st.tabs(list(TABS), key=K_TAB, on_change="rerun")
    keep_tab_widgets()
    panels: tuple[Callable[[], None], ...] = (
        lambda: points.points_panel(analysis),
        zones.zones_panel,
        lambda: compare.compare_panel(analysis),
        lambda: target.target_panel(analysis),
        lambda: places.places_panel(analysis),
        lambda: countries.countries_panel(analysis),
        lambda: downloads.downloads_panel(analysis),
        lambda: sources.sources_panel(scenario),
    )
    for tab, panel in zip(tabs, panels, strict=True):
        if tab.open:
            with tab:
                panel()

    link_last()
    caches.warm_later()  # once per server, after the first map is on its way
    if time.monotonic() - started > HEAVY_RUN_S:
        memory.note_heavy_work()


main()
