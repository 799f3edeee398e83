"""Geodesics on the WGS84 ellipsoid: the one module of ``geo`` that uses ``pyproj.Geod``.

pyproj's ``Geod`` (GeographicLib's C library) takes and returns longitude
first; everything else in ``geo`` is latitude first (:class:`geo.core.coords.LatLon`).
The functions here take and return latitude first, so that swap happens here
and nowhere else. They accept scalars or numpy arrays of one shape and solve
whole arrays in one call (about 3 million direct problems a second).

Distances are in metres, azimuths in degrees clockwise from north, areas in
square metres. Inputs are not validated: callers check user input with
:func:`geo.core.coords.check_latlon` first.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

__all__ = [
    "EARTH_AREA_M2",
    "FloatArray",
    "direct",
    "direct_in_place",
    "intermediate",
    "inverse",
    "line_length_m",
    "ring_area_m2",
]

FloatArray = NDArray[np.float64]

#: The WGS84 ellipsoid (a = 6,378,137 m, 1/f = 298.257223563).
_WGS84: Final = Geod(ellps="WGS84")

#: The area of the whole WGS84 ellipsoid in m² (GeographicLib: 510,065,621.724 km²).
EARTH_AREA_M2: Final = 510_065_621.724e6


def _arrays(*values: ArrayLike) -> list[FloatArray]:
    # np.asarray, not ascontiguousarray, which makes a scalar 1-d; ravel() gives pyproj contiguous 1-d input.
    return [np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(*values)]


def _shaped(values: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    return np.asarray(values, dtype=np.float64).reshape(shape)


def direct(
    lat: ArrayLike, lon: ArrayLike, azimuth_deg: ArrayLike, distance_m: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Where geodesics from (lat, lon) along ``azimuth_deg`` end after ``distance_m``.

    Returns
    -------
    lat2, lon2 : ndarray
        Degrees, in the broadcast shape of the inputs (0-d for scalars);
        longitudes within [-180, 180].

    Examples
    --------
    >>> lat2, lon2 = direct(-32.06, 115.74, 225.0, 20_000e3)  # GeographicLib's documented example
    >>> round(float(lat2), 8), round(float(lon2), 8)
    (32.11195529, -63.95925278)
    """
    lat_a, lon_a, az_a, dist_a = _arrays(lat, lon, azimuth_deg, distance_m)
    lon2, lat2, _ = _WGS84.fwd(lon_a.ravel(), lat_a.ravel(), az_a.ravel(), dist_a.ravel())
    return _shaped(lat2, lat_a.shape), _shaped(lon2, lat_a.shape)


def direct_in_place(lats: FloatArray, lons: FloatArray, azimuths_deg: FloatArray, distances_m: FloatArray) -> None:
    """:func:`direct` on float64 arrays of one size, solved in place: no copies.

    On return ``lats`` and ``lons`` hold the end points and ``azimuths_deg``
    the back azimuths (pass a copy to keep them). For the hot loops (rings
    around many points), where the copies of :func:`direct` would cost a third
    of the time.
    """
    _WGS84.fwd(lons, lats, azimuths_deg, distances_m, inplace=True)


def inverse(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Initial azimuth (degrees, −180…180) and length (m) of the shortest geodesics between points.

    Examples
    --------
    >>> az, dist = inverse(50.9, 34.8, 51.73, 36.19)  # Sumy to Kursk
    >>> round(float(az)), round(float(dist) / 1000, 1)
    (46, 133.9)
    """
    a, b, c, d = _arrays(lat1, lon1, lat2, lon2)
    az12, _, dist = _WGS84.inv(b.ravel(), a.ravel(), d.ravel(), c.ravel())
    return _shaped(az12, a.shape), _shaped(dist, a.shape)


def line_length_m(lats: ArrayLike, lons: ArrayLike) -> float:
    """Length of the geodesic polyline through the points, in metres.

    Examples
    --------
    >>> round(line_length_m([0.0, 0.0], [0.0, 1.0]))  # a degree of the equator
    111319
    """
    lat_a, lon_a = _arrays(lats, lons)
    if lat_a.size < 2:
        return 0.0
    return float(_WGS84.line_length(lon_a, lat_a))


def ring_area_m2(lats: ArrayLike, lons: ArrayLike) -> float:
    """Signed area of the polygon with geodesic edges through the points (counter-clockwise > 0), m².

    GeographicLib reduces the area to (−E/2, E/2], E the area of the
    ellipsoid (:data:`EARTH_AREA_M2`); see :func:`geo.core.rings.geodesic_area_km2`
    for outlines that enclose more than half of it.
    """
    lat_a, lon_a = _arrays(lats, lons)
    area, _ = _WGS84.polygon_area_perimeter(lon_a, lat_a)
    return float(area)


def intermediate(lat1: float, lon1: float, lat2: float, lon2: float, n_points: int) -> tuple[FloatArray, FloatArray]:
    """``n_points`` points evenly spaced along the geodesic, both ends included (lats, lons).

    Examples
    --------
    >>> lats, lons = intermediate(0.0, 0.0, 0.0, 10.0, 3)
    >>> [round(float(x), 6) for x in lons]
    [0.0, 5.0, 10.0]
    """
    line = _WGS84.inv_intermediate(
        lon1, lat1, lon2, lat2, npts=n_points, initial_idx=0, terminus_idx=0, return_back_azimuth=True
    )
    return np.asarray(line.lats, dtype=np.float64), np.asarray(line.lons, dtype=np.float64)
