"""``accord serve --workers N``: server processes that each accept on a listening socket of their own.

Uvicorn's own workers share one listening socket: whichever process asks first takes the next
connection. Under a burst of new connections (a team arriving, a load test starting) the
process that happens to be waiting takes most of them: 43 of 50 in ``make bench-server``, and
a connection stays with the process that took it, so that process answered most of the requests
while the other one idled, and every request there waited behind the others.

Here each process has a socket of its own on the same port (``SO_REUSEPORT``), and the kernel
spreads new connections over them by a hash of their addresses. The supervisor (this process)
binds them, after checking that nothing else listens on the port (a second server on it would
otherwise share its connections unnoticed), starts a process on each, restarts one that ends
unexpectedly, and on SIGINT or SIGTERM stops them all (each finishing the requests it holds, for
up to ``stop_seconds``).

The hash spreads connections evenly only on average: 50 connections came 28/22 as often as
25/25, and a kept-alive connection stays where it landed, so the process holding 28 answered
each of its clients a quarter later than the other (mean latency 84 against 68 ms in the
write-heavy mix). So each process also keeps the count of its connections in memory the
processes share (:class:`Balance`), and while it holds more than its share it answers one
request with ``Connection: close``: the client opens a new connection, which the kernel hashes
anew, until the processes hold their shares.

Where the system has no ``SO_REUSEPORT`` (Windows), ``accord serve`` uses Uvicorn's workers.
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

HAS_REUSE_PORT = hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")
"""Whether the kernel spreads connections over sockets sharing a port (Linux)."""
BACKLOG = 2048
"""Connections each socket holds waiting to be accepted (Uvicorn's default)."""
RESTARTS = 5
"""Restarts of one process within :data:`RESTART_WINDOW` seconds; should it end once more within
them, the server stops."""
RESTART_WINDOW = 60.0


class CannotListen(Exception):
    """The address cannot be listened on: something listens there already, or it is not this
    machine's."""


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host``:``port``, sharing it (``SO_REUSEPORT``).

    :class:`CannotListen` when anything listens there already, whether or not it allows
    sharing (a bind without ``SO_REUSEPORT`` is refused by either), or the address is not one
    of this machine's.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT, not a listener
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CannotListen(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(BACKLOG)
            sock.set_inheritable(True)
    except OSError as error:
        for sock in sockets:
            sock.close()
        raise CannotListen(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    return sockets


BALANCE_EVERY = 0.02
"""Seconds between two connections a process closes to give them to another (the count of its
connections falls as each closes, before the next)."""


class Balance:
    """ASGI middleware of server process ``index`` of those sharing ``counts`` (each one's
    number of open connections): a request is answered with ``Connection: close`` while this process
    holds more than its share (the total divided by the processes, rounded up), at most one every
    :data:`BALANCE_EVERY` seconds. ``connections()``: this process's number."""

    def __init__(self, app: Any, counts: Any, index: int, connections: Callable[[], int]) -> None:
        self.app = app
        self.counts = counts
        self.index = index
        self.connections = connections
        self._last_close = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.over_share():  # the usual case: nothing added
            await self.app(scope, receive, send)
            return

        async def closing(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing)

    def over_share(self) -> bool:
        """Whether this request's response should close its connection (and the time of it noted)."""
        mine = self.connections()
        self.counts[self.index] = mine
        share = math.ceil(sum(self.counts) / len(self.counts))
        now = time.monotonic()
        if mine <= share or now - self._last_close < BALANCE_EVERY:
            return False
        self._last_close = now
        return True


def serve_on(
    sock: socket.socket,
    app_factory: Callable[[], Any],
    stop_seconds: int,
    counts: Any = None,
    index: int = 0,
) -> None:
    """One server process: Uvicorn answering on ``sock`` with the app ``app_factory()`` makes;
    with ``counts`` (shared by the processes), balanced with the others (:class:`Balance`)."""
    import typer
    import uvicorn

    try:
        app = app_factory()
    except typer.Exit as stop:  # the app could not be made; the reason is printed already
        sys.exit(stop.exit_code)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=stop_seconds)
    server = uvicorn.Server(config)
    if counts is not None:
        config.app = Balance(app, counts, index, lambda: len(server.server_state.connections))
    server.run(sockets=[sock])


class Supervisor:
    """Server processes, one per socket (:func:`serve_on`), kept running until a signal stops them."""

    def __init__(
        self,
        sockets: list[socket.socket],
        app_factory: Callable[[], Any],
        stop_seconds: int,
        log: Callable[[str], None],
    ) -> None:
        self.sockets = sockets
        self.app_factory = app_factory
        self.stop_seconds = stop_seconds
        self.log = log
        self._context = multiprocessing.get_context("spawn")
        self._counts = self._context.Array("i", len(sockets), lock=False)
        self._processes: list[Any] = []
        self._restarts: list[list[float]] = [[] for _ in sockets]
        self._stopping = False

    def _start(self, index: int) -> Any:
        self._counts[index] = 0  # a process ended: its connections with it
        process = self._context.Process(
            target=serve_on,
            args=(self.sockets[index], self.app_factory, self.stop_seconds, self._counts, index),
            name=f"accord-server-{index + 1}",
        )
        process.start()
        return process

    def _stop(self, *_: Any) -> None:
        self._stopping = True

    def run(self) -> int:
        """Start the processes and watch them; the exit code for ``accord serve``: 0 once stopped
        by a signal, 1 when a process kept ending (:data:`RESTARTS`)."""
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._processes = [self._start(i) for i in range(len(self.sockets))]
            while not self._stopping:
                sentinels = [p.sentinel for p in self._processes]
                multiprocessing.connection.wait(sentinels, timeout=0.5)
                for index, process in enumerate(self._processes):
                    if self._stopping or process.is_alive():
                        continue
                    if not self._may_restart(index):
                        self.log(f"server process {index + 1} keeps ending (exit code {process.exitcode})")
                        return 1
                    self.log(
                        f"server process {index + 1} ended (exit code {process.exitcode}); starting another"
                    )
                    self._processes[index] = self._start(index)
            return 0
        finally:
            self._stop_all()
            for s, handler in previous.items():
                signal.signal(s, handler)
            for sock in self.sockets:
                sock.close()

    def _may_restart(self, index: int) -> bool:
        now = time.monotonic()
        recent = [t for t in self._restarts[index] if now - t < RESTART_WINDOW]
        self._restarts[index] = [*recent, now]
        return len(recent) < RESTARTS

    def _stop_all(self) -> None:
        for process in self._processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)  # Uvicorn finishes the requests it holds
        deadline = time.monotonic() + self.stop_seconds + 2
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
