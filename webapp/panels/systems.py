"""The sidebar: systems, units, a system of one's own, scenarios from the news, map options."""

from __future__ import annotations

import datetime as dt
from typing import Final

import streamlit as st

from geo.core.units import UNIT_NAMES, UNITS, format_distance, to_km
from geo.datasets.catalog import span_text
from geo.errors import InputError
from geo.scenario import actions, story
from geo.scenario.presets import PRESETS, get_preset
from webapp import caches, state
from webapp.panels.common import md, sync

K_SYSTEMS: Final = "systems"
K_UNIT: Final = "unit"
K_BORDERS: Final = "borders"
K_CUSTOM_NAME: Final = "custom_name"
K_CUSTOM_RANGE: Final = "custom_range"
K_CUSTOM_MIN: Final = "custom_min_range"
#: Expanders whose content is built only while they are open (issue 10): the sidebar's three closed
#: boxes (these two and the story's, K_STORY_OPEN) held 25 of the page's 80 elements, and the browser renders every element on every rerun
#: (a click on the map cost about 45 ms more with the sidebar than without it, in Chromium).
#: Opening one reruns the page with its content. Their keys hold whether they are open.
K_CUSTOM_OPEN: Final = "custom_system_open"
K_PRESETS_OPEN: Final = "presets_open"


def _on_systems() -> None:
    chosen = list(st.session_state.get(K_SYSTEMS) or [])
    state.act(lambda s: actions.choose_systems(s, caches.catalog(), chosen), failure="Systems not changed: ")


def _on_unit() -> None:
    unit = st.session_state.get(K_UNIT, "km")
    state.act(lambda s: actions.set_unit(s, unit))


def _on_borders() -> None:
    shown = bool(st.session_state.get(K_BORDERS))
    state.act(lambda s: actions.set_borders(s, shown))


K_LABELS: Final = "ring_labels"
_LABEL_NAMES: Final = {"compact": "Compact", "detailed": "Detailed", "off": "Off"}


def _on_labels() -> None:
    mode = st.session_state.get(K_LABELS, "compact")
    state.act(lambda s: actions.set_labels(s, mode))


def systems_panel() -> None:
    catalog = caches.catalog()
    scenario = state.scenario()
    custom = {s.id: s for s in scenario.custom_systems}
    options = [*catalog.ids, *custom]

    def label(system_id: str) -> str:
        # Always in km: a label that changed with the unit made Streamlit reset the choice (issue 8).
        s = custom.get(system_id) or catalog.get(system_id)
        return f"{s.name} · {format_distance(s.range_km, 'km')}"

    sync(K_SYSTEMS, [s.id for s in scenario.systems])
    st.multiselect(
        "Systems", options, key=K_SYSTEMS, format_func=label, placeholder="Choose systems", on_change=_on_systems
    )
    disputed = [s.weapon for s in scenario.systems if s.weapon is not None and s.weapon.disputed]
    for weapon in disputed:
        st.caption(f"**{md(weapon.name)}**: {md(span_text(weapon, scenario.unit))}. {md(weapon.drawn_because)}")
    sync(K_UNIT, scenario.unit)
    st.radio("Units", UNITS, key=K_UNIT, format_func=lambda u: UNIT_NAMES[u], horizontal=True, on_change=_on_unit)


def _add_custom() -> None:
    unit = state.scenario().unit
    name = st.session_state.get(K_CUSTOM_NAME) or ""
    try:
        range_km = to_km(float(st.session_state.get(K_CUSTOM_RANGE) or 0.0), unit)
        min_km = to_km(float(st.session_state.get(K_CUSTOM_MIN) or 0.0), unit)
    except (TypeError, ValueError, InputError) as exc:
        state.begin_action()
        state.say("error", f"Custom system not added: {exc}")
        return
    state.act(lambda s: actions.add_custom_system(s, name, range_km, min_km), failure="Custom system not added: ")


