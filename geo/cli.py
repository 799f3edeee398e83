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
from typing import NoReturn, TextIO

from geo.catalog import Catalog, load_catalog
from geo.coords import parse_latlon
from geo.errors import CatalogError, InputError
from geo.scenario import LaunchPoint, System, systems_from_ids
from geo.units import format_distance

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


class _Fmt(argparse.RawDescriptionHelpFormatter):
    pass


def _coordinate(text: str) -> LaunchPoint:
    try:
        p = parse_latlon(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return LaunchPoint(p.lat, p.lon)


def _positive_km(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of kilometres, got {text!r}") from None
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
        help='a launch point, "LAT,LON" or DMS such as "50°54′36″N 34°48′E" (repeatable; '
        "use --at=-33.9,151.2 for a negative latitude)",
    )


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


def cmd_rings(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> None:
    from geo.geojson import rings_feature_collection

    systems = resolve_systems(args, catalog)
    points = list(args.at)
    if args.format == "kml":
        from geo.kml import rings_kml

        _write(args, rings_kml(points, systems), out)
        return
    fc = rings_feature_collection(points, systems)
    _write(args, json.dumps(fc, ensure_ascii=False) + "\n", out)


Command = Callable[[argparse.Namespace, Catalog, TextIO], None]


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
        "FeatureCollection (lon/lat, split at the antimeridian, counter-clockwise), or KML.",
        epilog="examples:\n"
        "  python -m geo rings --weapon atacms-300 --weapon storm-shadow --at 50.9,34.8\n"
        "  python -m geo rings --range-km 500 --min-range-km 50 --at '50°54′36″N 34°48′E' -o r.geojson\n"
        "  python -m geo rings -w kalibr --at -33.87,151.21 --format kml -o rings.kml",
    )
    _add_systems(p)
    _add_points(p)
    p.add_argument("--format", choices=("geojson", "kml"), default="geojson", help="output format (default geojson)")
    _add_output(p)
    _add_catalog(p)
    commands["rings"] = cmd_rings
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
        print(f"{parser.prog} {args.command}: error: {exc.source}: {first}{more}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
