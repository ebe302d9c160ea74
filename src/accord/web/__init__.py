"""The dashboard: server-rendered pages over the services, mounted on the API's FastAPI app.

>>> from fastapi import FastAPI
from fastapi.responses import RedirectResponse
>>> from accord.services import Services
from accord.services.simulation_jobs import SimulationJobs
>>> from accord.store import Database
>>> app = FastAPI()
>>> mount(app, Services(Database("sqlite://")))
>>> app.url_path_for("overview", case_id="wga-amptp-2023")
'/dashboard/cases/wga-amptp-2023'
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from accord.services import Services
from accord.services.simulation_jobs import SimulationJobs
from accord.web.assets import router as assets_router
from accord.web.record import router as record_router
from accord.web.routes import router as pages_router
from accord.web.simulate import router as simulate_router

PREFIX = "/dashboard"


def mount(app: FastAPI, services: Services, *, prefix: str = PREFIX) -> None:
    """Add the dashboard's pages (under ``prefix``) and its static files to ``app``.

    ``services`` is what every page calls; it is kept on ``app.state.dashboard_services``, and
    the background simulations on ``app.state.dashboard_jobs``.
    """
    app.state.dashboard_services = services
    app.state.dashboard_jobs = SimulationJobs(services)
    for router in (assets_router, pages_router, record_router, simulate_router):
        app.include_router(router, prefix=prefix)
    if not any(getattr(route, "path", None) == "/" for route in app.routes):
        app.add_api_route(
            "/", lambda: RedirectResponse(f"{prefix}/", status_code=307), include_in_schema=False
        )


__all__ = ["PREFIX", "mount"]
