"""Simulations of a case as background jobs: a replay (one negotiation between two strategies)
or a small sweep (one negotiation per value of an assumption), with progress and results.

Jobs run on a small thread pool in the server process and are kept in memory (the newest
:data:`KEEP` of them); a job belongs to the user who started it. The scenario is built from the
preferences the user may see (:meth:`accord.services.PrivateService.readable`), so a simulation
never uses a side's private model that its user could not read.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.model import PreferenceModel
from accord.services import Actor, FieldProblem, Invalid, NotFound, PrivateKind, Services
from accord.services.replay import case_scenario
from accord.sim.reference import Negotiation, run_negotiation
from accord.sim.scenario import Scenario
from accord.sim.strategies import make_strategy, strategy_names
from accord.sim.sweep import PARAMETERS, vary

KEEP = 50
MAX_ROUNDS = 500
MAX_SWEEP = 25


@dataclass(frozen=True, slots=True)
class SimulationRequest:
    """What to simulate: a ``replay`` or a ``sweep`` of ``parameter`` of side ``column`` over
    ``values``; one strategy name per side; the date the simulation starts from."""

    kind: str
    as_of: dt.date
    strategies: tuple[str, str]
    n_rounds: int = 60
    seed: int = 0
    parameter: str = "daily_cost"
    column: int = 0
    values: tuple[float, ...] = ()


@dataclass
class Job:
    """A running or finished simulation. ``done`` of ``total`` negotiations have finished."""

    id: str
    owner: int
    case_id: str
    request: SimulationRequest
    scenario: Scenario
    total: int
    done: int = 0
    state: str = "queued"
    error: str | None = None
    results: list[tuple[float | None, Negotiation]] = field(default_factory=list)
    """``(swept value or None, negotiation)`` per finished negotiation, in order."""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def check_request(request: SimulationRequest) -> None:
    """Refuse a request the engine cannot run, naming each field at fault."""
    problems = []
    if request.kind not in ("replay", "sweep"):
        problems.append(FieldProblem("kind", f"expected 'replay' or 'sweep', got {request.kind!r}"))
    known = strategy_names()
    for index, name in enumerate(request.strategies):
        if name not in known:
            problems.append(FieldProblem(f"strategies[{index}]", f"expected one of {known}, got {name!r}"))
    if not 1 <= request.n_rounds <= MAX_ROUNDS:
        problems.append(FieldProblem("n_rounds", f"expected 1 to {MAX_ROUNDS}, got {request.n_rounds}"))
    if request.kind == "sweep":
        if request.parameter not in PARAMETERS:
            problems.append(
                FieldProblem("parameter", f"expected one of {list(PARAMETERS)}, got {request.parameter!r}")
            )
        if request.column not in (0, 1):
            problems.append(FieldProblem("column", f"expected 0 or 1 (a side), got {request.column}"))
        if not 2 <= len(request.values) <= MAX_SWEEP:
            problems.append(
                FieldProblem("values", f"expected 2 to {MAX_SWEEP} values, got {len(request.values)}")
            )
    if problems:
        raise Invalid(problems)


class SimulationJobs:
    """Background simulations over one set of services (one per server process)."""

    def __init__(self, services: Services, *, workers: int = 1) -> None:
        self.services = services
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="accord-sim")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, actor: Actor, case_id: str, request: SimulationRequest) -> Job:
        """Check the request, build the scenario from the preferences ``actor`` may see, queue it."""
        check_request(request)
        case = self.services.cases.view(actor, case_id)
        items = self.services.private.readable(actor, case_id, PrivateKind.PREFERENCES)
        models = [PreferenceModel.model_validate(item.payload) for item in items]
        scenario = case_scenario(case, request.as_of, models)
        total = 1 if request.kind == "replay" else len(request.values)
        job = Job(secrets.token_hex(8), actor.user_id, case_id, request, scenario, total)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job)
        return job

    def get(self, actor: Actor, case_id: str, job_id: str) -> Job:
        """The actor's own job (404 for anyone else's: nothing leaks)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner != actor.user_id or job.case_id != case_id:
            raise NotFound(f"no simulation {job_id!r} of yours in case {case_id!r}")
        return job

    def of(self, actor: Actor, case_id: str) -> list[Job]:
        with self._lock:
            return [
                j for j in reversed(self._jobs.values()) if j.owner == actor.user_id and j.case_id == case_id
            ]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job) -> None:
        request = job.request
        job.state = "running"
        try:
            strategies = [make_strategy(name) for name in request.strategies]
            values: list[float | None] = list(request.values) if request.kind == "sweep" else [None]
            for index, value in enumerate(values):
                scenario = job.scenario
                if value is not None:
                    scenario = vary(scenario, request.parameter, request.column, value)
                negotiation = run_negotiation(
                    scenario, strategies, request.n_rounds, seed=request.seed, index=index
                )
                job.results.append((value, negotiation))
                job.done = index + 1
            job.state = "done"
        except Exception as error:  # a failed job reports why; the server goes on
            job.error = f"{type(error).__name__}: {error}"
            job.state = "failed"


def settlement(job: Job, negotiation: Negotiation) -> dict[str, Any]:
    """How a negotiation ended: the agreed package and its utilities, the turn and the strike day."""
    scenario = job.scenario
    rounds = negotiation.end_turn // scenario.n_sides
    day = int(scenario.calendar.day_of_round(np.array([rounds]))[0])
    result: dict[str, Any] = {"reason": negotiation.reason, "turn": negotiation.end_turn, "day": day}
    if negotiation.agreement >= 0:
        result["utilities"] = dict(
            zip(scenario.columns, scenario.U[negotiation.agreement].tolist(), strict=True)
        )
        if scenario.packages is not None:
            result["package"] = scenario.packages.decode(negotiation.agreement)
    return result
