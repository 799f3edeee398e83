"""Fixtures of the analysis tests."""

from __future__ import annotations

import pytest

from tests.zone_reference import direct


@pytest.fixture(scope="module")
def bent_line() -> list[tuple[float, float]]:
    """A 523 km line in two geodesic legs (300 km then 223 km) across southern Ukraine."""
    a = (46.6, 32.6)
    b = direct(*a, 70.0, 300_000.0)
    c = direct(*b, 20.0, 223_000.0)
    return [a, b, c]
