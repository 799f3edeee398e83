"""Launch-point coordinates: a typed value, validation and parsing.

Inside ``geo`` the order is always latitude, longitude. GeoJSON, shapely and
pyproj use (lon, lat); the conversion happens at those edges only.
"""

from __future__ import annotations

import math
import re
from typing import Final, NamedTuple

from geo.errors import InputError


class LatLon(NamedTuple):
    """A point on the WGS84 ellipsoid, in degrees, latitude first."""

    lat: float
    lon: float

    def __str__(self) -> str:
        return format_latlon(self.lat, self.lon)


def normalize_lon(lon_deg: float) -> float:
    """Bring a longitude into [-180, 180).

    Examples
    --------
    >>> normalize_lon(190.0)
    -170.0
    >>> normalize_lon(-180.0)
    -180.0
    >>> normalize_lon(180.0)
    -180.0
    """
    if -180.0 <= lon_deg < 180.0:
        return lon_deg  # untouched: the modulo below would add rounding noise
    return (lon_deg + 180.0) % 360.0 - 180.0


def check_latlon(lat: float, lon: float) -> LatLon:
    """Validate a latitude/longitude pair in degrees and normalise the longitude.

    Raises
    ------
    InputError
        For NaN or infinite values, or a latitude outside -90…90 (with a hint
        that latitude and longitude may be swapped when that would fit).

    Examples
    --------
    >>> check_latlon(50.9, -325.2)
    LatLon(lat=50.9, lon=34.8...)
    >>> check_latlon(95.0, 50.0)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: latitude 95 is outside -90…90 (lat/lon swapped? 50, 95 would be valid)
    """
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InputError(f"expected numbers for latitude and longitude, got {lat!r}, {lon!r}") from None
    if not math.isfinite(lat_f):
        raise InputError(f"latitude must be a finite number, got {lat_f}")
    if not math.isfinite(lon_f):
        raise InputError(f"longitude must be a finite number, got {lon_f}")
    if not -90.0 <= lat_f <= 90.0:
        hint = ""
        if -90.0 <= lon_f <= 90.0 and -180.0 <= lat_f <= 180.0:
            hint = f" (lat/lon swapped? {lon_f:g}, {lat_f:g} would be valid)"
        raise InputError(f"latitude {lat_f:g} is outside -90…90{hint}")
    lon_n = normalize_lon(lon_f)
    # Keep a literal 180 as 180: it is the same meridian and reads better.
    if lon_f == 180.0:
        lon_n = 180.0
    return LatLon(lat_f, lon_n)


#: Decimal places a scenario keeps for coordinates (1e-5° is at most 1.1 m):
#: what the share link writes, so that a scenario and its link agree exactly.
COORD_DECIMALS: Final = 5


def round_coord(value: float) -> float:
    """A coordinate at :data:`COORD_DECIMALS` places (and never -0.0).

    Examples
    --------
    >>> round_coord(50.912345678), round_coord(-0.000001)
    (50.91235, 0.0)
    """
    return round(float(value), COORD_DECIMALS) + 0.0


def compact_latlon(lat: float, lon: float) -> str:
    """``lat,lon`` as a share link writes it: at most :data:`COORD_DECIMALS` places, no trailing zeros.

    Examples
    --------
    >>> compact_latlon(50.91, 34.8)
    '50.91,34.8'
    >>> compact_latlon(-0.000001, 180.0)
    '0,180'
    """

    def one(value: float) -> str:
        text = f"{round_coord(value):.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    return f"{one(lat)},{one(lon)}"


def format_latlon(lat: float, lon: float, digits: int = 4) -> str:
    """Format as ``50.9000, 34.8000`` (the form :func:`parse_latlon` reads back).

    Examples
    --------
    >>> format_latlon(50.9, -3.25, 2)
    '50.90, -3.25'
    """
    return f"{lat:.{digits}f}, {lon:.{digits}f}"


