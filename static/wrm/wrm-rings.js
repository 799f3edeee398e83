/*
 * wrm-rings.js: Weapon Range Map range rings and range fans in the browser, for
 * the live preview while a launch-point marker is dragged (issues 10 and 12).
 *
 * A line-by-line port of geo/core/rings.py (range_ring_unwrapped and the helpers
 * it calls), solving every vertex with GeographicLib's own JavaScript
 * (npm geographiclib-geodesic, the same algorithm pyproj's Geod.fwd runs in
 * C), so the preview is the server's ring: same vertex count, same azimuths,
 * vertices within nanometres of pyproj, same unwrapping, same closure along a
 * pole, same donut. No dependencies besides the geodesic library, no build
 * step. Load after geographiclib-geodesic(.min).js:
 *
 *   <script src="vendor/geographiclib-geodesic.min.js"></script>
 *   <script src="wrm-rings.js"></script>
 *   var polys = WRM.ringLatLngs(lat, lon, rangeKm, minRangeKm);  // for L.polygon
 *
 *   var fan = WRM.sectorLatLngs(lat, lon, rangeKm, minRangeKm, 60, 90);  // a range fan (geo/core/sectors.py)
 *
 * In Node: var WRM = require('./wrm-rings.js'); WRM.use(require('./vendor/...'));
 *
 * Coordinates: internally x = longitude, y = latitude (shapely's order);
 * ringLatLngs() returns Leaflet's order, [lat, lon].
 */
