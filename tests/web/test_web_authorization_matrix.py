"""The dashboard's authorization matrix, generated from the app's route table like the API's
(tests/api/test_authorization_matrix.py): every dashboard route x every role x the objects it
applies to is requested over HTTP, signed in through the session cookie, and must be allowed or
refused exactly as the table below says.

Allowed: a page, a redirect onwards, or a form shown again with its problems (422: access was
granted, the input was not good). Refused: signed out, a redirect to the sign-in page (or 403 for
a form without a session, 401 for a live page's event stream); signed in, 403, or 404 outside the
case. A dashboard route without a request here, or under a rule the table does not know, fails
the test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.api import create_app, route_rules
from accord.model import Proposal
from accord.model.event import Request as RequestEvent
from accord.services import Services
from accord.services.simulation_jobs import SimulationRequest
from accord.web import PREFIX, mount
from server_support import World, preferences

ROLES = ("anonymous", "outsider", "observer", "mediator", "admin", "server_admin", "wga", "amptp", "netflix")
EVERYONE = set(ROLES)
IN_CASE = EVERYONE - {"anonymous", "outsider"}
PASSWORD = "correct horse battery"
ARTICLE = "Talks\n\nThe WGA said on Friday that the AMPTP has not responded to its proposal."

# (rule, object) -> the roles allowed. "public": the record; "private": the union's unpublished
# draft; "shared": the union's preferences, shared with the mediators; "member's own": a coalition
# member's model, shared with no one (not even its coalition); "mediator's": a simulation the
# mediator started.
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("public", "public"): EVERYONE,
    ("signed-in", "public"): EVERYONE - {"anonymous"},
    ("case.read", "public"): IN_CASE,
    ("case.read", "private"): {"wga"},
    ("case.read", "mediator's"): {"mediator"},
    ("record.write", "public"): {"admin", "server_admin", "mediator", "wga"},
    ("record.write", "private"): {"wga"},
    # A union's response to a request made to the studios: only the keepers of the record may.
    ("record.write", "another party's"): {"admin", "server_admin", "mediator"},
    ("private.read", "shared"): {"wga", "mediator"},
    ("private.read", "member's own"): {"netflix"},
}


@dataclass
class Request:
    method: str
    path: str  # below the dashboard's prefix
    form: dict[str, Any] | None = None  # a POST's fields (its CSRF token is added)
    signed_in: bool = True  # False: sent without the role's session (e.g. signing in)


@dataclass
class Context:
    world: World
    job_id: str
    counter: itertools.count = field(default_factory=itertools.count)

    @property
    def case(self) -> str:
        return f"/cases/{self.world.case_id}"

    def fresh(self, prefix: str) -> str:
        return f"{prefix}-{next(self.counter)}"


Builder = Callable[[Context, str], Request]


def _proposal(ctx: Context, status: str) -> dict[str, Any]:
    fields = {"date": "2023-06-01", "from": "wga", "to": "amptp", "pos.pay": "6", "status": status}
    # A draft gets the form's own id, in its party's namespace.
    return fields if status == "draft" else {"id": ctx.fresh("wx"), **fields}


def _username(ctx: Context, role: str) -> str:
    return getattr(ctx.world, "observer" if role == "anonymous" else role).username


REQUESTS: dict[tuple[str, str], dict[str, Builder]] = {
    ("GET", "/"): {"public": lambda c, r: Request("GET", "/")},
    ("GET", "/sign-in"): {"public": lambda c, r: Request("GET", "/sign-in")},
    ("POST", "/sign-in"): {
        "public": lambda c, r: Request(
            "POST", "/sign-in", {"username": _username(c, r), "password": PASSWORD}, signed_in=False
        )
    },
    ("POST", "/sign-out"): {"public": lambda c, r: Request("POST", "/sign-out", {})},
    ("GET", "/cases"): {"public": lambda c, r: Request("GET", "/cases")},
    ("GET", "/static/plotly.min.js"): {"public": lambda c, r: Request("GET", "/static/plotly.min.js")},
    ("GET", "/static/{name}"): {"public": lambda c, r: Request("GET", "/static/style.css")},
    ("GET", "/cases/{case_id}"): {"public": lambda c, r: Request("GET", f"{c.case}?as_of=2023-06-01")},
    ("GET", "/cases/{case_id}/timeline"): {"public": lambda c, r: Request("GET", f"{c.case}/timeline")},
    # A client that does not ask for text/event-stream (this one) gets one round of the stream.
    ("GET", "/cases/{case_id}/live/{view}"): {
        "public": lambda c, r: Request("GET", f"{c.case}/live/overview")
    },
    ("GET", "/cases/{case_id}/proposals/{proposal_id}"): {
        "public": lambda c, r: Request("GET", f"{c.case}/proposals/p1"),
        "private": lambda c, r: Request("GET", f"{c.case}/proposals/draft.wga.secret"),
    },
    ("GET", "/cases/{case_id}/analysis"): {"public": lambda c, r: Request("GET", f"{c.case}/analysis")},
    ("GET", "/cases/{case_id}/analysis/{party}"): {
        "shared": lambda c, r: Request("GET", f"{c.case}/analysis/wga"),
        "member's own": lambda c, r: Request("GET", f"{c.case}/analysis/netflix"),
    },
    ("GET", "/cases/{case_id}/record/{what}"): {
        "public": lambda c, r: Request("GET", f"{c.case}/record/proposal")
    },
    ("POST", "/cases/{case_id}/record/{what}"): {
        "public": lambda c, r: Request("POST", f"{c.case}/record/proposal", _proposal(c, "tabled")),
        "private": lambda c, r: Request("POST", f"{c.case}/record/proposal", _proposal(c, "draft")),
        "another party's": lambda c, r: Request(
            "POST",
            f"{c.case}/record/response",
            {"date": "2023-06-01", "from": "wga", "to": "netflix", "responds_to": "rq-studios"},
        ),
    },
    ("GET", "/cases/{case_id}/ingest"): {"public": lambda c, r: Request("GET", f"{c.case}/ingest")},
    ("POST", "/cases/{case_id}/ingest"): {
        "public": lambda c, r: Request(
            "POST", f"{c.case}/ingest", {"text": ARTICLE, "published": "2023-06-03"}
        )
    },
    ("POST", "/cases/{case_id}/ingest/apply"): {
        "public": lambda c, r: Request(
            "POST", f"{c.case}/ingest/apply", {"text": ARTICLE, "published": "2023-06-03", "d1.accept": "yes"}
        )
    },
    ("GET", "/cases/{case_id}/simulation"): {"public": lambda c, r: Request("GET", f"{c.case}/simulation")},
    ("POST", "/cases/{case_id}/simulation"): {
        "public": lambda c, r: Request(
            "POST",
            f"{c.case}/simulation",
            {
                "kind": "replay",
                "as_of": "2023-06-01",
                "strategy_a": "boulware",
                "strategy_b": "boulware",
                "n_rounds": "10",
                "seed": "0",
            },
        )
    },
    ("GET", "/cases/{case_id}/simulation/{job_id}"): {
        "mediator's": lambda c, r: Request("GET", f"{c.case}/simulation/{c.job_id}")
    },
    ("GET", "/cases/{case_id}/simulation/{job_id}/progress"): {
        "mediator's": lambda c, r: Request("GET", f"{c.case}/simulation/{c.job_id}/progress")
    },
}


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


def _dashboard_rules(app: FastAPI) -> dict[tuple[str, str], str | None]:
    return {
        (method, path.removeprefix(PREFIX) or "/"): rule
        for (method, path), rule in route_rules(app).items()
        if path.startswith(f"{PREFIX}/")
    }


def _set_up(services: Services, app: FastAPI, world: World) -> Context:
    case = world.case_id
    for party in ("wga", "amptp", "netflix"):
        actor = getattr(world, party)
        services.private.put_preferences(actor, case, party, preferences(party), expected_version=None)
        if party != "netflix":
            services.private.set_shares(actor, case, party, {("preferences", "mediators")})
    draft = {"id": "draft.wga.secret", "date": "2023-06-01", "from": "wga", "to": "amptp", "status": "draft"}
    services.records.add(world.wga, case, Proposal.model_validate(draft))
    asked = {"id": "rq-studios", "date": "2023-05-20", "kind": "request", "from": "netflix", "to": "amptp"}
    services.records.add(world.admin, case, RequestEvent.model_validate(asked))
    request = SimulationRequest("replay", dt.date(2023, 6, 1), ("boulware", "boulware"), n_rounds=10)
    job = app.state.dashboard_jobs.start(world.mediator, case, request)
    return Context(world, job.id)


def _client(app: FastAPI, services: Services, ctx: Context, role: str, request: Request) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    if role != "anonymous" and request.signed_in:
        issued = services.users.login(_username(ctx, role), PASSWORD, client="matrix")
        client.cookies.set("accord_session", issued.secret)
    return client


def _send(client: TestClient, request: Request) -> Any:
    url = PREFIX + request.path
    if request.method == "GET":
        return client.get(url)
    page = client.get(f"{PREFIX}/sign-in")  # any page carries the CSRF token of this browser
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    return client.post(url, data={"csrf_token": token.group(1), **(request.form or {})})


def _allowed(response: Any) -> bool:
    sent_to_sign_in = response.status_code == 303 and "/sign-in?next=" in response.headers.get("location", "")
    return (response.status_code < 400 or response.status_code == 422) and not sent_to_sign_in


def _refused(response: Any, role: str) -> bool:
    if role == "anonymous":
        location = response.headers.get("location", "")
        return (response.status_code == 303 and "/sign-in?next=" in location) or response.status_code in (
            401,
            403,
        )
    return response.status_code in (403, 404)


def test_every_dashboard_route_has_a_request_and_a_rule(app: FastAPI) -> None:
    rules = _dashboard_rules(app)
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
    ctx = _set_up(services, app, world)
    rules = _dashboard_rules(app)
    wrong = []
    for route, objects in sorted(REQUESTS.items()):
        for obj, build in objects.items():
            allowed_roles = EXPECTED[(rules[route], obj)]
            for role in ROLES:
                request = build(ctx, role)
                response = _send(_client(app, services, ctx, role, request), request)
                ok = _allowed(response) if role in allowed_roles else _refused(response, role)
                if not ok:
                    expected = "allow" if role in allowed_roles else "refuse"
                    wrong.append(f"{route} {obj} as {role}: expected {expected}, got {response.status_code}")
    assert wrong == []
