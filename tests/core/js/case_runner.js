// Test helper, for Node and the browser alike: what wrm-rings.js computes for
// each case [lat, lon, rangeKm, minRangeKm], as plain JSON-able objects.
(function (global) {
  'use strict';
  function runCases(WRM, cases) {
    function outlineOf(lat, lon, km) {
      var n = WRM.vertexCount(lat, km);
      var o = WRM.outline(lat, WRM.normalizeLon(lon), km * 1000, n);
      return { n: n, x: Array.from(o.x), y: Array.from(o.y), az: Array.from(o.az) };
    }
    function plain(polygons) {
      return polygons.map(function (rings) { return rings.map(function (r) { return [r.x, r.y]; }); });
    }
    return cases.map(function (c) {
      var lat = c[0], lon = c[1], km = c[2], minKm = c[3], nl = WRM.normalizeLon(lon);
      var g = WRM.ringGeometry(lat, lon, km, minKm);
      return {
        outer: outlineOf(lat, lon, km),
        inner: minKm > 0 ? outlineOf(lat, lon, minKm) : null,
        kinds: [WRM.disk(lat, nl, km * 1000, WRM.vertexCount(lat, km)).kind,
                minKm > 0 ? WRM.disk(lat, nl, minKm * 1000, WRM.vertexCount(lat, minKm)).kind : null],
        exact: g.exact,
        polygons: plain(g.polygons),
        latlngs: WRM.ringLatLngs(lat, lon, km, minKm)
      };
    });
  }
  if (typeof module === 'object' && module.exports) module.exports = runCases;
  else global.wrmRunCases = runCases;
})(typeof window !== 'undefined' ? window : globalThis);
