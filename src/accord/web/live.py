"""Live pages: an open overview or timeline updates when anyone records something (Server-Sent Events).

Each live page opens one event stream, ``GET /dashboard/cases/{case}/live/{view}`` (``view``:
``overview`` or ``timeline``), with the page's ``as_of`` (if any), the case version it was built
from (``since``) and a digest of its live region (``digest``). The stream sends:

- ``update``: the page's live region rebuilt for this user, as JSON ``{html, digest, version,
  as_of}``, whenever it differs from what the page shows (the HTML is the template's block
  ``live``, made by the same function and template as the page: :data:`accord.web.routes.LIVE_PAGES`);
- ``end``: why the stream stopped, as JSON ``{reason, reconnect, message}``: ``signed-out`` (the
  session was signed out, expired, or its user disabled), ``no-access`` (no role in the case any
  more), ``once`` (a client that did not ask for an event stream gets one round),
  ``renew`` (the stream's lifetime is over: reconnect at once) or ``stopping`` (the server stops);
- a comment line now and then, so that a quiet stream stays open through proxies.

How a write reaches every page, whichever server process holds it: each process keeps one
:class:`LiveHub`, which reads the versions of the cases its pages follow every
:data:`POLL_SECONDS` (one query for them all, through :meth:`accord.services.LiveService.versions`)
and wakes the streams of a case whose version moved. A woken stream checks its session and the
user's role in one round trip (:meth:`~accord.services.LiveService.follow`, before anything is
pushed, and every :data:`RECHECK_SECONDS` when nothing happens), rebuilds the region for that user
and sends it only when its digest differs from the last one sent. A version moved by something the
user may not see (another party's draft) rebuilds the same region, so nothing is sent: not even
the fact that something happened.

Streams are asynchronous: one waiting costs no thread, only the checks and the rebuilding borrow
the handler threads, briefly. Each user may hold :data:`~accord.model.request_limits.LIVE_PAGES_PER_USER`
streams per process, and a process :data:`~accord.model.request_limits.LIVE_PAGES_PER_PROCESS`;
on SIGTERM or SIGINT every stream ends at once (``stopping``), so live pages never hold up a stop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from accord.model import request_limits
from accord.services import (
    Following,
    Forbidden,
    Invalid,
    NotFound,
    Services,
    TooManyAttempts,
    Unauthenticated,
)
from accord.services.access import route_rule
from accord.services.errors import FieldProblem
from accord.web import session
from accord.web.pages.common import parse_date
from accord.web.render import live_digest, render_block
from accord.web.routes import LIVE_PAGES
from accord.web.routing import DashboardRoute

POLL_SECONDS = 0.25
"""How often a server process reads the versions of the cases its live pages follow."""
RECHECK_SECONDS = 5.0
"""How often a quiet stream checks its session and role anyway (sign-out, expiry, a role taken away)."""
HEARTBEAT_SECONDS = 15.0
"""Longest silence on a stream before a comment line is sent."""
LIFETIME_SECONDS = 600.0
"""A stream ends (``renew``) after this long and the page opens another: a long-lived page is
spread again over the server's processes."""
RETRY_MILLISECONDS = 2000
"""The reconnection delay a browser's own ``EventSource`` uses after a dropped connection."""
DIGEST = re.compile(r"[0-9a-f]{32}")
VERSION_DIGITS = 18

log = logging.getLogger(__name__)
router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


@dataclass(frozen=True, slots=True)
class LiveSettings:
    """The timings and limits of one app's live pages (the defaults are the module's constants)."""

    poll: float = POLL_SECONDS
    recheck: float = RECHECK_SECONDS
    heartbeat: float = HEARTBEAT_SECONDS
    lifetime: float = LIFETIME_SECONDS
    per_user: int = request_limits.LIVE_PAGES_PER_USER
    per_process: int = request_limits.LIVE_PAGES_PER_PROCESS


class _Watch:
    """One open stream: the case it follows, its user, the case version it last checked, and the
    event that wakes it."""

    __slots__ = ("case_id", "user_id", "version", "wake")

    def __init__(self, case_id: str, user_id: int) -> None:
        self.case_id = case_id
        self.user_id = user_id
        self.version: int | None = None
        self.wake = asyncio.Event()


