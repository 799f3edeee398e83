"""Undo as a pure history of scenarios (issue 12): random action sequences undone step by step."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.scenario import actions
from geo.scenario.history import MAX_UNDO, History, describe_change
from geo.scenario.model import LaunchPoint, Scenario, View
from geo.scenario.share import decode_zone

SUMY = LaunchPoint(50.91, 34.8, "Sumy")
KHARKIV = LaunchPoint(49.99, 36.23, "Kharkiv")
START = Scenario(points=(SUMY, KHARKIV), zones=(decode_zone("line:48,35;48.5,37~front"),), target="Kursk")

coords = st.tuples(st.floats(-60, 60, allow_nan=False), st.floats(-170, 170, allow_nan=False))
# Each step is an action that can always be applied to any scenario (or leaves it as it was).
step = st.one_of(
    coords.map(lambda c: ("add", c)),
    st.integers(0, 5).map(lambda i: ("remove", i)),
    st.tuples(st.integers(0, 5), coords).map(lambda t: ("move", t)),
    st.integers(0, 3).map(lambda i: ("remove_zone", i)),
    st.sampled_from(["", "Kursk", "Belgorod", "51.73,36.19"]).map(lambda t: ("target", t)),
    st.tuples(coords, st.integers(1, 18)).map(lambda t: ("view", t)),
)


def apply(scenario: Scenario, op: tuple) -> Scenario:
    kind, arg = op
    if kind == "add" and len(scenario.points) < 50:
        return actions.add_point(scenario, *arg)
    if kind == "remove" and arg < len(scenario.points):
        return actions.remove_point(scenario, arg)
    if kind == "move" and arg[0] < len(scenario.points):
        return actions.move_point(scenario, arg[0], *arg[1])
    if kind == "remove_zone" and arg < len(scenario.zones):
        return actions.remove_zone(scenario, arg)
    if kind == "target":
        return actions.set_target(scenario, arg)
    if kind == "view":
        return actions.set_view(scenario, *arg[0], arg[1])
    return scenario


@settings(max_examples=60, deadline=None)
@given(st.lists(step, max_size=12))
def test_undoing_every_change_walks_back_through_every_scenario(ops):
    history, current, seen = History(), START, [START]
    for op in ops:
        after = apply(current, op)
        history = history.record(current, after)
        if after.with_(view=None) != current.with_(view=None):
            seen.append(after)
        current = after
    assert len(history.past) == len(seen) - 1  # one entry per real change; a pan is none
    for expected in reversed(seen[:-1]):
        view = current.view
        history, current = history.undo(current)
        assert current.with_(view=None) == expected.with_(view=None)
        assert current.view == view  # an undo leaves the map where it is
    assert history.next_undo == ""
    with pytest.raises(IndexError):
        history.undo(current)


def test_the_issues_three_changes_are_undone_and_named():
    removed = actions.remove_point(START, 0)
    moved = actions.move_point(START, 1, 50.0, 36.0)
    cleared = actions.remove_zone(START, 0)
    for after, words in (
        (removed, "remove launch point 1"),
        (moved, "move launch point 2"),
        (cleared, "remove a launch zone"),
    ):
        history = History().record(START, after)
        assert history.next_undo == words
        _, back = history.undo(after)
        assert back == START


def test_history_is_bounded():
    history, current = History(), START
    for i in range(MAX_UNDO + 10):
        after = actions.set_target(current, f"{50 + i / 100:.2f},36")
        history, current = history.record(current, after), after
    assert len(history.past) == MAX_UNDO


def test_a_pan_alone_is_not_a_change():
    panned = START.with_(view=View(48.0, 31.0, 7))
    assert History().record(START, panned).past == ()
    assert describe_change(START, actions.rename_point(START, 0, "Sumy city")) == "rename launch point 1"
