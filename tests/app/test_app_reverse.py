"""Reverse reach in the app (issue 12): the target panel's section, the dashed map layer and the link's ``r=``."""

from __future__ import annotations

from geo.analysis.reverse import reverse_reach
from geo.core.coords import LatLon
from geo.datasets.catalog import load_catalog
from geo.render.layers import REVERSE_COLOR
from geo.scenario.model import System
from tests.apptest_helpers import map_args, messages, new_app, open_tab, query, scenario, shown
from webapp.panels.target import K_REVERSE_COUNTRY, K_REVERSE_SYSTEM

KURSK = LatLon(51.72689, 36.18457)  # as the gazetteer resolves "Kursk"


def _stated_area(at) -> str:  # type: ignore[no-untyped-def]
    return next(shown(m.value) for m in at.markdown if "from which" in shown(m.value))


def test_link_with_r_shows_the_clipped_area_and_draws_it_dashed() -> None:
    at = open_tab(
        new_app({"at": "50.91,34.8", "w": "atacms-300", "t": "Kursk", "r": "atacms-300:UA"}), "Does it reach…?"
    )
    assert not at.exception and messages(at) == []
    assert scenario(at).reverse.country == "UA"
    expected = reverse_reach(KURSK, System.from_weapon(load_catalog().get("atacms-300")), "UA")
    text = _stated_area(at)
    assert "The part of Ukraine" in text and f"{expected.area_km2:,.0f} km²" in text
    js = map_args(at)["feature_group"]
    assert REVERSE_COLOR in js and '"dashArray": "10 6"' in js
    assert query(at)["r"] == ["atacms-300:UA"]


def test_choosing_in_the_panel_puts_it_in_the_link_and_off_removes_it() -> None:
    at = open_tab(new_app({"at": "50.91,34.8", "w": "atacms-300", "t": "Kursk"}), "Does it reach…?")
    assert "r" not in query(at)
    at.selectbox(key=K_REVERSE_SYSTEM).set_value("atacms-300").run()
    assert query(at)["r"] == ["atacms-300"]
    assert "282,691 km²" in _stated_area(at)  # the whole ring: ring_area_km2 of 300 km
    at.selectbox(key=K_REVERSE_COUNTRY).set_value("UA").run()
    assert query(at)["r"] == ["atacms-300:UA"]
    at.selectbox(key=K_REVERSE_SYSTEM).set_value("").run()
    assert "r" not in query(at) and scenario(at).reverse is None
    assert REVERSE_COLOR not in map_args(at)["feature_group"]


def test_a_bad_r_is_named_and_the_rest_of_the_link_kept() -> None:
    at = new_app({"at": "50.91,34.8", "w": "atacms-300", "t": "Kursk", "r": "kalibr:UA"}).run()
    assert not at.exception
    assert any("Ignored reverse reach" in m and "kalibr" in m for m in messages(at))
    assert scenario(at).reverse is None and len(scenario(at).points) == 1
