"""``python -m geo reverse`` (issue 12): from where a system reaches the target, in a subprocess as a user runs it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, shape

from geo.core.rings import ring_area_km2
from geo.datasets.countries import country
from tests.test_cli import run

WGS84 = Geodesic.WGS84
KURSK = (51.72689, 36.18457)  # as the gazetteer resolves "Kursk"


def test_geojson_is_the_ring_around_the_target_clipped_to_the_country() -> None:
    done = run("reverse", "-w", "atacms-300", "--target", "Kursk", "--country", "UA", "--format", "geojson")
    assert done.returncode == 0, done.stderr
    fc = json.loads(done.stdout)
    (feature,) = fc["features"]
    props = feature["properties"]
    assert props["weapon_id"] == "atacms-300" and props["country"] == "UA" and props["target"] == "Kursk, Russia"
    geom = shape(feature["geometry"])
    ua = country("UA").geometry
    lon, lat = np.asarray(geom.exterior.coords if geom.geom_type == "Polygon" else geom.geoms[0].exterior.coords).T
    dist_km = np.array([WGS84.Inverse(KURSK[0], KURSK[1], y, x)["s12"] for x, y in zip(lon, lat, strict=True)]) / 1000
    assert dist_km.max() == pytest.approx(300.0, abs=1e-3)  # on the ring, never beyond
    on_border = dist_km < 299.999
    assert on_border.any() and (~on_border).sum() > 10  # some vertices on the ring, the rest on Ukraine's border
    assert all(ua.buffer(1e-5).contains(Point(x, y)) for x, y in zip(lon, lat, strict=True))
    assert 80_000 < props["area_km2"] < 0.4 * ring_area_km2(*KURSK, 300.0)


def test_table_states_the_whole_ring_area_and_bad_input_is_one_line() -> None:
    done = run("reverse", "-w", "atacms-300", "--target", "51.72689,36.18457")
    assert done.returncode == 0, done.stderr
    assert f"{ring_area_km2(*KURSK, 300.0):,.0f} km²" in done.stdout
    for args, reason in [
        (("--country", "Narnia"), "unknown country 'Narnia'"),
        (("--target", "Nowhereville"), "no place called 'Nowhereville'"),
    ]:
        base = {"--target": "Kursk"}
        argv = ["reverse", "-w", "atacms-300"]
        if args[0] == "--target":
            argv += list(args)
        else:
            argv += ["--target", base["--target"], *args]
        bad = run(*argv)
        assert bad.returncode == 2
        assert reason in bad.stderr and "Traceback" not in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1


def test_reverse_option_on_the_kml_the_image_and_the_map(tmp_path) -> None:
    """``--reverse ID[:ISO2]`` (the link's ``r=``) with ``--target`` on ``rings --format kml``, ``image``
    and ``map``: the same area as ``python -m geo reverse`` in each file; bad use is one line, exit 2."""
    import xml.etree.ElementTree as ET

    from geo.export.kml import KML_NS

    table = run("reverse", "-w", "atacms-300", "--target", "Kursk", "--country", "UA", "--format", "json")
    (row,) = json.loads(table.stdout)
    area = f"{row['area_km2']:,.0f} km²"
    base = ["-w", "atacms-300", "--at", "50.9,34.8", "--reverse", "atacms-300:UA"]
    kml = tmp_path / "r.kml"
    done = run("rings", *base, "--target", "Kursk", "--format", "kml", "-o", str(kml))
    assert done.returncode == 0, done.stderr
    ns = {"k": KML_NS}
    marks = [
        {d.get("name"): d.findtext("k:value", namespaces=ns) for d in m.iterfind("k:ExtendedData/k:Data", ns)}
        for m in ET.parse(kml).getroot().iterfind(".//k:Placemark", ns)
    ]
    (reverse,) = [m for m in marks if m.get("feature") == "reverse_reach"]
    assert reverse["area_km2"] == f"{row['area_km2']:.1f}" and reverse["country"] == "UA"
    svg = tmp_path / "r.svg"
    done = run("image", *base, "--target", f"{KURSK[0]},{KURSK[1]}", "--target-label", "Kursk", "-o", str(svg))
    assert done.returncode == 0, done.stderr
    words = [t.text or "" for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert f"From where ATACMS (long-range, M39A1/M48/M57) reaches Kursk: {area} in Ukraine" in words
    page = tmp_path / "r.html"
    done = run("map", *base, "--target", "Kursk", "-o", str(page))
    assert done.returncode == 0, done.stderr
    assert area in page.read_text(encoding="utf-8")  # the dashed layer's tooltip
    for args, message in (
        (["image", *base, "-o", str(tmp_path / "x.png")], "--reverse needs --target"),
        (["map", *base[:-1], "storm-shadow", "--target", "Kursk", "-o", str(page)], "expected one of the systems"),
        (["rings", *base, "--target", "Kursk"], "go with --format kml"),
        (["map", *base[:-1], "atacms-300:Narnia", "--target", "Kursk", "-o", str(page)], "unknown country"),
    ):
        done = run(*args)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
