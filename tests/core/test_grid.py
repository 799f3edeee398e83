"""MGRS and UTM/UPS reading and writing (geo.core.grid), against GeographicLib (issue 12).

Reference values come from GeographicLib (Charles Karney), quoted where used:

* the GeoConvert(1) man page, ``man/GeoConvert.pod`` in GeographicLib 2.x
  (https://geographiclib.sourceforge.io/C++/doc/GeoConvert.1.html),
  sections DESCRIPTION, MGRS, ZONE and EXAMPLES;
* the documentation of ``MGRS::Reverse`` in ``include/GeographicLib/MGRS.hpp``
  (https://geographiclib.sourceforge.io/C++/doc/classGeographicLib_1_1MGRS.html);
* GeographicLib's own regression tests, ``tests/CMakeLists.txt``
  (GeoConvert0, 1, 8, 16, 17, 19, 20, 21).

GeographicLib itself is the oracle where its ``GeoConvert`` tool is installed
(Debian package ``geographiclib-tools``); pyproj (PROJ) independently reads
and writes the UTM and UPS coordinates (EPSG:326zz/327zz, 32661/32761); and
the C ``mgrs`` package (NGA GEOTRANS code) independently reads MGRS.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import shutil
import subprocess
import time
import warnings

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer

from geo.core.coords import LatLon, format_dms, format_latlon, parse_latlon
from geo.core.grid import MAX_GRID_CHARS, GridReading, format_mgrs, format_utm, parse_grid, read_grid
from geo.errors import InputError

try:
    import mgrs as c_mgrs  # NGA GEOTRANS in C: an independent MGRS reader
except ImportError:  # pragma: no cover
    c_mgrs = None

GEOD = Geod(ellps="WGS84")
GEOCONVERT = shutil.which("GeoConvert")
needs_geoconvert = pytest.mark.skipif(
    GEOCONVERT is None and os.environ.get("CI") != "true",
    reason="GeographicLib's GeoConvert is not installed (apt-get install geographiclib-tools)",
)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres between two (lat, lon) points."""
    return float(GEOD.inv(a[1], a[0], b[1], b[0])[2])


def grid(text: str) -> LatLon:
    point = parse_grid(text)
    assert point is not None, text
    return point


def geoconvert(args: list[str], lines: list[str]) -> list[str]:
    """Run GeographicLib's GeoConvert on many lines at once (errors come back as 'ERROR: …' lines)."""
    assert GEOCONVERT is not None, "GeoConvert is required on CI"
    out = subprocess.run(
        [GEOCONVERT, *args], input="\n".join(lines) + "\n", capture_output=True, text=True, check=False
    ).stdout.splitlines()
    assert len(out) == len(lines)
    return out


latitudes = st.floats(min_value=-90.0, max_value=90.0, allow_nan=False)
longitudes = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False, exclude_max=True)
utm_latitudes = st.floats(min_value=-80.0, max_value=84.0, allow_nan=False, exclude_max=True)


# --- GeographicLib's published examples ---------------------------------------


def test_geoconvert_examples_section() -> None:
    # GeoConvert(1), EXAMPLES:
    #    echo 38SMB4488 | GeoConvert         => 33.33424 44.40363
    #    echo 38SMB4488 | GeoConvert -u      => 38n 444500 3688500
    #    echo E44d24 N33d20 | GeoConvert -m -p -3 => 38SMB4488
    p = grid("38SMB4488")
    assert (round(p.lat, 5), round(p.lon, 5)) == (33.33424, 44.40363)
    x, y = Transformer.from_crs(4326, 32638, always_xy=True).transform(p.lon, p.lat)
    assert (x, y) == pytest.approx((444500, 3688500), abs=1e-3)  # the centre of the 1 km square
    assert format_mgrs(33 + 20 / 60, 44.4, 2, compact=True) == "38SMB4488"


def test_geoconvert_mgrs_section_square_and_centre() -> None:
    # GeoConvert(1), MGRS: "38SMB4488 is in zone 38n with 444km <= easting < 445km and
    # 3688km <= northing < 3689km. ... coordinates are truncated (instead of rounded) ...
    # By default, this representative point is the center of the square (38n 444500 3688500)."
    reading = read_grid("38SMB4488")
    assert reading is not None and reading.precision_m == 1000.0
    to_utm = Transformer.from_crs(4326, 32638, always_xy=True)
    for e in (444000.001, 444999.999):
        for n in (3688000.001, 3688999.999):
            lon, lat = to_utm.transform(e, n, direction="INVERSE")
            assert format_mgrs(lat, lon, 2, compact=True) == "38SMB4488"


