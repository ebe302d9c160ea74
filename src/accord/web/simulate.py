"""The simulation pages: start a replay or a sweep of a case as a background job, watch its
progress, see its trace and predicted settlement."""

from __future__ import annotations

import math
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from accord.model import request_limits
from accord.model.limits import FIRST_DATE, parse_day
from accord.services import Actor, FieldProblem, Forbidden, Invalid, NotFound, PrivateKind, ServiceError
from accord.services.access import route_rule
from accord.services.simulation_jobs import MAX_ROUNDS, SimulationJobs, SimulationRequest
from accord.sim.runs.sweep import PARAMETERS, sweep_values, value_problems
from accord.sim.strategies import strategy_names
from accord.web import session
from accord.web.forms import FormData, FormErrors
from accord.web.pages.common import party_names
from accord.web.pages.simulation import default_start, job_page, missing_sides
from accord.web.render import page_url, render
from accord.web.routes import Form
from accord.web.routing import DashboardRoute, error_page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)
DEFAULTS = [
    ("kind", "replay"),
    ("strategy_a", "boulware"),
    ("strategy_b", "boulware"),
    ("n_rounds", "60"),
    ("seed", "0"),
    ("parameter", "daily_cost"),
    ("column", "0"),
    ("low", "0"),
    ("high", "0.004"),
    ("count", "5"),
]


def jobs_of(request: Request) -> SimulationJobs:
    jobs: SimulationJobs = request.app.state.dashboard_jobs
    return jobs


@router.get("/cases/{case_id}/simulation", name="simulation", openapi_extra=route_rule("case.read"))
def simulation_form(request: Request, case_id: str) -> HTMLResponse:
    actor = session.require_actor(request)
    return _form(request, actor, case_id, FormData([("as_of", ""), *DEFAULTS]), FormErrors(), 200)


@router.post("/cases/{case_id}/simulation", name="simulation_start", openapi_extra=route_rule("case.read"))
def simulation_start(request: Request, case_id: str, form: Form) -> Response:
    actor = session.require_actor(request)
    session.check_csrf(request, form.one(session.CSRF_FIELD))
    over = limit_problems(form)  # before anything else: the same refusal whatever the caller's role
    if over:
        return _over_limit(request, actor, case_id, form, over)
    try:
        job = jobs_of(request).start(actor, case_id, parse_request(form))
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        errors = FormErrors.of(error.problems or [FieldProblem("", error.detail)])
        return _form(request, actor, case_id, form, errors, error.status)
    return RedirectResponse(
        page_url(request, "simulation_job", case_id=case_id, job_id=job.id), status_code=303
    )


@router.get(
    "/cases/{case_id}/simulation/{job_id}", name="simulation_job", openapi_extra=route_rule("case.read")
)
def simulation_job(request: Request, case_id: str, job_id: str) -> HTMLResponse:
    actor = session.require_actor(request)
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    job = jobs_of(request).get(actor, case_id, job_id)
    page = job_page(services.cases.view(actor, case_id), job)
    return render(
        request,
        "simulation_job.html",
        {"actor": actor, "summary": summary, "page": page, "tab": "simulation"},
    )


@router.get(
    "/cases/{case_id}/simulation/{job_id}/progress",
    name="simulation_progress",
    openapi_extra=route_rule("case.read"),
)
def simulation_progress(request: Request, case_id: str, job_id: str) -> JSONResponse:
    """The job's progress for the page's progress bar: ``{"done", "total", "state"}``."""
    actor = session.require_actor(request)
    job = jobs_of(request).get(actor, case_id, job_id)
    return JSONResponse({"done": job.done, "total": job.total, "state": job.state, "error": job.error})


def limit_problems(form: FormData) -> list[FieldProblem]:
    """The form's fields over a limit of :mod:`accord.model.limits` (rounds, sweep values): read
    from the form alone, before the case or the caller's role (an unreadable number is left to
    :func:`parse_request`)."""
    problems = []
    checks: list[tuple[str, Callable[[int], str | None]]] = [("n_rounds", request_limits.rounds_problem)]
    if form.one("kind") == "sweep":
        checks.append(("count", request_limits.sweep_count_problem))
    for name, check in checks:
        try:
            value = int(form.one(name) or "")
        except ValueError:
            continue
        if (problem := check(value)) is not None:
            problems.append(FieldProblem(name, problem))
    return problems


