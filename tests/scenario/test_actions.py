"""User actions on a scenario (issue 8): no sequence of actions loses what the user did not remove.

A Hypothesis state machine applies random sequences of the actions of
geo.scenario.actions to a scenario and, beside it, to a plain model (lists);
after every step both agree, and the scenario survives its share link. The
unit switch followed by every other action is the case issue 8 found broken
(switching units then setting a target dropped every system).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from geo.datasets.catalog import load_catalog
from geo.errors import InputError
from geo.scenario import actions
from geo.scenario.model import MAX_POINTS, MAX_SYSTEMS, MAX_ZONES, LaunchPoint, Scenario
from geo.scenario.share import decode_query, encode_query
from geo.scenario.zones import zone_from_country, zone_from_latlons

CATALOG = load_catalog()
LAT = st.floats(-80, 80)
LON = st.floats(-179, 179)
LABEL = st.sampled_from(["", "Sumy", "front: east", "Київ", "A~B;C", "x" * 130])
UNITS = st.sampled_from(["km", "mi", "nmi"])


class ScenarioMachine(RuleBasedStateMachine):
    """Every action, at random, with a model of what the scenario must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.scenario = Scenario()
        self.points: list[tuple[float, float]] = []  # positions only: labels follow their own rule
        self.zone_specs: list[str] = []
        self.system_ids: list[str] = []
        self.unit = "km"
        self.target = ""

    @rule(lat=LAT, lon=LON, label=LABEL)
    def add_point(self, lat: float, lon: float, label: str) -> None:
        try:
            self.scenario = actions.add_point(self.scenario, lat, lon, label)
        except InputError:
            assert len(self.points) == MAX_POINTS
            return
        p = self.scenario.points[-1]
        self.points.append((p.lat, p.lon))

    @precondition(lambda self: self.points)
    @rule(data=st.data(), lat=LAT, lon=LON)
    def move_point(self, data: Any, lat: float, lon: float) -> None:
        i = data.draw(st.integers(0, len(self.points) - 1))
        self.scenario = actions.move_point(self.scenario, i, lat, lon)
        self.points[i] = (self.scenario.points[i].lat, self.scenario.points[i].lon)

    @precondition(lambda self: self.points)
    @rule(data=st.data())
    def remove_point(self, data: Any) -> None:
        i = data.draw(st.integers(0, len(self.points) - 1))
        self.scenario = actions.remove_point(self.scenario, i)
        del self.points[i]

    @precondition(lambda self: self.points)
    @rule(data=st.data(), label=LABEL)
    def rename_point(self, data: Any, label: str) -> None:
        i = data.draw(st.integers(0, len(self.points) - 1))
        self.scenario = actions.rename_point(self.scenario, i, label)
        assert self.scenario.points[i].label == (label[:119] + "…" if len(label) > 120 else label)

    @rule(iso=st.sampled_from(["UA", "PL", "BY", "FI"]))
    def add_country(self, iso: str) -> None:
        zone = zone_from_country(iso)
        try:
            self.scenario = actions.add_zone(self.scenario, zone)
        except InputError:
            assert len(self.zone_specs) == MAX_ZONES
            return
        if zone.spec not in self.zone_specs:
            self.zone_specs.append(zone.spec or "")

    @rule(lat=st.floats(40, 60), lon=st.floats(20, 40), closed=st.booleans(), label=LABEL)
    def add_drawn_zone(self, lat: float, lon: float, closed: bool, label: str) -> None:
        corners = [(lat, lon), (lat + 0.4, lon + 0.6), (lat - 0.3, lon + 1.0)]
        zone = zone_from_latlons(corners if closed else corners[:2], closed=closed, label=label)
        try:
            self.scenario = actions.add_zone(self.scenario, zone)
        except InputError:
            assert len(self.zone_specs) == MAX_ZONES
            return
        if zone.spec not in self.zone_specs:
            self.zone_specs.append(zone.spec or "")

    @precondition(lambda self: self.zone_specs)
    @rule(data=st.data())
    def remove_zone(self, data: Any) -> None:
        i = data.draw(st.integers(0, len(self.zone_specs) - 1))
        self.scenario = actions.remove_zone(self.scenario, i)
        del self.zone_specs[i]

    @rule(ids=st.lists(st.sampled_from(CATALOG.ids), unique=True, max_size=6))
    def choose_catalog_systems(self, ids: list[str]) -> None:
        customs = [s for s in self.system_ids if s.startswith("custom-")]
        if len(ids) + len(customs) > MAX_SYSTEMS:
            return
        self.scenario = actions.choose_systems(self.scenario, CATALOG, [*ids, *customs])
        self.system_ids = [*ids, *customs]

    @rule(name=st.sampled_from(["Mine", "Variant:500", "Тест"]), range_km=st.floats(1, 5000))
    def add_custom(self, name: str, range_km: float) -> None:
        try:
            self.scenario = actions.add_custom_system(self.scenario, name, range_km)
        except InputError:
            assert len(self.system_ids) == MAX_SYSTEMS
            return
        new = self.scenario.systems[-1].id
        if new not in self.system_ids:
            self.system_ids.append(new)

    @rule(unit=UNITS)
    def set_unit(self, unit: str) -> None:
        self.scenario = actions.set_unit(self.scenario, unit)
        self.unit = unit

    @rule(text=st.sampled_from(["", "Kursk", "51.73,36.19", "Moscow"]))
    def set_target(self, text: str) -> None:
        self.scenario = actions.set_target(self.scenario, text)
        self.target = text

    @rule(shown=st.booleans())
    def set_borders(self, shown: bool) -> None:
        self.scenario = actions.set_borders(self.scenario, shown)

    @rule(lat=LAT, lon=LON, zoom=st.integers(1, 18))
    def set_view(self, lat: float, lon: float, zoom: int) -> None:
        self.scenario = actions.set_view(self.scenario, lat, lon, zoom)

    @invariant()
    def nothing_is_lost(self) -> None:
        s = self.scenario
        assert [(p.lat, p.lon) for p in s.points] == self.points
        assert [z.spec for z in s.zones] == self.zone_specs
        assert [x.id for x in s.systems] == self.system_ids
        assert s.unit == self.unit and s.target == self.target

    @invariant()
    def the_link_holds_it_all(self) -> None:
        decoded = decode_query(encode_query(self.scenario), CATALOG)
        assert decoded.warnings == ()
        assert decoded.scenario == self.scenario


ScenarioMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
TestScenarioActions = ScenarioMachine.TestCase


@pytest.mark.parametrize("unit", ["mi", "nmi", "km"])
@pytest.mark.parametrize(
    "then",
    [
        pytest.param(lambda s: actions.set_target(s, "Kursk"), id="set-target"),
        pytest.param(lambda s: actions.add_point(s, 48.5, 35.0), id="add-point"),
        pytest.param(lambda s: actions.move_point(s, 0, 50.0, 36.0), id="move-point"),
        pytest.param(lambda s: actions.add_zone(s, zone_from_country("UA")), id="add-zone"),
        pytest.param(lambda s: actions.rename_point(s, 0, "here"), id="rename"),
        pytest.param(lambda s: actions.set_borders(s, False), id="borders"),
        pytest.param(lambda s: actions.set_view(s, 50, 35, 7), id="view"),
    ],
)
def test_the_unit_switch_then_any_action_keeps_the_systems(unit: str, then: Any) -> None:
    start = decode_query({"at": ["50.91,34.8~Sumy"], "w": ["atacms-300,storm-shadow"], "c": ["Mine:400"]}, CATALOG)
    after = then(actions.set_unit(start.scenario, unit))
    assert [s.id for s in after.systems] == ["atacms-300", "storm-shadow", "custom-mine-400"]
    assert after.unit == unit
    assert encode_query(after)["w"] == ["atacms-300,storm-shadow"]


def test_a_moved_place_name_no_longer_claims_the_place() -> None:
    s = Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"), LaunchPoint(48.0, 37.8, "Battery A")))
    near = actions.move_point(s, 0, 50.9105, 34.8)  # 50 m: still Sumy
    assert near.points[0].label == "Sumy"
    far = actions.move_point(s, 0, 50.35, 36.12)  # about 120 km away, where issue 8 found "Sumy"
    assert far.points[0].label != "Sumy" and far.points[0].label.startswith("near ")
    assert far.points[1] == s.points[1]
    own = actions.move_point(s, 1, 47.0, 37.0)  # not a place name: the user's label stays
    assert own.points[1].label == "Battery A"


def test_a_second_point_at_the_same_place_is_flagged() -> None:
    s = actions.add_point(actions.add_point(Scenario(), 50.91, 34.8, "Sumy"), 50.91, 34.8005, "Sumy again")
    assert actions.duplicate_points(s) == [(0, 1)]
    assert len(s.points) == 2  # flagged, not dropped


def test_actions_that_cannot_be_done_say_why_and_change_nothing() -> None:
    full = Scenario(points=tuple(LaunchPoint(i * 0.1, 0.0) for i in range(MAX_POINTS)))
    with pytest.raises(InputError, match="at most 50 launch points"):
        actions.add_point(full, 1.0, 1.0)
    with pytest.raises(InputError, match="there is no launch point 51"):
        actions.move_point(full, 50, 1.0, 1.0)
    with pytest.raises(InputError, match="latitude 95"):
        actions.move_point(full, 0, 95.0, 1.0)
    with pytest.raises(InputError, match="unknown system 'nope'"):
        actions.choose_systems(full, CATALOG, ["nope"])
    with pytest.raises(InputError, match=r"expected at least 0\.01 km"):
        actions.add_custom_system(full, "X", 1e-320)
