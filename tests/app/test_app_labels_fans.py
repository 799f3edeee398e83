"""Ring labels and range fans in the app (issue 12): the switch, the sector box, the link."""

from __future__ import annotations

from geo.render.layers import RING_LABEL_CLASS
from tests.apptest_helpers import map_args, messages, new_app, query, scenario


def _labels_drawn(at) -> int:
    return map_args(at)["feature_group"].count(f'"className": "{RING_LABEL_CLASS}"')


def test_label_switch_draws_and_travels_in_the_link():
    at = new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-300,storm-shadow"}).run()
    assert not at.exception
    assert _labels_drawn(at) == 2 and "l" not in query(at)
    at.radio(key="ring_labels").set_value("detailed").run()
    assert scenario(at).labels == "detailed" and query(at)["l"] == ["detailed"]
    assert "ATACMS (long-range, M39A1/M48/M57) \\u00b7 300 km" in map_args(at)["feature_group"]
    at.radio(key="ring_labels").set_value("off").run()
    assert _labels_drawn(at) == 0 and query(at)["l"] == ["off"]


def test_sector_box_makes_a_fan_and_the_link_keeps_it():
    at = new_app({"at": ["50.91,34.8~Sumy"], "w": "atacms-300"}).run()
    full = scenario(at)
    at.text_input(key="sector_0").input("060/90").run()
    assert not at.exception
    point = scenario(at).points[0]
    assert point.sector is not None and (point.sector.azimuth_deg, point.sector.width_deg) == (60.0, 90.0)
    assert query(at)["at"] == ["50.91,34.8~Sumy~az60w90"]
    assert "sector 060° ± 45°" not in map_args(at)["feature_group"]  # compact labels: name and range only
    at.text_input(key="sector_0").input("sixty").run()
    assert any("expected bearing/width" in m for m in messages(at))
    assert scenario(at).points[0].sector is not None  # not changed
    at.text_input(key="sector_0").input("").run()
    assert scenario(at).points == full.points
    # A link with a fan opens with it.
    again = new_app({"at": ["50.91,34.8~Sumy~az60w90"], "w": "atacms-300"}).run()
    assert scenario(again).points[0].sector is not None and not messages(again)
