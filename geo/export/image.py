"""Print-ready map images (PNG, SVG) drawn with matplotlib, with no browser.

:func:`render_image` draws the scenario as a still map a newsroom can publish:
country borders, the coverage of each system (filled, with a solid outline in
the system's colour), the launch points, a key, a scale bar, a title and a
footer with the sources and credits.

Projection
    Azimuthal equidistant, centred on the launch area (:func:`projection_for`),
    through PROJ's ellipsoidal ``aeqd`` (``+proj=aeqd +lat_0 +lon_0`` on
    WGS84). It maps every point at its true geodesic distance and azimuth from
    the centre, so a range ring around the centre is drawn as a true circle at
    its true radius; rings around other launch points nearby stay close to it.
    Scale is exact along every line through the centre; across them it grows
    by ``σ / sin σ`` (0.4 % at 1,000 km, 3.8 % at 3,000 km from the centre).
    Geometries are densified along their geodesic edges (every
    :data:`DENSIFY_KM` at most) before they are projected, so long edges curve
    as they should. Longitudes may be unwrapped
    (e.g. 110°…239°): PROJ reduces ``lon - lon_0`` itself, so a ring across
    the antimeridian projects in one piece.

Text
    matplotlib text is not HTML, but it does read ``$…$`` as mathtext: every
    text is drawn with ``parse_math=False`` and ``usetex=False``, so user
    labels show exactly as typed. SVG keeps text as ``<text>`` elements
    (``svg.fonttype = "none"``), escaped as XML, editable in a drawing program.

Scripts
    Each character takes the first font of :data:`FONT_FALLBACKS` installed
    here that has it (:func:`font_families`; matplotlib ≥ 3.6 falls back
    along the family list). DejaVu Sans, shipped with matplotlib, covers
    Latin, Greek, Cyrillic, Arabic and Hebrew; Chinese, Japanese and Korean
    need a system font (Debian: ``fonts-wqy-microhei``, 5 MB, which CI
    installs; or ``fonts-noto-cjk``). Without one those characters show as
    boxes and matplotlib warns, nothing fails. matplotlib 3.11 lays text out
    with libraqm (HarfBuzz shaping, FriBiDi reordering), so Arabic letters
    join and right-to-left runs read right to left; python-bidi is not
    needed. What libraqm cannot know is where a name ends: in
    ``نظام: 400 km`` the bidi algorithm takes the colon and the number into
    the Arabic run and draws ``400 :نظام km``. Every user text is therefore
    wrapped in a first-strong isolate (U+2068 … U+2069, :func:`_isolate`),
    which libraqm and SVG viewers both honour.

Sizes
    Screen sizes are pixels at :data:`DPI` (100) pixels per inch, text scaled
    with the shorter side. Print sizes (:data:`PRINT_SIZES`: ``column``
    8.5 cm, ``page`` 17 cm, ``a4`` A4 landscape) are millimetres at 300 dpi
    with type sizes set in points (:class:`TypeSizes`); their PNG records its
    dpi, their SVG its size in millimetres. Lines of text are measured with
    unhinted glyph advances (what SVG viewers lay out) and wrapped to
    :data:`TEXT_FIT` of the room, so the longest line keeps its margin in
    other renderers (rsvg drew the footer 0.8 % wider than that measure).

Output is deterministic for the same input and library versions: the SVG has
no date and a fixed ``svg.hashsalt``; the PNG carries no timestamp.

Only the Agg and SVG canvases are used (``matplotlib.figure.Figure``, never
``pyplot``): no global figure state, safe in a server.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Final, Literal
from xml.sax.saxutils import escape as xml_escape

import matplotlib
import numpy as np
import shapely
import shapely.errors
import shapely.ops
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.typing import RcKeyType
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from shapely import STRtree
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.analysis.analyse import Analysis, analyse
from geo.analysis.caption import Caption, caption_for
from geo.analysis.coverage import coverage_unwrapped
from geo.analysis.labels import Box, lift_boxes, ring_labels
from geo.core import geodesic
from geo.core.antimeridian import seam_free_lines
from geo.core.buffer import densify_geodesic
from geo.core.coords import LatLon, check_latlon, normalize_lon
from geo.core.edges import densify_edges
from geo.core.grid import format_mgrs
from geo.core.rings import MAX_RANGE_KM, range_ring
from geo.core.text import clean_text, shorten
from geo.core.units import check_unit, format_distance, km_to, to_km
from geo.datasets.catalog import citation
from geo.errors import InputError
from geo.scenario.model import LaunchPoint, Scenario, System
from geo.scenario.palette import REVERSE_COLOR, check_hex_color, color_for
from geo.scenario.zones import Zone

__all__ = [
    "ARTICLE_SIZE",
    "DENSIFY_KM",
    "DPI",
    "FONT_FALLBACKS",
    "PRINT_DPI",
    "PRINT_SIZES",
    "SQUARE_SIZE",
    "TEXT_FIT",
    "ImageFormat",
    "MapProjection",
    "PrintSize",
    "TypeSizes",
    "font_families",
    "image_format_for",
    "parse_image_size",
    "projected_coverage",
    "projection_for",
    "render_image",
    "view_extent",
]

ImageFormat = Literal["png", "svg"]

#: Pixels per inch of the figure: sizes are given in pixels, figsize follows.
DPI: Final = 100
#: Landscape, for an article body.
ARTICLE_SIZE: Final = (1600, 1000)
#: Square, for social media.
SQUARE_SIZE: Final = (1080, 1080)
_MIN_SIDE_PX: Final = 400
_MAX_SIDE_PX: Final = 8000

#: Dots per inch of the print sizes.
PRINT_DPI: Final = 300


@dataclass(frozen=True)
class TypeSizes:
    """Type sizes in points: as printed for a print size, at :data:`DPI` for a screen size."""

    title: float
    subtitle: float
    key: float
    label: float
    place: float
    scale: float
    footer: float

    @classmethod
    def scaled(cls, s: float) -> TypeSizes:
        """The screen sizes: 25 pt titles … 9.5 pt footers at :data:`DPI` for a 1,000-pixel side, times ``s``."""
        return cls(25.0 * s, 14.5 * s, 12.5 * s, 11.0 * s, 9.5 * s, 10.0 * s, 9.5 * s)


@dataclass(frozen=True)
class PrintSize:
    """A printed size: millimetres at :data:`PRINT_DPI`, with its type sizes in points.

    Examples
    --------
    >>> PRINT_SIZES["column"].pixels, PRINT_SIZES["page"].pixels, PRINT_SIZES["a4"].pixels
    ((1004, 1535), (2008, 1299), (3272, 2244))
    """

    name: str
    width_mm: float
    height_mm: float
    type_pt: TypeSizes
    dpi: int = PRINT_DPI

    @property
    def pixels(self) -> tuple[int, int]:
        return (round(self.width_mm / 25.4 * self.dpi), round(self.height_mm / 25.4 * self.dpi))

    @property
    def description(self) -> str:
        """``column, 85 × 130 mm at 300 dpi``."""
        return f"{self.name}, {self.width_mm:g} × {self.height_mm:g} mm at {self.dpi} dpi"


#: Print sizes. Widths follow a newspaper or magazine grid: one column of a
#: two-column page (8.5 cm) and the full type area (17 cm), and A4 landscape
#: inside 10 mm margins (277 × 190 mm). Type sizes follow print practice:
#: credits and footnotes no smaller than 6 pt, labels 6.5–9 pt, a title that
#: stands out at arm's length.
PRINT_SIZES: Final[dict[str, PrintSize]] = {
    "column": PrintSize("column", 85.0, 130.0, TypeSizes(9.0, 7.0, 6.5, 6.5, 6.0, 6.0, 6.0)),
    "page": PrintSize("page", 170.0, 110.0, TypeSizes(14.0, 10.0, 8.5, 8.0, 7.0, 7.0, 6.5)),
    "a4": PrintSize("a4", 277.0, 190.0, TypeSizes(20.0, 13.0, 11.0, 9.0, 8.0, 8.0, 7.5)),
}

#: Lines of text are wrapped to this share of the room they have, measured with
#: unhinted advances: SVG viewers lay text out themselves (rsvg 2.54 drew a
#: footer line 0.8 % wider than this measure, and hinted Agg 2.3 % narrower).
TEXT_FIT: Final = 0.96

#: Largest step between vertices, along the geodesic edge, before projection.
#: A geodesic is curved in the projection unless it passes through the
#: centre; a 20 km straight piece strays from it by about l² / (8 R) = 8 m,
#: far below a pixel at the scales drawn here.
DENSIFY_KM: Final = 20.0

#: Grid projected geometries are snapped to, in metres (see ``_clean``).
_GRID_M: Final = 0.001

#: Space left around the coverage, as a share of its larger side.
VIEW_MARGIN: Final = 0.07

# Colours: land and sea in quiet neutrals so the systems' colours stand out.
_SEA: Final = "#DCE7EF"
_LAND: Final = "#F4F2EC"
_BORDER: Final = "#A3A3A3"
_INK: Final = "#1A1A1A"
_MUTED: Final = "#4D4D4D"
_FILL_ALPHA: Final = 0.16

_NOMINAL_NOTE: Final = "Ranges are publicly reported nominal figures"
_AIR_NOTE: Final = "air-launched ranges count from the release point, not the airbase"

#: A label is one line of plain text: control characters (newlines, bidi
#: overrides) become spaces, everything else is drawn exactly as typed.
#: Longest title, subtitle or label drawn, in characters (longer ones are cut with an ellipsis).
_MAX_TEXT_CHARS: Final = 200

_RC: Final[dict[RcKeyType, Any]] = {
    # User text is text: no mathtext for "$x$", no LaTeX.
    "text.parse_math": False,
    "text.usetex": False,
    # SVG: real <text> elements, no date, reproducible ids.
    "svg.fonttype": "none",
    "svg.hashsalt": "weapon-range-map",
    # font.family is the fallback list of font_families(), set per rendering.
    "font.sans-serif": ["DejaVu Sans"],
    "axes.unicode_minus": True,
}

#: Fonts tried in order for each character. DejaVu Sans comes with matplotlib
#: (Latin, Greek, Cyrillic, Arabic, Hebrew), so the PNG looks the same
#: everywhere; the rest are system fonts for CJK (and Noto's wider coverage),
#: used when installed.
FONT_FALLBACKS: Final = (
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
)


@cache
def font_families() -> tuple[str, ...]:
    """The fonts of :data:`FONT_FALLBACKS` installed here, in order; DejaVu Sans at least.

    matplotlib keeps a font list cached across runs: fonts installed since it
    was written are added first (once per process), so a font installed by
    ``apt-get`` is used without clearing that cache.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known:
            with contextlib.suppress(Exception):  # a broken font file is skipped, not fatal
                manager.addfont(path)
    installed = {f.name for f in manager.ttflist}
    return tuple(name for name in FONT_FALLBACKS if name in installed) or ("DejaVu Sans",)


