"""Undo the last change to the scenario (a removed or moved point, a cleared zone…)."""

from __future__ import annotations

import streamlit as st

from webapp import state


def _undo() -> None:
    state.undo()


def undo_button() -> None:
    """Always drawn (disabled when there is nothing to undo), so nothing after it moves."""
    what = state.get().history.next_undo
    st.button(
        f"↶ Undo: {what}" if what else "↶ Undo",
        key="undo",
        on_click=_undo,
        disabled=not what,
        help="Bring back the map as it was before the last change. The browser's Back button works too.",
    )
