"""How independent readers take exported rings, before and after densification (issue 9).

For each case, the GeoJSON ring as written before issue 9 (the map's vertex
count, split at ±180°) and as written now (:func:`geo.export.geojson.ring_shape`),
read as:

- distance: the largest gap, metres, between the edges as each reader draws
  them and the true ring (lon/lat straight, geodesic, Web Mercator straight);
- area: the reader's area against the stated ``area_km2``, % (pyproj's
  geodesic area; edges straight in lon/lat; GDAL ``ogr2ogr -t_srs EPSG:6933`` and
  ``ESRI:54009`` (Mollweide);
  the ``antimeridian`` package's ``fix_shape`` then pyproj);
- vertices: how many the file carries.

Run: ``python -m bench.bench_export_readers``. Prints a
Markdown table; no timings.
"""

from __future__ import annotations

import sys

import antimeridian
import shapely
from shapely.geometry import mapping, shape

from geo.core.rings import chord_tolerance_m, range_ring
from geo.export.geojson import EXPORT_PRECISION, ring_shape, round_geometry
from geo.scenario.model import LaunchPoint, System
from tests import gis_readers as gr

CASES = [
    ("300 km, Sumy", 50.9, 34.8, 300.0, 0.0),
    ("500/50 km donut, Kyiv", 50.45, 30.52, 500.0, 50.0),
    ("2,500 km near the North Pole (85° N)", 85.0, 0.0, 2500.0, 0.0),
    ("2,500 km at the North Pole", 90.0, 0.0, 2500.0, 0.0),
    ("2,500 km, Kamchatka (56° N 160° E)", 56.0, 160.0, 2500.0, 0.0),
    ("2,500 km, 65° N 175° E", 65.0, 175.0, 2500.0, 0.0),
    ("19,000 km, Sumy", 50.9, 34.8, 19000.0, 0.0),
]


def _fix_shape_area(geom: object) -> str:
    try:
        fixed = shape(antimeridian.fix_shape(mapping(geom)))
    except Exception as exc:  # the point is to report what the reader does
        return f"raises {type(exc).__name__}"
    return f"{gr.geodesic_area_km2(fixed):.6g}"


def measure(label: str, lat: float, lon: float, range_km: float, min_km: float) -> list[list[str]]:
    point, system = LaunchPoint(lat, lon, "x"), System.custom("x", range_km, min_range_km=min_km)
    shp, area = ring_shape(point, system)
    before = round_geometry(range_ring(lat, lon, range_km, min_range_km=min_km), EXPORT_PRECISION)
    radii = [range_km * 1000.0] + ([min_km * 1000.0] if min_km else [])
    rows = []
    for when, geom in (("before", before), ("after", shp.polygon)):
        d = gr.distance_errors_m(geom, lat, lon, radii)
        fc = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": mapping(geom)}],
        }
        gdal = sum(gr.gdal_equal_area_km2(fc)) if gr.ogr_available() else float("nan")
        moll = sum(gr.gdal_equal_area_km2(fc, "ESRI:54009")) if gr.ogr_available() else float("nan")
        fixed = _fix_shape_area(geom)

        def pct(a: float) -> str:
            return f"{100.0 * (a - area) / area:+.3f}"

        rows.append(
            [
                label if when == "before" else "",
                when,
                str(len(shapely.get_coordinates(geom))),
                f"{d['lonlat']:.0f}",
                f"{d['geodesic']:.0f}",
                f"{d['mercator']:.0f}",
                f"{chord_tolerance_m(range_km):.0f}",
                pct(gr.geodesic_area_km2(geom)),
                pct(gr.lonlat_area_km2(geom)),
                pct(gdal),
                pct(moll),
                fixed if fixed.startswith("raises") else pct(float(fixed)),
            ]
        )
    return rows


def main() -> None:
    head = ["case", "", "vertices", "lon/lat m", "geodesic m", "Mercator m", "tolerance m"]
    head += [
        "area % pyproj geodesic",
        "area % lon/lat",
        "area % GDAL EPSG:6933",
        "area % GDAL ESRI:54009",
        "area % antimeridian.fix_shape",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case in CASES:
        for row in measure(*case):
            print("| " + " | ".join(row) + " |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