class _NoWeightNotice(logging.Filter):
    """Drop matplotlib's notice that a fallback font has no bold: it then draws the regular weight, as wanted."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("findfont: Failed to find font weight")


logging.getLogger("matplotlib.font_manager").addFilter(_NoWeightNotice())


def _rc() -> dict[RcKeyType, Any]:
    return {**_RC, "font.family": list(font_families())}


#: First-strong isolate and its end (Unicode bidi, UAX #9 §2.4).
_FSI: Final = "\u2068"
_PDI: Final = "\u2069"


def _isolate(text: str) -> str:
    """Text holding right-to-left letters, isolated so that it keeps its order among other text.

    Examples
    --------
    >>> _isolate("Kyiv"), _isolate("نظام") == "\u2068نظام\u2069"
    ('Kyiv', True)
    """
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return f"{_FSI}{text}{_PDI}"
    return text


# --------------------------------------------------------------------------
# Sizes and formats


def parse_image_size(text: str) -> tuple[int, int] | PrintSize:
    """Read an image size: ``WIDTHxHEIGHT`` in pixels, ``article``, ``square``, or a print size.

    Examples
    --------
    >>> parse_image_size("1600x1000"), parse_image_size("square"), parse_image_size("1200×675")
    ((1600, 1000), (1080, 1080), (1200, 675))
    >>> parse_image_size("column").description
    'column, 85 × 130 mm at 300 dpi'
    >>> parse_image_size("big")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: image size: expected WIDTHxHEIGHT in pixels (e.g. 1600x1000), 'article', 'square', or a print size (column, page, a4), got 'big'
    """
    key = text.strip().lower()
    if key == "article":
        return ARTICLE_SIZE
    if key == "square":
        return SQUARE_SIZE
    if key in PRINT_SIZES:
        return PRINT_SIZES[key]
    match = re.fullmatch(r"(\d+)\s*[x×*]\s*(\d+)", key)
    if not match:
        raise InputError(
            "image size: expected WIDTHxHEIGHT in pixels (e.g. 1600x1000), 'article', 'square', "
            f"or a print size ({', '.join(PRINT_SIZES)}), got {text!r}"
        )
    return _check_size((int(match.group(1)), int(match.group(2))))


def _check_size(size: Sequence[int]) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise InputError(f"image size: expected (width, height) in pixels, got {size!r}") from None
    for name, value in (("width", width), ("height", height)):
        if not _MIN_SIDE_PX <= value <= _MAX_SIDE_PX:
            raise InputError(f"image {name}: expected {_MIN_SIDE_PX}…{_MAX_SIDE_PX} pixels, got {value}")
    return width, height


def image_format_for(path: str | Path) -> ImageFormat:
    """The image format a file name asks for, from its suffix.

    Raises
    ------
    InputError
        For any suffix other than ``.png`` or ``.svg`` (in any case).

    Examples
    --------
    >>> image_format_for("map.PNG"), image_format_for("out/map.svg")
    ('png', 'svg')
    >>> image_format_for("map.jpg")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: cannot tell the image format from 'map.jpg': the file name must end in .png or .svg
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return "png"
    if suffix == ".svg":
        return "svg"
    raise InputError(f"cannot tell the image format from {str(path)!r}: the file name must end in .png or .svg")


# --------------------------------------------------------------------------
# Projection


def _deg_text(value: float, pos: str, neg: str) -> str:
    # One decimal (about 11 km) unless that would misstate the centre by more
    # than rounding to 0.01° does.
    digits = 1 if abs(round(value, 1) - value) < 5e-3 else 2
    return f"{abs(value):.{digits}f}° {pos if value >= 0 else neg}"


