"""Range fans: a ring limited to an azimuth sector (issue 12).

A sector is given as its centre bearing and its *full* width: bearing 060°,
width 90° covers the azimuths 015°…105° (060° ± 45°), as ArcGIS and TAK
"range fans" do for a launcher facing a front. With a minimum range it is an
annular sector.

The outline is built from the same pieces as a ring (:mod:`geo.core.rings`):

- the arcs at the range (and at the minimum range) are vertices of the
  geodesic circle at the ring's azimuth step, ``360° / vertex_count``, so a
  sector keeps the ring's vertex contract (Leaflet's Mercator chords within
  :func:`geo.core.rings.chord_tolerance_m`), with vertices added exactly at
  the sector's two edge azimuths;
- the two radials are geodesics from the launch point (every vertex solved by
  the direct problem at the edge azimuth), spaced no wider than the outer
  arc's vertices;
- longitudes are unwrapped along the outline (continuous across ±180°), and
  where the outline passes close to a pole the azimuth step is halved until
  no longitude step exceeds 90°, as rings do.

A sector that contains a pole (the pole's azimuth lies inside the sector and
the pole is within range) is closed along the pole, like a ring around a
pole. A sector that would contain both poles is refused: at under 360° of
width that takes a range of more than about 10,000 km and a sector spanning
both due north and due south.

Area: :func:`geo.core.area.outline_area_km2` of the outline, the analysis's
one area method.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geo.core import geodesic
from geo.core.coords import check_latlon
from geo.core.rings import check_range, range_ring_unwrapped, vertex_count
from geo.core.shapes import repaired
from geo.errors import InputError

__all__ = ["Sector", "parse_sector", "sector_outline", "sector_polygon_unwrapped"]

#: Narrowest accepted sector, degrees (a radial-thin sliver would be no area at all).
MIN_WIDTH_DEG: Final = 0.1
_MAX_LON_STEP_DEG: Final = 90.0
_LINK_RE: Final = re.compile(r"^az(\d+(?:\.\d+)?)w(\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Sector:
    """An azimuth sector: centre bearing (degrees clockwise from north, [0, 360)) and full width (degrees)."""

    azimuth_deg: float
    width_deg: float

    @classmethod
    def at(cls, azimuth_deg: float, width_deg: float) -> Sector:
        """A validated sector; the bearing is normalised to [0, 360).

        Examples
        --------
        >>> Sector.at(-300, 90)
        Sector(azimuth_deg=60.0, width_deg=90.0)
        >>> Sector.at(60, 400)
        Traceback (most recent call last):
        ...
        geo.errors.InputError: sector width: expected more than 0.1° and less than 360° (the full angle), got 400
        """
        try:
            az, width = float(azimuth_deg), float(width_deg)
        except (TypeError, ValueError, OverflowError):
            raise InputError(
                f"sector: expected numbers for bearing and width, got {azimuth_deg!r}, {width_deg!r}"
            ) from None
        if not math.isfinite(az):
            raise InputError(f"sector bearing: expected a finite number of degrees, got {az:g}")
        if not math.isfinite(width) or not MIN_WIDTH_DEG <= width < 360.0:
            raise InputError(
                f"sector width: expected more than {MIN_WIDTH_DEG:g}° and less than 360° (the full angle), got {width:g}"
            )
        # Micro-degree steps (0.1 mm at 100 km): what a link writes, exactly.
        return cls(round(az % 360.0, 6) % 360.0, min(round(width, 6), 359.999999))

    @property
    def start_deg(self) -> float:
        """The counter-clockwise edge (bearing − width/2), in [0, 360)."""
        return (self.azimuth_deg - self.width_deg / 2.0) % 360.0

    @property
    def end_deg(self) -> float:
        """The clockwise edge (bearing + width/2), in [0, 360)."""
        return (self.azimuth_deg + self.width_deg / 2.0) % 360.0

    def contains(self, azimuth_deg: float) -> bool:
        """Whether a bearing lies within the sector (edges included)."""
        return abs((azimuth_deg - self.azimuth_deg + 180.0) % 360.0 - 180.0) <= self.width_deg / 2.0 + 1e-12

    def text(self) -> str:
        """For people: ``060° ± 45°``."""
        return f"{self.azimuth_deg:03.0f}° ± {self.width_deg / 2.0:g}°"

    def description(self) -> str:
        """For legends and descriptions, as ArcGIS and TAK word it.

        Examples
        --------
        >>> Sector.at(60, 90).description()
        'bearing 060°, width 90°'
        """
        return f"bearing {self.azimuth_deg:03.0f}°, width {self.width_deg:g}°"

    def link(self) -> str:
        """The share-link form, ``az60w90`` (numbers written exactly).

        Examples
        --------
        >>> Sector.at(60, 90).link(), Sector.parse_link("az60w90")
        ('az60w90', Sector(azimuth_deg=60.0, width_deg=90.0))
        """
        return f"az{_number(self.azimuth_deg)}w{_number(self.width_deg)}"

    @classmethod
    def parse_link(cls, text: str) -> Sector | None:
        """Read :meth:`link`'s form; None when ``text`` is not one."""
        m = _LINK_RE.match(text.strip())
        return cls.at(float(m.group(1)), float(m.group(2))) if m else None


