"""Captions and alt text written from the analysis, for a journalist to paste (issue 11).

One caption sentence per system ("Range of ATACMS (300 km) from Sumy: reaches
Kharkiv (140 km), …; area 282,691 km². Sources: Reuters, dated November 18,
2024.") and one alt text describing the map for screen readers. Every number
comes from the :class:`~geo.analysis.analyse.Analysis` (its areas, verdicts
and places in reach) and is formatted by Babel (CLDR data) in the reader's
locale, never by hand. The page, the PNG's text chunks, the SVG's
``<title>``/``<desc>``, the standalone HTML's ``aria-label`` and
``<figcaption>`` and the KML description all print the one :class:`Caption`
made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

from geo.analysis.analyse import Analysis, Reach, SystemResult
from geo.analysis.reach import CityInReach
from geo.analysis.target import IN_RANGE, TOO_CLOSE
from geo.core.units import check_unit, km_to
from geo.datasets.gazetteer import DEFAULT_MIN_POPULATION
from geo.errors import InputError

__all__ = ["CITY_POPULATION", "Caption", "caption_for", "format_area", "format_length", "format_number"]

#: "N cities of over 100,000 people".
CITY_POPULATION: Final = 100_000
#: How many of the largest places in reach a caption names.
NAMED_PLACES: Final = 4
#: How many countries the alt text names.
NAMED_COUNTRIES: Final = 3

_CLDR_LENGTH: Final = {"km": "length-kilometer", "mi": "length-mile", "nmi": "length-nautical-mile"}


def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise InputError(f"unknown locale {locale!r}: expected a code such as en, en_GB or de") from exc


def format_number(value: float, locale: str = "en") -> str:
    """A whole number with the locale's grouping, e.g. ``12,074,312`` (en) or ``12.074.312`` (de).

    >>> format_number(12074312.4), format_number(12074312, "de")
    ('12,074,312', '12.074.312')
    """
    return format_decimal(round(value), format="#,##0", locale=_locale(locale))


def format_length(distance_km: float, unit: str = "km", locale: str = "en") -> str:
    """A distance in ``unit`` (km, mi, nmi), CLDR's short unit name; one decimal below 10.

    >>> format_length(300), format_length(300, "mi"), format_length(300, "nmi"), format_length(2.5)
    ('300 km', '186 mi', '162 nmi', '2.5 km')
    """
    value = km_to(distance_km, check_unit(unit))
    pattern = "#,##0" if abs(value) >= 10 else "#,##0.#"
    return format_unit(value, _CLDR_LENGTH[unit], length="short", format=pattern, locale=_locale(locale))


def format_area(area_km2: float, unit: str = "km", locale: str = "en") -> str:
    """An area in km², with square miles first when the unit is miles.

    CLDR has no square nautical mile, so nautical miles give km².

    >>> format_area(282691.4), format_area(282691.4, "mi")
    ('282,691 km²', '109,148 sq mi (282,691 km²)')
    """
    loc = _locale(locale)
    km2 = format_unit(round(area_km2), "area-square-kilometer", length="short", format="#,##0", locale=loc)
    if check_unit(unit) != "mi":
        return km2
    mi2 = format_unit(round(area_km2 / 1.609344**2), "area-square-mile", length="short", format="#,##0", locale=loc)
    return f"{mi2} ({km2})"


@dataclass(frozen=True)
class SystemCaption:
    """One system's caption and the figures it states (for tests and exports to check)."""

    system_id: str
    text: str
    area_km2: float
    places: tuple[CityInReach, ...]
    cities_over: int
    people: int


@dataclass(frozen=True)
class Caption:
    """The captions (one sentence per system) and the alt text of one analysis."""

    systems: tuple[SystemCaption, ...]
    alt: str
    title: str

    @property
    def text(self) -> str:
        """Every system's caption, one per line."""
        return "\n".join(s.text for s in self.systems)


def _sources(result: SystemResult, locale: str) -> str:
    weapon = result.system.weapon
    if weapon is None:
        return "Range: user-defined."
    parts = []
    for s in weapon.sources[:2]:
        if s.reprint_of is not None:
            continue
        parts.append(f"{s.publisher}, dated {format_date(s.date, 'long', locale=_locale(locale))}")
    return "Sources: " + "; ".join(parts or [weapon.primary_source.publisher]) + "."


def _launch_names(analysis: Analysis) -> str:
    names = [p.name for p in analysis.scenario.points] + [z.label for z in analysis.zones]
    if len(names) > 3:
        return f"{len(names)} launch sites"
    return format_list(names, locale="en") if names else "no launch site"


