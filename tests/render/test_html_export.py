"""The standalone HTML export and the small multiples (issue 4: take the map away).

The pages are the product here, so these tests parse them (with the standard
library's HTML parser) for what a reader and a browser would see: no outside
script or stylesheet, a legend naming every system exactly as typed, the
sources and the credits. What the browser draws is in
tests/browser/test_export_browser.py.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import folium
import numpy as np
import pytest

from geo.core.coords import LatLon
from geo.core.grid import format_mgrs
from geo.datasets.catalog import Catalog
from geo.errors import InputError
from geo.render.html_export import (
    CONTEXT_PLACES,
    DEFAULT_TITLE,
    NOMINAL_NOTE,
    context_layers,
    external_resources,
    leaflet_assets,
    small_multiples_html,
    standalone_html,
)
from geo.render.layers import RING_SMOOTH_FACTOR, MapStyle, scenario_layers
from geo.scenario.model import LaunchPoint, System, systems_from_ids
from geo.scenario.palette import OKABE_ITO

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script> & "q"'
#: Survives html.escape unchanged and would end, or run code in, a JS template literal.
TEMPLATE_BREAKER = "a`);window.__pwned=2;(`b ${window.__pwned=3} \\u{"

SUMY = LaunchPoint(50.91, 34.80, "Sumy")
DEFAULT_IDS = ["atacms-300", "atacms-165", "storm-shadow"]


class Page(HTMLParser):
    """Tags with their attributes, and the text inside elements of chosen classes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self.raw_scripts: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, class being captured)
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if tag in {"br", "img", "meta", "link", "input", "hr"}:
            return
        classes = (d.get("class") or "").split()
        captured = next((c for c in classes if c.startswith("wrm-")), None)
        if tag == "h1" or tag == "title":
            captured = tag
        self._open.append((tag, captured))
        if captured:
            self.texts.setdefault(captured, []).append("")
        self._in_script = tag == "script"
        if self._in_script:
            self.raw_scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.raw_scripts[-1] += data
        for _, captured in self._open:
            if captured:
                self.texts[captured][-1] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture(scope="module")
def default_systems(catalog: Catalog) -> list[System]:
    return systems_from_ids(catalog, DEFAULT_IDS)


@pytest.fixture(scope="module")
def default_page(default_systems: list[System]) -> str:
    colors = {s.id: OKABE_ITO[i] for i, s in enumerate(default_systems)}
    return standalone_html([SUMY], default_systems, colors=colors)


# --- self-contained ---------------------------------------------------------


def test_standalone_loads_nothing_from_outside(default_page):
    page = Page(default_page)
    assert [a for a in page.all("script") if a.get("src")] == []
    assert page.all("link") == []
    assert external_resources(default_page) == []
    # jQuery, Bootstrap, Font Awesome and CDNs are gone; Leaflet is inlined once.
    for word in ("jquery", "bootstrap", "font-awesome", "cdn.jsdelivr", "code.jquery", "unpkg"):
        assert word not in default_page.lower()
    js, css = leaflet_assets()
    assert default_page.count(js) == 1
    assert default_page.count(css) == 1
    assert "sourceMappingURL" not in default_page
    # The one outside resource: OpenStreetMap's tiles.
    ours = "".join(script for script in page.raw_scripts if script != js)
    urls = set(re.findall(r"https?://[\w.-]+", ours))
    assert urls <= {"https://tile.openstreetmap.org", "https://www.openstreetmap.org", "https://leafletjs.com"}


def test_standalone_size_of_the_default_scenario_is_reasonable(default_page, default_systems):
    js, css = leaflet_assets()
    size = len(default_page.encode("utf-8"))
    bare = len(standalone_html([SUMY], default_systems, colors={}, context=False).encode("utf-8"))
    assert len(js) > 140_000  # Leaflet 1.9.3 is inside
    # Leaflet and its CSS, plus three rings with 5-decimal coordinates and the legend.
    assert bare - len(js) - len(css) < 60_000, bare
    # The embedded borders and place names (issue 9): about 100 KB for this view.
    print(f"standalone page: {bare / 1024:.0f} KB bare, {size / 1024:.0f} KB with borders and place names")
    assert size - bare < 150_000, (bare, size)
    assert size < 350_000, size


def test_standalone_coordinates_have_at_most_five_decimals(default_page):
    geojson = re.findall(r'"coordinates": (\[.*?\]), "type": "(?:Multi)?Polygon"', default_page)
    assert len(geojson) == 3
    decimals = {len(m) for m in re.findall(r"-?\d+\.(\d+)", "".join(geojson))}
    assert decimals and max(decimals) <= 5


