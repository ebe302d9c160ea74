"""Simulations of a case as background jobs: a replay (one negotiation between two strategies)
or a small sweep (one negotiation per value of an assumption), with progress and results.

A job runs on a worker thread of the server process that started it, and is kept in the
database (the newest :data:`KEEP` of each user in each case), so every server process sees its
state, progress and results; a job belongs to the user who started it. The scenario is built from
the preferences the user may see (:meth:`accord.services.PrivateService.readable`), so a
simulation never uses a side's private model that its user could not read.

What a job may cost is checked before anything else (:mod:`accord.model.limits`): its rounds and
sweep values before the case is read or the caller's role looked up, then a place among the jobs
this process holds (:data:`~accord.model.limits.JOBS_PER_USER`,
:data:`~accord.model.limits.JOBS_PER_PROCESS`), then the size of its outcome space before the
scenario is built.

The workers are daemon threads that look for a stop between negotiations: stopping the server
(:meth:`SimulationJobs.shutdown`) marks its unfinished jobs ``failed`` (:data:`STOPPED`) and never
waits for a negotiation to end. A job whose server process died without stopping stays
``running`` in the database; a reader on the same host reports it ``failed`` once that process
is gone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.ledger.settlement import counterfactual_note
from accord.model import Case, PreferenceModel, request_limits
from accord.model.limits import date_problem
from accord.services import (
    Actor,
    FieldProblem,
    Forbidden,
    Invalid,
    NotFound,
    PrivateKind,
    Services,
    TooManyJobs,
)
from accord.sim.engine.reference import Negotiation, run_negotiation
from accord.sim.runs.sweep import PARAMETERS, value_problems, vary
from accord.sim.scenarios.scenario import Scenario
from accord.sim.scenarios.stated import ScenarioProblem, case_scenario
from accord.sim.strategies import make_strategy, strategy_names
from accord.store import simulations as job_store

KEEP = 50
MAX_ROUNDS = request_limits.ROUNDS
MAX_SWEEP = request_limits.SWEEP_VALUES
STOPPED = "the server process running it stopped"
"""The error a job shows when the server process that ran it is gone."""
STOP_WAIT = 1.0
"""Seconds :meth:`SimulationJobs.shutdown` gives a worker to notice the stop (it never waits longer)."""
RETRY_AFTER = 30
"""Seconds to wait, a refusal for too many simulations suggests."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SimulationRequest:
    """What to simulate: a ``replay`` or a ``sweep`` of ``parameter`` of side ``column`` over
    ``values``; one strategy name per side; the date the simulation starts from.
    ``counterfactual`` asks for a simulation from a date on which the talks had settled."""

    kind: str
    as_of: dt.date
    strategies: tuple[str, str]
    n_rounds: int = 60
    seed: int = 0
    parameter: str = "daily_cost"
    column: int = 0
    values: tuple[float, ...] = ()
    counterfactual: bool = False

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
            "counterfactual": self.counterfactual,
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
            counterfactual=bool(data.get("counterfactual", False)),
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
    counterfactual: str | None = None
    """The label of a counterfactual simulation (from a date after the talks settled)."""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def check_request(request: SimulationRequest) -> None:
    """Refuse a request the engine cannot run, naming each field at fault (a sweep's values are
    checked against the scenario's rule for the parameter, so a job never fails on one). It reads
    nothing but the request: its limits hold whatever the caller's role."""
    problems = []
    if request.kind not in ("replay", "sweep"):
        problems.append(FieldProblem("kind", f"expected 'replay' or 'sweep', got {request.kind!r}"))
    if (day_problem := date_problem(request.as_of)) is not None:
        problems.append(FieldProblem("as_of", day_problem))
    known = strategy_names()
    for index, name in enumerate(request.strategies):
        if name not in known:
            problems.append(FieldProblem(f"strategies[{index}]", f"expected one of {known}, got {name!r}"))
    if (rounds := request_limits.rounds_problem(request.n_rounds)) is not None:
        problems.append(FieldProblem("n_rounds", rounds))
    if request.kind == "sweep":
        if request.parameter not in PARAMETERS:
            problems.append(
                FieldProblem("parameter", f"expected one of {list(PARAMETERS)}, got {request.parameter!r}")
            )
        if request.column not in (0, 1):
            problems.append(FieldProblem("column", f"expected 0 or 1 (a side), got {request.column}"))
        if (count := request_limits.sweep_count_problem(len(request.values))) is not None:
            problems.append(FieldProblem("values", count))
        elif request.parameter in PARAMETERS:
            problems.extend(
                FieldProblem(f"values[{index}]", f"{request.parameter}: {problem}")
                for index, problem in value_problems(request.parameter, request.values)
            )
    if problems:
        raise Invalid(problems)


def counterfactual_label(case: Case, request: SimulationRequest) -> str | None:
    """The label of a simulation from a date on which the talks had settled; refused (naming the
    settlement) unless the request asks for a counterfactual."""
    note = counterfactual_note(case, request.as_of)
    if note is not None and not request.counterfactual:
        why = f"{note.removeprefix('counterfactual: ')}; set counterfactual to simulate from then anyway"
        raise Invalid([FieldProblem("as_of", why)])
    return note


