"""The dashboard: server-rendered pages over the services, mounted on the API's FastAPI app.

>>> from fastapi import FastAPI
>>> from accord.services import Services
>>> from accord.store import Database
>>> app = FastAPI()
>>> mount(app, Services(Database("sqlite://")))
>>> from accord.web.render import dashboard_path
>>> dashboard_path(app, "timeline", case_id="wga-amptp-2023")
'/dashboard/cases/wga-amptp-2023/timeline'
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.services import Services
from accord.services.access import route_rule
from accord.services.simulation_jobs import SimulationJobs
from accord.web.assets import router as assets_router
from accord.web.ingest import router as ingest_router
from accord.web.live import LiveHub, LiveSettings, attach
from accord.web.live import router as live_router
from accord.web.preferences import router as preferences_router
from accord.web.record import router as record_router
from accord.web.routes import router as pages_router
from accord.web.routing import error_page
from accord.web.simulate import router as simulate_router

PREFIX = "/dashboard"


def mount(
    app: FastAPI, services: Services, *, prefix: str = PREFIX, live: LiveSettings | None = None
) -> None:
    """Add the dashboard's pages (under ``prefix``) and its static files to ``app``.

    ``services`` is what every page calls; it is kept on ``app.state.dashboard_services``, and
    the background simulations on ``app.state.dashboard_jobs``: the REST API's own
    (``app.state.simulations``, one thread pool, shut down with the server) when the dashboard is
    mounted on the API over the same services; the live pages' hub (:mod:`accord.web.live`, with
    the timings and limits of ``live``) on ``app.state.dashboard_live``. Every route names the
    access rule it is under (:data:`accord.services.access.ROUTE_RULES`), as the API's routes do.
    """
    app.state.dashboard_services = services
    api_jobs = getattr(app.state, "simulations", None)
    shared = isinstance(api_jobs, SimulationJobs) and api_jobs.services is services
    app.state.dashboard_jobs = api_jobs if shared else SimulationJobs(services)
    attach(app, LiveHub(services, live))
    app.state.dashboard_routers = (
        assets_router,
        pages_router,
        record_router,
        simulate_router,
        ingest_router,
        preferences_router,
        live_router,
    )
    app.state.dashboard_prefix = prefix
    for router in app.state.dashboard_routers:
        app.include_router(router, prefix=prefix)
    app.add_exception_handler(StarletteHTTPException, _error_pages(prefix, app.exception_handlers))
    if not any(getattr(route, "path", None) == "/" for route in app.routes):
        app.add_api_route(
            "/",
            lambda: RedirectResponse(f"{prefix}/", status_code=307),
            include_in_schema=False,
            openapi_extra=route_rule("public"),
        )


def _error_pages(
    prefix: str, handlers: dict[Any, Any]
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """An HTTP error (no such page, a method a page does not take) at an address of the dashboard
    answered with the error page; anywhere else, as the app answered it before (the API: a problem
    document)."""
    before = handlers.get(StarletteHTTPException, http_exception_handler)

    async def answer(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        path = request.url.path
        if path == prefix or path.startswith(f"{prefix}/"):
            detail = error.detail if isinstance(error.detail, str) else "the request was refused"
            title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Request refused")
            return error_page(request, error.status_code, title, detail)
        result = before(request, error)
        answered: Response = await result if inspect.isawaitable(result) else result
        return answered

    return answer


__all__ = ["PREFIX", "mount"]
