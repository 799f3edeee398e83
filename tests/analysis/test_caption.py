"""Captions and alt text (issue 11): every number is the analysis's, formatted by Babel.

Authorities: a brute force over the whole gazetteer with GeographicLib for the
places and people in reach, Babel's own formatting for the numbers, Pillow for
the PNG's text chunks, ElementTree for the SVG and KML, an HTML parser for
the standalone page.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import numpy as np
import pytest
from babel.units import format_unit
from geographiclib.geodesic import Geodesic
from PIL import Image

from geo.analysis.analyse import Analysis, analyse
from geo.analysis.caption import caption_for, format_area, format_length, format_number
from geo.datasets.catalog import load_catalog
from geo.datasets.districts import district_parents
from geo.datasets.gazetteer import load_gazetteer
from geo.errors import InputError
from geo.export.image import render_image
from geo.export.kml import KML_NS, rings_kml
from geo.render.html_export import standalone_html
from geo.scenario.model import LaunchPoint, Scenario, System
from geo.scenario.share import decode_query

SUMY = LaunchPoint(50.91, 34.8, "Sumy")


@pytest.fixture(scope="module")
def sumy() -> Analysis:
    return analyse(
        Scenario(points=(SUMY,), systems=(System.from_weapon(load_catalog().get("atacms-300")),), target="Minsk")
    )


def brute_force(lat: float, lon: float, range_km: float) -> tuple[int, int, list[str]]:
    """Places of the 15,000 tier within range, by GeographicLib over every row (no prefilter),
    without the city districts among them."""
    g = load_gazetteer(15_000)
    d = np.array(
        [Geodesic.WGS84.Inverse(lat, lon, a, b, Geodesic.DISTANCE)["s12"] for a, b in zip(g.lat, g.lon, strict=True)]
    )
    rows = np.flatnonzero(d <= range_km * 1000)  # rows are sorted by population, largest first
    parent = district_parents(g.lat[rows], g.lon[rows], g.population[rows], g.country_code[rows], g.admin1[rows])
    towns = rows[parent < 0]  # each city once: its districts are in its figure
    return int(towns.size), int(g.population[towns].sum()), [str(g.name[i]) for i in towns[:4]]


def test_the_caption_numbers_are_the_brute_force_ones(sumy: Analysis) -> None:
    (cap,) = caption_for(sumy).systems
    n, people, largest = brute_force(50.91, 34.8, 300)
    assert (len(cap.places), cap.people) == (n, people)
    assert f"{people:,} people in {n:,} places of at least 15,000 people" in cap.text
    named = re.findall(r"(?:^|, )([^,(]+) \(", cap.text.split("reaches ", 1)[1].split(";")[0])
    assert named == largest
    for name in largest:  # each named place with its geodesic distance
        row = next(r for r in cap.places if r.name == name)
        d = Geodesic.WGS84.Inverse(50.91, 34.8, row.lat, row.lon)["s12"] / 1000
        assert f"{name} ({round(d):,} km)" in cap.text
    assert f"area {round(sumy.results[0].area_km2):,} km²" in cap.text
    assert cap.cities_over == sum(1 for r in cap.places if r.population > 100_000)
    assert "Saltivka" not in {r.name for r in cap.places}  # a district of Kharkiv
    d_minsk = Geodesic.WGS84.Inverse(50.91, 34.8, 53.9, 27.56667)["s12"] / 1000
    assert f"Minsk, Belarus: out of range ({round(d_minsk):,} km from Sumy" in cap.text
    src = sumy.results[0].system.weapon.primary_source
    assert f"Sources: {src.publisher}, dated {src.date:%B} {src.date.day}, {src.date.year}" in cap.text


def test_the_alt_text_names_the_countries_and_the_target(sumy: Analysis) -> None:
    alt = caption_for(sumy).alt
    covered = sorted(sumy.by_country("atacms-300"), key=lambda c: -c.covered_km2)
    assert f"over {covered[0].country.name}, {covered[1].country.name}" in alt
    assert "A marker shows the target, Minsk, Belarus, out of range of every system." in alt


@pytest.mark.parametrize("locale", ["en", "en_GB", "de", "fr"])
@pytest.mark.parametrize(
    ("unit", "cldr"), [("km", "length-kilometer"), ("mi", "length-mile"), ("nmi", "length-nautical-mile")]
)
def test_numbers_are_babels_in_the_locale_and_unit(locale: str, unit: str, cldr: str) -> None:
    factor = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}[unit]
    assert format_length(1234.5, unit, locale) == format_unit(
        1234.5 / factor, cldr, length="short", format="#,##0", locale=locale
    )
    assert (
        format_number(12_074_312, locale)
        == format_unit(12_074_312, "length-meter", format="#,##0", locale=locale).rsplit(" ", 1)[0].rsplit("\xa0", 1)[0]
    )
    km2 = format_unit(282_691, "area-square-kilometer", length="short", format="#,##0", locale=locale)
    assert km2 in format_area(282_691.4, unit, locale)


def test_a_caption_in_miles_and_german_numbers() -> None:
    s = Scenario(points=(SUMY,), systems=(System.custom("X", 300),), unit="mi")
    text = caption_for(analyse(s), locale="de").text
    assert text.startswith("Range of X (186 mi) from Sumy")
    assert re.search(r"\d{1,3}(\.\d{3})+ people", text)  # German grouping
    assert "sq mi (" in text or "mi²" in text


def test_an_unknown_locale_is_a_clear_error(sumy: Analysis) -> None:
    with pytest.raises(InputError, match="unknown locale 'xx_QQ'"):
        caption_for(sumy, locale="xx_QQ")


def test_the_png_carries_the_caption_and_alt_text(sumy: Analysis) -> None:
    s = sumy.scenario
    png = render_image(s.points, s.systems, colors={}, analysis=sumy)
    text = Image.open(io.BytesIO(png)).text  # Pillow's reading of the tEXt/iTXt chunks
    cap = caption_for(sumy)
    assert (text["Description"], text["Comment"], text["Title"]) == (cap.alt, cap.text, cap.title)


def test_the_svg_has_title_and_desc(sumy: Analysis) -> None:
    s = sumy.scenario
    cap = caption_for(sumy)
    root = ET.fromstring(render_image(s.points, s.systems, colors={}, analysis=sumy, fmt="svg"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    first = next(iter(root))
    assert first.tag == "{http://www.w3.org/2000/svg}title" and first.text == cap.alt
    assert root.findtext("s:desc", namespaces=ns) == cap.text


def test_user_text_is_escaped_in_svg_kml_and_html() -> None:
    s = Scenario(points=(LaunchPoint(50.91, 34.8, "<b>&Sumy"),), systems=(System.custom("X<script>", 300),))
    a = analyse(s)
    cap = caption_for(a)
    assert "<b>&Sumy" in cap.text
    root = ET.fromstring(render_image(s.points, s.systems, colors={}, analysis=a, fmt="svg"))
    assert root.findtext("{http://www.w3.org/2000/svg}desc") == cap.text
    kml = ET.fromstring(rings_kml(s.points, s.systems, analysis=a))
    desc = kml.findtext(f"{{{KML_NS}}}Document/{{{KML_NS}}}description")
    assert desc is not None and "<script>" not in desc and html.unescape(desc.split("<br>")[0]) == cap.systems[0].text
    page = standalone_html(s.points, s.systems, colors={}, analysis=a, context=False)
    assert "<script>," not in page and "X<script>" not in page


class _MapDiv(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str | None] = {}
        self.caption, self._in = "", False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "folium-map" in (a.get("class") or ""):
            self.attrs = a
        self._in = a.get("id") == "wrm-caption"

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.caption += data


def test_the_standalone_map_is_labelled_by_the_alt_text(sumy: Analysis) -> None:
    s = sumy.scenario
    page = standalone_html(s.points, s.systems, colors={}, analysis=sumy, context=False)
    parser = _MapDiv()
    parser.feed(page)
    cap = caption_for(sumy)
    assert parser.attrs["aria-label"] == cap.alt
    assert parser.attrs["aria-describedby"] == "wrm-caption"
    assert parser.caption == cap.text


def test_three_scenarios_from_the_catalog() -> None:
    cat = load_catalog()
    for query, start in [
        ({"at": ["50.91,34.8~Sumy"], "w": ["atacms-300"]}, "Range of ATACMS"),
        ({"at": ["47.84,35.14~Zaporizhzhia"], "w": ["storm-shadow"], "t": ["Sevastopol"]}, "Range of Storm Shadow"),
        ({"at": ["50.91,34.8"], "w": ["atacms-300"], "z": ["country:UA"]}, "Range of ATACMS"),
    ]:
        a = analyse(decode_query(query, cat).scenario)
        cap = caption_for(a)
        assert cap.systems[0].text.startswith(start)
        assert f"area {round(a.results[0].area_km2):,} km²" in cap.text
