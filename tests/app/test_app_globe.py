"""The "Flat map / Globe" switch under AppTest (issue 12): state, link, and what replaces the map."""

from __future__ import annotations

import json

from tests.apptest_helpers import new_app, query, scenario
from webapp.panels.globe import GLOBE, K_GLOBE


def _globes(at) -> list[dict]:
    return [json.loads(el.proto.json) for el in at.get("deck_gl_json_chart")]


def test_the_flat_map_is_the_default_and_builds_no_globe():
    at = new_app().run()
    assert not at.exception
    assert at.radio(key=K_GLOBE).value == "flat"
    assert _globes(at) == []
    assert "g" not in query(at)


def test_switching_to_the_globe_puts_it_in_the_link_and_in_the_maps_place():
    at = new_app({"at": "54.71,20.51~Kaliningrad", "w": "oreshnik"}).run()
    at.radio(key=K_GLOBE).set_value(GLOBE).run()
    assert not at.exception
    assert scenario(at).globe is True
    assert query(at)["g"] == ["1"]
    [spec] = _globes(at)
    assert spec["views"][0]["@@type"] == "_GlobeView"
    assert "mapStyle" not in spec  # no basemap to fetch
    # The map's component is not built while the globe is shown.
    assert "st_folium" not in str(at._tree)
    rings = [layer for layer in spec["layers"] if layer["id"] == "paths-ring"]
    assert rings and rings[0]["data"][0]["color"][:3] == [int(c, 16) for c in ("E6", "9F", "00")]
    at.radio(key=K_GLOBE).set_value("flat").run()
    assert not at.exception and _globes(at) == [] and "g" not in query(at)


def test_a_link_with_g_1_opens_the_globe_framed_on_the_largest_ring():
    at = new_app({"at": "54.71,20.51~Kaliningrad", "w": "oreshnik", "g": "1"}).run()
    assert not at.exception
    assert at.radio(key=K_GLOBE).value == GLOBE
    [spec] = _globes(at)
    view = spec["initialViewState"]
    assert (view["latitude"], view["longitude"]) == (54.71, 20.51)
    assert 1.0 < view["zoom"] < 2.0
    texts = [d["text"] for layer in spec["layers"] if layer["@@type"] == "TextLayer" for d in layer["data"]]
    assert "1 Kaliningrad" in texts
