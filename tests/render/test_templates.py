"""geo.render.templates: the map's JavaScript is the string branca's own render gives, and user text stays text (issue 10)."""

from __future__ import annotations

import itertools

import pytest
import shapely
from branca.element import Element
from jinja2 import Template

from geo.analysis.analyse import analyse
from geo.core.sectors import Sector
from geo.datasets.gazetteer import largest_places
from geo.render import templates
from geo.render.html_export import standalone_html
from geo.render.layers import MapStyle, analysis_layers, base_map, borders_layer, places_layer
from geo.scenario.model import LaunchPoint, Scenario, System
from geo.scenario.zones import Zone

# A name with Windows line ends and markup-like braces, a range fan, a donut, a ring over the antimeridian.
POINTS = (
    LaunchPoint(50.91, 34.8, "Sumy { 7 } <b>"),
    LaunchPoint(48.5, 35.0, "Dnipro\r\nline"),
    LaunchPoint(64.7, 177.5, "Anadyr", Sector.at(60, 90)),
)
SYSTEMS = (System.custom("A", 300), System.custom("Donut", 500, 50))
ZONE = Zone("line", "front <b>", shapely.LineString([(36.0, 50.0), (36.6, 50.3), (36.9, 49.8)]))


def _page(monkeypatch: pytest.MonkeyPatch, scenario: Scenario, *, fast: bool) -> str:
    """The app's map (base map and every layer) as one page, with element ids numbered from 0."""
    counter = itertools.count()
    monkeypatch.setattr(Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
    (templates.install if fast else templates.uninstall)()
    try:
        m = base_map()
        extra = [
            borders_layer({"type": "FeatureCollection", "features": []}),
            places_layer(largest_places((47.0, 30.0, 53.0, 40.0), limit=10)),
        ]
        for group in analysis_layers(analyse(scenario), MapStyle({}, scenario.unit), selected=1, extra=extra):
            group.add_to(m)
        return m.get_root().render()
    finally:
        templates.install()


@pytest.mark.parametrize("target", ["", "49.99,36.23"])
def test_map_is_the_page_branca_renders(monkeypatch, target):
    scenario = Scenario(points=POINTS, systems=SYSTEMS, target=target, zones=(ZONE,))
    fast = _page(monkeypatch, scenario, fast=True)
    assert fast == _page(monkeypatch, scenario, fast=False)
    assert "Anadyr" in fast and "wrmSystem" in fast and "Dnipro" in fast


def test_html_export_is_the_page_branca_renders(monkeypatch):
    def page(fast: bool) -> str:
        counter = itertools.count()
        monkeypatch.setattr(Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
        (templates.install if fast else templates.uninstall)()
        try:
            return standalone_html(list(POINTS), list(SYSTEMS), colors={}, context=False)
        finally:
            templates.install()

    assert page(True) == page(False)


def test_user_text_is_never_run_as_a_template(monkeypatch):
    # branca rendered these names as templates: "{{ 7*7 }}" came out as "49", "{% raw %}" raised.
    names = ("Sumy {{ 7*7 }}", "Kursk {% raw %}", "Orel {# note")
    scenario = Scenario(points=tuple(LaunchPoint(50.0 + i, 35.0, n) for i, n in enumerate(names)), systems=SYSTEMS)
    page = _page(monkeypatch, scenario, fast=True)
    for name in names:
        assert name in page
    assert "Sumy 49" not in page
    with pytest.raises(Exception, match="raw"):
        _page(monkeypatch, scenario, fast=False)  # what branca alone does with them


def test_literal_is_what_jinja_renders():
    for text in ["", "\n", "a\n", "a\n\n", "a\r\nb\rc\n", "  x  ", "}} %} #}", "{ {", "a\r\n", "\r"]:
        assert templates.jinja_literal(text) == Template(text).render(), repr(text)


def test_tile_layer_from_the_provider_is_the_layer_folium_makes_from_the_url(monkeypatch):
    """layers.TILES skips folium's lookup of a URL among xyzservices' providers (issue 10), and the
    map's tile layer is the same JavaScript as the one folium builds from the URL and attribution."""
    import folium

    from geo.render import layers

    def tile_js(**tiles: object) -> str:
        counter = itertools.count()
        monkeypatch.setattr(Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
        m = folium.Map(tiles=None)
        folium.TileLayer(**tiles, name="OpenStreetMap", max_zoom=19).add_to(m)
        return m.get_root().render()

    ours = tile_js(tiles=layers.TILES)
    from_url = tile_js(tiles=layers.TILES_URL, attr=layers.TILES_ATTRIBUTION)
    assert ours == from_url
    assert layers.TILES_URL in ours and '"maxZoom": 19' in ours and "openstreetmap.org/copyright" in ours