class LiveHub:
    """The live pages of one server process: which cases they follow, and a poller that wakes
    them when a case's version moves (a write by any process, through the database)."""

    def __init__(self, services: Services, settings: LiveSettings | None = None) -> None:
        self.services = services
        self.settings = settings or LiveSettings()
        self.stopping = False
        self._watches: set[_Watch] = set()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def open_streams(self) -> int:
        return len(self._watches)

    def open(self, case_id: str, user_id: int) -> _Watch:
        """Count a stream in (and start polling); :class:`TooManyAttempts` over the limits."""
        if len(self._watches) >= self.settings.per_process:
            raise TooManyAttempts(
                f"this server process follows {self.settings.per_process} live pages already; "
                "the page reconnects later",
                retry_after=30,
            )
        if sum(1 for w in self._watches if w.user_id == user_id) >= self.settings.per_user:
            raise TooManyAttempts(
                f"you have {self.settings.per_user} live pages open on this server process; "
                "close one (or reload it later)",
                retry_after=30,
            )
        watch = _Watch(case_id, user_id)
        self._watches.add(watch)
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self._task = loop.create_task(self._poll(), name="accord-live-poll")
        return watch

    def close(self, watch: _Watch) -> None:
        self._watches.discard(watch)

    def stop(self) -> None:
        """End every stream now (``stopping``) and refuse new ones; safe to call from a signal
        handler or another thread."""
        self.stopping = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake_all)

    def _wake_all(self) -> None:
        for watch in list(self._watches):
            watch.wake.set()

    async def _poll(self) -> None:
        while self._watches and not self.stopping:
            await asyncio.sleep(self.settings.poll)
            watches = list(self._watches)
            if not watches:
                break
            try:
                versions = await anyio.to_thread.run_sync(
                    self.services.live.versions, {w.case_id for w in watches}
                )
            except Exception:  # the database is busy or away: try again; streams recheck anyway
                log.warning("live pages: reading the cases' versions failed", exc_info=True)
                continue
            for watch in watches:
                if versions.get(watch.case_id) != watch.version:
                    watch.wake.set()


def hub_of(request: Request) -> LiveHub:
    hub: LiveHub = request.app.state.dashboard_live
    return hub


def attach(app: FastAPI, hub: LiveHub) -> None:
    """Keep ``hub`` on ``app`` and end its streams when the server stops: on SIGTERM or SIGINT
    (before the server waits for open requests to finish), and at the app's shutdown."""
    app.state.dashboard_live = hub
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with inner(application) as state:
            hub._loop = asyncio.get_running_loop()
            _stop_on_signals(hub.stop)
            try:
                yield state
            finally:
                hub.stop()

    app.router.lifespan_context = lifespan