def parse_request(form: FormData) -> SimulationRequest:
    """The simulation a form asks for; :class:`~accord.services.Invalid` naming each bad field.
    A sweep's values are listed only once their count is within the limit."""
    problems: list[FieldProblem] = []

    def number(name: str, kind: type[int] | type[float], blank: str = "") -> float:
        text = form.one(name) or blank
        try:
            value = kind(text)
        except ValueError:
            problems.append(
                FieldProblem(name, f"expected a {'whole ' if kind is int else ''}number, got {text!r}")
            )
            return 0
        if not math.isfinite(value):  # NaN, inf, 1e309
            problems.append(FieldProblem(name, f"expected a finite number, got {text!r}"))
            return 0
        return value

    try:
        as_of = parse_day(form.one("as_of") or "")
    except ValueError as error:
        problems.append(FieldProblem("as_of", str(error)))
        as_of = FIRST_DATE
    n_rounds, seed = int(number("n_rounds", int)), int(number("seed", int))
    # int(), not str.isdigit(): "²" is a digit to the one, not to the other (a 500, once)
    column = int(number("column", int, blank="0"))
    kind = form.one("kind") or "replay"
    values: tuple[float, ...] = ()
    if kind == "sweep":
        low, high, count = number("low", float), number("high", float), int(number("count", int))
        if (too_many := request_limits.sweep_count_problem(count)) is None:
            values = tuple(sweep_values(low, high, count))
        elif "count" not in {p.field for p in problems}:
            problems.append(FieldProblem("count", too_many))
        parameter = form.one("parameter") or ""
        if parameter in PARAMETERS:  # the ends of the range (a number), named as the form names them
            ends, unread = ("low", "high"), {p.field for p in problems}
            problems.extend(
                FieldProblem(ends[i], f"{parameter}: {problem}")
                for i, problem in value_problems(parameter, [low, high])
                if ends[i] not in unread
            )
    if problems:
        raise Invalid(problems)
    return SimulationRequest(
        kind=kind,
        as_of=as_of,
        strategies=(form.one("strategy_a") or "", form.one("strategy_b") or ""),
        n_rounds=n_rounds,
        seed=seed,
        parameter=form.one("parameter") or "",
        column=column,
        values=values,
        counterfactual=form.one("counterfactual") == "on",
    )


def _over_limit(
    request: Request, actor: Actor, case_id: str, form: FormData, problems: list[FieldProblem]
) -> Response:
    """422 for a form over a limit: the form again, with the fields named, for whoever may see
    the case; the plain error page for anyone else (no role, no such case), told the same."""
    try:
        return _form(request, actor, case_id, form, FormErrors.of(problems), 422)
    except (NotFound, Forbidden):
        return error_page(request, 422, "Invalid request", "; ".join(str(p) for p in problems))


def _form(
    request: Request, actor: Actor, case_id: str, values: FormData, errors: FormErrors, status: int
) -> HTMLResponse:
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    case = services.cases.view(actor, case_id)
    visible = services.private.readable(actor, case_id, PrivateKind.PREFERENCES)
    sides, missing = missing_sides(case, visible)
    if not values.one("as_of"):
        values = FormData(
            [
                ("as_of", default_start(case).isoformat()),
                *((k, v) for k, vs in values.items() for v in vs if k != "as_of"),
            ]
        )
    context = {
        "actor": actor,
        "summary": summary,
        "case": case,
        "tab": "simulation",
        "names": party_names(case),
        "sides": sides,
        "missing": missing,
        "strategies": strategy_names(),
        "parameters": PARAMETERS,
        "max_rounds": MAX_ROUNDS,
        "max_values": request_limits.SWEEP_VALUES,
        "jobs": jobs_of(request).of(actor, case_id),
        "values": values,
        "errors": errors,
    }
    return render(request, "simulation.html", context, status_code=status)
