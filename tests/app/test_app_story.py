"""AppTest for issue 11: the header follows the scenario, the story's dated steps, the span on the page."""

from __future__ import annotations

import pytest

from geo.datasets.catalog import load_catalog, span_text
from geo.datasets.events import event_dates
from geo.scenario import story
from geo.scenario.presets import PRESETS
from tests.apptest_helpers import messages, new_app, open_expander, open_tab, query, scenario, shown
from webapp.panels.systems import K_PRESETS_OPEN, K_STORY_OPEN


def header(at) -> str:  # type: ignore[no-untyped-def]
    return shown(at.markdown[0].value).replace("**", "")


def test_a_link_naming_only_a_step_opens_its_map_and_header():
    at = new_app({"d": "2023-09-22"}).run()
    assert not at.exception and messages(at) == []
    assert header(at).startswith("22 September 2023: Storm Shadow hits Black Sea Fleet headquarters in Sevastopol.")
    assert scenario(at).catalog_ids == ("storm-shadow",) and scenario(at).target == "Sevastopol"
    assert query(at)["d"] == ["2023-09-22"]
    assert at.radio(key="story_step").value.isoformat() == "2023-09-22"


def test_previous_and_next_move_between_dated_steps_and_the_link_keeps_the_step():
    dates = event_dates()
    at = new_app().run()
    assert "November 2024" in header(at)
    assert not [b for b in at.button if b.key == "story_next"]  # the story's box is closed: not built
    at = open_expander(at, K_STORY_OPEN)
    at.button(key="story_next").click().run()  # from no step: the first
    assert not at.exception
    assert query(at)["d"] == [dates[0].isoformat()]
    assert header(at).startswith(f"{dates[0].strftime('%-d %B %Y')}: {story.event_for(dates[0]).title}")
    at.button(key="story_next").click().run()
    assert query(at)["d"] == [dates[1].isoformat()]
    assert scenario(at).catalog_ids == story.step_scenario(dates[1], load_catalog()).catalog_ids
    at.button(key="story_prev").click().run()
    assert query(at)["d"] == [dates[0].isoformat()]
    assert at.button(key="story_prev").disabled
    # Choosing a step from the list
    at.radio(key="story_step").set_value(dates[-1]).run()
    assert query(at)["d"] == [dates[-1].isoformat()] and at.button(key="story_next").disabled
    assert story.event_for(dates[-1]).title in header(at)


def test_changing_the_map_leaves_the_step():
    at = new_app({"d": "2024-11-21"}).run()
    assert "Oreshnik" in header(at)
    at.multiselect(key="systems").select("kh-101").run()
    assert not at.exception
    assert "d" not in query(at)
    assert header(at).startswith("Your scenario.")


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_a_preset_gives_the_page_its_own_header(preset):
    at = open_expander(new_app().run(), K_PRESETS_OPEN)
    next(b for b in at.button if b.key == f"preset_{preset.id}").click().run()
    assert not at.exception
    assert header(at).startswith(f"{preset.date.strftime('%-d %B %Y')}: {preset.title}.")
    assert preset.context in header(at)
    assert any(preset.source_publisher in shown(c.value) for c in at.caption)
    if preset.id != "atacms-nov-2024":
        assert "November 2024" not in header(at)


def test_the_sources_panel_shows_the_span_the_reason_and_every_quote():
    catalog = load_catalog()
    at = open_tab(new_app({"at": ["50,30"], "w": "kh-101,atacms-300"}), "Sources and caveats")
    assert not at.exception
    page = "\n".join(shown(m.value) for m in at.markdown) + "\n".join(shown(c.value) for c in at.caption)
    kh = catalog.get("kh-101")
    assert span_text(kh) == "drawn: 4,500 km · claims up to 5,500 km"
    assert span_text(kh) in page  # the sources panel and the systems panel
    assert kh.drawn_because in page and kh.span is not None and kh.span.high_by in page
    for weapon in (kh, catalog.get("atacms-300")):
        for source in weapon.sources:
            assert source.quote in page and source.publisher in page
            assert source.date.strftime("%-d %B %Y") in page
    assert "republished; originally AFP" in page  # the AFP copy on SpaceWar is marked as a reprint
    assert "drawn: 300 km ·" not in page  # no span where the sources agree
