"""The ellipsoidal buffer: everything within a range of a line or an area, on WGS84.

A launch zone stands for "launched from anywhere in here"; its reach is the
set of points within ``range_km`` of some point of the zone, distance being
the length of the shortest path on the WGS84 ellipsoid (DESIGN.md §2). It is
never a buffer in degrees, which for a 523 km line and 300 km falls up to
105 km short.

How :func:`reach_from_chains` (with :func:`outline_chains`) builds it:

1. Simplify the zone's outline (Douglas–Peucker) within ``tol`` =
   :func:`geo.core.rings.chord_tolerance_m` of the range (150 m for 300 km): every
   dropped vertex lies within ``tol`` of the simplified outline, so the reach
   moves by no more than that.
2. For areas, close the outline's pockets (bays, river mouths, zig-zags of a
   coastline) across chords no longer than ``sqrt(8 · range · tol)`` (19 km
   for 300 km) and round no more than twice the range of outline: the reach
   grows by at most a chord's sagitta, ``tol``, and loses nothing
   (:func:`fill_pockets`). Capes and borders that stick out stay. Natural
   Earth's Ukraine goes from 3,000 vertices to about 600 ring centres for
   300 km.
3. Densify every edge along its geodesic, every :data:`DENSIFY_KM` (25 km) at
   most: edges are taken as geodesics, the shortest path on the ground.
4. Put a geodesic range ring (``pyproj.Geod.fwd``, as :func:`geo.range_ring`
   does, with the same vertex count) around each vertex and take the convex
   hull of each consecutive pair of rings: the area swept by a ring moving
   along the edge. Geodesic circles that do not contain a pole are convex in
   (lon, lat) (tests/analysis/test_zone_reach.py checks it), so the hull is a close fit. A
   small island (no wider than ``sqrt(6 · range · tol)``) gets one hull around
   all its rings. A ring that contains a pole is not convex in (lon, lat):
   next to such rings, rings alone are placed close enough together (every
   ``sqrt(8 · range · tol)``) that the scallops between them stay within ``tol``.
5. Union everything (shapely ``union_all``), with the zone's own area for
   countries and polygons.

The outline ends up within ``-2 · tol … +tol`` of the true one: ``tol`` inside
from the rings' chords (as for :func:`geo.range_ring`), ``tol`` either way
from simplifying, ``tol`` outside from closed pockets (measured against a
dense reference in tests/analysis/test_zone_reach.py and bench/bench_coverage.py). Near a
pole, straight (lon, lat) edges stray further from the geodesic circle, as
they do for :func:`geo.range_ring`.

All of this happens with longitudes unwrapped around the zone (a line from
179° E to 179° W runs from 179 to 181), and the result is split at the
antimeridian for RFC 7946.

This module works on plain (lon, lat) shapely geometry and knows nothing of
zones, systems or caches (:mod:`geo.analysis.zone_reach` keeps those).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.core import geodesic
from geo.core.antimeridian import near, unwrap
from geo.core.rings import chord_tolerance_m, disk_polygon, vertex_count
from geo.core.shapes import polygonal
from geo.core.simplify import simplify_geometry, simplify_xy
from geo.errors import InputError

__all__ = [
    "DENSIFY_KM",
    "MAX_REACH_VERTICES",
    "MAX_ZONE_CENTRES",
    "Chains",
    "OutlineSize",
    "ZoneGeometry",
    "check_outline_size",
    "densify_geodesic",
    "fill_pockets",
    "outline_chains",
    "outline_size",
    "reach_from_chains",
]

#: Largest spacing between ring centres along a zone's outline, in km. The
#: convex hull of two rings this far apart follows the true swept area within
#: metres (DESIGN.md §2: −22…+13 m for a 523 km line and 300 km).
DENSIFY_KM: Final = 25.0

#: Longest ground distance of one degree (a degree of latitude at a pole,
#: 111,694 m on WGS84): a tolerance of d / this in degrees is at most d metres.
_MAX_M_PER_DEG: Final = 111_700.0
#: Mean length of a degree on the mean sphere (R1 = 6,371,008.8 m), for rough thresholds.
_MEAN_M_PER_DEG: Final = 111_195.0

ZoneGeometry: TypeAlias = LineString | MultiLineString | Polygon | MultiPolygon


def _ref_lon(geometry: ZoneGeometry) -> float:
    """A longitude to unwrap the zone around: the middle of its largest part."""
    parts = list(shapely.get_parts(geometry))
    size = [p.area if isinstance(p, Polygon) else p.length for p in parts]
    biggest = parts[int(np.argmax(size))]
    if isinstance(biggest, Polygon):
        return float(biggest.centroid.x)
    return float(biggest.coords[0][0])


def densify_geodesic(xy: NDArray[np.float64], step_m: float) -> NDArray[np.float64]:
    """Vertices every ``step_m`` metres at most along the geodesic edges of a lon/lat line.

    The original vertices are kept exactly; longitudes stay continuous
    (unwrapped) along each edge, so an outline across ±180° stays in one piece.
    """
    if len(xy) < 2:
        return xy
    lon1, lat1, lon2, lat2 = xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]
    az, dist = geodesic.inverse(lat1, lon1, lat2, lon2)
    k = np.maximum(np.ceil(dist / step_m), 1).astype(int)
    if (k == 1).all():
        return xy
    edge = np.repeat(np.arange(len(k)), k)
    j = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    frac = j / k[edge]
    lats, lons = geodesic.direct(lat1[edge], lon1[edge], az[edge], dist[edge] * frac)
    start = j == 0
    lons[start], lats[start] = lon1[edge][start], lat1[edge][start]
    lons += 360.0 * np.round((lon1[edge] - lons) / 360.0)  # continuous with the edge's start
    return np.vstack([np.column_stack([lons, lats]), xy[-1:]])


def _approx_m(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Short distances between (lon, lat) rows, in metres, to within 1 % (for thresholds only)."""
    k = np.cos(np.radians((a[..., 1] + b[..., 1]) / 2.0))
    out: NDArray[np.float64] = np.hypot((b[..., 0] - a[..., 0]) * k, b[..., 1] - a[..., 1]) * _MEAN_M_PER_DEG
    return out


