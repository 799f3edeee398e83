"""How independent readers take an exported outline: distances and areas under each edge convention (issue 9).

Each reader joins a file's vertices its own way:

- ``lonlat``: straight lines in lon/lat (RFC 7946 readers: QGIS, GDAL, shapely);
- ``geodesic``: geodesics (PostGIS geography, BigQuery, pyproj's
  ``Geod.geometry_area_perimeter``, GeographicLib's PolygonArea);
- ``mercator``: straight lines in Web Mercator (Leaflet, web maps), only where
  both ends are within ±85.05°;
- GDAL: ``ogr2ogr -t_srs EPSG:6933`` (reprojection to the equal-area
  EASE-Grid 2.0) or ``ESRI:54009`` (Mollweide), then the planar area, as a
  GIS computes it.

Distances: each edge sampled at 15 points as the reader draws it, each
sample's geodesic distance from the launch point minus the range (pyproj,
independent of ``geo``). Edges that stand for no curve (on ±180° or at a pole:
cuts and closures) are skipped: no reader's error there is a ring's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, shape

GEOD = Geod(ellps="WGS84")
MAX_MERCATOR_LAT = 85.0511287798
_T = np.linspace(0.0, 1.0, 17)[1:-1]


def polygons(geom: Any) -> list[Polygon]:
    return [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]


def rings_of(geom: Any) -> Iterator[np.ndarray]:
    for p in polygons(geom):
        yield np.asarray(p.exterior.coords)[:, :2]
        for r in p.interiors:
            yield np.asarray(r.coords)[:, :2]


def _real_edges(xy: np.ndarray) -> np.ndarray:
    """(n, 2, 2) edges that are part of a curve: not on ±180°, not at a pole, not along a meridian."""
    a, b = xy[:-1], xy[1:]
    seam = (np.abs(np.abs(a[:, 0]) - 180.0) < 1e-9) & (np.abs(np.abs(b[:, 0]) - 180.0) < 1e-9)
    pole = (np.abs(a[:, 1]) > 89.99999) | (np.abs(b[:, 1]) > 89.99999)
    meridian = a[:, 0] == b[:, 0]  # a cut (at ±180° or between lunes): ring vertices never share a longitude
    keep = ~(seam | pole | meridian)
    return np.stack([a[keep], b[keep]], axis=1)


def sample_edges(edges: np.ndarray, reading: str) -> tuple[np.ndarray, np.ndarray]:
    """Points along each edge as ``reading`` draws it: (lons, lats), flattened."""
    lon1, lat1, lon2, lat2 = edges[:, 0, 0], edges[:, 0, 1], edges[:, 1, 0], edges[:, 1, 1]
    lon2 = lon1 + (lon2 - lon1 + 180.0) % 360.0 - 180.0 if reading == "geodesic" else lon2
    t = _T[None, :]
    if reading == "lonlat":
        return (lon1[:, None] + t * (lon2 - lon1)[:, None]).ravel(), (
            lat1[:, None] + t * (lat2 - lat1)[:, None]
        ).ravel()
    if reading == "mercator":
        on = (np.abs(lat1) <= MAX_MERCATOR_LAT) & (np.abs(lat2) <= MAX_MERCATOR_LAT)
        y1 = np.arctanh(np.sin(np.radians(lat1[on])))
        y2 = np.arctanh(np.sin(np.radians(lat2[on])))
        y = y1[:, None] + t * (y2 - y1)[:, None]
        lon = lon1[on][:, None] + t * (lon2 - lon1)[on][:, None]
        return lon.ravel(), np.degrees(np.arctan(np.sinh(y))).ravel()
    if reading == "geodesic":
        az, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        lon, lat, _ = GEOD.fwd(
            np.repeat(lon1, len(_T)), np.repeat(lat1, len(_T)), np.repeat(az, len(_T)), (dist[:, None] * t).ravel()
        )
        return np.asarray(lon), np.asarray(lat)
    raise ValueError(reading)


def distance_errors_m(geom: Any, lat: float, lon: float, radii_m: list[float]) -> dict[str, float]:
    """For each reading, the largest |distance from the launch point − nearest radius| along the drawn edges, m."""
    out = {}
    for reading in ("lonlat", "geodesic", "mercator"):
        worst = 0.0
        for xy in rings_of(geom):
            edges = _real_edges(xy)
            if not len(edges):
                continue
            s_lon, s_lat = sample_edges(edges, reading)
            if not len(s_lon):
                continue
            _, _, d = GEOD.inv(np.full(len(s_lon), lon), np.full(len(s_lon), lat), s_lon, s_lat)
            err = np.min(np.abs(np.asarray(d)[:, None] - np.asarray(radii_m)[None, :]), axis=1)
            worst = max(worst, float(err.max()))
        out[reading] = worst
    return out


def geodesic_area_km2(geom: Any) -> float:
    """pyproj's ``geometry_area_perimeter``: edges as geodesics, signed by orientation, summed, km²."""
    return sum(GEOD.geometry_area_perimeter(p)[0] for p in polygons(geom)) / 1e6


def lonlat_area_km2(geom: Any, step_deg: float = 0.02) -> float:
    """The ellipsoidal area of the shape as lon/lat readers draw it (edges straight in lon/lat), km²."""
    return geodesic_area_km2(shapely.segmentize(shapely.orient_polygons(geom), step_deg))


def ogr_available() -> bool:
    return shutil.which("ogr2ogr") is not None and shutil.which("ogrinfo") is not None


def run_ogr(*args: str) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()[:500]}")
    return done.stdout


def gdal_equal_area_km2(feature_collection: dict[str, Any], crs: str = "EPSG:6933") -> list[float]:
    """Area of each polygonal feature after ``ogr2ogr -t_srs <crs>`` (an equal-area CRS), km² (GDAL's reading)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.geojson", Path(tmp) / "out.geojson"
        src.write_text(json.dumps(feature_collection), encoding="utf-8")
        run_ogr("ogr2ogr", "-f", "GeoJSON", "-s_srs", "EPSG:4326", "-t_srs", crs, str(dst), str(src))
        out = json.loads(dst.read_text(encoding="utf-8"))
    return [
        shape(f["geometry"]).area / 1e6
        for f in out["features"]
        if f["geometry"] and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ]


def as_multipolygon(geom: Any) -> MultiPolygon:
    return MultiPolygon(polygons(geom))
