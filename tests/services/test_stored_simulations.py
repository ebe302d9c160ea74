"""Simulation jobs kept in the database (SQLite and PostgreSQL): a job started by one server
process is seen, with its progress and results, from another; only the newest are kept; a failed
job says why; a job whose process stopped reads as failed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from accord.model import PreferenceModel
from accord.services import Actor, Invalid, NotFound, PrivateKind, Services
from accord.services.simulation_jobs import (
    KEEP,
    STOPPED,
    JobRecord,
    SimulationJobs,
    SimulationRequest,
    has_stopped,
    outcome,
    this_process,
)
from accord.sim.engine.reference import run_negotiation
from accord.sim.runs.sweep import vary
from accord.sim.scenarios.stated import case_scenario
from accord.sim.strategies import make_strategy, registry
from accord.store import Database
from accord.store.schema import simulation_jobs
from server_support import World, preferences

AS_OF = dt.date(2023, 5, 10)
SWEEP = SimulationRequest(
    "sweep", AS_OF, ("boulware", "conceder"), n_rounds=40, parameter="daily_cost", values=(0.0, 0.01, 0.02)
)


def _shared(services: Services, world: World) -> None:
    """Both sides' preferences, shared with the mediators."""
    for party in ("wga", "amptp"):
        actor = getattr(world, party)
        services.private.put_preferences(
            actor, world.case_id, party, preferences(party), expected_version=None
        )
        services.private.set_shares(actor, world.case_id, party, {("preferences", "mediators")})


@pytest.fixture
def jobs(services: Services) -> Iterator[SimulationJobs]:
    running = SimulationJobs(services)
    yield running
    running.shutdown()


@pytest.fixture
def second(database_url: str) -> Iterator[SimulationJobs]:
    """Another server process's view: its own database handle, services and jobs."""
    db = Database(database_url)
    other = SimulationJobs(Services(db))
    yield other
    other.shutdown()
    db.dispose()


def _finished(jobs: SimulationJobs, actor: Actor, case_id: str, job_id: str) -> list[JobRecord]:
    """Every reading of the job until it finished (the last one finished)."""
    seen = [jobs.get(actor, case_id, job_id)]
    deadline = time.monotonic() + 60
    while not seen[-1].finished:
        assert time.monotonic() < deadline, seen[-1]
        time.sleep(0.02)
        seen.append(jobs.get(actor, case_id, job_id))
    return seen


def test_a_job_started_by_one_process_is_seen_from_another(
    services: Services, world: World, jobs: SimulationJobs, second: SimulationJobs
) -> None:
    _shared(services, world)
    started = jobs.start(world.mediator, world.case_id, SWEEP)
    assert (started.state, started.done, started.total, started.outcomes) == ("queued", 0, 3, ())
    seen = _finished(second, world.mediator, world.case_id, started.id)
    job = seen[-1]
    assert job.state == "done" and job.error is None and job.done == job.total == 3
    assert all(len(s.outcomes) == s.done for s in seen)  # progress and results move together
    assert [s.done for s in seen] == sorted(s.done for s in seen)
    assert (job.request, job.columns) == (SWEEP, ("wga", "amptp"))
    # The stored outcomes are what the engine computed, as plain JSON.
    case = services.cases.view(world.mediator, world.case_id)
    models = [
        PreferenceModel.model_validate(i.payload)
        for i in services.private.readable(world.mediator, world.case_id, PrivateKind.PREFERENCES)
    ]
    scenario = case_scenario(case, AS_OF, models)
    assert (job.n_outcomes, job.start_day) == (scenario.n_outcomes, scenario.calendar.start_day)
    strategies = [make_strategy(name) for name in SWEEP.strategies]
    expected = [
        outcome(
            scenario,
            value,
            run_negotiation(vary(scenario, "daily_cost", 0, value), strategies, 40, seed=0, index=index),
        )
        for index, value in enumerate(SWEEP.values)
    ]
    assert list(job.outcomes) == expected
    assert json.loads(json.dumps(expected)) == expected
    assert not any("trace" in o for o in job.outcomes)  # a sweep's chart needs no traces
    assert second.of(world.mediator, world.case_id) == [job] == jobs.of(world.mediator, world.case_id)
    for actor in (world.wga, world.observer, world.outsider, world.server_admin):
        with pytest.raises(NotFound):
            second.get(actor, world.case_id, job.id)
        if actor is world.outsider:  # no role in the case: as if it did not exist
            with pytest.raises(NotFound):
                second.of(actor, world.case_id)
        else:
            assert second.of(actor, world.case_id) == []
    with pytest.raises(NotFound):  # the job of another case is no job of this one
        second.get(world.mediator, "another-case", job.id)


def test_an_agreed_package_is_stored_in_the_cases_issue_order(
    services: Services, world: World, jobs: SimulationJobs
) -> None:
    _shared(services, world)
    replay = SimulationRequest("replay", AS_OF, ("conceder", "conceder"), n_rounds=40)
    job = _finished(
        jobs, world.mediator, world.case_id, jobs.start(world.mediator, world.case_id, replay).id
    )[-1]
    found = job.outcomes[0]
    assert found["reason"] == "agreement" and found["value"] is None
    assert list(found) == ["value", "reason", "turn", "day", "utilities", "package", "trace"]
    assert found["trace"] and all(len(step["utilities"]) == 2 for step in found["trace"])
    assert list(found["utilities"]) == ["wga", "amptp"]
    assert list(found["package"]) == ["pay", "staffing", "ai"]
    assert found["package"]["ai"] == sorted(found["package"]["ai"])  # a provision set, as a list


