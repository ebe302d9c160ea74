"""Simulations of a case as background jobs: a replay (one negotiation between two strategies)
or a small sweep (one negotiation per value of an assumption), with progress and results.

A job runs on a small thread pool of the server process that started it, and is kept in the
database (the newest :data:`KEEP` of each user in each case), so every server process sees its
state, progress and results; a job belongs to the user who started it. The scenario is built from
the preferences the user may see (:meth:`accord.services.PrivateService.readable`), so a
simulation never uses a side's private model that its user could not read.

A job whose server process stopped before it finished stays ``running`` in the database; a reader
on the same host reports it ``failed`` (:data:`STOPPED`) once that process is gone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.model import PreferenceModel
from accord.model.limits import date_problem
from accord.services import Actor, FieldProblem, Forbidden, Invalid, NotFound, PrivateKind, Services
from accord.services.replay import case_scenario
from accord.sim.reference import Negotiation, run_negotiation
from accord.sim.scenario import Scenario
from accord.sim.strategies import make_strategy, strategy_names
from accord.sim.sweep import PARAMETERS, value_problems, vary
from accord.store import simulations as job_store

KEEP = 50
MAX_ROUNDS = 500
MAX_SWEEP = 25
STOPPED = "the server process running it stopped"
"""The error a job shows when the server process that ran it is gone."""

log = logging.getLogger(__name__)


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

    def as_json(self) -> dict[str, Any]:
        """The request as JSON data (:meth:`of_json` reads it back)."""
        return {
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "strategies": list(self.strategies),
            "n_rounds": self.n_rounds,
            "seed": self.seed,
            "parameter": self.parameter,
            "column": self.column,
            "values": [float(v) for v in self.values],
        }

    @classmethod
    def of_json(cls, data: dict[str, Any]) -> SimulationRequest:
        first, second = data["strategies"]
        return cls(
            kind=data["kind"],
            as_of=dt.date.fromisoformat(data["as_of"]),
            strategies=(first, second),
            n_rounds=data["n_rounds"],
            seed=data["seed"],
            parameter=data["parameter"],
            column=data["column"],
            values=tuple(data["values"]),
        )


@dataclass(frozen=True, slots=True)
class JobRecord:
    """A simulation job as any server process reads it: ``done`` of ``total`` negotiations have
    finished, each with its :func:`outcome` in ``outcomes``, in order. ``columns`` (the party of
    each utility column, one per side), ``n_outcomes`` (packages) and ``start_day`` (strike days
    completed when it starts) describe its scenario."""

    id: str
    owner: int
    case_id: str
    request: SimulationRequest
    state: str
    done: int
    total: int
    error: str | None
    columns: tuple[str, ...]
    n_outcomes: int
    start_day: int
    outcomes: tuple[dict[str, Any], ...]

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def check_request(request: SimulationRequest) -> None:
    """Refuse a request the engine cannot run, naming each field at fault (a sweep's values are
    checked against the scenario's rule for the parameter, so a job never fails on one)."""
    problems = []
    if request.kind not in ("replay", "sweep"):
        problems.append(FieldProblem("kind", f"expected 'replay' or 'sweep', got {request.kind!r}"))
    if (day_problem := date_problem(request.as_of)) is not None:
        problems.append(FieldProblem("as_of", day_problem))
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
        if request.parameter in PARAMETERS:
            problems.extend(
                FieldProblem(f"values[{index}]", f"{request.parameter}: {problem}")
                for index, problem in value_problems(request.parameter, request.values)
            )
    if problems:
        raise Invalid(problems)


class SimulationJobs:
    """Background simulations over one set of services: jobs run on this process's thread pool
    and are read from the database, so any server process sees any job."""

    def __init__(self, services: Services, *, workers: int = 1) -> None:
        self.services = services
        self.db = services.db
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="accord-sim")

    def start(self, actor: Actor, case_id: str, request: SimulationRequest) -> JobRecord:
        """Check the request, build the scenario from the preferences ``actor`` may see, queue it."""
        check_request(request)
        case = self.services.cases.view(actor, case_id)
        items = self.services.private.readable(actor, case_id, PrivateKind.PREFERENCES)
        models = [PreferenceModel.model_validate(item.payload) for item in items]
        scenario = case_scenario(case, request.as_of, models)
        total = 1 if request.kind == "replay" else len(request.values)
        job_id = secrets.token_hex(8)
        summary = scenario_summary(scenario)
        with self.db.write() as conn:
            job_store.add_job(
                conn,
                job_id,
                case_id=case_id,
                owner_id=actor.user_id,
                request=request.as_json(),
                summary=summary,
                total=total,
                runner=this_process(),
                now=self.services.clock(),
            )
            job_store.prune_jobs(conn, case_id, actor.user_id, keep=KEEP)
        self._pool.submit(self._run, job_id, request, scenario)
        return JobRecord(
            job_id, actor.user_id, case_id, request, "queued", 0, total, None, *_described(summary), ()
        )

    def get(self, actor: Actor, case_id: str, job_id: str) -> JobRecord:
        """The actor's own job (404 for anyone else's: nothing leaks), while they may still read
        what it was computed from (:meth:`_readable`)."""
        readable = self._readable(actor, case_id)
        with self.db.read() as conn:
            row = job_store.get_job(conn, job_id)
        if row is None or row.owner_id != actor.user_id or row.case_id != case_id:
            raise NotFound(f"no simulation {job_id!r} of yours in case {case_id!r}")
        job = job_record(row)
        hidden = sorted(set(job.columns) - readable)
        if hidden:
            raise Forbidden(
                f"simulation {job_id!r} was computed from the preferences of {hidden}, "
                "which you may no longer see"
            )
        return job

    def of(self, actor: Actor, case_id: str) -> list[JobRecord]:
        """The actor's own jobs in the case that they may still read (see :meth:`get`), newest
        first."""
        readable = self._readable(actor, case_id)
        with self.db.read() as conn:
            rows = job_store.case_jobs(conn, case_id, actor.user_id, limit=KEEP)
        jobs = [job_record(row) for row in rows]
        return [job for job in jobs if set(job.columns) <= readable]

    def _readable(self, actor: Actor, case_id: str) -> frozenset[str]:
        """The parties whose preferences the actor may read now: a job's results are computed
        from its sides' preferences, which the actor could read when they started it; they stay
        readable only while the actor still has a role in the case (404 otherwise) and may
        still read those (a revoked share, a move to another party: 403)."""
        return self.services.private.readable_parties(actor, case_id, PrivateKind.PREFERENCES)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job_id: str, request: SimulationRequest, scenario: Scenario) -> None:
        try:
            self._update(job_id, state="running")
            strategies = [make_strategy(name) for name in request.strategies]
            values: list[float | None] = list(request.values) if request.kind == "sweep" else [None]
            outcomes: list[dict[str, Any]] = []
            for index, value in enumerate(values):
                varied = (
                    scenario if value is None else vary(scenario, request.parameter, request.column, value)
                )
                negotiation = run_negotiation(
                    varied, strategies, request.n_rounds, seed=request.seed, index=index
                )
                outcomes.append(outcome(scenario, value, negotiation))
                if not self._update(job_id, done=index + 1, results=outcomes):
                    return  # pruned while it ran: nobody can read it any more
            self._update(job_id, state="done")
        except Exception as error:  # a failed job reports why; the server goes on
            try:
                self._update(job_id, state="failed", error=f"{type(error).__name__}: {error}")
            except Exception:
                log.exception("simulation %s failed and its failure could not be recorded", job_id)

    def _update(self, job_id: str, **changes: Any) -> bool:
        with self.db.write() as conn:
            return job_store.update_job(conn, job_id, now=self.services.clock(), **changes)