@dataclass(frozen=True)
class MapProjection:
    """An azimuthal equidistant projection on WGS84, centred on ``centre``.

    Projected coordinates are metres east and north of the centre, measured
    along geodesics: the distance of a projected point from (0, 0) is its
    geodesic distance from the centre.

    Examples
    --------
    >>> proj = MapProjection(LatLon(50.9, 34.8))
    >>> proj.name
    'Azimuthal equidistant projection centred on 50.9° N, 34.8° E'
    >>> x, y = proj.project_xy([34.8], [50.9])
    >>> float(x[0]), float(y[0])
    (0.0, 0.0)
    """

    centre: LatLon

    @property
    def proj4(self) -> str:
        """The PROJ string of the projection."""
        return f"+proj=aeqd +lat_0={self.centre.lat!r} +lon_0={self.centre.lon!r} +datum=WGS84 +units=m +no_defs"

    @property
    def name(self) -> str:
        """How the caption names it: ``Azimuthal equidistant projection centred on 50.9° N, 34.8° E``."""
        lat = _deg_text(self.centre.lat, "N", "S")
        lon = _deg_text(normalize_lon(self.centre.lon), "E", "W")
        return f"Azimuthal equidistant projection centred on {lat}, {lon}"

    @cached_property
    def _transformer(self) -> Transformer:
        return Transformer.from_crs("EPSG:4326", CRS.from_proj4(self.proj4), always_xy=True)

    def project_xy(
        self, lons: Sequence[float] | NDArray[np.float64], lats: Sequence[float] | NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Project lon/lat degrees (longitudes may be unwrapped) to metres."""
        x, y = self._transformer.transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def project(self, geom: Any, *, densify_km: float = DENSIFY_KM) -> Any:
        """Project a lon/lat shapely geometry, densified first so long edges curve.

        Edges are taken as geodesics and split every ``densify_km`` at most
        before projecting. Longitudes may leave ±180 (unwrapped geometries).
        """

        def transform(xy: NDArray[np.float64]) -> NDArray[np.float64]:
            x, y = self.project_xy(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(_densified(geom, densify_km * 1000.0), transform)

    @cached_property
    def world_radius_m(self) -> float:
        """Distance from the centre to its antipode: the edge of the projected world."""
        _, dist = geodesic.inverse(self.centre.lat, self.centre.lon, -self.centre.lat, self.centre.lon + 180.0)
        return float(dist)


def _densified(geom: Any, step_m: float) -> Any:
    """The same geometry with its edges densified along geodesics (:func:`_densify_line`)."""
    if geom.is_empty:
        return geom
    if isinstance(geom, Polygon):
        rings = [densify_geodesic(np.asarray(r.coords, dtype=float), step_m) for r in (geom.exterior, *geom.interiors)]
        return Polygon(rings[0], rings[1:])
    if isinstance(geom, LineString):
        return LineString(densify_geodesic(np.asarray(geom.coords, dtype=float), step_m))
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([_densified(g, step_m) for g in geom.geoms])
    if isinstance(geom, MultiLineString):
        return MultiLineString([_densified(g, step_m) for g in geom.geoms])
    if hasattr(geom, "geoms"):
        return shapely.GeometryCollection([_densified(g, step_m) for g in geom.geoms])
    return geom  # points


def _unit_vector(lat: float, lon: float) -> NDArray[np.float64]:
    phi, lam = math.radians(lat), math.radians(lon)
    return np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])


def _zone_anchor(zone: Zone) -> LatLon:
    """The centroid of the zone's largest part, in degrees."""
    parts = list(shapely.get_parts(zone.geometry))
    sizes = [p.area if isinstance(p, Polygon) else p.length for p in parts]
    c = parts[int(np.argmax(sizes))].centroid
    return LatLon(float(c.y), float(c.x))


def projection_for(points: Sequence[LaunchPoint], zones: Sequence[Zone] = ()) -> MapProjection:
    """The projection for a scenario, centred on its launch area.

    One launch point and no zone: centred exactly on the point, so its rings
    are true circles. Otherwise: the mean direction of the launch points and
    the zones' centroids (the middle of the launch area on the globe), rounded
    to 0.1° so the caption states it exactly.

    Raises
    ------
    InputError
        With neither launch points nor zones.

    Examples
    --------
    >>> projection_for([LaunchPoint(50.9, 34.8)]).centre
    LatLon(lat=50.9, lon=34.8)
    >>> projection_for([LaunchPoint(50.0, 179.0), LaunchPoint(50.0, -179.0)]).centre  # across ±180
    LatLon(lat=50.0, lon=180.0)
    """
    anchors = [p.latlon for p in points] + [_zone_anchor(z) for z in zones]
    if not anchors:
        raise InputError("nothing to centre the map on: add a launch point or a launch zone")
    if len(anchors) == 1 and not zones:
        p = check_latlon(*anchors[0])
        return MapProjection(p)
    mean = np.sum([_unit_vector(a.lat, a.lon) for a in anchors], axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9:  # launch points on opposite sides of the globe: no middle
        return MapProjection(check_latlon(*anchors[0]))
    lat = math.degrees(math.asin(max(-1.0, min(1.0, mean[2] / norm))))
    lon = math.degrees(math.atan2(mean[1], mean[0]))
    lat_r, lon_r = round(lat, 1) + 0.0, round(lon, 1) + 0.0
    return MapProjection(check_latlon(lat_r, 180.0 if lon_r == -180.0 else lon_r))


def _polygons(geom: Any) -> list[Polygon]:
    out: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon) and not part.is_empty and part.area > 0.0:
            out.append(part)
        elif isinstance(part, MultiPolygon):
            out.extend(_polygons(part))
    return out


def _clean(geom: Any) -> Polygon | MultiPolygon:
    """Valid polygons only, counter-clockwise.

    A ring around a pole is closed along the pole: projected, that edge is a
    point and its two meridians (``lon`` and ``lon + 360``) the same line, a
    spike traversed both ways, nanometres wide. Snapping to a 1 mm grid
    collapses it, and ``set_precision`` drops collapsed parts;
    ``make_valid(method="structure")`` repairs anything else.
    """
    if not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    with contextlib.suppress(shapely.errors.GEOSException):  # rare robustness failure: draw it unsnapped
        geom = shapely.set_precision(geom, _GRID_M)
    polys = _polygons(geom)
    if not polys:
        return Polygon()
    merged: Polygon | MultiPolygon = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    out: Polygon | MultiPolygon = shapely.orient_polygons(merged)
    return out


def projected_coverage(
    points: Sequence[LaunchPoint], zones: Sequence[Zone], system: System, projection: MapProjection
) -> Polygon | MultiPolygon:
    """The merged coverage of one system, projected: metres from the projection's centre.

    The union of the rings around every launch point (minimum range as a hole)
    and the reach of every zone (:func:`geo.scenario.zones.coverage_unwrapped`), with
    longitudes kept continuous, so a ring across the antimeridian stays in one
    piece.

    Examples
    --------
    >>> proj = projection_for([LaunchPoint(65.0, 175.0)])
    >>> cov = projected_coverage([LaunchPoint(65.0, 175.0)], [], System.custom("X", 2500), proj)
    >>> xmin, _, xmax, _ = cov.bounds
    >>> round((xmax - xmin) / 1000, -1)  # one disk 5,000 km across, not a band around the world
    5000.0
    """
    return _clean(projection.project(coverage_unwrapped(points, zones, system)))


def view_extent(
    geoms: Iterable[Any], extra_xy: Iterable[tuple[float, float]], aspect: float, *, margin: float = VIEW_MARGIN
) -> tuple[float, float, float, float]:
    """The map's extent, ``(xmin, xmax, ymin, ymax)`` in projected metres.

    Fits every geometry and extra point with ``margin`` (a share of the larger
    side) all round, then widens one side so that width / height equals
    ``aspect`` (that of the map's frame in pixels, so metres are square).

    Examples
    --------
    >>> view_extent([shapely.box(-100, -100, 100, 100)], [], 2.0, margin=0.0)
    (-200.0, 200.0, -100.0, 100.0)
    """
    bounds = [g.bounds for g in geoms if not g.is_empty]
    bounds += [(x, y, x, y) for x, y in extra_xy]
    if not bounds:
        raise InputError("nothing to draw")
    arr = np.asarray(bounds, dtype=float)
    xmin, ymin = float(arr[:, 0].min()), float(arr[:, 1].min())
    xmax, ymax = float(arr[:, 2].max()), float(arr[:, 3].max())
    pad = margin * max(xmax - xmin, ymax - ymin, 20_000.0)
    xmin, xmax, ymin, ymax = xmin - pad, xmax + pad, ymin - pad, ymax + pad
    cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
    w, h = xmax - xmin, ymax - ymin
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0


# --------------------------------------------------------------------------
# Countries


@cache
def _country_index() -> tuple[Any, STRtree]:
    from geo.datasets.countries import countries

    all_countries = countries()
    return all_countries, STRtree([c.geometry for c in all_countries])


def _land_and_borders(
    projection: MapProjection, extent: tuple[float, float, float, float], metres_per_px: float
) -> tuple[list[Polygon], list[NDArray[np.float64]]]:
    """Country areas and outlines in view, projected and clipped to the view.

    Countries are first cut to a geodesic disk around the centre that holds
    the whole view: far from its centre the projection stretches without
    bound, and the part of the world beyond the view is not drawn anyway.
    """
    xmin, xmax, ymin, ymax = extent
    corner_m = max(math.hypot(x, y) for x in (xmin, xmax) for y in (ymin, ymax))
    disk_km = min(corner_m * 1.05 / 1000.0 + 50.0, 19_000.0, MAX_RANGE_KM)
    disk = range_ring(projection.centre.lat, projection.centre.lon, disk_km)
    shapely.prepare(disk)
    # Half a pixel, in degrees (a degree is at most 111.7 km): invisible.
    tolerance_deg = 0.5 * metres_per_px / 111_700.0
    pad = 4.0 * metres_per_px
    view = (xmin - pad, ymin - pad, xmax + pad, ymax + pad)

    all_countries, tree = _country_index()
    land: list[Polygon] = []
    borders: list[NDArray[np.float64]] = []
    for i in tree.query(disk, predicate="intersects"):
        geom = all_countries[int(i)].geometry
        polys = _polygons(shapely.intersection(shapely.clip_by_rect(geom, *disk.bounds), disk))
        if not polys:
            continue
        clipped = MultiPolygon(polys)
        simple = shapely.simplify(clipped, tolerance_deg, preserve_topology=True)
        area = _clean(shapely.clip_by_rect(projection.project(simple), *view))
        land.extend(_polygons(area))
        # Outlines of the original country (not of the disk cut), inside the disk.
        for ring in shapely.get_rings(shapely.get_parts(shapely.simplify(geom, tolerance_deg, preserve_topology=True))):
            xy = np.asarray(ring.coords, dtype=float)
            for piece in seam_free_lines(xy):
                inside = shapely.intersection(LineString(piece), disk)
                if inside.is_empty:
                    continue
                projected = shapely.clip_by_rect(projection.project(inside), *view)
                for part in shapely.get_parts(projected):
                    if isinstance(part, LineString) and not part.is_empty:
                        borders.append(np.asarray(part.coords, dtype=float))
                    elif isinstance(part, MultiLineString):
                        borders.extend(np.asarray(p.coords, dtype=float) for p in part.geoms)
    return land, borders


# --------------------------------------------------------------------------
# Drawing helpers


def _plain(text: str) -> str:
    """One line of plain text, by the rule every surface uses (:func:`geo.core.text.clean_text`),
    isolated for bidi if it holds right-to-left letters (:func:`_isolate`)."""
    return _isolate(clean_text(text, _MAX_TEXT_CHARS))


def _polygon_path(polys: Iterable[Polygon]) -> MplPath:
    """One compound path; exterior rings counter-clockwise, holes clockwise (nonzero fill)."""
    vertices: list[NDArray[np.float64]] = []
    codes: list[NDArray[np.uint8]] = []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords, dtype=float)
            if len(xy) < 4:
                continue
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(c)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.vstack(vertices), np.concatenate(codes))


