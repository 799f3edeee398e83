"""Coverage by country: how much of each country a system's coverage covers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.analyse import Analysis
from geo.analysis.budget import SYNC_SECONDS, country_coverage_cost_s
from geo.core.units import KM_PER_UNIT, UNIT_LABELS
from geo.datasets.countries import BOUNDARY_EDITION, NATURAL_EARTH_CREDIT
from webapp.panels.common import md, number_columns
from webapp.work import seconds


def countries_panel(analysis: Analysis) -> None:
    scenario = analysis.scenario
    if not scenario.has_launch_sites or not scenario.systems:
        st.caption("Add launch points or zones and systems to see how much of each country is within reach.")
        return
    st.caption(f"Boundaries: {BOUNDARY_EDITION}. {NATURAL_EARTH_CREDIT}")
    coverages = [r.coverage for r in analysis.results if r.coverage is not None]
    cost = country_coverage_cost_s(coverages)
    if cost > SYNC_SECONDS:
        st.warning(
            f"Too much to measure at once: the coverage of {len(scenario.systems)} systems over the countries it "
            f"touches would take about {seconds(cost)} (the limit is {SYNC_SECONDS:g} s). Choose fewer or "
            "shorter-range systems to see it by country."
        )
        return
    unit = scenario.unit
    u = UNIT_LABELS[unit]
    for result in analysis.results:
        rows = analysis.by_country(result.system.id)
        st.markdown(f"**{md(result.system.name)}**: {result.area_km2:,.0f} km² within reach in all.")
        if not rows:
            continue
        lead = rows[0]
        st.caption(
            f"{lead.covered_km2:,.0f} km² of {md(lead.country.name)}, {lead.share:.1%} of its area"
            + (
                f"; {rows[1].covered_km2:,.0f} km² of {md(rows[1].country.name)}, {rows[1].share:.1%}."
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
