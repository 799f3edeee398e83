"""Exports state the span where sources disagree, in the words the page uses (issue 11).

Each export renders :func:`geo.datasets.catalog.span_text`; a system whose sources agree gets no
span. Read back as a reader's tool would: the SVG's text elements, the KML description
(ElementTree), the standalone HTML's sources list.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from geo.datasets.catalog import Catalog, span_text
from geo.export.image import render_image
from geo.export.kml import KML_NS, rings_kml
from geo.render.html_export import standalone_html
from geo.scenario.model import LaunchPoint, systems_from_ids

SUMY = LaunchPoint(50.91, 34.80, "Sumy")
SVG_NS = "{http://www.w3.org/2000/svg}"
KH_SPAN = "drawn: 4,500 km · claims up to 5,500 km"


def test_the_image_footer_gives_the_span(catalog: Catalog) -> None:
    svg = render_image([SUMY], systems_from_ids(catalog, ["kh-101", "atacms-300"]), colors={}, fmt="svg")
    texts = [el.text or "" for el in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    joined = " ".join(" ".join(texts).split())
    assert span_text(catalog.get("kh-101")) == KH_SPAN
    assert f"Gazeta.ru, 2017-07-06 ({KH_SPAN})" in joined
    assert "Janes, 2023-08-03;" in joined or "Janes, 2023-08-03." in joined  # no span where sources agree


def test_the_kml_description_gives_the_span_and_the_reason(catalog: Catalog) -> None:
    root = ET.fromstring(rings_kml([SUMY], systems_from_ids(catalog, ["kh-101", "atacms-300"])))
    descriptions = {
        pm.findtext("k:name", namespaces={"k": KML_NS}): html.unescape(
            pm.findtext("k:description", namespaces={"k": KML_NS}) or ""
        )
        for pm in root.iter(f"{{{KML_NS}}}Placemark")
    }
    kh = next(d for name, d in descriptions.items() if name and name.startswith("Kh-101"))
    assert f"Sources disagree: {KH_SPAN}" in kh and catalog.get("kh-101").drawn_because in kh
    atacms = next(d for name, d in descriptions.items() if name and name.startswith("ATACMS"))
    assert "Sources disagree" not in atacms


def test_the_html_export_gives_the_span_in_the_unit_shown(catalog: Catalog) -> None:
    page = standalone_html([SUMY], systems_from_ids(catalog, ["kh-101"]), colors={}, unit="mi")
    sources = html.unescape(re.search(r'<ul class="wrm-sources">(.*?)</ul>', page, re.S).group(1))  # type: ignore[union-attr]
    assert "drawn: 2,796 mi · claims up to 3,418 mi" in sources
