"""Reverse reach: from where can a system reach the target?

Geodesic distance is symmetric, so the launch sites from which a system
reaches a target are the points within its range of the target: the same
geodesic ring as any launch ring (:func:`geo.core.rings.range_ring`), drawn
around the target, with the minimum range as a hole (a donut). Optionally
clipped to a country: "the part of Ukraine from which ATACMS reaches Kursk".

Both the ring and the Natural Earth country are RFC 7946 (split at ±180°),
so their intersection is taken piece by piece in the same frame and is
correct across the antimeridian. The area is the analysis's one area
method, :func:`geo.core.area.outline_area_km2`: for the whole ring it adds
back the chords' shortfall (exact to 2 ppm); along a country border, whose
many short edges it reads as slightly curved, it adds about 40 ppm (ATACMS
from Ukraine to Kursk: 87,982.8 km² against 87,979.8 km² with a ring of
16,384 vertices; tests/analysis/test_reverse.py also checks it against a
dense brute force).

Computed once here and rendered everywhere: the map layer, the target
panel, the share link (``r=``), ``python -m geo reverse`` and its GeoJSON.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.core.area import outline_area_km2
from geo.core.coords import LatLon
from geo.core.rings import check_range, range_ring
from geo.core.shapes import polygonal
from geo.datasets.countries import Country, country
from geo.scenario.model import System

__all__ = ["ReverseReach", "reverse_reach"]


@dataclass(frozen=True, eq=False)
class ReverseReach:
    """Where ``system`` can be fired from to reach ``target``.

    Attributes
    ----------
    system : System
    target : LatLon
    country : Country or None
        The country the area is clipped to, or None for the whole ring.
    geometry : Polygon or MultiPolygon
        RFC 7946 (lon, lat), split at ±180°, exterior rings counter-clockwise;
        empty when the country lies wholly out of reach.
    area_km2 : float
        Ellipsoidal area of ``geometry`` (WGS84).
    """

    system: System
    target: LatLon
    country: Country | None
    geometry: Polygon | MultiPolygon
    area_km2: float

    @property
    def empty(self) -> bool:
        return bool(self.geometry.is_empty)

    def caption(self) -> str:
        """One line: system, where from, how much area."""
        where = f" in {self.country.name}" if self.country is not None else ""
        if self.empty:
            return f"{self.system.name} cannot reach the target from anywhere{where}"
        return f"{self.system.name} reaches the target from {self.area_km2:,.0f} km²{where}"

    def summary(self, target_label: str = "") -> str:
        """One line naming the target, for a legend or a placemark: the page's area, to the km².

        Examples
        --------
        >>> r = reverse_reach(LatLon(51.73, 36.19), System.custom("X", 300))
        >>> r.summary("Kursk")
        'From where X reaches Kursk: 282,691 km²'
        """
        where = f" in {self.country.name}" if self.country is not None else ""
        target = target_label or "the target"
        if self.empty:
            return f"{self.system.name} cannot reach {target} from anywhere{where}"
        return f"From where {self.system.name} reaches {target}: {self.area_km2:,.0f} km²{where}"


def reverse_reach(target: LatLon, system: System, country_code: str | None = None) -> ReverseReach:
    """The area from which ``system`` reaches ``target``, optionally only inside a country.

    Parameters
    ----------
    target : LatLon
    system : System
        Its range and minimum range (a donut) are used.
    country_code : str, optional
        ISO code or English name of a Natural Earth country (German point of
        view: Crimea in Ukraine).

    Raises
    ------
    InputError
        An unknown country, or a range out of bounds.

    Examples
    --------
    >>> s = System.custom("X", 300)
    >>> r = reverse_reach(LatLon(51.73, 36.19), s, "UA")  # Kursk
    >>> r.country.iso2, 0 < r.area_km2 < 282_700
    ('UA', True)
    """
    r_km, rmin_km = check_range(system.range_km, system.min_range_km)
    ring = range_ring(target.lat, target.lon, r_km, min_range_km=rmin_km)
    clip: Country | None = None
    geom: Polygon | MultiPolygon = ring
    if country_code is not None and country_code.strip():
        clip = country(country_code.strip())
        part = shapely.clip_by_rect(clip.geometry, *ring.bounds)
        geom = polygonal(shapely.intersection(part, ring))
    geom = shapely.orient_polygons(geom)
    area = 0.0 if geom.is_empty else outline_area_km2(geom)
    return ReverseReach(system, target, clip, geom, area)
