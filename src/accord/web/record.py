"""The record forms: a proposal, a response, an event, a tentative agreement.

GET shows the form; POST parses it (:mod:`accord.web.forms`), calls
:meth:`accord.services.RecordService.add`, and either goes to the case overview as of the new
record's date or shows the form again with every problem next to its field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.model import Proposal
from accord.model import Request as RequestEvent
from accord.services import FieldProblem, Invalid, NotFound, ServiceError
from accord.services.access import route_rule
from accord.services.cases import CaseSummary
from accord.web import session
from accord.web.forms import (
    EVENT_KINDS,
    FormData,
    FormErrors,
    parse_agreement,
    parse_event,
    parse_proposal,
    parse_response,
)
from accord.web.pages.common import party_names
from accord.web.render import page_url, render
from accord.web.routes import Form
from accord.web.routing import DashboardRoute

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)
FORMS = {
    "proposal": "Record a proposal",
    "response": "Record a response",
    "event": "Record an event",
    "agreement": "Record a tentative agreement",
}


@router.get("/cases/{case_id}/record/{what}", name="record", openapi_extra=route_rule("case.read"))
def record_form(request: Request, case_id: str, what: str, kind: str = "statement") -> HTMLResponse:
    actor = session.require_actor(request)
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    case = services.cases.view(actor, case_id)
    _check_form(what, kind)
    defaults = FormData(
        [
            ("date", case.default_as_of().isoformat()),
            ("from", summary.party or ""),
            ("party", summary.party or ""),
        ]
    )
    return _form(request, actor, summary, case, what, kind, defaults, FormErrors(), 200)


@router.post("/cases/{case_id}/record/{what}", name="record_submit", openapi_extra=route_rule("record.write"))
def record_submit(request: Request, case_id: str, what: str, form: Form, kind: str = "statement") -> Response:
    actor = session.require_actor(request)
    session.check_csrf(request, form.one(session.CSRF_FIELD))
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    case = services.cases.view(actor, case_id)
    _check_form(what, kind)
    try:
        if what == "proposal":
            record: Any = parse_proposal(case, form)
        elif what == "response":
            record = parse_response(form)
        elif what == "agreement":
            record = parse_agreement(case, form)
        else:
            record = parse_event(kind, form)
        services.records.add(actor, case_id, record)
    except ServiceError as error:
        errors = FormErrors.of(error.problems or [FieldProblem("", error.detail)])
        return _form(request, actor, summary, case, what, kind, form, errors, error.status)
    target = page_url(
        request, "overview", {"as_of": record.date.isoformat(), "recorded": record.id}, case_id=case_id
    )
    return RedirectResponse(target, status_code=303)


def _check_form(what: str, kind: str) -> None:
    if what not in FORMS:
        raise NotFound(f"no form {what!r}; expected one of {sorted(FORMS)}")
    if what == "event" and kind not in EVENT_KINDS:
        raise Invalid([FieldProblem("kind", f"expected one of {sorted(EVENT_KINDS)}, got {kind!r}")])


def _form(
    request: Request,
    actor: Any,
    summary: CaseSummary,
    case: Any,
    what: str,
    kind: str,
    values: FormData,
    errors: FormErrors,
    status: int,
) -> HTMLResponse:
    proposals = [p for p in case.proposals if isinstance(p, Proposal)]
    requests = [e for e in case.events if isinstance(e, RequestEvent)]
    context = {
        "actor": actor,
        "summary": summary,
        "case": case,
        "tab": "record",
        "what": what,
        "kind": kind,
        "title": FORMS[what] if what != "event" else f"Record an event: {EVENT_KINDS[kind].lower()}",
        "forms": FORMS,
        "event_kinds": EVENT_KINDS,
        "names": party_names(case),
        "proposals": proposals,
        "requests": requests,
        "statements": [e for e in case.events if e.kind == "statement"],
        "stoppages": sorted({e.stoppage for e in case.events if e.kind == "stoppage_started"}),
        "values": values,
        "errors": errors,
    }
    return render(request, "record.html", context, status_code=status)
