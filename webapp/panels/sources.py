"""Sources and caveats: where each figure comes from, and what the rings mean."""

from __future__ import annotations

import streamlit as st

from geo.scenario.model import Scenario
from webapp import caches
from webapp.panels.common import md


def sources_panel(scenario: Scenario) -> None:
    catalog = caches.catalog()
    for s in scenario.systems:
        if s.weapon is None:
            st.markdown(f"**{md(s.name)}**: user-defined range, not from the catalog.")
            continue
        w = s.weapon
        links = "; ".join(
            f"[{md(src.publisher)}, {src.date.isoformat()}]({src.url.replace('(', '%28').replace(')', '%29')})"
            for src in w.sources
        )
        st.markdown(f"**{md(w.name)}**: {md(w.range_reported)} (figure used: {w.range_km:g} km). {links}")
        if w.notes:
            st.caption(md(w.notes))
    if any(s.air_launched for s in scenario.systems):
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