def test_markers_are_fixed_in_the_export(default_page):
    assert '"draggable": true' not in default_page
    assert '.on("dragend"' not in default_page
    assert "drag to move" not in default_page
    assert "Launch point 1: Sumy" in default_page


def test_view_is_fitted_to_the_rings(default_page):
    match = re.search(r"map_[0-9a-f]+\.fitBounds\(\s*(\[\[.*?\]\])", default_page, re.DOTALL)
    assert match, "no fitBounds call"
    (south, west), (north, east) = json.loads(match.group(1))
    # ATACMS 300 km from Sumy: about ±2.7° of latitude and ±4.3° of longitude.
    assert south == pytest.approx(50.91 - 2.70, abs=0.05)
    assert north == pytest.approx(50.91 + 2.70, abs=0.05)
    assert west == pytest.approx(34.80 - 4.27, abs=0.1)
    assert east == pytest.approx(34.80 + 4.27, abs=0.1)


# --- legend, sources, credits ----------------------------------------------


def test_legend_lists_each_system_with_colour_and_range(default_page, default_systems):
    page = Page(default_page)
    assert page.texts["wrm-name"] == [s.name for s in default_systems]
    assert [t.strip() for t in page.texts["wrm-range"]] == ["300 km", "165 km", "250 km"]
    swatches = [a["style"] for t, a in page.tags if t == "span" and a.get("class") == "wrm-swatch"]
    assert [re.search(r"border-color:(#\w{6})", s or "").group(1) for s in swatches] == list(OKABE_ITO[:3])
    assert "air-launched: from the release point" in page.texts["wrm-note"][0]


def test_legend_in_miles_gives_km_too(default_systems):
    page = Page(standalone_html([SUMY], default_systems[:1], colors={}, unit="nmi"))
    assert page.texts["wrm-range"] == ["162 nmi (300 km)"]


def test_minimum_range_shows_as_a_span():
    page = Page(standalone_html([SUMY], [System.custom("Donut", 300, 50)], colors={}, unit="mi"))
    assert page.texts["wrm-range"] == ["31 mi–186 mi (300 km)"]


def test_sources_give_publisher_date_and_link(default_page, default_systems):
    page = Page(default_page)
    sources = "".join(page.texts["wrm-sources"])
    links = {a["href"] for a in page.all("a")}
    for system in default_systems:
        assert system.weapon is not None
        for source in system.weapon.sources:
            assert source.publisher in sources
            assert source.date.isoformat() in sources
            assert source.url in links
    # Links open outside the iframe and give the opened page no handle back.
    assert all(
        a.get("rel") == "noopener noreferrer" for a in page.all("a") if a.get("href", "").startswith("https://www.")
    )


def test_credits(default_page):
    credits = "".join(Page(default_page).texts["wrm-credits"])
    assert NOMINAL_NOTE in credits
    assert "air-launched ranges count from the release point" in credits
    assert "OpenStreetMap contributors" in credits
    assert "GeoNames" in credits and "CC BY 4.0" in credits


def test_geonames_is_credited_only_when_used(default_systems):
    # Mid-Atlantic, 50 km: no GeoNames place in reach, so the caption states none either.
    mid_ocean = [LaunchPoint(0.0, -30.0)]
    page = standalone_html(mid_ocean, [System.custom("X", 50)], colors={}, credit_geonames=False, context=False)
    assert "GeoNames" not in page and "wrm-place" not in page.split("</style>")[-1]
    # The caption counts the people in reach from GeoNames figures: credited.
    page = standalone_html([LaunchPoint(50.91, 34.8)], default_systems, colors={}, credit_geonames=False, context=False)
    assert "GeoNames" in "".join(Page(page).texts["wrm-credits"])
    # The embedded place names come from GeoNames: credited whatever the caller says.
    page = standalone_html([LaunchPoint(50.91, 34.8)], default_systems, colors={}, credit_geonames=False)
    assert "GeoNames" in "".join(Page(page).texts["wrm-credits"])


def test_custom_system_is_marked_user_defined():
    page = Page(standalone_html([SUMY], [System.custom("Mine", 120)], colors={}))
    assert "user-defined" in page.texts["wrm-note"][0]
    assert "user-defined range" in "".join(page.texts["wrm-sources"])


