"""The FastAPI application: routes, problem responses, the body size limit, the OpenAPI document."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import accord
from accord.api import cases, ingest, items, private, records, simulations, users, views
from accord.api import threads as handler_threads
from accord.api.checks import checked_request
from accord.api.deps import ACCESS
from accord.api.problems import (
    MEDIA_TYPE,
    Problem,
    case_invalid,
    http_error,
    problem,
    service_error,
    validation_error,
)
from accord.model import CaseInvalid, request_limits
from accord.services import ServiceError, Services
from accord.services.simulation_jobs import SimulationJobs
from accord.store import Database

RULE = (
    "Every value follows one rule (docs/reference/case-files.md, 'Text, numbers and dates'): text "
    "holds no NUL or other control character (tab and line breaks only in long texts), no unpaired "
    "surrogate and no noncharacter; ids are at most 80 characters, names 200, titles 500, long texts "
    "20,000, links 2,000 and http(s) only; numbers are finite; dates run from 1900-01-01 to "
    "2100-12-31. Path and query values (one line, at most 2,000 characters) and every key and string "
    "of a JSON body are checked before anything else, and a JSON object may not repeat a key; each "
    "refusal is a 422 naming the field."
)
DEFAULT_MAX_BODY = request_limits.REQUEST_BODY_BYTES
DEFAULT_THREADS = 2
"""Worker threads for handlers. They take turns at the one interpreter, so more threads add
contention, not throughput: on PostgreSQL each round trip's answer waits for a turn, and with 2
server processes under bench/bench_server.py's write-heavy mix, 2 threads each answered it with a
p99 of 104–132 ms against 131–169 ms with 4, in five pairs of runs taken in turn. Two keep one
slow request (the first read of a case after a write) from holding up the rest. A PostgreSQL
server across a network, whose round trips are longer, may want more."""
ERROR_STATUSES = {
    "400": "Malformed request (e.g. JSON that does not parse)",
    "401": "Not signed in",
    "403": "Signed in, but not allowed",
    "404": "No such thing (or no role in its case)",
    "409": "Conflict: a stale version, a taken id, a record already corrected",
    "413": "Request body too large",
    "422": "Invalid request: the fields at fault are in 'errors' (a value outside the text, number or "
    "date rule, in the body, the path or the query, and a JSON key repeated in one object, included)",
    "428": "An update without If-Match",
    "429": "Too many failed sign-ins, or simulations queued or running",
}


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not they state their length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await self._refuse(scope, receive, send)
                return
        if not any(name == b"content-length" for name, _ in scope.get("headers", [])):
            # A body without a stated length (chunked) is read here first, up to the limit.
            body, more = b"", True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    break
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.limit:
                    await self._refuse(scope, receive, send)
                    return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"the request body is larger than {self.limit} bytes"
        response = problem(413, "Content too large", detail)
        await response(scope, receive, send)


SWITCH_INTERVAL = 0.0005
"""Seconds a thread runs Python before another waiting thread gets the interpreter (a server's
handler threads; Python's default is 0.005)."""


def create_app(
    services: Services | None = None,
    *,
    database_url: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    threads: int | None = None,
) -> FastAPI:
    """The API over ``services`` (or over a database at ``database_url``, which must be migrated),
    running its handlers on ``threads`` worker threads (default :data:`DEFAULT_THREADS`; at most
    the database's pool size).

    Examples
    --------
    >>> from accord.store import Database
    >>> db = Database("sqlite://")
    >>> _ = db.upgrade()
    >>> app = create_app(Services(db))
    >>> "/cases/{case_id}/proposals" in app.openapi()["paths"]
    True
    """
    if services is None:
        db = Database(database_url)
        db.check_migrated()
        services = Services(db)

    # Handlers run in worker threads (accord.api.threads), each holding a database connection
    # while it works: no more threads than pooled connections, or connections beyond the pool are
    # opened and closed per request (and threads contend for the interpreter to no gain).
    size = min(threads or DEFAULT_THREADS, services.db.pool_size)

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        # The same limit for what FastAPI runs on AnyIO's threads (a synchronous dependency).
        anyio.to_thread.current_default_thread_limiter().total_tokens = size
        services.cache.keep_out_of_gc()
        # A handler thread whose database call returns waits for the interpreter until the
        # thread holding it lets go, by default after 5 ms; a request makes several calls, so
        # each waited for a slice of every busy thread's work. A shorter slice (0.5 ms) keeps
        # reads quick while others build views; sys.getswitchinterval() is the process's own.
        sys.setswitchinterval(SWITCH_INTERVAL)
        yield
        application.state.simulations.shutdown()  # queued simulations are dropped with the server

    app = FastAPI(
        lifespan=lifespan,
        title="Accord",
        version=accord.__version__ if hasattr(accord, "__version__") else "0.1.0",
        summary="Negotiation support: the record, where it stands, where it could land.",
        description=RULE,
        # The interactive pages load their JavaScript from a CDN; nothing here reaches the network.
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    handler_threads.use(services, handler_threads.HandlerThreads(size))
    app.state.max_body = max_body
    app.state.simulations = SimulationJobs(services)
    # Requests are matched against the routers in turn: the busiest (the ledger views) go first.
    routers = (views, users, cases, items, records, private, simulations, ingest)
    for router in (module.router for module in routers):
        # Path and query values and JSON bodies are checked by the text rule before anything else.
        app.include_router(router, dependencies=[Depends(checked_request)])
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(CaseInvalid, case_invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_middleware(BodyLimit, limit=max_body)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with every error response as a problem detail."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for name, schema in (
        Problem.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs", {}).items()
    ):
        schemas[name] = schema
    schemas["Problem"] = {
        k: v
        for k, v in Problem.model_json_schema(ref_template="#/components/schemas/{model}").items()
        if k != "$defs"
    }
    reference = {"$ref": "#/components/schemas/Problem"}
    for path in document["paths"].values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses[status] = {
                    "description": description,
                    "content": {MEDIA_TYPE: {"schema": reference}},
                }
    app.openapi_schema = document
    return document


def route_rules(app: FastAPI) -> dict[tuple[str, str], str | None]:
    """``(method, path) -> access rule`` for every API route (``None``: a route with no rule)."""
    result: dict[tuple[str, str], str | None] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path is not None:
            rule = (route.openapi_extra or {}).get(ACCESS)
            for method in sorted(context.methods or ()):
                result[(method, context.path)] = rule
    return result


def openapi_text() -> str:
    """The OpenAPI document as checked into ``docs/reference/openapi.json`` (``python -m accord.api``)."""
    import json

    db = Database("sqlite://")
    db.upgrade()
    try:
        return json.dumps(create_app(Services(db)).openapi(), indent=2, sort_keys=True) + "\n"
    finally:
        db.dispose()