def _darker(color: str, amount: float = 0.45) -> tuple[float, float, float]:
    r, g, b = to_rgb(color)
    return (r * (1.0 - amount), g * (1.0 - amount), b * (1.0 - amount))


def _range_text(system: System, unit: str) -> str:
    """``300 km``, ``186 mi (300 km)`` or ``31–186 mi (50–300 km)``."""
    if system.min_range_km <= 0.0:
        return format_distance(system.range_km, unit, with_km=True)

    def number(km: float, u: str) -> str:
        return format_distance(km, u).rsplit(" ", 1)[0]

    text = f"{number(system.min_range_km, unit)}–{format_distance(system.range_km, unit)}"
    if unit != "km":
        text += f" ({number(system.min_range_km, 'km')}–{format_distance(system.range_km, 'km')})"
    return text


def _nice_length(target: float) -> float:
    """The largest 1, 2, 2.5 or 5 × 10ⁿ not above ``target``.

    Examples
    --------
    >>> _nice_length(610.0), _nice_length(488.0), _nice_length(0.7)
    (500.0, 250.0, 0.5)
    """
    exponent = math.floor(math.log10(target))
    for step in (5.0, 2.5, 2.0, 1.0):
        value = step * 10.0**exponent
        if value <= target:
            return value
    return 10.0**exponent


def _wrap(text: str, width_px: float, measure: Any) -> list[str]:
    """Greedy word wrap by measured width in pixels, to :data:`TEXT_FIT` of ``width_px``.

    A word wider than the line on its own is broken between characters. An
    isolate (:func:`_isolate`) cut by a line break is closed at the end of the
    line and opened again on the next, so each line reads in order.

    Examples
    --------
    >>> _wrap("aa bb cc", 5.0, len)
    ['aa', 'bb', 'cc']
    >>> _wrap("abcdefghij", 5.0, len)
    ['abcd', 'efgh', 'ij']
    """
    room = width_px * TEXT_FIT
    pieces: list[str] = []
    for word in text.split(" "):
        while len(word) > 1 and measure(word) > room:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut]) > room:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    lines: list[str] = []
    current = ""
    for word in pieces:
        trial = f"{current} {word}" if current else word
        if current and measure(trial) > room:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return _balance_isolates(lines)


def _at_most(lines: list[str], n: int) -> list[str]:
    """The first ``n`` lines, the last ending in an ellipsis when some were left out.

    Examples
    --------
    >>> _at_most(["a b", "c d", "e"], 2)
    ['a b', 'c …']
    """
    if len(lines) <= n:
        return lines
    head = lines[:n]
    last = head[-1].rsplit(" ", 1)[0] if " " in head[-1] else head[-1]
    head[-1] = f"{last} …"
    return _balance_isolates(head)


def _balance_isolates(lines: list[str]) -> list[str]:
    out: list[str] = []
    carry = 0
    for line in lines:
        text = _FSI * carry + line
        depth = 0
        for ch in text:
            if ch == _FSI:
                depth += 1
            elif ch == _PDI and depth:
                depth -= 1
        out.append(text + _PDI * depth)
        carry = depth
    return out


def _default_title(systems: Sequence[System]) -> str:
    names = [_plain(s.name) for s in systems]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Nominal reach of {joined}"


def _default_subtitle(points: Sequence[LaunchPoint], zones: Sequence[Zone]) -> str:
    parts: list[str] = []
    if points:
        if len(points) <= 3:
            parts.append("; ".join(_plain(p.name) for p in points))
        else:
            parts.append(f"{len(points)} launch points")
    parts += [f"anywhere in {_plain(z.label)}" if z.kind == "country" else _plain(z.label) for z in zones]
    return "Launched from " + " and ".join(parts)


@dataclass
class _Layout:
    """Text placement in figure pixels (origin bottom left), measured with the Agg renderer."""

    fig: Figure
    renderer: Any
    width: int
    height: int
    dpi: float

    def text(self, x: float, y: float, s: str, **kwargs: Any) -> Text:
        t = self.fig.text(
            x / self.width, y / self.height, s, parse_math=False, usetex=False, transform=self.fig.transFigure, **kwargs
        )
        return t

    def measure(self, s: str, size_pt: float, weight: str = "normal") -> float:
        """Width in pixels from unhinted glyph advances, shaped (libraqm), along the fallback fonts.

        Agg's own measure is hinted, about 2 % narrower than what SVG viewers draw.
        """
        prop = FontProperties(family=list(font_families()), size=size_pt, weight=weight)
        width_pt, _, _ = text_to_path.get_text_width_height_descent(s, prop, ismath=False)
        return float(width_pt) * self.dpi / 72.0

    def height_of(self, artist: Any) -> float:
        return float(artist.get_window_extent(self.renderer).height)


# --------------------------------------------------------------------------
# The image