def format_dms(lat: float, lon: float) -> str:
    """Format as degrees, minutes, seconds with hemispheres.

    Examples
    --------
    >>> format_dms(50.91, 34.8)
    '50°54′36″N 34°48′00″E'
    """

    def part(value: float, pos: str, neg: str) -> str:
        total = round(abs(value) * 3600)
        d, rem = divmod(total, 3600)
        m, s = divmod(rem, 60)
        return f"{d}°{m:02d}′{s:02d}″{pos if value >= 0 else neg}"

    return f"{part(lat, 'N', 'S')} {part(lon, 'E', 'W')}"


_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
_SIGNED = re.compile(rf"^[-+−]?(?:{_NUMBER})$")
_HEMI = re.compile(r"[NSEW]")
# Normalise the many glyphs people paste for degree, minute and second marks.
_GLYPHS = str.maketrans(
    {
        "′": "'",
        "’": "'",
        "‘": "'",
        "´": "'",
        "″": '"',
        "”": '"',
        "“": '"',
        "º": "°",
        "˚": "°",
        "−": "-",
        "\u00a0": " ",
    }
)

#: Longest coordinate text read. The longest real form, seconds to three
#: decimals with marks, hemispheres and spaces ("50° 54′ 36.123″ N, 34° 48′
#: 00.456″ E"), is 38 characters; longer text is refused before any parsing,
#: so no value can make the parser work for long (issue 13).
MAX_COORD_CHARS: Final = 100

# The patterns below run on text whose whitespace has been collapsed to single
# spaces (see parse_latlon), so each optional space is " ?", never "\s*": no two
# unbounded quantifiers stand next to each other, and matching is linear in
# the length of the text. (With "\s*°?\s*" and "\s+" side by side, 600 spaces
# took 158 s to fail.)
_DECIMAL_COMMA_PART = r"[NSEW]? ?[-+]?\d+,\d+ ?°? ?[NSEW]?"
# "50,9 34,8", "50,9°N 34,8°E", "N50,9 E34,8": decimal commas, space-separated.
_DECIMAL_COMMAS = re.compile(rf"^{_DECIMAL_COMMA_PART} {_DECIMAL_COMMA_PART}$")
_DEGREE_MARK = re.compile(rf"([-+]?) ?({_NUMBER}) ?° ?(?:({_NUMBER}) ?' ?)?(?:({_NUMBER}) ?\" ?)?")
EXPECTED_FORMS = '"50.91, 34.80", "50.91 34.80", "50°54′36″N 34°48′E" or "50 54 36 N 34 48 0 E"'


def _dms_to_deg(numbers: list[str], text: str) -> float:
    if not 1 <= len(numbers) <= 3:
        raise ValueError
    values = [float(n) for n in numbers]
    for extra in values[1:]:
        if extra >= 60:
            raise InputError(f"could not read coordinates from {text!r}: minutes and seconds must be below 60")
    deg = values[0]
    if len(values) > 1 and deg != int(deg):
        raise ValueError
    return deg + sum(v / 60.0**i for i, v in enumerate(values[1:], start=1))


def _parse_hemisphere_form(s: str, text: str) -> tuple[float, float]:
    letters = list(_HEMI.finditer(s))
    if len(letters) != 2:
        raise ValueError
    prefix = s.lstrip().startswith(tuple("NSEW"))
    if prefix:
        chunks = [
            (letters[0].group(), s[letters[0].end() : letters[1].start()]),
            (letters[1].group(), s[letters[1].end() :]),
        ]
    else:
        chunks = [
            (letters[0].group(), s[: letters[0].start()]),
            (letters[1].group(), s[letters[0].end() : letters[1].start()]),
        ]
        if s[letters[1].end() :].strip():
            raise ValueError
    lat = lon = None
    for hemi, chunk in chunks:
        if re.search(r"\d,\d", chunk):
            raise ValueError  # "50,9N, 34,8E": a decimal comma, not degrees and minutes
        if "-" in chunk or "+" in chunk:
            raise InputError(f"could not read coordinates from {text!r}: use either a sign or N/S/E/W, not both")
        value = _dms_to_deg(re.findall(_NUMBER, chunk), text)
        if hemi in "NS":
            if lat is not None:
                raise ValueError
            lat = -value if hemi == "S" else value
        else:
            if lon is not None:
                raise ValueError
            lon = -value if hemi == "W" else value
    if lat is None or lon is None:
        raise ValueError
    return lat, lon


