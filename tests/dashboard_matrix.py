"""The dashboard's authorization matrix, like the API's (tests/api_matrix.py): for every dashboard
route of the app's route table, a valid request for each object it applies to, and the roles
allowed to make it. tests/web/test_web_authorization_matrix.py requests every route x role x
object, signed in through the session cookie; tests/api/test_hostile_suite.py starts from the same
requests, made hostile.

Allowed: a page, a redirect onwards, or a form shown again with its problems (422: access was
granted, the input was not good). Refused: signed out, a redirect to the sign-in page (or 403 for
a form without a session); signed in, 403, or 404 outside the case.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from accord.api import route_rules
from accord.services import Services
from accord.web import PREFIX
from accord.web.session import SESSION_COOKIE
from server_support import World

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
    ("private.write", "private"): {"wga"},
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


_NEWS_WEEKS = itertools.count()


def _news_day(ctx: Context) -> str:
    """A publication date a week after the last one used in this process (contexts come and go
    over one case), away from the API seed's (2023-06-03): the same article applied within days
    restates its first statement, which the review refuses, and a seed must be let in every time."""
    return (dt.date(2024, 1, 5) + dt.timedelta(days=7 * next(_NEWS_WEEKS))).isoformat()


def ratings_form() -> dict[str, str]:
    """The dashboard's form of ratings for the sample case, every package rated (pay counts most)."""
    from accord.prefs.rating_design import cell, packages_to_rate
    from server_support import sample_case

    issues = sample_case().issues
    fields = {"issues": ",".join(issue.id for issue in issues)}  # the case may have gained issues since
    for number, package in enumerate(packages_to_rate(issues), start=1):
        for issue in issues:
            fields[f"p-{number}-{issue.id}"] = cell(issue, package[issue.id])
        staffing = {"none": 0, "some": 15, "full": 30}[str(package["staffing"])]
        fields[f"rating-{number}"] = str(5 * float(package["pay"]) + staffing + 10 * len(package["ai"]))
    return fields


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
            "POST", f"{c.case}/ingest/apply", {"text": ARTICLE, "published": _news_day(c), "d1.accept": "yes"}
        )
    },
    ("GET", "/cases/{case_id}/preferences/{party}/fit"): {
        "private": lambda c, r: Request("GET", f"{c.case}/preferences/wga/fit")
    },
    ("POST", "/cases/{case_id}/preferences/{party}/fit"): {
        "private": lambda c, r: Request("POST", f"{c.case}/preferences/wga/fit", ratings_form())
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


def dashboard_rules(app: FastAPI) -> dict[tuple[str, str], str | None]:
    """``(method, path below the prefix) -> access rule`` of every dashboard route."""
    return {
        (method, path.removeprefix(PREFIX) or "/"): rule
        for (method, path), rule in route_rules(app).items()
        if path.startswith(f"{PREFIX}/")
    }


def session_of(services: Services, ctx: Context, role: str, request: Request) -> str | None:
    """A session secret for ``role`` (``None``: anonymous, or a request sent signed out), made
    directly: a test that signs in with wrong passwords may have locked the role's sign-in."""
    if role == "anonymous" or not request.signed_in:
        return None
    return services.users.create_token(None, _username(ctx, role), "session").secret


def send(client: httpx.Client, request: Request, session: str | None) -> httpx.Response:
    """``request`` from a browser of its own (``client``, holding no cookie yet) signed in with
    ``session``; a form carries the CSRF token the sign-in page gives that browser."""
    if session is not None:
        client.cookies.set(SESSION_COOKIE, session)
    url = PREFIX + request.path
    if request.method == "GET":
        return client.get(url)
    page = client.get(f"{PREFIX}/sign-in")  # any page carries the CSRF token of this browser
    return client.post(url, data={"csrf_token": csrf(page.text), **(request.form or {})})


def csrf(html: str) -> str:
    """The CSRF token of a page's forms."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token, "no CSRF token on the page"
    return token.group(1)


def answers_as_expected(role: str, allowed_roles: set[str], response: httpx.Response) -> bool:
    """Whether ``response`` is the matrix's answer to ``role``: allowed, a page, a redirect
    onwards or a form shown again (422); refused, a redirect to sign in (or 403 for a form)
    when signed out, else 403 (or 404 outside the case)."""
    location = response.headers.get("location", "")
    sent_to_sign_in = response.status_code == 303 and "/sign-in?next=" in location
    if role in allowed_roles:
        return (response.status_code < 400 or response.status_code == 422) and not sent_to_sign_in
    if role == "anonymous":
        return sent_to_sign_in or response.status_code in (401, 403)  # 401: a live page's stream
    return response.status_code in (403, 404)
