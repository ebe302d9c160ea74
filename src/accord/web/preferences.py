"""The page where a member fits its own party's preferences from its ratings of packages: GET
shows the packages to rate, POST fits the ratings and stores the result as the party's private
preferences (:class:`accord.services.preference_fit.PreferenceFitService`), or shows the form
again with each problem next to its row. Only the party's members may open or send it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from accord.services import Actor, FieldProblem, ServiceError
from accord.services.access import route_rule
from accord.services.preference_fit import RatingForm
from accord.web import session
from accord.web.forms import FormData, FormErrors
from accord.web.pages.preference_fit import FitSummary, fit_summary, form_rows, rating_rows
from accord.web.render import render
from accord.web.routes import Form
from accord.web.routing import DashboardRoute

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)
STALE = (
    "someone of your party saved its preferences since this page was opened; nothing was "
    "replaced: open the page again to replace them"
)


@router.get(
    "/cases/{case_id}/preferences/{party}/fit",
    name="preference_fit",
    openapi_extra=route_rule("private.write"),
)
def preference_fit_form(request: Request, case_id: str, party: str) -> HTMLResponse:
    actor = session.require_actor(request)
    form = session.services_of(request).preference_fit.form(actor, case_id, party)
    return _page(request, actor, party, form, FormData([]), FormErrors(), None, 200)


@router.post(
    "/cases/{case_id}/preferences/{party}/fit",
    name="preference_fit_submit",
    openapi_extra=route_rule("private.write"),
)
def preference_fit_submit(request: Request, case_id: str, party: str, form: Form) -> HTMLResponse:
    actor = session.require_actor(request)
    session.check_csrf(request, form.one(session.CSRF_FIELD))
    service = session.services_of(request).preference_fit
    rating_form = service.form(actor, case_id, party)
    fields = {name: (form.one(name) or "") for name in form}
    shown = form.one("issues")  # the issues the page showed (the case may have gained one since)
    issue_ids = [i.strip() for i in shown.split(",")] if shown is not None else None
    issues = [i for i in rating_form.issues if issue_ids is None or i.id in issue_ids]
    rows = form_rows(issues, len(rating_form.packages), fields)
    sent = form.one("version")  # the version the page showed; none sent: the current one
    version = int(sent) if sent is not None and sent.isdigit() else rating_form.version
    try:
        fitted = service.fit(
            actor, case_id, party, rows, expected_version=version or None, issue_ids=issue_ids
        )
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        detail = STALE if error.status in (409, 428) else error.detail
        errors = FormErrors.of(error.problems or [FieldProblem("ratings", detail)])
        return _page(request, actor, party, rating_form, form, errors, None, error.status)
    summary = fit_summary(issues, fitted.fit, fitted.stored.version)
    updated = RatingForm(rating_form.case, rating_form.issues, rating_form.packages, fitted.stored.version)
    return _page(request, actor, party, updated, form, FormErrors(), summary, 200)


def _page(
    request: Request,
    actor: Actor,
    party: str,
    form: RatingForm,
    values: FormData,
    errors: FormErrors,
    fitted: FitSummary | None,
    status: int,
) -> HTMLResponse:
    services = session.services_of(request)
    context = {
        "actor": actor,
        "summary": services.cases.get(actor, form.case.id),
        "case": form.case,
        "tab": "preferences",
        "party": party,
        "party_name": next(p.label for p in form.case.parties if p.id == party),
        "issues": form.issues,
        "rows": rating_rows(form.issues, form.packages),
        "version": form.version,
        "values": values,
        "errors": errors,
        "fitted": fitted,
    }
    return render(request, "preference_fit.html", context, status_code=status)
