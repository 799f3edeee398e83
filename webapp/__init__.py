"""The Streamlit page's own code: its state, map events, caches and one module per panel.

``app.py`` is the page: layout and calls into this package. Everything here
turns widgets and map events into actions on one
:class:`~geo.scenario.model.Scenario` (:mod:`webapp.state`) and renders one
:class:`~geo.analysis.analyse.Analysis` of it; no geometry, parsing or
measurement happens here.
"""
