"""Weapon Range Map: the Streamlit shell.

Run with ``streamlit run app.py``. This file only wires widgets to the ``geo``
library: no geometry, parsing or JSON handling lives here. The page URL is
the scenario (``geo.scenario.share``); the map is a streamlit-folium component whose
base map never changes, so zoom and pan survive every rerun (DESIGN.md §3).
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import math
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis.background import ReachWorker
from geo.analysis.budget import (
    BACKGROUND_SECONDS,
    SYNC_SECONDS,
    ZoneJob,
    country_coverage_cost_s,
    places_cost_s,
    zone_jobs,
)
from geo.analysis.compare import ComparisonRow, comparison_csv, comparison_rows
from geo.analysis.coverage import coverage, coverage_unwrapped
from geo.analysis.reach import CityInReach, cities_in_reach, reach_csv, reach_totals
from geo.analysis.target import geodesic_line, nearest_point, resolve_target, target_csv, target_report
from geo.core.coords import LatLon, format_latlon, parse_latlon
from geo.core.rings import geodesic_area_km2
from geo.core.units import KM_PER_UNIT, UNIT_LABELS, UNIT_NAMES, UNITS, format_distance, km_to, to_km
from geo.datasets.catalog import Catalog, load_catalog
from geo.datasets.countries import (
    BOUNDARY_EDITION,
    NATURAL_EARTH_CREDIT,
    borders_geojson,
    countries,
    coverage_by_country,
)
from geo.datasets.gazetteer import TIERS, largest_places, load_gazetteer, search_places, tier_for
from geo.errors import CatalogError, InputError
from geo.export.geojson import ATTRIBUTION, coverage_feature, outline_geojson, rings_feature_collection
from geo.export.image import ARTICLE_SIZE, SQUARE_SIZE, render_image
from geo.export.kml import rings_kml
from geo.render import layers as render
from geo.render.html_export import small_multiples_html, standalone_html
from geo.scenario.model import LaunchPoint, System
from geo.scenario.palette import OKABE_ITO
from geo.scenario.presets import PRESETS, get_preset
from geo.scenario.share import (
    MAX_POINTS,
    MAX_ZONES,
    SharedScenario,
    decode_point,
    decode_query,
    decode_zone,
    encode_query,
    shareable_spec,
)
from geo.scenario.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_VERTICES, read_geojson
from geo.scenario.zones import Zone

ROOT = Path(__file__).resolve().parent

# Widget and state keys, in one place.
K_SYSTEMS = "systems"
K_UNIT = "unit"
K_MODE = "click_mode"
K_SELECTED = "selected_point"
K_FIND = "find_query"
K_FIND_CHOICE = "find_choice"
K_MAP = "map"
S_POINTS = "points"  # list[dict(uid, lat, lon, label)]: what no widget holds
S_CUSTOM = "custom_systems"
S_COLORS = "colors"
S_VIEW = "view"  # (center, zoom) for programmatic moves only
S_LAST_EVENT = "last_map_event"
S_MESSAGES = "messages"
S_UID = "next_uid"
S_TARGET = "target"
S_PENDING_SELECT = "pending_selection"
K_TARGET_INPUT = "target_query"
S_PENDING_TARGET_INPUT = "pending_target_input"
K_CUSTOM_NAME = "custom_name"
K_CUSTOM_RANGE = "custom_range"
K_CUSTOM_MIN = "custom_min_range"
K_MIN_POPULATION = "min_population"
K_CITY_SYSTEMS = "city_systems"
K_CITY_FILTER = "city_filter"
K_SMALL_MULTIPLES = "small_multiples"
K_BORDERS = "borders"
K_ZONE_COUNTRY = "zone_country"
K_ZONE_LABEL = "zone_label"
K_UPLOAD = "zone_upload"
S_ZONES = "zones"  # list[dict(uid, spec, zone)]; spec None when too large for a link
S_DRAFT = "zone_draft"  # corners of the zone being drawn
S_UPLOADS_SEEN = "uploads_seen"

MODE_ADD = "Add a launch point"
MODE_MOVE = "Move the selected point"
MODE_TARGET = "Set the target"
MODE_ZONE = "Draw a launch zone"
MODES = (MODE_ADD, MODE_MOVE, MODE_TARGET, MODE_ZONE)

DEFAULT_QUERY: dict[str, list[str]] = {
    "at": ["50.9100,34.8000~Sumy"],
    "w": ["atacms-300,atacms-165,storm-shadow"],
}
CONTEXT = (
    "**17–19 November 2024:** the United States allowed Ukraine to fire ATACMS at targets inside Russia; "
    "Ukraine's first such strike hit Bryansk region on 19 November. The rings show how far each system "
    "reaches from the Sumy border area, with Russia's Kursk and Belgorod regions in view."
)
RETURNED = ["last_clicked", "last_object_clicked", "last_object_clicked_tooltip", "last_object_clicked_count"]


def _zone_hash(zone: Zone) -> tuple[str, str, bytes]:
    """How st.cache_data tells launch zones apart (their shapely geometry does not pickle-hash)."""
    return (zone.kind, zone.label, zone.geometry.wkb)


@st.cache_data(show_spinner=False)
def cached_catalog() -> Catalog:
    return load_catalog()


@st.cache_resource(show_spinner=False)
def leaflet_installed() -> Path:
    return render.install_leaflet(ROOT / "static")


@st.cache_resource(show_spinner=False)
def reach_worker() -> ReachWorker:
    """One worker process for the whole server: large launch zones are computed there (issue 13)."""
    return ReachWorker()


@st.cache_resource(show_spinner=False)
def warm_gazetteer() -> threading.Thread:
    """Build the place-name index (about 2 s, once per server) while the first map loads."""
    thread = threading.Thread(target=search_places, args=("Kyiv",), name="warm-gazetteer", daemon=True)
    thread.start()
    return thread


# --------------------------------------------------------------------------- state


def _new_uid() -> int:
    uid = int(st.session_state.get(S_UID, 0))
    st.session_state[S_UID] = uid + 1
    return uid


def _point_record(point: LaunchPoint) -> dict[str, Any]:
    return {"uid": _new_uid(), "lat": point.lat, "lon": point.lon, "label": point.label}


def launch_points() -> list[LaunchPoint]:
    return [LaunchPoint(p["lat"], p["lon"], p["label"]) for p in st.session_state[S_POINTS]]


def say(kind: str, text: str) -> None:
    """Queue a message to show at the top of the page on this run."""
    st.session_state.setdefault(S_MESSAGES, []).append((kind, text))


def init_state(catalog: Catalog) -> None:
    """First run of a session: rebuild the scenario from the URL (or the default)."""
    if S_POINTS in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    if not params:
        params = DEFAULT_QUERY
    shared = decode_query(params, catalog)
    for warning in shared.warnings:
        say("warning", f"Share link: {warning}")
    st.session_state[S_COLORS] = {}
    st.session_state[K_MODE] = MODE_ADD
    load_shared(shared, catalog)


def load_shared(shared: SharedScenario, catalog: Catalog) -> None:
    """Make a decoded scenario (link or preset) the current one and frame it."""
    st.session_state[S_POINTS] = [_point_record(p) for p in shared.points]
    st.session_state[S_CUSTOM] = list(shared.custom)
    st.session_state[K_SYSTEMS] = [*shared.weapon_ids, *(c.id for c in shared.custom)]
    st.session_state[K_UNIT] = shared.unit
    st.session_state[S_TARGET] = shared.target
    st.session_state[K_TARGET_INPUT] = shared.target
    st.session_state[S_ZONES] = [
        {"uid": _new_uid(), "spec": spec, "zone": decode_zone(spec)[1]} for spec in shared.zones
    ]
    st.session_state[S_DRAFT] = []
    st.session_state[K_BORDERS] = shared.borders
    systems = current_systems(catalog)
    max_range = max((s.range_km for s in systems), default=300.0)
    # Frame the launch points and the launch zones' corners with the largest ring.
    bounds = [z["zone"].geometry.bounds for z in st.session_state[S_ZONES]]  # (min lon, min lat, max lon, max lat)
    corners = [LaunchPoint(b[1], b[0]) for b in bounds] + [LaunchPoint(b[3], b[2]) for b in bounds]
    st.session_state[S_VIEW] = render.view_for([*shared.points, *corners], max_range)


def current_systems(catalog: Catalog) -> list[System]:
    custom = {c.id: c for c in st.session_state[S_CUSTOM]}
    out = []
    for system_id in st.session_state.get(K_SYSTEMS, []):
        if system_id in custom:
            out.append(custom[system_id])
        elif system_id in catalog:
            out.append(System.from_weapon(catalog.get(system_id)))
    return out


def assign_colors(systems: list[System]) -> dict[str, str]:
    """Keep each system's colour while it stays selected; new ones take a free colour."""
    previous: dict[str, str] = st.session_state[S_COLORS]
    colors: dict[str, str] = {}
    for system in systems:
        if system.id in previous and previous[system.id] not in colors.values():
            colors[system.id] = previous[system.id]
    free = itertools.cycle([c for c in OKABE_ITO if c not in colors.values()] or list(OKABE_ITO))
    for system in systems:
        if system.id not in colors:
            colors[system.id] = next(free)
    st.session_state[S_COLORS] = colors
    return colors


