"""Reverse reach (issue 12): the area from which a system reaches the target, against authorities.

- the clipped area against a dense brute force: cells of a fine lon/lat grid
  whose centre lies in the country and within range of the target (geodesic
  distance, GeographicLib), each counted with its exact ellipsoidal area;
- the area against pyproj's ``Geod.geometry_area_perimeter`` (GeographicLib
  polygon area of the same vertices, which lacks only the ring's chord
  shortfall);
- the whole ring against the exact ring area, and the Bering Strait case,
  where Russia and the ring are both split at ±180°.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import shapely.geometry
from pyproj import Geod

from geo.analysis.reverse import reverse_reach
from geo.core.coords import LatLon
from geo.core.rings import range_ring, ring_area_km2
from geo.datasets.countries import country
from geo.errors import InputError
from geo.scenario.model import System

WGS84 = Geod(ellps="WGS84")
KURSK = LatLon(51.73, 36.19)


def brute_force_km2(target: LatLon, range_km: float, iso2: str, bounds: tuple[float, ...], step: float) -> float:
    """Sum of the grid cells whose centre is in the country and within range of the target."""
    x0, y0, x1, y1 = bounds
    lons = np.arange(np.floor(x0 / step) * step, x1 + step, step) + step / 2
    lats = np.arange(np.floor(y0 / step) * step, y1 + step, step) + step / 2
    lon, lat = np.meshgrid(lons, lats)
    geom = country(iso2).geometry
    inside = shapely.contains_xy(geom, lon, lat)
    _, _, dist = WGS84.inv(np.full(lon.shape, target.lon), np.full(lat.shape, target.lat), lon, lat)
    hit = inside & (dist <= range_km * 1000.0)
    # A cell's ellipsoidal area: the authalic-latitude band times its share of longitude.
    cell = np.array(
        [
            abs(WGS84.polygon_area_perimeter([0, step, step, 0], [y - step / 2] * 2 + [y + step / 2] * 2)[0])
            for y in lats
        ]
    )
    return float((hit * cell[:, None]).sum() / 1e6)


@pytest.mark.parametrize(("iso2", "range_km"), [("UA", 300.0), ("BY", 500.0)])
def test_clipped_area_matches_dense_brute_force(iso2: str, range_km: float) -> None:
    r = reverse_reach(KURSK, System.custom("X", range_km), iso2)
    brute = brute_force_km2(KURSK, range_km, iso2, r.geometry.bounds, 0.01)
    print(f"\n{iso2} {range_km:g} km from Kursk: {r.area_km2:,.0f} km² vs brute force {brute:,.0f} km²")
    assert r.area_km2 == pytest.approx(brute, rel=2e-3)
    assert r.country is not None and r.country.iso2 == iso2


def test_area_matches_pyproj_geometry_area() -> None:
    r = reverse_reach(KURSK, System.custom("X", 300.0), "UA")
    same_vertices = abs(WGS84.geometry_area_perimeter(r.geometry)[0]) / 1e6
    # pyproj on the same vertices lacks the chords' shortfall along the arc (470 ppm of a whole ring) ...
    assert same_vertices < r.area_km2 < same_vertices * 1.001
    # ... and on a ring of 16,384 vertices (chords 0.1 m off the arc) it is the true clipped area.
    dense = shapely.intersection(country("UA").geometry, range_ring(KURSK.lat, KURSK.lon, 300.0, n_vertices=16384))
    truth = abs(WGS84.geometry_area_perimeter(dense)[0]) / 1e6
    print(
        f"\nUA 300 km from Kursk: {r.area_km2:,.2f} km², pyproj same vertices {same_vertices:,.2f}, dense {truth:,.2f}"
    )
    assert r.area_km2 == pytest.approx(truth, rel=1e-4)


def test_whole_ring_is_the_exact_ring_area_and_donut_has_its_hole() -> None:
    whole = reverse_reach(KURSK, System.custom("X", 300.0))
    assert whole.country is None
    assert whole.area_km2 == pytest.approx(ring_area_km2(KURSK.lat, KURSK.lon, 300.0), rel=2e-6)
    donut = reverse_reach(KURSK, System.custom("X", 300.0, 70.0))
    exact = ring_area_km2(KURSK.lat, KURSK.lon, 300.0, min_range_km=70.0)
    assert donut.area_km2 == pytest.approx(exact, rel=2e-6)
    assert not donut.geometry.contains(shapely.Point(KURSK.lon, KURSK.lat))


def test_across_the_antimeridian_russia_clipped_correctly() -> None:
    target = LatLon(65.0, 179.0)  # Chukotka, 1° west of the antimeridian
    r = reverse_reach(target, System.custom("X", 500.0), "RU")
    assert r.geometry.geom_type == "MultiPolygon"
    x0, _, x1, _ = r.geometry.bounds
    assert x0 < -175.0 and x1 > 179.9  # Russia on both sides of ±180°
    east = brute_force_km2(target, 500.0, "RU", (-180.0, 60.0, -165.0, 70.0), 0.01)
    west = brute_force_km2(target, 500.0, "RU", (165.0, 60.0, 179.995, 70.0), 0.01)
    print(f"\nRU 500 km from 65 N 179 E: {r.area_km2:,.0f} km² vs brute force {east + west:,.0f} km²")
    assert r.area_km2 == pytest.approx(east + west, rel=5e-3)


def test_a_country_out_of_reach_is_empty_and_unknown_country_is_an_input_error() -> None:
    far = reverse_reach(KURSK, System.custom("X", 300.0), "PT")
    assert far.empty and far.area_km2 == 0.0
    assert "cannot reach" in far.caption()
    with pytest.raises(InputError, match="unknown country"):
        reverse_reach(KURSK, System.custom("X", 300.0), "Narnia")


def test_the_scenario_geojson_carries_the_same_reverse_reach() -> None:
    from geo.analysis.analyse import analyse
    from geo.export.geojson import analysis_geojson
    from geo.scenario.model import LaunchPoint, ReverseQuery, Scenario

    s = System.custom("X", 300.0)
    scenario = Scenario(
        points=(LaunchPoint(50.91, 34.8),), systems=(s,), target="Kursk", reverse=ReverseQuery.at(s.id, "UA")
    )
    analysis = analyse(scenario)
    assert analysis.reverse is not None
    for winding in ("ccw", "cw"):
        fc = analysis_geojson(analysis, winding=winding)
        (feature,) = [f for f in fc["features"] if f["properties"].get("feature") == "reverse_reach"]
        assert feature["properties"]["area_km2"] == round(analysis.reverse.area_km2, 1)
        geom = shapely.geometry.shape(feature["geometry"])
        signed = WGS84.geometry_area_perimeter(geom)[0] / 1e6  # pyproj: positive when counter-clockwise
        assert abs(signed) == pytest.approx(analysis.reverse.area_km2, rel=1e-3)
        assert (signed > 0) == (winding == "ccw")


def test_the_standalone_html_draws_the_reverse_reach_as_the_map_does() -> None:
    from geo.analysis.analyse import analyse
    from geo.render.html_export import standalone_html
    from geo.render.layers import REVERSE_COLOR, REVERSE_DASH
    from geo.scenario.model import LaunchPoint, ReverseQuery, Scenario

    s = System.custom("X", 300.0)
    point = LaunchPoint(50.91, 34.8)
    with_reverse = Scenario(points=(point,), systems=(s,), target="Kursk", reverse=ReverseQuery.at(s.id, "UA"))
    for scenario, drawn in ((with_reverse, True), (with_reverse.with_(reverse=None), False)):
        page = standalone_html(
            [point], [s], colors={s.id: "#0072b2"}, target=KURSK, analysis=analyse(scenario), context=False
        )
        assert (REVERSE_COLOR in page and f'"dashArray": "{REVERSE_DASH}"' in page) is drawn