def test_geoconvert_description_section() -> None:
    # GeoConvert(1), DESCRIPTION: UTM/UPS "38n 444140.54 3684706.36", "444140.54 3684706.36 38n",
    # "s 2173854.98 2985980.58", "2173854.98 2985980.58 s"; the first two are the geographic example 33.3 44.4.
    for text in ("38n 444140.54 3684706.36", "444140.54 3684706.36 38n"):
        assert metres(grid(text), (33.3, 44.4)) < 0.01
    for text in ("s 2173854.98 2985980.58", "2173854.98 2985980.58 s"):
        assert metres(grid(text), (-81.0, 10.0)) < 0.02
    # MRGS: "1 token ... is used to specify the center of an MGRS grid square. For example,
    #     38SMB4484
    #     38SMB44140847064"
    assert metres(grid("38SMB4484"), (33.3, 44.4)) < 710  # 33.3 44.4 lies in the 1 km square 38SMB4484
    # The man page's second example has 11 digits; GeoConvert itself refuses it
    # ("ERROR: Not an even number of digits in 44140847064"), and so does this module.
    with pytest.raises(InputError, match=r"needs an even number of digits.*\(got 11\)"):
        parse_grid("38SMB44140847064")


def test_geoconvert_zone_section() -> None:
    # GeoConvert(1), ZONE: "the point 79.9S 6.1E corresponds to possible MGRS coordinates
    #    32CMS4324728161 (standard UTM zone = 32)
    #    31CEM6066227959 (neighboring UTM zone = 31)
    #      BBZ1945517770 (neighboring UPS zone)
    # then
    #    echo 79.9S 6.1E      | GeoConvert -p -3 -m       => 32CMS4328
    #    echo 31CEM6066227959 | GeoConvert -p -3 -m -s    => 32CMS4328"
    assert format_mgrs(-79.9, 6.1, compact=True) == "32CMS4324728161"
    assert format_mgrs(-79.9, 6.1, 2, compact=True) == "32CMS4328"
    for text in ("32CMS4324728161", "31CEM6066227959", "BBZ1945517770"):
        p = grid(text)
        assert metres(p, (-79.9, 6.1)) < 1.0, text
        assert format_mgrs(p.lat, p.lon, 2, compact=True) == "32CMS4328"  # -s: back in the standard zone
    # "echo -1 3 | GeoConvert -u => 31s 500000 9889470"
    assert metres(grid("31s 500000 9889470"), (-1.0, 3.0)) < 1.0
    assert format_utm(-1.0, 3.0) == "31M 500000 9889470"  # band M (8°S–0°) rather than "s": see format_utm


def test_geographiclib_regression_tests() -> None:
    # tests/CMakeLists.txt:
    #   GeoConvert0: -p -3 -m "33.3 44.4"          => 38SMB4484
    #   GeoConvert1: -d "38smb"                     => 32d59'14.1"N 044d27'53.4"E
    #   GeoConvert8: -u -p 6 "86 0"                 => n 2000000.000000 1555731.570643
    #   GeoConvert16: -m -p 3 "38n 444140.6 3684706.3" => 38SMB4414060084706300
    #   GeoConvert17: -m -p 3 "38n 500000 63.811"   => 38NNF0000000000063811
    #   GeoConvert19-21: -m -p -6/-5/-4 "s 2746000 1515000" => B, BKH, BKH41
    assert format_mgrs(33.3, 44.4, 2, compact=True) == "38SMB4484"
    p = grid("38smb")
    assert p.lat == pytest.approx(32 + 59 / 60 + 14.1 / 3600, abs=0.05 / 3600)
    assert p.lon == pytest.approx(44 + 27 / 60 + 53.4 / 3600, abs=0.05 / 3600)
    assert format_utm(86.0, 0.0) == "UPS N 2000000 1555732"
    assert metres(grid("n 2000000 1555731.570643"), (86.0, 0.0)) < 1e-6
    p = grid("38n 444140.6 3684706.3")
    assert format_mgrs(p.lat, p.lon, compact=True) == "38SMB4414084706"
    p = grid("38n 500000 63.811")
    assert format_mgrs(p.lat, p.lon, compact=True) == "38NNF0000000063"
    p = grid("s 2746000 1515000")
    assert format_mgrs(p.lat, p.lon, 0, compact=True) == "BKH"
    assert format_mgrs(p.lat, p.lon, 1, compact=True) == "BKH41"


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        # MGRS::Reverse: "MGRS coordinates with a neighboring latitude band letter are permitted
        # provided that some portion of the 100 km block is within the given latitude band. Thus
        #  - 38VLS and 38WLS are allowed (latitude 64N intersects the square 38[VW]LS); but 38VMS is
        #    not permitted (all of 38WMS is north of 64N)
        #  - 38MPE and 38NPF are permitted (they straddle the equator); but 38NPE and 38MPF are not
        #    permitted (the equator does not intersect either block).
        #  - Similarly ZAB and YZB are permitted (they straddle the prime meridian); but YAB and ZZB
        #    are not (the prime meridian does not intersect either block)."
        ("38VLS", True),
        ("38WLS", True),
        ("38VMS", False),
        ("38WMS", True),
        ("38MPE", True),
        ("38NPF", True),
        ("38NPE", False),
        ("38MPF", False),
        # Polar references need digits here (a bare "ZAB" could be a place name): 10 km squares.
        ("ZAB00", True),
        ("YZB00", True),
        ("YAB00", False),
        ("ZZB00", False),
    ],
)
def test_mgrs_reverse_documented_cases(text: str, valid: bool) -> None:
    if valid:
        assert isinstance(parse_grid(text), LatLon)
    else:
        with pytest.raises(InputError, match="does not exist"):
            parse_grid(text)


