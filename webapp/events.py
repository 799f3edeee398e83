"""What the map reports (a click, a dropped marker) turned into actions on the scenario.

streamlit-folium's value is sticky: the last click stays in it on every
rerun. An event is handled once, by comparing with the last one handled
(DESIGN.md §3). Safe to call twice for the same value (from the component's
``on_change`` and from the script body, which is all AppTest runs).
"""

from __future__ import annotations

import time
from typing import Any, Final

import streamlit as st

from geo.core.coords import LatLon, check_latlon, compact_latlon, round_coord
from geo.errors import InputError
from geo.render import layers
from geo.scenario import actions
from webapp import state

K_MAP: Final = "map"
K_MODE: Final = "click_mode"

MODE_ADD: Final = "Add a launch point"
MODE_MOVE: Final = "Move the selected point"
MODE_TARGET: Final = "Set the target"
MODE_ZONE: Final = "Draw a launch zone"
MODES: Final = (MODE_ADD, MODE_MOVE, MODE_TARGET, MODE_ZONE)

#: What the map component reports back. Its view (centre, zoom, bounds) too, so that the share
#: link keeps the reader's view: a pan or zoom then reruns the script once, when it ends
#: (Leaflet's moveend), which redraws nothing on the map itself (its key and base never change).
RETURNED: Final = [
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_tooltip",
    "last_object_clicked_count",
    "center",
    "zoom",
    "bounds",
]


def handle_map_event(value: Any) -> bool:
    """Apply a click or a marker drop reported by the map; True if anything changed."""
    if not isinstance(value, dict):
        return False
    _note_view(value)
    signature = (
        repr(value.get("last_clicked")),
        value.get("last_object_clicked_count"),
        repr(value.get("last_object_clicked")),
    )
    last = state.get().last_event
    state.update(last_event=signature)
    if last is None or signature == last:
        # The first value a fresh map reports is its initial state, not an event.
        return last is None and _apply(value, object_changed=False, click_changed=value.get("last_clicked") is not None)
    return _apply(value, object_changed=signature[1:] != last[1:], click_changed=signature[0] != last[0])


def _apply(value: dict[str, Any], *, object_changed: bool, click_changed: bool) -> bool:
    obj = value.get("last_object_clicked")
    if object_changed and isinstance(obj, dict):
        index = layers.marker_index(value.get("last_object_clicked_tooltip"))
        if index is not None and "lat" in obj and "lng" in obj:
            changed = state.act(
                lambda s: actions.move_point(s, index, float(obj["lat"]), float(obj["lng"])),
                failure=f"Could not move launch point {index + 1}: ",
            )
            state.update(selected=index)
            return changed
    click = value.get("last_clicked")
    if click_changed and isinstance(click, dict) and "lat" in click and "lng" in click:
        try:
            point = check_latlon(float(click["lat"]), float(click["lng"]))
        except (InputError, TypeError, ValueError) as exc:
            state.begin_action()
            state.say("error", f"Could not use that click: {exc}")
            return False
        mode = st.session_state.get(K_MODE, MODE_ADD)
        selected = selected_index()
        if mode == MODE_ZONE:
            state.begin_action()
            draft = state.get().draft
            state.update(draft=(*draft, LatLon(round_coord(point.lat), round_coord(point.lon))))
            return True
        if mode == MODE_TARGET:
            return state.act(lambda s: actions.set_target(s, compact_latlon(point.lat, point.lon)))
        if mode == MODE_MOVE and selected is not None:
            return state.act(lambda s: actions.move_point(s, selected, point.lat, point.lon))
        changed = state.act(lambda s: actions.add_point(s, point.lat, point.lon), failure="")
        if changed:
            state.update(selected=len(state.scenario().points) - 1)
        return changed
    return False


def _note_view(value: dict[str, Any]) -> None:
    """Keep the view the map reports (the reader's pan and zoom) in the scenario, for the link."""
    center, zoom = value.get("center"), value.get("zoom")
    if not isinstance(center, dict) or isinstance(zoom, bool) or not isinstance(zoom, int | float):
        return
    try:
        lat, lon = float(center["lat"]), float(center["lng"])
    except (KeyError, TypeError, ValueError):
        return
    if ((lat, lon), zoom) == (layers.DEFAULT_CENTER, layers.DEFAULT_ZOOM) != state.get().map_view:
        # A fresh map reports the base map's own view before it moves to the one it was given
        # (checked in Chromium): that is not where the reader is.
        return
    width_px = None
    bounds = value.get("bounds")
    try:
        span = float(bounds["_northEast"]["lng"]) - float(bounds["_southWest"]["lng"])  # type: ignore[index]
        if 0 < span <= 360:
            width_px = round(span / 360.0 * 256 * 2 ** float(zoom))
    except (KeyError, TypeError, ValueError):
        pass
    if width_px is not None and not 100 <= width_px <= 10_000:
        width_px = None  # a map not laid out yet (hidden, zero-sized) tells nothing about its size
    state.note_view(lat, lon, round(zoom), width_px)


def selected_index() -> int | None:
    """The selected launch point (the last one when none was chosen), or None without points."""
    n = len(state.scenario().points)
    if n == 0:
        return None
    chosen = state.get().selected
    return chosen if isinstance(chosen, int) and 0 <= chosen < n else n - 1


#: Session-state key: set by the map's own report when it changed what the map draws (a click that
#: adds or moves a point or sets the target, a drop, a zone's vertex), read once by the run after it.
K_MAP_FIRST: Final = "wrm_map_first"
#: After such a run's map, the rest of the page waits this long (seconds), so that the browser draws
#: the map before it (issue 10). The browser renders the whole Streamlit page again for each batch of
#: a run's messages, on the thread that paints the map's iframe: the page's elements, arriving while
#: the map's new layers were drawn, held the ring's paint back. In Chromium on loopback, a sweep in
#: one run (click → ring painted / → the points tab's new entry painted, medians of 9): no wait
#: 280 / 268 ms, 0.08 s 192 / 278 ms, 0.1 s 154 / 312 ms, 0.15 s 159 / 344 ms; ``bench/bench_browser.py``
#: then printed 162-185 ms to the ring and 322-344 ms to the rest of the page (248 ms to the ring
#: without the wait). A second click within this time waits for it (at most this long).
MAP_FIRST_S: Final = 0.1
_pause = time.sleep  # tests watch it


def on_map_change() -> None:
    if handle_map_event(st.session_state.get(K_MAP)):
        st.session_state[K_MAP_FIRST] = True


def after_map() -> None:
    """After a map event that changed the map (:data:`K_MAP_FIRST`, cleared here), let the browser draw
    the map before the rest of the page arrives (:data:`MAP_FIRST_S`)."""
    if st.session_state.pop(K_MAP_FIRST, False):
        _pause(MAP_FIRST_S)
