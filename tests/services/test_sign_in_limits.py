"""Sign-in against a hostile user, on SQLite and PostgreSQL (issue 12, rows 9 and 13): concurrent
guesses are checked no more often than the limit allows, and unknown, disabled and active users
take the same time to refuse."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from accord.model import request_limits
from accord.services import Invalid, LoginLimits, Services, TooManyAttempts, Unauthenticated
from accord.store import Database
from server_support import free_port, start_server, stop_server, unique

GUESSES = 60
# Real argon2id, slow enough (~10 ms) that many guesses overlap between counting and checking,
# small enough (4 MiB each) that sixty at once are no burden.
SLOWISH = PasswordHasher(time_cost=4, memory_cost=4096, parallelism=1)


def _services(db: Database, hasher: PasswordHasher = SLOWISH) -> Services:
    services = Services(db)
    services.users.hasher = hasher
    return services


def _all_at_once(attempt, count: int) -> Counter[int]:  # type: ignore[no-untyped-def]
    """Run ``attempt(i)`` for ``i < count`` on as many threads, released together; the statuses."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        barrier.wait()
        status = attempt(index)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


def _login(services: Services, username: str, password: str, client: str) -> int:
    try:
        services.users.login(username, password, client=client)
    except Unauthenticated:
        return 401
    except TooManyAttempts:
        return 429
    return 200


def _failures_audited(services: Services, username: str) -> int:
    entries = services.audit.entries(None, limit=500).items
    return sum(1 for e in entries if e.action == "login.failed" and e.target == username)


def test_concurrent_guesses_at_one_user_are_checked_no_more_than_the_limit(db: Database) -> None:
    services = _services(db)
    name = unique("target")
    services.users.add(None, name, "correct horse battery")
    statuses = _all_at_once(lambda i: _login(services, name, f"wrong guess {i}", f"10.1.{i}.1"), GUESSES)
    assert statuses == {
        401: request_limits.LOGIN_FAILURES_PER_USER,
        429: GUESSES - request_limits.LOGIN_FAILURES_PER_USER,
    }
    assert _failures_audited(services, name) == request_limits.LOGIN_FAILURES_PER_USER
    assert _login(services, name, "correct horse battery", "10.1.0.9") == 429  # locked, even so


def test_concurrent_guesses_from_one_client_are_checked_no_more_than_the_limit(db: Database) -> None:
    services = _services(db)
    client = unique("client")
    statuses = _all_at_once(lambda i: _login(services, unique("nobody"), "any password", client), GUESSES)
    assert statuses == {
        401: request_limits.LOGIN_FAILURES_PER_CLIENT,
        429: GUESSES - request_limits.LOGIN_FAILURES_PER_CLIENT,
    }


def test_a_success_clears_the_attempt_it_counted(db: Database) -> None:
    services = _services(db)
    name = unique("user")
    services.users.add(None, name, "correct horse battery")
    for _ in range(request_limits.LOGIN_FAILURES_PER_USER + 3):  # each success takes back its own count
        assert _login(services, name, "correct horse battery", "10.2.0.1") == 200
    for _ in range(request_limits.LOGIN_FAILURES_PER_USER - 1):
        assert _login(services, name, "wrong password!", "10.2.0.1") == 401
    assert _login(services, name, "correct horse battery", "10.2.0.1") == 200


@pytest.mark.slow
def test_a_real_server_checks_concurrent_guesses_no_more_than_the_limit(
    database_url: str, db: Database, tmp_path: Path
) -> None:
    """The reproduction of row 9: sixty simultaneous wrong passwords over HTTP (the server's own
    argon2id parameters, four handler threads)."""
    services = Services(db)  # the server's hasher: argon2-cffi's defaults
    name = unique("target")
    services.users.add(None, name, "correct horse battery")
    port = free_port()
    server = start_server(database_url, port, tmp_path / "serve.log")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            statuses = _all_at_once(
                lambda i: (
                    http.post("/auth/login", json={"username": name, "password": f"guess {i}"}).status_code
                ),
                GUESSES,
            )
    finally:
        stop_server(server)
    # one client (127.0.0.1): at most the per-user limit is checked, the rest are refused unchecked
    assert statuses == {
        401: request_limits.LOGIN_FAILURES_PER_USER,
        429: GUESSES - request_limits.LOGIN_FAILURES_PER_USER,
    }
    assert _failures_audited(services, name) == request_limits.LOGIN_FAILURES_PER_USER


def test_unknown_disabled_and_active_users_take_the_same_time_to_refuse(db: Database) -> None:
    services = _services(db, PasswordHasher(time_cost=3, memory_cost=16384, parallelism=1))
    services.users.limits = LoginLimits(per_user=10_000, per_client=10_000)
    active, disabled, unknown = unique("active"), unique("disabled"), unique("nobody")
    for name in (active, disabled):
        services.users.add(None, name, "correct horse battery")
    services.users.set_disabled(None, disabled)
    names = {"active": active, "disabled": disabled, "unknown": unknown}
    times: dict[str, list[float]] = {kind: [] for kind in names}
    kinds = list(names)
    for round_ in range(-1, 15):  # round -1 warms up (the stand-in hash is made on first use)
        kinds = kinds[1:] + kinds[:1]  # each kind goes first, second and last in turn
        for kind in kinds:
            start = time.perf_counter()
            # the right password: a disabled account's must be refused, and as slowly
            assert (
                _login(
                    services,
                    names[kind],
                    "correct horse battery" if kind == "disabled" else "wrong password!",
                    "10.3.0.1",
                )
                == 401
            )
            if round_ >= 0:
                times[kind].append(time.perf_counter() - start)
    # Each round's three sign-ins run back to back, so they share the machine's load of the moment:
    # the ratio of a kind's time to the active user's within a round cancels most of the noise of a
    # shared machine, and the median ratio over the rounds is the typical one. The same work (one
    # argon2id check and the same writes) gives about 1; before, a disabled account took about 0.25.
    for kind in ("disabled", "unknown"):
        ratios = [mine / active for mine, active in zip(times[kind], times["active"], strict=True)]
        assert 0.6 < statistics.median(ratios) < 1.6, (kind, sorted(ratios))


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("é" * 201, "any password", "username"), ("a" * 81, "x", "username"), ("ada", "p" * 1001, "password")],
)
def test_a_user_name_or_password_longer_than_any_is_refused_before_it_is_counted(
    db: Database, username: str, password: str, field: str
) -> None:
    """Found by the hostile suite (tests/api/test_hostile_suite.py): the dashboard's sign-in with
    a user name of 201 characters was counted as a failure, and the count did not fit its column
    on PostgreSQL (a 500)."""
    services = _services(db)
    before = services.audit.entries(None, limit=1).total
    with pytest.raises(Invalid) as refused:
        services.users.login(username, password, client=unique("client"))
    assert [p.field for p in refused.value.problems] == [field]
    assert services.audit.entries(None, limit=1).total == before  # nothing counted, nothing logged
