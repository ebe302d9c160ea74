"""Fixtures and helpers for the store, services and API tests: a real SQLite file and a real
PostgreSQL database per test module (created and dropped here; PostgreSQL unreachable is a test
error, never a skip: CI starts the server)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from accord.model import Case
from accord.services import Actor, Services
from accord.store import Database

POSTGRES_ADMIN_URL = os.environ.get(
    "ACCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
"""The database backends every server test runs on (``-m "not postgres"`` leaves PostgreSQL out)."""
# Real argon2id, with parameters small enough for a test suite (the defaults take ~50 ms a hash).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def new_postgres_database() -> str:
    """Create an empty database ``accord_test_<random>``; return its URL."""
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        # A test database need not survive a power cut; waiting for each commit's fsync is slow.
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    admin.dispose()
    return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = sa.make_url(url).database
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database on each backend, fresh for each test module."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'accord.sqlite'}"
        return
    url = new_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="module")
def db(database_url: str) -> Iterator[Database]:
    """The module's database, migrated to the newest schema."""
    database = Database(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def services(db: Database) -> Services:
    result = Services(db)
    result.users.hasher = FAST_HASHER
    return result


def unique(prefix: str) -> str:
    """A fresh id (tests of one module share a database)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def add_user(services: Services, name: str, *, admin: bool = False) -> Actor:
    user = services.users.add(None, name, "correct horse battery", is_admin=admin)
    return Actor(user.id, user.username, user.is_admin)


def bearer_headers(services: Services) -> Callable[[Actor], dict[str, str]]:
    """``headers(actor)``: headers that sign in as ``actor`` (an API token made on first use)."""
    cache: dict[str, dict[str, str]] = {}

    def headers(actor: Actor) -> dict[str, str]:
        if actor.username not in cache:
            token = services.users.create_token(None, actor.username, "test").secret
            cache[actor.username] = {"Authorization": f"Bearer {token}"}
        return cache[actor.username]

    return headers


def sample_case(case_id: str = "wga-test") -> Case:
    """A small case in the shape of the WGA–AMPTP talks: a union, a coalition of two studios, a
    mediator; numeric, ordinal and provision issues; proposals, a strike, a TA."""
    return Case.model_validate(
        {
            "id": case_id,
            "title": "Writers v. studios (test)",
            "parties": [
                {"id": "wga", "name": "Writers Guild of America", "kind": "union", "short_name": "WGA"},
                {
                    "id": "amptp",
                    "name": "Alliance of Motion Picture and Television Producers",
                    "kind": "coalition",
                    "members": ["netflix", "sony"],
                    "decision_rule": {"kind": "unanimity"},
                },
                {"id": "netflix", "name": "Netflix", "kind": "employer"},
                {"id": "sony", "name": "Sony Pictures", "kind": "employer"},
                {"id": "fmcs", "name": "Mediation Service", "kind": "mediator"},
            ],
            "issues": [
                {
                    "id": "pay",
                    "type": "numeric",
                    "name": "Minimum pay increase, year 1",
                    "unit": "%",
                    "low": 0,
                    "high": 10,
                    "step": 0.5,
                    "directions": {"wga": "higher", "amptp": "lower"},
                },
                {
                    "id": "staffing",
                    "type": "ordinal",
                    "name": "Writers' room staffing",
                    "options": ["none", "some", "full"],
                },
                {
                    "id": "ai",
                    "type": "provisions",
                    "name": "Artificial intelligence",
                    "provisions": [
                        {"id": "not-source", "name": "AI output is not source material"},
                        {"id": "no-training", "name": "No training on writers' work"},
                    ],
                },
            ],
            "sources": [{"id": "s1", "url": "https://example.org/1", "title": "A report"}],
            "proposals": [
                {
                    "id": "p1",
                    "date": "2023-03-20",
                    "from": "wga",
                    "to": "amptp",
                    "positions": {"pay": 6, "staffing": "full", "ai": ["not-source", "no-training"]},
                    "sources": ["s1"],
                },
                {
                    "id": "p2",
                    "date": "2023-04-01",
                    "from": "amptp",
                    "to": "wga",
                    "positions": {"pay": 4, "staffing": "none", "ai": []},
                    "answers": ["p1"],
                },
            ],
            "events": [
                {
                    "id": "e1",
                    "date": "2023-05-02",
                    "kind": "stoppage_started",
                    "stoppage": "strike",
                    "by": "wga",
                    "against": "amptp",
                },
                {
                    "id": "e2",
                    "date": "2023-05-10",
                    "kind": "statement",
                    "party": "amptp",
                    "summary": "We await a response.",
                },
            ],
        }
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class World:
    """A case with one user in each role (names unique to the test)."""

    case_id: str
    server_admin: Actor
    admin: Actor
    mediator: Actor
    observer: Actor
    wga: Actor
    amptp: Actor
    netflix: Actor
    sony: Actor
    outsider: Actor


@pytest.fixture
def world(services: Services) -> World:
    return make_world(services)


def make_world(services: Services) -> World:
    """A new case (:func:`sample_case`) with a new user in each role."""
    tag = unique("w")
    actors = {
        role: add_user(services, f"{role}-{tag}") for role in World.__dataclass_fields__ if role != "case_id"
    }
    actors["server_admin"] = add_user(services, f"root-{tag}", admin=True)
    case_id = unique("case")
    services.cases.import_case(actors["server_admin"], sample_case(case_id))
    for role, party in (("admin", None), ("mediator", None), ("observer", None)):
        services.cases.set_member(None, case_id, actors[role].username, role, party)
    for party in ("wga", "amptp", "netflix", "sony"):
        services.cases.set_member(None, case_id, actors[party].username, "member", party)
    return World(case_id=case_id, **actors)


def preference_data(party: str, pay_weight: float = 2.0) -> dict:
    """A preference model of ``party`` over the sample case's issues (as JSON data)."""
    return {
        "party": party,
        "label": f"{party} (test)",
        "weights": {"pay": pay_weight, "staffing": 1, "ai": 1},
        "values": {
            "pay": {"kind": "linear", "direction": "higher" if party == "wga" else "lower"},
            "staffing": {"kind": "options", "scores": {"none": 0, "some": 0.5, "full": 1}},
            "ai": {"kind": "provisions", "values": {"not-source": 1, "no-training": 1}},
        },
        "reservation": 0.3,
    }


def preferences(party: str, pay_weight: float = 2.0):
    from accord.model import PreferenceModel

    return PreferenceModel.model_validate(preference_data(party, pay_weight))


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, port: int, log: Path, *options: str) -> subprocess.Popen[bytes]:
    """A real ``accord serve`` on ``url`` (with ``options``), in a process group of its own, once
    it answers; its output goes to ``log``."""
    command = [sys.executable, "-c", "from accord.cli.app import main; main()", "serve"]
    command += ["--database-url", url, "--port", str(port), *options]
    process = subprocess.Popen(
        command, stdout=log.open("ab"), stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    stop_server(process, signal.SIGKILL)
    raise AssertionError(f"accord serve did not start: {log.read_text()[-2000:]}")


def stop_server(process: subprocess.Popen[bytes], how: int = signal.SIGTERM) -> None:
    """Signal the server's whole process group (its workers too) and wait for it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, how)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def file_services(folder: Path) -> tuple[str, Services]:
    """A migrated SQLite file in ``folder`` (its URL) and services over it, as a server would open."""
    url = f"sqlite:///{folder / 'team.sqlite'}"
    db = Database(url)
    db.upgrade()
    services = Services(db)
    services.users.hasher = FAST_HASHER
    return url, services


def every_kind_of_event(regarding: str) -> list[dict[str, Any]]:
    """One event of each kind for a case built on :func:`sample_case` (a statement of it
    corrected among them); the request and the corrected statement regard proposal ``regarding``."""
    return [
        {
            "id": "t1",
            "date": "2023-05-01",
            "kind": "talks_suspended",
            "parties": ["wga", "amptp"],
            "by": "amptp",
        },
        {
            "id": "r1",
            "date": "2023-05-11",
            "kind": "request",
            "from": "wga",
            "to": "amptp",
            "regarding": [regarding],
        },
        {
            "id": "rs1",
            "date": "2023-05-12",
            "kind": "response",
            "from": "amptp",
            "to": "wga",
            "responds_to": "r1",
        },
        {
            "id": "e2b",
            "date": "2023-05-10",
            "kind": "statement",
            "party": "amptp",
            "summary": "Corrected.",
            "supersedes": "e2",
            "quote": "We wait.",
            "turn_of": "wga",
            "regarding": [regarding],
        },
        {
            "id": "ta",
            "date": "2023-09-24",
            "kind": "tentative_agreement",
            "parties": ["wga", "amptp"],
            "terms": {"pay": 5, "ai": ["not-source"]},
            "time": "20:30:00",
        },
        {"id": "e3", "date": "2023-09-27", "kind": "stoppage_ended", "stoppage": "strike"},
        {"id": "tw", "date": "2023-09-28", "kind": "ta_withdrawn", "agreement": "ta", "issues": ["ai"]},
        {
            "id": "v1",
            "date": "2023-10-09",
            "kind": "vote",
            "party": "wga",
            "subject": "ratification",
            "yes": 8435,
            "no": 90,
            "turnout": 0.5,
            "passed": True,
            "agreement": "ta",
            "opened": "2023-09-30",
        },
        {
            "id": "m1",
            "date": "2023-05-01",
            "kind": "milestone",
            "summary": "Contract expires",
            "confidence": "B",
        },
    ]


def child_pids(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux ``/proc``)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


def open_connections(pid: int, port: int) -> int:
    """Established TCP connections on local port ``port`` held by process ``pid`` (``/proc``)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held
