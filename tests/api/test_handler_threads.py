"""The handlers' worker threads (:mod:`accord.api.threads`): what AnyIO's hop to a thread did,
kept. Real threads, a real event loop."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from accord.api import threads as handler_threads
from accord.api.threads import HandlerThreads

WHO = contextvars.ContextVar("who", default="nobody")


def test_work_runs_on_another_thread_and_its_result_or_error_comes_back():
    pool = HandlerThreads(2)

    def fails() -> None:
        raise KeyError("missing")

    async def main() -> tuple[int, str]:
        WHO.set("caller")
        seen = await pool.run(lambda: (threading.get_ident(), WHO.get()))
        with pytest.raises(KeyError, match="missing"):
            await pool.run(fails)
        return seen

    ident, who = asyncio.run(main())
    assert ident != threading.get_ident()
    assert who == "caller"  # the caller's context variables, in a copy


def test_at_most_size_threads_work_at_once_in_the_order_the_work_came():
    pool = HandlerThreads(2)
    running, most, order = [0], [0], []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            order.append(n)
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return n

    async def main() -> list[int]:
        return await asyncio.gather(*(pool.run(lambda n=n: work(n)) for n in range(8)))

    assert asyncio.run(main()) == list(range(8))
    assert most[0] == 2 and pool.threads == 2
    pool, most[0] = HandlerThreads(1), 0
    order.clear()
    assert asyncio.run(main()) == list(range(8))
    assert most[0] == 1 and order == list(range(8))  # one thread: first come, first served


def test_a_cancelled_caller_leaves_the_work_to_finish_and_the_threads_usable():
    pool = HandlerThreads(1)
    started, finish, done = threading.Event(), threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        finish.wait(5)
        done.set()
        return "late"

    async def main() -> str:
        task = asyncio.create_task(pool.run(slow))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        finish.set()
        return await pool.run(lambda: "next")  # the one thread, free again

    assert asyncio.run(main()) == "next"
    assert done.is_set()


def test_idle_threads_end_and_are_started_again(monkeypatch):
    monkeypatch.setattr(handler_threads, "IDLE_SECONDS", 0.05)
    pool = HandlerThreads(2)

    async def twice() -> None:
        await asyncio.gather(pool.run(lambda: time.sleep(0.02)), pool.run(lambda: time.sleep(0.02)))

    asyncio.run(twice())
    assert pool.threads == 2
    deadline = time.monotonic() + 5
    while pool.threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.threads == 0
    assert asyncio.run(pool.run(lambda: 42)) == 42
    assert pool.threads == 1


def test_work_whose_loop_has_closed_is_dropped_quietly():
    pool = HandlerThreads(1)
    release = threading.Event()
    errors: list[BaseException] = []
    threading.excepthook, previous = (lambda args: errors.append(args.exc_value)), threading.excepthook
    try:
        left: list[asyncio.Future[bool]] = []

        async def leave() -> None:
            left.append(asyncio.ensure_future(pool.run(lambda: release.wait(5))))
            await asyncio.sleep(0.01)

        asyncio.run(leave())  # the loop closes with the work under way
        release.set()
        assert asyncio.run(pool.run(lambda: "still here")) == "still here"
    finally:
        threading.excepthook = previous
    assert errors == []


def test_size_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        HandlerThreads(0)