def render_image(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    colors: Mapping[str, str],
    unit: str = "km",
    zones: Sequence[Zone] = (),
    title: str = "",
    subtitle: str = "",
    size: tuple[int, int] | PrintSize = ARTICLE_SIZE,
    fmt: ImageFormat = "png",
    target: LatLon | None = None,
    target_label: str = "",
    credit_geonames: bool = False,
    place_labels: int = 10,
    analysis: Analysis | None = None,
) -> bytes:
    """The map as a print-ready PNG or SVG image.

    Parameters
    ----------
    points : sequence of LaunchPoint
        Launch points: dots with their labels (plain text, drawn as typed).
    systems : sequence of System
        Catalog or custom systems; each is drawn as its merged coverage from
        all launch points and zones (:func:`geo.scenario.zones.coverage_unwrapped`),
        filled translucent with a solid outline in its colour.
    colors : mapping of str to str
        Colour by system id, ``#rrggbb``; systems not in it take the Okabe–Ito
        colour of their position (:func:`geo.scenario.palette.color_for`).
    unit : {"km", "mi", "nmi"}
        Unit of the ranges in the key and of the scale bar (the key gives km too).
    zones : sequence of Zone, optional
        Launch zones (a country, a line, an area), outlined dashed.
    title, subtitle : str, optional
        Heading and the line under it; by default the systems' names and the
        launch points.
    size : (int, int) or PrintSize
        Width and height in pixels (400…8000 each), e.g. :data:`ARTICLE_SIZE`
        or :data:`SQUARE_SIZE`, at :data:`DPI`; text scales with the shorter
        side. Or a print size from :data:`PRINT_SIZES`: millimetres at 300 dpi,
        type sizes in points; the PNG records its dpi and the SVG its size in
        millimetres.
    fmt : {"png", "svg"}
        Image format.
    target : LatLon, optional
        A target to mark, with the geodesic from the nearest launch point.
    target_label : str, optional
        The target's label.
    credit_geonames : bool, optional
        Credit GeoNames (CC BY 4.0): set it when labels come from the gazetteer.
        Always credited when place names are drawn.
    place_labels : int, optional
        Name up to this many of the largest cities in view (GeoNames, at
        least 100,000 people, spaced so labels do not pile up), for
        orientation; 0 for none.
    analysis : Analysis, optional
        The scenario's analysis, whose coverage and target distance the image
        draws and states (as every other output does); made from the
        arguments above when not given.

    Returns
    -------
    bytes
        The PNG or SVG file.

    Raises
    ------
    InputError
        No system, no launch point or zone, a bad colour, unit, size or format.

    Examples
    --------
    >>> png = render_image([LaunchPoint(50.9, 34.8, "Sumy")], [System.custom("X", 300)], colors={})
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    u = check_unit(unit)
    if fmt not in ("png", "svg"):
        raise InputError(f"image format: expected 'png' or 'svg', got {fmt!r}")
    if isinstance(size, PrintSize):
        width, height = _check_size(size.pixels)
        dpi, type_pt = float(size.dpi), size.type_pt
    else:
        width, height = _check_size(size)
        dpi, type_pt = float(DPI), TypeSizes.scaled(min(width, height) / 1000.0)
    if not systems:
        raise InputError("nothing to draw: choose at least one weapon system")
    if not points and not zones:
        raise InputError("nothing to draw: add at least one launch point or launch zone")
    points = [LaunchPoint(*check_latlon(p.lat, p.lon), p.label, p.sector) for p in points]
    palette = {s.id: check_hex_color(colors[s.id]) if s.id in colors else color_for(i) for i, s in enumerate(systems)}
    tgt = check_latlon(*target) if target is not None else None
    if analysis is None:
        scenario = Scenario(points=tuple(points), zones=tuple(zones), systems=tuple(systems), unit=u)
        analysis = analyse(scenario)
    near = _nearest_site(analysis, tgt) if tgt is not None else None

    with matplotlib.rc_context(_rc()):
        fig = _draw(
            points,
            systems,
            palette=palette,
            unit=u,
            zones=zones,
            # The defaults are built of isolated names (_plain would strip their isolates).
            title=_plain(title.strip()) if title.strip() else _default_title(systems),
            subtitle=_plain(subtitle.strip()) if subtitle.strip() else _default_subtitle(points, zones),
            size=(width, height),
            dpi=dpi,
            type_pt=type_pt,
            target=tgt,
            target_label=_plain(target_label.strip()),
            credit_geonames=credit_geonames,
            place_labels=max(0, int(place_labels)),
            analysis=analysis,
            near=near,
        )
        for t in fig.findobj(Text):  # belt and braces: no artist may read "$…$" as mathtext
            t.set_parse_math(False)
            t.set_usetex(False)
        buf = io.BytesIO()
        caption = caption_for(analysis)  # the page's caption and alt text (issue 11)
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None})
            svg = _svg_accessible(buf.getvalue(), caption)
            if isinstance(size, PrintSize):
                return _svg_size(svg, f"{size.width_mm:g}mm", f"{size.height_mm:g}mm")
            return _svg_size(svg, str(width), str(height))
        # A hair over the size, so that Agg's int() of inches × dpi lands on it exactly.
        fig.set_size_inches((width + 1e-6) / dpi, (height + 1e-6) / dpi)
        # PNG text chunks (iTXt where the text is not Latin-1): Title, Description = the alt
        # text, Comment = the caption, which image desks and CMSs read on upload.
        metadata = {"Title": caption.title, "Description": caption.alt, "Comment": caption.text}
        fig.savefig(buf, format="png", dpi=dpi, metadata=metadata)  # dpi goes into the pHYs chunk
    return buf.getvalue()


def _svg_accessible(svg: bytes, caption: Caption) -> bytes:
    """Give the SVG ``role="img"``, a ``<title>`` (the alt text) and a ``<desc>`` (the caption).

    Screen readers announce an inline or ``<img>``-embedded SVG by its first ``<title>``
    child; ``aria-labelledby``/``aria-describedby`` make that explicit.
    """
    head, sep, tail = svg.partition(b"<svg ")
    tag, close, rest = tail.partition(b">")
    extra = b' role="img" aria-labelledby="wrm-title" aria-describedby="wrm-desc"'
    children = (
        f'\n <title id="wrm-title">{xml_escape(caption.alt)}</title>'
        f'\n <desc id="wrm-desc">{xml_escape(caption.text)}</desc>'
    ).encode()
    return head + sep + tag + extra + close + children + rest


def _svg_size(svg: bytes, width: str, height: str) -> bytes:
    """Declare the SVG's size: pixels for a screen size, millimetres for a print size.

    matplotlib writes points at 72 per inch; the viewBox is kept, so the
    drawing scales to exactly the size given.
    """
    head, sep, tail = svg.partition(b"<svg ")
    tag, close, rest = tail.partition(b">")
    tag = re.sub(rb'width="[^"]*pt"', f'width="{width}"'.encode(), tag, count=1)
    tag = re.sub(rb'height="[^"]*pt"', f'height="{height}"'.encode(), tag, count=1)
    return head + sep + tag + close + rest


#: Ring labels longer than this are shortened in images (the map's frame is their limit).
RING_LABEL_CHARS: Final = 40


def _draw(
    points: Sequence[LaunchPoint],
    systems: Sequence[System],
    *,
    palette: Mapping[str, str],
    unit: str,
    zones: Sequence[Zone],
    title: str,
    subtitle: str,
    size: tuple[int, int],
    dpi: float,
    type_pt: TypeSizes,
    target: LatLon | None,
    target_label: str,
    credit_geonames: bool,
    place_labels: int,
    analysis: Analysis,
    near: tuple[LatLon, float] | None,
) -> Figure:
    width, height = size
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    lay = _Layout(fig, canvas.get_renderer(), width, height, dpi)  # type: ignore[no-untyped-call]
    # Lines and markers (in points) scale with the labels; spacing in pixels also with the dpi.
    s = type_pt.label / 11.0
    sp = s * dpi / DPI
    px_per_pt = dpi / 72.0
    pad = 30.0 * sp
    inner_w = width - 2.0 * pad

    projection = projection_for(points, zones)
    outlines = {r.system.id: r.outline for r in analysis.results}
    coverages = [_clean(projection.project(outlines[system.id])) for system in systems]
    px, py = projection.project_xy([p.lon for p in points], [p.lat for p in points])
    zone_geoms = [_zone_projected(z, projection) for z in zones]
    # Reverse reach (from where a system reaches the target), as on the map: dashed, under the rings.
    reach = analysis.reverse
    reverse_geom: Polygon | MultiPolygon = Polygon()
    if reach is not None and not reach.empty:
        # RFC 7946 pieces (split at ±180°) meet again once projected: snapped and merged, no cut is drawn.
        pieces = [
            shapely.set_precision(projection.project(part), _GRID_M) for part in shapely.get_parts(reach.geometry)
        ]
        reverse_geom = _clean(shapely.union_all(pieces))

    near_km: float | None = None
    line_xy = np.zeros((0, 2))
    if target is not None and near is not None:
        from geo.analysis.target import geodesic_line

        start, near_km = near
        if near_km > 0.0:
            route = geodesic_line(start, target)
            lx, ly = projection.project_xy([q.lon for q in route], [q.lat for q in route])
            line_xy = np.column_stack([lx, ly])
    tx, ty = projection.project_xy([target.lon], [target.lat]) if target is not None else (np.zeros(0), np.zeros(0))

    # ---- header: title, subtitle, key (top down)
    title_pt, sub_pt, key_pt, foot_pt, label_pt = (
        type_pt.title,
        type_pt.subtitle,
        type_pt.key,
        type_pt.footer,
        type_pt.label,
    )
    y = height - pad
    for row in _at_most(_wrap(title, inner_w, lambda t: lay.measure(t, title_pt, "bold")), 3):
        t = lay.text(pad, y, row, fontsize=title_pt, fontweight="bold", color=_INK, va="top", ha="left")
        y -= lay.height_of(t) + 2.0 * sp
    y -= 4.0 * sp
    for row in _at_most(_wrap(subtitle, inner_w, lambda t: lay.measure(t, sub_pt)), 3):
        t = lay.text(pad, y, row, fontsize=sub_pt, color=_MUTED, va="top", ha="left")
        y -= lay.height_of(t) + 2.0 * sp
    y -= 12.0 * sp

    handles: list[Any] = []
    labels: list[str] = []
    for system in systems:
        c = palette[system.id]
        handles.append(Patch(facecolor=to_rgba(c, 0.3), edgecolor=c, linewidth=2.2 * s))
        note = " (air-launched: from release point)" if system.air_launched else ""
        labels.append(f"{_plain(system.name)}: {_range_text(system, unit)}{note}")
    if points:
        handles.append(_point_handle(s))
        fans = [p for p in points if p.sector is not None]
        word = "Launch point" if len(points) == 1 else "Launch points"
        if len(points) == 1 and fans:
            word += f", sector {fans[0].sector.description()}"  # type: ignore[union-attr]
        elif fans:
            shown = "; ".join(f"{_plain(p.name)}: {p.sector.description()}" for p in fans[:3])  # type: ignore[union-attr]
            word += f", sectors {shown}" + ("; …" if len(fans) > 3 else "")
        labels.append(word)
    for z in zones:
        handles.append(Patch(facecolor="none", edgecolor=_INK, linestyle=(0, (4, 2)), linewidth=1.3 * s))
        labels.append(f"Launch zone: {_plain(z.label)}")
    if target is not None:
        handles.append(_target_handle(s))
        labels.append("Target")
    if reach is not None:
        handles.append(
            Patch(
                facecolor=to_rgba(REVERSE_COLOR, _REVERSE_ALPHA),
                edgecolor=REVERSE_COLOR,
                linestyle=(0, _REVERSE_DASH),
                linewidth=1.8 * s,
            )
        )
        target_name = target_label or (analysis.target.label if analysis.target is not None else "")
        labels.append(_plain(reach.summary(target_name)))
    key_room = inner_w * (TEXT_FIT - 0.02)  # Agg's hinted measure of the key runs about 2 % narrow

    def make_key(ncol: int, texts: list[str]) -> Any:
        return fig.legend(
            handles,
            texts,
            loc="upper left",
            bbox_to_anchor=(pad / width, y / height),
            bbox_transform=fig.transFigure,
            ncol=ncol,
            frameon=False,
            fontsize=key_pt,
            borderaxespad=0.0,
            borderpad=0.0,
            handlelength=1.6,
            handleheight=1.0,
            columnspacing=1.8,
            handletextpad=0.6,
            labelcolor=_INK,
        )

    key = None
    for ncol in range(len(handles), 0, -1):
        if key is not None:
            key.remove()
        key = make_key(ncol, labels)
        if key.get_window_extent(lay.renderer).width <= key_room:
            break
    assert key is not None
    if key.get_window_extent(lay.renderer).width > key_room:
        # Even one column is too wide: wrap the long entries onto more lines.
        handle_px = (1.6 + 0.6) * key_pt * px_per_pt
        wrapped = ["\n".join(_wrap(t, inner_w - handle_px, lambda t: lay.measure(t, key_pt))) for t in labels]
        key.remove()
        key = make_key(1, wrapped)
    assert key is not None
    y -= lay.height_of(key) + 14.0 * sp
    map_top = y

    # ---- footer: sources, notes, projection, credits. Its height is reserved
    # with the GeoNames credit whenever place names may be drawn; the text is
    # written once the map knows whether it drew any.
    any_min = any(system.min_range_km > 0 for system in systems)

    grid = _grid_paragraph(points, analysis, target, target_label)

    def footer_lines(geonames: bool) -> list[str]:
        paragraphs = _footer_paragraphs(systems, projection, geonames, any_min=any_min)
        if grid:
            paragraphs.insert(1, grid)
        return [ln for para in paragraphs for ln in _wrap(para, inner_w, lambda t: lay.measure(t, foot_pt))]

    line_h = foot_pt * px_per_pt * 1.35
    reserved = len(footer_lines(credit_geonames or place_labels > 0))
    map_bottom = pad * 0.8 + reserved * line_h + 6.0 * sp

    # ---- the map frame and its extent
    ax_w, ax_h = inner_w, map_top - map_bottom
    if ax_h < 100 * sp:
        raise InputError(f"image {width}×{height} px leaves no room for the map: make it taller")
    ax = fig.add_axes((pad / width, map_bottom / height, ax_w / width, ax_h / height))
    marks = np.vstack([np.column_stack([px, py]), line_xy, np.column_stack([tx, ty])])
    extra = [(float(a), float(b)) for a, b in marks]
    framed = [*coverages, *zone_geoms, *([reverse_geom] if not reverse_geom.is_empty else [])]
    extent = view_extent(framed, extra, ax_w / ax_h)
    xmin, xmax, ymin, ymax = extent
    m_per_px = (xmax - xmin) / ax_w
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#8C8C8C")
        spine.set_linewidth(0.8 * s)

    # Sea: the projected world is a disk around the centre, out to the antipode.
    ax.set_facecolor("white")
    ax.add_patch(Circle((0.0, 0.0), projection.world_radius_m, facecolor=_SEA, edgecolor="none", zorder=0))
    land, borders = _land_and_borders(projection, extent, m_per_px)
    ax.add_patch(PathPatch(_polygon_path(land), facecolor=_LAND, edgecolor="none", zorder=1))
    ax.add_collection(LineCollection(borders, colors=_BORDER, linewidths=0.6 * s, zorder=2))

    zone_lines = [line for z in zones for line in _zone_lines(z, projection)]
    ax.add_collection(LineCollection(zone_lines, colors=_INK, linewidths=1.3 * s, linestyles=(0, (4, 2)), zorder=3))

    if not reverse_geom.is_empty:
        path = _polygon_path(_polygons(reverse_geom))
        ax.add_patch(PathPatch(path, facecolor=to_rgba(REVERSE_COLOR, _REVERSE_ALPHA), edgecolor="none", zorder=3))
        ax.add_patch(
            PathPatch(
                path,
                facecolor="none",
                edgecolor=REVERSE_COLOR,
                linewidth=1.8 * s,
                linestyle=(0, _REVERSE_DASH),
                zorder=3,
                gid="reverse-reach",
            )
        )

    # Larger coverage first, so a smaller one is not hidden under its fill.
    order = sorted(range(len(systems)), key=lambda i: -coverages[i].area)
    for i in order:
        c = palette[systems[i].id]
        path = _polygon_path(_polygons(coverages[i]))
        ax.add_patch(PathPatch(path, facecolor=to_rgba(c, _FILL_ALPHA), edgecolor="none", zorder=4))
    for i in order:
        c = palette[systems[i].id]
        path = _polygon_path(_polygons(coverages[i]))
        # A dark casing under the outline keeps light colours (Okabe–Ito
        # yellow, sky blue) legible on the pale land.
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=_darker(c), linewidth=3.4 * s, zorder=5))
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=c, linewidth=2.0 * s, zorder=5))

    # Ring labels (issue 12): the analysis's spots, each centred just above its ring, then moved
    # off each other in the image's own points (geo.analysis.labels.lift_boxes, as the map does).
    ring_label_xy: list[tuple[float, float]] = []
    ring_texts: list[Any] = []
    for lab in ring_labels(analysis):
        lx, ly = projection.project_xy([lab.lon], [lab.lat])
        x0, y0 = float(lx[0]), float(ly[0])
        if not (extent[0] <= x0 <= extent[1] and extent[2] <= y0 <= extent[3]):
            continue
        ring_label_xy.append((x0, y0))
        c = palette.get(lab.system_id, _INK)
        annotation = ax.annotate(
            _plain(shorten(lab.text, RING_LABEL_CHARS)),
            (x0, y0),
            xytext=(0.0, 3.0 * s),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=label_pt,
            fontweight="bold",
            color=_darker(c),
            zorder=7,
            gid="ring-label",
            clip_on=True,  # inside the map's frame: a long custom name never runs into the margins
            parse_math=False,
            usetex=False,
            bbox={
                "boxstyle": f"round,pad={_RING_LABEL_PAD}",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.82,
            },
        )
        ring_texts.append(annotation)
    _lift_ring_labels(ring_texts, lay.renderer, dpi, s)

    if len(line_xy):
        ax.plot(line_xy[:, 0], line_xy[:, 1], color=_INK, lw=1.4 * s, ls=(0, (5, 3)), zorder=6)
    if target is not None:
        ax.plot(tx, ty, marker="X", ms=13 * s, mfc="#C0392B", mec="white", mew=1.2 * s, ls="", zorder=8)
        text = target_label or "Target"
        if near_km is not None:
            text += f" · {format_distance(near_km, unit, with_km=True)}"
        _label(ax, float(tx[0]), float(ty[0]), text, label_pt, s, extent, bold=True)

    ax.plot(px, py, marker="o", ms=8.5 * s, mfc=_INK, mec="white", mew=1.5 * s, ls="", zorder=8)
    if len(points) <= 25:  # beyond that labels only pile up; the key still counts them
        for p, x, y_ in zip(points, px.tolist(), py.tolist(), strict=True):
            _label(ax, x, y_, _plain(p.name), label_pt, s, extent)

    named = False
    if place_labels:
        lxy = np.asarray(ring_label_xy, dtype=float).reshape(-1, 2)
        avoid = np.column_stack([np.concatenate([px, tx, lxy[:, 0]]), np.concatenate([py, ty, lxy[:, 1]])])
        named = _place_names(ax, projection, extent, m_per_px, s, sp, type_pt.place, avoid, place_labels)

    _scale_bar(ax, extent, m_per_px, unit, s, sp, type_pt.scale, dpi)

    yb = map_bottom - 6.0 * sp - foot_pt * px_per_pt
    for row in footer_lines(credit_geonames or named):
        lay.text(pad, yb, row, fontsize=foot_pt, color=_MUTED, va="baseline", ha="left")
        yb -= line_h
    return fig


#: Reverse reach: the map's fill opacity and its dashes (10 px on, 6 off) in line widths.
_REVERSE_ALPHA: Final = 0.08
_REVERSE_DASH: Final = (5.0, 3.0)


#: The white box round a ring label, in font sizes (matplotlib's boxstyle pad).
_RING_LABEL_PAD: Final = 0.2


def _lift_ring_labels(texts: list[Any], renderer: Any, dpi: float, s: float) -> None:
    """Move ring labels whose boxes overlap apart (measured with their white box, in display pixels)."""
    if len(texts) < 2:
        return
    boxes = []
    for t in texts:
        e = t.get_window_extent(renderer)  # the text where the annotation puts it
        pad = _RING_LABEL_PAD * t.get_fontsize() * dpi / 72.0  # its white box (boxstyle pad, font sizes)
        # Display y grows upwards; lift_boxes takes screen boxes, y downwards.
        boxes.append(Box(e.x0 - pad, -e.y1 - pad, e.x1 + pad, -e.y0 + pad))
    for t, drop_px in zip(texts, lift_boxes(boxes, gap=1.0 * s * dpi / 72.0), strict=True):
        if drop_px > 0:
            x, y = t.xyann
            t.xyann = (x, y - drop_px * 72.0 / dpi)


def _place_names(
    ax: Any,
    projection: MapProjection,
    extent: tuple[float, float, float, float],
    m_per_px: float,
    s: float,
    sp: float,
    size_pt: float,
    avoid_xy: NDArray[np.float64],
    limit: int,
) -> bool:
    """Name the largest cities in view, for orientation; True if any was drawn.

    Largest first (GeoNames, at least 100,000 people); a city is skipped when
    its dot falls within about a label's size of one already named or of a
    launch point or target, so labels do not pile up.
    """
    from geo.datasets.gazetteer import DEFAULT_MIN_POPULATION, load_gazetteer

    g = load_gazetteer(DEFAULT_MIN_POPULATION)
    n = g.count_at_least(100_000)
    # Only cities within the view's reach of the centre: the projection is
    # one-to-one there, and the far side of the globe is not in view.
    xmin, xmax, ymin, ymax = extent
    corner_m = max(math.hypot(x, y) for x in (xmin, xmax) for y in (ymin, ymax))
    _, dist = geodesic.inverse(projection.centre.lat, projection.centre.lon, g.lat[:n], g.lon[:n])
    rows = np.flatnonzero(dist <= corner_m)
    if not len(rows):
        return False
    x, y = projection.project_xy(g.lon[rows], g.lat[rows])
    inset = 40.0 * sp * m_per_px  # keep names off the frame and the scale bar's corner
    inside = (x > xmin + inset) & (x < xmax - 2.5 * inset) & (y > ymin + 1.5 * inset) & (y < ymax - inset)
    min_gap = 70.0 * sp * m_per_px
    taken: list[tuple[float, float]] = [(float(a), float(b)) for a, b in avoid_xy]
    drawn = 0
    for k in np.flatnonzero(inside):  # rows are largest first
        cx, cy = float(x[k]), float(y[k])
        if any(abs(cx - ox) < 2.2 * min_gap and abs(cy - oy) < 0.6 * min_gap for ox, oy in taken):
            continue
        taken.append((cx, cy))
        ax.plot([cx], [cy], marker="o", ms=3.6 * s, mfc="#6E6E6E", mec="white", mew=0.6 * s, ls="", zorder=7)
        ax.annotate(
            _plain(str(g.name[rows[k]])),
            (cx, cy),
            xytext=(4.0 * s, 3.0 * s),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=size_pt,
            color="#3C3C3C",
            zorder=7,
            parse_math=False,
            usetex=False,
        )
        drawn += 1
        if drawn >= limit:
            break
    return drawn > 0


#: A zone's edges are followed in their own meaning (Zone.edges: straight in lon/lat for
#: files and borders, on Web Mercator for clicked lines) to within this many metres before
#: projection, which would otherwise read them as geodesics (48 km off along a 20° parallel).
ZONE_EDGE_DEV_M: Final = 200.0


def _in_meaning(zone: Zone, xy: NDArray[np.float64]) -> NDArray[np.float64]:
    return densify_edges(xy, zone.edges, ZONE_EDGE_DEV_M)


def _zone_projected(zone: Zone, projection: MapProjection) -> Any:
    """The zone's area or line, projected (its RFC 7946 parts meet again in the projection)."""
    parts: list[Any] = []
    for part in shapely.get_parts(zone.geometry):
        if isinstance(part, Polygon):
            rings = [_in_meaning(zone, np.asarray(r.coords, dtype=float)) for r in (part.exterior, *part.interiors)]
            parts.append(Polygon(rings[0], rings[1:]))
        else:
            parts.append(LineString(_in_meaning(zone, np.asarray(part.coords, dtype=float))))
    if len(parts) == 1:
        return projection.project(parts[0])
    if all(isinstance(p, Polygon) for p in parts):
        return projection.project(MultiPolygon(parts))
    return projection.project(MultiLineString(parts))