def fill_pockets(ring: NDArray[np.float64], radius_m: float, max_chord_m: float) -> NDArray[np.float64]:
    """Drop concave vertices of a closed outline whose removal cannot change the reach by more than a chord's sagitta.

    The area lies to the left of ``ring`` (counter-clockwise exteriors,
    clockwise holes). A concave vertex v between a and b may go when the
    chord ab is at most ``max_chord_m`` long and the pocket it closes (bounded
    by ab and the original outline from a to b) has a perimeter of at most
    ``2 · radius_m``:

    - nothing is lost: a point outside that was within range of the pocket's
      outline is within range of the chord, which lies between them, and the
      whole pocket is within ``radius_m`` of a (its diameter is at most half
      its perimeter);
    - little is gained: a point within range of the chord is within
      ``sqrt(r² + (ab/2)²)`` of a or b, at most ``ab² / 8r`` beyond range.

    A coastline's bays, river mouths and zig-zags go; its capes stay. Vertices
    are removed in passes, never two neighbours in one pass.
    """
    xy = ring[:-1].copy()
    path_m = _approx_m(xy, np.roll(xy, -1, axis=0))  # outline length from vertex i to the next kept one
    while len(xy) > 3:
        prev, nxt = np.roll(xy, 1, axis=0), np.roll(xy, -1, axis=0)
        k = np.cos(np.radians(xy[:, 1]))
        turn = (xy[:, 0] - prev[:, 0]) * k * (nxt[:, 1] - xy[:, 1]) - (xy[:, 1] - prev[:, 1]) * (
            nxt[:, 0] - xy[:, 0]
        ) * k
        chord = _approx_m(prev, nxt)
        ok = (turn <= 0.0) & (chord <= max_chord_m) & (np.roll(path_m, 1) + path_m + chord <= 2.0 * radius_m)
        if not ok.any():
            break
        # Every other vertex of each run of candidates, so no two neighbours go at once.
        starts = ok & ~np.roll(ok, 1)
        if not starts.any():
            starts[0] = True
        pos = np.arange(len(xy))
        offset = pos - np.maximum.accumulate(np.where(starts, pos, 0))
        drop = ok & (offset % 2 == 0)
        if drop[0] and drop[-1]:
            drop[-1] = False
        gone = np.flatnonzero(drop)
        path_m[gone - 1] += path_m[gone]
        xy, path_m = xy[~drop], path_m[~drop]
    out: NDArray[np.float64] = np.vstack([xy, xy[:1]])
    return out


