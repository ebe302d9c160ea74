"""What handlers share: the services, the signed-in actor, pages, versions (ETag / If-Match)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar, get_type_hints

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from accord.api import threads as handler_threads
from accord.model import request_limits
from accord.services import Actor, FieldProblem, Invalid, Services, Unauthenticated
from accord.services.access import ROUTE_RULE_KEY, ROUTE_RULES, route_rule
from accord.services.base import NotQuick, quick_only
from accord.store import Database, ReadNeedsTransaction, WritersBusy

ACCESS = ROUTE_RULE_KEY
"""OpenAPI extension naming the access rule a route is under (see docs/team-server.md)."""
RULES = ROUTE_RULES
T = TypeVar("T")


def rule(name: str) -> dict[str, Any]:
    """``openapi_extra`` for a route under access rule ``name``."""
    return dict(route_rule(name))


class _BearerToken(HTTPBearer):
    """The bearer token as sent (not yet checked: see :func:`signed_in`); 401 without one.

    FastAPI's ``HTTPBearer`` itself, documented as the same scheme, returning the token: one
    dependency for FastAPI to solve per request instead of two (a dependency solved cost about
    40 µs of every request)."""

    async def __call__(self, request: Request) -> str:  # type: ignore[override]
        return _token(await super().__call__(request))


bearer_secret = _BearerToken(
    auto_error=False,
    scheme_name="HTTPBearer",
    description="A session token (POST /auth/login) or an API token.",
)


async def services(request: Request) -> Services:
    result: Services = request.app.state.services
    return result


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    """The bearer token as sent (not yet checked); 401 without one."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return credentials.credentials


def actor(request: Request, secret: Annotated[str, Depends(bearer_secret)]) -> Actor:
    """The signed-in user; 401 without valid credentials."""
    result: Services = request.app.state.services
    return result.users.authenticate(secret)


async def signed_in(
    services: Services, secret: str, case_id: str, work: Callable[[Actor], T], *, cached: bool = False
) -> T:
    """Check the token and do ``work`` on case ``case_id`` as its user, in one worker thread (or,
    ``cached`` and on SQLite, on the event loop: :func:`on_event_loop`).

    The same as an :data:`ActorDep` parameter and a synchronous handler, with one hop to a worker
    thread per request instead of two, one read transaction, and the token and the case read in
    one round trip: the busiest reads (the ledger views) take this path.

    ``cached``: ``work`` reads nothing but the case's row, then caches keyed by its version, and
    writes nothing before it would read more. It is first tried as a one-statement read (see
    :meth:`accord.store.Database.read`), and run again in a plain read when it needs more.
    """

    def run(*, one_statement: bool = False) -> T:
        with services.db.read(one_statement=one_statement):
            return work(services.users.authenticate(secret, case_id=case_id))

    def run_cached() -> T:
        try:
            return run(one_statement=True)
        except ReadNeedsTransaction:
            return run()  # something was not cached yet: read it in one transaction

    if cached and services.db.in_process:
        try:
            return on_event_loop(services, run_cached)
        except TO_A_THREAD:
            pass  # the case is loaded whole, or another thread builds or writes: wait on a thread
    return await handler_threads.of(services).run(run_cached if cached else run)


TO_A_THREAD = (NotQuick, WritersBusy)
"""What work tried on the event loop raises, having written nothing, to be run on a worker thread
instead (:func:`on_event_loop`)."""


def on_event_loop(services: Services, run: Callable[[], T]) -> T:
    """``run()`` here, on the event loop, in :func:`~accord.services.base.quick_only` mode: it
    raises :class:`~accord.services.base.NotQuick` (having written nothing) where it would load a
    case whole or wait for another thread, and the caller runs it on a worker thread instead.

    A write made there without the writers' turn (the audit entry of a read of drafts) that
    would wait for a worker thread's write raises :class:`~accord.store.WritersBusy` before it
    begins, and the request moves to a worker thread the same way.

    For a database in this process (SQLite), the views and the records are answered this way.
    The server is bound by its one interpreter: a hop to a worker thread and back cost about a
    fifth of each request in handing the interpreter between threads, and requests answered here
    are answered in the order they came (a thread waiting for its turn at the interpreter behind
    the event loop waited longest)."""
    writers = services.db.writers
    with quick_only(), writers.without_waiting_for_threads() if writers else contextlib.nullcontext():
        return run()


ServicesDep = Annotated[Services, Depends(services)]
ActorDep = Annotated[Actor, Depends(actor)]
SecretDep = Annotated[str, Depends(bearer_secret)]
Offset = Annotated[int, Query(ge=0, le=10**9, description="How many items to skip.")]
Limit = Annotated[int, Query(ge=1, le=request_limits.PAGE_ENTRIES, description="At most this many items.")]