def outcome(scenario: Scenario, value: float | None, negotiation: Negotiation) -> dict[str, Any]:
    """How a negotiation ended, as plain JSON data: the swept ``value`` (``None`` in a replay),
    the ``reason`` it ended, its last ``turn`` and strike ``day``; on agreement the
    ``utilities`` of each column and (where the scenario decodes packages) the agreed
    ``package``; and, for a replay (the only chart that draws it), the ``trace`` of offers
    (turn, side, utility of each column): a sweep of 25 values keeps 25 small rows, not 25 traces."""
    rounds = negotiation.end_turn // scenario.n_sides
    day = int(scenario.calendar.day_of_round(np.array([rounds]))[0])
    result: dict[str, Any] = {
        "value": None if value is None else float(value),
        "reason": negotiation.reason,
        "turn": int(negotiation.end_turn),
        "day": day,
    }
    if negotiation.agreement >= 0:
        result["utilities"] = dict(
            zip(scenario.columns, scenario.U[negotiation.agreement].tolist(), strict=True)
        )
        if scenario.packages is not None:
            package = scenario.packages.decode(negotiation.agreement)
            result["package"] = {issue: _plain(v) for issue, v in package.items()}
    if value is None:
        result["trace"] = [
            {"turn": int(s.turn), "side": int(s.side), "utilities": scenario.U[s.outcome].tolist()}
            for s in negotiation.trace
            if s.outcome >= 0
        ]
    return result