def current_scenario() -> SharedScenario:
    custom_ids = {c.id for c in st.session_state[S_CUSTOM]}
    selected = st.session_state.get(K_SYSTEMS, [])
    return SharedScenario(
        points=tuple(launch_points()),
        weapon_ids=tuple(i for i in selected if i not in custom_ids),
        custom=tuple(c for c in st.session_state[S_CUSTOM] if c.id in selected),
        unit=st.session_state.get(K_UNIT, "km"),
        target=st.session_state.get(S_TARGET, ""),
        zones=tuple(z["spec"] for z in st.session_state.get(S_ZONES, []) if z["spec"]),
        borders=bool(st.session_state.get(K_BORDERS, False)),
    )


def sync_url() -> None:
    """Write the scenario into the address bar (only when it changed)."""
    wanted = encode_query(current_scenario())
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        if wanted:
            # One message to the browser: clearing, then setting key by key,
            # showed an empty address for a moment (a reader could copy it).
            st.query_params.from_dict(wanted)
        else:
            st.query_params.clear()


# --------------------------------------------------------------------------- actions


def add_point(point: LaunchPoint) -> None:
    points = st.session_state[S_POINTS]
    if len(points) >= MAX_POINTS:
        say("error", f"At most {MAX_POINTS} launch points: remove one first.")
        return
    points.append(_point_record(point))
    select_point(len(points) - 1)


def move_point(index: int, lat: float, lon: float) -> None:
    points = st.session_state[S_POINTS]
    if 0 <= index < len(points):
        try:
            p = LaunchPoint.at(lat, lon)
        except InputError as exc:
            say("error", f"Could not move launch point {index + 1}: {exc}")
            return
        points[index] = {**points[index], "lat": p.lat, "lon": p.lon}
        select_point(index)


def remove_point(uid: int) -> None:
    st.session_state[S_POINTS] = [p for p in st.session_state[S_POINTS] if p["uid"] != uid]
    select_point(min(st.session_state.get(K_SELECTED, 0), len(st.session_state[S_POINTS]) - 1))


def select_point(index: int) -> None:
    """Select a point on the next run: the radio widget may already be drawn on this one."""
    st.session_state[S_PENDING_SELECT] = max(0, index)


def apply_pending_selection() -> None:
    """Widget values set by map events on the previous run (see :func:`select_point`)."""
    if S_PENDING_SELECT in st.session_state:
        st.session_state[K_SELECTED] = st.session_state.pop(S_PENDING_SELECT)
    if S_PENDING_TARGET_INPUT in st.session_state:
        st.session_state[K_TARGET_INPUT] = st.session_state.pop(S_PENDING_TARGET_INPUT)


def selected_index() -> int | None:
    n = len(st.session_state[S_POINTS])
    if n == 0:
        return None
    index = st.session_state.get(S_PENDING_SELECT, st.session_state.get(K_SELECTED, n - 1))
    return index if isinstance(index, int) and 0 <= index < n else n - 1


def handle_map_event(value: Any) -> bool:
    """Apply a click or a marker drop reported by the map; True if anything changed.

    The component's value is sticky (the last click stays in it on every
    rerun), so an event is handled once, by comparing with the last one seen.
    Safe to call twice for the same value (from ``on_change`` and the body).
    """
    if not isinstance(value, dict):
        return False
    signature = (
        repr(value.get("last_clicked")),
        value.get("last_object_clicked_count"),
        repr(value.get("last_object_clicked")),
    )
    last = st.session_state.get(S_LAST_EVENT)
    st.session_state[S_LAST_EVENT] = signature
    if last is None or signature == last:
        # The first value a fresh map reports is its initial state, not an event.
        return last is None and _apply_click(
            value, object_changed=False, click_changed=value.get("last_clicked") is not None
        )
    return _apply_click(value, object_changed=signature[1:] != last[1:], click_changed=signature[0] != last[0])


