"""Geodesic range rings on the WGS84 ellipsoid.

A range ring is the set of points within ``range_km`` of a launch point,
distance being the length of the shortest path on the WGS84 ellipsoid. Its
outline is computed by solving the direct geodesic problem (pyproj's
``Geod.fwd``, which wraps GeographicLib's C library) for many azimuths at once.

Two forms of the same ring are offered:

- :func:`range_ring` follows RFC 7946: lon/lat, longitudes within [-180, 180],
  split at the antimeridian, exterior rings counter-clockwise, rings around a
  pole closed along the pole. For GeoJSON, areas, intersections.
- :func:`range_ring_unwrapped` keeps longitudes continuous around the launch
  point (e.g. 110°…239°). Leaflet draws such a polygon in one piece across the
  antimeridian, where the split form would show a seam. For the map only.

Vertex count: Leaflet joins vertices with straight segments in Web Mercator,
and those chords lie inside the true ring. :func:`vertex_count` picks, from
the range and the latitude, the fewest vertices (evenly spaced in azimuth)
that keep that drawn outline within ``max(0.05 % of the range, 50 m)`` of the
true ring, measured in metres on the ellipsoid. It uses the chord error of a
curve, ``e = l² κ / 8`` for a chord of length ``l``, with ``κ`` the geodesic
curvature of the ring plus the curvature Mercator's scale change adds
(``tan φ / R`` at latitude φ). The test suite checks it against the real
error, measured by inverse geodesics from the ring's centre.

Limits: ranges from just above 0 up to :data:`MAX_RANGE_KM`. Beyond that a
geodesic from an equatorial launch point can pass its cut locus, where it
stops being the shortest path, and the "ring" would no longer be the set of
points at that distance (on WGS84 this first happens at π·b ≈ 19,970.3 km,
b being the semi-minor axis).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import shapely
import shapely.affinity
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon, box

from geo.core import geodesic
from geo.core.antimeridian import split_polygon
from geo.core.coords import LatLon, check_latlon
from geo.core.shapes import repaired
from geo.errors import InputError

__all__ = [
    "MAX_MERCATOR_LAT",
    "MAX_RANGE_KM",
    "MIN_RANGE_KM",
    "check_range",
    "chord_tolerance_m",
    "destination",
    "geodesic_area_km2",
    "range_ring",
    "range_ring_unwrapped",
    "range_rings",
    "ring_area_km2",
    "ring_vertices",
    "vertex_count",
]

#: Largest accepted range. Just under π·b = 19,970.3 km, the shortest distance
#: at which a geodesic from some launch point (one on the equator, heading
#: along it) reaches its cut locus. Checked in tests/core/test_rings.py.
MAX_RANGE_KM: Final = 19_950.0

#: Smallest accepted range and minimum range, km (10 m).
MIN_RANGE_KM: Final = 0.01

#: Leaflet clamps latitudes here (``L.Projection.SphericalMercator.MAX_LATITUDE``):
#: nothing closer to a pole is visible on a Web Mercator map.
MAX_MERCATOR_LAT: Final = 85.0511287798

#: Mean Earth radius R1 = (2a + b) / 3 in metres (Moritz 1980, Geodetic
#: Reference System 1980); used only to size the vertex count.
_MEAN_RADIUS_M: Final = 6_371_008.7714

#: The area of the whole WGS84 ellipsoid in km² (GeographicLib: 510,065,621.724 km²).
EARTH_AREA_KM2: Final = geodesic.EARTH_AREA_M2 / 1e6

# Margin on the analytic vertex count, which is for a sphere and the mid-chord
# error. Measured against the real error on 300 random rings (up to ±80°,
# 1 km to the maximum range): 1.15 never fell short; counts are 1.08 to 1.46
# times the true minimum, median 1.15 (tests/core/test_rings.py checks both bounds).
# Exception: rings that cross Leaflet's 85.05° clamp get up to ~1.8 times the
# minimum, as the count is sized for a vertex landing right at the clamp,
# where the Mercator curvature is largest (tests/core/test_rings.py records it).
_SAFETY: Final = 1.15
_MIN_VERTICES: Final = 8
_MAX_VERTICES: Final = 8192

#: The shortest degree of latitude on WGS84, at the equator: a(1 - e²)·π/180 =
#: 110,574.27 m, rounded down. A pole's distance is the meridian arc to it, so
#: at least this much per degree of colatitude.
_MIN_DEGREE_OF_LATITUDE_M: Final = 110_574.0

_AREA_VERTICES: Final = 4096
_CURVATURE_SAMPLES: Final = np.linspace(0.0, 2.0 * math.pi, 721)
_COS_CURVATURE_SAMPLES: Final = np.cos(_CURVATURE_SAMPLES)
_SIN_MAX_MERCATOR_LAT: Final = math.sin(math.radians(MAX_MERCATOR_LAT))

_WORLD: Final = box(-180.0, -90.0, 180.0, 90.0)


def chord_tolerance_m(range_km: float) -> float:
    """Largest allowed gap between the drawn outline and the true ring, in metres.

    ``max(0.05 % of the range, 50 m)``.

    Examples
    --------
    >>> chord_tolerance_m(300)
    150.0
    >>> chord_tolerance_m(10)
    50.0
    """
    return max(0.0005 * range_km * 1000.0, 50.0)


def check_range(range_km: float, min_range_km: float = 0.0) -> tuple[float, float]:
    """Validate a range and minimum range in km; returns them as floats.

    Both must be finite; the range at least :data:`MIN_RANGE_KM` and at most
    :data:`MAX_RANGE_KM`; the minimum range 0 (none) or at least
    :data:`MIN_RANGE_KM`, and at least :data:`MIN_RANGE_KM` short of the
    range. Smaller figures are not ranges anyone reports, and they break
    geometry: 1e-300 km gave GEOS an empty clipping box, 1e-320 a division by
    zero (issue 13).

    Examples
    --------
    >>> check_range(300, 50)
    (300.0, 50.0)
    >>> check_range(1e-320)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: range_km: expected at least 0.01 km (10 m), got 1e-320
    """
    try:
        r, rmin = float(range_km), float(min_range_km)
    except (TypeError, ValueError, OverflowError):
        raise InputError(
            f"expected numbers for the range, got {_short_repr(range_km)} and {_short_repr(min_range_km)}"
        ) from None
    if not math.isfinite(r) or r <= 0.0:
        raise InputError(f"range_km: expected a number > 0, got {r:g}")
    if r < MIN_RANGE_KM:
        raise InputError(f"range_km: expected at least {MIN_RANGE_KM:g} km (10 m), got {r!r}")
    if r > MAX_RANGE_KM:
        shown = f"{r:,.0f}" if r < 1e9 else f"{r:.3g}"  # a 400-digit range is echoed short
        raise InputError(
            f"range_km: {shown} km is beyond the {MAX_RANGE_KM:,.0f} km maximum "
            "(about half a meridian, where the shortest path stops being unique)"
        )
    if not math.isfinite(rmin) or rmin < 0.0:
        raise InputError(f"min_range_km: expected a number >= 0, got {rmin:g}")
    if 0.0 < rmin < MIN_RANGE_KM:
        raise InputError(f"min_range_km: expected 0 (none) or at least {MIN_RANGE_KM:g} km (10 m), got {rmin!r}")
    if rmin >= r:
        raise InputError(f"min_range_km ({rmin:g}) must be less than range_km ({r:g})")
    if rmin > 0.0 and r - rmin < MIN_RANGE_KM - 1e-9:  # slack for rounding: 300 - 299.99 < 0.01 in floats
        raise InputError(f"min_range_km ({rmin!r}) must be at least {MIN_RANGE_KM:g} km short of range_km ({r!r})")
    return r, rmin


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def vertex_count(lat: float, range_km: float) -> int:
    """Vertices needed so that Leaflet's drawn outline stays within tolerance.

    Parameters
    ----------
    lat : float
        Latitude of the launch point in degrees.
    range_km : float
        Radius of the ring in kilometres.

    Returns
    -------
    int
        The fewest evenly spaced vertices for which the straight Web Mercator
        chords between them stay within :func:`chord_tolerance_m` of the true
        ring (between 8 and 8,192).

    Examples
    --------
    >>> vertex_count(50.0, 300)
    118
    >>> vertex_count(0.0, 1)  # 8 would stray 76 m from a 1 km ring
    12
    """
    radius_m = range_km * 1000.0
    sigma = radius_m / _MEAN_RADIUS_M  # angular radius on the mean sphere
    phi0 = math.radians(lat)
    sin_phi0, cos_phi0 = math.sin(phi0), math.cos(phi0)
    sin_sigma, cos_sigma = math.sin(sigma), math.cos(sigma)
    cot_sigma = cos_sigma / sin_sigma
    # sin(latitude) along the ring is linear in cos(θ), θ the azimuth from the
    # centre: its extremes are the ring's northernmost and southernmost points.
    # When both are on the Mercator map (the usual case), the curvature term
    # below is largest at one of them too (checked against the 721-sample scan
    # on 9,947 such rings from 89° S to 89° N, 0.5 km to 19,950 km: equal), so
    # two points suffice; otherwise scan the visible part of the ring.
    extremes = [sin_phi0 * cos_sigma + cos_phi0 * sin_sigma * c for c in (1.0, -1.0)]
    if all(abs(v) <= _SIN_MAX_MERCATOR_LAT for v in extremes):
        curvature = 0.0
        for c, sin_end in zip((1.0, -1.0), extremes, strict=True):
            north_end = cos_phi0 * cos_sigma * c - sin_phi0 * sin_sigma
            curvature = max(curvature, abs(cot_sigma + sin_end * north_end / (1.0 - sin_end**2)))
        curvature /= _MEAN_RADIUS_M
    else:
        cos_theta = _COS_CURVATURE_SAMPLES
        sin_lat = np.clip(sin_phi0 * cos_sigma + cos_phi0 * sin_sigma * cos_theta, -1.0, 1.0)
        visible = np.abs(sin_lat) <= _SIN_MAX_MERCATOR_LAT  # may be none: then only the term below counts
        # Northward component of the outward normal, times tan(latitude): the
        # normal derivative of log(Mercator scale) = tan φ · cos α₂ / R.
        north = cos_phi0 * cos_sigma * cos_theta[visible] - sin_phi0 * sin_sigma
        sin_v = sin_lat[visible]
        mercator_term = sin_v * north / (1.0 - sin_v**2)
        # At least the ring's own geodesic curvature, so that parts beyond the
        # map's edge (exported, measured) are as true as the visible ones; for
        # a ring wholly on the map the maximum above already includes it.
        curvature = max(float(np.max(np.abs(cot_sigma + mercator_term), initial=0.0)), abs(cot_sigma))
        curvature /= _MEAN_RADIUS_M
    circumference = 2.0 * math.pi * _MEAN_RADIUS_M * math.sin(sigma)
    n = _SAFETY * circumference * math.sqrt(curvature / (8.0 * chord_tolerance_m(range_km)))
    return int(min(max(math.ceil(n), _MIN_VERTICES), _MAX_VERTICES))


def ring_vertices(lat: float, lon: float, radius_m: float, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The ``n`` outline vertices of a geodesic circle, counter-clockwise.

    Azimuths are evenly spaced, starting due north and decreasing (so the
    outline runs counter-clockwise around the launch point). Longitudes are
    unwrapped: continuous along the outline, starting within 180° of ``lon``.
    Inputs are not validated: use :func:`range_ring` for user input.

    Returns
    -------
    lons, lats : ndarray
        Degrees, one element per vertex, the outline not closed.

    Examples
    --------
    >>> lons, lats = ring_vertices(0.0, 179.0, 300_000.0, 64)
    >>> bool(lons.max() > 180.0)  # continuous across the antimeridian
    True
    """
    lons, lats, _ = _ring_outline(lat, lon, radius_m, n)
    return lons, lats


