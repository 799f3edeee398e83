"""MGRS and UTM wherever a coordinate is accepted, and MGRS wherever one is written (issue 12).

The reader and writer themselves are tested against GeographicLib in test_grid.py; these
tests check that every entry point goes through :func:`geo.core.grid.parse_coordinates`
(with the same length caps as latitude/longitude) and that every export carries the
MGRS of its launch points and target, as GeoConvert writes it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time

import pytest
from pyproj import Geod

from geo.analysis.reach import cities_in_reach, reach_csv
from geo.analysis.target import resolve_target, target_csv, target_report
from geo.core.coords import MAX_COORD_CHARS, LatLon, parse_latlon
from geo.core.grid import format_mgrs, parse_coordinates, parse_grid
from geo.errors import InputError
from geo.export.geojson import rings_feature_collection
from geo.scenario.model import LaunchPoint, System
from geo.scenario.share import decode_point, decode_query, decode_zone, encode_query
from tests.conftest import ROOT
from tests.core.test_grid import geoconvert, needs_geoconvert

GEOD = Geod(ellps="WGS84")
SUMY = LatLon(50.91, 34.8)
#: The issue's three forms of one reference: 1 m, spaced 1 m, and a 10 m square.
ISSUE_FORMS = ("36UXB2654541359", "36U XB 26545 41359", "36UXB 2654 4135")


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[1], a[0], b[1], b[0])[2])


@needs_geoconvert
def test_the_issues_forms_read_as_geoconvert_reads_them():
    # GeoConvert prints the centre of the square, as parse_coordinates returns it.
    want = [
        tuple(map(float, line.split())) for line in geoconvert(["-p", "6"], [f.replace(" ", "") for f in ISSUE_FORMS])
    ]
    for text, (lat, lon) in zip(ISSUE_FORMS, want, strict=True):
        got = parse_coordinates(text)
        assert metres(got, (lat, lon)) < 0.001, text
    # And all three are Sumy (the 10 m square's centre within 10 m of the 1 m reference).
    assert metres(parse_coordinates(ISSUE_FORMS[2]), parse_coordinates(ISSUE_FORMS[0])) < 10.0


def test_lat_lon_still_reads_exactly_as_before():
    for text in ("50.91, 34.80", "50°54′36″N 34°48′E", "50 54 36 N 34 48 0 E", "-33.87 151.21", "50,9 34,8"):
        assert parse_coordinates(text) == parse_latlon(text)


def test_neither_form_names_both_in_the_error():
    with pytest.raises(InputError) as err:
        parse_coordinates("50.9, 134.8, 3")
    message = str(err.value)
    assert message.startswith("could not read coordinates from '50.9, 134.8, 3'")
    assert "MGRS" in message and "36UXB2654541359" in message and "UTM" in message
    # A wrong grid reference keeps its own specific message.
    with pytest.raises(InputError, match=r"easting and northing need the same number of digits \(got 5 and 3\)"):
        parse_coordinates("36UXB 26545 413")
    # As does a latitude out of range.
    with pytest.raises(InputError, match="latitude 95 is outside"):
        parse_coordinates("95, 10")


def test_the_length_cap_applies_to_every_form_and_stays_linear():
    too_long = "36UXB2654541359" + "\u2009" * MAX_COORD_CHARS + "x"  # thin spaces: collapsed, but counted
    with pytest.raises(InputError, match=f"at most {MAX_COORD_CHARS} characters"):
        parse_coordinates(too_long)
    for text in ("1" * 1_000_000, "36U" + " " * 100_000 + "XB", "36UXB " * 50_000, "Z AH " * 100_000):
        started = time.perf_counter()
        with pytest.raises(InputError):
            parse_coordinates(text)
        # Refused from its length, before any pattern: far under the 158 s the old parser took.
        assert time.perf_counter() - started < 1.0, text[:20]
    # Just under the cap, padded with spaces, is still read (whitespace is collapsed).
    assert parse_coordinates(" " * 40 + "36UXB2654541359" + " " * 40) == parse_grid("36UXB2654541359")


def test_share_link_points_zones_and_target_take_mgrs_and_utm(catalog):
    assert decode_point("36UXB2654541359~Sumy") == LaunchPoint(50.91, 34.8, "Sumy")
    assert decode_point("36U 626545 5641360") == LaunchPoint(50.91, 34.8)
    zone = decode_zone("line:36UXB2654541359;37UCT0595134745~front")
    assert zone.spec == "line:50.91,34.8;51.73,36.19~front"  # normalised to lat,lon as the link writes it
    decoded = decode_query({"at": ["36UXB 26545 41359"], "t": ["37U CT 05951 34745"]}, catalog)
    assert decoded.warnings == ()
    assert decoded.scenario.points == (LaunchPoint(50.91, 34.8),)
    # The link is written back in lat,lon (its contract); the target keeps the text as typed.
    assert encode_query(decoded.scenario)["at"] == ["50.91,34.8"]
    point, label = resolve_target(decoded.scenario.target)
    assert metres(point, (51.73, 36.19)) < 1.0
    assert label == "51.73, 36.19"


def test_a_bad_grid_reference_in_a_link_is_named_and_dropped(catalog):
    decoded = decode_query({"at": ["36UXB2654541359", "32XMH0000000000"]}, catalog)
    assert len(decoded.scenario.points) == 1
    (warning,) = decoded.warnings
    assert warning.startswith("Ignored launch point '32XMH0000000000': ") and "32X" in warning


def test_cli_at_takes_mgrs_and_names_a_bad_one():
    run = [sys.executable, "-m", "geo", "rings", "-w", "atacms-300"]
    ok = subprocess.run([*run, "--at", "36UXB2654541359"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert ok.returncode == 0, ok.stderr
    (feature,) = json.loads(ok.stdout)["features"]
    props = feature["properties"]
    assert (props["launch_lat"], props["launch_lon"]) == pytest.approx((50.91, 34.8), abs=1e-5)
    assert props["launch_mgrs"] == format_mgrs(props["launch_lat"], props["launch_lon"])
    bad = subprocess.run([*run, "--at", "36UXB 26545 413"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert bad.returncode == 2
    assert "same number of digits" in bad.stderr and "Traceback" not in bad.stderr


@needs_geoconvert
def test_exports_write_geoconverts_mgrs_for_launch_points_and_target():
    points = [
        LaunchPoint(50.91, 34.8, "Sumy"),
        LaunchPoint(60.0, 5.0, "Bergen (Norway 32V)"),
        LaunchPoint(78.2, 15.6, "Longyearbyen (Svalbard 33X)"),
    ]
    target = LatLon(51.73, 36.19)
    want = dict(
        zip(
            [(p.lat, p.lon) for p in [*points, target]],
            geoconvert(["-m", "-p", "0"], [f"{p.lat} {p.lon}" for p in [*points, target]]),
            strict=True,
        )
    )

    def spaced(compact: str) -> str:  # GeoConvert writes 32VKM7727452912; the app writes 32V KM 77274 52912
        return f"{compact[:3]} {compact[3:5]} {compact[5:10]} {compact[10:]}"

    rows = list(csv.DictReader(io.StringIO(target_csv(target_report(target, points, [System.custom("X", 3000)])))))
    assert {r["launch_mgrs"] for r in rows} == {spaced(want[(p.lat, p.lon)]) for p in points}
    assert {r["target_mgrs"] for r in rows} == {spaced(want[(target.lat, target.lon)])}

    fc = rings_feature_collection(points, [System.custom("X", 300)])
    for feature, p in zip(fc["features"], points, strict=True):
        assert feature["properties"]["launch_mgrs"] == spaced(want[(p.lat, p.lon)])

    reach = list(csv.DictReader(io.StringIO(reach_csv(cities_in_reach(points[:1], [System.custom("X", 100)])))))
    assert reach and {r["launch_mgrs"] for r in reach} == {spaced(want[(50.91, 34.8)])}
