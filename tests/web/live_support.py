"""Helpers of the live pages' tests: a real Uvicorn server in a thread, and an event-stream client
that reads a page's stream on a thread of its own."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import uvicorn
from fastapi import FastAPI

from server_support import free_port

SESSION_COOKIE = "accord_session"


@dataclass(frozen=True)
class Event:
    name: str
    data: Any

    @property
    def html(self) -> str:
        return str(self.data.get("html", "")) if isinstance(self.data, dict) else ""


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by Uvicorn on a free port of 127.0.0.1 (its lifespan run); the base URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class EventStream:
    """A live page's event stream, read on a thread of its own; its events land in a queue.

    Spoken in plain HTTP/1.1 over a socket, so that :meth:`close` drops the connection at once, as
    a browser closing the page does. ``status`` is the answer's status; a refused stream has no
    events and its ``body`` says why.
    """

    def __init__(
        self,
        base_url: str,
        path: str,
        secret: str | None,
        *,
        params: dict[str, str] | None = None,
        accept: str = "text/event-stream",
    ) -> None:
        address = urlsplit(base_url)
        if params:
            path += ("&" if "?" in path else "?") + urlencode(params)
        self._socket = socket.create_connection((address.hostname, address.port), timeout=10)
        cookie = f"Cookie: {SESSION_COOKIE}={secret}\r\n" if secret else ""
        request = f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\nAccept: {accept}\r\n{cookie}\r\n"
        self._socket.sendall(request.encode())
        self._file = self._socket.makefile("rb")
        status_line = self._file.readline().decode()
        self.status = int(status_line.split()[1])
        self.headers: dict[str, str] = {}
        while (line := self._file.readline().decode().rstrip("\r\n")) != "":
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self._socket.settimeout(None)
        self.events: queue.Queue[Event | None] = queue.Queue()
        self.body = ""
        self.ended = threading.Event()
        if self.status == 200:
            self._reader = threading.Thread(target=self._read, daemon=True)
            self._reader.start()
        else:
            self.body = b"".join(self._chunks()).decode()
            self.ended.set()

    def _chunks(self) -> Iterator[bytes]:
        """The body's chunks as they come (``Transfer-Encoding: chunked``), or the whole body."""
        if self.headers.get("transfer-encoding") != "chunked":
            yield self._file.read(int(self.headers.get("content-length", "0")))
            return
        while True:
            size = int(self._file.readline().split(b";")[0], 16)
            if size == 0:
                return
            chunk = self._file.read(size)
            self._file.readline()
            yield chunk

    def _read(self) -> None:
        name, data, pending = "message", [], b""
        try:
            for chunk in self._chunks():
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    line = raw.decode()
                    if line == "":
                        if data:
                            self.events.put(Event(name, json.loads("\n".join(data))))
                        name, data = "message", []
                    elif line.startswith(":") or line.startswith("retry:"):
                        continue
                    elif line.startswith("event:"):
                        name = line.split(":", 1)[1].strip()
                    elif line.startswith("data:"):
                        data.append(line.split(":", 1)[1].removeprefix(" "))
        except (OSError, ValueError):  # closed by this side
            pass
        finally:
            self.ended.set()
            self.events.put(None)

    def next(self, timeout: float) -> Event | None:
        """The next event within ``timeout`` seconds (``None``: none came, or the stream ended)."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def expect(self, name: str, timeout: float) -> Event:
        """The next event, which must be ``name`` and come within ``timeout`` seconds."""
        event = self.next(timeout)
        assert event is not None, f"no {name!r} event within {timeout} s"
        assert event.name == name, f"expected {name!r}, got {event}"
        return event

    def quiet(self, seconds: float) -> list[Event]:
        """Every event that comes within ``seconds`` (the stream's end marker left out)."""
        found, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            event = self.next(left)
            if event is not None:
                found.append(event)
        while True:  # and whatever came before
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return found
            if event is not None:
                found.append(event)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
