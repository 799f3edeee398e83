"""Command line: ``python -m geo weapons|rings ...``.

Bad input prints one line on stderr and exits with status 2, never a
traceback (DESIGN.md §5).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from geo.core.grid import parse_coordinates
from geo.core.text import INVISIBLE, shorten
from geo.core.units import format_distance
from geo.datasets.catalog import Catalog, load_catalog, span_text
from geo.errors import CatalogError, InputError
from geo.scenario.model import LaunchPoint, System, systems_from_ids

if TYPE_CHECKING:  # matplotlib is imported only by the image command
    from geo.export.image import PrintSize

EXIT_BAD_INPUT = 2


def one_line(message: str, *, max_word: int = 120, max_chars: int = 600) -> str:
    """An error message as the terminal gets it: one line, no control characters, bounded.

    argparse and our errors quote what was typed; a 5,000-character argument
    or an escape sequence is not printed back whole (issue 13).

    Examples
    --------
    >>> one_line("invalid choice: '" + "x" * 100 + "'", max_word=12)
    "invalid choice: 'xxxxxxxxxx…"
    >>> one_line("bad \x1b[31mred")
    'bad ?[31mred'
    """
    words = INVISIBLE.sub("?", message).split()
    return shorten(" ".join(shorten(w, max_word) for w in words), max_chars)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {one_line(message)} (see --help)\n")


class _Fmt(argparse.RawDescriptionHelpFormatter):
    pass


def _coordinate(text: str) -> LaunchPoint:
    try:
        p = parse_coordinates(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return LaunchPoint(p.lat, p.lon)


def _positive_km(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of kilometres, got {shorten(repr(text), 40)}") from None
    return value


def _add_catalog(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--catalog",
        metavar="PATH",
        type=Path,
        help="a weapons catalog JSON file (default: the shipped data/weapons.json)",
    )


def _add_systems(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument(
        "--weapon", "-w", metavar="ID", action="append", help="a weapon id from `python -m geo weapons` (repeatable)"
    )
    group.add_argument(
        "--range-km", metavar="KM", type=_positive_km, help="an ad-hoc range in km instead of a catalog weapon"
    )
    p.add_argument(
        "--min-range-km",
        metavar="KM",
        type=_positive_km,
        default=0.0,
        help="minimum range for --range-km (draws a donut)",
    )


def _add_points(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument(
        "--at",
        metavar="COORD",
        action="append",
        type=_coordinate,
        required=required,
        help='a launch point, "LAT,LON", DMS such as "50°54′36″N 34°48′E", MGRS such as "36UXB2654541359" '
        'or UTM such as "36U 626545 5641359" (repeatable; use --at=-33.9,151.2 for a negative latitude)',
    )


def _add_sector(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("range fan (issue 12)")
    g.add_argument(
        "--azimuth",
        metavar="DEG",
        type=float,
        help="limit the rings of every --at point to a sector centred on this bearing (degrees clockwise "
        "from north); needs --width",
    )
    g.add_argument(
        "--width",
        metavar="DEG",
        type=float,
        help="the sector's full angle in degrees (--azimuth 60 --width 90 covers 015°–105°)",
    )


def _with_sector(args: argparse.Namespace, points: Sequence[LaunchPoint]) -> list[LaunchPoint]:
    """The --at points with the --azimuth/--width sector, if given (both or neither)."""
    from dataclasses import replace

    from geo.core.sectors import Sector

    azimuth, width = getattr(args, "azimuth", None), getattr(args, "width", None)
    if azimuth is None and width is None:
        return list(points)
    if azimuth is None or width is None:
        raise InputError("--azimuth and --width go together: the sector's centre bearing and its full width")
    sector = Sector.at(azimuth, width)
    return [replace(p, sector=sector) for p in points]


def _add_labels(p: argparse.ArgumentParser, *, what: str) -> None:
    from geo.scenario.model import LABEL_MODES

    p.add_argument(
        "--labels",
        choices=LABEL_MODES,
        default=LABEL_MODES[0],
        help=f'ring labels {what}: compact ("ATACMS 300 km", one per system), detailed (full name, unit, '
        "minimum range and sector, at every launch point) or off (default compact, as the app)",
    )


def _add_reverse(p: argparse.ArgumentParser, *, target: bool, what: str) -> None:
    """``--reverse ID[:COUNTRY]`` (the link's ``r=``), and ``--target`` where the command has none yet."""
    if target:
        p.add_argument("--target", metavar="PLACE", help=f"a target {what}: a place name or coordinates")
    p.add_argument(
        "--reverse",
        metavar="ID[:ISO2]",
        help=f"reverse reach {what}: from where this system (one of the -w) reaches the --target, "
        "optionally only inside a country, e.g. atacms-300:UA (as r= in the app's link)",
    )


def _labelled(
    args: argparse.Namespace, points: Sequence[LaunchPoint], systems: Sequence[System], zones: Sequence[Any] = ()
) -> Any:
    """The analysis every export of one command draws: ``--labels``, ``--target`` and ``--reverse`` (issue 12)."""
    from geo.analysis.analyse import analyse
    from geo.scenario.model import ReverseQuery, Scenario

    given = getattr(args, "target", None)
    target = f"{given.lat!r},{given.lon!r}" if isinstance(given, LaunchPoint) else (given or "")
    reverse = None
    spec = getattr(args, "reverse", None)
    if spec:
        if not target:
            raise InputError("--reverse needs --target: the place the system must reach")
        system_id, _, country_text = spec.partition(":")
        ids = [s.id for s in systems]
        if system_id.strip() not in ids:
            raise InputError(f"--reverse {system_id.strip()!r}: expected one of the systems drawn ({', '.join(ids)})")
        reverse = ReverseQuery.at(system_id, country_text)
    scenario = Scenario(
        points=tuple(points),
        zones=tuple(zones),
        systems=tuple(systems),
        unit=getattr(args, "unit", "km"),
        labels=args.labels,
        target=target,
        reverse=reverse,
    )
    analysis = analyse(scenario)
    if analysis.target is not None and analysis.target.error:
        raise InputError(analysis.target.error)
    return analysis


def _add_zones(p: argparse.ArgumentParser) -> None:
    """``--from-country`` and ``--from-geojson``, both repeatable (read by :func:`_launch_zones`)."""
    p.add_argument(
        "--from-country",
        metavar="ISO2",
        action="append",
        help="a launch zone: anywhere in this country, ISO code or English name (repeatable; "
        "Natural Earth, German point of view: Crimea as part of Ukraine)",
    )
    p.add_argument(
        "--from-geojson",
        metavar="FILE",
        type=Path,
        action="append",
        help="launch zones from a GeoJSON file: its lines and areas are zones, its points launch points (repeatable)",
    )


def _add_unit_and_title(p: argparse.ArgumentParser, *, title_help: str) -> None:
    p.add_argument(
        "--unit", choices=("km", "mi", "nmi"), default="km", help="unit of the ranges (km is shown too; default km)"
    )
    p.add_argument("--title", metavar="TEXT", default="", help=title_help)


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here instead of standard output")


def resolve_systems(args: argparse.Namespace, catalog: Catalog) -> list[System]:
    """The systems named by ``--weapon`` or ``--range-km`` / ``--min-range-km``."""
    if args.weapon:
        if args.min_range_km:
            raise InputError("--min-range-km goes with --range-km; catalog weapons carry their own minimum")
        return systems_from_ids(catalog, args.weapon)
    label = f"{args.range_km:g} km range"
    return [System.custom(label, args.range_km, args.min_range_km)]


def _write(args: argparse.Namespace, text: str, out: TextIO) -> None:
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        out.write(text)


def cmd_weapons(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    if args.json:
        rows = [
            {
                "id": w.id,
                "name": w.name,
                "family": w.family,
                "category": w.category,
                "range_km": w.range_km,
                "min_range_km": w.min_range_km,
                "air_launched": w.air_launched,
                "platforms": list(w.platforms),
                "origin": w.origin,
                "as_of": w.as_of.isoformat(),
                "source_url": w.primary_source.url,
                "range_reported": w.range_reported,
                "drawn_because": w.drawn_because,
                "span": None
                if w.span is None
                else {
                    "low_km": w.span.low_km,
                    "low_by": w.span.low_by,
                    "low_source": w.span.low_source,
                    "high_km": w.span.high_km,
                    "high_by": w.span.high_by,
                    "high_source": w.span.high_source,
                    "text": span_text(w),
                },
                "sources": [
                    {
                        "title": s.title,
                        "publisher": s.publisher,
                        "url": s.url,
                        "date": s.date.isoformat(),
                        "quote": s.quote,
                        "reprint_of": s.reprint_of,
                    }
                    for s in w.sources
                ],
                "notes": w.notes,
            }
            for w in catalog
        ]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    header = ("ID", "NAME", "RANGE", "MIN", "LAUNCH", "SOURCE")
    rows_t = [
        (
            w.id,
            w.name,
            format_distance(w.range_km, "km"),
            format_distance(w.min_range_km, "km") if w.min_range_km else "-",
            "air (from release point)" if w.air_launched else ", ".join(w.platforms),
            f"{w.primary_source.publisher}, {w.primary_source.date.isoformat()}",
        )
        for w in catalog
    ]
    widths = [max(len(r[i]) for r in [header, *rows_t]) for i in range(len(header))]
    for row in [header, *rows_t]:
        out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() + "\n")
    out.write(f"\n{len(catalog)} systems; ranges are publicly reported nominal figures (as of {catalog.as_of}).\n")


def _only_for_kml(args: argparse.Namespace) -> None:
    """`rings` as GeoJSON carries rings only: labels, a target and reverse reach go with --format kml."""
    if args.labels != "compact":
        raise InputError("--labels is for KML (--format kml), the map and the image: GeoJSON carries no labels")
    if args.target or args.reverse:
        raise InputError(
            "--target and --reverse go with --format kml here; for GeoJSON use `python -m geo reverse --format geojson`"
        )


def cmd_rings(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.export.geojson import rings_feature_collection

    systems = resolve_systems(args, catalog)
    points = _with_sector(args, args.at or [])
    if args.from_country or args.from_geojson:
        _write(args, _zone_coverage(args, points, systems), out)
        return
    if not points:
        # Worded as argparse words it, which is what --at being required used to print.
        raise InputError(
            "the following arguments are required: --at (or a launch zone: --from-country, --from-geojson)"
        )
    if args.format == "kml":
        from geo.export.kml import rings_kml

        if args.winding != "ccw":
            raise InputError("--winding is for GeoJSON: KML readers (Google Earth) take either winding")
        _write(args, rings_kml(points, systems, analysis=_labelled(args, points, systems)), out)
        return
    _only_for_kml(args)
    fc = rings_feature_collection(points, systems, winding=args.winding)
    _write(args, json.dumps(fc, ensure_ascii=False) + "\n", out)


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file, refused once it passes ``max_bytes``.

    Reads at most ``max_bytes + 1`` bytes whatever the file claims to be: the
    size that ``stat`` gives is 0 for devices, FIFOs and ``/proc`` files, and
    ``/dev/zero`` would otherwise be read forever (issue 13).
    """
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: the file is larger than {max_bytes / 1e6:g} MB, the limit")
    return data


def _launch_zones(args: argparse.Namespace) -> tuple[list[LaunchPoint], list[Any]]:
    """Launch points and zones from ``--from-country`` and ``--from-geojson`` (either may repeat).

    Points in a GeoJSON file stay launch points (exact distances, minimum
    range kept); its lines and areas become zones.
    """
    from geo.scenario.uploads import MAX_UPLOAD_BYTES, read_geojson
    from geo.scenario.zones import zone_from_country

    def as_list(value: Any) -> list[Any]:
        return [] if value is None else value if isinstance(value, list) else [value]

    points: list[LaunchPoint] = []
    zones = [zone_from_country(code) for code in as_list(getattr(args, "from_country", None))]
    for path in as_list(getattr(args, "from_geojson", None)):
        data = read_limited(path, MAX_UPLOAD_BYTES)
        try:
            upload = read_geojson(data)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        points.extend(upload.points)
        zones.extend(upload.zones)
    return points, zones


def _zone_coverage(args: argparse.Namespace, points: list[LaunchPoint], systems: Sequence[System]) -> str:
    """`rings` with launch zones: one merged coverage per system (geo.scenario.zones.coverage), as GeoJSON or KML."""
    from geo.datasets.countries import BOUNDARY_EDITION, NATURAL_EARTH_CREDIT
    from geo.export.geojson import ATTRIBUTION, coverage_features

    file_points, zones = _launch_zones(args)
    points.extend(file_points)
    if args.format == "kml":
        from geo.export.kml import rings_kml

        if args.winding != "ccw":
            raise InputError("--winding is for GeoJSON: KML readers (Google Earth) take either winding")
        return rings_kml(points, systems, zones=zones, analysis=_labelled(args, points, systems, zones))
    _only_for_kml(args)
    attribution = ATTRIBUTION
    if args.from_country:
        attribution += f" Country outlines: {BOUNDARY_EDITION}. {NATURAL_EARTH_CREDIT}"
    fc = {
        "type": "FeatureCollection",
        "attribution": attribution,
        "features": [f for s in systems for f in coverage_features(points, zones, s, winding=args.winding)],
    }
    return json.dumps(fc, ensure_ascii=False) + "\n"


def _people(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of people, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of people >= 0, got {text!r}")
    return value


def _reach_sources(args: argparse.Namespace) -> tuple[list[LaunchPoint], list[Any]]:
    """Launch points and zones from --at, --from-country or --from-geojson."""
    given = [
        option
        for option, value in (
            ("--at", args.at),
            ("--from-country", args.from_country),
            ("--from-geojson", args.from_geojson),
        )
        if value
    ]
    if len(given) != 1:
        got = f" (got {' and '.join(given)})" if given else ""
        raise InputError(f"give launch points with one of --at, --from-country or --from-geojson{got}")
    if args.at:
        return list(args.at), []
    return _launch_zones(args)


def _reach_origin(nearest_launch: str, via_zone: bool) -> str:
    if not via_zone:
        return nearest_launch
    return f"launch zone (nearest point: {nearest_launch})" if nearest_launch else "launch zone"


def _reach_table(rows: Sequence[Any], systems: Sequence[System], min_population: int) -> str:
    from geo.analysis.reach import reach_totals
    from geo.datasets.gazetteer import GEONAMES_CREDIT

    def km(value: float | None) -> str:
        return "-" if value is None else f"{value:,.1f} km"

    totals = reach_totals(rows, systems)
    header = ("CITY", "COUNTRY", "POPULATION", "DISTANCE", "MARGIN", "BEARING", "NEAREST LAUNCH POINT")
    right = {2, 3, 4, 5}
    lines: list[str] = []
    for system in systems:
        lines.append(f"{system.name} ({system.id}, {system.range_text('km')})")
        cells = [
            (
                r.name,
                r.country_name,
                f"{r.population:,}",
                km(r.distance_km),
                km(r.margin_km),
                "-" if r.bearing_deg is None else f"{r.bearing_deg:.0f}°",
                _reach_origin(r.nearest_launch, r.via_zone),
            )
            for r in rows
            if r.weapon_id == system.id
        ]
        if cells:
            widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
            for row in [header, *cells]:
                text = "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row))
                lines.append("  " + text.rstrip())
        t = totals[system.id]
        note = f" ({t.districts:,} city districts, {t.district_population:,} people, counted in their city)"
        lines.append(
            f"{system.name}: {t.cities:,} {'city' if t.cities == 1 else 'cities'}, {t.population:,} people"
            + (note if t.districts else "")
        )
        lines.append("")
    lines.append(
        f"Cities with at least {min_population:,} people; distance, margin (range minus distance) and bearing "
        "from the nearest launch point in range, geodesic on WGS84."
    )
    if any(r.via_zone for r in rows):
        lines.append(
            "'launch zone': in reach from somewhere in the zone; distance and bearing from the nearest "
            "launch point (if any), no margin."
        )
    lines.append(
        "Totals add GeoNames populations, each city once: GeoNames lists city districts as places of their own "
        f"(e.g. Saltivka in Kharkiv), counted in their city when it is in reach. {GEONAMES_CREDIT}."
    )
    return "\n".join(lines) + "\n"


def cmd_reach(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.analysis.reach import cities_in_reach, reach_csv, reach_json_rows

    systems = resolve_systems(args, catalog)
    points, zones = _reach_sources(args)
    rows = cities_in_reach(points, systems, min_population=args.min_population, zones=zones)
    if args.format == "csv":
        text = reach_csv(rows)
    elif args.format == "json":
        text = json.dumps(reach_json_rows(rows), ensure_ascii=False, indent=1) + "\n"
    else:
        text = _reach_table(rows, systems, args.min_population)
    _write(args, text, out)


def cmd_map(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.render.html_export import standalone_html
    from geo.scenario.palette import color_for

    systems = resolve_systems(args, catalog)
    colors = {s.id: color_for(i) for i, s in enumerate(systems)}
    # Points from --at carry no place names; the embedded place names credit GeoNames themselves.
    points = _with_sector(args, args.at)
    analysis = _labelled(args, points, systems)
    target = analysis.target
    page = standalone_html(
        points,
        systems,
        colors=colors,
        unit=args.unit,
        title=args.title,
        credit_geonames=False,
        target=target.point if target is not None else None,
        target_label=target.label if target is not None else "",
        analysis=analysis,
    )
    _write(args, page, out)


def cmd_globe(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.analysis.analyse import analyse
    from geo.render.globe_html import globe_html
    from geo.scenario.model import Scenario
    from geo.scenario.palette import color_for

    systems = resolve_systems(args, catalog)
    file_points, zones = _launch_zones(args)
    points = [*_with_sector(args, args.at or []), *file_points]
    if not points and not zones:
        raise InputError(
            "the following arguments are required: --at (or a launch zone: --from-country, --from-geojson)"
        )
    scenario = Scenario(points=tuple(points), zones=tuple(zones), systems=tuple(systems), unit=args.unit)
    colors = {s.id: color_for(i) for i, s in enumerate(systems)}
    _write(args, globe_html(analyse(scenario), colors, title=args.title), out)


def _image_size(text: str) -> tuple[int, int] | PrintSize:
    from geo.export.image import parse_image_size

    try:
        return parse_image_size(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_image(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.export.image import image_format_for, render_image

    fmt = image_format_for(args.output)  # before any work: a bad suffix fails at once
    systems = resolve_systems(args, catalog)
    file_points, zones = _launch_zones(args)
    points = [*_with_sector(args, args.at or []), *file_points]
    if not points and not zones:
        raise InputError(
            "the following arguments are required: --at (or a launch zone: --from-country, --from-geojson)"
        )
    data = render_image(
        points,
        systems,
        colors={},
        unit=args.unit,
        zones=zones,
        title=args.title,
        subtitle=args.subtitle,
        size=args.size,
        fmt=fmt,
        target=args.target.latlon if args.target else None,
        target_label=args.target_label,
        place_labels=args.places,
        analysis=_labelled(args, points, systems, zones),
    )
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    if isinstance(args.size, tuple):
        size = f"{args.size[0]}×{args.size[1]} px"
    else:
        width, height = args.size.pixels
        size = f"{args.size.description}, {width}×{height} px"
    out.write(f"wrote {args.output} ({size} {fmt.upper()}, {len(data):,} bytes)\n")


Command = Callable[[argparse.Namespace, Catalog, TextIO], None]


def cmd_reverse(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.analysis.reverse import reverse_reach
    from geo.analysis.target import resolve_target
    from geo.export.geojson import reverse_feature

    systems = resolve_systems(args, catalog)
    target, label = resolve_target(args.target)
    reaches = [reverse_reach(target, s, args.country) for s in systems]
    if args.format == "geojson":
        fc = {"type": "FeatureCollection", "features": [reverse_feature(r, target_label=label) for r in reaches]}
        _write(args, json.dumps(fc, ensure_ascii=False) + "\n", out)
        return
    if args.format == "json":
        rows = [reverse_feature(r, target_label=label)["properties"] for r in reaches]
        _write(args, json.dumps(rows, ensure_ascii=False, indent=1) + "\n", out)
        return
    where = f" in {reaches[0].country.name}" if reaches and reaches[0].country is not None else ""
    lines = [f"Target: {label}. Launch sites from which each system reaches it{where}:"]
    for r in reaches:
        span = format_distance(r.system.range_km, "km")
        if r.system.min_range_km:
            span = f"{format_distance(r.system.min_range_km, 'km')}–{span}"
        lines.append(f"  {r.system.id:<20} {span:>16}   {r.area_km2:>14,.0f} km²")
    lines.append("Area: ellipsoidal (WGS84), the ring around the target of each system's range.")
    _write(args, "\n".join(lines) + "\n", out)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    parser = _Parser(
        prog="python -m geo",
        formatter_class=_Fmt,
        description="Geodesic weapon range rings on the WGS84 ellipsoid.",
        epilog="examples:\n"
        "  python -m geo weapons\n"
        "  python -m geo rings --weapon atacms-300 --at 50.9,34.8 -o rings.geojson\n"
        "Run `python -m geo COMMAND --help` for each command's options.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    commands: dict[str, Command] = {}

    p = sub.add_parser(
        "weapons",
        help="list the weapons catalog",
        formatter_class=_Fmt,
        description="List the catalog: ranges, launch platforms and sources.",
        epilog="examples:\n  python -m geo weapons\n  python -m geo weapons --json | jq '.[].id'",
    )
    p.add_argument("--json", action="store_true", help="machine-readable JSON instead of a table")
    _add_catalog(p)
    commands["weapons"] = cmd_weapons

    p = sub.add_parser(
        "rings",
        help="write range rings as GeoJSON or KML",
        formatter_class=_Fmt,
        description="Write one ring per launch point and system: an RFC 7946 GeoJSON "
        "FeatureCollection (lon/lat, split at the antimeridian, counter-clockwise), or KML. "
        "With launch zones (--from-country, --from-geojson), write instead one merged coverage per "
        "system: everything within range of some launch point or of some point of a zone (no minimum "
        "range for zones), with properties weapon_id, weapon_name, range_km, area_km2, source_url, zones.",
        epilog="examples:\n"
        "  python -m geo rings --weapon atacms-300 --weapon storm-shadow --at 50.9,34.8\n"
        "  python -m geo rings --range-km 500 --min-range-km 50 --at '50°54′36″N 34°48′E' -o r.geojson\n"
        "  python -m geo rings -w kalibr --at -33.87,151.21 --format kml -o rings.kml\n"
        "  python -m geo rings -w atacms-300 --from-country UA --at 52.0,23.7 -o coverage.geojson\n"
        "  python -m geo rings --range-km 300 --from-geojson front.geojson\n"
        "  python -m geo rings -w atacms-300 --at 50.9,34.8 --azimuth 60 --width 90   # a range fan",
    )
    _add_systems(p)
    _add_points(p, required=False)
    _add_zones(p)
    _add_sector(p)
    _add_labels(p, what="in KML (--format kml)")
    _add_reverse(p, target=True, what="in KML (--format kml)")
    p.add_argument("--format", choices=("geojson", "kml"), default="geojson", help="output format (default geojson)")
    p.add_argument(
        "--winding",
        choices=("ccw", "cw"),
        default="ccw",
        help="GeoJSON exterior rings counter-clockwise as RFC 7946 says (ccw, the default), or clockwise (cw) "
        "for d3-geo, Observable Plot, Vega-Lite and Datawrapper, which read a counter-clockwise ring as "
        "the whole globe minus the ring",
    )
    _add_output(p)
    _add_catalog(p)
    commands["rings"] = cmd_rings

    p = sub.add_parser(
        "reach",
        help="list the cities within reach, with their population",
        formatter_class=_Fmt,
        description="List the GeoNames cities each system reaches: geodesic distance on WGS84 from at "
        "least one launch point between the minimum and the maximum range. Each city comes with its "
        "population, and its distance, margin and bearing from the nearest launch point in range; "
        "each system with a total of cities and people.",
        epilog="examples:\n"
        "  python -m geo reach --weapon atacms-300 --at 50.9,34.8\n"
        "  python -m geo reach -w atacms-300 -w storm-shadow --at 50.9,34.8 --at 48.5,35.0 --format csv -o c.csv\n"
        "  python -m geo reach --range-km 500 --min-range-km 50 --from-country UA --min-population 100000\n"
        "Places and populations: GeoNames (geonames.org), CC BY 4.0.",
    )
    _add_systems(p)
    _add_points(p, required=False)
    p.add_argument("--from-country", metavar="ISO2", help="launch from anywhere in this country (e.g. UA)")
    p.add_argument(
        "--from-geojson", metavar="FILE", type=Path, help="launch from the points or areas in a GeoJSON file"
    )
    p.add_argument(
        "--min-population",
        metavar="N",
        type=_people,
        default=15000,
        help="only cities with at least N people (default 15000; below that the larger GeoNames files are read)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default table)")
    _add_output(p)
    _add_catalog(p)
    commands["reach"] = cmd_reach

    p = sub.add_parser(
        "map",
        help="write the map as one self-contained HTML file",
        formatter_class=_Fmt,
        description="Write the range rings on an interactive map: one HTML file that opens offline "
        "(Leaflet is inlined; only OpenStreetMap tiles come from the internet) and embeds in an <iframe>, "
        "with a legend of each system's colour and range, the sources and the credits.",
        epilog="examples:\n"
        "  python -m geo map --weapon atacms-300 --weapon storm-shadow --at 50.9,34.8 -o map.html\n"
        "  python -m geo map --range-km 500 --min-range-km 50 --at 50.9,34.8 --at 48.5,35.0 --unit mi -o map.html\n"
        "  python -m geo map -w kalibr --at 44.6,33.5 --title 'Kalibr from Sevastopol' > map.html",
    )
    _add_systems(p)
    _add_points(p)
    _add_sector(p)
    _add_labels(p, what="on the map")
    _add_reverse(p, target=True, what="on the map")
    _add_unit_and_title(p, title_help="the map's title (default: Weapon Range Map)")
    _add_output(p)
    _add_catalog(p)
    commands["map"] = cmd_map

    p = sub.add_parser(
        "globe",
        help="write the rings on a globe as one self-contained HTML file (for long ranges)",
        formatter_class=_Fmt,
        description="Write the range rings, launch zones and borders on a globe that turns and zooms: one HTML "
        "file that opens offline (deck.gl is inlined, about 2.9 MB; needs a browser with WebGL 2). The same "
        "geometry as the map; a ring round a pole is drawn whole. Labels are drawn on the globe as text.",
        epilog="examples:\n"
        "  python -m geo globe --weapon oreshnik --at 54.71,20.51 -o globe.html\n"
        "  python -m geo globe -w kh-101 -w tomahawk --at 78.2,15.6 --unit mi --title 'From Svalbard' -o g.html\n"
        "Borders: Natural Earth (German point of view).",
    )
    _add_systems(p)
    _add_points(p, required=False)
    _add_zones(p)
    _add_sector(p)
    _add_unit_and_title(p, title_help="the page's title (default: Weapon Range Map: globe)")
    _add_output(p)
    _add_catalog(p)
    commands["globe"] = cmd_globe

    p = sub.add_parser(
        "image",
        help="draw a print-ready map image (PNG or SVG), no browser needed",
        formatter_class=_Fmt,
        description="Draw the coverage of each system on a still map for publication: country borders, "
        "filled coverage with a solid outline per system, launch points, a key with each range, a scale bar, "
        "a title and a footer with the sources and credits. Azimuthal equidistant projection centred on the "
        "launch area, so rings keep their true shape. The format follows the -o suffix (.png or .svg).",
        epilog="examples:\n"
        "  python -m geo image --weapon atacms-300 --weapon storm-shadow --at 50.9,34.8 -o map.png\n"
        "  python -m geo image -w atacms-300 --from-country UA --size square --title 'ATACMS from Ukraine' -o m.png\n"
        "  python -m geo image --range-km 500 --min-range-km 50 --at 50.9,34.8 --unit mi -o map.svg\n"
        "  python -m geo image -w atacms-300 --at 50.9,34.8 --size column -o column-300dpi.png\n"
        "  python -m geo image -w kalibr --at 44.6,33.5 --target 50.45,30.52 --target-label Kyiv -o k.png\n"
        "  python -m geo image -w atacms-300 --at 50.9,34.8 --target 51.73,36.19 --reverse atacms-300:UA -o r.png\n"
        "Borders: Natural Earth (German point of view); city names: GeoNames, CC BY 4.0.",
    )
    _add_systems(p)
    _add_points(p, required=False)
    _add_zones(p)
    p.add_argument(
        "--size",
        metavar="WxH",
        type=_image_size,
        default="1600x1000",
        help="pixels, e.g. 1600x1000 (article, the default), 'square' (1080x1080) or any WIDTHxHEIGHT; "
        "or for print at 300 dpi with type set in points: 'column' (85 x 75 mm), 'page' (170 x 110 mm), "
        "'a4' (A4 landscape, 277 x 190 mm)",
    )
    _add_unit_and_title(p, title_help="the title (default: the systems' names)")
    p.add_argument("--subtitle", metavar="TEXT", default="", help="the line under it (default: the launch points)")
    p.add_argument("--target", metavar="COORD", type=_coordinate, help="a target to mark, with its distance")
    p.add_argument("--target-label", metavar="TEXT", default="", help="the target's label")
    p.add_argument(
        "--places", metavar="N", type=int, default=10, help="name up to N large cities for orientation (default 10)"
    )
    p.add_argument("-o", "--output", metavar="FILE", type=Path, required=True, help="map.png or map.svg")
    _add_sector(p)
    _add_labels(p, what="on the image")
    _add_reverse(p, target=False, what="on the image")
    _add_catalog(p)
    commands["image"] = cmd_image
    p = sub.add_parser(
        "reverse",
        help="from where can a system reach the target? (the area, optionally inside a country)",
        formatter_class=_Fmt,
        description="The launch sites from which each system reaches the target: the geodesic ring of its "
        "range around the target (a donut with a minimum range), optionally clipped to a country, with "
        "its ellipsoidal area. GeoJSON is RFC 7946 (split at ±180°, counter-clockwise).",
        epilog="examples:\n"
        "  python -m geo reverse -w atacms-300 --target Kursk --country UA\n"
        "  python -m geo reverse -w atacms-300 -w storm-shadow --target 51.75,36.29 --format geojson -o r.geojson",
    )
    _add_systems(p)
    p.add_argument("--target", metavar="PLACE", required=True, help="the target: a place name or coordinates")
    p.add_argument("--country", metavar="ISO2", help="only the part of this country (ISO code or English name)")
    p.add_argument(
        "--format", choices=("table", "geojson", "json"), default="table", help="output format (default table)"
    )
    _add_output(p)
    _add_catalog(p)
    commands["reverse"] = cmd_reverse

    return parser, commands


#: Options whose value is a coordinate: "--at -33.9,151.2" must not be taken
#: for an unknown option, as argparse would by default.
COORDINATE_OPTIONS = ("--at", "--target")


def join_negative_values(argv: Sequence[str]) -> list[str]:
    """Glue a negative coordinate to its option: ``--at -33.9,151.2`` → ``--at=-33.9,151.2``.

    Examples
    --------
    >>> join_negative_values(["rings", "--at", "-33.9,151.2", "-w", "x"])
    ['rings', '--at=-33.9,151.2', '-w', 'x']
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in COORDINATE_OPTIONS and i + 1 < len(argv) and re.match(r"^-[\d.]", argv[i + 1]):
            out.append(f"{arg}={argv[i + 1]}")
            i += 2
        else:
            out.append(arg)
            i += 1
    return out


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit status."""
    out = out if out is not None else sys.stdout
    parser, commands = build_parser()
    args = parser.parse_args(join_negative_values(sys.argv[1:] if argv is None else list(argv)))
    try:
        catalog = load_catalog(getattr(args, "catalog", None))
        commands[args.command](args, catalog, out)
    except CatalogError as exc:
        first = exc.problems[0] if exc.problems else ""
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        print(f"{parser.prog} {args.command}: error: {one_line(f'{exc.source}: {first}{more}')}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"{parser.prog} {args.command}: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