def _apply_click(value: dict[str, Any], *, object_changed: bool, click_changed: bool) -> bool:
    obj = value.get("last_object_clicked")
    if object_changed and isinstance(obj, dict):
        index = render.marker_index(value.get("last_object_clicked_tooltip"))
        if index is not None and "lat" in obj and "lng" in obj:
            move_point(index, float(obj["lat"]), float(obj["lng"]))
            return True
    click = value.get("last_clicked")
    if click_changed and isinstance(click, dict) and "lat" in click and "lng" in click:
        try:
            point = LaunchPoint.at(float(click["lat"]), float(click["lng"]))
        except (InputError, TypeError, ValueError) as exc:
            say("error", f"Could not use that click: {exc}")
            return False
        mode = st.session_state.get(K_MODE, MODE_ADD)
        index = selected_index()
        if mode == MODE_ZONE:
            st.session_state.setdefault(S_DRAFT, []).append(LatLon(point.lat, point.lon))
        elif mode == MODE_TARGET:
            st.session_state[S_TARGET] = format_latlon(point.lat, point.lon).replace(" ", "")
            st.session_state[S_PENDING_TARGET_INPUT] = st.session_state[S_TARGET]
        elif mode == MODE_MOVE and index is not None:
            move_point(index, point.lat, point.lon)
        else:
            add_point(point)
        return True
    return False


def on_map_change() -> None:
    handle_map_event(st.session_state.get(K_MAP))
    apply_pending_selection()


# --------------------------------------------------------------------------- UI pieces


def find_place_panel() -> None:
    st.text_input(
        "Find a place or type coordinates",
        key=K_FIND,
        placeholder="Kharkiv, Курск, 50.91, 34.80 or 50°54′36″N 34°48′E",
        help="Place names come from the offline GeoNames gazetteer; old and local spellings work.",
    )
    query = (st.session_state.get(K_FIND) or "").strip()
    if not query:
        return
    found: list[tuple[str, LaunchPoint]] = []
    try:
        p = parse_latlon(query)
        found = [(f"Coordinates {format_latlon(p.lat, p.lon)}", LaunchPoint(p.lat, p.lon))]
    except InputError as coord_error:
        places = search_places(query, limit=8)
        found = [(f"{pl.label} · pop. {pl.population:,}", LaunchPoint(pl.lat, pl.lon, pl.name)) for pl in places]
        if not found:
            looks_numeric = any(ch.isdigit() for ch in query)
            st.warning(str(coord_error) if looks_numeric else f"No place called {query!r} in the offline gazetteer.")
            return
    labels = [label for label, _ in found]
    choice = st.selectbox("Matches", labels, key=K_FIND_CHOICE, label_visibility="collapsed")
    chosen = found[labels.index(choice)][1] if choice in labels else found[0][1]
    c1, c2 = st.columns(2)
    if c1.button("Add launch point", key="find_add", width="stretch"):
        add_point(chosen)
        st.session_state[S_VIEW] = ((chosen.lat, chosen.lon), st.session_state[S_VIEW][1])
    index = selected_index()
    if c2.button("Move selected here", key="find_move", disabled=index is None, width="stretch") and index is not None:
        move_point(index, chosen.lat, chosen.lon)
        st.session_state[S_VIEW] = ((chosen.lat, chosen.lon), st.session_state[S_VIEW][1])


def _on_label(uid: int) -> None:
    for p in st.session_state[S_POINTS]:
        if p["uid"] == uid:
            p["label"] = (st.session_state.get(f"label_{uid}") or "").strip()[:60]


def _on_coords(uid: int, key: str) -> None:
    text = st.session_state.get(key) or ""
    points = st.session_state[S_POINTS]
    for i, p in enumerate(points):
        if p["uid"] == uid:
            try:
                new = decode_point(text)
            except InputError as exc:
                say("error", f"Launch point {i + 1}: {exc}. The point was not moved.")
                return
            move_point(i, new.lat, new.lon)


def points_panel() -> None:
    points = st.session_state[S_POINTS]
    if not points:
        st.info("No launch points yet: click the map, or find a place above.")
        return
    st.radio(
        "Selected point",
        list(range(len(points))),
        format_func=lambda i: f"{i + 1}. {points[i]['label'] or format_latlon(points[i]['lat'], points[i]['lon'], 2)}",
        key=K_SELECTED,
        horizontal=True,
    )
    for i, p in enumerate(points):
        uid = p["uid"]
        c1, c2, c3 = st.columns([3, 3, 1], vertical_alignment="bottom")
        label_key = f"label_{uid}"
        if label_key not in st.session_state:
            st.session_state[label_key] = p["label"]
        c1.text_input(f"Name of point {i + 1}", key=label_key, on_change=_on_label, args=(uid,), max_chars=60)
        # The key follows the position, so a move on the map shows here at once.
        coord_key = f"coords_{uid}_{p['lat']:.6f}_{p['lon']:.6f}"
        c2.text_input(
            f"Coordinates of point {i + 1}",
            value=format_latlon(p["lat"], p["lon"]),
            key=coord_key,
            on_change=_on_coords,
            args=(uid, coord_key),
        )
        c3.button("Remove", key=f"remove_{uid}", help=f"Remove point {i + 1}", on_click=remove_point, args=(uid,))


def systems_panel(catalog: Catalog) -> None:
    custom = {c.id: c for c in st.session_state[S_CUSTOM]}
    options = [*catalog.ids, *custom]

    def fmt(system_id: str) -> str:
        s = custom[system_id] if system_id in custom else System.from_weapon(catalog.get(system_id))
        return f"{s.name} · {format_distance(s.range_km, st.session_state.get(K_UNIT, 'km'))}"

    st.multiselect("Systems", options, key=K_SYSTEMS, format_func=fmt, placeholder="Choose systems")
    st.radio("Units", UNITS, key=K_UNIT, format_func=lambda u: UNIT_NAMES[u], horizontal=True)


def legend(systems: list[System], colors: dict[str, str], unit: str) -> None:
    if not systems:
        st.caption("Choose systems in the sidebar to draw their ranges.")
        return
    rows = []
    for s in systems:
        rng = s.range_text(unit)
        air = " · air-launched" if s.air_launched else ""
        rows.append(
            f'<div style="margin:2px 0"><span style="display:inline-block;width:14px;height:14px;'
            f"background:{colors[s.id]};opacity:.8;border-radius:3px;vertical-align:middle;margin-right:6px"
            f'"></span><b>{html.escape(s.name)}</b> · {html.escape(rng)}{air}</div>'
        )
    st.markdown("".join(rows), unsafe_allow_html=True)


def sources_panel(systems: list[System], catalog: Catalog) -> None:
    for s in systems:
        if s.weapon is None:
            st.markdown(f"**{_md(s.name)}**: user-defined range, not from the catalog.")
            continue
        w = s.weapon
        links = "; ".join(f"[{_md(src.publisher)}, {src.date.isoformat()}]({src.url})" for src in w.sources)
        st.markdown(f"**{_md(w.name)}**: {_md(w.range_reported)} (figure used: {w.range_km:g} km). {links}")
        if w.notes:
            st.caption(w.notes)
    if any(s.air_launched for s in systems):
        st.markdown(
            "**Air-launched missiles** (Storm Shadow, Taurus, Kh-101, Kinzhal) fly their range from where the "
            "aircraft releases them, not from its airbase: a ring drawn around an airfield understates their reach."
        )
    st.markdown(
        "**Why the rings are not circles.** Each ring is the set of places exactly that far away along the "
        "Earth's surface (on the WGS84 ellipsoid). This Web Mercator map stretches distances more the further "
        "from the equator, so a true ring looks taller than wide and bulges toward the pole."
    )
    st.caption(
        f"Ranges are publicly reported nominal figures (catalog as of {catalog.as_of.isoformat()}); real reach "
        "depends on payload, flight profile and defences. Place names: GeoNames (CC BY 4.0). "
        "Map tiles © OpenStreetMap contributors."
    )


