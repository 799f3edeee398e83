"""Places in range: the cities each system reaches, with the people in them."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from geo.analysis.analyse import Analysis
from geo.analysis.budget import SYNC_SECONDS, places_cost_s
from geo.analysis.compare import CSV_ENCODING_LABEL, excel_csv
from geo.analysis.reach import country_totals, country_totals_csv, reach_csv
from geo.core.units import UNIT_LABELS, km_to
from geo.datasets.gazetteer import TIERS, load_gazetteer, tier_for
from webapp.panels.common import md, number_columns
from webapp.work import seconds

K_MIN_POPULATION: Final = "min_population"
K_CITY_SYSTEMS: Final = "city_systems"
K_CITY_FILTER: Final = "city_filter"


def places_panel(analysis: Analysis) -> None:
    scenario = analysis.scenario
    c1, c2 = st.columns([1, 2])
    min_population = int(
        c1.selectbox(
            "Smallest place counted",
            TIERS,
            format_func=lambda n: f"{n:,} people",
            key=K_MIN_POPULATION,
            help="GeoNames tiers: 15,000 covers every sizeable town.",
        )
    )
    if not scenario.has_launch_sites or not scenario.systems:
        st.caption("Add launch points or zones and systems to list the places within reach.")
        return
    places = load_gazetteer(tier_for(min_population)).count_at_least(min_population)
    cost = places_cost_s(scenario.points, scenario.systems, places, zones=analysis.zones)
    if cost > SYNC_SECONDS:
        sites = f"{len(scenario.points)} launch points" + (
            f" and {len(analysis.zones)} zones" if analysis.zones else ""
        )
        st.warning(
            f"Too much to list at once: {sites} × {len(scenario.systems)} systems over {places:,} places would "
            f"take about {seconds(cost)} (the limit is {SYNC_SECONDS:g} s). Choose a higher population threshold, "
            "fewer launch points or zones, or shorter-range systems."
        )
        return
    rows = analysis.places(min_population)
    totals = analysis.totals(min_population)
    for s in scenario.systems:
        t = totals[s.id]
        note = (
            f" ({t.districts:,} city districts, {t.district_population:,} people, counted in their city)"
            if t.districts
            else ""
        )
        st.markdown(f"**{md(s.name)}**: {t.cities:,} places, {t.population:,} people within reach{md(note)}.")
    st.caption(
        "Populations are GeoNames figures. GeoNames lists city districts as places of their own (Saltivka in "
        "Kharkiv); a place within a larger place in reach is counted once, in that place (a rule measured on "
        "Ukraine, Russia and their neighbours; elsewhere it may merge some suburbs). Distances are from the "
        "nearest launch point or zone that reaches the place."
    )
    if not rows:
        return
    names = {s.id: s.name for s in scenario.systems}
    chosen = c2.multiselect(
        "Show systems", list(names), default=list(names), format_func=lambda i: names.get(i, i), key=K_CITY_SYSTEMS
    )
    query = c2.text_input("Filter by place or country", key=K_CITY_FILTER).strip().casefold()
    unit = scenario.unit
    u = UNIT_LABELS[unit]
    table = pd.DataFrame(
        [
            {
                "Place": r.name,
                "Country": r.country_name or r.country_code,
                "Population": r.population,
                "System": r.weapon_name,
                "Nearest launch point or zone": r.nearest_launch,
                "District of": r.district_of,
                f"Distance ({u})": round(km_to(r.distance_km, unit), 1) if r.distance_km is not None else None,
                f"Inside the range by ({u})": round(km_to(r.margin_km, unit), 1) if r.margin_km is not None else None,
            }
            for r in rows
            if r.weapon_id in chosen and (not query or query in f"{r.name} {r.country_name}".casefold())
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", height=360, column_config=number_columns(table.columns))
    shown_rows = [
        r for r in rows if r.weapon_id in chosen and (not query or query in f"{r.name} {r.country_name}".casefold())
    ]
    st.download_button(
        f"Download the places within reach ({CSV_ENCODING_LABEL})",
        excel_csv(reach_csv([r for r in rows if r.weapon_id in chosen])),
        file_name="weapon-range-places.csv",
        mime="text/csv",
        key="dl_cities_csv",
        on_click="ignore",
    )
    # Totals per country, of the places the filter shows (issue 11): "people in Russia within reach".
    per_country = [t for t in analysis.country_totals(min_population) if t.weapon_id in chosen]
    if query:  # the filter applies to the totals too
        per_country = country_totals(shown_rows)
    st.markdown("**Within reach, per country**")
    by_country = pd.DataFrame(
        [
            {
                "System": names.get(t.weapon_id, t.weapon_id),
                "Country": t.country,
                "Places": t.places,
                "People": t.population,
                "City districts counted in their city": t.districts,
            }
            for t in per_country
        ]
    )
    st.dataframe(by_country, hide_index=True, width="stretch", column_config=number_columns(by_country.columns))
    st.download_button(
        f"Download the totals per country ({CSV_ENCODING_LABEL})",
        excel_csv(country_totals_csv(per_country, names)),
        file_name="weapon-range-totals-by-country.csv",
        mime="text/csv",
        key="dl_country_totals_csv",
        on_click="ignore",
    )