def _ring_outline(
    lat: float, lon: float, radius_m: float, n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`ring_vertices` with each vertex's azimuth from the centre (degrees)."""
    azimuths = _azimuths(n)
    # Fresh float64 arrays solved in place: pyproj then copies nothing. The
    # shared azimuth array is copied, since the back azimuths overwrite it.
    lons = np.full(n, lon, dtype=float)
    lats = np.full(n, lat, dtype=float)
    geodesic.direct_in_place(lats, lons, azimuths.copy(), np.full(n, radius_m, dtype=float))
    steps = np.diff(lons, append=lons[:1])
    if np.any(np.abs((steps + 180.0) % 360.0 - 180.0) > _MAX_LON_STEP_DEG):
        lons, lats, azimuths = _refine_near_pole(lat, lon, radius_m, n, lons, lats)
        steps = np.diff(lons, append=lons[:1])
    # Most rings do not cross ±180°: the check is 3 times cheaper than np.unwrap,
    # which would leave such an outline unchanged anyway (same 180° criterion).
    if np.any(np.abs(steps) > 180.0):
        lons = np.unwrap(lons, period=360.0)
    lons += 360.0 * np.round((lon - lons[0]) / 360.0)
    return lons, lats, azimuths


#: Longitude steps larger than this between neighbouring vertices happen only
#: where the outline passes close to a pole; there np.unwrap could take the
#: wrong way round, so such steps are subdivided first.
_MAX_LON_STEP_DEG: Final = 90.0


def _refine_near_pole(
    lat: float, lon: float, radius_m: float, n: int, lons: NDArray[np.float64], lats: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Insert exact ring vertices (at mid azimuths) where the longitude jumps.

    Near a pole the longitude swings fast along the outline; halving the
    azimuth step where a jump exceeds :data:`_MAX_LON_STEP_DEG` (up to 30
    times) makes every step unambiguous. The added vertices lie on the ring.
    """
    azimuths = np.asarray(_azimuths(n), dtype=float).copy()
    for _ in range(30):
        nxt = np.roll(lons, -1)
        jump = np.abs((nxt - lons + 180.0) % 360.0 - 180.0) > _MAX_LON_STEP_DEG
        if not jump.any():
            break
        idx = np.flatnonzero(jump)
        # Azimuths decrease along the outline; the last segment wraps to 360°.
        next_az = np.where(idx + 1 < len(azimuths), azimuths[(idx + 1) % len(azimuths)], azimuths[0] - 360.0)
        mid = (azimuths[idx] + next_az) / 2.0
        new_lats, new_lons = geodesic.direct(lat, lon, mid % 360.0, radius_m)
        azimuths = np.insert(azimuths, idx + 1, mid)
        lons = np.insert(lons, idx + 1, new_lons)
        lats = np.insert(lats, idx + 1, new_lats)
    return lons, lats, azimuths


@functools.lru_cache(maxsize=1024)
def _azimuths(n: int) -> NDArray[np.float64]:
    """``n`` azimuths from 360° (due north) down, evenly spaced; read-only, shared."""
    azimuths = np.linspace(360.0, 0.0, n, endpoint=False)
    azimuths.setflags(write=False)
    return azimuths


def _pole_distances_m(lat: float, lon: float) -> tuple[float, float]:
    """Geodesic distances from the point to the north and south poles."""
    _, dist = geodesic.inverse(lat, lon, [90.0, -90.0], lon)
    return float(dist[0]), float(dist[1])


def disk_polygon(lat: float, lon: float, radius_m: float, n: int) -> Polygon | MultiPolygon:
    """The area within ``radius_m``, longitudes unwrapped around ``lon``.

    The polygon may reach beyond ±180°; callers split it or draw it as is.
    """
    lons, lats, azimuths = _ring_outline(lat, lon, radius_m, n)
    if radius_m < (90.0 - abs(lat)) * _MIN_DEGREE_OF_LATITUDE_M:
        has_north = has_south = False  # short of the nearer pole: no inverse problem needed
    else:
        to_north, to_south = _pole_distances_m(lat, lon)
        has_north, has_south = radius_m > to_north, radius_m > to_south
    if has_north and has_south:
        # The ring is a small circle around the antipode: the area within range
        # is the whole globe minus the disk beyond range around the antipode.
        hole = repaired(Polygon(np.column_stack([lons, lats])))
        west = lon - 180.0
        world = box(west, -90.0, west + 360.0, 90.0)
        out = world.difference(hole)
        for shift in (-360.0, 360.0):
            out = out.difference(shapely.affinity.translate(hole, xoff=shift))
        return out
    if has_north or has_south:
        # Close the outline along the pole: its longitudes run once around the
        # globe (eastward around the north pole, westward around the south pole
        # for a counter-clockwise outline), then along the pole back to the start.
        # The seam must lie opposite the launch meridian, so that the 360° span
        # is centred on the launch point: the unwrapped ring is drawn around it
        # (not a world away) and a minimum-range hole, unwrapped around ``lon``,
        # falls inside it. Vertex 0 (azimuth 0°) is across the north pole; for a
        # ring around the south pole start at the vertex across it (azimuth 180°).
        if has_south:
            across = int(np.argmin(np.abs(azimuths - 180.0)))
            lons = np.unwrap(np.roll(lons, -across), period=360.0)
            lats = np.roll(lats, -across)
        pole = 90.0 if has_north else -90.0
        span = 360.0 if has_north else -360.0
        lons = lons + 360.0 * np.round((lon - (lons[0] + span / 2.0)) / 360.0)
        end = lons[0] + span
        coords = np.column_stack([lons, lats])
        tail = np.array([[end, lats[0]], [end, pole], [lons[0], pole]])
        return repaired(Polygon(np.vstack([coords, tail])))
    disk: Polygon = shapely.polygons(np.column_stack([lons, lats]))
    if radius_m >= (90.0 - abs(lat)) * _MIN_DEGREE_OF_LATITUDE_M:
        # An outline that passes close to a pole swings through nearly 180° of
        # longitude between two vertices and may cross itself in lon/lat.
        disk = repaired(disk)
    return disk


def _ring_geometry(
    lat: float, lon: float, range_km: float, min_range_km: float, *, split: bool, n: int | None = None
) -> Polygon | MultiPolygon:
    point = check_latlon(lat, lon)
    r_km, rmin_km = check_range(range_km, min_range_km)
    count = n if n is not None else vertex_count(point.lat, r_km)
    geom: Polygon | MultiPolygon = disk_polygon(point.lat, point.lon, r_km * 1000.0, count)
    simple = True  # one counter-clockwise outline, as ring_vertices builds it
    if rmin_km > 0.0:
        inner = disk_polygon(
            point.lat, point.lon, rmin_km * 1000.0, n if n is not None else vertex_count(point.lat, rmin_km)
        )
        geom = geom.difference(inner)
        if inner.bounds[2] - inner.bounds[0] >= 360.0 - 1e-9:
            # A disk round a pole spans its own 360° of longitude; a south-pole one
            # starts at the vertex nearest azimuth 180°, off the antipodal meridian
            # when its vertex count is odd, so the outer disk's window can differ and
            # the plain difference leaves a wedge from the ring to the pole that the
            # inner disk covers only one world away (issue 10). Its copies cover it.
            for shift in (-360.0, 360.0):
                geom = geom.difference(shapely.affinity.translate(inner, xoff=shift))
        simple = False
    if split:
        split_geom = split_polygon(geom)
        simple = simple and split_geom is geom
        geom = split_geom
    if simple and isinstance(geom, Polygon) and not geom.interiors and len(geom.exterior.coords) == count + 1:
        return geom  # already counter-clockwise (not a pole or antipode case, which add vertices)
    return shapely.orient_polygons(geom)


def range_ring(
    lat: float, lon: float, range_km: float, *, min_range_km: float = 0.0, n_vertices: int | None = None
) -> Polygon | MultiPolygon:
    """The area within reach of a launch point, following RFC 7946.

    Parameters
    ----------
    lat, lon : float
        Launch point in degrees. Longitudes outside ±180 are normalised.
    range_km : float
        Maximum range in kilometres, 0 < range_km <= :data:`MAX_RANGE_KM`.
    min_range_km : float, optional
        Minimum range in kilometres (0 <= min_range_km < range_km); when
        positive the result has a hole (a donut).
    n_vertices : int, optional
        Override the outline's vertex count (default :func:`vertex_count`).

    Returns
    -------
    Polygon or MultiPolygon
        In (lon, lat) degrees, longitudes within [-180, 180], split at the
        antimeridian into a MultiPolygon when the ring crosses it, exterior
        rings counter-clockwise, holes clockwise. A ring around a pole is
        closed along the pole (latitude ±90 is part of its boundary). A ring
        that reaches past both poles is the globe minus a hole around the
        antipode.

    Raises
    ------
    InputError
        NaN or infinite input, latitude outside ±90 (with a lat/lon swap hint),
        range <= 0 or > :data:`MAX_RANGE_KM`, minimum range >= range.

    Examples
    --------
    >>> ring = range_ring(50.9, 34.8, 300)
    >>> ring.geom_type, ring.exterior.is_ccw
    ('Polygon', True)
    >>> range_ring(65.0, 175.0, 2500).geom_type  # crosses the antimeridian
    'MultiPolygon'
    >>> range_ring(95.0, 34.8, 300)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: latitude 95 is outside -90…90 (lat/lon swapped? 34.8, 95 would be valid)
    """
    return _ring_geometry(lat, lon, range_km, min_range_km, split=True, n=n_vertices)


def range_rings(
    lats: Sequence[float] | NDArray[np.float64],
    lons: Sequence[float] | NDArray[np.float64],
    range_km: float,
    *,
    min_range_km: float = 0.0,
) -> list[Polygon | MultiPolygon]:
    """:func:`range_ring` for many launch points at once, vectorised.

    The vertices of every ring are solved in one ``Geod.fwd`` call and the
    ordinary rings (no minimum range, not crossing ±180°, short of the poles)
    are built in one shapely call; the others go through :func:`range_ring`.
    The result is the same, ring for ring, as calling :func:`range_ring`.

    Raises
    ------
    InputError
        As :func:`range_ring`, naming the first bad launch point.

    Examples
    --------
    >>> rings = range_rings([50.9, 48.5], [34.8, 35.0], 300)
    >>> [r.equals_exact(range_ring(lat, lon, 300), 0) for r, lat, lon in zip(rings, [50.9, 48.5], [34.8, 35.0])]
    [True, True]
    """
    lat_a = np.asarray(lats, dtype=float)
    lon_a = np.asarray(lons, dtype=float)
    if lat_a.shape != lon_a.shape or lat_a.ndim != 1:
        raise InputError(f"expected as many latitudes as longitudes, got {lat_a.size} and {lon_a.size}")
    r_km, rmin_km = check_range(range_km, min_range_km)
    ok = np.isfinite(lat_a) & np.isfinite(lon_a) & (np.abs(lat_a) <= 90.0)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        check_latlon(float(lat_a[i]), float(lon_a[i]))  # raises with the specific message
    lon_a = np.where((lon_a >= -180.0) & (lon_a <= 180.0), lon_a, (lon_a + 180.0) % 360.0 - 180.0)
    radius_m = r_km * 1000.0
    counts = np.array([vertex_count(float(lat), r_km) for lat in lat_a], dtype=np.intp)
    if counts.size == 0:
        return []
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    x = np.repeat(lon_a, counts)
    y = np.repeat(lat_a, counts)
    azimuths = np.concatenate([_azimuths(int(n)) for n in counts])
    geodesic.direct_in_place(y, x, azimuths, np.full(x.size, radius_m))
    # Ordinary rings: short of the nearer pole, no longitude step beyond 90°
    # (so nothing to unwrap or refine: no ±180° crossing, no pole nearby).
    steps = np.abs(np.diff(x, append=x[:1]))
    ends = starts + counts - 1
    steps[ends] = np.abs(x[ends] - x[starts])  # each ring's closing step
    big_step = np.add.reduceat(steps > _MAX_LON_STEP_DEG, starts) > 0
    near_pole = radius_m >= (90.0 - np.abs(lat_a)) * _MIN_DEGREE_OF_LATITUDE_M
    simple = ~big_step & ~near_pole & (rmin_km == 0.0)
    out: list[Polygon | MultiPolygon | None] = [None] * len(counts)
    if simple.any():
        rows = np.flatnonzero(simple)
        take = np.concatenate([np.arange(starts[i], starts[i] + counts[i]) for i in rows])
        ring_ids = np.repeat(np.arange(rows.size), counts[rows])
        polygons = shapely.polygons(shapely.linearrings(np.column_stack([x[take], y[take]]), indices=ring_ids))
        for row, poly in zip(rows.tolist(), polygons, strict=True):
            out[row] = poly
    for row in np.flatnonzero(~simple).tolist():
        out[row] = range_ring(float(lat_a[row]), float(lon_a[row]), r_km, min_range_km=rmin_km)
    return [g for g in out if g is not None]


def range_ring_unwrapped(
    lat: float, lon: float, range_km: float, *, min_range_km: float = 0.0, n_vertices: int | None = None
) -> Polygon | MultiPolygon:
    """The same ring with longitudes kept continuous around the launch point.

    Not RFC 7946: longitudes may leave [-180, 180] (e.g. 110°…239° for a ring
    around 65° N 175° E), so that Leaflet draws the ring in one piece across
    the antimeridian instead of two halves at opposite edges of the map. Rings
    around a pole are closed along the pole; Leaflet clamps that edge at
    ±85.05°, the edge of the Web Mercator map.

    Examples
    --------
    >>> ring = range_ring_unwrapped(65.0, 175.0, 2500)
    >>> ring.geom_type, ring.bounds[2] > 180
    ('Polygon', True)
    """
    return _ring_geometry(lat, lon, range_km, min_range_km, split=False, n=n_vertices)


def ring_area_km2(lat: float, lon: float, range_km: float, *, min_range_km: float = 0.0) -> float:
    """Ellipsoidal area within reach, in km², to better than 1 part in 10⁷.

    Computed from a dense outline (GeographicLib's polygon area, which handles
    outlines around a pole) with Richardson extrapolation over 2,048 and 4,096
    vertices, so the chords' shortfall cancels.

    Examples
    --------
    >>> round(ring_area_km2(50.9, 34.8, 300))
    282691
    """
    point = check_latlon(lat, lon)
    r_km, rmin_km = check_range(range_km, min_range_km)

    def disk_area(radius_km: float) -> float:
        a = []
        for n in (_AREA_VERTICES // 2, _AREA_VERTICES):
            lons, lats = ring_vertices(point.lat, point.lon, radius_km * 1000.0, n)
            a.append(_ccw_area_m2(lons, lats))
        return (a[1] + (a[1] - a[0]) / 3.0) / 1e6

    area = disk_area(r_km)
    if rmin_km > 0.0:
        area -= disk_area(rmin_km)
    return area


def geodesic_area_km2(geom: Polygon | MultiPolygon) -> float:
    """Ellipsoidal area of an RFC 7946 lon/lat (Multi)Polygon, in km².

    Edges are taken as geodesics between vertices, so a ring outline gives the
    area of its inscribed polygon (0.05 % short for the 118 vertices of a
    300 km ring); use :func:`ring_area_km2` for the exact area of one ring.

    Examples
    --------
    >>> round(geodesic_area_km2(range_ring(50.9, 34.8, 300, n_vertices=4096)))
    282691
    """
    total = 0.0
    oriented = shapely.orient_polygons(geom)
    for poly in getattr(oriented, "geoms", [oriented]):
        if poly.is_empty:
            continue
        if shapely.equals(shapely.Polygon(poly.exterior), _WORLD):
            outer = EARTH_AREA_KM2 * 1e6  # all four edges lie on a pole or the antimeridian
        else:
            outer = _ccw_area_m2(*poly.exterior.xy)
        holes = sum(_ccw_area_m2(ring.xy[0][::-1], ring.xy[1][::-1]) for ring in poly.interiors)
        total += outer - holes
    return total / 1e6


def _ccw_area_m2(lons: Sequence[float] | NDArray[np.float64], lats: Sequence[float] | NDArray[np.float64]) -> float:
    """Area to the left of a counter-clockwise outline, in m².

    GeographicLib reduces signed areas to (-E/2, E/2], E being the area of the
    ellipsoid, so an outline enclosing more than half the earth comes back
    negative: add E back.
    """
    area = geodesic.ring_area_m2(lats, lons)
    return area if area >= 0 else area + geodesic.EARTH_AREA_M2


def destination(lat: float, lon: float, azimuth_deg: float, distance_km: float) -> LatLon:
    """The point ``distance_km`` from a start along an initial azimuth.

    Examples
    --------
    >>> p = destination(-32.06, 115.74, 225, 20_000)  # GeographicLib's documented example
    >>> round(p.lat, 8), round(p.lon, 8)
    (32.11195529, -63.95925278)
    """
    start = check_latlon(lat, lon)
    lat2, lon2 = geodesic.direct(start.lat, start.lon, azimuth_deg, distance_km * 1000.0)
    return LatLon(float(lat2), float(lon2))