def test_38vls_and_38wls_are_the_same_square() -> None:
    assert grid("38VLS") == grid("38WLS")
    assert (round(grid("38VLS").lat, 5), round(grid("38VLS").lon, 5)) == (64.44244, 41.88295)  # GeoConvert


# --- GeographicLib itself, where GeoConvert is installed --------------------------


def oracle_points() -> list[tuple[float, float]]:
    points = [(-89.75 + 3.5 * i, -179.5 + 9.5 * j) for i in range(52) for j in range(38)]
    points += [(55.75 + 0.5 * i, 0.25 + 0.5 * j) for i in range(18) for j in range(24)]  # Norway
    points += [(71.5 + 1.0 * i, -0.75 + 1.5 * j) for i in range(14) for j in range(30)]  # Svalbard
    edges_lat = [-90, -80 - 1e-6, -80, -79.999999, 0, 56, 64, 72 - 1e-6, 72, 83.999999, 84, 90]
    edges_lon = [-180, -179.999999, -0.000001, 0, 3 - 1e-6, 3, 6, 9, 12, 21, 33, 41.999999, 42, 179.999999]
    points += [(float(a), float(b)) for a in edges_lat for b in edges_lon]
    return points


@needs_geoconvert
def test_format_mgrs_matches_geoconvert() -> None:
    points = oracle_points()
    expected = geoconvert(["-m", "-p", "0"], [f"{lat:.10f} {lon:.10f}" for lat, lon in points])
    got = [format_mgrs(lat, lon, compact=True) for lat, lon in points]
    mismatches = [(p, g, e) for p, g, e in zip(points, got, expected, strict=True) if g != e]
    assert not mismatches, mismatches[:10]
    assert len(points) > 2500


@needs_geoconvert
def test_parse_mgrs_matches_geoconvert() -> None:
    points = oracle_points()
    refs = geoconvert(["-m", "-p", "0"], [f"{lat:.10f} {lon:.10f}" for lat, lon in points])
    refs += geoconvert(["-m", "-p", "-3"], [f"{lat:.10f} {lon:.10f}" for lat, lon in points[::7]])
    expected = geoconvert(["-p", "9"], refs)
    worst = 0.0
    for ref, line in zip(refs, expected, strict=True):
        lat, lon = map(float, line.split())
        worst = max(worst, metres(grid(ref), (lat, lon)))
    assert worst < 1e-6  # a micrometre: the same point


@needs_geoconvert
def test_utm_matches_geoconvert_both_ways() -> None:
    points = [p for p in oracle_points() if -80 <= p[0] < 84]
    lines = [f"{lat:.10f} {lon:.10f}" for lat, lon in points]
    for (lat, lon), line in zip(points, geoconvert(["-u", "-p", "3"], lines), strict=True):
        zone_hemi, e, n = line.split()
        ours = format_utm(lat, lon).split()
        assert int(ours[0][:-1]) == int(zone_hemi[:-1])
        assert (ours[0][-1] >= "N") == (zone_hemi[-1] == "n")
        assert abs(int(ours[1]) - float(e)) <= 0.5005 and abs(int(ours[2]) - float(n)) <= 0.5005
    # GeoConvert's long form ("19south 563967.423 3904751.292") is never ambiguous here.
    for (lat, lon), line in zip(points, geoconvert(["-u", "-l", "-p", "3"], lines), strict=True):
        assert metres(grid(line), (lat, lon)) < 0.002, line


@needs_geoconvert
def test_refusals_agree_with_geoconvert() -> None:
    # GeoConvert's compact form first, then the same reference as this module is given it
    # (a polar 100 km square needs a space or digits here: "ZZB" alone could be a place name).
    both_refuse = {
        "38VMS": "38VMS",
        "38NPE": "38NPE",
        "38MPF": "38MPF",
        "YAB": "Y AB",
        "ZZB": "ZZB 00",
        "38SMB44140847064": "38SMB44140847064",
        "61UXB": "61UXB",
        "38IMB": "38IMB",
        "38SMO": "38SMO",
        "38SMB123": "38SMB 12 3",
    }
    assert all(line.startswith("ERROR") for line in geoconvert([], list(both_refuse)))
    for text in both_refuse.values():
        with pytest.raises(InputError):
            parse_grid(text)
    # Stricter than GeoConvert on purpose: these 100 km squares lie wholly outside their
    # grid zone (32X does not exist; 31V ends at 3°E; YRB is south of 84°N). GeoConvert reads
    # them because it also serves forced, non-standard zones (-z).
    only_we_refuse = ["32XNM00", "34XDL00", "31VEJ00", "YRB00", "36USA00"]
    assert not any(line.startswith("ERROR") for line in geoconvert([], only_we_refuse))
    for text in only_we_refuse:
        with pytest.raises(InputError, match="does not exist"):
            parse_grid(text)


