"""Launch zones still being computed, or not used: said on every run while it holds."""

from __future__ import annotations

import streamlit as st

from webapp import state, work
from webapp.panels.common import md


def zone_notes(plan: work.ZonePlan) -> None:
    for line in plan.refused:
        st.warning(f"Launch zone not used: {md(line)}", icon="⚠️")
    if plan.pending:
        wait_for_zones()


@st.fragment(run_every=1.0)
def wait_for_zones() -> None:
    """Say what is being computed, and rerun the page once it is done."""
    plan = work.plan_zones(state.scenario())
    if not plan.pending:
        st.rerun(scope="app")
    st.info(
        "Computing the reach of the launch zone(s) "
        + "; ".join(md(line) for line in plan.pending)
        + ". The map and the tables add them when they are ready; everything else works meanwhile."
    )
