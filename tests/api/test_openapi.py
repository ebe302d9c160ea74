"""The OpenAPI document: served, checked in, and every route under an access rule."""

from pathlib import Path

from accord.api import route_rules
from accord.api.app import openapi_text
from accord.api.deps import RULES

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "reference" / "openapi.json"


def test_the_checked_in_document_is_current():
    assert CHECKED_IN.read_text(encoding="utf-8") == openapi_text(), (
        "docs/reference/openapi.json is out of date: run `python -m accord.api > docs/reference/openapi.json`"
    )


def test_the_document_is_served(client):
    served = client.get("/openapi.json")
    assert served.status_code == 200
    assert set(served.json()["paths"]) == set(client.app.openapi()["paths"])


def test_every_route_names_a_known_access_rule(client):
    rules = route_rules(client.app)
    assert rules, "no routes found"
    assert {route: rule for route, rule in rules.items() if rule not in RULES} == {}


def test_every_error_is_documented_as_a_problem(client):
    for path, operations in client.app.openapi()["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"]["422"]["content"]
            assert list(content) == ["application/problem+json"], (method, path)


def test_api_route_names_leave_the_dashboards_free(client):
    # The dashboard mounted on the same app finds its pages by name (url_for): no API route may
    # take a name the dashboard uses.
    from fastapi import FastAPI
    from fastapi.routing import iter_route_contexts

    from accord.web import mount

    dashboard = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    mount(dashboard, client.app.state.services)
    api_names = {c.name for c in iter_route_contexts(client.app.routes)}
    page_names = {c.name for c in iter_route_contexts(dashboard.routes)}
    assert api_names & page_names == set()
