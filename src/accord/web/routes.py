"""The dashboard's pages: sign in and out, the cases, and each case's overview, timeline, proposals
and analysis. Each handler parses the request, calls a service, builds the page and renders it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.services import Actor, Invalid, NotFound, Unauthenticated
from accord.services.access import route_rule
from accord.web import session
from accord.web.forms import FormData
from accord.web.pages.analysis import analysis_page, weight_rows
from accord.web.pages.common import issue_names, parse_as_of, parse_date, party_names
from accord.web.pages.costing import cost_chart, proposal_cost
from accord.web.pages.overview import overview
from accord.web.pages.proposal import proposal_page
from accord.web.pages.timeline import timeline_page
from accord.web.render import page_url, render
from accord.web.routing import DashboardRoute

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


async def form_data(request: Request) -> FormData:
    """The submitted form, every value of every field."""
    form = await request.form()
    return FormData([(k, v) for k, v in form.multi_items() if isinstance(v, str)])


Form = Annotated[FormData, Depends(form_data)]


def _safe_next(target: str | None, default: str) -> str:
    """Only a path on this site (no ``//host`` or scheme) is a place to go after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@router.get("/", name="home", openapi_extra=route_rule("public"))
def home(request: Request) -> Response:
    target = "cases" if session.current_actor(request) else "sign_in"
    return RedirectResponse(page_url(request, target), status_code=303)


@router.get("/sign-in", name="sign_in", openapi_extra=route_rule("public"))
def sign_in_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "sign_in.html", {"next": next or "", "error": None, "username": ""})


@router.post("/sign-in", name="sign_in_submit", openapi_extra=route_rule("public"))
def sign_in(request: Request, form: Form) -> Response:
    session.check_csrf(request, form.one(session.CSRF_FIELD), signed_in=False)
    username, password = form.one("username") or "", form.one("password") or ""
    client = request.client.host if request.client else "unknown"
    try:
        issued = session.services_of(request).users.login(username, password, client=client)
    except Invalid as error:  # the text rule and the lengths (accord.services.users.login_problems)
        refused = error.problems[0].message if error.problems else error.detail
        context = {"next": form.one("next") or "", "error": f"not a user name and password: {refused}"}
        return render(request, "sign_in.html", {**context, "username": ""}, status_code=422)
    except Unauthenticated as error:
        context = {"next": form.one("next") or "", "error": error.detail, "username": username}
        return render(request, "sign_in.html", context, status_code=401)
    response = RedirectResponse(_safe_next(form.one("next"), page_url(request, "cases")), status_code=303)
    session.start_session(
        response, issued.secret, secure=request.url.scheme == "https", expires=issued.expires_at
    )
    return response


@router.post("/sign-out", name="sign_out", openapi_extra=route_rule("signed-in"))
def sign_out(request: Request, form: Form) -> Response:
    session.check_csrf(request, form.one(session.CSRF_FIELD))
    response = RedirectResponse(page_url(request, "sign_in"), status_code=303)
    session.end_session(request, response)
    return response


@router.get("/cases", name="cases", openapi_extra=route_rule("signed-in"))
def cases(request: Request) -> HTMLResponse:
    actor = session.require_actor(request)
    found = session.services_of(request).cases.page(actor, limit=500)
    return render(request, "cases.html", {"actor": actor, "cases": found.items})


@router.get("/cases/{case_id}", name="overview", openapi_extra=route_rule("case.read"))
def case_overview(request: Request, case_id: str, as_of: str | None = None) -> HTMLResponse:
    actor = session.require_actor(request)
    return render(request, "overview.html", overview_context(request, actor, case_id, as_of))


def overview_context(request: Request, actor: Actor, case_id: str, as_of: str | None) -> dict[str, Any]:
    """What the overview template shows ``actor`` (its live region too: :mod:`accord.web.live`)."""
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    case = services.cases.view(actor, case_id)
    page = overview(case, parse_as_of(as_of, case))
    return {"actor": actor, "summary": summary, "page": page, "tab": "overview"}


