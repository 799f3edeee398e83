"""Ready-made scenarios from the news coverage of the systems in the catalog.

Each preset is a share-link query (see :mod:`geo.scenario.share`) with its date, a
one-line context and the source it rests on. The sources are the ones the
catalog already cites for the systems involved.
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
    source_title: str
    source_publisher: str
    source_url: str
    query: tuple[tuple[str, tuple[str, ...]], ...]

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
            "The US let Ukraine fire ATACMS into Russia in November 2024, while Ukrainian forces held ground "
            "around Sudzha in Russia's Kursk region: both ATACMS variants from the Sumy border area and from Sudzha."
        ),
        source_title="What does Biden's decision to allow Ukraine to use longer-range US weapons mean?",
        source_publisher="Associated Press",
        source_url="https://bastillepost.com/global/article/4337947-what-does-bidens-decision-to-allow-ukraine-to-use-longer-range-us-weapons-mean",
        query=(
            ("at", ("50.91,34.8~Sumy", "51.19,35.27~Sudzha (Kursk region)")),
            ("w", ("atacms-300,atacms-165",)),
            ("t", ("Kursk",)),
        ),
    ),
    Preset(
        id="storm-shadow-may-2023",
        title="The UK sends Storm Shadow",
        date=dt.date(2023, 5, 11),
        context=(
            "The UK confirmed Storm Shadow deliveries to Ukraine on 11 May 2023. Air-launched: the ring is drawn "
            "around a release point near the Zaporizhzhia front, not around an airbase."
        ),
        source_title="UK sends Storm Shadow missiles to Ukraine",
        source_publisher="The National",
        source_url="https://thenationalnews.com/world/uk-news/2023/05/11/uk-sends-storm-shadow-missiles-to-ukraine",
        query=(
            ("at", ("47.84,35.14~Release point near Zaporizhzhia",)),
            ("w", ("storm-shadow",)),
            ("t", ("Sevastopol",)),
        ),
    ),
    Preset(
        id="taurus-feb-2024",
        title="Germany rules out Taurus",
        date=dt.date(2024, 2, 26),
        context=(
            "Chancellor Scholz ruled out sending Taurus (500 km) in February 2024; the debate was over whether it "
            "could reach Moscow. The ring is drawn around a release point near Kharkiv."
        ),
        source_title="Germany's Scholz rules out Taurus long-range missiles delivery to Ukraine",
        source_publisher="Euractiv",
        source_url="https://nachrichtenagentur.radio-utopie.de/newsagency/germanys-scholz-rules-out-taurus-long-range-missiles-delivery-to-ukraine",
        query=(
            ("at", ("49.99,36.23~Release point near Kharkiv",)),
            ("w", ("taurus,storm-shadow",)),
            ("t", ("Moscow",)),
        ),
    ),
    Preset(
        id="long-neptune-mar-2025",
        title="Ukraine's Long Neptune, 1,000 km",
        date=dt.date(2025, 3, 16),
        context=(
            "President Zelensky said in March 2025 that the Long Neptune, with a 1,000 km range, had been used in "
            "combat: Ukraine's own missile, compared with the original Neptune, from Kyiv."
        ),
        source_title="Zelensky, testato con successo missile che può colpire Mosca",
        source_publisher="ANSA",
        source_url="https://www.imolaoggi.it/2025/03/16/zelensky-testato-con-successo-missile-che-puo-colpire-mosca/",
        query=(
            ("at", ("50.45,30.52~Kyiv",)),
            ("w", ("long-neptune,neptune",)),
            ("t", ("Moscow",)),
        ),
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
