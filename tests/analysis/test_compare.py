"""Tests for geo.analysis.compare: the systems comparison table and its CSV.

Authorities: ``ring_area_km2`` for one ring (itself checked against
GeographicLib's polygon area in the ring tests); for overlapping rings an
independent computation in a Lambert azimuthal equal-area projection (which
preserves area on the ellipsoid), from ring vertices solved with
GeographicLib's ``Direct``; the catalog record for every descriptive field;
Python's csv module for reading the CSV back.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from pyproj import Transformer
from shapely.geometry import Polygon

from geo.analysis.analyse import analyse
from geo.analysis.compare import (
    USER_DEFINED,
    ComparisonRow,
    comparison_csv,
    comparison_rows,
    covered_area_km2,
    spreadsheet_safe,
)
from geo.core.rings import ring_area_km2
from geo.core.units import KM_PER_UNIT
from geo.datasets.catalog import Catalog
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, Scenario, System, systems_from_ids

WGS84 = Geodesic.WGS84
REL_TOL = 1e-7  # ring_area_km2 is exact to 1 part in 10⁷

SUMY = LaunchPoint(50.9, 34.8, "Sumy")
SYSTEMS = [
    pytest.param(System.custom("300", 300), id="300km"),
    pytest.param(System.custom("donut", 500, 50), id="donut-500-50km"),
    pytest.param(System.custom("2500", 2500), id="2500km"),
]


def exact_area(point: LaunchPoint, system: System) -> float:
    return ring_area_km2(point.lat, point.lon, system.range_km, min_range_km=system.min_range_km)


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize(
    "point",
    [
        pytest.param(SUMY, id="sumy"),
        pytest.param(LaunchPoint(65.0, 175.0), id="antimeridian"),
        pytest.param(LaunchPoint(-80.0, 0.0), id="south-polar"),
    ],
)
def test_coincident_points_count_once(point: LaunchPoint, system: System) -> None:
    one = exact_area(point, system)
    assert covered_area_km2([point], system) == one
    assert covered_area_km2([point, point], system) == pytest.approx(one, rel=REL_TOL)
    assert covered_area_km2([point, point, point], system) == pytest.approx(one, rel=REL_TOL)


@pytest.mark.parametrize("system", SYSTEMS)
def test_far_apart_points_add_up(system: System) -> None:
    points = [SUMY, LaunchPoint(-33.87, 151.21, "Sydney"), LaunchPoint(40.7, -74.0, "New York")]
    expected = sum(exact_area(p, system) for p in points)
    assert covered_area_km2(points, system) == pytest.approx(expected, rel=REL_TOL)


def laea_union_area_km2(points: list[LaunchPoint], system: System, n: int = 4096) -> float:
    """Union area in an equal-area projection centred on the first point, from Direct-solved vertices."""
    centre = points[0]
    to_plane = Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={centre.lat} +lon_0={centre.lon} +ellps=WGS84", always_xy=True
    )

    def disk(p: LaunchPoint, radius_km: float) -> Polygon:
        az = np.linspace(0.0, 360.0, n, endpoint=False)
        pts = [WGS84.Direct(p.lat, p.lon, a, radius_km * 1000.0) for a in az]
        x, y = to_plane.transform([q["lon2"] for q in pts], [q["lat2"] for q in pts])
        return Polygon(np.column_stack([x, y]))

    shapes = []
    for p in points:
        shape = disk(p, system.range_km)
        if system.min_range_km:
            shape = shape.difference(disk(p, system.min_range_km))
        shapes.append(shape)
    return float(shapely.union_all(shapes).area) / 1e6


@pytest.mark.parametrize(
    ("points", "system"),
    [
        pytest.param(
            [SUMY, LaunchPoint(50.0, 36.23, "Kharkiv"), LaunchPoint(48.5, 35.0, "Dnipro")],
            System.custom("300", 300),
            id="three-overlapping-300km",
        ),
        pytest.param([SUMY, LaunchPoint(50.0, 36.23)], System.custom("donut", 500, 50), id="overlapping-donuts"),
        pytest.param(
            [LaunchPoint(65.0, 175.0), LaunchPoint(64.0, -178.0)],
            System.custom("800", 800),
            id="overlap-across-antimeridian",
        ),
    ],
)
def test_partial_overlap_matches_equal_area_projection(points: list[LaunchPoint], system: System) -> None:
    area = covered_area_km2(points, system)
    assert area == pytest.approx(laea_union_area_km2(points, system), rel=1e-5)
    singles = [exact_area(p, system) for p in points]
    assert max(singles) < area < sum(singles)


def rows_for(points: list[LaunchPoint], systems: list[System]) -> list[ComparisonRow]:
    """The comparison rows of the analysis of these points and systems."""
    return comparison_rows(analyse(Scenario(points=tuple(points), systems=tuple(systems))))


def test_no_points_cover_nothing() -> None:
    assert covered_area_km2([], System.custom("X", 300)) == 0.0
    assert rows_for([], [System.custom("X", 300)])[0].area_km2 == 0.0


def test_catalog_rows_carry_the_catalog_fields(catalog: Catalog) -> None:
    systems = systems_from_ids(catalog, ["atacms-300", "storm-shadow", "iskander-m"])
    points = [SUMY, LaunchPoint(50.0, 36.23, "Kharkiv")]
    rows = rows_for(points, systems)
    assert [r.system.id for r in rows] == ["atacms-300", "storm-shadow", "iskander-m"]
    for row in rows:
        w = catalog.get(row.system.id)
        src = w.sources[0]
        assert (row.range_km, row.min_range_km) == (w.range_km, w.min_range_km)
        assert row.platforms == w.platforms and row.air_launched == w.air_launched
        assert (row.origin, row.manufacturer, row.supplied_by) == (w.origin, w.manufacturer, w.supplied_by or "")
        assert (row.source_publisher, row.source_date, row.source_url, row.source_title) == (
            src.publisher,
            src.date,
            src.url,
            src.title,
        )
        assert row.as_of == w.as_of and row.range_reported == w.range_reported
        assert row.kind == "catalog" and not row.is_custom
        assert row.launch_points == 2
        # The analysis's area (one method for every output), and an independent one: Richardson
        # extrapolation over 1,024 and 2,048 vertices per ring agrees within 2 ppm.
        assert (
            row.area_km2
            == analyse(Scenario(points=tuple(points), systems=tuple(systems))).result(row.system.id).area_km2
        )
        assert row.area_km2 == pytest.approx(covered_area_km2(points, row.system), rel=1e-5)


def test_custom_rows_are_user_defined() -> None:
    row = rows_for([SUMY], [System.custom("Mine", 120, 10)])[0]
    assert row.kind == USER_DEFINED and row.is_custom
    assert (row.range_km, row.min_range_km) == (120.0, 10.0)
    assert row.origin == row.manufacturer == row.source_publisher == USER_DEFINED
    assert row.platforms == () and row.source_url == "" and row.source_date is None and row.as_of is None
    # The analysis's one area method: within 0.1 ppm of the exact area of one ring.
    assert row.area_km2 == pytest.approx(exact_area(SUMY, row.system), rel=1e-7)


# ---------------------------------------------------------------- CSV

MALICIOUS = "<script>alert(1)</script> & \"q\", 'x'\nsecond line"


@pytest.mark.parametrize("unit", ["km", "mi", "nmi"])
def test_comparison_csv_columns(catalog: Catalog, unit: str) -> None:
    systems = [*systems_from_ids(catalog, ["atacms-300", "iskander-m"]), System.custom(MALICIOUS, 300)]
    rows = rows_for([SUMY], systems)
    reader = csv.DictReader(io.StringIO(comparison_csv(rows, unit)))
    header = reader.fieldnames or []
    expected_units = [f"range_{unit}", f"min_range_{unit}", f"area_{unit}2"] if unit != "km" else []
    for column in ["system_id", "system_name", "kind", "range_km", "min_range_km", "area_km2", *expected_units]:
        assert column in header
    for column in ["platforms", "air_launched", "origin", "manufacturer", "supplied_by", "as_of"]:
        assert column in header
    for column in ["source_publisher", "source_date", "source_url", "source_title"]:
        assert column in header
    assert len(header) == len(set(header))  # no column twice, e.g. range_km when the unit is km
    out = list(reader)
    assert len(out) == len(rows)
    k = KM_PER_UNIT[unit]
    for row, line in zip(rows, out, strict=True):
        assert line["system_id"] == row.system.id and line["system_name"] == row.system.name
        assert float(line["range_km"]) == row.range_km
        assert float(line[f"range_{unit}"]) == pytest.approx(row.range_km / k, abs=5e-4)
        assert float(line[f"min_range_{unit}"]) == pytest.approx(row.min_range_km / k, abs=5e-4)
        assert float(line["area_km2"]) == pytest.approx(row.area_km2, abs=0.05)
        assert float(line[f"area_{unit}2"]) == pytest.approx(row.area_km2 / k**2, abs=0.05)
        assert line["source_url"] == row.source_url
        assert line["source_date"] == (row.source_date.isoformat() if row.source_date else "")
        assert line["kind"] == row.kind
    atacms = out[0]
    assert atacms["platforms"] == "; ".join(catalog.get("atacms-300").platforms)
    assert atacms["air_launched"] == "no"


def test_comparison_csv_keeps_user_text_as_text() -> None:
    rows = rows_for([SUMY], [System.custom(MALICIOUS, 300)])
    text = comparison_csv(rows)
    line = next(csv.DictReader(io.StringIO(text)))
    # Quotes, commas and markup survive as text; the newline, a control character, becomes a
    # space as names enter (geo.core.text.clean_label, the same on every surface: issue 13).
    assert line["system_name"] == MALICIOUS.replace("\n", " ")
    assert line["kind"] == line["origin"] == USER_DEFINED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("=1+1", "'=1+1", id="equals"),
        pytest.param("+1", "'+1", id="plus"),
        pytest.param("-1", "'-1", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("ATACMS = 300", "ATACMS = 300", id="equals-inside"),
        pytest.param("  =1+1", "'  =1+1", id="spaces-then-equals"),
        pytest.param("\u00a0\u3000@SUM(A1)", "'\u00a0\u3000@SUM(A1)", id="nbsp-ideographic-space-then-at"),
        pytest.param("＝1+1", "'＝1+1", id="full-width-equals"),
        pytest.param("＋1", "'＋1", id="full-width-plus"),
        pytest.param("－1", "'－1", id="full-width-minus"),
        pytest.param("＠A1", "'＠A1", id="full-width-at"),
        pytest.param(" ﹦1", "' ﹦1", id="small-equals"),
        pytest.param("Київ", "Київ", id="cyrillic"),
        pytest.param("", "", id="empty"),
    ],
)
def test_spreadsheet_safe(text: str, expected: str) -> None:
    assert spreadsheet_safe(text) == expected


@pytest.mark.parametrize("name", ["=cmd|'/c calc'!A1", "  =1+1", '＝HYPERLINK("http://x")', "\u3000@A1"])
def test_every_csv_defuses_formulas_that_a_spreadsheet_reads(name: str) -> None:
    """The comparison, places-in-reach and target CSVs, read back by the csv module: no cell runs."""
    from geo.analysis.analyse import analyse
    from geo.analysis.reach import reach_csv
    from geo.analysis.target import verdicts_csv

    system = System.custom(name, 300)
    scenario = Scenario(points=(LaunchPoint(50.9, 34.8, name),), systems=(system,), target="50.45, 30.52")
    analysis = analyse(scenario)
    texts = [
        comparison_csv(comparison_rows(analysis)),
        reach_csv(analysis.places(100_000)),
        verdicts_csv(analysis.verdicts, "km"),
    ]
    for text in texts:
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert any(cell.lstrip("'") == system.name for cell in cells)
        for cell in cells:
            head = __import__("unicodedata").normalize("NFKC", cell).lstrip()
            assert not head.startswith(("=", "+", "@")), cell
            # A minus is a number's sign in numeric columns; in text it is defused too.
            if head.startswith("-"):
                float(cell)


def test_comparison_csv_defuses_formulas() -> None:
    rows = rows_for([SUMY], [System.custom("=cmd|'/c calc'!A1", 300)])
    line = next(csv.DictReader(io.StringIO(comparison_csv(rows))))
    assert line["system_name"] == "'=cmd|'/c calc'!A1"


def test_comparison_csv_rejects_unknown_unit() -> None:
    with pytest.raises(InputError, match="unit"):
        comparison_csv([], "league")
