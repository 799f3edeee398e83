"""Ready-made scenarios from the news coverage of the systems in the catalog.

Each preset is a share-link query (see :mod:`geo.scenario.share`) with its date,
its context (the page's header while it is shown), where its launch points are
and why, and the source it rests on with the quoted words. Launch points are
put where the reported events put them (issue 11: the Storm Shadow release
point was 381 km from Sevastopol, which the missile hit; Taurus was released
from Kharkiv, 649 km from Moscow); each claim is checked with the app's own
analysis in tests/scenario/test_presets.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from geo.datasets.catalog import Catalog
from geo.errors import InputError
from geo.scenario.model import Scenario
from geo.scenario.share import decode_query


@dataclass(frozen=True)
class Preset:
    """A scenario with its news context."""

    id: str
    title: str
    date: dt.date
    context: str
    #: What the preset shows, checked against the app's analysis (tests/scenario/test_presets.py).
    claim: str
    #: Why the launch points are where they are.
    placement: str
    source_title: str
    source_publisher: str
    source_url: str
    source_date: dt.date
    #: The source's words the context rests on.
    source_quote: str
    query: tuple[tuple[str, tuple[str, ...]], ...]
    #: (a word of the launch point's label, system id, reaches the target?) for each claim checked.
    checks: tuple[tuple[str, str, bool], ...] = ()

    def params(self) -> dict[str, list[str]]:
        """The preset as query parameters."""
        return {key: list(values) for key, values in self.query}

    def scenario(self, catalog: Catalog) -> Scenario:
        """Decode the preset against a catalog.

        Raises
        ------
        InputError
            If the catalog lacks a system the preset names (a broken preset).
        """
        decoded = decode_query(self.params(), catalog)
        if decoded.warnings:
            raise InputError(f"preset {self.id!r}: {'; '.join(decoded.warnings)}")
        return decoded.scenario


PRESETS: Final[tuple[Preset, ...]] = (
    Preset(
        id="atacms-nov-2024",
        title="ATACMS cleared for strikes inside Russia",
        date=dt.date(2024, 11, 19),
        context=(
            "The US let Ukraine fire ATACMS into Russia in November 2024; the first strike hit an arsenal near Karachev in the Bryansk region on 19 November. Both ATACMS versions from the Sumy region."
        ),
        claim="The 300 km ATACMS from the Sumy region reaches Karachev; the older 165 km version does not.",
        placement=(
            "Launch sites were not reported; Shostka and Sumy are Ukrainian-held towns in the Sumy border region, 174 and 246 km from Karachev."
        ),
        source_title="[Kyiv Independent report: Russian media claim Ukraine used ATACMS in Russia for first time]",
        source_publisher="The Kyiv Independent",
        source_url="https://kyivindependent.com/russia-media-claim-ukraine-used-atacms-in-russia-for-first-time/",
        source_date=dt.date(2024, 11, 19),
        source_quote=(
            "This coincides with several Ukrainian media outlets reporting that, according to undisclosed military sources, Ukraine successfully struck a Russian military facility in Karachev, Bryansk Oblast."
        ),
        query=(
            ("at", ("51.8643,33.4728~Shostka, Sumy region (representative)", "50.9174,34.7991~Sumy (representative)")),
            ("w", ("atacms-300,atacms-165",)),
            ("t", ("Karachev",)),
        ),
        checks=(
            ("Shostka", "atacms-300", True),
            ("Shostka", "atacms-165", False),
            ("Sumy", "atacms-300", True),
            ("Sumy", "atacms-165", False),
        ),
    ),
    Preset(
        id="storm-shadow-may-2023",
        title="Storm Shadow reaches Sevastopol",
        date=dt.date(2023, 9, 22),
        context=(
            "Britain announced Storm Shadow for Ukraine on 11 May 2023; in September Ukraine used it against the shipyard (13 September) and the Black Sea Fleet headquarters (22 September) in Sevastopol. Air-launched: the ring is drawn around a release point, not an airbase."
        ),
        claim="A Storm Shadow released over the Kherson area reaches Sevastopol.",
        placement=(
            "The release point was not reported; it is put over Kherson, the Ukrainian-held city on the Dnipro's west bank (Russia withdrew from the west bank in November 2022), the closest Ukrainian-controlled ground to Sevastopol, about 236 km away. Released over Zaporizhzhia city, about 381 km from Sevastopol, it would not reach."
        ),
        source_title="Sky News: Ukraine used Storm Shadow missiles to strike Black Sea Fleet headquarters",
        source_publisher="The Kyiv Independent",
        source_url="https://kyivindependent.com/sky-news-ukraine-used-storm-shadow-missiles-in-black-sea-fleet-headquarters-strike/",
        source_date=dt.date(2023, 9, 22),
        source_quote=(
            "Ukraine used Storm Shadow long-range missiles in a strike against the Russian Black Sea Fleet headquarters in Sevastopol on Sept. 22, Sky News reported, citing information provided by the Ukrainian Air Force."
        ),
        query=(
            ("at", ("46.6369,32.6146~Release point over the Kherson area (representative)",)),
            ("w", ("storm-shadow",)),
            ("t", ("Sevastopol",)),
        ),
        checks=(("Kherson", "storm-shadow", True),),
    ),
    Preset(
        id="taurus-feb-2024",
        title="Germany rules out Taurus",
        date=dt.date(2024, 2, 26),
        context=(
            "Chancellor Scholz refused to send Taurus in February 2024, saying a 500 km missile could, if misused, hit a target somewhere in Moscow. Released at Ukraine's northern border, Taurus reaches Moscow; Storm Shadow, already supplied, does not."
        ),
        claim="A Taurus released over Ukraine's northern border reaches Moscow.",
        placement=(
            "The point is Seredyna-Buda in the Sumy region, on the border with Russia's Bryansk region, about 461 km from Moscow; released over Kharkiv, about 649 km away, it would not reach."
        ),
        source_title="German Chancellor gives new reason not to give Taurus missiles to Ukraine: It could hit somewhere in Moscow",
        source_publisher="Ukrainska Pravda",
        source_url="https://pravda.com.ua/eng/news/2024/02/29/7444424/index.amp",
        source_date=dt.date(2024, 2, 29),
        source_quote=(
            'Scholz said that the Taurus, a missile with a maximum range of 500 kilometres, is a weapon that, "if used incorrectly, could hit a certain target somewhere in Moscow".'
        ),
        query=(
            ("at", ("52.1889,34.0361~Seredyna-Buda, northern border (representative)",)),
            ("w", ("taurus,storm-shadow",)),
            ("t", ("Moscow",)),
        ),
        checks=(("Seredyna-Buda", "taurus", True), ("Seredyna-Buda", "storm-shadow", False)),
    ),
    Preset(
        id="long-neptune-mar-2025",
        title="Ukraine's Long Neptune, 1,000 km",
        date=dt.date(2025, 3, 16),
        context=(
            "President Zelensky said in March 2025 that the Long Neptune, with a stated 1,000 km range, had been used in combat. From Kyiv it reaches Moscow; the original Neptune does not."
        ),
        claim="A Long Neptune launched from Kyiv reaches Moscow.",
        placement=("No launch site has been reported; Kyiv is a reference point about 756 km from Moscow."),
        source_title="Ukraine Tests 3,000-Km Long-Range Drone",
        source_publisher="The Defense Post",
        source_url="https://thedefensepost.com/2025/03/20/ukraine-long-range-drone",
        source_date=dt.date(2025, 3, 20),
        source_quote=(
            "The development comes days after Ukraine announced the combat test of the Long Neptune cruise missile, which has an operational range of 1,000 kilometers (621 miles)."
        ),
        query=(
            ("at", ("50.4547,30.5238~Kyiv (reference point)",)),
            ("w", ("long-neptune,neptune",)),
            ("t", ("Moscow",)),
        ),
        checks=(("Kyiv", "long-neptune", True), ("Kyiv", "neptune", False)),
    ),
)


def get_preset(preset_id: str) -> Preset:
    """The preset with this id.

    Examples
    --------
    >>> get_preset("atacms-nov-2024").date.isoformat()
    '2024-11-19'
    """
    for preset in PRESETS:
        if preset.id == preset_id:
            return preset
    raise InputError(f"unknown preset {preset_id!r}; known: {', '.join(p.id for p in PRESETS)}")