class Ticking:
    """A clock a second later at each reading (jobs are ordered by when they started)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def test_only_the_newest_jobs_of_each_owner_in_a_case_are_kept(db: Database, world: World) -> None:
    ticking = Services(db, clock=Ticking())
    _shared(ticking, world)
    grants = {("preferences", "mediators"), ("preferences", "wga")}
    ticking.private.set_shares(world.amptp, world.case_id, "amptp", grants)
    jobs = SimulationJobs(ticking)
    replay = SimulationRequest("replay", AS_OF, ("boulware", "boulware"), n_rounds=2)
    try:
        theirs = jobs.start(world.wga, world.case_id, replay)
        started = []
        for _ in range(KEEP + 2):  # one after another: a user has only a few queued or running at once
            started.append(jobs.start(world.mediator, world.case_id, replay))
            _finished(jobs, world.mediator, world.case_id, started[-1].id)
        kept = jobs.of(world.mediator, world.case_id)
        assert [j.id for j in kept] == [j.id for j in reversed(started[2:])]
        for gone in started[:2]:
            with pytest.raises(NotFound):
                jobs.get(world.mediator, world.case_id, gone.id)
        assert [j.id for j in jobs.of(world.wga, world.case_id)] == [theirs.id]  # another owner's
    finally:
        jobs.shutdown()


FRAGILE = """
from dataclasses import dataclass
from typing import ClassVar

from accord.sim.strategies.timedep import Boulware


@dataclass(frozen=True, slots=True)
class Fragile(Boulware):
    \"\"\"Boulware that cannot play with a discount factor under 0.8 (a user's own strategy).\"\"\"

    name: ClassVar[str] = "fragile"

    def start(self, view, uniforms):
        if view.discount < 0.8:
            raise RuntimeError(f"fragile cannot play with discount {view.discount}")
        return Boulware.start(self, view, uniforms)  # slotted dataclass: no zero-argument super()
"""


@pytest.fixture
def fragile(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A strategy installed as users install theirs (an entry point) that fails on some values."""
    (tmp_path / "accord_test_fragile.py").write_text(FRAGILE)
    info = tmp_path / "accord_test_fragile-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: accord-test-fragile\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[accord.strategies]\nfragile = accord_test_fragile:Fragile\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._entry_points.cache_clear()
    yield "fragile"
    monkeypatch.undo()
    registry._entry_points.cache_clear()


def test_a_failed_job_records_why(
    services: Services, world: World, jobs: SimulationJobs, second, fragile: str
) -> None:
    _shared(services, world)
    # The strategy fails on the second value: the first negotiation's outcome is kept.
    request = SimulationRequest(
        "sweep", AS_OF, (fragile, "boulware"), n_rounds=10, parameter="discount", values=(0.9, 0.5)
    )
    job = _finished(
        second, world.mediator, world.case_id, jobs.start(world.mediator, world.case_id, request).id
    )[-1]
    assert job.state == "failed" and job.done == 1 and len(job.outcomes) == 1
    assert job.error == "RuntimeError: fragile cannot play with discount 0.5"


@pytest.mark.parametrize(
    ("parameter", "values", "bad"),
    [
        ("discount", (0.9, 1.5, 0.0), {"values[1]", "values[2]"}),
        ("daily_cost", (0.0, -0.01), {"values[1]"}),
        ("reservation", (0.2, float("nan"), float("inf")), {"values[1]", "values[2]"}),
    ],
)
def test_a_sweep_value_out_of_range_is_refused_and_no_job_is_stored(
    services: Services, world: World, jobs: SimulationJobs, parameter: str, values, bad: set[str]
) -> None:
    _shared(services, world)
    request = SimulationRequest(
        "sweep", AS_OF, ("boulware", "boulware"), n_rounds=10, parameter=parameter, values=values
    )
    with pytest.raises(Invalid) as caught:
        jobs.start(world.mediator, world.case_id, request)
    assert caught.value.status == 422
    assert {p.field for p in caught.value.problems} == bad
    assert all(p.message.startswith(f"{parameter}: expected ") for p in caught.value.problems)
    with services.db.read() as conn:
        rows = sa.select(sa.func.count()).where(simulation_jobs.c.case_id == world.case_id)
        stored = conn.execute(rows).scalar_one()
    assert jobs.of(world.mediator, world.case_id) == [] and stored == 0


STOPPING = """
import sys, os
from accord.services import Actor, Services
from accord.services.simulation_jobs import SimulationJobs, SimulationRequest
from accord.store import Database
from accord.store.schema import simulation_jobs
import datetime as dt
url, case_id, user_id, username = sys.argv[1:]
jobs = SimulationJobs(Services(Database(url)))
request = SimulationRequest("sweep", dt.date(2023, 5, 10), ("boulware", "boulware"), n_rounds=500,
                            values=tuple(i / 1000 for i in range(25)))
print(jobs.start(Actor(int(user_id), username, False), case_id, request).id, flush=True)
os._exit(0)  # the server process stops with its job unfinished
"""


def test_a_job_whose_server_process_stopped_reads_as_failed(
    services: Services, world: World, database_url: str, jobs: SimulationJobs
) -> None:
    _shared(services, world)
    mediator = world.mediator
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            STOPPING,
            database_url,
            world.case_id,
            str(mediator.user_id),
            mediator.username,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=True,
    )
    job = jobs.get(mediator, world.case_id, ran.stdout.strip())
    assert (job.state, job.error) == ("failed", STOPPED)
    assert job.done < job.total
    assert [j.state for j in jobs.of(mediator, world.case_id)] == ["failed"]


def test_only_a_process_of_this_host_is_known_to_have_stopped() -> None:
    assert not has_stopped(this_process())
    assert not has_stopped(f"elsewhere.example.org:{os.getpid()}")
    assert not has_stopped("no pid here")
