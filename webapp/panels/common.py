"""Helpers every panel uses: Markdown escaping, number columns, keeping widgets in step with the scenario."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from webapp.markdown import md

__all__ = ["md", "number_columns", "sync"]


def sync(key: str, value: Any) -> None:
    """Give the widget ``key`` the value the scenario holds, before the widget is drawn on this run.

    The scenario is the only state; widgets show it. When it changed some
    other way (the map, a preset, a link), the widget follows.
    """
    if st.session_state.get(key, object()) != value:
        st.session_state[key] = value


def number_columns(columns: Iterable[str]) -> dict[str, Any]:
    """Thousands separators for counts and areas, one decimal for distances (sorting stays numeric)."""
    config: dict[str, Any] = {}
    for name in columns:
        if name.startswith(("Area", "Population", "Range", "Min range", "People")):
            config[name] = st.column_config.NumberColumn(name, format="localized")
        elif name.startswith(("Distance", "Inside the range", "Margin")):
            config[name] = st.column_config.NumberColumn(name, format="%.1f")
    return config