# --- independent implementations: pyproj for UTM/UPS, the C "mgrs" package for MGRS ---


@functools.cache
def utm_crs(zone: int, north: bool) -> Transformer:
    return Transformer.from_crs(4326, (32600 if north else 32700) + zone, always_xy=True)


@given(utm_latitudes, longitudes)
@settings(max_examples=300, deadline=None)
def test_utm_read_and_written_like_pyproj(lat: float, lon: float) -> None:
    text = format_utm(lat, lon)
    zone_band, e, n = text.split()
    zone, north = int(zone_band[:-1]), zone_band[-1] >= "N"
    to_utm = utm_crs(zone, north)
    x, y = to_utm.transform(lon, lat)
    assert abs(x - int(e)) <= 0.5 + 1e-6 and abs(y - int(n)) <= 0.5 + 1e-6
    lon2, lat2 = to_utm.transform(int(e), int(n), direction="INVERSE")
    assert metres(grid(text), (lat2, lon2)) < 1e-5


@given(
    st.floats(min_value=84.0, max_value=90.0) | st.floats(min_value=-90.0, max_value=-80.0, exclude_max=True),
    longitudes,
)
@settings(max_examples=200, deadline=None)
def test_ups_read_and_written_like_pyproj(lat: float, lon: float) -> None:
    text = format_utm(lat, lon)
    label, hemi, e, n = text.split()
    assert label == "UPS" and hemi == ("N" if lat > 0 else "S")
    to_ups = Transformer.from_crs(4326, 32661 if lat > 0 else 32761, always_xy=True)
    x, y = to_ups.transform(lon, lat)
    assert abs(x - int(e)) <= 0.5 + 1e-6 and abs(y - int(n)) <= 0.5 + 1e-6
    lon2, lat2 = to_ups.transform(int(e), int(n), direction="INVERSE")
    assert metres(grid(text), (lat2, lon2)) < 1e-5


