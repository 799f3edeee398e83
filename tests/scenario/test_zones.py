"""Launch zones: the type, and zones clicked out on the map (issue 5)."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import LineString, Polygon

from geo.errors import InputError
from geo.scenario.zones import Zone, zone_from_latlons


@pytest.mark.parametrize(
    ("kind", "geometry", "match"),
    [
        pytest.param("circle", LineString([(0, 0), (1, 1)]), r"zone kind: expected .* got 'circle'", id="kind"),
        pytest.param("line", Polygon([(0, 0), (1, 0), (1, 1)]), r"needs a LineString or MultiLineString", id="type"),
        pytest.param("polygon", Polygon(), r"needs a Polygon or MultiPolygon|empty geometry", id="empty"),
    ],
)
def test_zone_checks_its_fields(kind: str, geometry: Any, match: str) -> None:
    with pytest.raises(InputError, match=match):
        Zone(kind, "x", geometry)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Zones clicked on the map


@pytest.mark.parametrize(
    ("points", "closed", "match"),
    [
        pytest.param([(48.0, 35.0)], False, r"a line needs at least 2 distinct points, got 1", id="one-point"),
        pytest.param([(48.0, 35.0), (48.0, 35.0)], False, r"at least 2 distinct points, got 1", id="repeat"),
        pytest.param([(48.0, 35.0), (49.0, 36.0)], True, r"an area needs at least 3 distinct points, got 2", id="two"),
        pytest.param([(48, 35), (49, 36), (50, 37)], True, r"all lie on one line", id="collinear"),
        pytest.param([(48, 35), (50, 37), (48, 37), (50, 35)], True, r"crosses itself", id="bow-tie"),
        pytest.param([(80, 0), (80, 120), (80, -120)], True, r"goes round a pole", id="pole"),
        pytest.param([(95.0, 35.0), (48.0, 36.0)], False, r"latitude 95 is outside -90…90", id="latitude"),
        pytest.param([(float("nan"), 35.0), (48.0, 36.0)], False, r"latitude must be a finite number", id="nan"),
        pytest.param([(48.0,), (48.0, 36.0)], False, r"point 1: expected \(latitude, longitude\)", id="short"),
    ],
)
def test_zone_from_latlons_errors(points: list[Any], closed: bool, match: str) -> None:
    with pytest.raises(InputError, match=match):
        zone_from_latlons(points, closed=closed)


def test_zone_from_latlons_drops_repeated_clicks() -> None:
    z = zone_from_latlons([(48, 35), (48, 35), (49, 36), (48, 37), (48, 35)], closed=True, label="area A")
    assert z.kind == "polygon" and z.label == "area A"
    assert len(z.geometry.exterior.coords) == 4 and z.geometry.exterior.is_ccw