def _md(text: str) -> str:
    """Escape user or catalog text for Markdown (no HTML, no links)."""
    escaped = html.escape(text, quote=False)
    for ch in "\\`*_{}[]()#+-.!|<>~":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def show_messages() -> None:
    shows: dict[str, Callable[[str], Any]] = {"warning": st.warning, "error": st.error, "info": st.info}
    for kind, text in st.session_state.pop(S_MESSAGES, []):
        shows.get(kind, st.info)(text)


# --------------------------------------------------------------------------- issue 4: compare, target, take away


def add_custom_system() -> None:
    """Form callback: add a user-defined system and select it."""
    unit = st.session_state.get(K_UNIT, "km")
    name = st.session_state.get(K_CUSTOM_NAME) or ""
    try:
        system = System.custom(
            name,
            to_km(float(st.session_state.get(K_CUSTOM_RANGE) or 0.0), unit),
            to_km(float(st.session_state.get(K_CUSTOM_MIN) or 0.0), unit),
        )
    except InputError as exc:
        say("error", f"Custom system not added: {exc}")
        return
    custom: list[System] = st.session_state[S_CUSTOM]
    if all(c.id != system.id for c in custom):
        custom.append(system)
    selected = list(st.session_state.get(K_SYSTEMS, []))
    if system.id not in selected:
        selected.append(system.id)
    st.session_state[K_SYSTEMS] = selected


def custom_system_panel() -> None:
    unit = st.session_state.get(K_UNIT, "km")
    with st.expander("Add your own system"), st.form("custom_system_form", border=False):
        st.text_input("Name", key=K_CUSTOM_NAME, max_chars=60, placeholder="e.g. Hypothetical 400 km missile")
        c1, c2 = st.columns(2)
        c1.number_input(f"Range ({unit})", key=K_CUSTOM_RANGE, min_value=0.0, step=10.0)
        c2.number_input(
            f"Minimum range ({unit})", key=K_CUSTOM_MIN, min_value=0.0, step=10.0, help="Optional: 0 for none"
        )
        st.form_submit_button("Add system", on_click=add_custom_system)


def load_preset(preset_id: str) -> None:
    catalog = cached_catalog()
    try:
        preset = get_preset(preset_id)
        load_shared(preset.scenario(catalog), catalog)
    except InputError as exc:
        say("error", f"That scenario could not be loaded: {exc}")
        return
    say("info", f"**{preset.title}** ({preset.date.strftime('%-d %B %Y')}): {preset.context}")


def presets_panel() -> None:
    with st.expander("Scenarios from the news"):
        for preset in PRESETS:
            st.button(
                f"{preset.title} · {preset.date.strftime('%b %Y')}",
                key=f"preset_{preset.id}",
                on_click=load_preset,
                args=(preset.id,),
                width="stretch",
            )
            st.caption(
                f"{_md(preset.context)} Source: [{_md(preset.source_publisher)}]({preset.source_url}), {preset.date.isoformat()}"
            )


def _on_target_input() -> None:
    st.session_state[S_TARGET] = (st.session_state.get(K_TARGET_INPUT) or "").strip()


def current_target() -> tuple[tuple[LatLon, str] | None, str]:
    """The target as (point, label), or None with the reason it could not be read."""
    text = (st.session_state.get(S_TARGET) or "").strip()
    if not text:
        return None, ""
    try:
        return cached_target(text), ""
    except InputError as exc:
        return None, f"Target not shown: {exc}"


@st.cache_data(show_spinner=False, max_entries=256)
def cached_target(text: str) -> tuple[LatLon, str]:
    return resolve_target(text)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_comparison(points: tuple[LaunchPoint, ...], systems: tuple[System, ...]) -> list[ComparisonRow]:
    return comparison_rows(points, systems)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={Zone: _zone_hash})