def _zone_lines(zone: Zone, projection: MapProjection) -> list[NDArray[np.float64]]:
    """The zone's outline (or line) as projected pieces, without the cuts at ±180°."""
    out: list[NDArray[np.float64]] = []
    for part in shapely.get_parts(zone.geometry):
        lines = shapely.get_rings(part) if isinstance(part, Polygon) else [part]
        for line in lines:
            for piece in seam_free_lines(np.asarray(line.coords, dtype=float)):
                dense = LineString(_in_meaning(zone, piece))
                out.append(np.asarray(projection.project(dense).coords, dtype=float))
    return out


def _nearest_site(analysis: Analysis, target: LatLon) -> tuple[LatLon, float]:
    """The launch point, or point of a zone, nearest the target, and its distance in km: the analysis's
    (geo.analysis.distance), whatever the target of the scenario itself."""
    scenario = analysis.scenario
    reaches = (
        [r for v in analysis.verdicts for r in v.reaches] if analysis.target and analysis.target.point == target else []
    )
    if not reaches:
        from geo.analysis.analyse import verdicts_for

        reaches = [r for v in verdicts_for(scenario, analysis.zones, target).values() for r in v.reaches]
    if not reaches:
        raise InputError("a target needs a launch point or a launch zone to measure from")
    best = min(reaches, key=lambda r: r.distance_km)
    return best.from_point, best.distance_km


