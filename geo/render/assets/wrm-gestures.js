/* Weapon Range Map: a map inside a page takes only two-finger gestures (issue 10).
 *
 * leaflet-gesture-handling (vendored unchanged, VENDORED.md) turns map dragging off, so that a
 * one-finger swipe that starts on the map scrolls the page, and turns it on while two fingers
 * are down: they pan and pinch the map, as embedded news maps do. This file says where it is on
 * and fixes what it gets wrong with Leaflet 1.9:
 *
 * - where: window.WRM_GESTURES = "embedded" (the standalone HTML export) turns it on when the
 *   page is inside another page's <iframe> (a news page), for touch and the mouse wheel alike;
 *   otherwise (the app's map, always inside streamlit-folium's iframe) only on a touch screen,
 *   "(pointer: coarse)", so that a desktop keeps dragging and wheel zoom as before.
 * - Chromium fixes a touch's touch-action when the finger goes down, before any touchstart
 *   handler runs, and Leaflet's CSS gives the map "touch-action: none" while dragging is on. The
 *   plugin leaves dragging on after a two-finger gesture, and turns it on again on the
 *   "mouseover" the browser sends after a tap: the next one-finger swipe then moved the map
 *   instead of the page. Dragging goes off again once the last finger is up and on those
 *   mouse events that follow a touch.
 * - A finger on a launch-point marker drags the marker (its CSS says "touch-action: none", so the
 *   page does not scroll under it): the plugin's "use two fingers" notice is not shown then.
 */
(function () {
  "use strict";
  if (!window.L || !L.Map) { return; }

  //: Mouse events this soon (ms) after a touch are the browser's emulation of that touch.
  var TOUCH_MOUSE_MS = 1000;

  function wanted() {
    if (window.WRM_GESTURES === "embedded") {
      try { return window.self !== window.top; } catch (e) { return true; } // a cross-origin parent: embedded
    }
    return !!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
  }

  function scrollMode(map) {
    map.dragging.disable();
    map.scrollWheelZoom.disable();
  }

  L.Map.addInitHook(function () {
    var map = this;
    if (!map.gestureHandling || !wanted()) { return; }
    map.gestureHandling.enable();
    var container = map.getContainer();
    var lastTouch = 0;
    container.addEventListener("touchstart", function (e) {
      lastTouch = Date.now();
      var onMarker = !!(e.target.closest && e.target.closest(".wrm-launch"));
      L.DomUtil[onMarker ? "addClass" : "removeClass"](container, "wrm-touch-marker");
    }, {capture: true, passive: true});
    function ended(e) {
      lastTouch = Date.now();
      if (e.touches.length === 0) {
        // After Leaflet's own touchend handlers (on the document) have finished the gesture.
        setTimeout(function () { scrollMode(map); }, 0);
      }
    }
    container.addEventListener("touchend", ended, {passive: true});
    container.addEventListener("touchcancel", ended, {passive: true});
    // Registered after the plugin's own "mouseover" handler, so it runs after it.
    map.on("mouseover", function () {
      if (Date.now() - lastTouch < TOUCH_MOUSE_MS) { scrollMode(map); }
    });
  });
})();
