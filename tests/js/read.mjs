// Read a GeoJSON FeatureCollection on stdin the way d3-geo does, for tests/export/test_d3_winding.py.
// Prints, per feature with a polygonal geometry, its area in km² on d3's sphere (mean radius
// 6,371.0088 km) and whether it contains each [lon, lat] of argv[2] (a JSON array).
import { geoArea, geoContains } from "d3-geo";

const RADIUS_KM = 6371.0088;
const points = JSON.parse(process.argv[2] || "[]");
let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(text)
    .features.filter((f) => f.geometry && /Polygon$/.test(f.geometry.type))
    .map((f) => ({
      area_km2: geoArea(f) * RADIUS_KM * RADIUS_KM,
      contains: points.map((p) => geoContains(f, p)),
    }));
  process.stdout.write(JSON.stringify(out));
});
