"""The ellipsoidal buffer: everything within a range of a line or an area, on WGS84.

A launch zone stands for "launched from anywhere in here"; its reach is the
set of points within ``range_km`` of some point of the zone, distance being
the length of the shortest path on the WGS84 ellipsoid (DESIGN.md §2). It is
never a buffer in degrees, which for a 523 km line and 300 km falls up to
105 km short.

The zone's edges have a meaning (:mod:`geo.core.edges`: straight in lon/lat
for files and borders, straight on Web Mercator for clicked lines), and the
reach is measured from that path, not from geodesics between its vertices
(issue 9: a 21-point line along 50° N at 300 km reached 252 km south and 348
km north of itself when the collinear vertices were simplified away in
degrees and the one long edge left was followed as a geodesic).

How :func:`reach_from_chains` (with :func:`outline_chains`) builds it, with
``tol`` = :func:`geo.core.rings.chord_tolerance_m` of the range
(max(0.05 % of the range, 50 m): 150 m for 300 km):

1. Densify every edge in its meaning (:func:`geo.core.edges.densify_edges`)
   until the geodesics between consecutive vertices are within
   :data:`geo.core.edges.DENSE_M` (1 m) of it. From here on the outline is a
   chain of short geodesics.
2. Simplify in metres (Douglas–Peucker on the ground,
   :func:`geo.core.simplify.simplify_metric_many`) within
   ``SIMPLIFY_SHARE · tol``: every dropped vertex lies that close to the kept
   geodesic edge, and the kept path that close to the densified one, so the
   reach moves by no more either way.
3. For areas, close the outline's pockets (bays, river mouths, zig-zags of a
   coastline) across chords no longer than ``sqrt(8 · range · POCKET_SHARE · tol)``
   (13 km for 300 km) and round no more than twice the range of outline: the
   reach grows by at most a chord's sagitta, ``POCKET_SHARE · tol``, and loses
   nothing (:func:`fill_pockets`). Capes and borders that stick out stay.
4. Densify every edge along its geodesic, every :data:`DENSIFY_KM` (25 km) at
   most.
5. Put a geodesic range ring (``pyproj.Geod.fwd``) around each vertex, with
   :func:`ring_vertex_count` vertices (its chords within ``CHORD_SHARE · tol``
   of the circle), and take the convex hull of each consecutive pair of rings:
   the area swept by a ring moving along the edge. Geodesic circles that do
   not contain a pole are convex in (lon, lat) (tests/analysis/test_zone_reach.py
   checks it), so the hull is a close fit. A small island (no wider than
   ``sqrt(6 · range · ISLAND_SHARE · tol)``) gets one hull around all its
   rings. A ring that contains a pole is not convex in (lon, lat): next to
   such rings, rings alone are placed close enough together (every
   ``sqrt(8 · range · tol)``) that the scallops between them stay within ``tol``.
6. Union everything (shapely ``union_all``), with the zone's own area for
   countries and polygons.

The error budget: every vertex of the outline is a ring vertex (exactly at
the range from its centre, a point of the simplified outline) or where two
pieces' edges cross (inside by at most a ring chord's sagitta). So it lies
within ``SIMPLIFY_SHARE · tol`` + 1 m outside the range and
``(SIMPLIFY_SHARE + CHORD_SHARE) · tol = tol`` inside. Between vertices,
closed pockets and island hulls add up to ``POCKET_SHARE · tol`` or
``ISLAND_SHARE · tol`` outside, and the straight (lon, lat) sides of the hulls
stray from the true boundary by metres (−22…+13 m for 300 km, DESIGN.md §2).
tests/analysis/test_zone_reach_exact.py checks every vertex against a brute
force from the zone sampled in its meaning; bench/bench_zone_exact.py prints
the figures. Near a pole, straight (lon, lat) hull sides stray further from
the geodesic circle, as they do for :func:`geo.range_ring`.

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
from geo.core.edges import DENSE_M, EdgeMeaning, densify_many, path_size
from geo.core.rings import chord_tolerance_m, disk_polygon, vertex_count
from geo.core.shapes import polygonal
from geo.core.simplify import simplify_metric_many
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
    "ring_vertex_count",
]

#: Largest spacing between ring centres along a zone's outline, in km. The
#: convex hull of two rings this far apart follows the true swept area within
#: metres (DESIGN.md §2: −22…+13 m for a 523 km line and 300 km).
DENSIFY_KM: Final = 25.0

#: Shares of the tolerance :func:`geo.core.rings.chord_tolerance_m` (``tol``,
#: max(0.05 % of the range, 50 m)) that each approximation may use, so that
#: together they keep every outline vertex within ``tol`` of the range
#: (the error budget in the module docstring): simplifying in metres moves
#: the outline either way; closing pockets and one hull round a small island
#: only outwards.
SIMPLIFY_SHARE: Final = 0.3
POCKET_SHARE: Final = 0.5
ISLAND_SHARE: Final = 0.5

#: The rings' chords may fall inside the range by this share of ``tol`` (with
#: SIMPLIFY_SHARE, the whole of it inwards).
CHORD_SHARE: Final = 1.0 - SIMPLIFY_SHARE
#: Mean Earth radius R1, m (for the chord's sagitta on the mean sphere).
_MEAN_RADIUS_M: Final = 6_371_008.7714

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


def _merge_lines(paths: list[NDArray[np.float64]], owner: list[int]) -> list[NDArray[np.float64]]:
    """Rings (``owner`` ≥ 0) as they are, then the lines (``owner`` -1), joined where one ends where another starts.

    A line cut at ±180° comes back in one piece once unwrapped: its reach is
    then one sweep along it, not two end caps that meet in a notch.
    """
    rings = [xy for xy, o in zip(paths, owner, strict=True) if o >= 0]
    lines = [xy for xy, o in zip(paths, owner, strict=True) if o < 0]
    merged: list[NDArray[np.float64]] = []

    def meets(p: NDArray[np.float64], q: NDArray[np.float64]) -> bool:
        return bool(np.allclose(p, q, rtol=0.0, atol=1e-9))

    for xy in lines:
        for i, other in enumerate(merged):  # a line's reach is the same read either way
            if meets(other[-1], xy[0]):
                merged[i] = np.vstack([other, xy[1:]])
            elif meets(other[0], xy[-1]):
                merged[i] = np.vstack([xy, other[1:]])
            else:
                continue
            break
        else:
            merged.append(xy)
    return rings + merged


def _zone_outlines(
    geometry: ZoneGeometry, edges: EdgeMeaning, ref: float, radius_m: float, tol_m: float
) -> tuple[list[NDArray[np.float64]], list[Polygon | MultiPolygon]]:
    """Outline chains to put rings along, and the zone's areas, unwrapped around ``ref``.

    Each edge is densified in its meaning (:func:`geo.core.edges.densify_edges`),
    the whole simplified in metres within :data:`SIMPLIFY_SHARE` of ``tol_m``
    (:func:`geo.core.simplify.simplify_metric_many`), areas' rings rid of
    pockets (:func:`fill_pockets`) and everything densified every
    :data:`DENSIFY_KM` along the geodesics that now stand for the edges.
    Closed chains repeat their first vertex.
    """
    step_m = DENSIFY_KM * 1000.0
    simplify_m = SIMPLIFY_SHARE * tol_m
    max_chord_m = math.sqrt(8.0 * radius_m * POCKET_SHARE * tol_m)  # sagitta ab² / 8r = POCKET_SHARE · tol_m
    dense: list[NDArray[np.float64]] = []
    owner: list[int] = []  # index of the polygon part a ring belongs to, or -1 for a line
    parts = list(shapely.get_parts(shapely.orient_polygons(geometry)))
    for i, part in enumerate(parts):
        if isinstance(part, Polygon):
            shift = near(part.centroid.x, ref)
            rings = [part.exterior, *part.interiors]
            for ring in rings:
                xy = np.asarray(ring.coords, dtype=float)
                xy[:, 0] += shift
                dense.append(xy)
                owner.append(i)
        else:
            xy = unwrap(np.asarray(part.coords, dtype=float))
            xy[:, 0] += near(float(np.mean(xy[:, 0])), ref)
            dense.append(xy)
            owner.append(-1)
    dense = _merge_lines(densify_many(dense, edges), owner)
    owner = [o for o in owner if o >= 0] + [-1] * (len(dense) - sum(o >= 0 for o in owner))
    simple = simplify_metric_many(dense, simplify_m)
    chains: list[NDArray[np.float64]] = []
    areas: list[Polygon | MultiPolygon] = []
    by_part: dict[int, list[NDArray[np.float64]]] = {}
    for xy, who in zip(simple, owner, strict=True):
        if who < 0:
            chains.append(densify_geodesic(xy, step_m))
        else:
            by_part.setdefault(who, []).append(xy)
    for rings_xy in by_part.values():
        shell, holes = rings_xy[0], [h for h in rings_xy[1:] if len(np.unique(h, axis=0)) >= 3]
        if len(np.unique(shell, axis=0)) < 3:
            continue
        poly = Polygon(shell, holes)
        if not poly.is_valid:  # simplifying can make a ring touch itself: repair, keeping the area
            poly = polygonal(shapely.make_valid(poly))
        for simple_poly in shapely.get_parts(shapely.orient_polygons(poly)):
            if simple_poly.is_empty:
                continue
            rings = []
            for ring in [simple_poly.exterior, *simple_poly.interiors]:
                xy = np.asarray(ring.coords, dtype=float)
                chains.append(densify_geodesic(fill_pockets(xy, radius_m, max_chord_m), step_m))
                rings.append(densify_geodesic(xy, step_m))
            # The area itself, its edges following geodesics as the chains do.
            area = Polygon(rings[0], rings[1:])
            areas.append(area if area.is_valid else polygonal(shapely.make_valid(area)))
    return chains, areas


def ring_vertex_count(range_km: float, lats_abs: tuple[float, ...]) -> int:
    """Vertices per ring of a reach at ``range_km`` with centres at these latitudes (absolute degrees).

    The most of :func:`geo.core.rings.vertex_count` at the equator and at
    each latitude given (what a drawn ring needs), and of what keeps every
    chord's sagitta on the ground within ``CHORD_SHARE · tol``.

    Examples
    --------
    >>> ring_vertex_count(300.0, (50.0,)), ring_vertex_count(10.0, (50.0,))
    (119, 38)
    """
    radius_m = range_km * 1000.0
    effective_m = _MEAN_RADIUS_M * math.sin(min(radius_m / _MEAN_RADIUS_M, math.pi / 2.0))
    sagitta_m = CHORD_SHARE * chord_tolerance_m(range_km)
    ground = math.ceil(math.pi / math.acos(max(-1.0, 1.0 - sagitta_m / effective_m)))
    return max(ground, *(vertex_count(lat, range_km) for lat in (0.0, *lats_abs)))


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
    n = ring_vertex_count(range_km, (float(lats_abs.min()), float(lats_abs.max())))
    ring_lons, ring_lats = _rings(centres, radius_m, n)
    _, to_north = geodesic.inverse(centres[:, 1], centres[:, 0], 90.0, centres[:, 0])
    _, to_south = geodesic.inverse(centres[:, 1], centres[:, 0], -90.0, centres[:, 0])
    polar = (radius_m > to_north) | (radius_m > to_south)

    # A chain no wider than sqrt(6 r · ISLAND_SHARE · tol) (a small island): one
    # hull around all its rings. That hull reaches at most (its circumradius)² / 2r
    # ≤ width² / 6r = ISLAND_SHARE · tol beyond the rings themselves.
    starts = np.cumsum(sizes) - sizes
    width = np.array([float(_approx_m(c.min(axis=0), c.max(axis=0))) for c in chains])
    small = (width <= math.sqrt(6.0 * radius_m * ISLAND_SHARE * tol_m)) & ~np.logical_or.reduceat(polar, starts)
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
        Length of its outline (lines, exterior and interior rings) along its
        edges in their meaning, km.
    dense_vertices : int
        Vertices of the outline densified in its meaning
        (:func:`geo.core.edges.densify_edges`); over :data:`MAX_ZONE_CENTRES`
        when counting stopped there.
    """

    vertices: int
    length_km: float
    dense_vertices: int = 0

    @property
    def centres_bound(self) -> int:
        """An upper bound on the ring centres of its reach at any range.

        The ring centres are some of the vertices of the outline densified in
        its meaning (``dense_vertices``: simplifying and closing pockets only
        drop vertices and shorten the path), plus at most one every
        :data:`DENSIFY_KM` along the geodesics between them, which are no
        longer than the densified path (``length_km``).
        """
        return max(self.vertices, self.dense_vertices) + math.ceil(self.length_km / DENSIFY_KM)


