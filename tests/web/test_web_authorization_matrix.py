"""The dashboard's authorization matrix, generated from the app's route table like the API's
(tests/api/test_authorization_matrix.py): every dashboard route x every role x the objects it
applies to is requested over HTTP, signed in through the session cookie, and must be allowed or
refused exactly as tests/dashboard_matrix.py says. A dashboard route without a request there, or
under a rule the table does not know, fails the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.api import create_app, route_rules
from accord.services import Services
from accord.services.simulation_jobs import SimulationRequest
from accord.web import mount
from api_matrix import set_up_world
from dashboard_matrix import (
    EXPECTED,
    REQUESTS,
    ROLES,
    Context,
    answers_as_expected,
    dashboard_rules,
    send,
    session_of,
)
from server_support import World


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The route-to-rule mapping is what is tested here; the rules' decisions on both backends
    are the API matrix's and the services' tests."""
    yield f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'accord.sqlite'}"


@pytest.fixture(scope="module")
def app(services: Services) -> Iterator[FastAPI]:
    application = create_app(services)
    mount(application, services)
    yield application
    application.state.dashboard_jobs.shutdown()


def test_every_dashboard_route_has_a_request_and_a_rule(app: FastAPI) -> None:
    rules = dashboard_rules(app)
    assert set(rules) - set(REQUESTS) == set(), "dashboard routes without a request in the matrix"
    assert set(REQUESTS) - set(rules) == set(), "requests for dashboard routes that no longer exist"
    for route, objects in REQUESTS.items():
        for obj in objects:
            assert (rules[route], obj) in EXPECTED, (
                f"no expectation for {route} under {rules[route]!r} on {obj}"
            )
    assert route_rules(app)[("GET", "/")] == "public"  # the site's root sends people to the dashboard


@pytest.mark.slow
def test_the_dashboard_matrix(app: FastAPI, services: Services, world: World) -> None:
    set_up_world(services, world)
    request = SimulationRequest("replay", dt.date(2023, 6, 1), ("boulware", "boulware"), n_rounds=10)
    ctx = Context(world, app.state.dashboard_jobs.start(world.mediator, world.case_id, request).id)
    rules = dashboard_rules(app)
    wrong = []
    for route, objects in sorted(REQUESTS.items()):
        for obj, build in objects.items():
            allowed_roles = EXPECTED[(rules[route], obj)]
            for role in ROLES:
                request = build(ctx, role)
                client = TestClient(app, follow_redirects=False)
                response = send(client, request, session_of(services, ctx, role, request))
                if not answers_as_expected(role, allowed_roles, response):
                    expected = "allow" if role in allowed_roles else "refuse"
                    wrong.append(f"{route} {obj} as {role}: expected {expected}, got {response.status_code}")
    assert wrong == []
