"""The comparison table: what each system reaches from the current launch points.

One row per system: its range, minimum range, the area it covers from all the
launch points together, how it is launched, who makes and supplies it, and
the source of its range figure. Custom systems are marked ``user-defined``.

Areas are ellipsoidal (WGS84) and count overlaps once: the rings from every
launch point are merged (shapely's ``union_all`` of the RFC 7946 rings), and
the merged outline's geodesic area is taken (:func:`geo.core.rings.geodesic_area_km2`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import shapely

from geo.core.rings import geodesic_area_km2, range_ring, ring_area_km2
from geo.core.units import KM_PER_UNIT, check_unit, km_to
from geo.scenario.model import LaunchPoint, System

if TYPE_CHECKING:
    from geo.analysis.analyse import Analysis

__all__ = [
    "USER_DEFINED",
    "ComparisonRow",
    "comparison_csv",
    "comparison_rows",
    "covered_area_km2",
    "excel_csv",
    "spreadsheet_safe",
    "unit_columns",
]

#: What the table shows for a custom system's catalog-only fields.
USER_DEFINED: Final = "user-defined"

# Vertices per ring for the merged area, and twice that: the polygon's
# shortfall against the true curved outline falls as 1/n², so Richardson
# extrapolation over the two cancels it, overlaps or not (as in ring_area_km2).
_UNION_VERTICES: Final = 1024

# Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts
# with one of these as a formula: OWASP, "CSV Injection".
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


#: The label's wording for CSV downloads, which carry a byte-order mark (:func:`excel_csv`).
CSV_ENCODING_LABEL: Final = "CSV, UTF-8 with BOM"


def excel_csv(text: str) -> bytes:
    r"""CSV text as UTF-8 with a byte-order mark, for downloads.

    Excel opens a CSV without a BOM in the system's legacy code page, so
    "Харків" or "Kraków" come out garbled; the BOM (U+FEFF, bytes EF BB BF)
    is its cue for UTF-8 (issue 9). LibreOffice, pandas (``encoding="utf-8-sig"``)
    and Python's ``csv`` module read it too. The command line writes CSV
    without one, for pipes.

    Examples
    --------
    >>> excel_csv("a,b\r\n")[:5]
    b'\xef\xbb\xbfa,'
    """
    return ("\ufeff" + text.removeprefix("\ufeff")).encode("utf-8")


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage
    return gets an apostrophe in front (OWASP's advice for CSV injection), and
    so does one that starts so after leading spaces of any kind or in
    full-width form (``＝``, ``＋``, ``－``, ``＠``: spreadsheets read those as the
    same operators); anything else is returned unchanged. Quoting is left to
    the csv module.

    Examples
    --------
    >>> spreadsheet_safe('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> spreadsheet_safe("  +1"), spreadsheet_safe("\u3000＝1+1")
    ("'  +1", "'\u3000＝1+1")
    >>> spreadsheet_safe('<b>x</b> & "q"')
    '<b>x</b> & "q"'
    """
    if text.startswith(_FORMULA_START):
        return "'" + text
    head = unicodedata.normalize("NFKC", text[:64]).lstrip()
    return "'" + text if head.startswith(_FORMULA_START) else text


def unit_columns(quantity: str, unit: str) -> list[str]:
    """CSV column names for a distance in ``unit`` and in km (one column when the unit is km).

    Examples
    --------
    >>> unit_columns("range", "mi")
    ['range_mi', 'range_km']
    >>> unit_columns("range", "km")
    ['range_km']
    """
    return [f"{quantity}_{unit}", f"{quantity}_km"] if check_unit(unit) != "km" else [f"{quantity}_km"]


def unit_values(distance_km: float, unit: str) -> list[str]:
    """The cells under :func:`unit_columns`: the distance in ``unit`` and in km, 3 decimals.

    Examples
    --------
    >>> unit_values(1.852, "nmi")
    ['1.000', '1.852']
    """
    if check_unit(unit) == "km":
        return [f"{distance_km:.3f}"]
    return [f"{km_to(distance_km, unit):.3f}", f"{distance_km:.3f}"]