def _system_caption(
    analysis: Analysis, result: SystemResult, rows: list[CityInReach], locale: str, min_population: int
) -> SystemCaption:
    unit = analysis.scenario.unit
    system = result.system
    # Districts are counted in their city (issue 11): Saltivka is not named beside Kharkiv.
    mine = sorted(
        (r for r in rows if r.weapon_id == system.id and not r.district_of), key=lambda r: (-r.population, r.name)
    )
    total = analysis.totals(min_population)[system.id]
    big = sum(1 for r in mine if r.population > CITY_POPULATION and not r.district_of)
    head = f"Range of {system.name} ({format_length(system.range_km, unit, locale)}) from {_launch_names(analysis)}"
    named = [
        f"{r.name} ({format_length(r.distance_km, unit, locale)})" if r.distance_km is not None else r.name
        for r in mine[:NAMED_PLACES]
    ]
    if named:
        more = "" if len(mine) <= NAMED_PLACES else f" and {format_number(len(mine) - len(named), locale)} more places"
        reach = f"reaches {format_list(named, locale='en') if not more else ', '.join(named)}{more}"
        people = (
            f"{format_number(big, locale)} {'city' if big == 1 else 'cities'} of over "
            f"{format_number(CITY_POPULATION, locale)} people; "
            f"{format_number(total.population, locale)} people in {format_number(total.cities, locale)} "
            f"{'place' if total.cities == 1 else 'places'} of at least {format_number(min_population, locale)} "
            "people (GeoNames; city districts counted in their city)"
        )
        body = f"{reach}; {people}; area {format_area(result.area_km2, unit, locale)}"
    else:
        body = f"reaches no listed place; area {format_area(result.area_km2, unit, locale)}"
    text = f"{head}: {body}."
    if result.verdict is not None and analysis.target is not None:
        best = result.verdict.best
        text += f" {analysis.target.label}: {_verdict(best, unit, locale)}."
    text += " " + _sources(result, locale)
    return SystemCaption(system.id, text, result.area_km2, tuple(mine), big, total.population)


def _verdict(best: Reach, unit: str, locale: str) -> str:
    margin = format_length(abs(best.margin_km), unit, locale)
    distance = format_length(best.distance_km, unit, locale)
    if best.status == IN_RANGE:
        return f"in range ({distance} from {best.source}, {margin} to spare)"
    if best.status == TOO_CLOSE:
        return f"too close ({distance} from {best.source}, {margin} inside the minimum range)"
    return f"out of range ({distance} from {best.source}, short by {margin})"


def caption_for(analysis: Analysis, *, locale: str = "en", min_population: int = DEFAULT_MIN_POPULATION) -> Caption:
    """The captions and alt text of ``analysis``, numbers in ``locale`` and the scenario's unit.

    Examples
    --------
    >>> from geo.analysis.analyse import analyse
    >>> from geo.scenario.model import LaunchPoint, Scenario, System
    >>> s = Scenario(points=(LaunchPoint(50.91, 34.8, "Sumy"),), systems=(System.custom("X", 300),), target="Kursk")
    >>> c = caption_for(analyse(s))
    >>> c.systems[0].text.startswith("Range of X (300 km) from Sumy: reaches Kharkiv (")
    True
    >>> "area 282,691 km²" in c.text, "Kursk, Russia: in range (" in c.text
    (True, True)
    """
    _locale(locale)
    rows = analysis.places(min_population) if analysis.scenario.has_launch_sites else []
    systems = tuple(_system_caption(analysis, r, rows, locale, min_population) for r in analysis.results)
    names = format_list([r.system.name for r in analysis.results], locale="en") if analysis.results else "no system"
    title = f"Range of {names} from {_launch_names(analysis)}"
    alt = [f"Map showing the area within range of {names} from {_launch_names(analysis)}."]
    for result in analysis.results:
        countries = sorted(
            analysis.by_country(result.system.id) if result.outline is not None else [], key=lambda c: -c.covered_km2
        )
        where = [c.country.name for c in countries[:NAMED_COUNTRIES]]
        if len(countries) > NAMED_COUNTRIES:
            where.append(f"{len(countries) - NAMED_COUNTRIES} more")
        line = (
            f"{result.system.name} ({format_length(result.system.range_km, analysis.scenario.unit, locale)}): "
            f"a shaded area of {format_area(result.area_km2, analysis.scenario.unit, locale)}"
        )
        if where:
            line += f" over {format_list(where, locale='en')}"
        alt.append(line + ".")
    if analysis.target is not None and analysis.target.point is not None:
        hits = [r.system.name for r in analysis.results if r.verdict is not None and r.verdict.in_range]
        reached = f"within range of {format_list(hits, locale='en')}" if hits else "out of range of every system"
        alt.append(f"A marker shows the target, {analysis.target.label}, {reached}.")
    return Caption(systems, " ".join(alt), title)
