"""What the page keeps between reruns: one scenario, and the little the page itself needs.

Session state holds, besides the widgets' own keys, one :class:`PageState`
under :data:`STATE_KEY`: the scenario, the corners of a zone being drawn, the
map event last handled, the colours given to systems, and the messages on
screen. Every change goes through :func:`act`, which applies a pure action
(:mod:`geo.scenario.actions`) and keeps the scenario unchanged, with the
reason on screen, when the action is refused.

Messages stay on screen until the user acts again (or dismisses them): the
reruns that the map component triggers when it reports in do not clear them
(issue 8: warnings vanished after 0.4–3 s).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

import streamlit as st

from geo.core.coords import LatLon
from geo.errors import InputError
from geo.scenario.history import History
from geo.scenario.model import Scenario, System, View
from geo.scenario.palette import OKABE_ITO
from webapp.markdown import md

STATE_KEY: Final = "page"
MessageKind = Literal["info", "warning", "error", "success"]


@dataclass(frozen=True)
class Message:
    kind: MessageKind
    text: str


@dataclass(frozen=True)
class PageState:
    """Everything the page keeps, as one immutable value (replaced, never mutated)."""

    scenario: Scenario
    draft: tuple[LatLon, ...] = ()  # corners of the zone being drawn
    last_event: tuple[str, Any, str] | None = None  # the map event handled last (its value is sticky)
    colors: tuple[tuple[str, str], ...] = ()  # system id → colour, kept while the system stays
    messages: tuple[Message, ...] = ()
    uploads_seen: frozenset[str] = field(default_factory=frozenset)
    selected: int | None = None  # the selected launch point (0-based)
    #: Where the map is moved to, ((lat, lon), zoom): changed only to move it on purpose (framing
    #: a preset or a found place); the reader's own panning and zooming stay in the browser.
    map_view: tuple[tuple[float, float], int] = ((51.0, 35.6), 6)
    #: The map's width in pixels, as its last reported bounds and zoom tell (None before it reports).
    map_width_px: int | None = None
    #: The view the map reported last: its value is sticky, so only a new report is the reader's move.
    last_view_report: tuple[float, float, int] | None = None
    #: The scenarios before the last changes, for Undo.
    history: History = field(default_factory=History)
    #: Changes made (each a new browser history entry, for Back), and how many the address bar shows.
    changes: int = 0
    changes_in_url: int = 0
    #: False on the first run of a page opened without a link (see app.DROPPED_LINK_CHECK).
    url_synced: bool = True

    @property
    def color_map(self) -> dict[str, str]:
        return dict(self.colors)


def get() -> PageState:
    state: PageState = st.session_state[STATE_KEY]
    return state


def put(state: PageState) -> None:
    st.session_state[STATE_KEY] = state


def started() -> bool:
    return STATE_KEY in st.session_state


def scenario() -> Scenario:
    return get().scenario


def assign_colors(systems: tuple[System, ...], previous: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Each system keeps its colour while it stays chosen; new ones take a free colour of the palette.

    Examples
    --------
    >>> a, b = System.custom("a", 100), System.custom("b", 200)
    >>> assign_colors((b,), dict(assign_colors((a, b), {})))  # b keeps its colour when a goes
    (('custom-b-200', '#56B4E9'),)
    """
    colors: dict[str, str] = {}
    for system in systems:
        if system.id in previous and previous[system.id] not in colors.values():
            colors[system.id] = previous[system.id]
    free = itertools.cycle([c for c in OKABE_ITO if c not in colors.values()] or list(OKABE_ITO))
    for system in systems:
        if system.id not in colors:
            colors[system.id] = next(free)
    return tuple((s.id, colors[s.id]) for s in systems)


#: Map width assumed for framing before the map has reported its size: a laptop's wide layout.
DEFAULT_MAP_WIDTH_PX: Final = 720
#: The map's height (webapp.panels.map draws it this tall).
MAP_HEIGHT_PX: Final = 620
#: Margin kept around a target and the launch sites when the map frames them.
TARGET_MARGIN_KM: Final = 60.0

Framing = Literal["scenario", "target"]


def set_scenario(new: Scenario, *, frame: bool | Framing = False, record: bool = True) -> None:
    """Make ``new`` the scenario (colours follow its systems).

    ``frame`` moves the map on purpose: ``True`` or ``"scenario"`` onto the launch
    sites with their reach, ``"target"`` onto the launch sites and the target. The
    new view becomes the scenario's (and so the link's) view at once. ``record``: the
    scenario it replaces can be brought back with :func:`undo`.
    """
    state = get()
    view = state.map_view
    history = state.history.record(state.scenario, new) if record else state.history
    changed = new.with_(view=None) != state.scenario.with_(view=None)
    if frame:
        view = framed(new, state.map_width_px or DEFAULT_MAP_WIDTH_PX, target=frame == "target")
        if view == state.map_view and new.view != View(view[0][0], view[0][1], view[1]):
            # The map is told to move only when its centre or zoom argument changes (streamlit-folium
            # compares with the last one given): the reader has panned away, so nudge it (about 1 cm).
            view = ((view[0][0] + 1e-7, view[0][1]), view[1])
        new = new.with_(view=View.at(round(view[0][0], 5), round(view[0][1], 5), view[1]))
    put(
        replace(
            state,
            scenario=new,
            history=history,
            changes=state.changes + changed,
            colors=assign_colors(new.systems, state.color_map),
            selected=None if not new.points or state.selected is None else min(state.selected, len(new.points) - 1),
            map_view=view,
        )
    )