def test_title_default_and_given(default_systems):
    page = Page(standalone_html([SUMY], default_systems, colors={}))
    assert page.texts["title"] == [DEFAULT_TITLE]
    assert page.texts["h1"] == [DEFAULT_TITLE]
    page = Page(standalone_html([SUMY], default_systems, colors={}, title="  Sumy & Kursk  "))
    assert page.texts["title"] == ["Sumy & Kursk"]


def test_target_is_drawn_and_described():
    page_text = standalone_html(
        [SUMY, LaunchPoint(50.0, 36.23, "Kharkiv")],
        [System.custom("A", 300)],
        colors={},
        target=LatLon(51.73, 36.19),
        target_label="Kursk",
    )
    page = Page(page_text)
    assert "Kursk" in page.texts["wrm-target"][0]
    mgrs = format_mgrs(51.73, 36.19)  # the target panel's string (issue 12)
    assert re.search(
        rf"\(51\.7300, 36\.1900; MGRS {mgrs}\): 13\d km from launch point 1 \(Sumy\)$", page.texts["wrm-target"][0]
    )
    assert f"Target: Kursk<br>MGRS {mgrs}" in page_text  # the marker's tooltip
    # Each launch point in MGRS, in the legend and in its marker's tooltip.
    assert page.texts["wrm-mgrs"] == [f"MGRS {format_mgrs(p.lat, p.lon)}" for p in (SUMY, LaunchPoint(50.0, 36.23))] + [
        f"MGRS {mgrs}"
    ]
    assert f"Launch point 2: Kharkiv<br>MGRS {format_mgrs(50.0, 36.23)}" in page_text


def test_borders_are_drawn_under_the_rings_and_credited(default_systems):
    borders = {
        "type": "FeatureCollection",
        "attribution": "Natural Earth 5.1.1, German point of view (public domain)",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Test"},
                "geometry": {"type": "MultiLineString", "coordinates": [[[33.0, 52.0], [36.5, 50.1]]]},
            }
        ],
    }
    text = standalone_html([SUMY], default_systems, colors={}, borders=borders)
    assert "Natural Earth 5.1.1, German point of view" in "".join(Page(text).texts["wrm-credits"])
    assert text.index("[36.5, 50.1]") < text.index("L.featureGroup")  # added before the rings
    assert '"interactive": false' in text
    with pytest.raises(InputError, match="borders: expected a GeoJSON FeatureCollection"):
        standalone_html([SUMY], default_systems, colors={}, borders={"type": "Polygon"})


# --- user text stays text -----------------------------------------------------


@pytest.mark.parametrize("name", [HOSTILE, "<b>bold</b>", '"quotes"', "R&D", TEMPLATE_BREAKER], ids=repr)
def test_user_strings_are_escaped_everywhere(name):
    page_text = standalone_html(
        [LaunchPoint(50.91, 34.8, name)],
        [System.custom(name, 120)],
        colors={},
        title=name,
        target=LatLon(51.73, 36.19),
        target_label=name,
    )
    page = Page(page_text)
    assert page.texts["wrm-name"] == [name]
    assert page.texts["h1"] == [name]
    assert page.texts["title"] == [name]
    assert page.texts["wrm-point-label"] == [name]
    assert page.texts["wrm-target-label"] == [name]
    if "<" in name:
        assert name not in page_text
        assert "<img" not in page_text and "<b>bold" not in page_text
    # Nothing typed can end or run code in folium's tooltip template literals.
    for literal in re.findall(r"bindTooltip\(\s*`(.*?)`,\s*\{", page_text, re.DOTALL):
        assert "`" not in literal and "${" not in literal and "\\" not in literal


def test_bad_input_is_refused(default_systems):
    with pytest.raises(InputError, match="at least one launch point"):
        standalone_html([], default_systems, colors={})
    with pytest.raises(InputError, match="at least one weapon system"):
        standalone_html([SUMY], [], colors={})
    with pytest.raises(InputError, match="expected a colour"):
        standalone_html([SUMY], default_systems, colors={default_systems[0].id: "red"})
    with pytest.raises(InputError, match="unknown unit"):
        standalone_html([SUMY], default_systems, colors={}, unit="furlong")
    with pytest.raises(InputError, match="latitude 95"):
        standalone_html([SUMY], default_systems, colors={}, target=LatLon(95.0, 0.0))


# --- small multiples ------------------------------------------------------------


