"""Simulations of a case as background jobs: start one, watch its progress, read its results.

A job runs on the server (a replay between two strategies, or a small sweep of one assumption),
from the preference models the caller may see; it belongs to the caller.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import Field

from accord.api.deps import ActorDep, Router, rule
from accord.api.schemas import Body
from accord.model import request_limits
from accord.model.limits import Day, Name
from accord.services.simulation_jobs import (
    MAX_ROUNDS,
    MAX_SWEEP,
    JobRecord,
    SimulationJobs,
    SimulationRequest,
)
from accord.sim.runs.sweep import ranges_text

router = Router(tags=["simulations"])
BASE = "/cases/{case_id}/simulations"


class SimulationIn(Body):
    kind: Name = Field(description="'replay' (one negotiation) or 'sweep' (one per value)")
    as_of: Day = Field(description="The date the simulation starts from (1900-01-01 to 2100-12-31).")
    strategies: tuple[Name, Name] = Field(description="A strategy name per side.")
    n_rounds: int = Field(default=60, ge=1, le=MAX_ROUNDS, description=f"Rounds; at most {MAX_ROUNDS}.")
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    parameter: Name = Field(default="daily_cost", max_length=40, description="What a sweep varies.")
    column: int = Field(default=0, ge=0, le=1, description="Whose parameter a sweep varies (side 0 or 1).")
    values: list[float] = Field(
        default_factory=list,
        max_length=MAX_SWEEP,
        description=f"A sweep's values (2 to {MAX_SWEEP}), each within its parameter's range ({ranges_text()}).",
    )
    counterfactual: bool = Field(
        default=False,
        description="Simulate from a date on which the talks had settled (else 422 naming the settlement).",
    )


class SimulationOut(Body):
    id: str
    case_id: str
    kind: str
    state: str = Field(description="queued, running, done or failed")
    done: int = Field(description="Negotiations finished.")
    total: int
    error: str | None
    counterfactual: str | None = Field(
        default=None, description="Set for a counterfactual: the settlement the simulation sets aside."
    )
    results: list[dict[str, Any]] = Field(
        description="Per finished negotiation: the swept value and how it ended."
    )


def _jobs(request: Request) -> SimulationJobs:
    jobs: SimulationJobs = request.app.state.simulations
    return jobs


def _out(job: JobRecord) -> SimulationOut:
    results = [{k: v for k, v in found.items() if k != "trace"} for found in job.outcomes]
    return SimulationOut(
        id=job.id,
        case_id=job.case_id,
        kind=job.request.kind,
        state=job.state,
        done=job.done,
        total=job.total,
        error=job.error,
        counterfactual=job.counterfactual,
        results=results,
    )


START_LIMITS = (
    "Start a simulation; poll its URL for progress and results.\n\n"
    'Its size is checked before anything else (docs/team-server.md, "Limits"): at most '
    f"{request_limits.ROUNDS} rounds and {request_limits.SWEEP_VALUES} sweep values (422, whatever your role); at most "
    f"{request_limits.JOBS_PER_USER} simulations of yours and {request_limits.JOBS_PER_PROCESS} in all queued or running "
    "on the server process (429, with Retry-After); at most "
    f"{request_limits.SIMULATION_OUTCOMES:,} packages in the case's outcome space as of the date (422)."
)


@router.post(BASE, status_code=202, openapi_extra=rule("case.read"), description=START_LIMITS)
def start_simulation(case_id: str, body: SimulationIn, actor: ActorDep, request: Request) -> SimulationOut:
    """Start a simulation; poll its URL for progress and results (limits: :data:`START_LIMITS`)."""
    job = _jobs(request).start(
        actor,
        case_id,
        SimulationRequest(
            kind=body.kind,
            as_of=body.as_of,
            strategies=body.strategies,
            n_rounds=body.n_rounds,
            seed=body.seed,
            parameter=body.parameter,
            column=body.column,
            values=tuple(body.values),
            counterfactual=body.counterfactual,
        ),
    )
    return _out(job)


@router.get(BASE, openapi_extra=rule("case.read"))
def list_simulations(case_id: str, actor: ActorDep, request: Request) -> list[SimulationOut]:
    """The caller's simulations of the case, newest first."""
    request.app.state.services.cases.get(actor, case_id)  # 404 outside the case
    return [_out(job) for job in _jobs(request).of(actor, case_id)]


@router.get(f"{BASE}/{{job_id}}", openapi_extra=rule("case.read"))
def get_simulation(case_id: str, job_id: str, actor: ActorDep, request: Request) -> SimulationOut:
    return _out(_jobs(request).get(actor, case_id, job_id))
