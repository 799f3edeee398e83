"""Small shapely helpers shared by every layer: keep the polygons, repair an outline."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon

__all__ = ["polygonal", "repaired"]


def polygonal(geom: Any) -> Polygon | MultiPolygon:
    """Only the polygons of a geometry (make_valid and intersections may add lines or points).

    Examples
    --------
    >>> from shapely.geometry import GeometryCollection, LineString
    >>> polygonal(GeometryCollection([Polygon([(0, 0), (1, 0), (1, 1)]), LineString([(0, 0), (2, 2)])])).geom_type
    'Polygon'
    """
    polys: list[Polygon] = []
    stack = [geom]
    while stack:
        part = stack.pop()
        if isinstance(part, Polygon):
            if not part.is_empty:
                polys.append(part)
        elif hasattr(part, "geoms"):
            stack.extend(reversed(part.geoms))
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def repaired(poly: Polygon) -> Polygon | MultiPolygon:
    """``poly`` if valid, else its valid polygonal repair (e.g. ring outlines grazing a pole).

    Examples
    --------
    >>> bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> repaired(bow_tie).geom_type, repaired(bow_tie).is_valid
    ('MultiPolygon', True)
    """
    if poly.is_valid:
        return poly
    fixed = shapely.make_valid(poly)
    parts = [g for g in getattr(fixed, "geoms", [fixed]) if isinstance(g, Polygon | MultiPolygon)]
    merged = shapely.union_all(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else poly