def test_small_multiples_one_map_per_system(default_systems):
    text = small_multiples_html([SUMY], default_systems, colors={}, center=(50.91, 34.8), zoom=5, height_px=300)
    page = Page(text)
    maps = [a for t, a in page.tags if t == "div" and a.get("class") == "wrm-map"]
    assert [a["id"] for a in maps] == ["wrm-map-0", "wrm-map-1", "wrm-map-2"]
    assert all("height:300px" in (a["style"] or "") for a in maps)
    assert page.texts["wrm-name"] == [s.name for s in default_systems]
    assert [r.strip() for r in page.texts["wrm-range"]] == ["300 km", "165 km", "250 km"]
    assert external_resources(text) == []
    assert [a for a in page.all("script") if a.get("src")] == [] and page.all("link") == []
    data = json.loads(re.search(r'id="wrm-data">(.*?)</script>', text, re.DOTALL).group(1))
    assert data["center"] == [50.91, 34.8] and data["zoom"] == 5
    assert [s["color"] for s in data["systems"]] == list(OKABE_ITO[:3])
    assert [(m["lat"], m["lon"]) for m in data["markers"]] == [(50.91, 34.8)]
    assert 'map.on("move"' in text and "syncing" in text


@pytest.mark.parametrize("name", [HOSTILE, TEMPLATE_BREAKER], ids=["html", "template-literal"])
def test_small_multiples_escape_user_strings(name):
    text = small_multiples_html(
        [LaunchPoint(50.91, 34.8, name)], [System.custom(name, 120)], colors={}, center=(50.91, 34.8), zoom=5
    )
    page = Page(text)
    assert page.texts["wrm-name"] == [name]
    if "<" in name:
        # The hostile markup itself (the page has scripts of its own, e.g. "<script>window.WRM_GESTURES").
        assert "<img" not in text and "<script>window.__pwned" not in text
    data = json.loads(re.search(r'id="wrm-data">(.*?)</script>', text, re.DOTALL).group(1))
    assert html.escape(name) in data["markers"][0]["html"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"zoom": 25}, "zoom: expected a whole number 0…19"),
        ({"zoom": 5.5}, "zoom: expected"),
        ({"height_px": 10}, "height_px: expected"),
        ({"center": (95.0, 0.0)}, "latitude 95"),
    ],
    ids=["zoom-high", "zoom-fraction", "height-small", "center-lat"],
)
def test_small_multiples_bad_view(default_systems, kwargs, message):
    args = {"center": (50.9, 34.8), "zoom": 5, **kwargs}
    with pytest.raises(InputError, match=message):
        small_multiples_html([SUMY], default_systems, colors={}, **args)


# --- CLI ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_map_writes_the_page(tmp_path):
    out = tmp_path / "map.html"
    args = ["map", "-w", "atacms-300", "-w", "storm-shadow", "--at", "50.91,34.8", "--unit", "mi", "--title"]
    run = _cli(*args, "<b>T</b>", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""
    page = Page(out.read_text(encoding="utf-8"))
    assert page.texts["title"] == ["<b>T</b>"]
    assert [t.strip() for t in page.texts["wrm-range"]] == ["186 mi (300 km)", "155 mi (250 km)"]
    # Points from --at have no names, but the embedded place names do (issue 9).
    assert "GeoNames" in "".join(page.texts["wrm-credits"])


def test_cli_map_to_stdout_with_a_custom_range():
    run = _cli("map", "--range-km", "500", "--min-range-km", "50", "--at", "-33.87,151.21")
    assert run.returncode == 0, run.stderr
    assert Page(run.stdout).texts["wrm-name"] == ["500 km range"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-w", "no-such-weapon", "--at", "50,30"], "unknown weapon id 'no-such-weapon'"),
        (["--range-km", "100", "--at", "95,30"], "latitude 95"),
        (["--range-km", "-5", "--at", "50,30"], "range_km: expected a number > 0"),
        (["--range-km", "100", "--at", "50,30", "--unit", "parsec"], "invalid choice: 'parsec'"),
        (["--range-km", "100"], "--at"),
        (["--at", "50,30"], "one of the arguments --weapon/-w --range-km is required"),
        (["--range-km", "100", "--at", "50,30", "-o", "/nonexistent-dir/x.html"], "cannot write"),
    ],
    ids=["weapon", "latitude", "range", "unit", "no-point", "no-system", "unwritable"],
)
def test_cli_map_bad_input_is_one_line_and_exit_2(args, message):
    run = _cli("map", *args)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert message in run.stderr
    assert run.stdout == ""


def test_cli_map_help_has_examples():
    run = _cli("map", "--help")
    assert run.returncode == 0
    assert "python -m geo map --weapon atacms-300" in run.stdout


# --- offline context: borders and place names (issue 9) ----------------------


