"""What this run may compute: the work budget applied to the scenario's launch zones (issue 13).

Reaches that are cached, or cheap enough to compute now (within
:data:`geo.analysis.budget.SYNC_SECONDS` in all), are used at once. Costlier
ones go to the background worker, up to
:data:`geo.analysis.budget.BACKGROUND_SECONDS` for the scenario; the page
reruns when they are done (:func:`webapp.panels.status.wait_for_zones`).
Beyond that, or for a zone too detailed to compute at all, the zone stays in
the scenario (and the link) but its reach is not used, and one message says
which zones and what to change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.analysis.budget import BACKGROUND_SECONDS, SYNC_SECONDS, ZoneJob, zone_jobs
from geo.scenario.model import Scenario
from geo.scenario.zones import Zone
from webapp import caches


@dataclass(frozen=True)
class ZonePlan:
    """The zones to analyse on this run, and what the page says about the others."""

    used: tuple[Zone, ...]
    pending: tuple[str, ...]  # "Russia (2 ranges, about 3 s)"
    refused: tuple[str, ...]  # why some zones are not used


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "local"


def seconds(value: float) -> str:
    """A duration for people: ``3.2 s``, ``48 s``."""
    return f"{value:,.0f} s" if value >= 10 else f"{value:.1f} s"


def plan_zones(scenario: Scenario) -> ZonePlan:
    """Decide, from the budget, which of the scenario's zones this run uses (and start the others)."""
    zones, systems = scenario.zones, scenario.systems
    if not zones or not systems:
        return ZonePlan(tuple(zones), (), ())
    jobs = zone_jobs(zones, systems)
    blocked: dict[Zone, str] = {j.zone: j.refusal for j in reversed(jobs) if j.refusal}
    todo = [j for j in jobs if j.seconds > 0 and j.zone not in blocked]
    total = sum(j.seconds for j in todo)
    waiting: dict[Zone, list[ZoneJob]] = {}
    if total > BACKGROUND_SECONDS:
        names = ", ".join(dict.fromkeys(j.zone.label for j in todo))
        about = f"about {seconds(total)}" if math.isfinite(total) else f"more than {BACKGROUND_SECONDS:.0f} s"
        why = (
            f"the reach of {names} for {len(systems)} system(s) would take {about} of computing; "
            f"the limit is {BACKGROUND_SECONDS:.0f} s: remove some launch zones or systems, or choose systems "
            "with fewer different ranges"
        )
        blocked.update({j.zone: why for j in todo})
    elif total > SYNC_SECONDS:
        worker = caches.reach_worker()
        owner = _session_id()
        for job in todo:
            state = worker.submit(job.zone, job.range_km, owner)
            if state.status == "failed":
                blocked.setdefault(
                    job.zone, f"its reach at {job.range_km:,.6g} km could not be computed: {state.message}"
                )
            elif state.status != "done":
                waiting.setdefault(job.zone, []).append(job)
    pending = tuple(
        f"{zone.label} ({len(js)} range(s), about {seconds(sum(j.seconds for j in js))})"
        for zone, js in waiting.items()
        if zone not in blocked
    )
    by_reason: dict[str, list[str]] = {}
    for zone, why in blocked.items():
        by_reason.setdefault(why, []).append(zone.label)
    refused = tuple(
        why if why.startswith("the reach of ") else f"{', '.join(labels)}: {why}" for why, labels in by_reason.items()
    )
    return ZonePlan(tuple(z for z in zones if z not in blocked and z not in waiting), pending, refused)