(function (global) {
  'use strict';

  // ---- constants (geo/core/rings.py) -------------------------------------------
  var MAX_RANGE_KM = 19950.0;
  var MAX_MERCATOR_LAT = 85.0511287798;
  var MEAN_RADIUS_M = 6371008.7714;
  var SAFETY = 1.15;
  var MIN_VERTICES = 8;
  var MAX_VERTICES = 8192;
  var MIN_DEGREE_OF_LATITUDE_M = 110574.0;
  var MAX_LON_STEP_DEG = 90.0;
  var DEG = Math.PI / 180.0;                      // math.radians: x * (pi / 180)
  var SIN_MAX_MERCATOR_LAT = Math.sin(MAX_MERCATOR_LAT * DEG);
  // np.linspace(0, 2*pi, 721): i * step, the last one exactly 2*pi.
  var COS_SAMPLES = (function () {
    var n = 721, step = (2.0 * Math.PI) / (n - 1), c = new Float64Array(n);
    for (var i = 0; i < n; i++) c[i] = Math.cos(i === n - 1 ? 2.0 * Math.PI : i * step);
    return c;
  })();

  var G = null, MASK_LATLON = 0, MASK_DIST = 0, MASK_AZI = 0;

  /** Bind the geodesic library (the object geographiclib-geodesic exports). */
  function use(geodesic) {
    G = geodesic.Geodesic.WGS84;
    MASK_LATLON = geodesic.Geodesic.LATITUDE | geodesic.Geodesic.LONGITUDE;
    MASK_DIST = geodesic.Geodesic.DISTANCE;
    MASK_AZI = geodesic.Geodesic.AZIMUTH;
    return api;
  }
  function geod() {
    if (!G) {
      if (global.geodesic) use(global.geodesic);
      else throw new Error('WRM: load geographiclib-geodesic first (or call WRM.use(geodesic))');
    }
    return G;
  }

  // ---- numpy / Python arithmetic, exactly -------------------------------
  /** Python's and numpy's float modulo (sign of the divisor). */
  function pymod(a, b) {
    var m = a % b;                                  // C fmod
    if (m !== 0) { if ((b < 0) !== (m < 0)) m += b; } else m = b < 0 ? -0 : 0;
    return m;
  }
  /** np.round (half to even). */
  function rint(x) {
    var r = Math.round(x);                          // half up
    if (r - x === 0.5 && r % 2 !== 0) r -= 1;       // a tie: take the even one
    return r;
  }
  /** np.unwrap(p, period=360) in place, same operations in the same order. */
  function unwrap360(p, n) {
    var cum = 0.0, prev = p[0];
    for (var i = 1; i < n; i++) {
      var cur = p[i], dd = cur - prev;
      var ddmod = pymod(dd + 180.0, 360.0) - 180.0;
      if (ddmod === -180.0 && dd > 0) ddmod = 180.0;
      var corr = ddmod - dd;
      if (Math.abs(dd) < 180.0) corr = 0.0;
      cum += corr;                                  // cumsum, sequential
      p[i] = cur + cum;
      prev = cur;                                   // diffs of the input
    }
  }
  /** geo.coords.normalize_lon, with check_latlon's "keep a literal 180". */
  function normalizeLon(lon) {
    if (lon === 180.0) return 180.0;
    if (lon >= -180.0 && lon < 180.0) return lon;
    return pymod(lon + 180.0, 360.0) - 180.0;
  }

  // ---- vertex count (rings.vertex_count) ---------------------------------
  function chordToleranceM(rangeKm) { return Math.max(0.0005 * rangeKm * 1000.0, 50.0); }

  function vertexCount(lat, rangeKm) {
    var radiusM = rangeKm * 1000.0;
    var sigma = radiusM / MEAN_RADIUS_M;
    var phi0 = lat * DEG;
    var sinPhi0 = Math.sin(phi0), cosPhi0 = Math.cos(phi0);
    var sinSigma = Math.sin(sigma), cosSigma = Math.cos(sigma);
    var cotSigma = cosSigma / sinSigma;
    var a = sinPhi0 * cosSigma, b = cosPhi0 * sinSigma;
    var north = a + b * 1.0, south = a + b * -1.0;
    var curvature, c, v, k;
    if (Math.abs(north) <= SIN_MAX_MERCATOR_LAT && Math.abs(south) <= SIN_MAX_MERCATOR_LAT) {
      curvature = 0.0;
      for (k = 0; k < 2; k++) {
        c = k === 0 ? 1.0 : -1.0;
        var sinEnd = k === 0 ? north : south;
        var northEnd = cosPhi0 * cosSigma * c - sinPhi0 * sinSigma;
        curvature = Math.max(curvature, Math.abs(cotSigma + sinEnd * northEnd / (1.0 - sinEnd * sinEnd)));
      }
      curvature /= MEAN_RADIUS_M;
    } else {
      var m = 0.0, cc = cosPhi0 * cosSigma, ss = sinPhi0 * sinSigma;
      for (k = 0; k < COS_SAMPLES.length; k++) {
        v = a + b * COS_SAMPLES[k];
        v = v < -1.0 ? -1.0 : (v > 1.0 ? 1.0 : v);    // np.clip
        if (!(Math.abs(v) <= SIN_MAX_MERCATOR_LAT)) continue;
        var nrt = cc * COS_SAMPLES[k] - ss;
        var t = Math.abs(cotSigma + v * nrt / (1.0 - v * v));
        if (t > m) m = t;
      }
      curvature = Math.max(m, Math.abs(cotSigma)) / MEAN_RADIUS_M;
    }
    var circumference = 2.0 * Math.PI * MEAN_RADIUS_M * Math.sin(sigma);
    var n = SAFETY * circumference * Math.sqrt(curvature / (8.0 * chordToleranceM(rangeKm)));
    return Math.min(Math.max(Math.ceil(n), MIN_VERTICES), MAX_VERTICES) | 0;
  }

  // ---- azimuths (rings._azimuths) -----------------------------------------
  var azCache = new Map();
  /** np.linspace(360, 0, n, endpoint=False); shared, read-only by convention. */
  function azimuths(n) {
    var az = azCache.get(n);
    if (!az) {
      az = new Float64Array(n);
      var step = (0.0 - 360.0) / n;
      for (var i = 0; i < n; i++) az[i] = i * step + 360.0;
      if (azCache.size > 256) azCache.clear();
      azCache.set(n, az);
    }
    return az;
  }

  // ---- outline (rings._ring_outline, rings._refine_near_pole) -------------
  function wrappedStep(d) { return Math.abs(pymod(d + 180.0, 360.0) - 180.0); }

  /**
   * The ring's n outline vertices (more near a pole), counter-clockwise,
   * longitudes unwrapped, lons[0] within 180 degrees of lon.
   * Returns {x: Float64Array lons, y: Float64Array lats, az: Float64Array, n}.
   */
  function outline(lat, lon, radiusM, n) {
    var g = geod();
    var az = azimuths(n);
    var x = new Float64Array(n), y = new Float64Array(n), i, r;
    for (i = 0; i < n; i++) {
      r = g.GenDirect(lat, lon, az[i], false, radiusM, MASK_LATLON);
      x[i] = r.lon2; y[i] = r.lat2;
    }
    var big = false;
    for (i = 0; i < n; i++) {
      if (wrappedStep((i + 1 < n ? x[i + 1] : x[0]) - x[i]) > MAX_LON_STEP_DEG) { big = true; break; }
    }
    if (big) {
      var ref = refineNearPole(lat, lon, radiusM, x, y, az);
      x = ref.x; y = ref.y; az = ref.az; n = x.length;
    }
    for (i = 0; i < n; i++) {
      if (Math.abs((i + 1 < n ? x[i + 1] : x[0]) - x[i]) > 180.0) { unwrap360(x, n); break; }
    }
    var shift = 360.0 * rint((lon - x[0]) / 360.0);
    for (i = 0; i < n; i++) x[i] += shift;
    return { x: x, y: y, az: az, n: n };
  }

  function refineNearPole(lat, lon, radiusM, x, y, az0) {
    var g = geod(), az = Float64Array.from(az0), it, i, k;
    for (it = 0; it < 30; it++) {
      var n = x.length, idx = [];
      for (i = 0; i < n; i++) {
        if (wrappedStep((i + 1 < n ? x[i + 1] : x[0]) - x[i]) > MAX_LON_STEP_DEG) idx.push(i);
      }
      if (idx.length === 0) break;
      var m = idx.length, nx = new Float64Array(n + m), ny = new Float64Array(n + m), na = new Float64Array(n + m);
      for (i = 0, k = 0; i < n; i++) {
        nx[i + k] = x[i]; ny[i + k] = y[i]; na[i + k] = az[i];
        if (k < m && idx[k] === i) {
          var nextAz = i + 1 < n ? az[i + 1] : az[0] - 360.0;
          var mid = (az[i] + nextAz) / 2.0;
          var r = g.GenDirect(lat, lon, pymod(mid, 360.0), false, radiusM, MASK_LATLON);
          k++;
          nx[i + k] = r.lon2; ny[i + k] = r.lat2; na[i + k] = mid;
        }
      }
      x = nx; y = ny; az = na;
    }
    return { x: x, y: y, az: az };
  }

  // ---- disks (rings._disk) --------------------------------------------------
  /**
   * The area within radiusM, as the pieces the donut construction needs.
   * kind 'S': a simple outline o. 'N' / 'P' (south): the outline o running once
   * round the pole from x0 = o.x[0] to end = x0 +/- 360 at latitude y0, closed
   * along the pole. 'B' (both poles): the box [W, W+360] x [-90, 90] minus
   * the hole o around the antipode (and its copies 360 degrees away).
   */
  function disk(lat, lon, radiusM, n) {
    var o = outline(lat, lon, radiusM, n);
    var hasN = false, hasS = false;
    if (!(radiusM < (90.0 - Math.abs(lat)) * MIN_DEGREE_OF_LATITUDE_M)) {
      var g = geod();
      hasN = radiusM > g.Inverse(lat, lon, 90.0, lon, MASK_DIST).s12;
      hasS = radiusM > g.Inverse(lat, lon, -90.0, lon, MASK_DIST).s12;
    }
    if (hasN && hasS) return { kind: 'B', o: o, W: lon - 180.0 };
    if (hasN || hasS) {
      var x = o.x, y = o.y, nn = o.n, i;
      if (hasS) {
        var across = 0, best = Infinity;
        for (i = 0; i < nn; i++) { var d = Math.abs(o.az[i] - 180.0); if (d < best) { best = d; across = i; } }
        var rx = new Float64Array(nn), ry = new Float64Array(nn);
        for (i = 0; i < nn; i++) { rx[i] = x[(i + across) % nn]; ry[i] = y[(i + across) % nn]; }
        unwrap360(rx, nn);
        x = rx; y = ry;
      }
      var span = hasN ? 360.0 : -360.0;
      var shift = 360.0 * rint((lon - (x[0] + span / 2.0)) / 360.0);
      var sx = new Float64Array(nn);
      for (i = 0; i < nn; i++) sx[i] = x[i] + shift;
      return { kind: hasN ? 'N' : 'P', o: { x: sx, y: y, n: nn }, x0: sx[0], y0: y[0],
               end: sx[0] + span, pole: hasN ? 90.0 : -90.0 };
    }
    return { kind: 'S', o: o };
  }

  // ---- ring building ---------------------------------------------------------
  function Ring() { this.x = []; this.y = []; }
  Ring.prototype.push = function (x, y) {
    var n = this.x.length;
    if (n && this.x[n - 1] === x && this.y[n - 1] === y) return;   // no repeated points
    this.x.push(x); this.y.push(y);
  };
  Ring.prototype.pushOutline = function (o, from, to, step) {     // o.x/o.y[from..to] inclusive
    for (var i = from; step > 0 ? i <= to : i >= to; i += step) this.push(o.x[i], o.y[i]);
  };
  Ring.prototype.close = function () {                          // drop a closing repeat
    var n = this.x.length;
    while (n > 1 && this.x[n - 1] === this.x[0] && this.y[n - 1] === this.y[0]) { this.x.pop(); this.y.pop(); n--; }
    return this;
  };
  Ring.prototype.area2 = function () { return signedArea2(this.x, this.y, this.x.length); };
  Ring.prototype.orient = function (ccw) {                       // shapely.orient_polygons
    var a = this.area2();
    if ((ccw && a < 0) || (!ccw && a > 0)) { this.x.reverse(); this.y.reverse(); }
    return this;
  };
  function fromOutline(o) { var r = new Ring(); r.pushOutline(o, 0, o.n - 1, 1); return r.close(); }

  /** Latitude where segment (x1,y1)-(x2,y2) meets the meridian x = X. */
  function crossY(x1, y1, x2, y2, X) { return y1 + (y2 - y1) * ((X - x1) / (x2 - x1)); }

  /**
   * Split the hole outline of a 'B' disk at the box edge x = W: the part east
   * of it (inside the box) from its top crossing to its bottom crossing, and
   * the part west of it, shifted by +360, from bottom to top. The outline is
   * clockwise around the antipode, vertex 0 on the antipodal meridian.
   */
  function splitHole(o, W) {
    // The server subtracts the hole and its copies 360 degrees east and west
    // from the box: x is the copy straddling W, xe the one straddling W + 360.
    var n = o.n, x = new Float64Array(n), xe = new Float64Array(n), y = new Float64Array(n), i;
    var k = rint((o.x[0] - W) / 360.0);
    for (i = 0; i < n; i++) {
      x[i] = k === 0 ? o.x[i] : o.x[i] + -360.0 * k;
      xe[i] = k === 1 ? o.x[i] : x[i] + 360.0;
      y[i] = o.y[i];
    }
    if (signedArea2(x, y, n) > 0) { x.reverse(); xe.reverse(); y.reverse(); }   // expected clockwise already
    var start = -1;                                   // a vertex west of the edge
    for (i = 0; i < n; i++) if (x[i] < W) { start = i; break; }
    if (start < 0) return null;
    var E = W + 360.0, inP = new Ring(), outB = new Ring(), outA = new Ring();
    var out = outA, inside = false, crossings = 0;
    for (var s = 0; s < n; s++) {
      var a = (start + s) % n, b = (a + 1) % n;
      if (inside) inP.push(x[a], y[a]); else out.push(xe[a], y[a]);
      var inB = x[b] >= W;
      if (!inside && inB) {                             // entering the box (the notch's top)
        var yt = x[b] === W ? y[b] : crossY(x[a], y[a], x[b], y[b], W);
        out.push(E, yt); inP.push(W, yt); inside = true; crossings++;
      } else if (inside && !inB) {                      // leaving it (the notch's bottom)
        var yb = x[a] === W ? y[a] : crossY(x[a], y[a], x[b], y[b], W);
        inP.push(W, yb); out = outB; out.push(E, yb); inside = false; crossings++;
      }
    }
    if (crossings !== 2) return null;                   // not the expected shape
    appendRing(outB, outA);                             // west part: bottom ... start ... top
    return { inP: inP, outP: outB, W: W };
  }

  function signedArea2(x, y, n) {
    var s = 0;
    for (var i = 0, j = n - 1; i < n; j = i++) s += (x[j] - x[i]) * (y[j] + y[i]);
    return s;
  }

  /** A lone disk (rings._disk) as polygons [[exterior]], or null if its shape is not the expected one. */
  function diskRings(d) {
    if (d.kind === 'S') return [[fromOutline(d.o).orient(true)]];
    if (d.kind === 'N' || d.kind === 'P') return [[poleRing(d, null).orient(true)]];
    var h = splitHole(d.o, d.W);
    if (!h) return null;
    return [[boxRing(h, null, null).orient(true)]];
  }

  function appendRing(dst, src) { for (var i = 0; i < src.x.length; i++) dst.push(src.x[i], src.y[i]); }

  /**
   * The box minus the hole: down the west edge round the east-going notch,
   * along the bottom (or the inner south-pole cap), up the east edge round the
   * west-going notch, along the top (or the inner north-pole cap).
   */
  function boxRing(h, capBottom, capTop) {
    var r = new Ring(), W = h.W;
    appendRing(r, h.inP);
    if (capBottom) capBottom(r, W, W + 360.0); else { r.push(W, -90.0); r.push(W + 360.0, -90.0); }
    appendRing(r, h.outP);
    if (capTop) capTop(r, W, W + 360.0); else { r.push(W + 360.0, 90.0); r.push(W, 90.0); }
    return r.close();
  }

  /*
   * Caps: an inner pole disk taken out of the outer disk's frame [X0, X1] (the
   * 360 degrees the outer disk spans). The inner disk spans [L, R] = its own
   * 360 degrees, closed along the pole. Where [L, R] is not exactly [X0, X1]
   * GEOS's difference (rings._ring_geometry) leaves the uncovered column of
   * the frame, from the inner outline to the pole: a real wedge when the
   * seams are apart (a south-pole outline starts at the vertex nearest
   * azimuth 180, off the antipodal meridian when the vertex count is odd), a
   * zero-width spike when they differ by rounding. Both are reproduced, so
   * the preview is what the server draws.
   */

  /**
   * With the seam fix (opts.seamFix: the server subtracting the inner disk's
   * copies 360 degrees east and west too, see README) the cap is the inner
   * outline, continued periodically, clipped to the frame: no column.
   * dir +1: the chain runs eastward (south cap), -1 westward (north cap).
   */
  // The server subtracts the inner disk's copies 360 degrees east and west too
  // (geo/core/rings.py, _ring_geometry); {seamFix: false} gives the old wedge.
  function seamFix(opts) { return !(opts && opts.seamFix === false); }

  function periodicCap(r, inner, X0, X1, dir) {
    var o = inner.o, n = o.n, cx = [], cy = [], c, i, sh;
    for (c = -1; c <= 1; c++) {                        // copies, in the direction of travel
      sh = 360.0 * c * dir;
      cx.push(sh ? inner.end + sh : inner.end); cy.push(inner.y0);   // tail point
      for (i = n - 1; i >= 0; i--) { cx.push(sh ? o.x[i] + sh : o.x[i]); cy.push(o.y[i]); }
    }
    var m = cx.length, from = dir > 0 ? X0 : X1, to = dir > 0 ? X1 : X0;
    for (i = 0; i < m && dir * (cx[i] - from) < 0; i++);
    if (i === 0 || i === m) return;                     // not expected: leave the cap open
    if (cx[i] !== from) r.push(from, crossY(cx[i - 1], cy[i - 1], cx[i], cy[i], from));
    for (; i < m && dir * (cx[i] - to) < 0; i++) r.push(cx[i], cy[i]);
    if (i < m) r.push(to, cx[i] === to ? cy[i] : crossY(cx[i - 1], cy[i - 1], cx[i], cy[i], to));
  }

  /** North: the ring arrives up the east edge X1, leaves down the west edge X0. */
  function topCap(inner, opts) {
    return function (r, X0, X1) {
      if (seamFix(opts)) { periodicCap(r, inner, X0, X1, -1); return; }
      var o = inner.o, n = o.n, L = inner.x0, R = inner.end, i = n - 1;
      // Chain, westward: (R, y0), o[n-1], ..., o[0] = (L, y0).
      if (R < X1) { r.push(X1, 90.0); r.push(R, 90.0); r.push(R, inner.y0); }
      else if (R === X1) r.push(R, inner.y0);
      else {
        var px = R, py = inner.y0;
        for (; i >= 0 && o.x[i] >= X1; i--) { px = o.x[i]; py = o.y[i]; }
        if (i >= 0) r.push(X1, crossY(px, py, o.x[i], o.y[i], X1));
      }
      if (L < X0) {
        for (; i >= 0 && o.x[i] > X0; i--) r.push(o.x[i], o.y[i]);
        var qx = i + 1 < n ? o.x[i + 1] : R, qy = i + 1 < n ? o.y[i + 1] : inner.y0;
        if (i >= 0) r.push(X0, crossY(qx, qy, o.x[i], o.y[i], X0));
      } else {
        for (; i >= 0; i--) r.push(o.x[i], o.y[i]);
        if (L > X0) { r.push(L, 90.0); r.push(X0, 90.0); }
      }
    };
  }

  /** South: the ring arrives down the west edge X0, leaves up the east edge X1. */
  function bottomCap(inner, opts) {
    return function (r, X0, X1) {
      if (seamFix(opts)) { periodicCap(r, inner, X0, X1, 1); return; }
      var o = inner.o, n = o.n, L = inner.end, R = inner.x0, i = n - 1;
      // Chain, eastward: (L, y0), o[n-1], ..., o[0] = (R, y0).
      if (L > X0) { r.push(X0, -90.0); r.push(L, -90.0); r.push(L, inner.y0); }
      else if (L === X0) r.push(L, inner.y0);
      else {
        var px = L, py = inner.y0;
        for (; i >= 0 && o.x[i] <= X0; i--) { px = o.x[i]; py = o.y[i]; }
        if (i >= 0) r.push(X0, crossY(px, py, o.x[i], o.y[i], X0));
      }
      if (R > X1) {
        for (; i >= 0 && o.x[i] < X1; i--) r.push(o.x[i], o.y[i]);
        var qx = i + 1 < n ? o.x[i + 1] : L, qy = i + 1 < n ? o.y[i + 1] : inner.y0;
        if (i >= 0) r.push(X1, crossY(qx, qy, o.x[i], o.y[i], X1));
      } else {
        for (; i >= 0; i--) r.push(o.x[i], o.y[i]);
        if (R < X1) { r.push(R, -90.0); r.push(X1, -90.0); }
      }
    };
  }

  /** A pole disk's outline closed along its pole, or (inner) the band between two. */
  function poleRing(outer, inner, opts) {
    var r = fromOutline(outer.o);
    r.push(outer.end, outer.y0);
    if (!inner) { r.push(outer.end, outer.pole); r.push(outer.x0, outer.pole); }
    else if (outer.kind === 'N') topCap(inner, opts)(r, outer.x0, outer.end);
    else bottomCap(inner, opts)(r, outer.end, outer.x0);    // south: the outline ran westward to 'end'
    return r.close();
  }

  // ---- the ring (rings._ring_geometry with split=False) -------------------
  /**
   * Polygons of the area within range, min range cut out, longitudes unwrapped
   * around lon: [[exterior, hole...], ...], each ring a Ring {x: [], y: []}
   * (counter-clockwise exteriors, clockwise holes, not closed), as shapely's
   * range_ring_unwrapped gives them (up to where GEOS starts each ring).
   * opts (optional): seamFix (true: as the server would with the fix proposed
   * in the README: no column to the pole in a pole donut), nOuter / nInner
   * (vertex counts instead of vertexCount, like range_ring's n_vertices).
   * Returns {polygons, exact}; exact is false only if a shape was not the one
   * expected (never seen in the tests), then the plain outlines are returned.
   */
  function ringGeometry(lat, lon, rangeKm, minRangeKm, opts) {
    var nOuter = opts && opts.nOuter, nInner = opts && opts.nInner;
    lon = normalizeLon(lon);
    var rmin = minRangeKm || 0.0;
    var outer = disk(lat, lon, rangeKm * 1000.0, nOuter || vertexCount(lat, rangeKm));
    if (!(rmin > 0.0)) {
      var pr = diskRings(outer);
      return pr ? { polygons: pr, exact: true } : { polygons: fallback(outer, null), exact: false };
    }
    var inner = disk(lat, lon, rmin * 1000.0, nInner || vertexCount(lat, rmin));
    var ik = inner.kind, ok = outer.kind, ext, h;
    if (ik === 'S') {
      var hole = fromOutline(inner.o).orient(false);
      var ex = diskRings(outer);
      if (!ex) return { polygons: fallback(outer, inner), exact: false };
      ex[0].push(hole);
      return { polygons: ex, exact: true };
    }
    if (ok === 'S') return { polygons: fallback(outer, inner), exact: false };   // inner round a pole, outer not: impossible
    if (ok === 'N' || ok === 'P') {
      if (ik !== ok) return { polygons: fallback(outer, inner), exact: false };
      return { polygons: [[poleRing(outer, inner, opts).orient(true)]], exact: true };
    }
    // outer 'B'
    h = splitHole(outer.o, outer.W);
    if (!h) return { polygons: fallback(outer, inner), exact: false };
    if (ik === 'N') ext = boxRing(h, null, topCap(inner, opts));
    else if (ik === 'P') ext = boxRing(h, bottomCap(inner, opts), null);
    else {                                              // both 'B': what is left is a ring round the antipode, cut at the seam
      var hi = splitHole(inner.o, inner.W);
      if (!hi) return { polygons: fallback(outer, inner), exact: false };
      var east = new Ring(), west = new Ring();
      appendRing(east, hi.inP); for (var i = h.inP.x.length - 1; i >= 0; i--) east.push(h.inP.x[i], h.inP.y[i]);
      appendRing(west, hi.outP); for (i = h.outP.x.length - 1; i >= 0; i--) west.push(h.outP.x[i], h.outP.y[i]);
      return { polygons: [[east.close().orient(true)], [west.close().orient(true)]], exact: true };
    }
    return { polygons: [[ext.orient(true)]], exact: true };
  }

  /** Never expected: the outer disk's plain outline(s), drawn with even-odd fill. */
  function fallback(outer, inner) {
    var rings = [fromOutline(outer.o)];
    if (inner) rings.push(fromOutline(inner.o));
    return [rings];
  }

  // ---- range fans (geo/core/sectors.py, issue 12) ------------------------------
  /** np.arange(start, stop, step) for a negative step, element by element as numpy fills it. */
  function arangeDown(start, stop, step) {
    var len = Math.ceil((stop - start) / step);
    if (!(len > 0)) return [];
    var out = [start];
    if (len > 1) {
      var second = start + step, delta = second - start;
      out.push(second);
      for (var i = 2; i < len; i++) out.push(start + i * delta);
    }
    return out;
  }
  /** sectors._arc_azimuths: from the clockwise edge down to the counter-clockwise edge, the ring's own in between. */
  function arcAzimuths(n, azDeg, widthDeg) {
    var end = azDeg + widthDeg / 2.0, start = end - widthDeg, step = 360.0 / n;
    var inner = arangeDown(Math.floor(end / step - 1e-9) * step, start + 1e-9, -step);
    var out = [end];
    for (var i = 0; i < inner.length; i++) if (inner[i] < end - 1e-9 && inner[i] > start + 1e-9) out.push(inner[i]);
    out.push(start);
    return out;
  }
  /** np.linspace(a, b, n): i * step + a, the last one exactly b. */
  function linspace(a, b, n) {
    var out = new Array(n), step = (b - a) / (n - 1);
    for (var i = 0; i < n; i++) out[i] = i * step + a;
    out[n - 1] = b;
    return out;
  }
  /**
   * sectors._refined: points along azimuths at distance `fixed` (solve 'azimuth') or along
   * distances at azimuth `fixed` ('distance'), steps halved where longitudes jump over 90 degrees.
   */
  function refined(lat, lon, params, solve, fixed) {
    var g = geod();
    function at(p) {
      var r = solve === 'azimuth' ? g.GenDirect(lat, lon, pymod(p, 360.0), false, fixed, MASK_LATLON)
                                  : g.GenDirect(lat, lon, fixed, false, p, MASK_LATLON);
      return [r.lat2, r.lon2];
    }
    var ps = params.slice(), la = [], lo = [], i, it;
    for (i = 0; i < ps.length; i++) { var q = at(ps[i]); la.push(q[0]); lo.push(q[1]); }
    for (it = 0; it < 30; it++) {
      var idx = [];
      for (i = 0; i + 1 < lo.length; i++) if (wrappedStep(lo[i + 1] - lo[i]) > MAX_LON_STEP_DEG) idx.push(i);
      if (!idx.length) break;
      var np_ = [], nla = [], nlo = [], k = 0;
      for (i = 0; i < ps.length; i++) {
        np_.push(ps[i]); nla.push(la[i]); nlo.push(lo[i]);
        if (k < idx.length && idx[k] === i) {
          var mid = (ps[i] + ps[i + 1]) / 2.0, m = at(mid);
          np_.push(mid); nla.push(m[0]); nlo.push(m[1]); k++;
        }
      }
      ps = np_; la = nla; lo = nlo;
    }
    return { lat: la, lon: lo };
  }
  /** sectors.sector_outline: the closed outline, unwrapped (lon, lat), counter-clockwise, without pole closure. */
  function sectorOutline(lat, lon, rangeKm, azDeg, widthDeg, minRangeKm) {
    var rM = rangeKm * 1000.0, rminM = (minRangeKm || 0.0) * 1000.0;
    var n = vertexCount(lat, rangeKm), outerAz = arcAzimuths(n, azDeg, widthDeg);
    var arcStepM = 2.0 * Math.PI * rM / n;
    var radialN = Math.max(2, Math.ceil((rM - rminM) / arcStepM) + 1);
    var radial = linspace(rminM, rM, radialN), back = radial.slice().reverse();
    var aEnd = outerAz[0], aStart = outerAz[outerAz.length - 1];
    var la = [], lo = [], part, i;
    function add(p, from) { for (var j = from; j < p.lat.length - 1; j++) { la.push(p.lat[j]); lo.push(p.lon[j]); } }
    var first = refined(lat, lon, radial, 'distance', pymod(aEnd, 360.0));
    add(first, rminM > 0.0 ? 0 : 1);               // without a minimum range the launch point comes once, at the end
    add(refined(lat, lon, outerAz, 'azimuth', rM), 0);
    add(refined(lat, lon, back, 'distance', pymod(aStart, 360.0)), 0);
    if (rminM > 0.0) {
      var innerAz = arcAzimuths(vertexCount(lat, minRangeKm), azDeg, widthDeg).reverse();
      add(refined(lat, lon, innerAz, 'azimuth', rminM), 0);
    } else { la.push(lat); lo.push(lon); }
    var m = lo.length, x = Float64Array.from(lo);
    unwrap360(x, m);
    var ref = rminM === 0.0 ? x[m - 1] : x[0], shift = 360.0 * rint((lon - ref) / 360.0);
    for (i = 0; i < m; i++) x[i] += shift;
    return { x: x, y: Float64Array.from(la), n: m };
  }
  /** Whether the sector holds the North and the South Pole (sectors._pole_inside). */
  function sectorContains(azDeg, widthDeg, a) {                // Sector.contains
    return Math.abs(pymod(a - azDeg + 180.0, 360.0) - 180.0) <= widthDeg / 2.0 + 1e-12;
  }
  function poleInside(lat, lon, rM, azDeg, widthDeg, rminM) {
    var g = geod(), out = [false, false];
    [90.0, -90.0].forEach(function (pole, k) {
      var r = g.Inverse(lat, lon, pole, lon, MASK_DIST | MASK_AZI);
      out[k] = rminM <= r.s12 && r.s12 < rM &&
               (Math.abs(lat) >= 90.0 || sectorContains(azDeg, widthDeg, pymod(r.azi1, 360.0)));
    });
    return out;
  }
  /**
   * sectors.sector_polygon_unwrapped for a fan: {polygons: [[exterior]], exact} as ringGeometry gives
   * them, or null for a fan containing both poles (the server refuses it). A fan round one pole is
   * closed along the pole, at the seam opposite the launch meridian.
   */
  function sectorGeometry(lat, lon, rangeKm, minRangeKm, azDeg, widthDeg) {
    lon = normalizeLon(lon);
    var poles = poleInside(lat, lon, rangeKm * 1000.0, azDeg, widthDeg, (minRangeKm || 0.0) * 1000.0);
    if (poles[0] && poles[1]) return null;
    var o = sectorOutline(lat, lon, rangeKm, azDeg, widthDeg, minRangeKm), r = new Ring(), i;
    if (!poles[0] && !poles[1]) {
      for (i = 0; i < o.n; i++) r.push(o.x[i], o.y[i]);
      return { polygons: [[r.close().orient(true)]], exact: true };
    }
    var pole = poles[0] ? 90.0 : -90.0, n = o.n, seam = 0, best = Infinity;
    for (i = 0; i < n; i++) {
      var d = Math.abs(pymod(o.x[i] - lon, 360.0) - 180.0);
      if (d < best) { best = d; seam = i; }
    }
    var x = new Float64Array(n), y = new Float64Array(n);
    for (i = 0; i < n; i++) { x[i] = o.x[(i + seam) % n]; y[i] = o.y[(i + seam) % n]; }
    unwrap360(x, n);
    var span = x[n - 1] - x[0], end = x[0] + (span > 0 ? 360.0 : -360.0);
    var sh = 360.0 * rint((lon - (x[0] + end) / 2.0) / 360.0);
    for (i = 0; i < n; i++) x[i] += sh;
    end = x[0] + (span > 0 ? 360.0 : -360.0);
    for (i = 0; i < n; i++) r.push(x[i], y[i]);
    r.push(end, y[0]); r.push(end, pole); r.push(x[0], pole);
    return { polygons: [[r.close().orient(true)]], exact: true };
  }

  // ---- Leaflet output ---------------------------------------------------------
  /**
   * For L.polygon(...).setLatLngs(...): [[[lat, lon], ...], ...] per polygon
   * (Leaflet's MultiPolygon form). lon may be any real longitude (a dragged
   * marker can be a world away from [-180, 180]); the ring is computed for the
   * normalised longitude, as the server will, then moved by the same multiple
   * of 360 degrees so it is drawn round the marker.
   */
  function ringLatLngs(lat, lon, rangeKm, minRangeKm, opts) {
    var nl = normalizeLon(lon);
    return latLngs(ringGeometry(lat, nl, rangeKm, minRangeKm, opts).polygons, 360.0 * Math.round((lon - nl) / 360.0));
  }
  /** ringLatLngs for a range fan (bearing and full width, degrees); [] for a fan the server refuses. */
  function sectorLatLngs(lat, lon, rangeKm, minRangeKm, azDeg, widthDeg) {
    var nl = normalizeLon(lon), g = sectorGeometry(lat, nl, rangeKm, minRangeKm, azDeg, widthDeg);
    return g ? latLngs(g.polygons, 360.0 * Math.round((lon - nl) / 360.0)) : [];
  }
  function latLngs(polys, shift) {
    var out = new Array(polys.length);
    for (var p = 0; p < polys.length; p++) {
      var rings = polys[p], outRings = new Array(rings.length);
      for (var q = 0; q < rings.length; q++) {
        var x = rings[q].x, y = rings[q].y, n = x.length, ll = new Array(n);
        for (var i = 0; i < n; i++) ll[i] = [y[i], x[i] + shift];
        outRings[q] = ll;
      }
      out[p] = outRings;
    }
    return out;
  }

  // ---- JIT warm-up ------------------------------------------------------------
  /**
   * Run the code paths a drag will take (plain rings, donuts, rings round one
   * pole and both) for about budgetMs, so that the first drag frames do not
   * pay for V8's compilation. Call once the page is idle, e.g.
   * (window.requestIdleCallback || setTimeout)(function () { WRM.warmUp(30); }).
   * Returns the number of rings computed.
   */
  function warmUp(budgetMs) {
    var cases = [[51.0, 35.6, 300, 0], [50.0, 36.0, 165, 0], [48.0, 38.0, 500, 50], [84.0, 20.0, 1000, 50],
                 [60.0, 20.0, 5500, 0], [-60.0, 20.0, 5600, 3400], [0.0, 10.0, 15000, 11000],
                 [60.0, 20.0, 12000, 3400], [89.9, 0.0, 300, 100], [20.0, 179.9, 2500, 0]];
    var now = typeof performance === 'object' ? function () { return performance.now(); } : Date.now;
    var t0 = now(), i = 0, limit = budgetMs > 0 ? budgetMs : 30;
    do {
      var c = cases[i % cases.length];
      ringLatLngs(c[0] + (i % 7) * 1e-3, c[1] + (i % 5) * 1e-3, c[2], c[3]);
      i++;
    } while (now() - t0 < limit || i < cases.length);
    return i;
  }

  // ---- the map's drag handlers (geo/render/layers.py attaches them) ---------
  /**
   * dragstart: dim the server's layers (tagged properties.wrmSystem) and add one
   * preview polygon per system (the marker's options.wrmRings: [rangeKm,
   * minRangeKm, colour], largest first) to the marker's own feature group.
   */
  var dragStart = function (e) {
    var m = e.target, map = m._map, spec = m.options.wrmRings;
    if (!map || !spec || !(G || global.geodesic)) return;
    var group = null, dimmed = [];
    (global.feature_group || []).forEach(function (g) { if (!group && map.hasLayer(g) && g.hasLayer(m)) group = g; });
    map.eachLayer(function (l) {
      var p = l.feature && l.feature.properties;
      if (p && p.wrmSystem && l.setStyle) {
        dimmed.push([l, {opacity: l.options.opacity, fillOpacity: l.options.fillOpacity, dashArray: l.options.dashArray}]);
        l.setStyle({opacity: 0.35, fillOpacity: 0.03, dashArray: '4 4'});
      }
    });
    m._wrm = {start: m.getLatLng(), dimmed: dimmed, layers: spec.map(function (s) {
      return L.polygon([], {smoothFactor: 0, color: s[2], weight: 2.5, fillColor: s[2], fillOpacity: 0.12,
                            interactive: false, className: 'wrm-preview'}).addTo(group || map);
    })};
  };
  /** drag (once per animation frame): the rings at the marker's unrounded position, as the server will compute them. */
  var drag = function (e) {
    var m = e.target, s = m._wrm, spec = m.options.wrmRings;
    if (!s) return;
    var ll = m.getLatLng(), fan = m.options.wrmSector;   // [bearing, full width] of a range fan, or none
    for (var i = 0; i < spec.length; i++) {
      s.layers[i].setLatLngs(fan ? sectorLatLngs(ll.lat, ll.lng, spec[i][0], spec[i][1], fan[0], fan[1])
                                 : ringLatLngs(ll.lat, ll.lng, spec[i][0], spec[i][1]));
    }
  };

  // ---- report a click or a drop at once ------------------------------------
  // streamlit-folium sends the map's state to the server through a 250 ms debounce
  // (underscore's, trailing edge), so every click and drop waited a quarter of a
  // second before the rerun even started (issue 10). report() builds the same value
  // its updateComponentValue builds (same keys in the same order, the same
  // returned_objects filter and longitude wrapping), records it as the last value
  // sent and sends it now; when the debounced call runs it finds nothing new and
  // sends nothing. It leans on streamlit-folium 0.27's window.__GLOBAL_DATA__ and
  // window.Streamlit: without them it does nothing and the debounced path remains.
  var report = function (map) {
    var g = global.__GLOBAL_DATA__, S = global.Streamlit;
    if (!map || !g || !S || typeof S.setComponentValue !== 'function' || !map._loaded) return false;
    var wrap = g.wrap_longitude, w = function (v) { return v && wrap ? map.wrapLatLng(v) : v; };
    var bounds = map.getBounds();
    var all = {
      last_clicked: w(g.lat_lng_clicked), last_object_clicked: w(g.last_object_clicked),
      last_object_clicked_count: g.last_object_clicked_count,
      last_object_clicked_tooltip: g.last_object_clicked_tooltip,
      last_object_clicked_popup: g.last_object_clicked_popup, all_drawings: g.all_drawings,
      last_active_drawing: g.last_active_drawing, last_geocoder_result: g.last_geocoder_result,
      bounds: bounds && wrap ? map.wrapLatLngBounds(bounds) : bounds, zoom: map.getZoom(),
      last_circle_radius: g.last_circle_radius, last_circle_polygon: g.last_circle_polygon,
      center: w(map.getCenter()), selected_layers: Object.values(g.selected_layers || {}),
      selected_tags: g.selected_tags
    };
    var out = all;
    if (g.returned_objects) {
      out = {};
      Object.keys(all).forEach(function (k) { if (g.returned_objects.indexOf(k) >= 0) out[k] = all[k]; });
    }
    if (JSON.stringify(g.previous_data) === JSON.stringify(out)) return false;
    g.previous_data = out;
    S.setComponentValue(out);
    return true;
  };
  // A click on the map or on a layer: Leaflet handles the DOM click (and streamlit-folium's
  // listeners record it) before this listener, added later to the same element, runs.
  var hooked = null;
  var hookClicks = function () {
    var map = global.map;
    if (!map || map === hooked || !map.getContainer) return;
    hooked = map;
    map.getContainer().addEventListener('click', function () {
      global.setTimeout(function () { report(map); }, 0);
    });
  };

  var api = {
    MAX_RANGE_KM: MAX_RANGE_KM,
    MAX_MERCATOR_LAT: MAX_MERCATOR_LAT,
    use: use,
    vertexCount: vertexCount,
    chordToleranceM: chordToleranceM,
    azimuths: azimuths,
    outline: outline,
    disk: disk,
    ringGeometry: ringGeometry,
    ringLatLngs: ringLatLngs,
    arcAzimuths: arcAzimuths,
    sectorOutline: sectorOutline,
    sectorGeometry: sectorGeometry,
    sectorLatLngs: sectorLatLngs,
    warmUp: warmUp,
    dragStart: dragStart,
    drag: drag,
    report: report,
    normalizeLon: normalizeLon,
    _pymod: pymod,
    _rint: rint,
    _unwrap360: unwrap360
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else {
    global.WRM = api;
    // In a page: warm the JIT up once the page is idle (about 30 ms), unless
    // window.WRM_NO_WARMUP is set before this script loads.
    if (!global.WRM_NO_WARMUP && typeof global.setTimeout === 'function') {
      var later = global.requestIdleCallback || function (f) { return global.setTimeout(f, 200); };
      later(function () { try { if (global.geodesic) warmUp(30); } catch (e) { /* a preview only */ } });
    }
    // streamlit-folium creates window.map after this script loads (and again if it remounts).
    if (typeof global.setInterval === 'function' && global.document) global.setInterval(hookClicks, 100);
  }
})(typeof window !== 'undefined' ? window : globalThis);
