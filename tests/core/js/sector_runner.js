// Test helper, for Node and the browser alike: what wrm-rings.js computes for each range fan
// [lat, lon, rangeKm, minRangeKm, bearingDeg, widthDeg] (tests/core/test_sectors_js.py).
(function (global) {
  'use strict';
  function runSectors(WRM, cases) {
    return cases.map(function (c) {
      var g = WRM.sectorGeometry(c[0], c[1], c[2], c[3], c[4], c[5]);
      return {
        n: WRM.vertexCount(c[0], c[2]),
        arc: WRM.arcAzimuths(WRM.vertexCount(c[0], c[2]), c[4], c[5]),
        polygons: g ? g.polygons.map(function (p) { return p.map(function (r) { return [r.x, r.y]; }); }) : null,
        latlngs: WRM.sectorLatLngs(c[0], c[1], c[2], c[3], c[4], c[5])
      };
    });
  }
  if (typeof module === 'object' && module.exports) module.exports = runSectors;
  else global.wrmRunSectors = runSectors;
})(typeof window !== 'undefined' ? window : globalThis);