async def if_match(
    value: Annotated[
        str | None,
        Header(alias="If-Match", description="The version (ETag) the update is based on."),
    ] = None,
) -> int | None:
    """The version an update is based on, from ``If-Match: "3"`` (or ``W/"3"``, or ``3``)."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 12:
        raise Invalid(
            [FieldProblem("If-Match", f"expected a version such as '\"3\"', got {value!r}", "header")]
        )
    return int(text)


IfMatch = Annotated[int | None, Depends(if_match)]


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


_REQUEST = "accord_request_"
"""The name under which a one-hop handler receives the request (hidden from the API's document)."""


class Router(APIRouter):
    """An :class:`~fastapi.APIRouter` whose synchronous handlers run in one worker-thread hop.

    FastAPI runs a synchronous handler in three: its synchronous dependency (the signed-in
    :data:`ActorDep`), the handler, and the check of its response, each waiting in the queue of
    the worker threads afresh; under load, each wait is as long as the queue, so a write took three
    times a read. Here each is made (:func:`one_hop`) a coroutine that checks the token and runs
    the handler in one worker thread, and FastAPI checks the response on its own thread.
    """

    def __init__(self, *args: Any, quick: bool = False, **kwargs: Any) -> None:
        """``quick``: its handlers do only quick work (a few statements and the case's
        indexes), and are run on the event loop where the database is in this process
        (:func:`on_event_loop`)."""
        super().__init__(*args, **kwargs)
        self.quick = quick

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = one_hop(endpoint, quick=self.quick or getattr(endpoint, _QUICK, False))
        else:
            endpoint = _services_handed_in(endpoint)
        super().add_api_route(path, endpoint, **kwargs)


_QUICK = "accord_quick"

F = TypeVar("F", bound=Callable[..., Any])


def quick(handler: F) -> F:
    """Mark one handler of a router as quick (as ``Router(quick=True)`` marks all of its own):
    a few statements, nothing that scales with the case; put it under the route's decorator."""
    setattr(handler, _QUICK, True)
    return handler


@dataclasses.dataclass(frozen=True)
class _Handler:
    """A handler as FastAPI is to see it: each :data:`ActorDep` parameter taken as the bearer
    token (:data:`SecretDep`); each :data:`ServicesDep` parameter (``served``) left out, handed
    the app's services from the request instead of being a dependency for FastAPI to solve; and
    a parameter for the request added where the handler takes none (FastAPI hands the request
    to one parameter only: the handler's own, or the one added)."""

    function: Callable[..., Any]
    actors: list[str]
    served: list[str]
    own_request: str | None

    @classmethod
    def of(cls, function: Callable[..., Any], *, actors: bool = True) -> tuple[_Handler, inspect.Signature]:
        """The handler, and the signature for FastAPI (``actors=False``: each :data:`ActorDep`
        left for FastAPI to solve)."""
        hints = get_type_hints(function, include_extras=True)
        signature = inspect.signature(function)
        taken = [name for name in signature.parameters if actors and hints.get(name) == ActorDep]
        served = [name for name in signature.parameters if hints.get(name) == ServicesDep]
        parameters = [
            p.replace(annotation=SecretDep if p.name in taken else hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
            if p.name not in served
        ]
        own = [p.name for p in parameters if p.annotation is Request]
        if not own:
            parameters.append(inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request))
        shown = signature.replace(
            parameters=parameters, return_annotation=hints.get("return", signature.return_annotation)
        )
        return cls(function, taken, served, own[0] if own else None), shown

    def request(self, values: dict[str, Any]) -> Request:
        """The request among the values FastAPI passed (the one added taken out of them)."""
        found: Request = values[self.own_request] if self.own_request else values.pop(_REQUEST)
        return found

    def serve(self, arguments: dict[str, Any], request: Request) -> dict[str, Any]:
        """``arguments`` with the app's services handed to the handler's parameters for them."""
        for name in self.served:
            arguments[name] = request.app.state.services
        return arguments


def _endpoint(
    endpoint: Callable[..., Any], handler: _Handler, signature: inspect.Signature
) -> Callable[..., Any]:
    """``endpoint``, named and documented as the handler, with the signature FastAPI is to read."""
    functools.update_wrapper(endpoint, handler.function, updated=())
    del endpoint.__wrapped__  # type: ignore[attr-defined]  # FastAPI reads the signature below
    endpoint.__signature__ = signature  # type: ignore[attr-defined]
    return endpoint


def one_hop(function: Callable[..., Any], *, quick: bool = False) -> Callable[..., Any]:
    """``function``, a synchronous handler, as a coroutine handler with the same parameters, each
    :data:`ActorDep` among them taken as the bearer token (:data:`SecretDep`), that checks the token
    and calls ``function`` with its actor in one worker thread (:class:`_Handler`: the services
    are handed in).

    A request is still refused for a missing or unknown token before anything else about it is
    reported: the problem handlers check the token first (:func:`unsigned_refusal`).

    ``quick``: where the database is in this process, the handler runs on the event loop
    (:func:`on_event_loop`) instead, a request that may write once it holds the writers' turn
    (waited for without stalling the loop: :func:`writers_turn`).
    """
    handler, signature = _Handler.of(function)

    async def endpoint(**values: Any) -> Any:
        request = handler.request(values)

        def run() -> Any:
            # as sent: a run moved to a worker thread starts again
            arguments = handler.serve(dict(values), request)
            if handler.actors:
                users = request.app.state.services.users
                for name in handler.actors:
                    arguments[name] = users.authenticate(values[name])
                request.state.signed_in = True
            return function(**arguments)

        db = request.app.state.services.db
        if quick and db.in_process:
            writes = request.method not in ("GET", "HEAD")
            try:
                async with writers_turn(db) if writes else contextlib.nullcontext():
                    return on_event_loop(request.app.state.services, run)
            except TO_A_THREAD:
                pass  # nothing was written: run it on a worker thread
        return await handler_threads.of(request.app.state.services).run(run)

    return _endpoint(endpoint, handler, signature)


def _services_handed_in(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, a coroutine handler, with the app's services handed in (:class:`_Handler`),
    as :func:`one_hop` does for a synchronous one."""
    handler, signature = _Handler.of(function, actors=False)
    if not handler.served:
        return function

    async def endpoint(**values: Any) -> Any:
        request = handler.request(values)
        return await function(**handler.serve(values, request))

    return _endpoint(endpoint, handler, signature)


WRITERS_POLL = 0.0005
"""Seconds between tries for this process's writers' lock, held by one of its worker threads."""


@contextlib.asynccontextmanager
async def writers_turn(db: Database) -> AsyncIterator[None]:
    """The writers' turn of ``db`` (:class:`accord.store.Writers`) for a write answered on the
    event loop: this process's lock (tried every :data:`WRITERS_POLL` seconds while a worker
    thread holds it: the loop goes on answering others), then the lock the processes share. The
    turn is taken and given back with no wait on the loop between (the write runs synchronously
    in between), so two writes of the loop never hold it at once.

    That last one is waited for on the loop: another process's write of a record holds it for a
    few milliseconds, and the kernel wakes the waiter as it is released. (Waited for on another
    thread, the loop came back to it only after answering everything else ready, tens of
    milliseconds under load, while the other process waited in turn; tried again and again, it
    took the processor from the process that held it.) While another process writes at length
    (an import of a big case), this process's loop waits as long, once a write comes to it.
    """
    writers = db.writers
    if writers is None:
        yield
        return
    while not writers.try_hold():
        await asyncio.sleep(WRITERS_POLL)
    try:
        yield
    finally:
        writers.release()


def needs_sign_in(route: APIRoute) -> bool:
    """Whether ``route`` takes a bearer token (:data:`ActorDep` or :data:`SecretDep`)."""
    found: bool | None = getattr(route, "accord_needs_sign_in", None)
    if found is None:
        pending, found = [route.dependant], False
        while pending and not found:
            dependant = pending.pop()
            found = dependant.call in (actor, bearer_secret)
            pending += dependant.dependencies
        route.accord_needs_sign_in = found  # type: ignore[attr-defined]
    return found


def unsigned_refusal(request: Request) -> Unauthenticated | None:
    """Why a request to a route that takes a token is refused for its token, where it was not
    checked yet (the request was refused before its handler ran, for its body or its
    parameters); ``None`` when the token is good, was checked, or the route takes none, and for
    a request refused for its text (:func:`accord.api.checks.checked_request`: that refusal comes
    before anyone is identified, so such values never reach the database)."""
    route, state = request.scope.get("route"), request.state
    checked = getattr(state, "signed_in", False) or getattr(state, "refused_before_sign_in", False)
    if checked or not isinstance(route, APIRoute) or not needs_sign_in(route):
        return None
    scheme, secret = get_authorization_scheme_param(request.headers.get("Authorization"))
    try:
        services: Services = request.app.state.services
        services.users.authenticate(_token(HTTPAuthorizationCredentials(scheme=scheme, credentials=secret)))
    except Unauthenticated as error:
        return error
    return None