@pytest.mark.skipif(c_mgrs is None, reason="the C mgrs package is not installed (pip install mgrs==1.6.0)")
@given(latitudes, longitudes)
@settings(max_examples=200, deadline=None)
def test_mgrs_read_like_the_c_mgrs_package(lat: float, lon: float) -> None:
    text = format_mgrs(lat, lon, compact=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GEOTRANS warns near band edges (hobuinc/mgrs#45)
        theirs = c_mgrs.MGRS().toLatLon(text)  # GEOTRANS also returns the centre of the square
    assert metres(grid(text), theirs) < 0.01


# --- round trips over a Hypothesis grid ---------------------------------------


@given(latitudes, longitudes)
@settings(max_examples=400, deadline=None)
def test_mgrs_round_trip_within_the_square(lat: float, lon: float) -> None:
    spaced, compact = format_mgrs(lat, lon), format_mgrs(lat, lon, compact=True)
    assert spaced.replace(" ", "") == compact
    for text in (spaced, compact):
        assert metres(grid(text), (lat, lon)) < 0.75  # half the diagonal of a 1 m square, and a little


@given(latitudes, longitudes, st.integers(min_value=0, max_value=5))
@settings(max_examples=300, deadline=None)
def test_mgrs_round_trip_at_every_precision(lat: float, lon: float, digits: int) -> None:
    reading = read_grid(format_mgrs(lat, lon, digits))
    assert reading is not None
    side = 10.0 ** (5 - digits)
    assert reading.precision_m == side
    assert metres(reading.point, (lat, lon)) < 0.72 * side


def away_from_edges(lat: float, lon: float, side_m: float) -> bool:
    """Farther than 1.5 squares from any zone or band edge (multiples of 3° of longitude, 4° of latitude)."""
    margin = 1.5 * side_m / 111_000
    lat_gap = abs(lat / 4 - round(lat / 4)) * 4
    lon_gap = abs(lon / 3 - round(lon / 3)) * 3 * math.cos(math.radians(lat))
    return abs(lat) < 89 and min(lat_gap, lon_gap) > margin


@given(latitudes, longitudes, st.integers(min_value=2, max_value=5))
@settings(max_examples=300, deadline=None)
def test_mgrs_round_trip_is_stable(lat: float, lon: float, digits: int) -> None:
    # GeographicLib: "With centerp = true, the conversion from MGRS to geographic and back is stable."
    # It keeps the zone of the reference; format_mgrs picks the standard zone, so squares at a
    # zone or band edge (and 10 km and 100 km squares, whose centre can be in the next zone) can move.
    assume(away_from_edges(lat, lon, 10.0 ** (5 - digits)))
    text = format_mgrs(lat, lon, digits)
    p = grid(text)
    assert format_mgrs(p.lat, p.lon, digits) == text


@given(latitudes, longitudes)
@settings(max_examples=300, deadline=None)
def test_utm_round_trip(lat: float, lon: float) -> None:
    assert metres(grid(format_utm(lat, lon)), (lat, lon)) < 0.75  # rounded to the metre


# --- the poles (UPS) ------------------------------------------------------------


def test_north_pole() -> None:
    assert format_mgrs(90.0, 0.0) == "Z AH 00000 00000"
    assert format_mgrs(90.0, -123.0, compact=True) == "ZAH0000000000"
    assert format_utm(90.0, 45.0) == "UPS N 2000000 2000000"
    for text in (
        "ZAH0000000000",
        "Z AH 00000 00000",
        "zah 00000 00000",
        "UPS N 2000000 2000000",
        "north 2000000 2000000",
    ):
        assert grid(text).lat > 89.99999, text
    assert format_mgrs(89.9, -10.0).startswith("Y ")  # west of the prime meridian
    assert format_mgrs(89.9, 10.0).startswith("Z ")
    assert format_mgrs(84.0, 10.0).startswith("Z ")  # UPS from 84°N
    assert format_mgrs(83.999999, 10.0).startswith("33X ")


def test_south_pole() -> None:
    assert format_mgrs(-90.0, 0.0) == "B AN 00000 00000"
    assert format_utm(-90.0, 0.0) == "UPS S 2000000 2000000"
    for text in ("BAN0000000000", "B AN 00000 00000", "ban 00000 00000", "UPS S 2000000 2000000", "s 2000000 2000000"):
        assert grid(text).lat < -89.99999, text
    assert format_mgrs(-89.9, -10.0).startswith("A ")
    assert format_mgrs(-89.9, 10.0).startswith("B ")
    assert format_mgrs(-80.0, 10.0).startswith("32C ")  # UTM down to 80°S inclusive
    assert format_mgrs(-80.000001, 10.0).startswith("B ")


def test_polar_letters_and_caps() -> None:
    assert format_mgrs(-89.3454, -48.9306) == "A ZN 45207 47746"  # GeoConvert 2.1.2: AZN4520747746
    assert metres(grid("A ZN 45207 47746"), (-89.3454, -48.9306)) < 1.0
    square = read_grid("Z AH")  # a bare polar 100 km square is read with its space ("ZAH" alone is not)
    assert square is not None and square.precision_m == 100_000 and square.point.lat > 84
    assert parse_grid("ZAH") is None
    with pytest.raises(InputError, match=r"column letter A does not exist in polar zone Y \(north pole, west\)"):
        parse_grid("YAB 00 00")
    with pytest.raises(
        InputError, match=r"row letter Q does not exist in polar zone Z \(north pole, east\): its rows are A–P"
    ):
        parse_grid("ZAQ 00 00")
    with pytest.raises(InputError, match="none of it is in the polar cap south of 80°S"):
        parse_grid("AJA 00 00")
    with pytest.raises(InputError, match="polar zone Z is the eastern half"):
        parse_grid("Z 1500000 2000000")
    with pytest.raises(InputError, match=r"northing 3,000,000 m is outside 1,200,000–2,800,000 m \(UPS, north pole\)"):
        parse_grid("UPS N 2000000 3000000")


# --- Norway and Svalbard ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "zone"),
    [
        (60.0, 2.999999, "31V"),
        (60.0, 3.0, "32V"),  # Norway: 32V is widened west to 3°E
        (60.0, 11.999999, "32V"),
        (60.0, 12.0, "33V"),
        (56.0, 3.0, "32V"),
        (55.999999, 3.0, "31U"),
        (63.999999, 3.0, "32V"),
        (64.0, 3.0, "31W"),
        (78.0, 8.999999, "31X"),  # Svalbard: 31X 0–9°E, 33X 9–21°E, 35X 21–33°E, 37X 33–42°E
        (78.0, 9.0, "33X"),
        (78.0, 20.999999, "33X"),
        (78.0, 21.0, "35X"),
        (78.0, 32.999999, "35X"),
        (78.0, 33.0, "37X"),
        (78.0, 41.999999, "37X"),
        (78.0, 42.0, "38X"),
        (71.999999, 10.0, "32W"),
        (72.0, 10.0, "33X"),
    ],
)
def test_norway_and_svalbard_zones(lat: float, lon: float, zone: str) -> None:
    text = format_mgrs(lat, lon)
    assert text.startswith(zone + " ")
    assert format_utm(lat, lon).startswith(zone + " ")
    assert metres(grid(text), (lat, lon)) < 0.75


def test_no_32x_34x_36x() -> None:
    zones = {format_mgrs(72.0 + 0.5 * i, 0.25 * j, 0)[:3] for i in range(24) for j in range(168)}
    assert zones == {"31X", "33X", "35X", "37X"}
    for zone in ("32X", "34X", "36X"):
        with pytest.raises(InputError, match=f"grid zone {zone} does not exist: around Svalbard"):
            parse_grid(f"{zone}NA 123 456")


def test_norway_squares_outside_the_narrowed_zone_31v() -> None:
    assert metres(grid("32VKM7697958157"), (60.0, 5.0)) < 0.75
    assert metres(grid("31VDG9442251415"), (60.0, 2.9)) < 0.75
    with pytest.raises(InputError, match=r"100 km square EJ does not exist in grid zone 31V \(56°N–64°N, 0°–3°E\)"):
        parse_grid("31VEJ 0000 0000")  # east of the central meridian 3°E: all in 32V


# --- zone and band edges ------------------------------------------------------------


def test_zone_edges() -> None:
    for k in range(60):
        edge = -180.0 + 6 * k
        assert format_mgrs(10.0, edge).startswith(f"{k + 1:02d}P "), edge  # an edge belongs to the zone east of it
        assert format_mgrs(10.0, edge - 1e-7).startswith(f"{(k - 1) % 60 + 1:02d}P "), edge
        for lon in (edge, edge - 1e-7):
            assert metres(grid(format_mgrs(10.0, lon)), (10.0, lon)) < 0.75
    assert format_mgrs(0.0, 180.0)[:3] == format_mgrs(0.0, -180.0)[:3] == "01N"


def test_equator() -> None:
    # A hair south of the equator is band M with northing 10,000,000 m (GeographicLib: "reducing a
    # southern hemisphere northing of 10000 km by 4 nm so that it is placed in latitude band M").
    assert format_utm(-5e-17, 0.0) == "31M 166021 10000000"
    assert format_utm(0.0, 0.0) == "31N 166021 0"
    for text in ("31M 166021 10000000", "31N 166021 0", "31 south 166021 10000000"):
        assert metres(grid(text), (0.0, 0.0)) < 0.5, text
    assert metres(grid(format_mgrs(-5e-17, 0.0)), (0.0, 0.0)) < 0.75
    assert metres(grid("31MAV6602199999"), (0.0, 0.0)) < 1.0  # GeoConvert -m for -5e-17 0


def test_band_edges() -> None:
    for i, band in enumerate("CDEFGHJKLMNPQRSTUVWX"):
        south = -80.0 + 8 * i
        assert format_mgrs(south, 25.0)[2] == band
        if i:
            assert format_mgrs(south - 1e-7, 25.0)[2] == "CDEFGHJKLMNPQRSTUVWX"[i - 1]
        for lat in (south, south + 1e-7, south - 1e-7):
            assert metres(grid(format_mgrs(lat, 25.0)), (lat, 25.0)) < 0.75
    assert format_mgrs(83.9999999, 25.0)[2] == "X"  # band X is 12° tall


# --- the forms in the issue, case and spaces -------------------------------------------


def test_issue_forms() -> None:
    full = grid("36UXB2654541359")
    assert grid("36U XB 26545 41359") == full
    assert metres(full, (50.91, 34.80)) < 0.75
    ten = read_grid("36UXB 2654 4135")
    assert ten == GridReading(grid("36UXB26544135"), "MGRS", 10.0)
    assert metres(ten.point, full) < 10.0
    # The issue's UTM example is another point (easting 326545, about 300 km west);
    # 36UXB2654541359 is 36U 626545 5641359. All three UTM forms read alike.
    utm = [grid("36U 326545 5641359"), grid("36N 326545 5641359"), grid("36 N 326545E 5641359N")]
    assert utm[0] == utm[1] == utm[2]
    assert metres(utm[0], (50.8978, 30.5333)) < 20
    assert metres(grid("36U 626545 5641359"), full) < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "36uxb2654541359",
        "  36U   XB   26545   41359  ",
        "36U\tXB\u00a026545\u200941359",
        "36uXb 26545 41359",
        "MGRS 36UXB2654541359",
        "mgrs: 36U XB 26545 41359",
        "36UXB 2654541359",
        "36UXB26545 41359",
    ],
)
def test_case_and_spaces(text: str) -> None:
    assert grid(text) == grid("36UXB2654541359")


