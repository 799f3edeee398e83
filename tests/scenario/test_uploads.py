"""Launch zones and points from uploaded GeoJSON (issue 5, 13)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon

from geo.errors import InputError
from geo.scenario.model import LaunchPoint
from geo.scenario.uploads import read_geojson, zones_from_geojson

# --------------------------------------------------------------------------
# Uploads

LINE = {"type": "LineString", "coordinates": [[35.0, 48.0], [37.0, 48.5]]}


def fc(*geometries: Any, names: list[Any] | None = None) -> str:
    feats = [
        {"type": "Feature", "properties": {"name": (names or [None] * len(geometries))[i]}, "geometry": g}
        for i, g in enumerate(geometries)
    ]
    return json.dumps({"type": "FeatureCollection", "features": feats})


@pytest.mark.parametrize(
    ("data", "kwargs", "match"),
    [
        pytest.param(
            b" " * 2000 + b"{}", {"max_bytes": 1000}, r"the file is 2,002 bytes; the limit is 1,000", id="size"
        ),
        pytest.param("x" * 6_000_001, {}, r"the file is 6\.0 MB; the limit is 5\.0 MB", id="size-mb"),
        pytest.param(b'{"type": "Point", "coordinates": [1, 2], "x": "\xff"}', {}, r"not UTF-8 text", id="utf8"),
        pytest.param('{"type": "Point",', {}, r"not valid JSON: .* at line 1, column 18", id="json"),
        pytest.param(
            '{"type": "Point", "coordinates": [NaN, 1]}', {}, r"contains NaN, which is not a number", id="nan"
        ),
        pytest.param('{"type": "Point", "coordinates": [1e999, 1]}', {}, r"must be finite numbers", id="inf"),
        pytest.param("[1, 2]", {}, r'not GeoJSON: expected a JSON object with a "type", got a JSON array', id="array"),
        pytest.param('{"features": []}', {}, r'not GeoJSON: the object has no "type" member', id="no-type"),
        pytest.param('{"type": "Topology"}', {}, r"this is TopoJSON, not GeoJSON", id="topojson"),
        pytest.param('{"type": "Circle"}', {}, r"unsupported GeoJSON type 'Circle'", id="type"),
        pytest.param(fc({"type": "Curve", "coordinates": []}), {}, r"unsupported geometry type 'Curve'", id="geom"),
        pytest.param('{"type": "FeatureCollection", "features": []}', {}, r"no shapes found", id="empty"),
        pytest.param(fc(None), {}, r"no shapes found", id="null-geometry"),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[35, 48], [35, 48]]}),
            {},
            r"a line needs at least 2 distinct positions, got 1",
            id="degenerate-line",
        ),
        pytest.param(
            json.dumps({"type": "Polygon", "coordinates": [[[35, 48], [36, 48], [35, 48]]]}),
            {},
            r"a polygon ring needs at least 3 distinct positions, got 2",
            id="degenerate-ring",
        ),
        pytest.param(
            json.dumps({"type": "Polygon", "coordinates": [[[35, 48], [36, 49], [37, 50], [35, 48]]]}),
            {},
            r"the polygon has no area",
            id="flat-polygon",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[48.0, 95.0], [48.5, 97.0]]}),
            {},
            r"coordinates look like lat/lon swapped: GeoJSON positions are \[longitude, latitude\]; got \[48, 95\]",
            id="swapped",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[3500000.5, 6500000], [3600000, 6500000]]}),
            {},
            r"coordinates look projected \(metres\?\): GeoJSON must be WGS84 lon/lat \(RFC 7946\); got \[3\.5e\+06, 6500000\]",
            id="projected",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[120.0, 95.0], [121.0, 96.0]]}),
            {},
            r"latitude 95 is outside -90…90",
            id="latitude",
        ),
        pytest.param(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
                    "features": [],
                }
            ),
            {},
            r"declares the coordinate system 'urn:ogc:def:crs:EPSG::3857': GeoJSON must be WGS84 lon/lat",
            id="crs",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[35 + i / 100, 48] for i in range(11)]}),
            {"max_vertices": 10},
            r"the file has 11 vertices; the limit is 10",
            id="vertices",
        ),
        pytest.param(
            json.dumps({"type": "LineString", "coordinates": [[35, 48], ["36", 48]]}),
            {},
            r"coordinates\[1\]: expected a position \[longitude, latitude\], got \[\"36\", 48\]",
            id="position",
        ),
        pytest.param(
            json.dumps({"type": "FeatureCollection", "features": [LINE]}),
            {},
            r'features\[0\]: expected an object with "type": "Feature", got \'LineString\'',
            id="bare-geometry-in-collection",
        ),
    ],
)
def test_upload_errors(data: bytes | str, kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_geojson(data, **kwargs)


def test_upload_crs84_is_accepted() -> None:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    }
    doc["features"] = [{"type": "Feature", "properties": {}, "geometry": LINE}]
    assert [z.kind for z in zones_from_geojson(json.dumps(doc))] == ["line"]


def test_upload_labels_are_plain_text() -> None:
    names = ["<script>alert(1)</script>", "tab\there\x00", "x" * 500, 42]
    zones = zones_from_geojson(fc(LINE, LINE, LINE, LINE, LINE, names=[*names, None]))
    labels = [z.label for z in zones]
    assert labels[0] == "<script>alert(1)</script>"  # kept verbatim; escaping is the renderer's job
    assert labels[1] == "tab here"
    assert len(labels[2]) == 120 and labels[2].endswith("…")
    assert labels[3] == "42"
    assert labels[4] == "feature 5"


def test_upload_points_are_launch_points() -> None:
    data = fc(
        {"type": "Point", "coordinates": [34.8, 50.9]},
        {"type": "MultiPoint", "coordinates": [[35.0, 48.0], [36.0, 49.0, 120.0]]},
        LINE,
        names=["HQ", "pads", "front"],
    )
    upload = read_geojson(data)
    assert upload.points == (
        LaunchPoint(50.9, 34.8, "HQ"),
        LaunchPoint(48.0, 35.0, "pads (1)"),
        LaunchPoint(49.0, 36.0, "pads (2)"),
    )
    assert [z.label for z in upload.zones] == ["front"]
    with pytest.raises(InputError, match=r"the file holds 3 points: points are launch points, not zones"):
        zones_from_geojson(data)


def test_upload_geometry_collection_gives_one_zone_per_kind() -> None:
    square = {"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}
    data = json.dumps(
        {
            "type": "Feature",
            "properties": {"name": "mixed"},
            "geometry": {"type": "GeometryCollection", "geometries": [LINE, square]},
        }
    )
    zones = zones_from_geojson(data)
    assert [(z.kind, z.label) for z in zones] == [("line", "mixed"), ("polygon", "mixed")]


@pytest.mark.parametrize(
    "ring",
    [
        pytest.param([[170, 60], [-170, 60], [-170, 62], [170, 62], [170, 60]], id="jumping-179-to-minus-179"),
        pytest.param([[170, 60], [190, 60], [190, 62], [170, 62], [170, 60]], id="0-to-360-longitudes"),
    ],
)
def test_upload_polygon_not_split_at_the_antimeridian_is_split(ring: list[list[float]]) -> None:
    (zone,) = zones_from_geojson(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert isinstance(zone.geometry, MultiPolygon)
    assert zone.geometry.bounds[0] == -180.0 and zone.geometry.bounds[2] == 180.0
    # Cut where the edges, straight in lon/lat (RFC 7946 §3.1.1), cross 180°: put back side by
    # side, the pieces are the ring as written (issue 9).
    pieces = [shapely.affinity.translate(p, xoff=360.0 if p.bounds[0] < 0 else 0.0) for p in zone.geometry.geoms]
    whole = Polygon([(170, 60), (190, 60), (190, 62), (170, 62)])
    assert shapely.union_all(pieces).symmetric_difference(whole).area < 1e-12
    assert zone.edges == "lonlat"


def test_upload_self_touching_polygon_is_repaired() -> None:
    bow = {"type": "Polygon", "coordinates": [[[30, 50], [32, 52], [32, 50], [30, 52], [30, 50]]]}
    (zone,) = zones_from_geojson(json.dumps(bow))
    assert zone.geometry.is_valid and zone.geometry.area > 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"type":"Point","coordinates":[' + b"9" * 400 + b",1]}", "400 characters"),
        (b'{"type":"Point","coordinates":[' + b"9" * 5000 + b",1]}", "5,000 characters"),
        (b'{"type":"Point","coordinates":[0.' + b"0" * 500 + b"1,1]}", "503 characters"),
    ],
    ids=["400-digit-int", "5000-digit-int", "500-digit-float"],
)
def test_huge_number_literals_are_refused_in_words(data, expected):
    # Were OverflowError and Python's 4,300-digit ValueError (issue 13).
    with pytest.raises(InputError, match=expected):
        read_geojson(data)


@pytest.mark.parametrize("name", ["\\ud800x", "x\\udfff", "\\u0000x\\u202e", "x\\u200b\\ufeff"])
def test_names_lose_surrogates_and_invisible_characters(name):
    doc = (
        '{"type":"Feature","properties":{"name":"' + name + '"},'
        '"geometry":{"type":"LineString","coordinates":[[30,50],[31,50]]}}'
    ).encode()
    upload = read_geojson(doc)
    [zone] = upload.zones
    assert zone.label == "x"
    zone.label.encode("utf-8")  # what st.cache_data does to hash it


def _geojsonish() -> Any:
    """Documents shaped like GeoJSON, with every member liable to be the wrong kind."""
    from hypothesis import strategies as st

    number = st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False)
    anything = st.none() | st.booleans() | number | st.text(max_size=8)
    position = st.lists(number | anything, min_size=0, max_size=4)
    coords = st.recursive(position, lambda inner: st.lists(inner, max_size=5), max_leaves=40)
    geometry = st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "Circle", 3]
            ),
            "coordinates": coords | anything,
        }
    )
    collection = st.fixed_dictionaries(
        {"type": st.just("GeometryCollection"), "geometries": st.lists(geometry | anything, max_size=3)}
    )
    properties = st.none() | st.dictionaries(st.sampled_from(["name", "Name", "title", "x"]), anything, max_size=3)
    feature = st.fixed_dictionaries(
        {"type": st.just("Feature"), "geometry": geometry | collection | st.none() | anything, "properties": properties}
    )
    return (
        st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": st.lists(feature, max_size=4)})
        | feature
        | geometry
        | anything
    )


def test_any_document_gives_an_upload_or_an_input_error():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(doc=_geojsonish(), noise=st.binary(max_size=30))
    def check(doc: Any, noise: bytes) -> None:
        for data in (json.dumps(doc).encode(), noise, json.dumps(doc).encode()[:50] + noise):
            try:
                upload = read_geojson(data)
            except InputError as exc:
                assert len(str(exc)) < 600
                continue
            for zone in upload.zones:
                zone.label.encode("utf-8")
            for point in upload.points:
                assert -90 <= point.lat <= 90 and -180 <= point.lon <= 180

    check()