def framed(
    scenario: Scenario, width_px: int = DEFAULT_MAP_WIDTH_PX, *, target: bool = False
) -> tuple[tuple[float, float], int]:
    """A view that shows the scenario's launch points and zones with their reach (``target``: with the target).

    The scenario's own view is not used: framing is for moving the map on purpose.
    """
    from geo.analysis.target import resolve_target  # a place name or coordinates, as the target panel reads it
    from geo.render.layers import view_for  # the view is a map concern; imported here to keep state light
    from geo.scenario.model import LaunchPoint

    max_range = max((s.range_km for s in scenario.systems), default=300.0)
    bounds = [z.geometry.bounds for z in scenario.zones]  # (min lon, min lat, max lon, max lat)
    corners = [LaunchPoint(b[1], b[0]) for b in bounds] + [LaunchPoint(b[3], b[2]) for b in bounds]
    sites = [*scenario.points, *corners]
    if target and scenario.target:
        try:
            point, _ = resolve_target(scenario.target)
        except InputError:  # the target panel says why; the launch sites are framed
            return view_for(sites, max_range, width_px=width_px, height_px=MAP_HEIGHT_PX)
        return view_for(
            [*sites, LaunchPoint(point.lat, point.lon)], TARGET_MARGIN_KM, width_px=width_px, height_px=MAP_HEIGHT_PX
        )
    return view_for(sites, max_range, width_px=width_px, height_px=MAP_HEIGHT_PX)


def opening_view(scenario: Scenario) -> tuple[tuple[float, float], int]:
    """Where the map opens: the link's view when it has one (the sender's), else the scenario framed."""
    if scenario.view is not None:
        return (scenario.view.lat, scenario.view.lon), scenario.view.zoom
    return framed(scenario)


def note_view(lat: float, lon: float, zoom: int, width_px: int | None) -> None:
    """The map reports where the reader has moved it: that view goes into the scenario (and the link).

    The map itself is not moved (``map_view`` stays), and the messages on screen stay: panning
    is not an action that answers them.
    """
    state = get()
    if (lat, lon, zoom) == state.last_view_report:
        return  # the same report again (the value is sticky): the view may have been reframed since
    changes: dict[str, Any] = {"last_view_report": (lat, lon, zoom)}
    try:
        view = View.at(round(lat, 5), round(lon, 5), zoom)
    except InputError:
        put(replace(state, **changes))
        return  # a view the link could not carry (zoom beyond 1…18): keep the last one
    if view != state.scenario.view:
        changes["scenario"] = state.scenario.with_(view=view)
    if width_px is not None and width_px != state.map_width_px:
        changes["map_width_px"] = width_px
    put(replace(state, **changes))


def move_map(lat: float, lon: float) -> None:
    """Centre the map on a point, keeping the zoom."""
    state = get()
    put(replace(state, map_view=((lat, lon), state.map_view[1])))


def undo() -> bool:
    """Bring back the scenario before the last change (the map stays where it is); False if none."""
    begin_action()
    state = get()
    if not state.history.past:
        return False
    what = state.history.next_undo
    history, previous = state.history.undo(state.scenario)
    put(replace(state, history=history))
    set_scenario(previous, record=False)
    say("info", f"Undone: {what}.")
    return True


def begin_action() -> None:
    """The user acted: the messages of the last action go (this action's own stay until the next)."""
    put(replace(get(), messages=()))


def say(kind: MessageKind, text: str) -> None:
    """Show plain ``text`` until the user acts again (escaped: error texts quote what the user typed)."""
    say_markdown(kind, md(text))


def say_markdown(kind: MessageKind, markdown: str) -> None:
    """Show a message written in Markdown, whose user strings the caller escaped with :func:`md`."""
    state = get()
    message = Message(kind, markdown)
    if message not in state.messages:
        put(replace(state, messages=(*state.messages, message)))


def start(first: Scenario) -> None:
    """The first run of a session: ``first`` (from the link or the defaults), framed."""
    put(PageState(scenario=first, colors=assign_colors(first.systems, {}), map_view=opening_view(first)))


def act(action: Callable[[Scenario], Scenario], *, failure: str = "", frame: bool | Framing = False) -> bool:
    """Apply a user action to the scenario; on refusal keep it and say why. True if it changed."""
    begin_action()
    before = scenario()
    try:
        after = action(before)
    except InputError as exc:
        say("error", f"{failure}{exc}" if failure else f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
        return False
    if after.step is not None and (after.points, after.zones, after.systems, after.target) != (
        before.points,
        before.zones,
        before.systems,
        before.target,
    ):
        after = after.with_(step=None)  # the map is no longer the story step's
    if after != before:
        set_scenario(after, frame=frame)
        return True
    return False


def update(**changes: Any) -> None:
    """Change the page's own fields (not the scenario)."""
    put(replace(get(), **changes))