def _zone_outlines(
    geometry: ZoneGeometry, ref: float, radius_m: float, tol_m: float
) -> tuple[list[NDArray[np.float64]], list[Polygon | MultiPolygon]]:
    """Outline chains to put rings along, and the zone's areas, unwrapped around ``ref``.

    Chains are simplified within ``tol_m``, rid of pockets (:func:`fill_pockets`)
    and densified every :data:`DENSIFY_KM`; closed chains repeat their first vertex.
    """
    step_m = DENSIFY_KM * 1000.0
    tol_deg = tol_m / _MAX_M_PER_DEG
    max_chord_m = math.sqrt(8.0 * radius_m * tol_m)  # sagitta ab² / 8r = tol_m
    chains: list[NDArray[np.float64]] = []
    areas: list[Polygon | MultiPolygon] = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon):
            # Ring by ring, in bounded runs (geo.core.simplify: GEOS recursion on a
            # long zig-zag overflows the stack), repaired where that broke it.
            simplified = polygonal(simplify_geometry(part, tol_deg))
            for simple in shapely.get_parts(shapely.orient_polygons(simplified)):
                if simple.is_empty:
                    continue
                shift = near(simple.centroid.x, ref)
                rings = []
                for ring in [simple.exterior, *simple.interiors]:
                    xy = np.asarray(ring.coords, dtype=float)
                    xy[:, 0] += shift
                    chains.append(densify_geodesic(fill_pockets(xy, radius_m, max_chord_m), step_m))
                    rings.append(densify_geodesic(xy, step_m))
                # The area itself, its edges following geodesics as the chains do.
                poly = Polygon(rings[0], rings[1:])
                areas.append(poly if poly.is_valid else polygonal(shapely.make_valid(poly)))
        else:
            xy = unwrap(np.asarray(part.coords, dtype=float))
            xy[:, 0] += near(float(np.mean(xy[:, 0])), ref)
            chains.append(densify_geodesic(simplify_xy(xy, tol_deg), step_m))
    return chains, areas