def _stop_on_signals(stop: Callable[[], None]) -> None:
    """Run ``stop`` first when the process is told to stop, then the handler already there (the
    server's own, which stops it gracefully). Signals are handled only by the main thread; a
    server run in another thread (tests) has no handler to chain."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if not callable(previous):  # the default or ignored: the server does not stop gracefully
            continue

        def handler(number: int, frame: FrameType | None, previous: Any = previous) -> None:
            stop()
            previous(number, frame)

        signal.signal(signum, handler)


class _EventStream(StreamingResponse):
    """A streaming response that lets its stream go from the hub however it ends (finished,
    disconnected, or never started because the client left first)."""

    def __init__(self, content: AsyncIterator[str], on_close: Callable[[], None]) -> None:
        super().__init__(
            content,
            media_type="text/event-stream",
            headers={
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
                "X-Content-Type-Options": "nosniff",
            },
        )
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._on_close()


@router.get("/cases/{case_id}/live/{view}", name="live", openapi_extra=route_rule("case.read"))
async def live(
    request: Request,
    case_id: str,
    view: str,
    as_of: str | None = None,
    since: str | None = None,
    digest: str | None = None,
) -> StreamingResponse:
    """The event stream of a live page (see the module's description). Everything is checked
    before the stream opens, so a bad request fails at once: the view (404), ``as_of``, ``since``
    and ``digest`` (422), the session (401), the case and the role in it (404), the limits (429)."""
    if view not in LIVE_PAGES:
        raise NotFound(f"no live page {view!r}; expected one of {sorted(LIVE_PAGES)}")
    parse_date(as_of)
    problems = []
    if since is not None and not (since.isdigit() and len(since) <= VERSION_DIGITS):
        problems.append(
            FieldProblem("since", f"expected a case version (a whole number), got {since!r}", "query")
        )
    if digest is not None and not DIGEST.fullmatch(digest):
        problems.append(
            FieldProblem("digest", "expected the 32 hexadecimal digits of a page's digest", "query")
        )
    if problems:
        raise Invalid(problems)
    secret = session.session_secret(request)
    if not secret:
        raise Unauthenticated("sign in to follow this page")
    services = session.services_of(request)
    following = await anyio.to_thread.run_sync(services.live.follow, secret, case_id)
    hub = hub_of(request)
    watch = hub.open(case_id, following.actor.user_id)
    once = "text/event-stream" not in request.headers.get("accept", "")
    stream = _Stream(request, hub, watch, secret, view, as_of, once)
    start = None if since is None else (int(since), following.role, following.party)
    return _EventStream(stream.events(start, digest), lambda: hub.close(watch))


class _Stream:
    """One page's stream: rounds of check, rebuild, compare, send."""

    def __init__(
        self,
        request: Request,
        hub: LiveHub,
        watch: _Watch,
        secret: str,
        view: str,
        as_of: str | None,
        once: bool,
    ) -> None:
        self.request = request
        self.hub = hub
        self.watch = watch
        self.secret = secret
        self.view = view
        self.as_of = as_of
        self.once = once

    def round(
        self, last_key: tuple[Any, ...] | None, last_digest: str | None
    ) -> tuple[Following, dict[str, Any] | None]:
        """Check the session and role; when the case moved, rebuild the region for this user;
        return it when it differs from ``last_digest`` (runs in a handler thread)."""
        services = session.services_of(self.request)
        following = services.live.follow(self.secret, self.watch.case_id)
        if following.key == last_key:
            return following, None
        template, build = LIVE_PAGES[self.view]
        context = build(self.request, following.actor, self.watch.case_id, self.as_of)
        html = render_block(self.request, template, "live", context)
        digest = live_digest(html)
        if digest == last_digest:
            return following, {"digest": digest}
        as_of = getattr(context.get("page"), "as_of", None)
        update = {
            "html": html,
            "digest": digest,
            "version": following.version,
            "as_of": as_of.isoformat() if as_of is not None else None,
        }
        return following, update

    async def events(self, last_key: tuple[Any, ...] | None, last_digest: str | None) -> AsyncIterator[str]:
        settings = self.hub.settings
        clock = asyncio.get_running_loop().time
        started = last_sent = clock()
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        while True:
            if self.hub.stopping:
                yield _end("stopping", "The server is stopping; the page reconnects when it is back.", True)
                return
            try:
                following, update = await anyio.to_thread.run_sync(self.round, last_key, last_digest)
            except Unauthenticated:
                yield _end("signed-out", "You are signed out: sign in again to see updates.", False)
                return
            except (NotFound, Forbidden):
                yield _end("no-access", "You no longer have a role in this case.", False)
                return
            last_key = following.key
            self.watch.version = following.version
            if update is not None:
                if "html" in update:
                    yield _event("update", update)
                    last_sent = clock()
                last_digest = update["digest"]
            if self.once:
                yield _end("once", "One round sent; ask for text/event-stream to follow the page.", False)
                return
            now = clock()
            left = settings.lifetime - (now - started)
            if left <= 0:
                yield _end("renew", "", True)
                return
            wait = min(settings.recheck, left, max(0.0, settings.heartbeat - (now - last_sent)))
            with anyio.move_on_after(wait):
                await self.watch.wake.wait()
            self.watch.wake.clear()
            if clock() - last_sent >= settings.heartbeat:
                yield ": still here\n\n"
                last_sent = clock()


def _event(name: str, data: dict[str, Any]) -> str:
    """One event; its JSON is one line (no line break survives ``json.dumps``)."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _end(reason: str, message: str, reconnect: bool) -> str:
    return _event("end", {"reason": reason, "message": message, "reconnect": reconnect})
