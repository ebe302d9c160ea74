"""The news page: an editor pastes or uploads an article, reviews the drafts beside it (each
draft's sentence highlighted in the article), accepts, edits or rejects each, and applies them.

The page keeps nothing on the server between the steps: the article's text travels in the form,
is read again when the review is applied (reading is deterministic), and the editor's decisions
are laid over the drafts by their number. The case's fingerprint from the first reading goes
with the form, so a review of an older version of the case is refused (naming the conflicts).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from accord.ingest import MAX_BYTES, Reading, Review, ReviewDraft, make_review
from accord.services import FieldProblem, Invalid, ServiceError
from accord.services.access import Role, route_rule
from accord.web import session
from accord.web.forms import FormData, FormErrors
from accord.web.pages.common import party_names
from accord.web.render import page_url, render
from accord.web.routing import DashboardRoute

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)
EDITABLE = ("party", "to", "date", "summary", "quote")


@dataclass(frozen=True)
class Submitted:
    """A submitted form: its text fields, and the bytes of an uploaded file (if one was sent)."""

    form: FormData
    upload: bytes | None
    upload_name: str | None


async def submitted(request: Request) -> Submitted:
    form = await request.form()
    fields = FormData([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
    upload = form.get("file")
    data: bytes | None = None
    name: str | None = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = await upload.read(MAX_BYTES + 1)
        name = upload.filename
    return Submitted(fields, data, name)


Submission = Annotated[Submitted, Depends(submitted)]


@router.get("/cases/{case_id}/ingest", name="ingest", openapi_extra=route_rule("case.read"))
def ingest_form(request: Request, case_id: str) -> HTMLResponse:
    actor = session.require_actor(request)
    summary = session.services_of(request).cases.get(actor, case_id)
    return _form(request, actor, summary, FormData([]), FormErrors(), 200)


@router.post("/cases/{case_id}/ingest", name="ingest_read", openapi_extra=route_rule("case.read"))
def ingest_read(request: Request, case_id: str, sent: Submission) -> HTMLResponse:
    actor = session.require_actor(request)
    session.check_csrf(request, sent.form.one(session.CSRF_FIELD))
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    try:
        raw, published = _article(sent)
        reading = services.ingest.read(
            actor, case_id, raw, published=published, source_url=sent.form.one("source_url"),
            outlet=sent.form.one("outlet"), fmt=sent.form.one("format") or "auto",
        )  # fmt: skip
    except ServiceError as error:
        errors = FormErrors.of(error.problems or [FieldProblem("", error.detail)])
        return _form(request, actor, summary, sent.form, errors, error.status)
    review = make_review(reading)
    return _review_page(request, actor, summary, reading, review, FormErrors(), 200)


@router.post("/cases/{case_id}/ingest/apply", name="ingest_apply", openapi_extra=route_rule("record.write"))
def ingest_apply(request: Request, case_id: str, sent: Submission) -> Response:
    actor = session.require_actor(request)
    session.check_csrf(request, sent.form.one(session.CSRF_FIELD))
    services = session.services_of(request)
    summary = services.cases.get(actor, case_id)
    form = sent.form
    published = _date(form.one("published"))
    reading = services.ingest.read(
        actor, case_id, form.one("text") or "", published=published, source_url=form.one("source_url"),
        outlet=form.one("outlet"), fmt="text",
    )  # fmt: skip
    review = make_review(reading)
    try:
        review = _decided(review, form)
        applied = services.ingest.apply(actor, case_id, review)
    except ServiceError as error:
        errors = FormErrors.of(error.problems or [FieldProblem("", error.detail)])
        return _review_page(request, actor, summary, reading, review, errors, error.status, form)
    context = {"actor": actor, "summary": summary, "tab": "ingest", "applied": applied, "reading": reading}
    return render(request, "ingest_done.html", context)


def _article(sent: Submitted) -> tuple[bytes | str, dt.date]:
    published = _date(sent.form.one("published"))
    if sent.upload is not None:
        return sent.upload, published
    text = sent.form.one("text")
    if not text:
        raise Invalid([FieldProblem("text", "paste the article's text or HTML, or choose a file")])
    return text, published


def _date(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        raise Invalid(
            [FieldProblem("published", f"expected the date the article was published, got {text!r}")]
        ) from None


def _decided(review: Review, form: FormData) -> Review:
    """The review with the editor's decisions and edits (by draft number); the fingerprint of the
    case the editor reviewed against."""
    drafts = []
    problems = []
    for draft in review.drafts:
        data: dict[str, Any] = draft.model_dump()
        data["accept"] = form.one(f"{draft.id}.accept") == "yes"
        for name in EDITABLE:
            if f"{draft.id}.{name}" in form:
                data[name] = form.one(f"{draft.id}.{name}")
        if data["summary"] is None:
            data["summary"] = draft.summary
        try:
            drafts.append(ReviewDraft.model_validate(data))
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                field = ".".join(str(p) for p in detail["loc"])
                problems.append(FieldProblem(f"{draft.id}.{field}", detail["msg"]))
    if problems:
        raise Invalid(problems)
    fingerprint = form.one("fingerprint") or review.case.fingerprint
    case = review.case.model_copy(update={"fingerprint": fingerprint})
    return review.model_copy(update={"drafts": tuple(drafts), "case": case})


def _form(
    request: Request, actor: Any, summary: Any, values: FormData, errors: FormErrors, status: int
) -> HTMLResponse:
    context = {"actor": actor, "summary": summary, "tab": "ingest", "values": values, "errors": errors}
    return render(request, "ingest.html", context, status_code=status)


def _review_page(
    request: Request,
    actor: Any,
    summary: Any,
    reading: Reading,
    review: Review,
    errors: FormErrors,
    status: int,
    form: FormData | None = None,
) -> HTMLResponse:
    case = session.services_of(request).ingest.public_case(actor, summary.id)
    context = {
        "actor": actor,
        "summary": summary,
        "tab": "ingest",
        "reading": reading,
        "review": review,
        "article_html": highlighted(reading),
        "names": party_names(case),
        "parties": [p.id for p in case.parties],
        "errors": errors,
        "form": form,
        "may_apply": summary.role in (Role.ADMIN.value, Role.MEDIATOR.value, Role.MEMBER.value),
        "action": page_url(request, "ingest_apply", case_id=summary.id),
    }
    return render(request, "ingest_review.html", context, status_code=status)


def highlighted(reading: Reading) -> Markup:
    """The article's paragraphs, each draft's sentence in a ``<mark>`` naming its drafts."""
    text = reading.text
    by_span: dict[tuple[int, int], list[str]] = {}
    for draft in reading.drafts:
        by_span.setdefault(draft.span, []).append(draft.id)
    pieces: list[str] = []
    at = 0
    for (start, end), ids in sorted(by_span.items()):
        if start < at:
            continue
        pieces.append(html.escape(text[at:start]))
        names = " ".join(ids)
        pieces.append(
            f'<mark id="sentence-{ids[0]}" data-drafts="{names}" tabindex="-1">{html.escape(text[start:end])}</mark>'
        )
        at = end
    pieces.append(html.escape(text[at:]))
    paragraphs = "".join(pieces).split("\n")
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs if p.strip()))
