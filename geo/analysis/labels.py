"""Ring labels: "ATACMS 300 km" on the ring itself, where it does not collide (issue 12).

Where a label goes, computed once from the analysis and drawn by every view
(the map, the HTML export, the PNG/SVG image, KML):

- a launch point's ring is labelled at its northern point, solved on WGS84
  (the direct geodesic problem at azimuth 0°). A ring that contains the
  North Pole has no northern point (the outline runs round the pole): it is
  labelled at its southern point (azimuth 180°), and a ring around both
  poles at azimuth 90°. A range fan is labelled at the middle of its arc
  (its centre bearing);
- where that spot lies inside another launch point's reach of the same
  system (the merged coverage has no edge there), the next of 45° steps is
  taken; a ring that shows no edge at any of them is not labelled;
- labels whose boxes would overlap on screen (ATACMS 300 km and Storm
  Shadow 250 km from one point) are moved apart by the view, in its own pixels,
  with :func:`lift_boxes` (the map runs its port, static/wrm/wrm-labels.js,
  after every zoom). How far apart two spots are on screen depends on the
  zoom, so no offset fixed here could keep them apart: a stack of 17 px per
  place once drew two labels of rings 85 km apart 8.6 px apart at zoom 4;
- a system reached only from launch zones is labelled at the northernmost
  vertex of its coverage.

Modes: ``compact`` (the short name and the range: "ATACMS 300 km", one label
per system), ``detailed`` (the full name, the range in the scenario's unit
with km, the minimum range and the sector; at every launch point), ``off``.
Texts are plain: every view escapes them for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from shapely.geometry import Point

from geo.analysis.analyse import Analysis
from geo.core import geodesic
from geo.core.antimeridian import near
from geo.core.units import format_distance
from geo.errors import InputError
from geo.scenario.model import LABEL_MODES, LabelMode, LaunchPoint, System

__all__ = [
    "LABEL_MODES",
    "Box",
    "LabelMode",
    "RingLabel",
    "check_label_mode",
    "label_text",
    "lift_boxes",
    "ring_labels",
]

#: How far outside the ring a spot is tested for another ring's cover (share of the range).
_PROBE_SHARE: Final = 0.003
_AZIMUTHS: Final = (0.0, 45.0, 315.0, 90.0, 270.0, 135.0, 225.0, 180.0)


@dataclass(frozen=True)
class RingLabel:
    """One label: its text, its system, where it goes (the view lifts it off a neighbour)."""

    system_id: str
    text: str
    lat: float
    lon: float  # unwrapped like the coverage it labels (may leave ±180)
    point_index: int | None = None


def check_label_mode(mode: str) -> LabelMode:
    """Validate a label mode.

    Examples
    --------
    >>> check_label_mode("detailed")
    'detailed'
    """
    if mode not in LABEL_MODES:
        raise InputError(f"labels: expected one of {', '.join(LABEL_MODES)}, got {mode!r}")
    return mode


def _short_name(name: str) -> str:
    """The name before any parenthesis: 'ATACMS (long-range, M39A1/M48/M57)' → 'ATACMS'."""
    short = re.split(r"\s+\(", name, maxsplit=1)[0].strip()
    return short or name


def label_text(system: System, mode: LabelMode, unit: str = "km", point: LaunchPoint | None = None) -> str:
    """The label's words.

    Examples
    --------
    >>> s = System.custom("ATACMS (long-range)", 300)
    >>> label_text(s, "compact"), label_text(s, "detailed", "mi")
    ('ATACMS 300 km', 'ATACMS (long-range) · 186 mi (300 km)')
    """
    if mode == "off":
        return ""
    if mode == "compact":
        return f"{_short_name(system.name)} {format_distance(system.range_km, 'km')}"
    text = f"{system.name} · {system.range_text(unit)}"
    if point is not None and point.sector is not None:
        text += f" · sector {point.sector.text()}"
    return text


def _spot_azimuths(point: LaunchPoint, radius_m: float) -> list[float]:
    if point.sector is not None:
        s = point.sector
        return [s.azimuth_deg, s.start_deg + 0.1 * s.width_deg, s.end_deg - 0.1 * s.width_deg]
    _, dist = geodesic.inverse(point.lat, point.lon, np.array([90.0, -90.0]), point.lon)
    north, south = radius_m > dist[0], radius_m > dist[1]
    first = 90.0 if north and south else 180.0 if north else 0.0
    return [first, *(a for a in _AZIMUTHS if a != first)]


def ring_labels(analysis: Analysis, mode: LabelMode | None = None) -> list[RingLabel]:
    """Every ring label of the analysis (``mode`` defaults to the scenario's).

    Examples
    --------
    >>> from geo.analysis.analyse import analyse
    >>> from geo.scenario.model import Scenario
    >>> a = analyse(Scenario(points=(LaunchPoint(50.9, 34.8),), systems=(System.custom("ATACMS", 300),)))
    >>> [(lab.text, round(lab.lat, 4), lab.lon) for lab in ring_labels(a)]
    [('ATACMS 300 km', 53.5961, 34.8)]
    """
    scenario = analysis.scenario
    mode = check_label_mode(mode if mode is not None else scenario.labels)
    if mode == "off":
        return []
    out: list[RingLabel] = []
    for result in analysis.results:
        system, outline = result.system, result.outline
        if outline is None or outline.is_empty:
            continue
        prepared = outline
        shapely.prepare(prepared)
        ref = scenario.points[0].lon if scenario.points else None
        found = False
        for i, point in enumerate(scenario.points):
            if mode == "compact" and found:
                break
            radius_m = system.range_km * 1000.0
            for az in _spot_azimuths(point, radius_m):
                lat, lon = (float(v) for v in geodesic.direct(point.lat, point.lon, az, radius_m))
                plat, plon = (
                    float(v) for v in geodesic.direct(point.lat, point.lon, az, radius_m * (1 + _PROBE_SHARE))
                )
                shift = near(lon, point.lon) + (near(point.lon, ref) if ref is not None else 0.0)
                pshift = near(plon, point.lon) + (near(point.lon, ref) if ref is not None else 0.0)
                if not shapely.contains(prepared, Point(plon + pshift, plat)):
                    out.append(
                        RingLabel(system.id, label_text(system, mode, scenario.unit, point), lat, lon + shift, i)
                    )
                    found = True
                    break
        if not found and (not scenario.points or scenario.zones):
            xy = shapely.get_coordinates(outline)
            top = xy[int(np.argmax(xy[:, 1]))]
            out.append(RingLabel(system.id, label_text(system, mode, scenario.unit), float(top[1]), float(top[0])))
    return out


@dataclass(frozen=True)
class Box:
    """A label's box on screen, in pixels or points, y growing downwards (as in a browser)."""

    left: float
    top: float
    right: float
    bottom: float


#: Room left between a moved label and the one above it (the same unit as the boxes).
LIFT_GAP: Final = 1.0


def _overlap(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def lift_boxes(boxes: list[Box], gap: float = LIFT_GAP) -> list[float]:
    """How far to move each label down so that no two boxes overlap (0 for most).

    Greedy from the top of the screen down: the topmost label keeps its place
    (just above the northern point of the largest ring, inside the frame a map
    is fitted to), and a label that overlaps one already placed goes just
    below it (``gap`` between), and again until it overlaps none: it then
    sits on its own ring's line, as the stacked labels of ArcGIS's range rings
    do. Each move only goes down, so this ends; the result holds at the scale
    the boxes were measured at, so views run it again after each zoom.
    static/wrm/wrm-labels.js is the same function for the map.

    Examples
    --------
    >>> lift_boxes([Box(0, 10, 40, 25), Box(10, 14, 50, 29), Box(100, 14, 140, 29)])
    [0.0, 12.0, 0.0]
    """
    order = sorted(range(len(boxes)), key=lambda k: (boxes[k].top, k))
    placed: list[Box] = []
    drops = [0.0] * len(boxes)
    for k in order:
        b, drop, moved = boxes[k], 0.0, True
        while moved:
            moved = False
            for p in placed:
                if _overlap(Box(b.left, b.top + drop, b.right, b.bottom + drop), p):
                    drop = p.bottom - b.top + gap
                    moved = True
        drops[k] = drop
        placed.append(Box(b.left, b.top + drop, b.right, b.bottom + drop))
    return drops
