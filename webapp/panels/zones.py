"""Launch zones: a whole country, a line or area clicked out on the map, or an uploaded file."""

from __future__ import annotations

from typing import Final

import streamlit as st

from geo.core.text import clean_label
from geo.errors import InputError
from geo.scenario import actions
from geo.scenario.model import MAX_POINTS, MAX_ZONES
from geo.scenario.share import decode_zone, shareable
from geo.scenario.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_VERTICES, read_geojson
from geo.scenario.zones import zone_from_country, zone_from_latlons
from webapp import caches, events, state
from webapp.panels.common import md

K_ZONE_COUNTRY: Final = "zone_country"
K_ZONE_LABEL: Final = "zone_label"
K_UPLOAD: Final = "zone_upload"


def _add_country() -> None:
    code = st.session_state.get(K_ZONE_COUNTRY)
    if not code:
        return
    try:
        zone = zone_from_country(code)
    except InputError as exc:
        state.begin_action()
        state.say("error", f"Launch zone not added: {exc}")
        return
    state.act(lambda s: actions.add_zone(s, zone), failure="Launch zone not added: ", frame=True)


def _finish_draft(closed: bool) -> None:
    draft = state.get().draft
    label = clean_label(st.session_state.get(K_ZONE_LABEL) or "")
    state.begin_action()
    try:
        zone = zone_from_latlons(list(draft), closed=closed, label=label)
        decode_zone(zone.spec or "")  # what the link will carry reads back
    except InputError as exc:
        state.say("error", f"Launch zone not added: {exc}. Your corners are kept: add more or undo.")
        return
    if state.act(lambda s: actions.add_zone(s, zone), failure="Launch zone not added: "):
        state.update(draft=())


def _undo_corner() -> None:
    state.begin_action()
    state.update(draft=state.get().draft[:-1])


def _clear_draft() -> None:
    state.begin_action()
    state.update(draft=())


def _remove_zone(index: int) -> None:
    state.act(lambda s: actions.remove_zone(s, index))


def _read_upload() -> None:
    """Add the zones and launch points of an uploaded GeoJSON file (once per file)."""
    upload = st.session_state.get(K_UPLOAD)
    if upload is None:
        return
    seen = state.get().uploads_seen
    if upload.file_id in seen:
        return
    state.begin_action()
    state.update(uploads_seen=seen | {upload.file_id})
    name = clean_label(upload.name)
    try:
        found = read_geojson(upload.getvalue())
    except InputError as exc:
        state.say("error", f"{name}: {exc}. Nothing was changed.")
        return
    scenario = state.scenario()
    # Add what fits under the limits, and say once what did not (a 5,000-point
    # file used to queue 4,950 error messages, 120 s of page; issue 13).
    points = found.points[: max(0, MAX_POINTS - len(scenario.points))]
    zones = [shareable(z) for z in found.zones[: max(0, MAX_ZONES - len(scenario.zones))]]
    for p in points:
        scenario = actions.add_point(scenario, p.lat, p.lon, p.label)
    for z in zones:
        scenario = actions.add_zone(scenario, z)
    state.set_scenario(scenario, frame=bool(zones))
    state.say_markdown("info", f"{md(name)}: {len(zones)} launch zone(s) and {len(points)} launch point(s) added.")
    left = [
        f"{n:,} {what} (at most {limit} in all)"
        for n, what, limit in (
            (len(found.points) - len(points), "launch point(s)", MAX_POINTS),
            (len(found.zones) - len(zones), "launch zone(s)", MAX_ZONES),
        )
        if n
    ]
    if left:
        state.say_markdown("warning", f"{md(name)}: not added: {' and '.join(left)}.")
    not_shared = sum(z.spec is None for z in zones)
    if not_shared:
        state.say(
            "warning", f"{not_shared} uploaded zone(s) are too detailed for the share link; the link leaves them out."
        )


def zones_panel() -> None:
    zones = state.scenario().zones
    st.caption(
        "A launch zone fires from anywhere inside it (an area) or along it (a line, e.g. a front line). "
        "Its reach is computed on the ellipsoid and merged with the launch points' rings into one outline per system."
    )
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    options = caches.country_options()
    c1.selectbox(
        "A whole country",
        list(options),
        format_func=lambda code: options.get(code, code),
        key=K_ZONE_COUNTRY,
        index=None,
        placeholder="Choose a country",
    )
    c2.button("Add country", key="zone_add_country", on_click=_add_country, width="stretch")

    draft = state.get().draft
    st.markdown(
        f"**Draw a zone**: choose “{events.MODE_ZONE}” above the map and click its corners ({len(draft)} so far)."
    )
    d1, d2, d3, d4, d5 = st.columns([2, 1, 1, 1, 1], vertical_alignment="bottom")
    d1.text_input("Zone name", key=K_ZONE_LABEL, max_chars=60, placeholder="e.g. front line, Nov 2024")
    d2.button("Finish as line", key="zone_finish_line", on_click=_finish_draft, args=(False,), disabled=len(draft) < 2)
    d3.button("Finish as area", key="zone_finish_area", on_click=_finish_draft, args=(True,), disabled=len(draft) < 3)
    d4.button("Undo corner", key="zone_undo", on_click=_undo_corner, disabled=not draft)
    d5.button("Clear", key="zone_clear", on_click=_clear_draft, disabled=not draft)

    st.file_uploader(
        "Or upload GeoJSON (WGS84 lon/lat; lines, polygons, points)",
        type=["geojson", "json"],
        key=K_UPLOAD,
        on_change=_read_upload,
        help=f"At most {MAX_UPLOAD_BYTES // 1_000_000} MB and {MAX_UPLOAD_VERTICES:,} points.",
    )
    for i, z in enumerate(zones):
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        shared = "" if z.spec else " · not in the share link (too detailed)"
        c1.markdown(f"{i + 1}. **{md(z.label)}** ({z.kind}){shared}")
        c2.button("Remove", key=f"zone_remove_{i}", on_click=_remove_zone, args=(i,))
