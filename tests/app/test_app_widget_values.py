"""Every run's widgets carry the scenario's value (webapp.panels.common.sync, issue 10).

A value assigned through the session state travels with that run's message of the widget only. A run
interrupted by the browser (a click while the page is still arriving) loses its unsent messages, and a
browser that never got the one message with the value made the widget from its declared default and
sent that back: in Chromium the systems and the borders were dropped from the scenario after a click
during a page load. So each run's message of each widget that shows the scenario holds its value.
"""

from __future__ import annotations

from tests.apptest_helpers import new_app, open_tab

LINK = {
    "at": ["50.91,34.8~Sumy", "49.99,36.23~Kharkiv~az60w90"],
    "w": "atacms-300,storm-shadow",
    "u": "mi",
    "l": "detailed",
    "t": "Belgorod",
}


def test_widgets_that_show_the_scenario_carry_its_value_on_every_run():
    at = new_app(LINK).run()
    for _ in range(2):  # the map reporting in, then a run where nothing changed
        at = at.run()
        assert not at.exception
        systems = at.multiselect(key="systems")
        assert systems.proto.set_value and len(systems.value) == 2
        assert at.checkbox(key="borders").proto.set_value and at.checkbox(key="borders").value is True
        for key, value in {"unit": "mi", "ring_labels": "detailed", "selected_point": 1}.items():
            radio = at.radio(key=key)
            assert radio.proto.set_value and radio.value == value, key
        for key, value in {"label_1": "Kharkiv", "coords_1": "49.99000, 36.23000", "sector_1": "60/90"}.items():
            box = at.text_input(key=key)
            assert box.proto.set_value and box.value == value, key
    at = open_tab(at, "Does it reach…?").run()
    target = at.text_input(key="target_query")
    assert target.proto.set_value and target.value == "Belgorod"
