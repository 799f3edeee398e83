"""The globe's layer data (issue 12) against the one Analysis and against pyproj.

What must hold: the globe draws the map's geometry, not its own: every fill is
the analysis's RFC 7946 coverage (same vertices, same ellipsoidal area), every
outline runs through the coverage's own vertices; a ring round the North Pole
is one closed path with no jump (no seam along the pole or a meridian); a ring
across ±180° is one path through 180°. The rendering itself is checked in
Chromium (tests/browser/test_globe_browser.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon

from geo.analysis.analyse import analyse
from geo.core.area import outline_area_km2
from geo.core.rings import ring_area_km2
from geo.render.globe import FIT_SHARE, deck_spec, extent_px, globe_layers, globe_view
from geo.scenario.model import LaunchPoint, Scenario, System

WGS84 = Geod(ellps="WGS84")
COLORS = {"x": "#E69F00", "y": "#56B4E9"}


def _analysis(lat: float, lon: float, range_km: float, label: str = "", **kw):
    return analyse(Scenario(points=(LaunchPoint.at(lat, lon, label),), systems=(System.custom("X", range_km),), **kw))


def _steps_deg(path: list[list[float]]) -> np.ndarray:
    """Angular length of each step of a path, degrees on a 6,371 km sphere (from WGS84 lengths)."""
    xy = np.asarray(path)
    _, _, dist = WGS84.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    return np.degrees(np.asarray(dist) / 6_371_008.8)


def _fill_shape(fills) -> MultiPolygon:
    return MultiPolygon([Polygon(f.polygon[0], f.polygon[1:]) for f in fills])


@pytest.mark.parametrize(
    ("lat", "lon", "range_km"),
    [(54.71, 20.51, 5500.0), (50.91, 34.8, 300.0), (65.0, 175.0, 2500.0), (85.0, 0.0, 2500.0)],
    ids=["kaliningrad-5500", "sumy-300", "across-180", "north-pole"],
)
def test_fills_are_the_analysis_coverage_and_outlines_its_vertices(lat, lon, range_km):
    a = _analysis(lat, lon, range_km)
    result = a.results[0]
    g = globe_layers(a, {result.system.id: "#E69F00"}, height_px=620)
    fills = [f for f in g.fills if f.kind == "ring"]
    # The same vertices as the analysis's RFC 7946 coverage (rounded to 1e-5°).
    want = np.round(shapely.get_coordinates(result.coverage), 5)
    got = np.concatenate([np.asarray(ring) for f in fills for ring in f.polygon])
    assert got.shape == want.shape
    assert np.array_equal(got, want)
    # The same area, by the analysis's one method, and within 0.1 % of the exact ring (GeographicLib).
    assert outline_area_km2(_fill_shape(fills)) == pytest.approx(result.area_km2, rel=1e-5)
    assert result.area_km2 == pytest.approx(ring_area_km2(lat, lon, range_km), rel=1e-3)
    # Outlines: every vertex one of the unwrapped outline's own vertices.
    outline = {tuple(v) for v in np.round(shapely.get_coordinates(result.outline), 5).tolist()}
    rings = [p for p in g.paths if p.kind == "ring"]
    assert rings
    assert all(tuple(v) in outline for p in rings for v in p.path)


def test_a_ring_round_the_north_pole_is_one_closed_path_without_a_seam():
    a = _analysis(85.0, 0.0, 2500.0)
    g = globe_layers(a, COLORS, height_px=620)
    [ring] = [p for p in g.paths if p.kind == "ring"]
    xy = np.asarray(ring.path)
    assert np.abs(xy[:, 1]).max() < 90.0 - 1e-3  # the pole closure is not stroked
    # Once round the pole: longitudes span 360°, and the ends are the same point of the globe.
    assert xy[-1, 0] - xy[0, 0] == pytest.approx(360.0, abs=1e-6)
    _, _, gap_m = WGS84.inv(xy[0, 0], xy[0, 1], xy[-1, 0], xy[-1, 1])
    assert gap_m < 1.0
    # No jump: every step is one of the ring's own, evenly spaced (2.26°, 250 km, for the map's 160 vertices).
    steps = _steps_deg(ring.path)
    assert steps.max() < 1.01 * np.median(steps) < 2.5
    # Every vertex at the range (pyproj, the authority), within the 1e-5° rounding.
    _, _, dist = WGS84.inv(np.zeros(len(xy)), np.full(len(xy), 85.0), xy[:, 0], xy[:, 1])
    assert np.abs(np.asarray(dist) - 2.5e6).max() < 2.0


def test_a_ring_across_the_antimeridian_is_one_path_through_180():
    a = _analysis(65.0, 175.0, 2500.0)
    g = globe_layers(a, COLORS, height_px=620)
    [ring] = [p for p in g.paths if p.kind == "ring"]
    xy = np.asarray(ring.path)
    assert xy[:, 0].min() < 180.0 < xy[:, 0].max()  # unwrapped: continuous through 180°
    assert np.abs(np.diff(xy[:, 0])).max() < 20.0  # swings fast only where it passes near the pole
    steps = _steps_deg(ring.path)
    assert steps.max() < 1.01 * np.median(steps) < 2.5  # no jump across ±180°
    assert np.allclose(xy[0], xy[-1])  # closed
    # The fill is split at ±180° (RFC 7946): two pieces, none beyond ±180°.
    fills = [f for f in g.fills if f.kind == "ring"]
    assert len(fills) == 2
    coords = np.concatenate([np.asarray(r) for f in fills for r in f.polygon])
    assert np.abs(coords[:, 0]).max() <= 180.0


def test_reverse_reach_zones_and_target_are_drawn():
    s = Scenario(
        points=(LaunchPoint.at(50.91, 34.8, "Sumy"),),
        systems=(System.custom("X", 300.0),),
        target="51.73,36.19",
    )
    from geo.scenario.model import ReverseQuery

    a = analyse(s.with_(reverse=ReverseQuery.at(s.systems[0].id, "")))
    g = globe_layers(a, {}, height_px=620)
    kinds = {p.kind for p in g.paths}
    assert {"ring", "reverse", "target-line"} <= kinds
    rev = _fill_shape([f for f in g.fills if f.kind == "reverse"])
    # The reverse reach's own geometry and area (exact ring area: its 300 km polygon's geodesic area is 0.05 % less).
    assert abs(WGS84.geometry_area_perimeter(rev)[0]) / 1e6 == pytest.approx(a.reverse.area_km2, rel=1e-3)
    assert np.array_equal(
        np.concatenate([np.asarray(r) for f in g.fills if f.kind == "reverse" for r in f.polygon]),
        np.round(shapely.get_coordinates(a.reverse.geometry), 5),
    )
    assert [lab.kind for lab in g.labels].count("target") == 1


def test_labels_are_plain_text_for_the_canvas():
    hostile = '<img src=x onerror="alert(1)">&amp;'
    a = _analysis(50.91, 34.8, 300.0, hostile)
    spec = deck_spec(globe_layers(a, COLORS, height_px=620), land=False)
    [text] = [layer for layer in spec["layers"] if layer["@@type"] == "TextLayer"]
    # Drawn on the canvas as written: never HTML, so neither run nor escaped twice.
    assert f"1 {hostile}" in [d["text"] for d in text["data"]]
    assert text["parameters"] == {"cullMode": "none"}  # else GlobeView culls every glyph
    assert text["getPolygonOffset"] == "@@=[0, -1000000]"
    assert spec["views"] == [{"@@type": "_GlobeView", "controller": True, "resolution": 2.0}]
    assert "mapStyle" not in spec


@pytest.mark.parametrize("range_km", [300.0, 2500.0, 5500.0, 12000.0])
def test_the_view_fits_the_largest_ring(range_km):
    v = globe_view([(54.71, 20.51)], range_km, height_px=620)
    assert (v.lat, v.lon) == (54.71, 20.51)
    theta = np.degrees(range_km * 1000.0 / 6_371_008.8)
    extent = extent_px(v.zoom, v.lat, theta, 620)
    assert FIT_SHARE * 310 * 0.97 <= extent <= FIT_SHARE * 310 + 1e-6
    # Longer ranges open further out.
    assert globe_view([(54.71, 20.51)], range_km * 1.5, height_px=620).zoom <= v.zoom


def test_the_view_centres_several_sites_across_the_antimeridian():
    v = globe_view([(60.0, 170.0), (60.0, -170.0)], 1000.0, height_px=620)
    assert abs(abs(v.lon) - 180.0) < 1e-6
    assert v.lat > 60.0  # the mean direction of two points on a parallel lies poleward of it