#: A zone whose outline could need more ring centres than this
#: (:attr:`OutlineSize.centres_bound`) is refused before any work: the largest
#: country, Canada, needs at most 73,963; a 3 MB zig-zag upload asked for 33
#: million and 6 GiB of memory (issue 13).
MAX_ZONE_CENTRES: Final = 250_000

#: Ring vertices (centres × vertices per ring) one reach may compute: about
#: 20 s and 2 GB at the most. Canada at 50 km needs 3.1 million.
MAX_REACH_VERTICES: Final = 10_000_000


def _lines(geometry: ZoneGeometry) -> list[Any]:
    """The lines, exterior and interior rings of a geometry."""
    out: list[Any] = []
    for part in shapely.get_parts(geometry):
        out.extend([part.exterior, *part.interiors] if isinstance(part, Polygon) else [part])
    return out


def outline_size(geometry: ZoneGeometry, edges: EdgeMeaning = "lonlat") -> OutlineSize:
    """Vertices and length of a line or area's outline, its edges read as ``edges`` (not cached: see geo.analysis.zone_reach).

    Counting stops once the densified outline passes :data:`MAX_ZONE_CENTRES`
    (a hostile upload costs no more than that to refuse).

    Examples
    --------
    >>> size = outline_size(LineString([(20.0, 50.0), (30.0, 50.0)]))
    >>> size.vertices, round(size.length_km), size.dense_vertices  # the parallel, not the geodesic (716 km)
    (2, 717, 122)
    """
    paths = [unwrap(np.asarray(line.coords, dtype=float)) for line in _lines(geometry)]
    vertices = sum(len(xy) for xy in paths)
    dense, length_m = path_size(paths, edges, DENSE_M, limit=MAX_ZONE_CENTRES + 1)
    return OutlineSize(vertices, length_m / 1000.0, dense)


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


def outline_chains(geometry: ZoneGeometry, range_km: float, edges: EdgeMeaning = "lonlat") -> Chains:
    """Densify in its meaning, simplify, close the pockets of and densify an outline for its reach at ``range_km``.

    Cheap next to the reach itself (nothing is ringed yet), so the cost of the
    reach, :attr:`Chains.centres` × :attr:`Chains.ring_vertices`, can be known
    before it is paid.

    Examples
    --------
    >>> outline_chains(LineString([(20.0, 50.0), (30.0, 50.0)]), 300).centres  # along the parallel
    33
    """
    radius_m = range_km * 1000.0
    ref = _ref_lon(geometry)
    chains, areas = _zone_outlines(geometry, edges, ref, radius_m, chord_tolerance_m(range_km))
    # The vertices per ring that _chain_pieces uses.
    lats = np.abs(np.concatenate([c[:, 1] for c in chains if len(c)] or [np.zeros(1)]))
    n = ring_vertex_count(range_km, (float(lats.min()), float(lats.max())))
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