class SimulationJobs:
    """Background simulations over one set of services: jobs run on this process's worker
    threads (started with the first job) and are read from the database, so any server process
    sees any job."""

    def __init__(self, services: Services, *, workers: int = 1) -> None:
        self.services = services
        self.db = services.db
        self._workers = workers
        self._threads: list[threading.Thread] = []
        self._queue: queue.SimpleQueue[tuple[str, int, SimulationRequest, Scenario] | None]
        self._queue = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._held: dict[int, int] = {}  # user id -> jobs of theirs queued or running here
        self._unfinished: set[str] = set()

    def start(self, actor: Actor, case_id: str, request: SimulationRequest) -> JobRecord:
        """Check the request, take a place for it, build the scenario from the preferences
        ``actor`` may see, queue it.

        The request's own limits come first (nothing read), then the place among this
        process's jobs (:class:`~accord.services.TooManyJobs`), then the case and its size.
        """
        check_request(request)
        self._hold(actor.user_id)
        try:
            case = self.services.cases.view(actor, case_id)
            items = self.services.private.readable(actor, case_id, PrivateKind.PREFERENCES)
            models = [PreferenceModel.model_validate(item.payload) for item in items]
            label = counterfactual_label(case, request)
            try:
                scenario = case_scenario(case, request.as_of, models)
            except ScenarioProblem as exc:
                raise Invalid([FieldProblem(exc.field, exc.message)]) from None
            total = 1 if request.kind == "replay" else len(request.values)
            job_id = secrets.token_hex(8)
            summary = scenario_summary(scenario) | {"counterfactual": label}
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
            with self._lock:
                self._unfinished.add(job_id)
                if len(self._threads) < self._workers:
                    self._threads.append(threading.Thread(target=self._work, name="accord-sim", daemon=True))
                    self._threads[-1].start()
            self._queue.put((job_id, actor.user_id, request, scenario))
        except BaseException:
            self._release(actor.user_id)
            raise
        return JobRecord(
            job_id,
            actor.user_id,
            case_id,
            request,
            "queued",
            0,
            total,
            None,
            *_described(summary),
            (),
            summary["counterfactual"],
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
        """Stop: queued jobs are dropped and a running one stops after its current negotiation;
        each is recorded ``failed`` (:data:`STOPPED`). Waits at most :data:`STOP_WAIT` seconds for
        the workers (daemon threads, which never hold up the process's exit)."""
        with self._lock:
            self._stopping.set()
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        deadline = time.monotonic() + STOP_WAIT
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        with self._lock:
            unfinished, self._unfinished = sorted(self._unfinished), set()
        for job_id in unfinished:
            try:
                self._update(job_id, state="failed", error=STOPPED)
            except Exception:  # the database may be gone too; readers see the process gone
                log.exception("simulation %s could not be recorded as stopped", job_id)

    def _hold(self, owner: int) -> None:
        """Take a place for one more job of ``owner``, or refuse (429) without touching anything."""
        with self._lock:
            if self._stopping.is_set():
                raise TooManyJobs("the server is stopping; start the simulation again", RETRY_AFTER)
            if self._held.get(owner, 0) >= request_limits.JOBS_PER_USER:
                raise TooManyJobs(
                    f"you have {request_limits.JOBS_PER_USER} simulations queued or running; wait for one to finish",
                    RETRY_AFTER,
                )
            if sum(self._held.values()) >= request_limits.JOBS_PER_PROCESS:
                raise TooManyJobs(
                    f"the server is running {request_limits.JOBS_PER_PROCESS} simulations; try again later",
                    RETRY_AFTER,
                )
            self._held[owner] = self._held.get(owner, 0) + 1

    def _release(self, owner: int) -> None:
        with self._lock:
            self._held[owner] -= 1
            if not self._held[owner]:
                del self._held[owner]

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, owner, request, scenario = item
            try:
                if not self._stopping.is_set():
                    self._run(job_id, request, scenario)
            finally:
                self._release(owner)

    def _run(self, job_id: str, request: SimulationRequest, scenario: Scenario) -> None:
        try:
            self._update(job_id, state="running")
            strategies = [make_strategy(name) for name in request.strategies]
            values: list[float | None] = list(request.values) if request.kind == "sweep" else [None]
            outcomes: list[dict[str, Any]] = []
            for index, value in enumerate(values):
                if self._stopping.is_set():
                    return  # recorded as stopped by shutdown()
                varied = (
                    scenario if value is None else vary(scenario, request.parameter, request.column, value)
                )
                negotiation = run_negotiation(
                    varied, strategies, request.n_rounds, seed=request.seed, index=index
                )
                if self._stopping.is_set():
                    return
                outcomes.append(outcome(scenario, value, negotiation))
                if not self._update(job_id, done=index + 1, results=outcomes):
                    self._finished(job_id)
                    return  # pruned while it ran: nobody can read it any more
            self._update(job_id, state="done")
            self._finished(job_id)
        except Exception as error:  # a failed job reports why; the server goes on
            try:
                self._update(job_id, state="failed", error=f"{type(error).__name__}: {error}")
                self._finished(job_id)
            except Exception:
                log.exception("simulation %s failed and its failure could not be recorded", job_id)

    def _finished(self, job_id: str) -> None:
        with self._lock:
            self._unfinished.discard(job_id)

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
        counterfactual=row.summary.get("counterfactual"),
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