def _parse_degree_marks(s: str, text: str) -> tuple[float, float]:
    parts = _DEGREE_MARK.findall(s)
    rest = _DEGREE_MARK.sub("", s)
    if len(parts) != 2 or rest.strip(" ,;"):
        raise ValueError
    out = []
    for sign, *nums in parts:
        value = _dms_to_deg([n for n in nums if n], text)
        out.append(-value if sign == "-" else value)
    return out[0], out[1]


def _parse_plain(s: str) -> tuple[float, float]:
    tokens = [t for t in re.split(r"[,;\s]+", s.strip()) if t]
    if not tokens or not all(_SIGNED.match(t) for t in tokens):
        raise ValueError
    if len(tokens) == 2:
        return float(tokens[0]), float(tokens[1])
    # Unmarked degree-minute groups ("50 54 34 48") are ambiguous: refuse them.
    raise ValueError


def parse_latlon(text: str) -> LatLon:
    """Read a latitude/longitude pair from the forms people paste.

    Accepted: decimal degrees separated by a comma, semicolon or space
    (``50.91, 34.80``, ``-33.87 151.21``); degrees, minutes and seconds with
    marks and/or hemisphere letters, in either order (``50°54′36″N 34°48′E``,
    ``50 54 36 N 34 48 0 E``, ``N50 54.6 E34 48``). geopy's ``Point`` is not
    used here because it silently misreads the space-separated DMS form
    (``50 54 36 N 34 48 0 E`` becomes 48, 0).

    Raises
    ------
    InputError
        Quoting the text that could not be read, or from :func:`check_latlon`.

    Examples
    --------
    >>> print(parse_latlon("50°54′36″N 34°48′E"))
    50.9100, 34.8000
    >>> print(parse_latlon("50 54 36 N 34 48 0 E"))
    50.9100, 34.8000
    >>> parse_latlon("-33.87 151.21")
    LatLon(lat=-33.87, lon=151.21)
    >>> parse_latlon("50.9, 134.8, 3")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: could not read coordinates from '50.9, 134.8, 3': expected latitude, longitude such as ...
    """
    if not isinstance(text, str):
        raise InputError(f"expected coordinates as text, got {type(text).__name__}")
    if len(text) > MAX_COORD_CHARS and len(stripped := text.strip()) > MAX_COORD_CHARS:
        raise InputError(
            f"could not read coordinates from {stripped[:24]!r}… ({len(stripped):,} characters): "
            f"coordinates are at most {MAX_COORD_CHARS} characters"
        )
    # Every run of whitespace (any kind: tabs, no-break and ideographic spaces)
    # becomes one space, so the patterns never backtrack over long runs.
    s = " ".join(text.translate(_GLYPHS).upper().split())
    s = s.replace("''", '"')
    if _DECIMAL_COMMAS.match(s):  # decimal commas, as typed in much of Europe
        s = s.replace(",", ".")
    try:
        if not s:
            raise ValueError
        if _HEMI.search(s):
            lat, lon = _parse_hemisphere_form(s, text)
        elif "°" in s:
            lat, lon = _parse_degree_marks(s, text)
        else:
            lat, lon = _parse_plain(s)
    except InputError:
        raise
    except ValueError:
        raise InputError(
            f"could not read coordinates from {text!r}: expected latitude, longitude such as {EXPECTED_FORMS}"
        ) from None
    return check_latlon(lat, lon)
