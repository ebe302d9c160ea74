"""The server's cache builds a missing entry once: threads asking for it meanwhile wait for that
result (or its error) instead of each loading the case and running the ledger again."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import OperationalError

from accord.model import Proposal
from accord.services import Services
from accord.services.base import Lru
from accord.store import ReadNeedsTransaction

THREADS = 6


def _together(count: int, call):
    """``call()`` on ``count`` threads released at once; their results in thread order."""
    start = threading.Barrier(count)

    def run(_: int):
        start.wait()
        return call()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_threads_asking_for_a_missing_entry_share_one_build():
    cache: Lru[str, object] = Lru(4)
    builds = []

    def build() -> object:
        builds.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to ask while it runs
        return object()

    values = _together(THREADS, lambda: cache.get("k", build))
    assert len(builds) == 1
    assert all(v is values[0] for v in values)
    assert cache.get("k", build) is values[0] and len(builds) == 1


def test_an_error_reaches_every_waiting_thread_and_the_next_ask_builds_again():
    cache: Lru[str, str] = Lru(4)
    builds = []

    def failing() -> str:
        builds.append(1)
        time.sleep(0.2)
        raise ValueError("unknown party 'x'")

    def ask() -> str:
        try:
            return cache.get("k", failing)
        except ValueError as error:
            return f"error: {error}"

    assert _together(THREADS, ask) == ["error: unknown party 'x'"] * THREADS
    assert len(builds) == 1
    assert cache.get("k", lambda: "built") == "built"


@pytest.mark.parametrize(
    "own_error", [ReadNeedsTransaction("a second statement"), OperationalError("x", {}, Exception("lost"))]
)
def test_a_thread_that_waited_for_a_build_that_failed_for_its_own_reasons_builds_it(own_error):
    """A build in a one-statement read that needed a second statement (or whose connection
    failed) failed for reasons of its own: a thread that waited for it, in a read of its own,
    builds the entry itself instead of taking that error (it was a 500 under the write-heavy mix)."""
    cache: Lru[str, str] = Lru(4)
    started = threading.Event()

    def builder() -> str:
        started.set()
        time.sleep(0.2)
        raise own_error

    def first() -> str:
        try:
            return cache.get("k", builder)
        except type(own_error):
            return "retried in a transaction"

    def second() -> str:
        started.wait(5)
        return cache.get("k", lambda: "built by the waiter")

    with ThreadPoolExecutor(2) as pool:
        results = [pool.submit(first), pool.submit(second)]
        assert [r.result(timeout=10) for r in results] == ["retried in a transaction", "built by the waiter"]
    assert cache.get("k", lambda: "again") == "built by the waiter"


def test_a_build_that_asks_for_its_own_key_does_not_wait_for_itself():
    cache: Lru[str, str] = Lru(4)
    done = []
    worker = threading.Thread(
        target=lambda: done.append(cache.get("k", lambda: cache.get("k", lambda: "inner")))
    )
    worker.start()
    worker.join(timeout=10)
    assert done == ["inner"]


def test_the_first_reads_after_a_write_load_the_case_and_run_the_view_once(services: Services, world) -> None:
    proposal = Proposal.model_validate(
        {"id": "after", "date": "2023-06-02", "from": "wga", "to": "amptp", "positions": {"pay": 6}}
    )
    services.records.add(world.wga, world.case_id, proposal)
    built = {"cases": 0, "views": 0}
    services.cache.cases.on_build = lambda: built.__setitem__("cases", built["cases"] + 1)
    services.cache.views.on_build = lambda: built.__setitem__("views", built["views"] + 1)

    def read() -> bytes:
        with services.db.read():
            return services.views.two_sided(world.observer, world.case_id, "status").encoded

    try:
        answers = _together(THREADS, read)
    finally:
        services.cache.cases.on_build = services.cache.views.on_build = None
    assert len(set(answers)) == 1 and b"after" in answers[0]
    assert built["cases"] == 1  # the observer's view of the case, loaded once
    assert built["views"] == 2  # the status, and the default date it is computed for


def test_an_entry_of_a_newer_version_drops_those_of_older_ones():
    cache: Lru[tuple[str, int], str] = Lru(8, lambda key: key)
    for version in (1, 2, 3):
        assert cache.get(("c", version), lambda v=version: f"c{v}") == f"c{version}"
    cache.get(("other", 1), lambda: "o1")
    assert len(cache) == 2  # c at 3, other at 1
    # a reader of an older snapshot gets its value, built again, and the cache keeps it not
    assert cache.get(("c", 2), lambda: "c2 again") == "c2 again"
    assert len(cache) == 2
    assert cache.get(("c", 3), lambda: "built again") == "c3"


def test_a_case_written_and_read_in_turn_keeps_one_version_in_memory(services: Services, world) -> None:
    """Found by the hostile-user suite (tests/api/test_hostile_suite.py): every version of a case
    that was written and read in turn stayed cached until the cache's count of entries pushed it
    out: some 150 KB a write for a small case, 2,000 writes took a server from 115 to 440 MB."""

    def write_and_read(index: int) -> None:
        proposal = {"id": f"turn-{index}", "date": "2023-06-02", "from": "wga", "to": "amptp"}
        services.records.add(world.wga, world.case_id, Proposal.model_validate(proposal))
        with services.db.read():
            services.views.two_sided(world.observer, world.case_id, "status")
            services.views.timeline(world.observer, world.case_id)
            services.cases.view(world.wga, world.case_id)

    write_and_read(0)
    kept = {name: len(getattr(services.cache, name)) for name in ("cases", "items", "views", "pages")}
    for index in range(1, 20):
        write_and_read(index)
    assert {name: len(getattr(services.cache, name)) for name in kept} == kept