def covered_area_km2(points: Sequence[LaunchPoint], system: System) -> float:
    """Area within reach of ``system`` from any of ``points``, in km², overlaps counted once.

    One launch point: :func:`geo.core.rings.ring_area_km2` (exact to 1 part in
    10⁷). Several: the geodesic area of the union of their RFC 7946 rings,
    Richardson-extrapolated over 1,024 and 2,048 vertices per ring so the
    polygons' shortfall against the curved outlines cancels.

    Examples
    --------
    >>> sumy = LaunchPoint(50.9, 34.8)
    >>> one = covered_area_km2([sumy], System.custom("X", 300))
    >>> round(one)
    282691
    >>> round(covered_area_km2([sumy, sumy], System.custom("X", 300)) / one, 6)  # counted once
    1.0
    """
    if not points:
        return 0.0
    if len(points) == 1:
        p = points[0]
        return ring_area_km2(p.lat, p.lon, system.range_km, min_range_km=system.min_range_km)
    areas = []
    for n in (_UNION_VERTICES, 2 * _UNION_VERTICES):
        rings = [
            range_ring(p.lat, p.lon, system.range_km, min_range_km=system.min_range_km, n_vertices=n) for p in points
        ]
        # union_all returns outlines clockwise; orient them counter-clockwise
        # (RFC 7946) before measuring, as the area is that to the outline's left.
        areas.append(geodesic_area_km2(shapely.orient_polygons(shapely.union_all(rings))))
    return areas[1] + (areas[1] - areas[0]) / 3.0


@dataclass(frozen=True)
class ComparisonRow:
    """One system in the comparison table.

    Catalog-only fields of a custom system hold :data:`USER_DEFINED`, are
    empty, or are None (dates).

    Attributes
    ----------
    system : System
        The system itself.
    range_km, min_range_km : float
        Nominal maximum and minimum range, in kilometres.
    area_km2 : float
        Area within reach from the launch points and zones, in km², overlaps
        counted once: the analysis's (:func:`geo.core.area.outline_area_km2`).
    launch_points : int
        How many launch points the area is for.
    range_reported : str
        The range as the source states it (catalog) or ``user-defined``.
    platforms : tuple of str
        Launch platforms (empty for a custom system).
    air_launched : bool
        Range counts from the release point, not the airbase.
    origin, manufacturer, supplied_by : str
        Country of origin, maker, who supplied it to whom (``""`` if the
        catalog does not say; ``user-defined`` for custom systems).
    source_title, source_publisher, source_url : str
        The primary source of the range figure.
    source_date, as_of : datetime.date or None
        Its publication date, and the date the catalog entry was checked.
    """

    system: System
    range_km: float
    min_range_km: float
    area_km2: float
    launch_points: int
    range_reported: str
    platforms: tuple[str, ...]
    air_launched: bool
    origin: str
    manufacturer: str
    supplied_by: str
    source_title: str
    source_publisher: str
    source_url: str
    source_date: dt.date | None
    as_of: dt.date | None

    @property
    def is_custom(self) -> bool:
        return self.system.is_custom

    @property
    def kind(self) -> str:
        """``catalog`` or ``user-defined``."""
        return USER_DEFINED if self.system.is_custom else "catalog"