def cached_coverage_geojson(
    points: tuple[LaunchPoint, ...], zones: tuple[Zone, ...], systems: tuple[System, ...]
) -> str:
    features = [coverage_feature(points, zones, s) for s in systems]
    return json.dumps(
        {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}, ensure_ascii=False
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_standalone_html(
    points: tuple[LaunchPoint, ...],
    systems: tuple[System, ...],
    colors: tuple[tuple[str, str], ...],
    unit: str,
    target: tuple[LatLon, str] | None,
) -> str:
    return standalone_html(
        points,
        systems,
        colors=dict(colors),
        unit=unit,
        title="Weapon Range Map",
        target=target[0] if target else None,
        target_label=target[1] if target else "",
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_small_multiples(
    points: tuple[LaunchPoint, ...], systems: tuple[System, ...], colors: tuple[tuple[str, str], ...], unit: str
) -> str:
    center, zoom = render.view_for(points, max(s.range_km for s in systems), width_px=320, height_px=260)
    return small_multiples_html(points, systems, colors=dict(colors), unit=unit, center=center, zoom=zoom)


def number_columns(columns: Any) -> dict[str, Any]:
    """Thousands separators for counts and areas, one decimal for distances (sorting stays numeric)."""
    config: dict[str, Any] = {}
    for name in columns:
        if name.startswith(("Area", "Population", "Range", "Min range")):
            config[name] = st.column_config.NumberColumn(name, format="localized")
        elif name.startswith(("Distance", "Inside the range")):
            config[name] = st.column_config.NumberColumn(name, format="%.1f")
    return config


def compare_panel(
    points: list[LaunchPoint], systems: list[System], colors: dict[str, str], unit: str, zones: list[Zone]
) -> None:
    if not systems:
        st.caption("Choose systems to compare them.")
        return
    rows = cached_comparison(tuple(points), tuple(systems))
    if zones:  # the area within reach includes the launch zones' reach
        rows = [replace(r, area_km2=cached_coverage(tuple(points), tuple(zones), r.system)[1]) for r in rows]
    u = UNIT_LABELS[unit]
    table = pd.DataFrame(
        [
            {
                "": "",
                "System": r.system.name,
                f"Range ({u})": round(km_to(r.range_km, unit)),
                "Range (km)": round(r.range_km),
                f"Min range ({u})": round(km_to(r.min_range_km, unit)) if r.min_range_km else None,
                "Area covered (km²)": round(r.area_km2) if points or zones else None,
                "Launch platform": "aircraft (from release point)" if r.air_launched else ", ".join(r.platforms),
                "Air-launched": r.air_launched,
                "Origin": r.origin,
                "Supplied by": r.supplied_by,
                "Source": f"{r.source_publisher}, {r.source_date.isoformat()}" if r.source_date else r.source_publisher,
                "Link": r.source_url or None,
            }
            for r in rows
        ]
    )
    swatches = [colors[r.system.id] for r in rows]
    styled = table.style.apply(lambda col: [f"background-color: {c}" for c in swatches], subset=[""])
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        column_config={
            **number_columns(table.columns),
            "Link": st.column_config.LinkColumn("Link", display_text="source"),
            "": st.column_config.TextColumn("", width=20),
        },
    )
    st.caption(
        "Area: the ellipsoidal area within reach of any launch point, overlaps counted once. Click a column "
        "header to sort."
    )
    if points and len(systems) > 1 and st.toggle("Side-by-side maps, one per system", key=K_SMALL_MULTIPLES):
        rows_of_maps = -(-len(systems) // 3)
        st.iframe(
            cached_small_multiples(tuple(points), tuple(systems), tuple(colors.items()), unit),
            height=rows_of_maps * 320 + 20,
        )
        st.caption("The small maps move together: pan or zoom one and the others follow.")


def target_panel(
    points: list[LaunchPoint], systems: list[System], unit: str, target: tuple[LatLon, str] | None, error: str
) -> None:
    st.text_input(
        "Target: a place or coordinates",
        key=K_TARGET_INPUT,
        on_change=_on_target_input,
        placeholder="Kursk, Belgorod, 51.73, 36.19",
        help="Or choose “Set the target” above the map and click it.",
    )
    if error:
        st.warning(error)
    if target is None:
        return
    point, label = target
    if not points or not systems:
        st.caption("Add launch points and systems to measure the distances.")
        return
    rows = target_report(point, points, systems)
    u = UNIT_LABELS[unit]
    table = pd.DataFrame(
        [
            {
                "Launch point": r.point.name,
                "System": r.system.name,
                f"Distance ({u})": round(km_to(r.distance_km, unit), 1),
                "Bearing": f"{r.bearing_deg:.0f}° {r.compass}".strip(),
                "In range": "yes" if r.in_range else "no",
                "Answer": r.verdict(unit),
            }
            for r in rows
        ]
    )
    reach = sum(r.in_range for r in rows)
    st.markdown(f"**{_md(label)}**: within reach in {reach} of {len(rows)} launch point × system pairs.")
    st.dataframe(table, hide_index=True, width="stretch", column_config=number_columns(table.columns))
    st.download_button(
        "Download the distances (CSV)",
        target_csv(rows, unit),
        file_name="weapon-range-target.csv",
        mime="text/csv",
        key="dl_target_csv",
        on_click="ignore",
    )


def downloads_panel(
    points: list[LaunchPoint], systems: list[System], colors: dict[str, str], unit: str, zones: list[Zone]
) -> None:
    if not (points or zones) or not systems:
        st.caption("Add launch points or zones and systems to export them.")
        return
    # Files are made when a button is clicked (Streamlit calls ``data`` then),
    # so dragging a point never pays for exports nobody asked for.
    pts, sys_, zns, cols = tuple(points), tuple(systems), tuple(zones), tuple(colors.items())
    target, _ = current_target()
    files: list[tuple[str, Callable[[], str | bytes], str, str]] = []
    if points:
        files += [
            (
                "GeoJSON (QGIS, geojson.io, Datawrapper)",
                lambda: json.dumps(rings_feature_collection(pts, sys_), ensure_ascii=False),
                "weapon-range-rings.geojson",
                "application/geo+json",
            ),
            (
                "KML (Google Earth)",
                lambda: rings_kml(pts, sys_, colors=colors, unit=unit, zones=zns),
                "weapon-range-rings.kml",
                "application/vnd.google-earth.kml+xml",
            ),
            (
                "Map as one HTML file (offline, embeddable)",
                lambda: cached_standalone_html(pts, sys_, cols, unit, target),
                "weapon-range-map.html",
                "text/html",
            ),
            (
                "Comparison table (CSV)",
                lambda: comparison_csv(cached_comparison(pts, sys_), unit),
                "weapon-range-comparison.csv",
                "text/csv",
            ),
        ]
    if zones:
        files.append(
            (
                "Coverage with launch zones (GeoJSON)",
                lambda: cached_coverage_geojson(pts, zns, sys_),
                "weapon-range-coverage.geojson",
                "application/geo+json",
            )
        )
    for fmt, size, label in (
        ("png", ARTICLE_SIZE, "article"),
        ("png", SQUARE_SIZE, "square"),
        ("svg", ARTICLE_SIZE, "article"),
    ):
        files.append(
            (
                f"Image, {label} {size[0]}×{size[1]} ({fmt.upper()})",
                functools.partial(cached_image, pts, sys_, zns, cols, unit, target, size, fmt),
                f"weapon-range-map-{label}.{fmt}",
                "image/png" if fmt == "png" else "image/svg+xml",
            )
        )
    columns = st.columns(3)
    for i, (label, make, file_name, mime) in enumerate(files):
        columns[i % 3].download_button(
            label, make, file_name=file_name, mime=mime, key=f"dl_{file_name}", on_click="ignore", width="stretch"
        )
    st.caption(
        "Exports carry the sources of each range and the data credits. Images use an azimuthal equidistant "
        "projection centred on the launch area, so the rings keep their true shape."
    )


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={Zone: _zone_hash})
def cached_image(
    points: tuple[LaunchPoint, ...],
    systems: tuple[System, ...],
    zones: tuple[Zone, ...],
    colors: tuple[tuple[str, str], ...],
    unit: str,
    target: tuple[LatLon, str] | None,
    size: tuple[int, int],
    fmt: str,
) -> bytes:
    return render_image(
        points,
        systems,
        colors=dict(colors),
        unit=unit,
        zones=zones,
        size=size,
        fmt="svg" if fmt == "svg" else "png",
        target=target[0] if target else None,
        target_label=target[1] if target else "",
        credit_geonames=True,
    )


# --------------------------------------------------------------------------- issue 5: reach analysis


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs={Zone: _zone_hash})
def cached_cities(
    points: tuple[LaunchPoint, ...], systems: tuple[System, ...], min_population: int, zones: tuple[Zone, ...] = ()
) -> list[CityInReach]:
    zones_coverage = {s.id: cached_coverage(points, zones, s)[0] for s in systems} if zones else None
    return cities_in_reach(points, systems, min_population=min_population, zones_coverage=zones_coverage)


