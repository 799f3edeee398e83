"""Does it reach…? The target's distance, bearing and margin from every launch point and zone."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from geo.analysis.analyse import Analysis
from geo.analysis.compare import CSV_ENCODING_LABEL, excel_csv
from geo.analysis.target import verdicts_csv
from geo.core.grid import format_mgrs
from geo.core.units import UNIT_LABELS, km_to
from geo.datasets.countries import BOUNDARY_EDITION, countries
from geo.scenario import actions
from webapp import state
from webapp.panels.common import md, number_columns, sync

K_TARGET_INPUT: Final = "target_query"
K_REVERSE_SYSTEM: Final = "reverse_system"
K_REVERSE_COUNTRY: Final = "reverse_country"
_ANYWHERE: Final = ""


def _on_target() -> None:
    text = st.session_state.get(K_TARGET_INPUT) or ""
    state.act(lambda s: actions.set_target(s, text), frame="target")  # the target comes into view


def _on_reverse() -> None:
    system_id = st.session_state.get(K_REVERSE_SYSTEM) or ""
    country_code = st.session_state.get(K_REVERSE_COUNTRY) or ""
    state.act(lambda s: actions.set_reverse(s, system_id, country_code))


def reverse_section(analysis: Analysis) -> None:
    """From where can it be fired? The area from which a system reaches the target (the analysis's)."""
    scenario = analysis.scenario
    asked = scenario.reverse
    sync(K_REVERSE_SYSTEM, asked.system_id if asked else "")
    sync(K_REVERSE_COUNTRY, asked.country if asked else _ANYWHERE)
    names = {s.id: s.name for s in scenario.systems}
    st.markdown("**From where can it be fired?**")
    left, right = st.columns(2)
    left.selectbox(
        "System",
        ["", *names],
        key=K_REVERSE_SYSTEM,
        format_func=lambda i: names.get(i, "— off —"),
        on_change=_on_reverse,
        help="The area from which this system reaches the target: its range around the target.",
    )
    codes = {c.iso2 or c.iso3: c.name for c in sorted(countries(), key=lambda c: c.name)}
    right.selectbox(
        "Only inside",
        [_ANYWHERE, *codes],
        key=K_REVERSE_COUNTRY,
        format_func=lambda c: f"{codes[c]} ({c})" if c in codes else "anywhere",
        on_change=_on_reverse,
        help=BOUNDARY_EDITION,
    )
    reach = analysis.reverse
    if reach is None:
        return
    area = f"{reach.area_km2:,.0f} km²"
    if reach.empty:
        st.caption(md(reach.caption()) + ".")
        return
    where = f"The part of {reach.country.name}" if reach.country is not None else "The area"
    label = analysis.target.label if analysis.target is not None else ""
    st.markdown(
        f"{md(where)} from which **{md(reach.system.name)}** reaches **{md(label)}**: "
        f"**{area}** (dashed on the map; ellipsoidal area, WGS84)."
    )


def target_panel(analysis: Analysis) -> None:
    scenario = analysis.scenario
    sync(K_TARGET_INPUT, scenario.target)
    st.text_input(
        "Target: a place or coordinates",
        key=K_TARGET_INPUT,
        on_change=_on_target,
        placeholder="Kursk, Belgorod, 51.73, 36.19 or 37U CT 0595 3474",
        help="Or choose “Set the target” above the map and click it.",
    )
    target = analysis.target
    if target is None:
        return
    if target.error:
        st.warning(md(target.error))
        return
    if target.point is not None:
        st.caption(f"{md(target.label)} · MGRS {format_mgrs(target.point.lat, target.point.lon)}")
    if scenario.systems and target.point is not None:
        reverse_section(analysis)
    if not scenario.has_launch_sites or not scenario.systems:
        st.caption("Add launch points or zones and systems to measure the distances.")
        return
    unit = scenario.unit
    u = UNIT_LABELS[unit]
    verdicts = analysis.verdicts
    table = pd.DataFrame(
        [
            {
                "Launch point or zone": r.source,
                "System": v.system.name,
                f"Distance ({u})": round(km_to(r.distance_km, unit), 1),
                "Bearing": f"{r.bearing_deg:.0f}° {r.compass}".strip() if r.compass else "—",
                "In range": "yes" if r.in_range else "no",
                "Answer": r.verdict(unit, v.system),
            }
            for v in verdicts
            for r in v.reaches
        ]
    )
    reached = [v for v in verdicts if v.in_range]
    st.markdown(
        f"**{md(target.label)}**: within reach of {len(reached)} of {len(verdicts)} system(s)"
        + (": " + ", ".join(md(v.system.name) for v in reached) if reached else "")
        + "."
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config=number_columns(table.columns))
    st.download_button(
        f"Download the distances ({CSV_ENCODING_LABEL})",
        excel_csv(verdicts_csv(verdicts, unit)),
        file_name="weapon-range-target.csv",
        mime="text/csv",
        key="dl_target_csv",
        on_click="ignore",
    )
