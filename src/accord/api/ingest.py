"""Articles: read one against a case (drafts for review, nothing stored) and apply a review."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from accord.api.deps import ActorDep, Router, ServicesDep, rule
from accord.api.schemas import Body
from accord.ingest import MAX_BYTES, Review, make_review

router = Router(tags=["ingest"])


class ArticleIn(Body):
    text: str = Field(min_length=1, max_length=MAX_BYTES, description="The article: plain text or HTML.")
    published: dt.date = Field(description="The date the article was published.")
    source_url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    format: str = Field(default="auto", pattern="^(auto|text|html)$")


class ReadingOut(BaseModel):
    """The article as read (``text``: what draft spans point into) and the review to edit and apply."""

    text: str
    review: Review


class AppliedOut(BaseModel):
    case: str
    source: str
    records: list[str]
    unchanged: bool
    accepted: int
    rejected: int


@router.post("/cases/{case_id}/ingest", openapi_extra=rule("case.read"))
def read_article(case_id: str, body: ArticleIn, actor: ActorDep, services: ServicesDep) -> ReadingOut:
    """Read an article against the case's public record: the drafts it implies, each pinned to
    its sentence, as a review (``accept`` set where a draft can be recorded as it is). Nothing is
    stored. 422 for text that is not an article in English (empty, binary, over 2 MB)."""
    reading = services.ingest.read(
        actor,
        case_id,
        body.text,
        published=body.published,
        source_url=body.source_url,
        outlet=body.outlet,
        fmt=body.format,
    )
    return ReadingOut(text=reading.text, review=make_review(reading))


@router.post("/cases/{case_id}/ingest/apply", openapi_extra=rule("record.write"))
def apply_review(case_id: str, body: Review, actor: ActorDep, services: ServicesDep) -> AppliedOut:
    """Add the accepted drafts of a review to the case, sourced to the article (the article
    becomes a source of the case). Applying twice changes nothing. 409 naming the conflicts when
    the case changed since the review; 422 for a draft that cannot be recorded (it restates a
    record, or lacks a field); 403 for a record the caller may not write."""
    applied = services.ingest.apply(actor, case_id, body)
    return AppliedOut(
        case=case_id,
        source=applied.source,
        records=list(applied.records),
        unchanged=applied.unchanged,
        accepted=applied.accepted,
        rejected=applied.rejected,
    )