def cities_panel(points: list[LaunchPoint], systems: list[System], unit: str, zones: list[Zone]) -> None:
    c1, c2 = st.columns([1, 2])
    min_population = c1.selectbox(
        "Smallest place counted",
        TIERS,
        format_func=lambda n: f"{n:,} people",
        key=K_MIN_POPULATION,
        help="GeoNames tiers: 15,000 covers every sizeable town.",
    )
    if not (points or zones) or not systems:
        st.caption("Add launch points or zones and systems to list the places within reach.")
        return
    tier_size = load_gazetteer(tier_for(int(min_population))).count_at_least(int(min_population))
    cost = places_cost_s(points, systems, tier_size)
    if cost > SYNC_SECONDS:
        st.warning(
            f"Too much to list at once: {len(points)} launch points × {len(systems)} systems over {tier_size:,} places "
            f"would take about {_seconds(cost)} (the limit is {SYNC_SECONDS:g} s). Choose a higher population "
            "threshold, fewer launch points or shorter-range systems."
        )
        return
    rows = cached_cities(tuple(points), tuple(systems), int(min_population), tuple(zones))
    totals = reach_totals(rows, systems)
    for s in systems:
        t = totals[s.id]
        st.markdown(f"**{_md(s.name)}**: {t.cities:,} places, {t.population:,} people within reach.")
    st.caption(
        "Populations are GeoNames figures; GeoNames lists some city districts separately, so read totals as an "
        "upper bound."
    )
    if not rows:
        return
    names = {s.id: s.name for s in systems}
    chosen = c2.multiselect("Show systems", list(names), default=list(names), format_func=names.get, key=K_CITY_SYSTEMS)
    query = c2.text_input("Filter by place or country", key=K_CITY_FILTER).strip().casefold()
    u = UNIT_LABELS[unit]
    table = pd.DataFrame(
        [
            {
                "Place": r.name,
                "Country": r.country_name or r.country_code,
                "Population": r.population,
                "System": r.weapon_name,
                "Nearest launch point": r.nearest_launch,
                f"Distance ({u})": round(km_to(r.distance_km, unit), 1) if r.distance_km is not None else None,
                f"Inside the range by ({u})": round(km_to(r.margin_km, unit), 1) if r.margin_km is not None else None,
            }
            for r in rows
            if r.weapon_id in chosen and (not query or query in f"{r.name} {r.country_name}".casefold())
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", height=360, column_config=number_columns(table.columns))
    st.download_button(
        "Download the places within reach (CSV)",
        reach_csv([r for r in rows if r.weapon_id in chosen]),
        file_name="weapon-range-places.csv",
        mime="text/csv",
        key="dl_cities_csv",
        on_click="ignore",
    )


# --------------------------------------------------------------------------- issue 5: launch zones, coverage


def launch_zones() -> list[Zone]:
    return [z["zone"] for z in st.session_state.get(S_ZONES, [])]


def add_zone(zone: Zone, spec: str | None) -> None:
    zones = st.session_state.setdefault(S_ZONES, [])
    if spec is not None and any(z["spec"] == spec for z in zones):
        return
    if len(zones) >= MAX_ZONES:
        say("error", f"At most {MAX_ZONES} launch zones: remove one first.")
        return
    zones.append({"uid": _new_uid(), "spec": spec, "zone": zone})


def add_country_zone() -> None:
    code = st.session_state.get(K_ZONE_COUNTRY)
    if not code:
        return
    try:
        spec, zone = decode_zone(f"country:{code}")
    except InputError as exc:
        say("error", f"Launch zone not added: {exc}")
        return
    add_zone(zone, spec)


def finish_draft(closed: bool) -> None:
    draft: list[LatLon] = st.session_state.get(S_DRAFT, [])
    kind = "area" if closed else "line"
    label = (st.session_state.get(K_ZONE_LABEL) or "").strip()[:60]
    text = f"{kind}:" + ";".join(f"{p.lat:.4f},{p.lon:.4f}" for p in draft) + (f"~{label}" if label else "")
    try:
        spec, zone = decode_zone(text)
    except InputError as exc:
        say("error", f"Launch zone not added: {exc}. Your corners are kept: add more or undo.")
        return
    add_zone(zone, spec)
    st.session_state[S_DRAFT] = []


def undo_draft() -> None:
    draft = st.session_state.get(S_DRAFT, [])
    if draft:
        draft.pop()


def clear_draft() -> None:
    st.session_state[S_DRAFT] = []


def remove_zone(uid: int) -> None:
    st.session_state[S_ZONES] = [z for z in st.session_state.get(S_ZONES, []) if z["uid"] != uid]


def read_upload() -> None:
    """Add the zones and launch points of an uploaded GeoJSON file (once per file)."""
    upload = st.session_state.get(K_UPLOAD)
    if upload is None:
        return
    seen: set[str] = st.session_state.setdefault(S_UPLOADS_SEEN, set())
    if upload.file_id in seen:
        return
    seen.add(upload.file_id)
    try:
        found = read_geojson(upload.getvalue())
    except InputError as exc:
        say("error", f"{upload.name}: {exc}. Nothing was changed.")
        return
    # Add what fits under the limits, and say once what did not (a 5,000-point
    # file used to queue 4,950 error messages, 120 s of page; issue 13).
    room_points = max(0, MAX_POINTS - len(st.session_state[S_POINTS]))
    room_zones = max(0, MAX_ZONES - len(st.session_state.get(S_ZONES, [])))
    points, zones = found.points[:room_points], found.zones[:room_zones]
    for point in points:
        add_point(point)
    not_shared = 0
    for zone in zones:
        spec = shareable_spec(zone)
        not_shared += spec is None
        add_zone(zone, spec)
    say("info", f"{upload.name}: {len(zones)} launch zone(s) and {len(points)} launch point(s) added.")
    left = [
        f"{n:,} {what} (at most {limit} in all)"
        for n, what, limit in (
            (len(found.points) - len(points), "launch point(s)", MAX_POINTS),
            (len(found.zones) - len(zones), "launch zone(s)", MAX_ZONES),
        )
        if n
    ]
    if left:
        say("warning", f"{upload.name}: not added: {' and '.join(left)}.")
    if not_shared:
        say("warning", f"{not_shared} uploaded zone(s) are too detailed for the share link; the link leaves them out.")


def zones_panel() -> None:
    zones = st.session_state.get(S_ZONES, [])
    st.caption(
        "A launch zone fires from anywhere inside it (an area) or along it (a line, e.g. a front line). "
        "Its reach is computed on the ellipsoid and merged with the launch points' rings into one outline per system."
    )
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    options = country_options()
    c1.selectbox(
        "A whole country",
        list(options),
        format_func=options.get,
        key=K_ZONE_COUNTRY,
        index=None,
        placeholder="Choose a country",
    )
    c2.button("Add country", key="zone_add_country", on_click=add_country_zone, width="stretch")

    draft = st.session_state.get(S_DRAFT, [])
    st.markdown(f"**Draw a zone**: choose “{MODE_ZONE}” above the map and click its corners ({len(draft)} so far).")
    d1, d2, d3, d4, d5 = st.columns([2, 1, 1, 1, 1], vertical_alignment="bottom")
    d1.text_input("Zone name", key=K_ZONE_LABEL, max_chars=60, placeholder="e.g. front line, Nov 2024")
    d2.button("Finish as line", key="zone_finish_line", on_click=finish_draft, args=(False,), disabled=len(draft) < 2)
    d3.button("Finish as area", key="zone_finish_area", on_click=finish_draft, args=(True,), disabled=len(draft) < 3)
    d4.button("Undo corner", key="zone_undo", on_click=undo_draft, disabled=not draft)
    d5.button("Clear", key="zone_clear", on_click=clear_draft, disabled=not draft)

    st.file_uploader(
        "Or upload GeoJSON (WGS84 lon/lat; lines, polygons, points)",
        type=["geojson", "json"],
        key=K_UPLOAD,
        on_change=read_upload,
        help=f"At most {MAX_UPLOAD_BYTES // 1_000_000} MB and {MAX_UPLOAD_VERTICES:,} points.",
    )
    for i, z in enumerate(zones):
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        shared = "" if z["spec"] else " · not in the share link (too detailed)"
        c1.markdown(f"{i + 1}. **{_md(z['zone'].label)}** ({z['zone'].kind}){shared}")
        c2.button("Remove", key=f"zone_remove_{z['uid']}", on_click=remove_zone, args=(z["uid"],))


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs={Zone: _zone_hash})
def cached_outline(points: tuple[LaunchPoint, ...], zones: tuple[Zone, ...], system: System) -> dict[str, Any]:
    """The merged reach of points and zones for the map (unwrapped, 5 decimals)."""
    return outline_geojson(coverage_unwrapped(points, zones, system))


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs={Zone: _zone_hash})
def cached_coverage(points: tuple[LaunchPoint, ...], zones: tuple[Zone, ...], system: System) -> tuple[Any, float]:
    geom = coverage(points, zones, system)
    return geom, geodesic_area_km2(geom)