def _point_handle(s: float) -> Line2D:
    return Line2D([], [], marker="o", ms=8.5 * s, mfc=_INK, mec="white", mew=1.5 * s, ls="")


def _target_handle(s: float) -> Line2D:
    return Line2D([], [], marker="X", ms=11 * s, mfc="#C0392B", mec="white", mew=1.0 * s, ls="")


def _label(
    ax: Any,
    x: float,
    y: float,
    text: str,
    size_pt: float,
    s: float,
    extent: tuple[float, float, float, float],
    *,
    bold: bool = False,
) -> None:
    """A label beside a marker, on a white rounded box; to the left near the right edge."""
    xmin, xmax, _, _ = extent
    right_side = (x - xmin) / (xmax - xmin) < 0.8
    offset = (8.0 * s if right_side else -8.0 * s, 6.0 * s)
    ax.annotate(
        text,
        (x, y),
        xytext=offset,
        textcoords="offset points",
        ha="left" if right_side else "right",
        va="bottom",
        fontsize=size_pt,
        fontweight="bold" if bold else "normal",
        color=_INK,
        zorder=9,
        annotation_clip=False,
        parse_math=False,
        usetex=False,
        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )


def _scale_bar(
    ax: Any,
    extent: tuple[float, float, float, float],
    m_per_px: float,
    unit: str,
    s: float,
    sp: float,
    size_pt: float,
    dpi: float,
) -> None:
    """A two-segment bar, bottom left, true at the centre (the projection's scale is 1 there).

    ``s`` scales lines (points), ``sp`` offsets (pixels); ``size_pt`` is the label size.
    """
    xmin, xmax, ymin, _ = extent
    length_u = _nice_length(km_to(0.25 * (xmax - xmin) / 1000.0, unit))
    length_m = to_km(length_u, unit) * 1000.0
    end_label = f"{length_u:,g} {unit}"
    px = m_per_px  # metres per pixel: offsets below are in pixels
    x0, y0 = xmin + 24.0 * sp * px, ymin + 20.0 * sp * px
    bar_h = 6.0 * sp * px
    # Room for half of the end label past the bar (labels are centred on their tick).
    label_w = 0.62 * size_pt * (dpi / 72.0) * len(end_label)
    text_h = size_pt * (dpi / 72.0) * 1.15
    ax.add_patch(
        Rectangle(
            (x0 - 12.0 * sp * px, y0 - 9.0 * sp * px),
            length_m + (24.0 * sp + label_w / 2.0) * px,
            ((6.0 + 4.0 + 16.0) * sp + text_h) * px,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=9,
        )
    )
    half = length_m / 2.0
    ax.add_patch(Rectangle((x0, y0), half, bar_h, facecolor=_INK, edgecolor=_INK, lw=0.8 * s, zorder=10))
    ax.add_patch(Rectangle((x0 + half, y0), half, bar_h, facecolor="white", edgecolor=_INK, lw=0.8 * s, zorder=10))
    for frac, label in ((0.0, "0"), (0.5, f"{length_u / 2.0:,g}"), (1.0, end_label)):
        ax.text(
            x0 + frac * length_m,
            y0 + bar_h + 4.0 * sp * px,
            label,
            ha="center",
            va="bottom",
            fontsize=size_pt,
            color=_INK,
            zorder=10,
            parse_math=False,
            usetex=False,
        )


