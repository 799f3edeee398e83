"""Take the map away: every file made from the same analysis, when its button is clicked."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from geo.analysis.analyse import Analysis
from geo.analysis.caption import caption_for
from geo.analysis.compare import CSV_ENCODING_LABEL, comparison_csv, comparison_rows, excel_csv
from geo.export.geojson import analysis_geojson
from geo.export.kml import rings_kml
from geo.render.html_export import standalone_html
from webapp import caches, state

if TYPE_CHECKING:
    from geo.export.image import PrintSize

# geo.export.image (matplotlib, about 0.6 s to import) is imported when this tab is first
# opened, not on the first map's path (issue 10); caches.warm_later imports it meanwhile.


def downloads_panel(analysis: Analysis) -> None:
    scenario = analysis.scenario
    if not scenario.has_launch_sites or not scenario.systems:
        st.caption("Add launch points or zones and systems to export them.")
        return
    colors = state.get().color_map
    key = (scenario, analysis.zones, tuple(sorted(colors.items())))
    target = analysis.target
    point = target.point if target is not None else None
    label = target.label if target is not None else ""

    # The caption and alt text every export carries (issue 11), to copy into an article.
    caption = caption_for(analysis)
    st.text_area(
        "Caption (one sentence per system, from this analysis)",
        caption.text,
        key=f"caption_text_{hash(caption.text)}",
        height=120,
        help="Copy it under the map in your article. The PNG, SVG, HTML and KML exports carry the same text.",
    )
    st.text_area(
        "Alt text (describes the map for screen readers)",
        caption.alt,
        key=f"caption_alt_{hash(caption.alt)}",
        height=90,
    )

    zones = analysis.zones
    del analysis  # the callables below must not hold it: see current()

    def current() -> Analysis:
        # Streamlit keeps a download button's callable after its session is gone (it
        # clears a closed session's files only if a script run ends the session), so a
        # callable holding the analysis kept a heavy link's places in reach (170 MB)
        # for good. It holds the scenario and its zones, which the session holds
        # anyway, and fetches the analysis from the bounded cache when clicked.
        return caches.analysis(scenario, zones)

    def cached(kind: str, make: Callable[[], str | bytes]) -> Callable[[], str | bytes]:
        # Made when a button is clicked (Streamlit calls ``data`` then), so dragging a
        # point never pays for exports nobody asked for; kept for a repeat click.
        return lambda: caches.EXPORTS.get((kind, *key), make)

    files: list[tuple[str, Callable[[], str | bytes], str, str]] = [
        (
            "GeoJSON (QGIS, geojson.io, Leaflet; RFC 7946)",
            cached("geojson", lambda: json.dumps(analysis_geojson(current()), ensure_ascii=False)),
            "weapon-range-map.geojson",
            "application/geo+json",
        ),
        (
            # d3-geo reads RFC 7946's counter-clockwise rings as the globe minus the ring (issue 9).
            "GeoJSON for D3 / Datawrapper (clockwise)",
            cached("geojson-cw", lambda: json.dumps(analysis_geojson(current(), winding="cw"), ensure_ascii=False)),
            "weapon-range-map-clockwise.geojson",
            "application/geo+json",
        ),
        (
            "KML (Google Earth)",
            cached(
                "kml",
                # The page's analysis: its target, reverse reach and label mode (l=) too.
                lambda: rings_kml(
                    scenario.points,
                    scenario.systems,
                    colors=colors,
                    unit=scenario.unit,
                    zones=zones,
                    analysis=current(),
                ),
            ),
            "weapon-range-map.kml",
            "application/vnd.google-earth.kml+xml",
        ),
        (
            "Map as one HTML file (offline, embeddable)",
            cached(
                "html",
                lambda: standalone_html(
                    scenario.points,
                    scenario.systems,
                    colors=colors,
                    unit=scenario.unit,
                    title="Weapon Range Map",
                    target=point,
                    target_label=label,
                    zones=zones,
                    analysis=current(),
                ),
            ),
            "weapon-range-map.html",
            "text/html",
        ),
        (
            f"Comparison table ({CSV_ENCODING_LABEL})",
            cached("compare-csv", lambda: excel_csv(comparison_csv(comparison_rows(current()), scenario.unit))),
            "weapon-range-comparison.csv",
            "text/csv",
        ),
    ]
    from geo.export.image import ARTICLE_SIZE, PRINT_SIZES, SQUARE_SIZE

    column, page, a4 = PRINT_SIZES["column"], PRINT_SIZES["page"], PRINT_SIZES["a4"]
    images: list[tuple[str, tuple[int, int] | PrintSize, str, str]] = [
        ("png", ARTICLE_SIZE, "article", "Image, article 1600×1000 (PNG)"),
        ("png", SQUARE_SIZE, "square", "Image, square 1080×1080 (PNG)"),
        ("svg", ARTICLE_SIZE, "article", "Image, article 1600×1000 (SVG)"),
        # Print: 300 dpi, type sizes in points (geo.export.image.PRINT_SIZES).
        ("png", column, "column", "Print, one column 8.5 × 13 cm, 300 dpi (PNG)"),
        ("png", page, "page", "Print, page width 17 × 11 cm, 300 dpi (PNG)"),
        ("svg", page, "page", "Print, page width 17 × 11 cm (SVG)"),
        ("png", a4, "a4", "Print, A4 landscape, 300 dpi (PNG)"),
    ]
    for fmt, size, name, text in images:
        files.append(
            (
                text,
                cached(f"image-{fmt}-{name}", functools.partial(_image, current, colors, size, fmt)),
                f"weapon-range-map-{name}.{fmt}",
                "image/png" if fmt == "png" else "image/svg+xml",
            )
        )
    columns = st.columns(3)
    for i, (text, make, file_name, mime) in enumerate(files):
        columns[i % 3].download_button(
            text, make, file_name=file_name, mime=mime, key=f"dl_{file_name}", on_click="ignore", width="stretch"
        )
    st.caption(
        "Exports carry the sources of each range and the data credits. Images use an azimuthal equidistant "
        "projection centred on the launch area, so the rings keep their true shape. Print sizes are 300 dpi "
        "with type set in points (labels 6.5–9 pt, credits at least 6 pt). The clockwise GeoJSON is for "
        "tools built on d3-geo (Observable Plot, Vega-Lite, Datawrapper, Flourish-style D3 code), which read the "
        "standard counter-clockwise rings as the rest of the globe."
    )


def _image(
    current: Callable[[], Analysis], colors: dict[str, str], size: tuple[int, int] | PrintSize, fmt: str
) -> bytes:
    from geo.export.image import render_image

    analysis = current()
    scenario, target = analysis.scenario, analysis.target
    return render_image(
        scenario.points,
        scenario.systems,
        colors=colors,
        unit=scenario.unit,
        zones=analysis.zones,
        size=size,
        fmt="svg" if fmt == "svg" else "png",
        target=target.point if target is not None else None,
        target_label=target.label if target is not None else "",
        credit_geonames=True,
        analysis=analysis,
    )