def _plain(value: object) -> Any:
    """A package value as JSON: a provision set as its sorted list, a NumPy number as a number."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def scenario_summary(scenario: Scenario) -> dict[str, Any]:
    """What the job's pages need of its scenario."""
    return {
        "columns": list(scenario.columns),
        "n_outcomes": int(scenario.n_outcomes),
        "start_day": int(scenario.calendar.start_day),
        "issues": list(scenario.packages.issue_ids) if scenario.packages is not None else [],
    }


def _described(summary: dict[str, Any]) -> tuple[tuple[str, ...], int, int]:
    return tuple(summary["columns"]), summary["n_outcomes"], summary["start_day"]


def job_record(row: job_store.JobRow) -> JobRecord:
    """The read model of a stored job (a job whose process is gone reads as failed)."""
    state, error = row.state, row.error
    if state in ("queued", "running") and row.runner is not None and has_stopped(row.runner):
        state, error = "failed", STOPPED
    columns = tuple(row.summary["columns"])
    issues = row.summary.get("issues", [])
    return JobRecord(
        id=row.id,
        owner=row.owner_id,
        case_id=row.case_id,
        request=SimulationRequest.of_json(row.request),
        state=state,
        done=row.done,
        total=row.total,
        error=error,
        columns=columns,
        n_outcomes=row.summary["n_outcomes"],
        start_day=row.summary["start_day"],
        outcomes=tuple(_in_order(found, columns, issues) for found in row.results),
    )


_KEYS = ("value", "reason", "turn", "day", "utilities", "package", "trace")


def _in_order(found: dict[str, Any], columns: tuple[str, ...], issues: list[str]) -> dict[str, Any]:
    """An outcome with its keys in the order it was written (PostgreSQL's JSONB keeps its own)."""
    ordered = {key: found[key] for key in _KEYS if key in found}
    if "utilities" in ordered:
        ordered["utilities"] = {c: ordered["utilities"][c] for c in columns}
    if "package" in ordered:
        ordered["package"] = {i: ordered["package"][i] for i in issues if i in ordered["package"]}
    return ordered


def this_process() -> str:
    """This server process as ``host:pid`` (the PID namespace too where there is one, so two
    containers sharing a host name are told apart)."""
    try:
        host = f"{socket.gethostname()} {os.readlink('/proc/self/ns/pid')}"
    except OSError:
        host = socket.gethostname()
    return f"{host}:{os.getpid()}"


def has_stopped(runner: str) -> bool:
    """Whether the process ``runner`` (from :func:`this_process`) is known to be gone: only a
    process of this host (and PID namespace) can be checked; any other is taken to be running."""
    host, _, pid = runner.rpartition(":")
    if os.name != "posix" or not pid.isdigit() or host != this_process().rpartition(":")[0]:
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False
