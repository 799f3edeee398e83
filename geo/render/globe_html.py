"""The globe as one standalone HTML file (``python -m geo globe … -o globe.html``, issue 12).

The same layers as the app's globe (:func:`geo.render.globe.deck_spec` of the one
analysis), drawn by deck.gl's prebuilt bundle, inlined (``vendor/deck.gl.min.js``,
see ``vendor/VENDORED.md``): the file opens offline, in any browser with WebGL 2.
The page's words (title, legend, caption, credits) are escaped HTML; the labels
on the globe are drawn by deck.gl's TextLayer on the canvas, from JSON data whose
``<`` is written ``\\u003c`` so that no name can close the script.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from geo.analysis.analyse import Analysis
from geo.analysis.caption import caption_for
from geo.core.units import format_distance
from geo.datasets.countries import NATURAL_EARTH_CREDIT
from geo.render import templates
from geo.render.globe import deck_spec, globe_layers

__all__ = ["deck_bundle", "globe_html"]

VENDOR_DIR: Final = Path(__file__).resolve().parent / "vendor"
#: The globe's height the view is framed for; the page rescales the zoom to the window's height
#: (deck.gl's globe scales with the canvas height: its camera stands 1.5 heights away).
FRAMED_HEIGHT_PX: Final = 620


@functools.cache
def deck_bundle() -> str:
    """deck.gl's browser bundle (vendored, unchanged); it holds no ``</script``, so it inlines as is."""
    text = (VENDOR_DIR / "deck.gl.min.js").read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise RuntimeError("deck.gl.min.js contains '</script': it cannot be inlined unchanged")
    return text


#: Builds the deck.gl objects from the spec: ``@@type`` names a class of the ``deck`` global,
#: ``"@@=field"`` an accessor reading that field, ``"@@=[…]"`` a function returning that constant
#: (the only expressions the spec uses; deck.gl's JSONConverter reads them the same way).
_DRAW_JS: Final = """
(function () {
  var spec = JSON.parse(document.getElementById("wrm-globe-spec").textContent);
  function props(obj) {
    var out = {};
    Object.keys(obj).forEach(function (key) {
      var v = obj[key];
      if (key === "@@type") return;
      if (typeof v === "string" && v.indexOf("@@=") === 0) {
        var expr = v.slice(3);
        if (expr.charAt(0) === "[") {
          var constant = JSON.parse(expr);
          v = function () { return constant; };
        } else {
          v = function (d) { return d[expr]; };
        }
      }
      out[key] = v;
    });
    return out;
  }
  var layers = spec.layers.map(function (l) { return new deck[l["@@type"]](props(l)); });
  var views = spec.views.map(function (v) { return new deck[v["@@type"]](props(v)); });
  var view = Object.assign({}, spec.initialViewState);
  var el = document.getElementById("wrm-globe");
  view.zoom += Math.log2(Math.max(el.clientHeight, 100) / spec.framedHeightPx);
  window.wrmGlobe = new deck.Deck({parent: el, views: views, initialViewState: view, controller: true, layers: layers});
})();
"""

_CSS: Final = """
html, body { margin: 0; height: 100%; font: 14px/1.35 system-ui, sans-serif; color: #222; background: #fff; }
#wrm-globe { position: absolute; inset: 0; }
.wrm-legend { position: absolute; left: 12px; top: 12px; max-width: min(420px, 45vw); background: rgba(255,255,255,.92);
  padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.wrm-legend h1 { font-size: 16px; margin: 0 0 6px; }
.wrm-legend ul { list-style: none; margin: 0; padding: 0; }
.wrm-legend li { margin: 2px 0; overflow-wrap: anywhere; }
.wrm-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.wrm-legend p { font-size: 12px; margin: 6px 0 0; overflow-wrap: anywhere; }
"""


def globe_html(analysis: Analysis, colors: Mapping[str, str], *, title: str = "") -> str:
    """One HTML page that draws the analysis on a globe, offline.

    Parameters
    ----------
    analysis : Analysis
        The one analysis of the scenario (:func:`geo.analysis.analyse.analyse`).
    colors : mapping of str to str
        System id → ``#rrggbb``, the map's colours.
    title : str, optional
        The page's title (escaped); default "Weapon Range Map: globe".
    """
    layers = globe_layers(analysis, colors, height_px=FRAMED_HEIGHT_PX)
    spec = {**deck_spec(layers), "framedHeightPx": FRAMED_HEIGHT_PX}
    unit = analysis.scenario.unit
    heading = title.strip() or "Weapon Range Map: globe"
    items = []
    for result in analysis.results:
        system = result.system
        color = colors.get(system.id, "#333333")
        items.append(
            f'<li><span class="wrm-swatch" style="background:{html.escape(color)}"></span>'
            f"{html.escape(system.name)}: {html.escape(format_distance(system.range_km, unit))}</li>"
        )
    caption = caption_for(analysis)
    text = " ".join(html.escape(t.text) for t in caption.systems)
    credit = html.escape(NATURAL_EARTH_CREDIT)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>{_CSS}</style></head><body>"
        f'<div id="wrm-globe" role="img" aria-label="{html.escape(caption.alt)}" aria-describedby="wrm-caption"></div>'
        f'<div class="wrm-legend"><h1>{html.escape(heading)}</h1><ul>{"".join(items)}</ul>'
        f'<p id="wrm-caption">{text}</p>'
        "<p>Geodesic ranges on the WGS84 ellipsoid. Drag to turn the globe, scroll to zoom. "
        f"Borders: {credit} Drawn with deck.gl (MIT).</p></div>"
        f"<script>{deck_bundle()}</script>"
        f'<script type="application/json" id="wrm-globe-spec">{templates.script_json(spec)}</script>'
        f"<script>{_DRAW_JS}</script>"
        "</body></html>\n"
    )