@router.get("/cases/{case_id}/timeline", name="timeline", openapi_extra=route_rule("case.read"))
def case_timeline(request: Request, case_id: str, as_of: str | None = None) -> HTMLResponse:
    actor = session.require_actor(request)
    return render(request, "timeline.html", timeline_context(request, actor, case_id, as_of))


def timeline_context(request: Request, actor: Actor, case_id: str, as_of: str | None) -> dict[str, Any]:
    """What the timeline template shows ``actor`` (its live region too: :mod:`accord.web.live`)."""
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    case = services.cases.view(actor, case_id)
    page = timeline_page(
        case,
        parse_as_of(as_of, case),
        lambda pid: page_url(request, "proposal", case_id=case_id, proposal_id=pid),
    )
    costing = services.costing_views.costing(actor, case_id, as_of=page.as_of)
    cost = {
        "cost_chart": cost_chart(
            costing, lambda pid: page_url(request, "proposal", case_id=case_id, proposal_id=pid)
        ),
        "cost_whose": party_names(costing.case).get(costing.party or "", costing.party),
        "cost_note": costing.note,
    }
    return {"actor": actor, "summary": summary, "page": page, "tab": "timeline", **cost}


LIVE_PAGES: dict[str, tuple[str, Callable[[Request, Actor, str, str | None], dict[str, Any]]]] = {
    "overview": ("overview.html", overview_context),
    "timeline": ("timeline.html", timeline_context),
}
"""The pages that update live: their template (whose block ``live`` is the region rebuilt) and
the function that gives the template what it shows the user, for the page and its stream alike."""


@router.get(
    "/cases/{case_id}/proposals/{proposal_id}", name="proposal", openapi_extra=route_rule("case.read")
)
def proposal(request: Request, case_id: str, proposal_id: str) -> HTMLResponse:
    actor = session.require_actor(request)
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    seen = services.analysis_views.analysis(actor, case_id)
    if proposal_id not in {p.id for p in seen.case.proposals}:
        raise NotFound(f"no proposal {proposal_id!r} in case {case_id!r}")
    page = proposal_page(seen.case, proposal_id, seen)
    cost = proposal_cost(services.costing_views.costing(actor, case_id), proposal_id)
    context = {
        "actor": actor,
        "summary": summary,
        "page": page,
        "tab": "timeline",
        "problems": seen.problems,
        "cost": cost,
    }
    return render(request, "proposal.html", context)


@router.get("/cases/{case_id}/analysis", name="analysis", openapi_extra=route_rule("case.read"))
def analysis(request: Request, case_id: str, as_of: str | None = None) -> HTMLResponse:
    actor = session.require_actor(request)
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    seen = services.analysis_views.analysis(actor, case_id, as_of=parse_date(as_of))
    page = analysis_page(seen, _proposal_url(request, case_id))
    return render(
        request, "analysis.html", {"actor": actor, "summary": summary, "page": page, "tab": "analysis"}
    )


@router.get(
    "/cases/{case_id}/analysis/{party}", name="party_analysis", openapi_extra=route_rule("private.read")
)
def party_analysis(request: Request, case_id: str, party: str, as_of: str | None = None) -> HTMLResponse:
    """One party's private analysis: refused (403) to anyone who may not see its preferences."""
    actor = session.require_actor(request)
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    seen = services.analysis_views.of_party(actor, case_id, party, as_of=parse_date(as_of))
    page = analysis_page(seen, _proposal_url(request, case_id))
    model = seen.model(party)
    context = {
        "actor": actor,
        "summary": summary,
        "page": page,
        "tab": "analysis",
        "party": party,
        "item": seen.item,
        "model": model,
        "weights": weight_rows(model, issue_names(seen.case)) if model else [],
    }
    return render(request, "party_analysis.html", context)


def _proposal_url(request: Request, case_id: str) -> Callable[[str], str]:
    return lambda pid: page_url(request, "proposal", case_id=case_id, proposal_id=pid)
