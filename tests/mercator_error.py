"""Measure how far Leaflet's drawn outline strays from the true ring.

Leaflet joins vertices with straight segments in Web Mercator. We sample
points along each segment in Mercator, map them back to lon/lat and measure
their geodesic distance from the launch point with GeographicLib (pyproj's
``Geod.inv``). The gap to the range is the error a reader's eye sees.
Segments with an end beyond Leaflet's ±85.05° clamp are not drawn as such
and are skipped.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from geo.core.rings import MAX_MERCATOR_LAT

# The reference: GeographicLib through pyproj, independent of geo.core.geodesic's wrapper.
GEOD = Geod(ellps="WGS84")

_FRACTIONS = np.array([0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875])


def _to_mercator_y(lat_deg: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(lat_deg) / 2))


def _from_mercator_y(y: np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def max_chord_error_m(lat: float, lon: float, range_km: float, n: int) -> float:
    """Largest distance (m) between the Mercator chords and the true ring."""
    # Evenly spaced azimuths exactly (ring_vertices adds vertices where an
    # outline grazes a pole; the count under test is the even spacing).
    azimuths = np.linspace(360.0, 0.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), azimuths, np.full(n, range_km * 1000.0))
    lons = np.unwrap(np.asarray(lons, dtype=float), period=360.0)
    lats = np.asarray(lats, dtype=float)
    lons2, lats2 = np.roll(lons, -1), np.roll(lats, -1)
    # The closing segment: the last vertex back to the first (continuous lon).
    lons2[-1] = lons[-1] + ((lons[0] - lons[-1] + 180.0) % 360.0 - 180.0)
    visible = (np.abs(lats) <= MAX_MERCATOR_LAT) & (np.abs(lats2) <= MAX_MERCATOR_LAT)
    if not visible.any():
        return 0.0
    x1, x2 = lons[visible], lons2[visible]
    y1, y2 = _to_mercator_y(lats[visible]), _to_mercator_y(lats2[visible])
    t = _FRACTIONS[:, None]
    xs = (x1 + t * (x2 - x1)).ravel()
    ys = _from_mercator_y(y1 + t * (y2 - y1)).ravel()
    _, _, dist = GEOD.inv(np.full(xs.size, lon), np.full(xs.size, lat), xs, ys)
    return float(np.max(np.abs(np.asarray(dist) - range_km * 1000.0)))


def min_uniform_vertices(lat: float, lon: float, range_km: float, tol_m: float, hi: int) -> int:
    """Fewest evenly spaced vertices whose drawn outline stays within ``tol_m``."""
    lo = 3
    while lo < hi:
        mid = (lo + hi) // 2
        if max_chord_error_m(lat, lon, range_km, mid) <= tol_m:
            hi = mid
        else:
            lo = mid + 1
    return lo