@st.cache_data(show_spinner=False)
def country_options() -> dict[str, str]:
    return {c.iso2: c.name for c in sorted(countries(), key=lambda c: c.name) if c.iso2}


@st.cache_data(show_spinner=False, max_entries=16)
def cached_borders(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    return borders_geojson(bbox=bbox)


def coverage_panel(points: list[LaunchPoint], systems: list[System], zones: list[Zone], unit: str) -> None:
    if not (points or zones) or not systems:
        st.caption("Add launch points or zones and systems to see how much of each country is within reach.")
        return
    st.caption(f"Boundaries: {BOUNDARY_EDITION}. {NATURAL_EARTH_CREDIT}")
    u = UNIT_LABELS[unit]
    coverages = {s.id: cached_coverage(tuple(points), tuple(zones), s) for s in systems}
    cost = country_coverage_cost_s([geom for geom, _ in coverages.values()])
    if cost > SYNC_SECONDS:
        st.warning(
            f"Too much to measure at once: the coverage of {len(systems)} systems over the countries it touches "
            f"would take about {_seconds(cost)} (the limit is {SYNC_SECONDS:g} s). Choose fewer or shorter-range "
            "systems to see it by country."
        )
        return
    for s in systems:
        geom, area = coverages[s.id]
        rows = coverage_by_country(geom)
        st.markdown(f"**{_md(s.name)}**: {area:,.0f} km² within reach in all.")
        if not rows:
            continue
        lead = rows[0]
        st.caption(
            f"{lead.covered_km2:,.0f} km² of {_md(lead.country.name)}, {lead.share:.1%} of its area"
            + (
                f"; {rows[1].covered_km2:,.0f} km² of {_md(rows[1].country.name)}, {rows[1].share:.1%}."
                if len(rows) > 1
                else "."
            )
        )
        table = pd.DataFrame(
            [
                {
                    "Country": r.country.name,
                    "Area within reach (km²)": round(r.covered_km2),
                    "Share of the country": f"{r.share:.1%}",
                    f"Area within reach ({u}²)": round(r.covered_km2 / KM_PER_UNIT[unit] ** 2),
                }
                for r in rows
            ]
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(rows), 250),
            column_config=number_columns(table.columns),
        )


# --------------------------------------------------------------------------- work budget (issue 13)


def _session_id() -> str:
    ctx = st.runtime.scriptrunner.get_script_run_ctx()
    return ctx.session_id if ctx is not None else "local"


def _seconds(value: float) -> str:
    return f"{value:,.0f} s" if value >= 10 else f"{value:.1f} s"


def plan_zones(zones: list[Zone], systems: list[System]) -> tuple[list[Zone], list[str], list[str]]:
    """The launch zones whose reach can be used on this run, and why others cannot (yet).

    Reaches that are cached, or cheap enough to compute now (within
    :data:`geo.analysis.budget.SYNC_SECONDS` in all), are used at once. Costlier ones
    go to the background worker, up to :data:`geo.analysis.budget.BACKGROUND_SECONDS`
    for the scenario; the page reruns when they are done. Beyond that, or for
    a zone too detailed to compute at all, the zone stays in the scenario (and
    the link) but its reach is not computed, with a message saying what to
    change.

    Returns
    -------
    (zones, pending, refused)
        The zones to analyse now; lines naming the zones being computed; lines
        naming the zones refused and why.
    """
    if not zones or not systems:
        return zones, [], []
    jobs = zone_jobs(zones, systems)
    blocked: dict[Zone, str] = {j.zone: j.refusal for j in reversed(jobs) if j.refusal}
    todo = [j for j in jobs if j.seconds > 0 and j.zone not in blocked]
    total = sum(j.seconds for j in todo)
    waiting: dict[Zone, list[ZoneJob]] = {}
    if total > BACKGROUND_SECONDS:
        names = ", ".join(dict.fromkeys(j.zone.label for j in todo))
        about = f"about {_seconds(total)}" if math.isfinite(total) else f"more than {BACKGROUND_SECONDS:.0f} s"
        why = (
            f"the reach of {names} for {len(systems)} system(s) would take {about} of computing; "
            f"the limit is {BACKGROUND_SECONDS:.0f} s: remove some launch zones or systems, or choose systems "
            "with fewer different ranges"
        )
        blocked.update({j.zone: why for j in todo})
    elif total > SYNC_SECONDS:
        worker = reach_worker()
        owner = _session_id()
        for job in todo:
            state = worker.submit(job.zone, job.range_km, owner)
            if state.status == "failed":
                blocked.setdefault(
                    job.zone, f"its reach at {job.range_km:,.6g} km could not be computed: {state.message}"
                )
            elif state.status != "done":
                waiting.setdefault(job.zone, []).append(job)
    pending = [
        f"{zone.label} ({len(js)} range(s), about {_seconds(sum(j.seconds for j in js))})"
        for zone, js in waiting.items()
        if zone not in blocked
    ]
    by_reason: dict[str, list[str]] = {}
    for zone, why in blocked.items():
        by_reason.setdefault(why, []).append(zone.label)
    refused = [
        f"{', '.join(labels)}: {why}" if not why.startswith("the reach of ") else why
        for why, labels in by_reason.items()
    ]
    return [z for z in zones if z not in blocked and z not in waiting], pending, refused