#: At most this many launch points are written out in MGRS under the map.
GRID_POINTS: Final = 25


def _grid_paragraph(points: Sequence[LaunchPoint], analysis: Analysis, target: LatLon | None, target_label: str) -> str:
    """The launch points and the target in MGRS (the points panel's strings), and each point's sector."""
    mgrs = (
        analysis.mgrs if tuple(points) == analysis.scenario.points else tuple(format_mgrs(p.lat, p.lon) for p in points)
    )
    items = []
    for p, ref in list(zip(points, mgrs, strict=True))[:GRID_POINTS]:
        # In parentheses: a point named by its coordinates ("50.91, 34.80") stays apart from its MGRS.
        sector = f", sector {p.sector.description()}" if p.sector is not None else ""
        items.append(f"{_plain(p.name)} ({ref}{sector})")
    if len(points) > GRID_POINTS:
        items.append(f"and {len(points) - GRID_POINTS:,} more")
    if target is not None:
        same = analysis.target is not None and analysis.target.point == target
        ref = analysis.target_mgrs if same else format_mgrs(target.lat, target.lon)
        items.append(f"target {target_label} ({ref})" if target_label else f"target ({ref})")
    return ("MGRS: " + "; ".join(items) + ".") if items else ""


def _footer_paragraphs(
    systems: Sequence[System], projection: MapProjection, credit_geonames: bool, *, any_min: bool
) -> list[str]:
    from geo.datasets.countries import BOUNDARY_EDITION, NATURAL_EARTH_CREDIT

    cited = []
    for system in systems:
        if system.weapon is None:
            cited.append(f"{_plain(system.name)}: user-defined range")
        else:
            cited.append(f"{_plain(system.name)}: {_plain(citation(system.weapon))}")
    notes = _NOMINAL_NOTE
    if any(s.air_launched for s in systems):
        notes += f"; {_AIR_NOTE}"
    notes += ". Coverage: geodesic distances on the WGS84 ellipsoid"
    notes += " (no fill inside a minimum range)." if any_min else "."
    credits = f"{projection.name}: distances from the centre are true; the scale bar is true at the centre."
    credits += f" Borders: {BOUNDARY_EDITION}. {NATURAL_EARTH_CREDIT}"
    if credit_geonames:
        from geo.datasets.gazetteer import GEONAMES_CREDIT

        credits += f" {GEONAMES_CREDIT}."
    return ["Sources: " + "; ".join(cited) + ".", notes, credits]
