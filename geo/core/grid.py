"""MGRS and UTM/UPS grid references: reading them anywhere a coordinate is typed, and writing them.

Issue 12. Users paste military grid references (``36UXB2654541359``,
``36U XB 26545 41359``, ``36UXB 2654 4135``) or UTM coordinates
(``36U 626545 5641359``, ``36N 626545 5641359``, ``36 N 626545E 5641359N``)
where a latitude/longitude is accepted, and every launch point and target can
be read out in MGRS besides latitude and longitude.

The projections, the standard zone rules (the Norway exception 32V and the
Svalbard zones 31X, 33X, 35X, 37X) and the writing of MGRS references come
from PyGeodesy (pure Python, MIT; ``pygeodesy.utmups``, ``pygeodesy.mgrs``),
which transcodes Charles Karney's GeographicLib. Reading is done here, so that
a wrong reference gets a message that says what is wrong, and so that 100 km
squares that do not exist in the grid zone given are refused (PyGeodesy reads
``38NPE`` as a point at 17°N; GeographicLib refuses it).

Conventions
-----------
* An MGRS reference denotes a square; :func:`parse_grid` returns its
  **centre**, as GeographicLib's ``GeoConvert`` does by default (this makes
  reading and writing stable). The side of the square follows the digits:
  none is 100 km, 1+1 digits 10 km, 2+2 1 km, 3+3 100 m, 4+4 10 m, 5+5 1 m
  (up to 11+11, 1 µm, as GeographicLib allows).
* :func:`format_mgrs` truncates (never rounds) to the digits asked for, as
  MGRS requires, and writes the zone with two digits (``04Q``) as
  GeographicLib does; :func:`format_utm` rounds to the metre.
* The letter after a UTM zone is read as the MGRS latitude band (the NGA
  convention, and what GPS receivers show), except that ``N`` is also read as
  "northern hemisphere" and ``S`` as "southern hemisphere" where band S cannot
  be meant. When it could be either (``38S 444140 3684706`` is Baghdad as band
  S and 57°S as the southern hemisphere) the text is refused with both
  readings rather than guessed: the two are 10,000 km apart.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Final, NamedTuple

from pygeodesy.mgrs import Mgrs
from pygeodesy.ups import Ups
from pygeodesy.utm import Utm
from pygeodesy.utmups import toUtmUps8

from geo.core import geodesic
from geo.core.coords import EXPECTED_FORMS, MAX_COORD_CHARS, LatLon, check_latlon, normalize_lon, parse_latlon
from geo.errors import InputError

__all__ = [
    "EXPECTED_GRID_FORMS",
    "MAX_GRID_CHARS",
    "GridReading",
    "format_mgrs",
    "format_utm",
    "parse_coordinates",
    "parse_grid",
    "read_grid",
]

#: Longest text read as a grid reference, once runs of whitespace are single
#: spaces. The longest real form, UTM with decimals and suffixes
#: (``36 N 626545.123mE 5641359.123mN``), is 31 characters; longer text is
#: left to the latitude/longitude parser before any pattern runs on it.
MAX_GRID_CHARS: Final = 40

# Text longer than this is not even normalised (a pasted novel is not a grid reference).
_MAX_RAW_CHARS: Final = 1000

_BANDS: Final = "CDEFGHJKLMNPQRSTUVWX"  # 8° latitude bands from 80°S, X is 12° (72°N–84°N)
_UTM_COLS: Final = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")  # 100 km columns, by (zone - 1) % 3
_UTM_ROWS: Final = "ABCDEFGHJKLMNPQRSTUV"  # 100 km rows, repeating every 2,000 km
# Polar (UPS) letters: columns per band, and the 100 km index of the first one.
_UPS_COLS: Final = {"A": ("JKLPQRSTUXYZ", 8), "B": ("ABCFGHJKLPQR", 20), "Y": ("RSTUXYZ", 13), "Z": ("ABCFGHJ", 20)}
_UPS_ROWS: Final = {"S": ("ABCDEFGHJKLMNPQRSTUVWXYZ", 8), "N": ("ABCDEFGHJKLMNP", 13)}
_UPS_NAMES: Final = {"A": "south pole, west", "B": "south pole, east", "Y": "north pole, west", "Z": "north pole, east"}

# Longitude extent of a grid zone, relative to its central meridian, where it
# is not the usual ±3°: Norway (56°N–64°N) and Svalbard (72°N–84°N).
_ZONE_EXTENTS: Final = {
    (31, "V"): (-3.0, 0.0),
    (32, "V"): (-6.0, 3.0),
    (31, "X"): (-3.0, 6.0),
    (33, "X"): (-6.0, 6.0),
    (35, "X"): (-6.0, 6.0),
    (37, "X"): (-6.0, 3.0),
}
_NO_SUCH_ZONES: Final = frozenset({(32, "X"), (34, "X"), (36, "X")})

_TILE: Final = 100_000.0  # metres in a 100 km square
_UTM_SOUTH_FALSE_NORTHING: Final = 10_000_000.0
_EPS_DEG: Final = 1e-9  # overlap smaller than this (about 0.1 mm) does not count
_MAX_DIGITS: Final = 11  # per coordinate: 1 µm, GeographicLib's limit

# UTM/UPS ranges accepted when reading (GeographicLib's UTMUPS limits: the
# MGRS ranges widened by 100 km for the overlap between zones).
_UTM_EASTING: Final = (0.0, 1_000_000.0)
_UTM_NORTHING: Final = {True: (0.0, 9_600_000.0), False: (900_000.0, 10_000_000.0)}
_UPS_RANGE: Final = {True: (1_200_000.0, 2_800_000.0), False: (700_000.0, 3_300_000.0)}

# The patterns run on upper-case text of at most MAX_GRID_CHARS characters in
# which every run of whitespace is one space, so each optional space is " ?"
# and every repeat is bounded: matching is linear in the length of the text.
_LABEL = re.compile(r"(?:MGRS|UTM|UPS)(?: ?: ?| )")
# Zone and band are written together ("36U"): "1 May" or "25 de Mayo" are places, not references.
_MGRS_UTM = re.compile(r"([0-9]{1,2})([A-Z]) ?([A-Z])([A-Z])(?: ?([0-9]{1,24}))?(?: ([0-9]{1,24}))?")
# Polar references need digits, or a space for a bare 100 km square ("Z AH"):
# "BAR" or "ZUG" alone are more likely places.
_MGRS_UPS = re.compile(r"([ABYZ]) ?([A-Z])([A-Z]) ?([0-9]{1,24})(?: ([0-9]{1,24}))?")
_MGRS_UPS_SQUARE = re.compile(r"([ABYZ]) ([A-Z])([A-Z])")
_NUM = r"([0-9]{1,8})(\.[0-9]{1,6})?"
_UTM = re.compile(rf"([0-9]{{1,2}}) ?(NORTH|SOUTH|[A-Z])? {_NUM} ?(M?E)? {_NUM} ?(M?N)?")
_UPS = re.compile(rf"(NORTH|SOUTH|[NSABYZ]) {_NUM} ?(M?E)? {_NUM} ?(M?N)?")
# GeoConvert also reads the zone last: "444140.54 3684706.36 38n", "2173854.98 2985980.58 s".
_UTM_LAST = re.compile(rf"{_NUM} ?(M?E)? {_NUM} ?(M?N)? ([0-9]{{1,2}}) ?(NORTH|SOUTH|[A-Z])")
_UPS_LAST = re.compile(rf"{_NUM} ?(M?E)? {_NUM} ?(M?N)? (NORTH|SOUTH|[NSABYZ])")

_SEPARATORS: Final = str.maketrans({",": " ", ";": " "})  # "36U 626545, 5641359"


#: The grid forms named in an error message when text is read as no coordinate at all.
EXPECTED_GRID_FORMS: Final = (
    'MGRS such as "36UXB2654541359" or "36U XB 26545 41359", or UTM such as "36U 626545 5641359"'
)


class GridReading(NamedTuple):
    """A grid reference as read by :func:`read_grid`."""

    #: The point: the centre of the MGRS square, or the UTM/UPS point.
    point: LatLon
    #: ``"MGRS"``, ``"UTM"`` or ``"UPS"``.
    system: str
    #: Side of the MGRS square in metres (100,000 … 1e-6); for UTM/UPS the
    #: unit of the last digit given, the coarser of easting and northing
    #: (1.0 for whole metres).
    precision_m: float


def parse_grid(text: str) -> LatLon | None:
    """Read an MGRS reference or a UTM/UPS coordinate, or return None.

    None means the text does not look like a grid reference at all, so the
    caller goes on to latitude/longitude parsing and place names. Text that
    looks like one but is wrong raises :class:`~geo.errors.InputError` saying
    what is wrong. Case, extra spaces, commas and a leading ``MGRS``/``UTM``/
    ``UPS`` label are ignored.

    MGRS (``36UXB2654541359``, ``36U XB 26545 41359``, ``36UXB 2654 4135``,
    ``ZAH 00000 00000``; a bare 100 km square ``36UXB`` or ``Z AH``, the
    polar one with its space) denotes a square:
    the **centre** of the square is returned, its side set by the number of
    digits (see :func:`read_grid`). UTM is zone, latitude band or hemisphere,
    easting and northing in metres (``36U 626545 5641359``,
    ``36N 626545 5641359``, ``36 N 626545E 5641359N``, ``31s 500000 9889470``,
    or GeoConvert's ``626545 5641359 36n``); UPS is hemisphere, easting and
    northing (``UPS N 2000000 1555732``, ``s 2173854.98 2985980.58``).

    Raises
    ------
    InputError
        For a zone outside 1…60, a letter that does not exist there (I and O
        never do), a 100 km square that does not exist in the grid zone given,
        unequal or too many digits, an easting or northing out of range, a
        latitude band that does not hold the point, or a UTM ``S`` that could
        be band S or the southern hemisphere.

    Examples
    --------
    >>> print(parse_grid("36UXB2654541359"))
    50.9100, 34.8000
    >>> print(parse_grid("36u xb 26545 41359"))
    50.9100, 34.8000
    >>> print(parse_grid("36 N 626545E 5641359N"))
    50.9100, 34.8000
    >>> parse_grid("50.91, 34.80") is None
    True
    >>> parse_grid("36UXB 26545 413")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: MGRS '36UXB 26545 413': easting and northing need the same number of digits (got 5 and 3)
    """
    reading = read_grid(text)
    return None if reading is None else reading.point


def read_grid(text: str) -> GridReading | None:
    """Like :func:`parse_grid`, but also say which system and how precise.

    Examples
    --------
    >>> read_grid("36UXB 2654 4135")
    GridReading(point=LatLon(lat=50.909..., lon=34.799...), system='MGRS', precision_m=10.0)
    >>> read_grid("36UXB").precision_m
    100000.0
    >>> read_grid("UPS N 2000000 1555731.57").system
    'UPS'
    """
    if not isinstance(text, str):
        raise InputError(f"expected a grid reference as text, got {type(text).__name__}")
    if len(text) > _MAX_RAW_CHARS:
        return None
    shown = text.strip()
    s = " ".join(text.translate(_SEPARATORS).upper().split())
    if len(s) > MAX_GRID_CHARS or not s:
        return None
    if label := _LABEL.match(s):
        s = s[label.end() :]
    if m := _MGRS_UTM.fullmatch(s):
        return _read_mgrs_utm(shown, *m.groups())
    if m := _MGRS_UPS.fullmatch(s):
        return _read_mgrs_ups(shown, *m.groups())
    if m := _MGRS_UPS_SQUARE.fullmatch(s):
        band, col, row = m.groups()
        return _read_mgrs_ups(shown, band, col, row, None, None)
    if m := _UTM.fullmatch(s):
        zone, letter, e_int, e_dec, _, n_int, n_dec, _ = m.groups()
        return _maybe_utm(shown, zone, letter, e_int, e_dec, n_int, n_dec)
    if m := _UTM_LAST.fullmatch(s):
        e_int, e_dec, _, n_int, n_dec, _, zone, letter = m.groups()
        return _maybe_utm(shown, zone, letter, e_int, e_dec, n_int, n_dec)
    if m := _UPS.fullmatch(s):
        letter, e_int, e_dec, _, n_int, n_dec, _ = m.groups()
        return _maybe_ups(shown, letter, e_int, e_dec, n_int, n_dec)
    if m := _UPS_LAST.fullmatch(s):
        e_int, e_dec, _, n_int, n_dec, _, letter = m.groups()
        return _maybe_ups(shown, letter, e_int, e_dec, n_int, n_dec)
    return None


def parse_coordinates(text: str) -> LatLon:
    """Read a coordinate in any form the app accepts: MGRS, UTM/UPS, or latitude/longitude.

    This is the one reader behind every place a coordinate is typed or shared
    (the search box, the point list, the target, the share link's ``at`` and
    ``t`` values, the CLI's ``--at``). The length cap of
    :func:`geo.core.coords.parse_latlon` (:data:`~geo.core.coords.MAX_COORD_CHARS`)
    applies first, to every form; grid references are then capped again at
    :data:`MAX_GRID_CHARS` after whitespace is collapsed. Both readers are
    linear in the length of the text.

    Raises
    ------
    InputError
        A grid reference that is wrong says what is wrong with it; text that is
        neither form quotes the text and names the forms accepted.

    Examples
    --------
    >>> parse_coordinates("36UXB2654541359") == parse_grid("36UXB2654541359")
    True
    >>> parse_coordinates("50.91, 34.80")
    LatLon(lat=50.91, lon=34.8)
    >>> parse_coordinates("50.9, 134.8, 3")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: could not read coordinates from '50.9, 134.8, 3': expected latitude, longitude such as ..., or MGRS such as ...
    """
    if not isinstance(text, str):
        raise InputError(f"expected coordinates as text, got {type(text).__name__}")
    if len(text) > MAX_COORD_CHARS and len(text.strip()) > MAX_COORD_CHARS:
        return parse_latlon(text)  # refuses it with the length in the message, before any pattern runs
    grid = parse_grid(text)
    if grid is not None:
        return grid
    try:
        return parse_latlon(text)
    except InputError as exc:
        generic = f"could not read coordinates from {text!r}: expected latitude, longitude such as {EXPECTED_FORMS}"
        if str(exc) == generic:
            raise InputError(f"{generic}, or {EXPECTED_GRID_FORMS}") from None
        raise


@functools.lru_cache(maxsize=4096)  # exports write the same launch point on many rows
def format_mgrs(lat: float, lon: float, digits: int = 5, *, compact: bool = False) -> str:
    """Write a point as an MGRS reference: ``36U XB 26545 41359``.

    The standard grid zone is used (with the Norway and Svalbard exceptions),
    and UPS north of 84°N and south of 80°S (``Z AH 00000 00000``). Digits are
    truncated, so the reference names the square that holds the point.

    Parameters
    ----------
    digits : int
        Digits per coordinate, 0 (100 km square) to 5 (1 m).
    compact : bool
        Without spaces, ``36UXB2654541359`` (the form GeographicLib writes).

    Examples
    --------
    >>> format_mgrs(50.91, 34.8)
    '36U XB 26545 41359'
    >>> format_mgrs(50.91, 34.8, 3, compact=True)
    '36UXB265413'
    >>> format_mgrs(90.0, 0.0)
    'Z AH 00000 00000'
    >>> format_mgrs(60.0, 5.0, 0)
    '32V KM'
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 5:
        raise InputError(f"MGRS digits must be a whole number from 0 (100 km) to 5 (1 m), got {digits!r}")
    p = check_latlon(lat, lon)
    parts = _mgrs_parts(p.lat, normalize_lon(p.lon), digits)
    # A coordinate a rounding error short of a 100 km line (an easting of
    # 1,999,999.99999… a hair from a pole) can be written with the square on
    # the other side of the line, 100 km off (found by Hypothesis). The reference
    # is read back, and if it misses the point, written again from the point
    # rounded to 1e-9° (0.1 mm), which is clear of such lines.
    try:
        reading = read_grid("".join(parts))
    except InputError:  # a square that does not exist in the zone: the same rounding
        reading = None
    side = 10.0 ** (5 - digits)
    if reading is None or _distance_m(reading.point, p) > side * 1.5:
        parts = _mgrs_parts(round(p.lat, 9), normalize_lon(round(p.lon, 9)), digits)
    return ("" if compact else " ").join(parts)


def _mgrs_parts(lat: float, lon: float, digits: int) -> list[str]:
    mgrs: Mgrs = toUtmUps8(lat, lon).toMgrs()
    zone_band, square, easting, northing = (str(part) for part in mgrs.toStr(prec=digits - 5, sep=None))
    return [zone_band, square] + ([easting, northing] if digits else [])


def _distance_m(a: LatLon, b: LatLon) -> float:
    _, dist = geodesic.inverse(a.lat, a.lon, b.lat, b.lon)
    return float(dist)


def format_utm(lat: float, lon: float) -> str:
    """Write a point as UTM, or UPS near the poles, rounded to the metre.

    The letter after the zone is the MGRS latitude band, as GPS receivers show
    it, except that band S (32°N–40°N) is written ``N``: ``S`` would also read
    as the southern hemisphere. UPS is written ``UPS N`` or ``UPS S``.
    :func:`parse_grid` reads every form this writes.

    Examples
    --------
    >>> format_utm(50.91, 34.8)
    '36U 626545 5641360'
    >>> format_utm(33.3, 44.4)
    '38N 444141 3684706'
    >>> format_utm(-1.0, 3.0)
    '31M 500000 9889470'
    >>> format_utm(86.0, 0.0)
    'UPS N 2000000 1555732'
    """
    p = check_latlon(lat, lon)
    u = toUtmUps8(p.lat, normalize_lon(p.lon))
    easting, northing = round(float(u.easting)), round(float(u.northing))
    zone = int(u.zone)
    if zone == 0:
        return f"UPS {u.hemisphere} {easting} {northing}"
    band = str(u.band)
    if u.hemisphere == "S" and band >= "N":
        band = "M"  # a hair south of the equator: PyGeodesy names band N with a southern northing
    return f"{zone}{'N' if band == 'S' else band} {easting} {northing}"


# --- reading ---------------------------------------------------------------


def _deg(value: float, pos: str, neg: str) -> str:
    hemi = pos if value > 0 else neg if value < 0 else ""
    return f"{abs(value):g}°{hemi}"


def _band_lats(band: str) -> tuple[float, float]:
    south = -80.0 + 8.0 * _BANDS.index(band)
    return south, (84.0 if band == "X" else south + 8.0)


def _zone_extent(zone: int, band: str) -> tuple[float, float]:
    return _ZONE_EXTENTS.get((zone, band), (-3.0, 3.0))


def _central_meridian(zone: int) -> float:
    return 6.0 * zone - 183.0


def _gzd_text(zone: int, band: str) -> str:
    south, north = _band_lats(band)
    west, east = (_central_meridian(zone) + d for d in _zone_extent(zone, band))
    return f"{_deg(south, 'N', 'S')}–{_deg(north, 'N', 'S')}, {_deg(west, 'E', 'W')}–{_deg(east, 'E', 'W')}"


def _utm_latlon(zone: int, north: bool, x: float, y: float) -> tuple[float, float]:
    """Latitude and longitude of a UTM point; ``y`` is signed (negative south of the equator)."""
    northing = y if north else y + _UTM_SOUTH_FALSE_NORTHING
    # Naming a band skips PyGeodesy's check that the point is inside 80°S–84°N,
    # which would refuse the corners of squares that straddle 84°N.
    u = Utm(zone, "N" if north else "S", x, northing, band="X" if north else "C")
    ll = u.toLatLon()
    return float(ll.lat), float(ll.lon)


def _ups_latlon(band: str, x: float, y: float) -> tuple[float, float]:
    ll = Ups(0, "N" if band in "YZ" else "S", x, y, band=band).toLatLon()
    return float(ll.lat), float(ll.lon)


@functools.lru_cache(maxsize=4096)
def _utm_square_ranges(zone: int, north: bool, col: int, row: int) -> tuple[float, float, float, float]:
    """Latitude range and longitude range (from the central meridian) of a 100 km square.

    ``col`` and ``row`` are the square's easting and signed northing in 100 km.
    No square straddles the central meridian or the equator (both lie on
    multiples of 100 km), so along each side latitude and longitude change
    monotonically and the extremes are at the corners.
    """
    cm = _central_meridian(zone)
    lats, dlons = [], []
    for dx in (0, 1):
        for dy in (0, 1):
            lat, lon = _utm_latlon(zone, north, (col + dx) * _TILE, (row + dy) * _TILE)
            lats.append(lat)
            dlons.append((lon - cm + 180.0) % 360.0 - 180.0)
    return min(lats), max(lats), min(dlons), max(dlons)


@functools.lru_cache(maxsize=1024)
def _ups_square_lats(band: str, col: int, row: int) -> tuple[float, float]:
    """Latitude range of a polar 100 km square (the pole is never inside one)."""
    lats = [_ups_latlon(band, (col + dx) * _TILE, (row + dy) * _TILE)[0] for dx in (0, 1) for dy in (0, 1)]
    return min(lats), max(lats)


def _overlaps(lo: float, hi: float, south: float, north: float) -> bool:
    return hi > south + _EPS_DEG and lo < north - _EPS_DEG


def _square_of(north: bool, x: float, y: float) -> tuple[int, int]:
    """The 100 km square holding a UTM point (``y`` signed); the equator belongs to both hemispheres' squares."""
    row = math.floor(y / _TILE) if north else math.ceil(y / _TILE) - 1
    return math.floor(x / _TILE), row


def _square_in_band(zone: int, band: str, col: int, row: int) -> bool:
    """True when some of the 100 km square lies in the latitude band (GeographicLib's rule)."""
    lat_lo, lat_hi, _, _ = _utm_square_ranges(zone, band >= "N", col, row)
    return _overlaps(lat_lo, lat_hi, *_band_lats(band))


def _square_in_gzd(zone: int, band: str, col: int, row: int) -> bool:
    """True when some of the 100 km square lies in the grid zone: its band and its longitudes."""
    lat_lo, lat_hi, dlon_lo, dlon_hi = _utm_square_ranges(zone, band >= "N", col, row)
    return _overlaps(lat_lo, lat_hi, *_band_lats(band)) and _overlaps(dlon_lo, dlon_hi, *_zone_extent(zone, band))


#: Makes the error for one text: "MGRS '36UXO': the letter O is never used…".
_Fail = Callable[[str], InputError]


def _split_digits(fail: _Fail, first: str | None, second: str | None) -> tuple[str, str]:
    if first is None:
        return "", ""
    if second is None:
        if len(first) % 2:
            raise fail(
                f"needs an even number of digits, half for the easting and half for the northing (got {len(first)})"
            )
        half = len(first) // 2
        first, second = first[:half], first[half:]
    elif len(first) != len(second):
        raise fail(f"easting and northing need the same number of digits (got {len(first)} and {len(second)})")
    if len(first) > _MAX_DIGITS:
        raise fail(f"at most {_MAX_DIGITS} digits each for easting and northing (1 µm), got {len(first)}")
    return first, second


def _failure(system: str, text: str) -> _Fail:
    def fail(message: str) -> InputError:
        return InputError(f"{system} {text!r}: {message}")

    return fail


def _no_i_or_o(fail: _Fail, letters: str) -> None:
    for letter in letters:
        if letter in "IO":
            raise fail(f"the letter {letter} is never used in MGRS (I and O are left out, like 1 and 0)")


def _read_mgrs_utm(
    text: str, zone_s: str, band: str, col_l: str, row_l: str, first: str | None, second: str | None
) -> GridReading:
    fail = _failure("MGRS", text)
    zone = int(zone_s)
    if band in "ABYZ":
        raise fail(
            f"{band} is a polar (UPS) letter and takes no zone number: write {band}{col_l}{row_l}… without {zone_s}"
        )
    if not 1 <= zone <= 60:
        raise fail(
            f"zone {zone} does not exist: UTM zones are 1–60 (polar references have no zone, e.g. ZAH 00000 00000)"
        )
    _no_i_or_o(fail, band + col_l + row_l)
    if (zone, band) in _NO_SUCH_ZONES:
        raise fail(
            f"grid zone {zone}{band} does not exist: around Svalbard (72°N–84°N, 0°–42°E) "
            "the zones are 31X, 33X, 35X and 37X"
        )
    cols = _UTM_COLS[(zone - 1) % 3]
    if col_l not in cols:
        raise fail(f"column letter {col_l} does not exist in zone {zone}: its 100 km columns are {cols[0]}–{cols[-1]}")
    if row_l not in _UTM_ROWS:
        raise fail(f"row letter {row_l} does not exist: 100 km rows are A–V")
    e_digits, n_digits = _split_digits(fail, first, second)

    col = cols.index(col_l) + 1  # columns start at easting 100 km
    cycle = (_UTM_ROWS.index(row_l) - (5 if zone % 2 == 0 else 0)) % 20  # even zones start at F
    north = band >= "N"
    south_lat, north_lat = _band_lats(band)
    # Row letters repeat every 2,000 km (about 18°): keep the cycle that
    # reaches into the band (rows are about 0.9° of latitude).
    rows = [
        row
        for row in (range(0, 95) if north else range(-90, 0))
        if row % 20 == cycle and south_lat - 5.0 <= (row + 0.5) * 0.9 <= north_lat + 5.0
    ]
    rows = [row for row in rows if _square_in_gzd(zone, band, col, row)]
    if len(rows) != 1:
        raise fail(f"100 km square {col_l}{row_l} does not exist in grid zone {zone}{band} ({_gzd_text(zone, band)})")
    unit = 10.0 ** (5 - len(e_digits))
    x = col * _TILE + int(e_digits or 0) * unit + unit / 2
    y = rows[0] * _TILE + int(n_digits or 0) * unit + unit / 2
    return GridReading(check_latlon(*_utm_latlon(zone, north, x, y)), "MGRS", unit)


def _read_mgrs_ups(text: str, band: str, col_l: str, row_l: str, first: str | None, second: str | None) -> GridReading:
    fail = _failure("MGRS", text)
    _no_i_or_o(fail, col_l + row_l)
    north = band in "YZ"
    cols, col0 = _UPS_COLS[band]
    rows, row0 = _UPS_ROWS["N" if north else "S"]
    where = f"polar zone {band} ({_UPS_NAMES[band]})"
    if col_l not in cols:
        raise fail(f"column letter {col_l} does not exist in {where}: its columns are {', '.join(cols)}")
    if row_l not in rows:
        raise fail(f"row letter {row_l} does not exist in {where}: its rows are {rows[0]}–{rows[-1]}")
    e_digits, n_digits = _split_digits(fail, first, second)
    col, row = col0 + cols.index(col_l), row0 + rows.index(row_l)
    lat_lo, lat_hi = _ups_square_lats(band, col, row)
    if not (lat_hi > 84.0 + _EPS_DEG if north else lat_lo < -80.0 - _EPS_DEG):
        cap = "north of 84°N" if north else "south of 80°S"
        raise fail(f"100 km square {col_l}{row_l} does not exist in {where}: none of it is in the polar cap {cap}")
    unit = 10.0 ** (5 - len(e_digits))
    x = col * _TILE + int(e_digits or 0) * unit + unit / 2
    y = row * _TILE + int(n_digits or 0) * unit + unit / 2
    return GridReading(check_latlon(*_ups_latlon(band, x, y)), "MGRS", unit)


def _metres(integer: str, decimals: str | None) -> tuple[float, float]:
    """The value and the unit of its last digit."""
    return float(integer + (decimals or "")), 10.0 ** -(len(decimals) - 1) if decimals else 1.0


def _band_of(lat: float) -> str:
    if not -80.0 <= lat <= 84.0:
        return "none (outside 80°S–84°N)"
    return _BANDS[min(int((lat + 80.0) // 8), len(_BANDS) - 1)]


def _maybe_utm(
    text: str, zone: str, letter: str | None, e_int: str, e_dec: str | None, n_int: str, n_dec: str | None
) -> GridReading | None:
    # Only metre-sized numbers make UTM: "36 S 34 48" is not a grid reference.
    big = [len(e_int) >= 5, len(n_int) >= 5]
    if (letter and any(big)) or all(big):
        return _read_utm(text, zone, letter, e_int, e_dec, n_int, n_dec)
    return None


def _maybe_ups(
    text: str, letter: str, e_int: str, e_dec: str | None, n_int: str, n_dec: str | None
) -> GridReading | None:
    # UPS eastings and northings are 700,000 m to 3,300,000 m: six or seven digits.
    if len(e_int) >= 6 and len(n_int) >= 6:
        return _read_ups(text, letter, e_int, e_dec, n_int, n_dec)
    return None


def _read_utm(
    text: str, zone_s: str, letter: str | None, e_int: str, e_dec: str | None, n_int: str, n_dec: str | None
) -> GridReading:
    fail = _failure("UTM", text)
    zone = int(zone_s)
    easting, e_unit = _metres(e_int, e_dec)
    northing, n_unit = _metres(n_int, n_dec)
    numbers = f"{e_int}{e_dec or ''} {n_int}{n_dec or ''}"
    if not 1 <= zone <= 60:
        raise fail(
            f"zone {zone} does not exist: UTM zones are 1–60 (near the poles use UPS, e.g. UPS N 2000000 2000000)"
        )
    if letter is None:
        raise fail(f"add the hemisphere or latitude band after the zone, e.g. '{zone}N {numbers}' north of the equator")
    if letter in ("A", "B", "Y", "Z"):
        raise fail(
            f"{letter} is a polar (UPS) letter; after a UTM zone write a latitude band C–X, or N or S for the hemisphere"
        )
    if letter in ("I", "O"):
        raise fail(f"{letter} is not a latitude band (bands are C–X without I and O), nor N or S")
    if not _UTM_EASTING[0] <= easting <= _UTM_EASTING[1]:
        raise fail(f"easting {easting:,.0f} m is outside 0–1,000,000 m")

    band: str | None = None  # the latitude band to check, when one was given
    if letter in ("N", "NORTH"):
        north = True
    elif letter == "SOUTH":
        north = False
    elif letter == "S":
        north = False
        lo, hi = _UTM_NORTHING[True]
        if lo <= northing <= hi and _square_in_band(zone, "S", *_square_of(True, easting, northing)):
            as_band = _utm_latlon(zone, True, easting, northing)
            as_south = _utm_latlon(zone, False, easting, northing - _UTM_SOUTH_FALSE_NORTHING)
            raise fail(
                f"S may be latitude band S ({_deg(as_band[0], 'N', 'S')} {_deg(as_band[1], 'E', 'W')}) "
                f"or the southern hemisphere ({_deg(as_south[0], 'N', 'S')} {_deg(as_south[1], 'E', 'W')}): "
                f"write '{zone}N {numbers}' for the north "
                f"or '{zone} south {numbers}' for the south"
            )
    else:
        band = letter
        north = band >= "N"
    lo, hi = _UTM_NORTHING[north]
    if not lo <= northing <= hi:
        hemi = "north" if north else "south"
        raise fail(f"northing {northing:,.0f} m is outside {lo:,.0f}–{hi:,.0f} m (UTM, {hemi} of the equator)")
    y = northing if north else northing - _UTM_SOUTH_FALSE_NORTHING
    lat, lon = _utm_latlon(zone, north, easting, y)
    if band is not None and not _square_in_band(zone, band, *_square_of(north, easting, y)):
        south_lat, north_lat = _band_lats(band)
        raise fail(
            f"the point is at {_deg(round(lat, 2), 'N', 'S')}, in latitude band {_band_of(lat)}, "
            f"not {band} ({_deg(south_lat, 'N', 'S')}–{_deg(north_lat, 'N', 'S')}): check the band letter and the northing"
        )
    return GridReading(check_latlon(lat, lon), "UTM", max(e_unit, n_unit))


def _read_ups(text: str, letter: str, e_int: str, e_dec: str | None, n_int: str, n_dec: str | None) -> GridReading:
    fail = _failure("UPS", text)
    easting, e_unit = _metres(e_int, e_dec)
    northing, n_unit = _metres(n_int, n_dec)
    north = letter in ("N", "NORTH", "Y", "Z")
    lo, hi = _UPS_RANGE[north]
    pole = "north" if north else "south"
    for name, value in (("easting", easting), ("northing", northing)):
        if not lo <= value <= hi:
            raise fail(f"{name} {value:,.0f} m is outside {lo:,.0f}–{hi:,.0f} m (UPS, {pole} pole)")
    if (letter in ("A", "Y") and easting >= 2_000_000.0) or (letter in ("B", "Z") and easting < 2_000_000.0):
        side = "western half, eastings below" if letter in "AY" else "eastern half, eastings from"
        raise fail(f"polar zone {letter} is the {side} 2,000,000 m")
    band = letter if letter in ("A", "B", "Y", "Z") else ("Z" if north else "B")
    return GridReading(check_latlon(*_ups_latlon(band, easting, northing)), "UPS", max(e_unit, n_unit))
