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