def _ring_layers(m: folium.Map) -> list[folium.GeoJson]:
    found: list[folium.GeoJson] = []

    for group in m._children.values():
        if isinstance(group, folium.FeatureGroup) and group.layer_name == "Range rings":
            found += [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    return found


def test_rings_draw_every_vertex_in_the_app_map(default_systems):
    """Leaflet's default smoothFactor 1 dropped 75-83 of 117 vertices; 0 draws them all (checked in Chromium
    by tests/browser/test_export_browser.py)."""
    m = folium.Map(tiles=None)
    for group in scenario_layers([SUMY], default_systems, MapStyle({})):
        group.add_to(m)
    rings = _ring_layers(m)
    assert len(rings) == len(default_systems)
    assert {ring.smooth_factor for ring in rings} == {RING_SMOOTH_FACTOR} == {0.0}
    assert "smoothFactor: 0.0" in m.get_root().render()


def test_context_covers_the_view_and_names_its_largest_places():
    ctx = context_layers([[48.2, 30.5], [53.6, 39.1]], exclude=["Sumy"])
    west, south, east, north = ctx.bbox
    assert west < 30.5 and east > 39.1 and south < 48.2 and north > 53.6
    coords = np.array([xy for f in ctx.borders["features"] for line in f["geometry"]["coordinates"] for xy in line])
    assert coords[:, 0].min() >= west - 1e-9 and coords[:, 0].max() <= east + 1e-9
    assert {"UA", "RU", "BY"} <= {f["properties"]["iso2"] for f in ctx.borders["features"]}
    assert ctx.borders["attribution"] and "Natural Earth" in ctx.borders["attribution"]
    names = [p.name for p in ctx.places]
    assert 10 <= len(names) <= CONTEXT_PLACES
    assert names[:2] == ["Moscow", "Kyiv"] and "Kharkiv" in names and "Sumy" not in names
    # The largest places of the box, by the gazetteer: none of them is left out unless one
    # already named lies within the spacing.
    pops = [p.population for p in ctx.places]
    assert pops == sorted(pops, reverse=True)
    assert all(west <= p.lon <= east and south <= p.lat <= north for p in ctx.places)


def test_context_across_the_antimeridian_is_shifted_to_the_drawn_longitudes():
    # A 1,000 km ring round 65° N 178° E is drawn with unwrapped longitudes (about 160°…200°).
    ctx = context_layers([[56.0, 160.0], [74.0, 200.0]])
    west, _, east, _ = ctx.bbox
    coords = np.array([xy for f in ctx.borders["features"] for line in f["geometry"]["coordinates"] for xy in line])
    assert coords[:, 0].max() > 180.0  # Alaska, shifted east of 180°
    assert coords[:, 0].min() >= west - 1e-9 and coords[:, 0].max() <= east + 1e-9
    iso = {f["properties"]["iso2"] for f in ctx.borders["features"]}
    assert {"RU", "US"} <= iso
    assert any(p.lon > 180.0 for p in ctx.places)  # e.g. Anchorage at 210° E


def test_context_of_a_world_wide_view_is_centred_on_the_rings():
    ctx = context_layers([[-80.0, 100.0], [85.0, 300.0]])
    coords = np.array([xy for f in ctx.borders["features"] for line in f["geometry"]["coordinates"] for xy in line])
    assert coords[:, 0].min() >= 20.0 - 1e-9 and coords[:, 0].max() <= 380.0 + 1e-9
    assert coords[:, 0].max() > 300.0


def test_standalone_embeds_borders_and_place_names(default_page):
    scripts = "".join(Page(default_page).raw_scripts)
    assert '"iso2": "UA"' in scripts  # the borders' GeoJSON
    assert "wrm-place" in scripts and "Kharkiv" in scripts
    credits = "".join(Page(default_page).texts["wrm-credits"])
    assert "Natural Earth" in credits and "borders and place names embedded" in credits


def test_small_multiples_embed_borders_and_place_names(default_systems):
    page = small_multiples_html([SUMY], default_systems, colors={}, center=(50.91, 34.8), zoom=5)
    data = json.loads(re.search(r'<script type="application/json" id="wrm-data">(.*?)</script>', page).group(1))
    assert data["smoothFactor"] == 0.0
    assert data["borders"]["type"] == "FeatureCollection" and len(data["borders"]["features"]) >= 3
    names = [html.unescape(re.sub("<[^>]+>", "", p["html"])) for p in data["places"]]
    assert "Kharkiv" in names and "Sumy" not in names
    assert "GeoNames" in page and "Natural Earth" in page
