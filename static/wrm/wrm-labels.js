/*
 * wrm-labels.js: ring labels that never overlap, whatever the zoom (issue 12).
 *
 * How far apart two labels' spots are on screen depends on the zoom (two rings
 * 85 km apart are 8.6 px apart at zoom 4 and 700 px at zoom 10), so the lift
 * that keeps them apart is measured in pixels, after every zoom: a port of
 * geo.analysis.labels.lift_boxes. From the top of the screen down, a label
 * that overlaps one already placed goes just below it, until it overlaps none.
 *
 * Load after leaflet.js and before the map is made (it adds an init hook to
 * L.Map). Labels are the `.wrm-ring-label > div` of geo/render/layers.py,
 * placed with `bottom: LIFT_PX`. In Node: require('./wrm-labels.js').liftBoxes.
 */
(function (global) {
  'use strict';

  var LIFT_PX = 2;   // geo.render.layers.RING_LABEL_LIFT_PX: the label's own distance above its spot
  var GAP = 1.0;     // geo.analysis.labels.LIFT_GAP

  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /** Boxes {left, top, right, bottom}, y downwards → how far each moves down (geo.analysis.labels.lift_boxes). */
  function liftBoxes(boxes, gap) {
    if (gap === undefined) gap = GAP;
    var order = boxes.map(function (_, k) { return k; });
    order.sort(function (i, j) { return boxes[i].top - boxes[j].top || i - j; });
    var placed = [], drops = boxes.map(function () { return 0.0; });
    order.forEach(function (k) {
      var b = boxes[k], drop = 0.0, moved = true;
      while (moved) {
        moved = false;
        for (var i = 0; i < placed.length; i++) {
          var p = placed[i];
          if (overlap({left: b.left, top: b.top + drop, right: b.right, bottom: b.bottom + drop}, p)) {
            drop = p.bottom - b.top + gap;
            moved = true;
          }
        }
      }
      drops[k] = drop;
      placed.push({left: b.left, top: b.top + drop, right: b.right, bottom: b.bottom + drop});
    });
    return drops;
  }

  /** Lay out every ring label inside one map container. */
  function layout(container) {
    var divs = Array.prototype.slice.call(container.querySelectorAll('.wrm-ring-label > div'));
    divs.forEach(function (d) { d.style.bottom = LIFT_PX + 'px'; });
    var boxes = divs.map(function (d) {
      var r = d.getBoundingClientRect();
      return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    });
    var drops = liftBoxes(boxes);
    divs.forEach(function (d, k) {
      if (drops[k] > 0) d.style.bottom = (LIFT_PX - drops[k]) + 'px';
    });
    container.setAttribute('data-wrm-labels', String(divs.length));
  }

  var api = {liftBoxes: liftBoxes, layout: layout};
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  global.WRMLabels = api;

  if (global.L && global.L.Map) {
    global.L.Map.addInitHook(function () {
      var map = this, pending = false;
      function schedule() {
        if (pending) return;
        pending = true;
        (global.requestAnimationFrame || setTimeout)(function () {
          pending = false;
          layout(map.getContainer());
        });
      }
      map.on('load zoomend viewreset resize layeradd', schedule);
    });
  }
})(typeof window !== 'undefined' ? window : this);