def parse_sector(text: str) -> Sector | None:
    """Read a sector as typed: ``060/90`` (bearing / full width), ``az60w90``; empty for the full ring.

    Examples
    --------
    >>> parse_sector("060/90"), parse_sector(" ")
    (Sector(azimuth_deg=60.0, width_deg=90.0), None)
    >>> parse_sector("north")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: sector 'north': expected bearing/width in degrees, e.g. 060/90 (060° ± 45°)
    """
    t = text.strip()
    if not t:
        return None
    link = Sector.parse_link(t)
    if link is not None:
        return link
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*°?\s*[/ ]\s*(\d+(?:\.\d+)?)\s*°?", t)
    if not m:
        raise InputError(f"sector {t[:40]!r}: expected bearing/width in degrees, e.g. 060/90 (060° ± 45°)")
    return Sector.at(float(m.group(1)), float(m.group(2)))


def _number(value: float) -> str:
    """Fixed-point, no exponent: the value has at most 6 decimals (:meth:`Sector.at`)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _arc_azimuths(n: int, sector: Sector) -> NDArray[np.float64]:
    """Azimuths from the clockwise edge down to the counter-clockwise edge (decreasing: counter-clockwise).

    Inner azimuths are the ring's own (multiples of 360/n); the two edges are added exactly.
    """
    end = sector.azimuth_deg + sector.width_deg / 2.0
    start = end - sector.width_deg
    step = 360.0 / n
    inner = np.arange(math.floor(end / step - 1e-9) * step, start + 1e-9, -step)
    inner = inner[(inner < end - 1e-9) & (inner > start + 1e-9)]
    return np.concatenate([[end], inner, [start]])


def _refined(
    lat: float, lon: float, params: NDArray[np.float64], solve: str, fixed: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Solve points along a parameter (``azimuth`` at distance ``fixed``, or ``distance`` at azimuth ``fixed``).

    Halves the steps where consecutive longitudes differ by more than 90° (near a pole), up to 30 times.
    """

    def points(p: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        if solve == "azimuth":
            return geodesic.direct(lat, lon, p % 360.0, fixed)
        return geodesic.direct(lat, lon, fixed, p)

    lats, lons = points(params)
    for _ in range(30):
        jump = np.abs((np.diff(lons) + 180.0) % 360.0 - 180.0) > _MAX_LON_STEP_DEG
        if not jump.any():
            break
        idx = np.flatnonzero(jump)
        mid = (params[idx] + params[idx + 1]) / 2.0
        mlat, mlon = points(mid)
        params = np.insert(params, idx + 1, mid)
        lats = np.insert(lats, idx + 1, mlat)
        lons = np.insert(lons, idx + 1, mlon)
    return lats, lons


def sector_outline(
    lat: float, lon: float, range_km: float, sector: Sector, *, min_range_km: float = 0.0
) -> NDArray[np.float64]:
    """The sector's closed outline as unwrapped (lon, lat) rows, counter-clockwise, without pole closure.

    Order: out along the clockwise edge, the outer arc counter-clockwise, in
    along the counter-clockwise edge, then the inner arc back (or the launch
    point when there is no minimum range).
    """
    r_m, rmin_m = range_km * 1000.0, min_range_km * 1000.0
    n = vertex_count(lat, range_km)
    outer_az = _arc_azimuths(n, sector)
    arc_step_m = 2.0 * math.pi * r_m / n  # no wider than the outer arc's vertices (on the mean sphere: sin σ ≤ σ)
    radial_n = max(2, math.ceil((r_m - rmin_m) / arc_step_m) + 1)
    radial = np.linspace(rmin_m, r_m, radial_n)
    a_end, a_start = float(outer_az[0]), float(outer_az[-1])
    parts_lat, parts_lon = [], []
    la, lo = _refined(lat, lon, radial, "distance", a_end % 360.0)  # out along the clockwise edge
    parts_lat.append(la[:-1])
    parts_lon.append(lo[:-1])
    la, lo = _refined(lat, lon, outer_az, "azimuth", r_m)  # the outer arc
    parts_lat.append(la[:-1])
    parts_lon.append(lo[:-1])
    la, lo = _refined(lat, lon, radial[::-1], "distance", a_start % 360.0)  # back in
    parts_lat.append(la[:-1])
    parts_lon.append(lo[:-1])
    if rmin_m > 0.0:
        inner_az = _arc_azimuths(vertex_count(lat, min_range_km), sector)[::-1]
        la, lo = _refined(lat, lon, inner_az, "azimuth", rmin_m)
        parts_lat.append(la[:-1])
        parts_lon.append(lo[:-1])
    else:
        parts_lat.append(np.array([lat]))
        parts_lon.append(np.array([lon]))
        parts_lat[0], parts_lon[0] = parts_lat[0][1:], parts_lon[0][1:]  # the launch point once, at the end
    lats = np.concatenate(parts_lat)
    lons = np.unwrap(np.concatenate(parts_lon), period=360.0)
    lons += 360.0 * np.round((lon - lons[-1 if rmin_m == 0.0 else 0]) / 360.0)
    xy = np.column_stack([lons, lats])
    return np.vstack([xy, xy[:1]])


def _pole_inside(lat: float, lon: float, r_m: float, sector: Sector, rmin_m: float = 0.0) -> tuple[bool, bool]:
    """Whether the fan holds the North / South Pole: within range, beyond the minimum range, in the sector.

    A pole inside the minimum range is in the hole, not the fan: its outline
    then needs no closure along the pole (before, it was closed there and
    the repair of that shape gave a MultiPolygon of slivers, issue 12).
    """
    az, dist = geodesic.inverse(lat, lon, np.array([90.0, -90.0]), lon)
    inside = [
        bool(rmin_m <= dist[k] < r_m and (abs(lat) >= 90.0 or sector.contains(float(az[k]) % 360.0))) for k in (0, 1)
    ]
    return inside[0], inside[1]


def sector_polygon_unwrapped(
    lat: float, lon: float, range_km: float, sector: Sector | None, *, min_range_km: float = 0.0
) -> Polygon | MultiPolygon:
    """The area within reach inside the sector, longitudes unwrapped around ``lon`` (for the map and the analysis).

    ``sector=None`` is the whole ring (:func:`geo.core.rings.range_ring_unwrapped`).

    Raises
    ------
    InputError
        Bad point or range (as rings), or a sector containing both poles.

    Examples
    --------
    >>> fan = sector_polygon_unwrapped(50.9, 34.8, 300, Sector.at(60, 90))
    >>> fan.geom_type, fan.exterior.is_ccw
    ('Polygon', True)
    """
    if sector is None:
        return range_ring_unwrapped(lat, lon, range_km, min_range_km=min_range_km)
    p = check_latlon(lat, lon)
    r_km, rmin_km = check_range(range_km, min_range_km)
    north, south = _pole_inside(p.lat, p.lon, r_km * 1000.0, sector, rmin_km * 1000.0)
    if north and south:
        raise InputError(
            f"a {sector.text()} sector of {r_km:,.0f} km from {p.lat:g}, {p.lon:g} would contain both poles: "
            "draw the full ring instead"
        )
    xy = sector_outline(p.lat, p.lon, r_km, sector, min_range_km=rmin_km)
    if north or south:
        # The outline runs once around the pole: its longitudes gain (or lose)
        # 360°. Close it along the pole, at the seam opposite the launch meridian.
        pole = 90.0 if north else -90.0
        opened = xy[:-1]
        seam = int(np.argmin(np.abs(((opened[:, 0] - p.lon) % 360.0) - 180.0)))
        rolled = np.roll(opened, -seam, axis=0)
        rolled[:, 0] = np.unwrap(rolled[:, 0], period=360.0)
        span = rolled[-1, 0] - rolled[0, 0]
        end = rolled[0, 0] + (360.0 if span > 0 else -360.0)
        rolled[:, 0] += 360.0 * np.round((p.lon - (rolled[0, 0] + end) / 2.0) / 360.0)
        end = rolled[0, 0] + (360.0 if span > 0 else -360.0)
        tail = np.array([[end, rolled[0, 1]], [end, pole], [rolled[0, 0], pole]])
        geom: Polygon | MultiPolygon = repaired(Polygon(np.vstack([rolled, tail])))
    else:
        geom = repaired(Polygon(xy))
    out: Polygon | MultiPolygon = shapely.orient_polygons(geom)
    return out
