"""The simulation pages: the form, the progress of a job, and its trace and predicted settlement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord import ledger
from accord.ledger.settlement import settlement
from accord.model import Case
from accord.services.private import PrivateItem
from accord.services.simulation_jobs import JobRecord
from accord.web.pages.common import party_names, value_text
from accord.web.pages.timeline import LEGEND, party_colours


def default_start(case: Case) -> dt.date:
    """The date a simulation form offers: the case's default "as of", or the day before the
    settlement when the talks had settled by then (a simulation after it is a counterfactual)."""
    day = case.default_as_of()
    agreement = settlement(case, day)
    return day if agreement is None else agreement.date - dt.timedelta(days=1)


def missing_sides(case: Case, visible: list[PrivateItem]) -> tuple[tuple[str, str], list[str]]:
    """The case's two sides, and those whose preferences are not among ``visible``."""
    sides = ledger.sides(case)
    parties = {item.party for item in visible}
    return sides, [s for s in sides if s not in parties]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One finished negotiation as the page shows it."""

    value: float | None
    reason: str
    day: int
    date: dt.date
    utilities: dict[str, float]
    package: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class JobPage:
    case: Case
    job: JobRecord
    names: dict[str, str]
    outcomes: list[Outcome]
    chart: dict[str, Any] | None


def job_page(case: Case, job: JobRecord) -> JobPage:
    """The job's outcomes so far and, once finished, its chart (a replay's trace, a sweep's curve)."""
    names = party_names(case)
    issues = {i.id: i for i in case.issues}
    outcomes = []
    for found in job.outcomes:
        package = [
            (issues[k].name, value_text(issues[k], _value(v))) for k, v in found.get("package", {}).items()
        ]
        outcomes.append(
            Outcome(
                found["value"],
                found["reason"],
                found["day"],
                job.request.as_of + dt.timedelta(days=found["day"] - job.start_day),
                found.get("utilities", {}),
                package,
            )
        )
    chart = None
    if job.state == "done" and job.outcomes:
        chart = trace_chart(case, job) if job.request.kind == "replay" else sweep_chart(case, job, outcomes)
    return JobPage(case, job, names, outcomes, chart)


def _value(stored: object) -> object:
    """A package value as the model holds it (a provision set is stored as a list)."""
    return frozenset(stored) if isinstance(stored, list) else stored


def trace_chart(case: Case, job: JobRecord) -> dict[str, Any]:
    """Each side's utility of every offer made, turn by turn (the replay's trace)."""
    names = party_names(case)
    colours = party_colours(case)
    steps = job.outcomes[0]["trace"]
    turns = [s["turn"] for s in steps]
    data = []
    for column, party in enumerate(job.columns):
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": f"utility to {names.get(party, party)}",
                "x": turns,
                "y": [s["utilities"][column] for s in steps],
                "text": [f"offer by {names.get(job.columns[s['side']], '')}" for s in steps],
                "line": {"color": colours.get(party, "#0550ae")},
                "marker": {"symbol": column},
                "hovertemplate": "turn %{x}: %{y:.2f} (%{text})<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "xaxis": {"title": {"text": "turn (each side moves once a round)"}},
            "yaxis": {"title": {"text": "utility"}, "range": [-0.05, 1.05]},
            "height": 360,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 40},
            "legend": LEGEND,
        },
    }


def sweep_chart(case: Case, job: JobRecord, outcomes: list[Outcome]) -> dict[str, Any]:
    """The predicted settlement day, and each side's utility, for each value of the assumption."""
    names = party_names(case)
    colours = party_colours(case)
    xs = [o.value for o in outcomes]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "strike day of the settlement",
            "x": xs,
            "y": [o.day if o.reason == "agreement" else None for o in outcomes],
            "yaxis": "y2",
            "line": {"color": "#57606a", "dash": "dot"},
        }
    ]
    for party in job.columns:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": f"utility to {names.get(party, party)}",
                "x": xs,
                "y": [o.utilities.get(party, np.nan) if o.utilities else None for o in outcomes],
                "line": {"color": colours.get(party, "#0550ae")},
            }
        )
    side = names.get(job.columns[job.request.column], "")
    return {
        "data": data,
        "layout": {
            "xaxis": {"title": {"text": f"{job.request.parameter} of {side}"}},
            "yaxis": {"title": {"text": "utility"}, "range": [-0.05, 1.05]},
            "yaxis2": {"title": {"text": "strike day"}, "overlaying": "y", "side": "right"},
            "height": 360,
            "margin": {"l": 50, "r": 50, "t": 30, "b": 40},
            "legend": LEGEND,
        },
    }
