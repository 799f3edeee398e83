"""Weapon Range Map's geometry library: geodesic range rings on WGS84.

A pure library: no Streamlit here. The app (``app.py``), the command line
(``python -m geo``) and the tests all call it.

Examples
--------
>>> import geo
>>> ring = geo.range_ring(50.9, 34.8, 300)
>>> round(geo.ring_area_km2(50.9, 34.8, 300))
282691
"""

from geo.core.coords import LatLon, check_latlon, format_latlon, parse_latlon
from geo.core.rings import (
    MAX_RANGE_KM,
    destination,
    geodesic_area_km2,
    range_ring,
    range_ring_unwrapped,
    range_rings,
    ring_area_km2,
    vertex_count,
)
from geo.datasets.catalog import Catalog, Source, Weapon, load_catalog, parse_catalog
from geo.errors import CatalogError, InputError

__all__ = [
    "MAX_RANGE_KM",
    "Catalog",
    "CatalogError",
    "InputError",
    "LatLon",
    "Source",
    "Weapon",
    "check_latlon",
    "destination",
    "format_latlon",
    "geodesic_area_km2",
    "load_catalog",
    "parse_catalog",
    "parse_latlon",
    "range_ring",
    "range_ring_unwrapped",
    "range_rings",
    "ring_area_km2",
    "vertex_count",
]
