"""Take the map away: every file made from the same analysis, when its button is clicked."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

import streamlit as st

from geo.analysis.analyse import Analysis
from geo.analysis.compare import CSV_ENCODING_LABEL, comparison_csv, comparison_rows, excel_csv
from geo.export.geojson import analysis_geojson
from geo.export.image import ARTICLE_SIZE, SQUARE_SIZE, render_image
from geo.export.kml import rings_kml
from geo.render.html_export import standalone_html
from webapp import caches, state


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

    def cached(kind: str, make: Callable[[], str | bytes]) -> Callable[[], str | bytes]:
        # Made when a button is clicked (Streamlit calls ``data`` then), so dragging a
        # point never pays for exports nobody asked for; kept for a repeat click.
        return lambda: caches.EXPORTS.get((kind, *key), make)

    files: list[tuple[str, Callable[[], str | bytes], str, str]] = [
        (
            "GeoJSON (QGIS, geojson.io, Leaflet; RFC 7946)",
            cached("geojson", lambda: json.dumps(analysis_geojson(analysis), ensure_ascii=False)),
            "weapon-range-map.geojson",
            "application/geo+json",
        ),
        (
            # d3-geo reads RFC 7946's counter-clockwise rings as the globe minus the ring (issue 9).
            "GeoJSON for D3 / Datawrapper (clockwise)",
            cached("geojson-cw", lambda: json.dumps(analysis_geojson(analysis, winding="cw"), ensure_ascii=False)),
            "weapon-range-map-clockwise.geojson",
            "application/geo+json",
        ),
        (
            "KML (Google Earth)",
            cached(
                "kml",
                lambda: rings_kml(
                    scenario.points, scenario.systems, colors=colors, unit=scenario.unit, zones=analysis.zones
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
                    zones=analysis.zones,
                    analysis=analysis,
                ),
            ),
            "weapon-range-map.html",
            "text/html",
        ),
        (
            f"Comparison table ({CSV_ENCODING_LABEL})",
            cached("compare-csv", lambda: excel_csv(comparison_csv(comparison_rows(analysis), scenario.unit))),
            "weapon-range-comparison.csv",
            "text/csv",
        ),
    ]
    for fmt, size, name in (
        ("png", ARTICLE_SIZE, "article"),
        ("png", SQUARE_SIZE, "square"),
        ("svg", ARTICLE_SIZE, "article"),
    ):
        files.append(
            (
                f"Image, {name} {size[0]}×{size[1]} ({fmt.upper()})",
                cached(f"image-{fmt}-{size}", functools.partial(_image, analysis, colors, size, fmt)),
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
        "projection centred on the launch area, so the rings keep their true shape. The clockwise GeoJSON is for "
        "tools built on d3-geo (Observable Plot, Vega-Lite, Datawrapper, Flourish-style D3 code), which read the "
        "standard counter-clockwise rings as the rest of the globe."
    )


def _image(analysis: Analysis, colors: dict[str, str], size: tuple[int, int], fmt: str) -> bytes:
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