def comparison_rows(analysis: Analysis) -> list[ComparisonRow]:
    """One :class:`ComparisonRow` per system of the analysis, in its order; areas are the analysis's.

    Examples
    --------
    >>> from geo.analysis.analyse import analyse
    >>> from geo.scenario.model import Scenario
    >>> s = Scenario(points=(LaunchPoint(50.9, 34.8, "Sumy"),), systems=(System.custom("<b>X</b>", 300),))
    >>> rows = comparison_rows(analyse(s))
    >>> rows[0].system.name, rows[0].kind, round(rows[0].area_km2)
    ('<b>X</b>', 'user-defined', 282691)
    """
    rows: list[ComparisonRow] = []
    n_points = len(analysis.scenario.points)
    for result in analysis.results:
        system, area = result.system, result.area_km2
        w = system.weapon
        if w is None:
            rows.append(
                ComparisonRow(
                    system=system,
                    range_km=system.range_km,
                    min_range_km=system.min_range_km,
                    area_km2=area,
                    launch_points=n_points,
                    range_reported=USER_DEFINED,
                    platforms=(),
                    air_launched=False,
                    origin=USER_DEFINED,
                    manufacturer=USER_DEFINED,
                    supplied_by=USER_DEFINED,
                    source_title=USER_DEFINED,
                    source_publisher=USER_DEFINED,
                    source_url="",
                    source_date=None,
                    as_of=None,
                )
            )
            continue
        src = w.primary_source
        rows.append(
            ComparisonRow(
                system=system,
                range_km=system.range_km,
                min_range_km=system.min_range_km,
                area_km2=area,
                launch_points=n_points,
                range_reported=w.range_reported,
                platforms=w.platforms,
                air_launched=w.air_launched,
                origin=w.origin,
                manufacturer=w.manufacturer,
                supplied_by=w.supplied_by or "",
                source_title=src.title,
                source_publisher=src.publisher,
                source_url=src.url,
                source_date=src.date,
                as_of=w.as_of,
            )
        )
    return rows


def comparison_csv(rows: Sequence[ComparisonRow], unit: str = "km") -> str:
    """The comparison table as CSV (RFC 4180, via the csv module).

    One header line, then one line per system. Ranges are given in ``unit``
    and in km, areas in km² (and in ``unit``² when that is not km). The
    sources are columns: publisher, date, title and URL of each row's figure.
    Text cells go through :func:`spreadsheet_safe`.

    Examples
    --------
    >>> from geo.analysis.analyse import analyse
    >>> from geo.scenario.model import Scenario
    >>> rows = comparison_rows(analyse(Scenario(points=(LaunchPoint(50.9, 34.8),), systems=(System.custom("X", 300),))))
    >>> print(comparison_csv(rows, "nmi").splitlines()[0])
    system_id,system_name,kind,range_nmi,range_km,min_range_nmi,min_range_km,range_reported,area_nmi2,area_km2,...
    """
    u = check_unit(unit)
    header = [
        "system_id",
        "system_name",
        "kind",
        *unit_columns("range", u),
        *unit_columns("min_range", u),
        "range_reported",
        *[c + "2" for c in unit_columns("area", u)],
        "launch_points",
        "platforms",
        "air_launched",
        "origin",
        "manufacturer",
        "supplied_by",
        "source_publisher",
        "source_date",
        "source_title",
        "source_url",
        "as_of",
    ]

    def area(km2: float) -> list[str]:
        return [f"{km2 / KM_PER_UNIT[u] ** 2:.1f}", f"{km2:.1f}"] if u != "km" else [f"{km2:.1f}"]

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for r in rows:
        writer.writerow(
            [
                spreadsheet_safe(r.system.id),
                spreadsheet_safe(r.system.name),
                r.kind,
                *unit_values(r.range_km, u),
                *unit_values(r.min_range_km, u),
                spreadsheet_safe(r.range_reported),
                *area(r.area_km2),
                r.launch_points,
                spreadsheet_safe("; ".join(r.platforms)) if r.platforms else "",
                "yes" if r.air_launched else "no",
                spreadsheet_safe(r.origin),
                spreadsheet_safe(r.manufacturer),
                spreadsheet_safe(r.supplied_by),
                spreadsheet_safe(r.source_publisher),
                r.source_date.isoformat() if r.source_date else "",
                spreadsheet_safe(r.source_title),
                spreadsheet_safe(r.source_url),
                r.as_of.isoformat() if r.as_of else "",
            ]
        )
    return buf.getvalue()
