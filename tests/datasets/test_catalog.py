"""The weapons catalog: the shipped data and its validation (issue 2).

The shipped figures are checked against the JSON file itself and against the
publicly reported figures the catalog cites (ATACMS 300 km and 165 km, Storm
Shadow 250 km as exported). Broken catalogs are built in ``tmp_path`` from the
shipped one, so each test changes exactly one thing it names.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from geo.core.rings import MAX_RANGE_KM
from geo.datasets.catalog import DEFAULT_CATALOG, ID_PATTERN, Catalog, load_catalog, parse_catalog
from geo.errors import CatalogError, InputError

#: The catalog as people edit it, at the top of the repository.
CATALOG_FILE = Path(__file__).resolve().parents[2] / "data" / "weapons.json"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The shipped catalog as plain JSON, independent of the loader."""
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


@pytest.fixture()
def broken(raw: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the shipped catalog to break."""
    return copy.deepcopy(raw)


def write(tmp_path: Path, data: Any, name: str = "weapons.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# The shipped catalog


def test_shipped_catalog_loads(catalog: Catalog, raw: dict[str, Any]) -> None:
    assert len(catalog) >= 10
    assert catalog.ids == tuple(w["id"] for w in raw["weapons"])  # order kept
    assert catalog.as_of == dt.date.fromisoformat(raw["as_of"])
    packaged = resources.files("geo.data") / DEFAULT_CATALOG
    assert catalog.path == str(packaged)
    assert packaged.read_bytes() == CATALOG_FILE.read_bytes()  # the package carries data/weapons.json itself
    assert load_catalog(CATALOG_FILE).weapons == catalog.weapons


@pytest.mark.parametrize(
    ("weapon_id", "range_km", "air_launched"),
    [
        pytest.param("atacms-300", 300.0, False, id="atacms-300"),
        pytest.param("atacms-165", 165.0, False, id="atacms-165"),
        pytest.param("storm-shadow", 250.0, True, id="storm-shadow"),
    ],
)
def test_required_ids_and_figures(catalog: Catalog, weapon_id: str, range_km: float, air_launched: bool) -> None:
    weapon = catalog.get(weapon_id)
    assert weapon.range_km == range_km
    assert weapon.air_launched is air_launched
    assert weapon_id in catalog


@pytest.mark.parametrize("weapon_id", ["atacms-300", "atacms-165"])
def test_atacms_platforms_and_manufacturer(catalog: Catalog, weapon_id: str) -> None:
    weapon = catalog.get(weapon_id)
    assert weapon.family == "ATACMS"
    assert weapon.manufacturer == "Lockheed Martin"
    platforms = " ".join(weapon.platforms)
    assert "HIMARS" in platforms
    assert "M270" in platforms


def test_every_entry_is_sourced_and_dated(catalog: Catalog) -> None:
    for weapon in catalog:
        assert weapon.sources, weapon.id
        assert any(s.url.startswith("https://") for s in weapon.sources), weapon.id
        assert weapon.primary_source.url.startswith("https://"), weapon.id
        for source in weapon.sources:
            assert source.title and source.publisher, weapon.id
            assert re.match(r"^https?://[^\s/]+\.[^\s/]+/", source.url), (weapon.id, source.url)
            assert dt.date(1990, 1, 1) <= source.date <= catalog.as_of, (weapon.id, source.date)
        assert dt.date(1990, 1, 1) <= weapon.as_of <= catalog.as_of, weapon.id


def test_ids_are_stable_lowercase_hyphenated(catalog: Catalog) -> None:
    assert len(set(catalog.ids)) == len(catalog.ids)
    for weapon_id in catalog.ids:
        assert ID_PATTERN.match(weapon_id), weapon_id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", weapon_id), weapon_id


def test_air_launched_entries_say_range_counts_from_release_point(catalog: Catalog) -> None:
    air = [w for w in catalog if w.air_launched]
    assert {"storm-shadow"} <= {w.id for w in air}
    for weapon in air:
        assert re.search(r"releases? (point|the missile)|release point", weapon.notes), weapon.id
        assert "airbase" in weapon.notes or "release point" in weapon.notes, weapon.id


def test_min_range_only_where_the_json_has_one(catalog: Catalog, raw: dict[str, Any]) -> None:
    by_id = {w["id"]: w for w in raw["weapons"]}
    assert any("min_range_km" in w for w in raw["weapons"])  # the case is exercised
    for weapon in catalog:
        expected = by_id[weapon.id].get("min_range_km", 0.0)
        assert weapon.min_range_km == expected, weapon.id
        assert 0.0 <= weapon.min_range_km < weapon.range_km <= MAX_RANGE_KM


def test_ranges_match_the_json(catalog: Catalog, raw: dict[str, Any]) -> None:
    for weapon, entry in zip(catalog, raw["weapons"], strict=True):
        assert weapon.range_km == float(entry["range_km"])
        assert weapon.air_launched is entry["air_launched"]


def test_catalog_is_read_only(catalog: Catalog) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.get("atacms-300").range_km = 500  # type: ignore[misc]
    assert isinstance(catalog.weapons, tuple)


def test_unknown_id_names_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(InputError, match=r"unknown weapon id 'atacms-999'; known ids: atacms-300, atacms-165, "):
        catalog.get("atacms-999")


# ---------------------------------------------------------------------------
# Validation: every problem, in one pass, with its JSON path and bad value


def test_every_problem_reported_in_one_pass(tmp_path: Path, broken: dict[str, Any]) -> None:
    w = broken["weapons"]
    w[3]["range_km"] = -5
    w[1]["id"] = w[0]["id"]
    w[2]["colour"] = "red"
    del w[4]["sources"], w[4]["span"]  # the span's source indexes would fail too
    w[5]["sources"][0]["date"] = "2024-13-01"
    w[6]["id"] = "Neptune 2"
    w[7]["range_km"] = "300"
    path = write(tmp_path, broken)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    err = info.value
    expected = [
        f"weapons[1].id: duplicate id {w[0]['id']!r} (first at weapons[0])",
        "weapons[2].colour: unknown field (known: id, name, ",
        "weapons[3].range_km: expected a number > 0, got -5",
        "weapons[4].sources: missing",
        "weapons[5].sources[0].date: expected a date as YYYY-MM-DD, got '2024-13-01'",
        "weapons[6].id: expected lowercase letters, digits and single hyphens (e.g. 'atacms-300'), got 'Neptune 2'",
        "weapons[7].range_km: expected a number > 0, got '300'",
    ]
    assert len(err.problems) == len(expected)
    for problem, start in zip(err.problems, expected, strict=True):
        assert problem.startswith(start), problem
    assert err.source == str(path)
    assert str(err).startswith(f"{path}: 7 problems\n  weapons[1].id: duplicate id")


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        pytest.param(
            lambda d: d["weapons"][3].update(range_km=-5),
            "weapons[3].range_km: expected a number > 0, got -5",
            id="negative-range",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(range_km=0),
            "weapons[0].range_km: expected a number > 0, got 0",
            id="zero-range",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(range_km=True),
            "weapons[0].range_km: expected a number > 0, got True",
            id="bool-range",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(range_km=25_000),
            "weapons[0].range_km: expected at most 19950 (about half a meridian), got 25000",
            id="range-beyond-max",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(min_range_km=400),
            "weapons[0].min_range_km: expected less than range_km (300), got 400",
            id="min-range-beyond-range",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(min_range_km=-1),
            "weapons[0].min_range_km: expected a number > 0, got -1",
            id="negative-min-range",
        ),
        pytest.param(
            lambda d: d["weapons"][2].update(id="atacms-300"),
            "weapons[2].id: duplicate id 'atacms-300' (first at weapons[0])",
            id="duplicate-id",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(id="ATACMS_300"),
            "weapons[0].id: expected lowercase letters, digits and single hyphens (e.g. 'atacms-300'), got 'ATACMS_300'",
            id="id-not-hyphenated",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(rnage_km=300),
            "weapons[0].rnage_km: unknown field (known: id, name, aliases, family, category, range_km,",
            id="unknown-field",
        ),
        pytest.param(
            lambda d: d["weapons"][0]["sources"][0].update(doi="10.1/x"),
            "weapons[0].sources[0].doi: unknown field (known: title, publisher, url, date, quote, reprint_of)",
            id="unknown-source-field",
        ),
        pytest.param(lambda d: d["weapons"][4].pop("sources"), "weapons[4].sources: missing", id="missing-sources"),
        pytest.param(
            lambda d: d["weapons"][4].update(sources=[]),
            "weapons[4].sources: expected at least one source, got []",
            id="empty-sources",
        ),
        pytest.param(
            lambda d: d["weapons"][1]["sources"][0].pop("url"),
            "weapons[1].sources[0].url: missing",
            id="source-without-url",
        ),
        pytest.param(
            lambda d: d["weapons"][1]["sources"][0].update(url="ftp://example.org/x"),
            "weapons[1].sources[0].url: expected an http(s) URL, got 'ftp://example.org/x'",
            id="source-url-not-http",
        ),
        pytest.param(
            lambda d: d["weapons"][5]["sources"][0].update(date="2024-13-01"),
            "weapons[5].sources[0].date: expected a date as YYYY-MM-DD, got '2024-13-01'",
            id="bad-source-date",
        ),
        pytest.param(
            lambda d: d["weapons"][5]["sources"][0].update(date="19 Nov 2024"),
            "weapons[5].sources[0].date: expected a date as YYYY-MM-DD, got '19 Nov 2024'",
            id="prose-source-date",
        ),
        pytest.param(
            lambda d: d["weapons"][6].update(as_of=20240101),
            "weapons[6].as_of: expected a date as YYYY-MM-DD, got 20240101",
            id="numeric-as-of",
        ),
        pytest.param(
            lambda d: d.update(as_of="2026/11/25"), "as_of: expected a date as YYYY-MM-DD", id="bad-top-as-of"
        ),
        pytest.param(lambda d: d.pop("as_of"), "as_of: missing", id="missing-top-as-of"),
        pytest.param(
            lambda d: d.update(schema_version=3), "schema_version: expected 1 or 2, got 3", id="schema-version"
        ),
        pytest.param(lambda d: d.update(weapons=[]), "weapons: expected a non-empty list, got []", id="no-weapons"),
        pytest.param(
            lambda d: d["weapons"][0].update(category="rocket"),
            "weapons[0].category: expected one of [",
            id="unknown-category",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(air_launched="no"),
            "weapons[0].air_launched: expected true or false, got 'no'",
            id="air-launched-not-bool",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(platforms=[]),
            "weapons[0].platforms: expected a non-empty list of strings, got []",
            id="no-platforms",
        ),
        pytest.param(
            lambda d: d["weapons"][0].update(name=" "),
            "weapons[0].name: expected a non-empty string, got ' '",
            id="blank-name",
        ),
        pytest.param(
            lambda d: d["weapons"].append(7), "weapons[20]: expected an object, got 7", id="weapon-not-object"
        ),
    ],
)
def test_each_problem_is_named_with_path_and_value(
    tmp_path: Path, broken: dict[str, Any], breakage: Any, message: str
) -> None:
    breakage(broken)
    path = write(tmp_path, broken)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert any(message in p for p in info.value.problems), info.value.problems
    assert str(path) in str(info.value)


def test_problem_count_in_the_message(broken: dict[str, Any]) -> None:
    broken["weapons"][0]["range_km"] = -1
    with pytest.raises(CatalogError, match=r"^mine\.json: 1 problem\n  weapons\[0\]\.range_km: expected a number > 0"):
        parse_catalog(broken, "mine.json")


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "weapons.json"
    path.write_text('{"weapons": [\n  {"id": "x",}\n]}', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"line 2, column \d+: not valid JSON") as info:
        load_catalog(path)
    assert info.value.source == str(path)


def test_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"\(top level\): expected an object with 'weapons', got list"):
        load_catalog(write(tmp_path, [1, 2, 3]))


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(CatalogError, match=r"nowhere\.json: 1 problem\n  cannot read the file: No such file"):
        load_catalog(path)


def test_catalog_error_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_catalog(tmp_path / "nowhere.json")


def test_a_valid_copy_loads_the_same(tmp_path: Path, raw: dict[str, Any], catalog: Catalog) -> None:
    loaded = load_catalog(write(tmp_path, raw))
    assert loaded.weapons == catalog.weapons


# ---------------------------------------------------------------------------
# Hostile catalog files (issue 13): each is refused with the path and a short
# reason, never another exception (six of these were tracebacks).


def _with_range(raw_text: str, literal: str) -> bytes:
    return re.sub(r'"range_km": [0-9.]+', f'"range_km": {literal}', raw_text, count=1).encode()


HOSTILE_CATALOGS: dict[str, tuple[Any, str]] = {
    "400-digit integer": (lambda t: _with_range(t, "9" * 400), r"weapons\[0\]\.range_km: .*400 characters"),
    "5000-digit integer": (lambda t: _with_range(t, "9" * 5000), r"weapons\[0\]\.range_km: .*5,000 characters"),
    "range 1e-320": (lambda t: _with_range(t, "1e-320"), r"weapons\[0\]\.range_km: expected at least 0\.01 km"),
    "range 1e-300": (lambda t: _with_range(t, "1e-300"), r"weapons\[0\]\.range_km: expected at least 0\.01 km"),
    "range 1e400": (lambda t: _with_range(t, "1e400"), r"weapons\[0\]\.range_km: expected at most 19950"),
    "NaN": (lambda t: _with_range(t, "NaN"), r"NaN is not a number JSON allows"),
    "not UTF-8": (
        lambda t: t.encode().replace(b"ATACMS", b"AT\xff\xfeCMS", 1),
        r"line \d+: not UTF-8 \(byte [\d,]+: 0xff\)",
    ),
    "deep nesting": (lambda t: b'{"weapons": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", r"nested too deeply"),
    "lone surrogate": (
        lambda t: t.replace("ATACMS", "AT\\ud800ACMS", 1).encode(),
        r"weapons\[0\]\.name: contains the invisible or control character U\+D800",
    ),
    "NUL in a note": (
        lambda t: t.replace('"notes": "', '"notes": "\\u0000', 1).encode(),
        r"weapons\[0\]\.notes: contains the invisible or control character U\+0000",
    ),
    "bidi override in a name": (
        lambda t: t.replace("ATACMS", "ATA\\u202eCMS", 1).encode(),
        r"weapons\[0\]\.name: contains the invisible or control character U\+202E",
    ),
    "a megabyte name": (
        lambda t: t.replace("ATACMS", "x" * 1_000_000, 1).encode(),
        r"weapons\[0\]\.name: expected at most 4,000 characters, got 1,00",
    ),
    "3 MB of spaces": (lambda t: b" " * 3_000_000, r"larger than 2 MB"),
    "empty": (lambda t: b"", r"line 1, column 1: not valid JSON"),
}


@pytest.mark.parametrize("case", list(HOSTILE_CATALOGS))
def test_hostile_catalog_files_are_refused_by_path(tmp_path: Path, case: str) -> None:
    make, expected = HOSTILE_CATALOGS[case]
    path = tmp_path / "weapons.json"
    path.write_bytes(make(CATALOG_FILE.read_text(encoding="utf-8")))
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert re.search(expected, message), message
    # Echoes stay short, whatever the size of the bad value.
    assert max(len(line) for line in message.splitlines()) < 400


def test_a_byte_order_mark_is_allowed(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "weapons.json"
    path.write_bytes(b"\xef\xbb\xbf" + CATALOG_FILE.read_bytes())
    assert load_catalog(path).ids == catalog.ids


def test_the_cli_reports_a_hostile_catalog_in_one_line(tmp_path: Path) -> None:
    import contextlib
    import io

    from geo.cli import main

    path = tmp_path / "weapons.json"
    path.write_bytes(b'{"weapons": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["weapons", "--catalog", str(path)], out=io.StringIO()) == 2
    assert "nested too deeply" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def _catalog_documents() -> Any:
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=30,
    )
    return values


def test_any_json_document_gives_a_catalog_or_a_catalog_error() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from geo.datasets.catalog import parse_catalog_bytes

    shipped = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    fields = sorted(shipped["weapons"][0])

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        doc=_catalog_documents(),
        field=st.sampled_from(fields),
        value=_catalog_documents(),
        noise=st.binary(max_size=40),
    )
    def check(doc: Any, field: str, value: Any, noise: bytes) -> None:
        mutated = copy.deepcopy(shipped)
        mutated["weapons"][0][field] = value
        for data in (
            json.dumps(doc).encode(),
            json.dumps(mutated, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass"),
            noise,
            json.dumps(mutated).encode()[:200] + noise,
        ):
            try:
                parse_catalog_bytes(data)
            except CatalogError as exc:
                assert all(len(line) < 400 for line in str(exc).splitlines())

    check()
