"""Messages that stay: from the last action, about the link, about the scenario itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from geo.errors import CatalogError
from geo.scenario import actions
from webapp import state
from webapp.panels.common import md

_SHOW: dict[str, Callable[..., Any]] = {
    "warning": st.warning,
    "error": st.error,
    "info": st.info,
    "success": st.success,
}


#: Problems of a broken catalog listed on the page (the rest are counted).
_MAX_PROBLEMS_SHOWN = 20


def catalog_error(exc: CatalogError) -> None:
    """A broken catalog file: which file, and every problem with its path, as plain text."""
    problems = exc.problems[:_MAX_PROBLEMS_SHOWN]
    more = len(exc.problems) - len(problems)
    lines = [f"- {md(p)}" for p in problems]
    if more:
        lines.append(f"- … and {more} more")
    st.error(
        f"The weapons catalog could not be loaded. Fix the file **{md(exc.source)}** and reload the page:\n\n"
        + "\n".join(lines)
    )


def _dismiss() -> None:
    state.begin_action()


def show() -> None:
    """The messages of the last action, until the next one (or until dismissed)."""
    messages = state.get().messages
    for message in messages:
        _SHOW.get(message.kind, st.info)(message.text)
    if messages:
        st.button("Dismiss", key="dismiss_messages", on_click=_dismiss, type="tertiary")


def scenario_notes() -> None:
    """What is true of the scenario as it stands: shown on every run while it holds."""
    scenario = state.scenario()
    for i, j in actions.duplicate_points(scenario):
        a, b = scenario.points[i], scenario.points[j]
        st.warning(
            f"Launch points {i + 1} ({md(a.name)}) and {j + 1} ({md(b.name)}) are at the same place: "
            "remove one if it was added twice."
        )