@st.fragment(run_every=1.0)
def wait_for_zones(pending: list[str]) -> None:
    """Say what is being computed, and rerun the page once it is done."""
    zones = launch_zones()
    systems = current_systems(cached_catalog())
    _, still, _ = plan_zones(zones, systems)
    if not still:
        st.rerun(scope="app")
    st.info(
        "Computing the reach of the launch zone(s) "
        + "; ".join(_md(line) for line in still)
        + ". The map and the tables add them when they are ready; everything else works meanwhile."
    )


# --------------------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="Weapon Range Map", page_icon="🎯", layout="wide")
    try:
        catalog = cached_catalog()
    except CatalogError as exc:
        st.error(f"The weapons catalog could not be loaded: {exc}")
        st.stop()
    leaflet_installed()
    warm_gazetteer()
    init_state(catalog)
    # The map's value, handled before anything is drawn (also covers AppTest,
    # where the component's on_change callback does not fire).
    handle_map_event(st.session_state.get(K_MAP))
    apply_pending_selection()

    with st.sidebar:
        st.header("Systems")
        systems_panel(catalog)
        custom_system_panel()
        presets_panel()
        st.header("Map")
        st.checkbox(
            "Country borders and city names",
            key=K_BORDERS,
            help="Natural Earth borders and GeoNames cities: the map stays readable when map tiles cannot load.",
        )

    # Less empty space above the title: the map should be in view on a laptop screen.
    st.html('<style>[data-testid="stMainBlockContainer"]{padding-top:2rem}</style>')
    st.title("Weapon Range Map")
    st.markdown(CONTEXT)
    show_messages()

    systems = current_systems(catalog)
    colors = assign_colors(systems)
    unit = st.session_state.get(K_UNIT, "km")
    points = launch_points()
    zones, pending_zones, refused_zones = plan_zones(launch_zones(), systems)
    for line in refused_zones:
        st.warning(f"Launch zone not used: {_md(line)}", icon="⚠️")
    if pending_zones:
        wait_for_zones(pending_zones)
    center, zoom = st.session_state[S_VIEW]
    target, target_error = current_target()
    target_line: list[LatLon] = []
    if target is not None and points:
        nearest = nearest_point(target[0], points)
        target_line = geodesic_line(nearest.point.latlon, target[0])

    find_col, mode_col = st.columns([3, 2])
    with find_col:
        find_place_panel()
    with mode_col:
        st.radio("Clicking the map will…", MODES, key=K_MODE, horizontal=True)

    map_col, side_col = st.columns([4, 1])
    with map_col:
        extra = []
        if st.session_state.get(K_BORDERS):
            reach_km = max((s.range_km for s in systems), default=300.0)
            wide = render.context_bbox(points, zones, reach_km, margin=1.3, pad_deg=2.0, snap_deg=2.0)
            near = render.context_bbox(points, zones, reach_km, margin=1.25, pad_deg=0.5, snap_deg=1.0)
            labels = {p.label for p in points}
            extra.append(render.borders_layer(cached_borders(wide)))
            extra.append(render.places_layer([p for p in largest_places(near, limit=45) if p.name not in labels]))
        draft = st.session_state.get(S_DRAFT, [])
        if launch_zones() or draft:  # every zone's outline, its reach computed or not
            extra.append(render.zones_layer(launch_zones(), draft))
        outlines = None
        if zones:
            outlines = {s.id: cached_outline(tuple(points), tuple(zones), s) for s in systems}
        groups = render.scenario_layers(
            points,
            systems,
            render.MapStyle(colors, unit),
            selected=selected_index(),
            target=target[0] if target else None,
            target_label=target[1] if target else "",
            target_line=target_line,
            extra=extra,
            outlines=outlines,
        )
        value = st_folium(
            render.base_map(),
            key=K_MAP,
            height=620,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=groups,
            center=center,
            zoom=zoom,
            on_change=on_map_change,
        )
        mode = st.session_state.get(K_MODE, MODE_ADD)
        st.caption(
            f"Click the map to **{mode.lower()}**; drag a numbered marker to move it. "
            "Rings are true geodesic distances on the WGS84 ellipsoid."
        )
    with side_col:
        st.subheader("Legend")
        legend(systems, colors, unit)
        st.subheader("Share")
        st.caption("The address bar holds this map at every moment: share the page link.")
        copy_link_button()
        st.code(share_link(), language=None, wrap_lines=True)

    tabs = st.tabs(
        [
            "Launch points",
            "Launch zones",
            "Compare",
            "Does it reach…?",
            "Places in range",
            "Coverage by country",
            "Download",
            "Sources and caveats",
        ]
    )
    with tabs[0]:
        points_panel()
    with tabs[1]:
        zones_panel()
    with tabs[2]:
        compare_panel(points, systems, colors, unit, zones)
    with tabs[3]:
        target_panel(points, systems, unit, target, target_error)
    with tabs[4]:
        cities_panel(points, systems, unit, zones)
    with tabs[5]:
        coverage_panel(points, systems, zones, unit)
    with tabs[6]:
        downloads_panel(points, systems, colors, unit, zones)
    with tabs[7]:
        sources_panel(systems, catalog)

    sync_url()
    if handle_map_event(value):
        sync_url()
        st.rerun()


def share_link() -> str:
    """The page's address with the scenario's query string (what the address bar shows)."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(encode_query(current_scenario()), doseq=True, safe=",~:")
    return f"{base}?{query}" if query else base


def copy_link_button() -> None:
    """A one-click "Copy link" (the browser's clipboard, from the page's own URL)."""
    st.html(
        """
        <button id="wrm-copy" style="padding:.4rem .8rem;border-radius:.5rem;border:1px solid #bbb;
          background:#fff;cursor:pointer;font:inherit">Copy link</button>
        <span id="wrm-copied" style="margin-left:.5rem;color:#080"></span>
        <script>
        (function () {
          const b = document.getElementById("wrm-copy");
          if (!b) return;
          b.onclick = async function () {
            const url = window.location.href;
            try { await navigator.clipboard.writeText(url); }
            catch (e) {
              const t = document.createElement("textarea"); t.value = url; document.body.appendChild(t);
              t.select(); document.execCommand("copy"); t.remove();
            }
            document.getElementById("wrm-copied").textContent = "Copied";
          };
        })();
        </script>
        """,
        unsafe_allow_javascript=True,
    )


main()