def _rings(centres: NDArray[np.float64], radius_m: float, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Ring outlines around many centres at once: (m, n) arrays, lon unwrapped near each centre."""
    m = len(centres)
    azimuths = np.linspace(360.0, 0.0, n, endpoint=False)
    lats = np.repeat(centres[:, 1], n)
    lons = np.repeat(centres[:, 0], n)
    geodesic.direct_in_place(lats, lons, np.tile(azimuths, m), np.full(m * n, radius_m))
    lons = np.unwrap(lons.reshape(m, n), period=360.0, axis=1)
    lons += 360.0 * np.round((centres[:, :1] - lons[:, :1]) / 360.0)
    return lons, lats.reshape(m, n)


def _chain_pieces(chains: list[NDArray[np.float64]], radius_m: float, tol_m: float) -> list[Any]:
    """Polygons whose union is everything within ``radius_m`` of the chains."""
    chains = [c for c in chains if len(c)]
    if not chains:
        return []
    centres = np.vstack(chains)
    sizes = np.array([len(c) for c in chains])
    chain_id = np.repeat(np.arange(len(chains)), sizes)
    lats_abs = np.abs(centres[:, 1])
    range_km = radius_m / 1000.0
    # The vertex count range_ring uses, at least that for the equator (which
    # needs no allowance for Mercator: this is geometry, not only a drawing).
    n = max(vertex_count(lat, range_km) for lat in (0.0, float(lats_abs.min()), float(lats_abs.max())))
    ring_lons, ring_lats = _rings(centres, radius_m, n)
    _, to_north = geodesic.inverse(centres[:, 1], centres[:, 0], 90.0, centres[:, 0])
    _, to_south = geodesic.inverse(centres[:, 1], centres[:, 0], -90.0, centres[:, 0])
    polar = (radius_m > to_north) | (radius_m > to_south)

    # A chain no wider than sqrt(6 r tol) (a small island): one hull around all
    # its rings. That hull reaches at most (its circumradius)² / 2r ≤ width² / 6r
    # = tol beyond the rings themselves.
    starts = np.cumsum(sizes) - sizes
    width = np.array([float(_approx_m(c.min(axis=0), c.max(axis=0))) for c in chains])
    small = (width <= math.sqrt(6.0 * radius_m * tol_m)) & ~np.logical_or.reduceat(polar, starts)
    pieces: list[Any] = []
    if small.any():
        members = small[chain_id]
        xy = np.column_stack([ring_lons[members].ravel(), ring_lats[members].ravel()])
        _, which = np.unique(chain_id[members], return_inverse=True)
        pieces.extend(shapely.convex_hull(shapely.linestrings(xy, indices=np.repeat(which, n))))

    # Elsewhere, the hull of each consecutive pair of rings (the area swept by
    # a ring moving along the edge), unless one of them contains a pole.
    first = np.flatnonzero((chain_id[:-1] == chain_id[1:]) & ~small[chain_id[:-1]])  # pairs (i, i + 1)
    hull_pairs = first[~polar[first] & ~polar[first + 1]]
    if len(hull_pairs):
        xy = np.stack(
            [
                np.concatenate([ring_lons[hull_pairs], ring_lons[hull_pairs + 1]], axis=1),
                np.concatenate([ring_lats[hull_pairs], ring_lats[hull_pairs + 1]], axis=1),
            ],
            axis=-1,
        )
        # Hulls of linestrings through both rings: building linestrings from
        # a 3-D array is 40 times faster than building multipoints.
        pieces.extend(shapely.convex_hull(shapely.linestrings(xy)))
    # Centres in no hull (a lone vertex, or next to a polar ring) still need their ring.
    covered = small[chain_id].copy()
    covered[hull_pairs] = True
    covered[hull_pairs + 1] = True
    for i in np.flatnonzero(~covered & ~polar):
        pieces.append(Polygon(np.column_stack([ring_lons[i], ring_lats[i]])))
    # Rings around a pole are not convex in (lon, lat): rings alone there, close
    # enough that the scallops between neighbours (sagitta d² / 8r for centres
    # d apart) stay within tol_m.
    if polar.any():
        spacing_m = math.sqrt(8.0 * radius_m * tol_m)
        for i in np.flatnonzero(polar):
            pieces.append(disk_polygon(float(centres[i, 1]), float(centres[i, 0]), radius_m, n))
        for i in first[polar[first] | polar[first + 1]]:
            for lon, lat in densify_geodesic(centres[i : i + 2], spacing_m)[1:-1]:
                pieces.append(disk_polygon(float(lat), float(lon), radius_m, n))
    return pieces


# --------------------------------------------------------------------------
# What a reach costs, bounded before it is computed (issue 13)


@dataclass(frozen=True)
class OutlineSize:
    """How big an outline is, from its raw geometry (cheap to measure).

    Attributes
    ----------
    vertices : int
        Vertices of the geometry.
    length_km : float
        Geodesic length of its outline (lines, exterior and interior rings), km.
    """

    vertices: int
    length_km: float

    @property
    def centres_bound(self) -> int:
        """An upper bound on the ring centres of its reach at any range.

        Simplifying and closing pockets only drop vertices and shorten the
        outline; densifying adds at most one centre every :data:`DENSIFY_KM`.
        """
        return self.vertices + math.ceil(self.length_km / DENSIFY_KM)


#: A zone whose outline could need more ring centres than this
#: (:attr:`OutlineSize.centres_bound`) is refused before any work: the largest
#: country, Canada, needs at most 73,963; a 3 MB zig-zag upload asked for 33
#: million and 6 GiB of memory (issue 13).
MAX_ZONE_CENTRES: Final = 250_000

#: Ring vertices (centres × vertices per ring) one reach may compute: about
#: 20 s and 2 GB at the most. Canada at 50 km needs 3.1 million.
MAX_REACH_VERTICES: Final = 10_000_000


def outline_size(geometry: ZoneGeometry) -> OutlineSize:
    """Vertices and geodesic outline length of a line or area (not cached: see geo.analysis.zone_reach).

    Examples
    --------
    >>> size = outline_size(LineString([(20.0, 50.0), (30.0, 50.0)]))
    >>> size.vertices, round(size.length_km)
    (2, 716)
    """
    vertices = 0
    length_m = 0.0
    for part in shapely.get_parts(geometry):
        lines = [part.exterior, *part.interiors] if isinstance(part, Polygon) else [part]
        for line in lines:
            xy = np.asarray(line.coords, dtype=float)
            vertices += len(xy)
            if len(xy) > 1:
                length_m += geodesic.line_length_m(xy[:, 1], xy[:, 0])
    return OutlineSize(vertices, length_m / 1000.0)


def check_outline_size(size: OutlineSize, label: str) -> None:
    """Refuse an outline too long or detailed to compute a reach for (:data:`MAX_ZONE_CENTRES`)."""
    bound = size.centres_bound
    if bound > MAX_ZONE_CENTRES:
        raise InputError(
            f"launch zone {label[:40]!r} is too long or detailed to compute its reach: its outline "
            f"could need {bound:,} ring centres (at most {MAX_ZONE_CENTRES:,}); simplify it or split it up"
        )


@dataclass(frozen=True, eq=False)
class Chains:
    """What the reach of one outline at one range is built from (see :func:`outline_chains`).

    Attributes
    ----------
    chains : list of ndarray
        (lon, lat) vertex arrays, unwrapped around ``ref``, to put rings along.
    areas : list of Polygon or MultiPolygon
        The zone's own areas, in the same longitudes.
    ref : float
        The longitude everything is unwrapped around.
    ring_vertices : int
        Vertices per ring.
    """

    chains: list[NDArray[np.float64]]
    areas: list[Polygon | MultiPolygon]
    ref: float
    ring_vertices: int

    @property
    def centres(self) -> int:
        """Ring centres in all: the reach's cost is this times :attr:`ring_vertices`."""
        return sum(len(c) for c in self.chains)


def outline_chains(geometry: ZoneGeometry, range_km: float) -> Chains:
    """Simplify, close the pockets of and densify an outline for its reach at ``range_km``.

    Cheap next to the reach itself (nothing is ringed yet), so the cost of the
    reach, :attr:`Chains.centres` × :attr:`Chains.ring_vertices`, can be known
    before it is paid.

    Examples
    --------
    >>> outline_chains(LineString([(20.0, 50.0), (30.0, 50.0)]), 300).centres
    30
    """
    radius_m = range_km * 1000.0
    ref = _ref_lon(geometry)
    chains, areas = _zone_outlines(geometry, ref, radius_m, chord_tolerance_m(range_km))
    # The vertices per ring that _chain_pieces uses.
    lats = np.abs(np.concatenate([c[:, 1] for c in chains if len(c)] or [np.zeros(1)]))
    n = max(vertex_count(lat, range_km) for lat in (0.0, float(lats.min()), float(lats.max())))
    return Chains(chains, areas, ref, n)


def reach_from_chains(chains: Chains, range_km: float, label: str = "zone") -> Polygon | MultiPolygon:
    """Everything within ``range_km`` of the chains (and the areas), longitudes unwrapped around ``chains.ref``.

    Raises
    ------
    InputError
        When it would compute more than :data:`MAX_REACH_VERTICES` ring vertices.
    """
    work = chains.centres * chains.ring_vertices
    if work > MAX_REACH_VERTICES:
        raise InputError(
            f"the reach of launch zone {label[:40]!r} at {range_km:,.6g} km would compute {work:,} ring "
            f"vertices (at most {MAX_REACH_VERTICES:,}): simplify the zone, or use a larger range"
        )
    radius_m = range_km * 1000.0
    pieces = _chain_pieces(chains.chains, radius_m, chord_tolerance_m(range_km)) + chains.areas
    return polygonal(shapely.union_all(pieces))
