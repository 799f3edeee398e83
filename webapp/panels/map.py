"""The interactive map: a constant base map, the scenario's layers, and the click mode."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.analysis.analyse import Analysis
from geo.datasets.gazetteer import largest_places
from geo.render import layers
from webapp import caches, events, state


def mode_picker() -> None:
    st.radio("Clicking the map will…", events.MODES, key=events.K_MODE, horizontal=True)


def map_panel(analysis: Analysis, *, context: bool = True) -> None:
    """The map; with ``context`` False, without the borders and place names drawn for context
    (a session's first paint, webapp.first_paint: they follow on the next run)."""
    page = state.get()
    scenario = analysis.scenario
    extra = []
    if scenario.borders and context:
        reach_km = max((s.range_km for s in scenario.systems), default=300.0)
        wide = layers.context_bbox(scenario.points, scenario.zones, reach_km, margin=1.3, pad_deg=2.0, snap_deg=2.0)
        near = layers.context_bbox(scenario.points, scenario.zones, reach_km, margin=1.25, pad_deg=0.5, snap_deg=1.0)
        labels = {p.label for p in scenario.points}
        extra.append(layers.borders_layer(caches.borders(wide)))
        extra.append(layers.places_layer([p for p in largest_places(near, limit=45) if p.name not in labels]))
    if scenario.zones or page.draft:  # every zone's outline, its reach computed or not
        extra.append(layers.zones_layer(scenario.zones, page.draft))
    groups = layers.analysis_layers(
        analysis,
        layers.MapStyle(page.color_map, scenario.unit),
        selected=events.selected_index(),
        extra=extra,
    )
    center, zoom = page.map_view
    value = st_folium(
        layers.base_map(),
        key=events.K_MAP,
        height=620,
        use_container_width=True,
        returned_objects=events.RETURNED,
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        on_change=events.on_map_change,
    )
    if events.handle_map_event(value):
        # An event the on_change callback did not see (AppTest runs no callbacks): draw it now.
        st.rerun()
    mode = st.session_state.get(events.K_MODE, events.MODE_ADD)
    st.caption(
        f"Click or tap the map to **{mode.lower()}**; drag a numbered marker to move it. "
        "Rings are true geodesic distances on the WGS84 ellipsoid."
    )
