"""Coordinate parsing, validation and formatting; distance units (issue 2).

Reference values are worked out by hand from the definition of a sexagesimal
degree (50°54′36″ = 50 + 54/60 + 36/3600 = 50.91) and, for units, from the
exact definitions published by NIST.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import geopy.units
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.coords import (
    MAX_COORD_CHARS,
    LatLon,
    check_latlon,
    format_dms,
    format_latlon,
    normalize_lon,
    parse_latlon,
)
from geo.core.units import KM_PER_UNIT, UNITS, check_unit, format_distance, km_to, to_km
from geo.errors import InputError

# 50°54′36″N 34°48′E in decimal degrees.
LAT, LON = 50 + 54 / 60 + 36 / 3600, 34 + 48 / 60
assert (round(LAT, 12), round(LON, 12)) == (50.91, 34.8)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("50.91, 34.80", id="decimal-comma-separated"),
        pytest.param("50.91 34.80", id="decimal-space"),
        pytest.param("50.91,34.80", id="decimal-no-space"),
        pytest.param("50.91; 34.80", id="decimal-semicolon"),
        pytest.param("  50.91 ,  34.80  ", id="extra-spaces"),
        pytest.param("+50.91 +34.80", id="plus-signs"),
        pytest.param("50°54′36″N 34°48′E", id="dms-marks-hemispheres"),
        pytest.param("50°54'36\"N 34°48'E", id="dms-ascii-marks"),
        pytest.param("50°54'36''N 34°48'E", id="dms-two-apostrophes"),
        pytest.param("50º54’36”N 34˚48’E", id="dms-lookalike-glyphs"),
        pytest.param("50° 54′ 36″ N, 34° 48′ E", id="dms-spaced-comma"),
        pytest.param("50 54 36 N 34 48 0 E", id="dms-spaces-hemispheres"),
        pytest.param("50 54 36N 34 48 0E", id="dms-spaces-letter-attached"),
        pytest.param("50.91n 34.8e", id="lowercase-hemispheres"),
        pytest.param("N50°54′36″ E34°48′", id="hemispheres-first"),
        pytest.param("N 50 54 36 E 34 48", id="hemispheres-first-spaces"),
        pytest.param("N50 54.6 E34 48", id="hemispheres-first-decimal-minutes"),
        pytest.param("34°48′E 50°54′36″N", id="swapped-order-dms"),
        pytest.param("E34 48 N50 54 36", id="swapped-order-hemispheres-first"),
        pytest.param("50.91N, 34.80E", id="decimal-hemispheres"),
        pytest.param("50,91 34,8", id="decimal-commas"),
        pytest.param("50,91N 34,8E", id="decimal-commas-hemispheres"),
        pytest.param("50,91° 34,8°", id="decimal-commas-degree-signs"),
        pytest.param("N50,91 E34,8", id="decimal-commas-hemispheres-first"),
    ],
)
def test_parse_latlon_forms(text: str) -> None:
    p = parse_latlon(text)
    assert isinstance(p, LatLon)
    assert p.lat == pytest.approx(LAT, abs=1e-12)
    assert p.lon == pytest.approx(LON, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        pytest.param("-33.87, 151.21", -33.87, 151.21, id="negative-latitude"),
        pytest.param("-33.87 -151.21", -33.87, -151.21, id="both-negative"),
        pytest.param("−33.87 151.21", -33.87, 151.21, id="unicode-minus"),
        pytest.param("-50,9 -34,8", -50.9, -34.8, id="negative-decimal-commas"),
        pytest.param("33°52′S 151°12′E", -(33 + 52 / 60), 151.2, id="south-east"),
        pytest.param("50°54′36″S 34°48′W", -LAT, -LON, id="south-west"),
        pytest.param("50.91 N, 34.80 W", 50.91, -34.8, id="decimal-west"),
        pytest.param("S33 52 E151 12", -(33 + 52 / 60), 151.2, id="hemispheres-first-south"),
        pytest.param(
            "50 54 36.5 N 34 48 0.25 E", 50 + 54 / 60 + 36.5 / 3600, 34 + 48 / 60 + 0.25 / 3600, id="dec-secs"
        ),
        pytest.param("0, 0", 0.0, 0.0, id="null-island"),
        pytest.param("90, 180", 90.0, 180.0, id="corner-180-kept"),
        pytest.param("-90, -180", -90.0, -180.0, id="corner-minus-180"),
        pytest.param("50, 370", 50.0, 10.0, id="longitude-370-normalised"),
    ],
)
def test_parse_latlon_values(text: str, lat: float, lon: float) -> None:
    p = parse_latlon(text)
    assert (p.lat, p.lon) == (pytest.approx(lat, abs=1e-12), pytest.approx(lon, abs=1e-12))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param("hello", r"could not read coordinates from 'hello': expected latitude, longitude", id="garbage"),
        pytest.param("", r"could not read coordinates from ''", id="empty"),
        pytest.param("50.9", r"could not read coordinates from '50\.9'", id="one-number"),
        pytest.param("50.9, 134.8, 3", r"could not read coordinates from '50\.9, 134\.8, 3'", id="three-numbers"),
        pytest.param("50 54 34 48", r"could not read coordinates from '50 54 34 48'", id="unmarked-dm-ambiguous"),
        pytest.param("1e3 5", r"could not read coordinates from '1e3 5'", id="exponent"),
        pytest.param("N50 N34", r"could not read coordinates from 'N50 N34'", id="two-latitudes"),
        pytest.param("50.9 34.8 E", r"could not read coordinates", id="one-hemisphere"),
        pytest.param("50,9N, 34,8E", r"could not read coordinates from '50,9N, 34,8E'", id="decimal-comma-ambiguous"),
        pytest.param("50.5°54′N 34°E", r"could not read coordinates", id="fractional-degrees-with-minutes"),
        pytest.param("50°60′N 34°E", r"'50°60′N 34°E': minutes and seconds must be below 60", id="minutes-60"),
        pytest.param("50 54 60 N 34 48 E", r"minutes and seconds must be below 60", id="seconds-60"),
        pytest.param("-50°54′N 34°48′E", r"use either a sign or N/S/E/W, not both", id="sign-and-hemisphere"),
        pytest.param("50.9N -34.8E", r"use either a sign or N/S/E/W, not both", id="sign-and-hemisphere-lon"),
        pytest.param("95, 50", r"latitude 95 is outside -90…90 \(lat/lon swapped\? 50, 95 would be valid\)", id="swap"),
        pytest.param("95N 30E", r"latitude 95 is outside -90…90 \(lat/lon swapped\?", id="swap-hemispheres"),
        pytest.param("100S 20E", r"latitude -100 is outside -90…90", id="south-100"),
    ],
)
def test_parse_latlon_errors_quote_the_text(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_latlon(text)


def test_parse_latlon_refuses_non_text() -> None:
    with pytest.raises(InputError, match=r"expected coordinates as text, got float"):
        parse_latlon(50.9)  # type: ignore[arg-type]


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="could not read"):
        parse_latlon("nowhere")


# ---------------------------------------------------------------------------
# check_latlon


@pytest.mark.parametrize(
    ("lat", "lon", "match"),
    [
        pytest.param(math.nan, 30.0, r"latitude must be a finite number, got nan", id="nan-lat"),
        pytest.param(50.0, math.nan, r"longitude must be a finite number, got nan", id="nan-lon"),
        pytest.param(math.inf, 30.0, r"latitude must be a finite number, got inf", id="inf-lat"),
        pytest.param(50.0, -math.inf, r"longitude must be a finite number, got -inf", id="minus-inf-lon"),
        pytest.param(95.0, 50.0, r"latitude 95 is outside -90…90 \(lat/lon swapped\? 50, 95 would be valid\)", id="95"),
        pytest.param(-95.0, -50.0, r"\(lat/lon swapped\? -50, -95 would be valid\)", id="minus-95"),
        pytest.param(95.0, 200.0, r"latitude 95 is outside -90…90$", id="no-hint-when-swap-invalid"),
        pytest.param(200.0, 50.0, r"latitude 200 is outside -90…90$", id="no-hint-beyond-180"),
        pytest.param(None, 1.0, r"expected numbers for latitude and longitude, got None, 1", id="none"),
        pytest.param("x", 1.0, r"got 'x', 1", id="text"),
    ],
)
def test_check_latlon_refuses(lat: float, lon: float, match: str) -> None:
    with pytest.raises(InputError, match=match):
        check_latlon(lat, lon)


@pytest.mark.parametrize(
    ("lon", "expected"),
    [
        pytest.param(370.0, 10.0, id="370"),
        pytest.param(-325.2, 34.8, id="minus-325.2"),
        pytest.param(190.0, -170.0, id="190"),
        pytest.param(180.0, 180.0, id="180-kept"),
        pytest.param(-180.0, -180.0, id="minus-180"),
        pytest.param(540.0, -180.0, id="540"),
        pytest.param(0.0, 0.0, id="0"),
    ],
)
def test_check_latlon_normalises_longitude(lon: float, expected: float) -> None:
    assert check_latlon(50.0, lon) == (50.0, pytest.approx(expected, abs=1e-12))


@pytest.mark.parametrize("lat", [-90.0, 90.0, 0.0], ids=["south-pole", "north-pole", "equator"])
def test_check_latlon_accepts_the_poles(lat: float) -> None:
    assert check_latlon(lat, 0.0) == (lat, 0.0)


@settings(max_examples=200, deadline=None)
@given(lon=st.floats(-1e6, 1e6))
def test_normalize_lon_property(lon: float) -> None:
    n = normalize_lon(lon)
    assert -180.0 <= n < 180.0
    # Same meridian: the difference is a whole number of turns (to rounding).
    turns = (lon - n) / 360.0
    assert turns == pytest.approx(round(turns), abs=1e-9)


# ---------------------------------------------------------------------------
# Formatting round trips


def test_format_dms_example() -> None:
    assert format_dms(50.91, 34.8) == "50°54′36″N 34°48′00″E"
    assert format_dms(-33.5, -151.25) == "33°30′00″S 151°15′00″W"


HALF_SECOND = 0.5 / 3600.0


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(-90.0, 90.0), lon=st.floats(-180.0, 180.0))
def test_format_dms_round_trip(lat: float, lon: float) -> None:
    text = format_dms(lat, lon)
    p = parse_latlon(text)
    assert abs(p.lat - lat) <= HALF_SECOND + 1e-12
    dlon = (p.lon - lon + 180.0) % 360.0 - 180.0  # 180°E and 180°W are one meridian
    assert abs(dlon) <= HALF_SECOND + 1e-12


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(-90.0, 90.0), lon=st.floats(-180.0, 180.0), digits=st.integers(4, 8))
def test_format_latlon_round_trip(lat: float, lon: float, digits: int) -> None:
    p = parse_latlon(format_latlon(lat, lon, digits))
    assert abs(p.lat - lat) <= 0.5 * 10.0**-digits + 1e-12
    assert abs((p.lon - lon + 180.0) % 360.0 - 180.0) <= 0.5 * 10.0**-digits + 1e-12


def test_latlon_str_is_readable_back() -> None:
    p = LatLon(50.91, 34.8)
    assert str(p) == "50.9100, 34.8000"
    assert parse_latlon(str(p)) == p


# ---------------------------------------------------------------------------
# Units


def test_unit_factors_are_the_exact_definitions() -> None:
    # NIST Handbook 44 (2024), Appendix C, and NIST SP 811 (2008), Appendix B:
    # 1 international mile = 1.609 344 km exactly (Yard and Pound Agreement, 1959);
    # 1 international nautical mile = 1 852 m exactly.
    assert KM_PER_UNIT == {"km": 1.0, "mi": 1.609344, "nmi": 1.852}
    assert to_km(1, "mi") == 1.609344
    assert to_km(1, "nmi") == 1.852
    assert km_to(1.852, "nmi") == 1.0
    assert km_to(1.609344, "mi") == 1.0
    assert to_km(100, "mi") == pytest.approx(160.9344, abs=1e-12)


def test_units_agree_with_geopy() -> None:
    # geopy.units is an independent implementation of the same definitions.
    assert km_to(300, "mi") == pytest.approx(geopy.units.miles(kilometers=300), rel=1e-15)
    assert km_to(300, "nmi") == pytest.approx(geopy.units.nautical(kilometers=300), rel=1e-15)


@settings(max_examples=200, deadline=None)
@given(distance=st.floats(0.0, 1e6), unit=st.sampled_from(UNITS))
def test_unit_round_trip(distance: float, unit: str) -> None:
    assert km_to(to_km(distance, unit), unit) == pytest.approx(distance, rel=1e-15, abs=1e-300)


@pytest.mark.parametrize(
    ("km", "unit", "with_km", "expected"),
    [
        pytest.param(300, "mi", True, "186 mi (300 km)", id="mi-with-km"),
        pytest.param(300, "nmi", False, "162 nmi", id="nmi"),
        pytest.param(2.5, "km", False, "2.5 km", id="small-km"),
        pytest.param(5500, "km", True, "5,500 km", id="km-no-duplicate"),
    ],
)
def test_format_distance(km: float, unit: str, with_km: bool, expected: str) -> None:
    assert format_distance(km, unit, with_km=with_km) == expected


@pytest.mark.parametrize("unit", ["furlong", "KM", "miles", ""])
def test_unknown_unit(unit: str) -> None:
    assert check_unit("nmi") == "nmi"
    with pytest.raises(InputError, match=rf"unknown unit {unit!r}: expected one of km, mi, nmi"):
        to_km(1.0, unit)


# ---------------------------------------------------------------------------
# Hostile input (issue 13): parsing cost is linear and every value is capped.

# Every kind of whitespace str.split() and the regex \s know, and look-alikes.
WHITESPACE = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u1680", "\u2003", "\u2028", "\u3000"]
# Shapes that made the old patterns backtrack: a decimal comma, a degree mark or
# a hemisphere letter, a long run of whitespace, then a character that fails.
HOSTILE_SHAPES = ["1,1{ws}X", "N1,1{ws}°{ws}N{ws}1,1{ws}X", "1°{ws}2'{ws}3\"{ws}" * 3 + "X", "1{ws}" * 40 + "Q"]


def _cpu_seconds(fn: Callable[[], None]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.parametrize("ws", WHITESPACE, ids=[f"U+{ord(c):04X}" for c in WHITESPACE])
@pytest.mark.parametrize("shape", HOSTILE_SHAPES, ids=["decimal-comma", "hemispheres", "degree-marks", "numbers"])
def test_hostile_whitespace_fails_fast(ws: str, shape: str) -> None:
    # Just under the length cap: the old decimal-comma pattern took 0.1 s for
    # 100 spaces and grew as n³ (158 s for 600); now the cost is linear.
    run = max(1, (MAX_COORD_CHARS - len(shape.replace("{ws}", ""))) // max(1, shape.count("{ws}")))
    text = shape.replace("{ws}", ws * run)[:MAX_COORD_CHARS]

    def parse() -> None:
        with pytest.raises(InputError):
            parse_latlon(text)

    assert _cpu_seconds(parse) < 0.01


@pytest.mark.parametrize("ws", WHITESPACE, ids=[f"U+{ord(c):04X}" for c in WHITESPACE])
def test_long_values_are_refused_before_parsing(ws: str) -> None:
    text = "1,1" + ws * 600 + "x"  # the 642-character link of issue 13, as one zone vertex
    with pytest.raises(InputError, match=rf"\(604 characters\): coordinates are at most {MAX_COORD_CHARS} characters"):
        parse_latlon(text)

    def parse_long() -> None:
        with pytest.raises(InputError, match="at most"):
            parse_latlon(text * 100)

    assert _cpu_seconds(parse_long) < 0.01


def test_surrounding_whitespace_does_not_count_against_the_cap() -> None:
    assert parse_latlon(" " * 500 + "50.91, 34.80" + "\t" * 500) == LatLon(50.91, 34.8)


@pytest.mark.parametrize("ws", WHITESPACE, ids=[f"U+{ord(c):04X}" for c in WHITESPACE])
def test_any_whitespace_separates(ws: str) -> None:
    assert parse_latlon(f"50,91{ws}{ws}34,8") == pytest.approx((50.91, 34.8))
    assert parse_latlon(f"50°{ws}54′{ws}36″{ws}N{ws}{ws}34°{ws}48′{ws}E") == pytest.approx((LAT, LON))


COORD_ALPHABET = st.sampled_from([*"0123456789.,;:-+−°′″'\"NSEWnsewx ", *WHITESPACE])


@settings(max_examples=500, deadline=None)
@given(text=st.text(COORD_ALPHABET, max_size=2 * MAX_COORD_CHARS) | st.text(max_size=300))
def test_parser_gives_a_value_or_its_error(text: str) -> None:
    start = time.process_time()
    try:
        p = parse_latlon(text)
    except InputError:
        pass
    else:
        assert -90.0 <= p.lat <= 90.0 and -180.0 <= p.lon <= 180.0
    assert time.process_time() - start < 0.05  # a generous bound per call: linear in at most 100 characters
