"""Compare: one row per system, in the map's colours, with its area and its source."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from geo.analysis.analyse import Analysis
from geo.analysis.compare import comparison_rows
from geo.core.units import UNIT_LABELS, km_to
from geo.render.html_export import small_multiples_html
from geo.render.layers import view_for
from webapp import caches, state
from webapp.panels.common import number_columns

K_SMALL_MULTIPLES: Final = "small_multiples"


def compare_panel(analysis: Analysis) -> None:
    scenario = analysis.scenario
    if not scenario.systems:
        st.caption("Choose systems to compare them.")
        return
    rows = comparison_rows(analysis)
    colors = state.get().color_map
    unit = scenario.unit
    u = UNIT_LABELS[unit]
    table = pd.DataFrame(
        [
            {
                "": "",
                "System": r.system.name,
                f"Range ({u})": round(km_to(r.range_km, unit)),
                "Range (km)": round(r.range_km),
                f"Min range ({u})": round(km_to(r.min_range_km, unit)) if r.min_range_km else None,
                "Area covered (km²)": round(r.area_km2) if scenario.has_launch_sites else None,
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
        "Area: the ellipsoidal area within reach of any launch point or zone, overlaps counted once. "
        "Click a column header to sort."
    )
    if (
        scenario.points
        and len(scenario.systems) > 1
        and st.toggle("Side-by-side maps, one per system", key=K_SMALL_MULTIPLES)
    ):
        rows_of_maps = -(-len(scenario.systems) // 3)
        center, zoom = view_for(scenario.points, max(s.range_km for s in scenario.systems), width_px=320, height_px=260)
        page = caches.EXPORTS.get(
            ("small-multiples", scenario, tuple(sorted(colors.items()))),
            lambda: small_multiples_html(
                scenario.points, scenario.systems, colors=colors, unit=unit, center=center, zoom=zoom
            ),
        )
        st.iframe(page, height=rows_of_maps * 320 + 20)
        st.caption("The small maps move together: pan or zoom one and the others follow.")