@pytest.mark.parametrize(
    "text",
    [
        "36u 626545 5641359",
        "36n 626545 5641359",
        "36 north 626545 5641359",
        "36NORTH 626545 5641359",
        "UTM 36U 626545 5641359",
        "36U 626545, 5641359",
        "36U 0626545 5641359",  # Garmin pads the easting to seven digits
        "36U 626545mE 5641359mN",
        "36 N 626545 E 5641359 N",
        "626545 5641359 36N",
    ],
)
def test_utm_forms(text: str) -> None:
    assert metres(grid(text), grid("36U 626545 5641359")) < 1e-6


def test_utm_decimals_and_precision() -> None:
    reading = read_grid("36U 626545.25 5641359.5")
    assert reading is not None and reading.system == "UTM" and reading.precision_m == 0.1
    assert read_grid("36U 626545 5641359") == GridReading(grid("36U 626545 5641359"), "UTM", 1.0)


# --- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "36UXB 26545 413",
            "MGRS '36UXB 26545 413': easting and northing need the same number of digits (got 5 and 3)",
        ),
        (
            "36UXB265454135",
            "MGRS '36UXB265454135': needs an even number of digits, half for the easting and half for the northing (got 9)",
        ),
        ("36UXB 265451234567 413591234567", "at most 11 digits each for easting and northing (1 µm), got 12"),
        (
            "36IXB 123 456",
            "MGRS '36IXB 123 456': the letter I is never used in MGRS (I and O are left out, like 1 and 0)",
        ),
        ("36UXO 123 456", "the letter O is never used in MGRS"),
        (
            "36AXB 123 456",
            "MGRS '36AXB 123 456': A is a polar (UPS) letter and takes no zone number: write AXB… without 36",
        ),
        ("00ZAH0000000000", "Z is a polar (UPS) letter and takes no zone number"),
        ("0UXB 123 456", "MGRS '0UXB 123 456': zone 0 does not exist: UTM zones are 1–60"),
        ("61UXB 123 456", "MGRS '61UXB 123 456': zone 61 does not exist: UTM zones are 1–60"),
        (
            "36UAB 123 456",
            "MGRS '36UAB 123 456': column letter A does not exist in zone 36: its 100 km columns are S–Z",
        ),
        ("36UXW 123 456", "MGRS '36UXW 123 456': row letter W does not exist: 100 km rows are A–V"),
        (
            "36TXB 123 456",
            "MGRS '36TXB 123 456': 100 km square XB does not exist in grid zone 36T (40°N–48°N, 30°E–36°E)",
        ),
        ("36USB 123 456", "100 km square SB does not exist in grid zone 36U (48°N–56°N, 30°E–36°E)"),
        (
            "36 626545 5641359",
            "UTM '36 626545 5641359': add the hemisphere or latitude band after the zone, e.g. '36N 626545 5641359' north of the equator",
        ),
        ("61N 626545 5641359", "UTM '61N 626545 5641359': zone 61 does not exist: UTM zones are 1–60"),
        ("0N 626545 5641359", "zone 0 does not exist"),
        (
            "36T 626545 5641359",
            "UTM '36T 626545 5641359': the point is at 50.91°N, in latitude band U, not T (40°N–48°N): check the band letter and the northing",
        ),
        ("36M 626545 5641359", "the point is at 39.37°S, in latitude band H, not M (8°S–0°)"),
        ("36N 1200000 5641359", "UTM '36N 1200000 5641359': easting 1,200,000 m is outside 0–1,000,000 m"),
        ("36N 626545 9700000", "northing 9,700,000 m is outside 0–9,600,000 m (UTM, north of the equator)"),
        ("36 south 626545 500000", "northing 500,000 m is outside 900,000–10,000,000 m (UTM, south of the equator)"),
        (
            "36A 626545 5641359",
            "A is a polar (UPS) letter; after a UTM zone write a latitude band C–X, or N or S for the hemisphere",
        ),
        ("36O 626545 5641359", "O is not a latitude band"),
        (
            "S 123456 654321",
            "UPS 'S 123456 654321': easting 123,456 m is outside 700,000–3,300,000 m (UPS, south pole)",
        ),
    ],
)
def test_error_messages(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_grid(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_s_after_a_zone_is_refused_when_it_could_be_either() -> None:
    # 38S is Baghdad as latitude band S (GPS receivers) and 57°S as the southern hemisphere
    # (GeoConvert's "38s"): the two readings are 10,000 km apart, so neither is guessed.
    with pytest.raises(InputError) as caught:
        parse_grid("38S 444141 3684706")
    message = str(caught.value)
    assert message.startswith(
        "UTM '38S 444141 3684706': S may be latitude band S (33.3°N 44.4°E) or the southern hemisphere (56.97"
    )
    assert message.endswith("write '38N 444141 3684706' for the north or '38 south 444141 3684706' for the south")
    assert metres(grid("38N 444141 3684706"), (33.3, 44.4)) < 1.0
    assert grid("38 south 444141 3684706").lat == pytest.approx(-56.9778, abs=1e-4)
    # GeoConvert writes the hemisphere in lower case: "19s 563967.423 3904751.292" is 55°S 68°W,
    # but its northing also fits band S (35°N), so it is refused too; "19south" is read.
    with pytest.raises(InputError, match="S may be latitude band S"):
        parse_grid("19s 563967.423 3904751.292")
    assert metres(grid("19south 563967.423 3904751.292"), (-55.0, -68.0)) < 0.01
    # Where band S cannot be meant, S is the southern hemisphere.
    assert grid("21S 500000 6000000").lat == pytest.approx(-36.1447, abs=1e-4)
    assert grid("31s 500000 9889470").lat == pytest.approx(-1.0, abs=1e-4)
    # format_utm never writes the ambiguous form.
    assert format_utm(33.3, 44.4) == "38N 444141 3684706"
    assert format_utm(-55.0, -68.0) == "19F 563967 3904751"


def test_format_arguments() -> None:
    for digits in (-1, 6, 2.0, True):
        with pytest.raises(InputError, match="MGRS digits must be a whole number from 0"):
            format_mgrs(50.0, 30.0, digits)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="latitude 95 is outside"):
        format_mgrs(95.0, 30.0)
    with pytest.raises(InputError, match="latitude must be a finite number"):
        format_utm(math.nan, 30.0)
    assert format_mgrs(50.91, 34.8 + 360.0) == format_mgrs(50.91, 34.8)
    with pytest.raises(InputError, match="expected a grid reference as text"):
        parse_grid(36)  # type: ignore[arg-type]


# --- it never steals latitude/longitude or place names ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "50.91, 34.80",
        "50.91 34.80",
        "50°54′36″N 34°48′E",
        "50 54 36 N 34 48 0 E",
        "N50 54.6 E34 48",
        "50,9 34,8",
        "-33.87 151.21",
        "50.9, 134.8, 3",
        "36 N 34 48 E",
        "36 S 34 48",
        "50N 30E",
        "50 N 30 E",
        "12 34 56 78",
        "Kharkiv",
        "Курск",
        "Bar",  # a town in Ukraine; also the letters of a polar square
        "BAN",
        "ZAH",
        "1 May",
        "25 de Mayo",
        "6 October City",
        "10 Downing Street",
        "36U",  # a grid zone alone is not a point
        "",
        "   ",
    ],
)
def test_not_a_grid_reference(text: str) -> None:
    assert parse_grid(text) is None
    assert read_grid(text) is None