def custom_system_panel() -> None:
    unit = state.scenario().unit
    box = st.expander("Add your own system", key=K_CUSTOM_OPEN, on_change="rerun")
    if not box.open:
        return
    with box, st.form("custom_system_form", border=False):
        st.text_input("Name", key=K_CUSTOM_NAME, max_chars=60, placeholder="e.g. Hypothetical 400 km missile")
        c1, c2 = st.columns(2)
        c1.number_input(f"Range ({unit})", key=K_CUSTOM_RANGE, min_value=0.0, max_value=20_000.0, step=10.0)
        c2.number_input(
            f"Minimum range ({unit})",
            key=K_CUSTOM_MIN,
            min_value=0.0,
            max_value=20_000.0,
            step=10.0,
            help="Optional: 0 for none",
        )
        st.form_submit_button("Add system", on_click=_add_custom)


def _load_preset(preset_id: str) -> None:
    state.begin_action()
    try:
        preset = get_preset(preset_id)
        scenario = preset.scenario(caches.catalog())
    except InputError as exc:
        state.say("error", f"That scenario could not be loaded: {exc}")
        return
    state.set_scenario(scenario, frame=True)
    state.update(draft=())
    state.say_markdown("info", f"**{md(preset.title)}** ({preset.date.strftime('%-d %B %Y')}): {md(preset.context)}")


def presets_panel() -> None:
    box = st.expander("Scenarios from the news", key=K_PRESETS_OPEN, on_change="rerun")
    if not box.open:
        return
    with box:
        for preset in PRESETS:
            st.button(
                f"{preset.title} · {preset.date.strftime('%b %Y')}",
                key=f"preset_{preset.id}",
                on_click=_load_preset,
                args=(preset.id,),
                width="stretch",
            )
            st.caption(
                f"{md(preset.claim)} {md(preset.placement)} Source: [{md(preset.source_publisher)}]"
                f"({preset.source_url}), {preset.source_date.strftime('%-d %B %Y')}"
            )


K_STEP: Final = "story_step"
#: The story's box, built only while open like the others (issue 10); a step the page comes to
#: (a link, Next, a step chosen) opens it, as ``expanded=`` did.
K_STORY_OPEN: Final = "story_open"
_K_STEP_SEEN: Final = "wrm_story_step_seen"


def _go_to_step(day: dt.date | None) -> None:
    state.begin_action()
    if day is None:
        return
    try:
        scenario = story.step_scenario(day, caches.catalog(), state.scenario())
    except InputError as exc:
        state.say("error", f"That step could not be shown: {exc}")
        return
    state.set_scenario(scenario, frame=True)
    state.update(draft=())


def _on_step() -> None:
    _go_to_step(st.session_state.get(K_STEP))


def _step_label(day: dt.date) -> str:
    return f"{day.strftime('%-d %b %Y')} · {story.event_for(day).title}"


def story_panel() -> None:
    """The dated events as steps: choose one, or go to the previous or next; the link keeps it (``d=``)."""
    step = state.scenario().step
    if step is not None and st.session_state.get(_K_STEP_SEEN) != step:
        st.session_state[K_STORY_OPEN] = True
    st.session_state[_K_STEP_SEEN] = step
    box = st.expander("The story, step by step", key=K_STORY_OPEN, on_change="rerun")
    if not box.open:
        return
    with box:
        before, after = story.neighbours(step)
        c1, c2 = st.columns(2)
        c1.button("◀ Previous", key="story_prev", on_click=_go_to_step, args=(before,), disabled=before is None)
        c2.button("Next ▶", key="story_next", on_click=_go_to_step, args=(after,), disabled=after is None)
        sync(K_STEP, step)
        st.radio(
            "Dated steps",
            [e.date for e in story.events()],
            key=K_STEP,
            index=None,
            format_func=_step_label,
            on_change=_on_step,
            label_visibility="collapsed",
        )


def map_options_panel() -> None:
    sync(K_BORDERS, state.scenario().borders)
    st.checkbox(
        "Country borders and city names",
        key=K_BORDERS,
        on_change=_on_borders,
        help="Natural Earth borders and GeoNames cities: the map stays readable when map tiles cannot load.",
    )
    sync(K_LABELS, state.scenario().labels)
    st.radio(
        "Ring labels",
        list(_LABEL_NAMES),
        key=K_LABELS,
        format_func=_LABEL_NAMES.__getitem__,
        horizontal=True,
        on_change=_on_labels,
        help="Names and ranges drawn on the rings (and in the exports): compact, with the full name, "
        "minimum range and sector, or none.",
    )
