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

    Assigned on every run, not only when it differs: an assigned value travels with the widget's
    message of that run only, and a run the browser interrupts (a click while the page is still
    arriving) loses its unsent messages. A browser that missed the one message with the value
    then made the widget from its declared default and sent that back: the systems and the borders
    were gone from the scenario after a click during a page load (found in Chromium, issue 10).
    """
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
