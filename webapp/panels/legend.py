"""Beside the map: the legend, and the link that holds the map."""

from __future__ import annotations

import html

import streamlit as st

from geo.analysis.analyse import Analysis
from geo.scenario.share import query_string
from webapp import state


def legend(analysis: Analysis) -> None:
    systems = analysis.scenario.systems
    if not systems:
        st.caption("Choose systems in the sidebar to draw their ranges.")
        return
    colors = state.get().color_map
    unit = analysis.scenario.unit
    rows = []
    for s in systems:
        air = " · air-launched" if s.air_launched else ""
        rows.append(
            f'<div style="margin:2px 0"><span style="display:inline-block;width:14px;height:14px;'
            f"background:{colors[s.id]};opacity:.8;border-radius:3px;vertical-align:middle;margin-right:6px"
            f'"></span><b>{html.escape(s.name)}</b> · {html.escape(s.range_text(unit))}{air}</div>'
        )
    st.markdown("".join(rows), unsafe_allow_html=True)


def share_link() -> str:
    """The page's address with the scenario's query string (what the address bar shows)."""
    base = (st.context.url or "").split("?")[0]
    query = query_string(state.scenario())
    return f"{base}?{query}" if query else base


def share_panel() -> None:
    st.caption("The address bar holds this map at every moment: share the page link.")
    st.html(
        """
        <button id="wrm-copy" style="padding:.4rem .8rem;border-radius:.5rem;border:1px solid #bbb;
          background:#fff;cursor:pointer;font:inherit">Copy link</button>
        <span id="wrm-copied" style="margin-left:.5rem;color:#080"></span>
        <script>
        (function () {
          const b = document.getElementById("wrm-copy");
          if (!b) return;
          b.onclick = async function () {
            const url = window.location.href;
            try { await navigator.clipboard.writeText(url); }
            catch (e) {
              const t = document.createElement("textarea"); t.value = url; document.body.appendChild(t);
              t.select(); document.execCommand("copy"); t.remove();
            }
            document.getElementById("wrm-copied").textContent = "Copied";
          };
        })();
        </script>
        """,
        unsafe_allow_javascript=True,
    )
    st.code(share_link(), language=None, wrap_lines=True)
