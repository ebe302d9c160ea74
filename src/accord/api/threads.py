"""The worker threads that run the handlers' synchronous work (reads and writes of the database).

A request answered on a worker thread hops there from the event loop and back. Through
AnyIO's ``to_thread.run_sync`` (Starlette's ``run_in_threadpool``) a hop cost about 100 µs of
CPU (its capacity limiter, its task and cancel-scope bookkeeping, a ``queue.Queue`` whose
``Condition`` is Python code): 5 % of a request in the write-heavy mix of
bench/bench_server.py on PostgreSQL, where every request hops. Here a hop is a C queue
(``queue.SimpleQueue``) one way and ``call_soon_threadsafe`` the other: about 5 µs.

What AnyIO's hop did that this one keeps: at most ``size`` threads (each holds a database
connection while it works); the caller's context variables (the work runs in a copy); the
caller may be cancelled (a client gone) while the work runs on, its result then dropped;
threads idle for :data:`IDLE_SECONDS` end, and are started again when needed (an app made
and dropped, as in the tests, leaves no thread behind).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
IDLE_SECONDS = 10.0
"""Seconds a thread waits for work before it ends."""

_Work = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", contextvars.Context, Callable[[], Any]]


class HandlerThreads:
    """At most ``size`` threads taking work in the order it came (:meth:`run`)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"handler threads must be at least 1, not {size}")
        self.size = size
        self._queue: queue.SimpleQueue[_Work] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0

    async def run(self, function: Callable[[], T]) -> T:
        """``function()`` on one of the threads, in a copy of the caller's context; its result
        or its exception."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((loop, future, contextvars.copy_context(), function))
        with self._lock:
            start = self._idle == 0 and self._threads < self.size
            if start:
                self._threads += 1
                self._idle += 1
        if start:
            threading.Thread(target=self._work, name="accord-handler", daemon=True).start()
        return await future

    @property
    def threads(self) -> int:
        """How many threads there are now (busy or idle)."""
        return self._threads

    def _work(self) -> None:
        while True:
            try:
                work = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if not self._queue.empty():
                        continue  # work came as the wait ended: take it
                    self._threads -= 1
                    self._idle -= 1
                    return
            with self._lock:
                self._idle -= 1
            loop, future, context, function = work
            try:
                result = context.run(function)
            except BaseException as error:  # delivered to the caller, as the call would raise it
                _deliver(loop, future, None, error)
            else:
                _deliver(loop, future, result, None)
            finally:
                del work, function, future
                with self._lock:
                    self._idle += 1


def _deliver(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], result: Any, error: BaseException | None
) -> None:
    def settle() -> None:
        if future.done():  # the caller was cancelled meanwhile
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits for it
        loop.call_soon_threadsafe(settle)


_OF: weakref.WeakKeyDictionary[Any, HandlerThreads] = weakref.WeakKeyDictionary()


def use(owner: Any, threads: HandlerThreads) -> None:
    """Make ``threads`` those of ``owner`` (the app's services: :func:`of`)."""
    _OF[owner] = threads


def of(owner: Any) -> HandlerThreads:
    """The handler threads of ``owner``, given by :func:`use` (``accord.api.create_app`` gives
    its services theirs)."""
    return _OF[owner]