def test_latlon_forms_still_read_by_parse_latlon() -> None:
    for text in ("50.91, 34.80", "50°54′36″N 34°48′E", "50 54 36 N 34 48 0 E", "N50 54.6 E34 48"):
        assert parse_grid(text) is None
        assert parse_latlon(text).lat == pytest.approx(50.91)


@given(latitudes, longitudes)
@settings(max_examples=300, deadline=None)
def test_formatted_latlon_is_never_a_grid_reference(lat: float, lon: float) -> None:
    for text in (
        format_latlon(lat, lon),
        format_latlon(lat, lon, 6),
        format_dms(lat, lon),
        f"{lat} {lon}",
        f"{lat}, {lon}",
    ):
        assert parse_grid(text) is None, text


# --- cost is linear in the input -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3" * 1_000_000,
        " " * 100_000 + "36UXB",
        "36UXB" + "1" * 35,
        "36U " + "1 " * 18,
        "36 N " + "1" * 8 + " " + "1" * 8 + "." + "1" * 6 + " " * 10,
        "1 " * 20,
        "1." * 20,
        ("36N 626545 5641359 " * 3)[:MAX_GRID_CHARS],
    ],
)
def test_long_and_adversarial_text_is_quick(text: str) -> None:
    start = time.perf_counter()
    with contextlib.suppress(InputError):
        parse_grid(text)
    assert time.perf_counter() - start < 0.05


def test_length_cap() -> None:
    padded = "36U XB 26545 41359"
    assert len(padded) < MAX_GRID_CHARS
    assert parse_grid("  " + "   ".join(padded.split()) + "  ") == grid(padded)  # extra spaces do not count
    assert parse_grid("36UXB 26545 41359" + " X" * 12) is None  # over 40 characters: not a reference


@pytest.mark.parametrize(
    ("lat", "lon", "digits"),
    [(-89.99999999999999, -1.0, 2), (89.99999999999999, -1.0, 1), (88.0, -180.0, 1), (-1e-15, 0.0, 0)],
)
def test_a_point_a_rounding_error_from_a_square_line_is_written_in_its_own_square(
    lat: float, lon: float, digits: int
) -> None:
    # Found by Hypothesis: a hair from the pole PyGeodesy wrote 'A ZN 00 00', a square 100 km away.
    test_mgrs_round_trip_at_every_precision.hypothesis.inner_test(lat, lon, digits)  # type: ignore[attr-defined]
