"""Sources and caveats: where each figure comes from, and what the rings mean."""

from __future__ import annotations

import streamlit as st

from geo.core.units import format_distance
from geo.datasets.catalog import Source, Weapon, span_text
from geo.scenario.model import Scenario
from webapp import caches
from webapp.panels.common import md


def _url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def source_markdown(number: int, src: Source) -> str:
    """One source as the panel lists it: publisher, date, linked title, the quoted words."""
    reprint = f" (republished; originally {md(src.reprint_of)})" if src.reprint_of else ""
    line = (
        f"{number}. {md(src.publisher)}, {src.date.strftime('%-d %B %Y')}{reprint}: [{md(src.title)}]({_url(src.url)})"
    )
    if src.quote:
        line += f"\n\n    > {md(src.quote)}"
    return line


def weapon_markdown(w: Weapon, unit: str) -> str:
    """A catalog system's figure, why it is drawn, where sources disagree and who says what."""
    parts = [f"**{md(w.name)}**: drawn at {format_distance(w.range_km, unit, with_km=True)}."]
    span = span_text(w, unit)
    if span and w.span is not None:
        parts.append(
            f"Sources disagree ({span}): the lowest figure, {format_distance(w.span.low_km, unit)}, is from "
            f"{md(w.span.low_by)}; the highest, {format_distance(w.span.high_km, unit)}, from {md(w.span.high_by)}."
        )
    if w.drawn_because:
        parts.append(md(w.drawn_because))
    parts.append(f"As reported: {md(w.range_reported)}.")
    return " ".join(parts)


def sources_panel(scenario: Scenario) -> None:
    catalog = caches.catalog()
    for s in scenario.systems:
        if s.weapon is None:
            st.markdown(f"**{md(s.name)}**: user-defined range, not from the catalog.")
            continue
        w = s.weapon
        st.markdown(weapon_markdown(w, scenario.unit))
        st.markdown("\n\n".join(source_markdown(i, src) for i, src in enumerate(w.sources, 1)))
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
