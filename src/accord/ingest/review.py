"""The review of a reading, and what applying it adds to the case.

A review (``accord ingest ... -o REVIEW.yaml``; the dashboard's review page) lists the drafts,
each with ``accept: true|false`` and editable fields. Applying it (:func:`plan_apply`) turns each
accepted draft into a record sourced to the article, the sentence quoted in its note and its
confidence set by the kind of evidence; the article becomes one source of the case.

Applying is idempotent (record ids come from the article and the draft's number, so a second
apply finds every record there and changes nothing) and refuses a review made against an older
version of the case (its fingerprint differs), naming the conflicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from accord.ingest.drafts import SPEECH_KINDS, ArticleInfo, Draft, DraftKind, Reading
from accord.ingest.lexicon import Lexicon
from accord.ingest.matching import match_event, match_proposal, match_statement
from accord.model import (
    Case,
    CaseInvalid,
    Event,
    Proposal,
    Request,
    Response,
    Source,
    Statement,
)
from accord.model.common import Frozen, Id

REVIEW_FORMAT: Literal["accord-ingest-review/1"] = "accord-ingest-review/1"


def case_fingerprint(case: Case) -> str:
    """A digest of everything in ``case``: two versions of a case have the same one only if
    they hold the same parties, issues, sources and records.

    >>> from accord.model import Case
    >>> c = Case(id="c", title="t", parties=[{"id": "w", "name": "W", "kind": "union"}])
    >>> case_fingerprint(c) == case_fingerprint(c.model_copy(update={"title": "t"}))
    True
    >>> case_fingerprint(c) == case_fingerprint(c.model_copy(update={"title": "u"}))
    False
    """
    data = case.model_dump(mode="json", by_alias=True)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class CaseRef(Frozen):
    """The case a review was made against: its id, where it lives, and its fingerprint then."""

    id: Id
    file: str | None = Field(
        default=None, description="The case file --apply writes to (None: a server case)."
    )
    fingerprint: str


class ReviewDraft(Draft):
    """A draft with the reviewer's decision."""

    accept: bool


class Review(Frozen):
    """A reading to review: the case and article it is about, and the drafts with decisions."""

    format: Literal["accord-ingest-review/1"] = REVIEW_FORMAT
    case: CaseRef
    article: ArticleInfo
    drafts: tuple[ReviewDraft, ...]


def accepted_by_default(draft: Draft) -> bool:
    """A draft is accepted unless it restates a record (``matches``), lacks what its record
    needs (a party, a date; an addressee), or is a count of days (a check, not a record)."""
    if draft.matches is not None or draft.party is None or draft.date is None:
        return False
    if draft.kind is DraftKind.STOPPAGE_DAYS:
        return False
    return not (
        draft.kind in (DraftKind.OFFER, DraftKind.REQUEST, DraftKind.RESPONSE) and draft.to is None
    ) and not (draft.kind is DraftKind.RESPONSE and draft.responds_to is None)


def make_review(reading: Reading, case_file: str | None = None) -> Review:
    drafts = tuple(
        ReviewDraft.model_validate({**d.model_dump(), "accept": accepted_by_default(d)})
        for d in reading.drafts
    )
    case = CaseRef(id=reading.case_id, file=case_file, fingerprint=reading.case_fingerprint)
    return Review(case=case, article=reading.article, drafts=drafts)


def review_data(review: Review) -> dict[str, Any]:
    """The review as plain data, in file order (``accept`` first in each draft)."""
    data = review.model_dump(mode="json", exclude_none=False)
    data["drafts"] = [{"accept": d.pop("accept"), **d} for d in data["drafts"]]
    return data


def record_id(draft: Draft, article: ArticleInfo) -> str:
    """The id an accepted draft's record gets: ``<kind>-<published>-<article digest>-<draft>``."""
    digest = article.digest.removeprefix("sha256:")[:8]
    kind = "proposal" if draft.kind is DraftKind.OFFER else draft.kind.value.replace("_", "-")
    return f"{kind}-{article.published.isoformat()}-{digest}-{draft.id}"


def article_source(article: ArticleInfo) -> Source:
    note = f"Read with accord ingest; article {article.digest}."
    return Source(
        id=article.source_id,
        url=article.source_url,
        title=article.title,
        outlet=article.outlet,
        date=article.published,
        note=note,
    )


class ReviewRefused(ValueError):
    """The review cannot be applied: each problem names the draft (or record) and what to do."""

    def __init__(self, problems: list[str], *, stale: bool = False) -> None:
        self.problems = problems
        self.stale = stale
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Plan:
    """What applying a review adds: the article's source (``None`` when the case has it) and the
    records of the accepted drafts. ``unchanged``: everything was applied before (``records``
    are then those already in the case, and nothing is to be written)."""

    source: Source | None
    records: tuple[Proposal | Event, ...]
    unchanged: bool
    accepted: int
    rejected: int


def plan_apply(case: Case, review: Review) -> Plan:
    """What applying ``review`` to ``case`` adds, checked; :class:`ReviewRefused` naming every
    problem when it cannot be applied (nothing is applied then).

    Refused: a review of another case; an accepted draft that restates a record (``matches``), or
    lacks a field its record needs; a review of an older version of the case (stale), with the
    conflicts named: records added since that an accepted draft restates, records its drafts
    refer to that are gone, record ids taken by something else.
    """
    if review.case.id != case.id:
        raise ReviewRefused([f"the review is of case {review.case.id!r}, not {case.id!r}"])
    accepted = [d for d in review.drafts if d.accept]
    problems = [p for d in accepted for p in _draft_problems(case, d)]
    if problems:
        raise ReviewRefused(problems)
    source = article_source(review.article)
    records = [to_record(d, review.article) for d in accepted]
    existing = {r.id: r for r in case.records()}
    present = [r for r in records if r.id in existing]
    has_source = any(s.id == source.id for s in case.sources)
    if records and len(present) == len(records) and all(existing[r.id] == r for r in present):
        return Plan(None, tuple(records), True, len(accepted), len(review.drafts) - len(accepted))
    if not records and has_source:
        return Plan(None, (), True, 0, len(review.drafts))
    if case_fingerprint(case) != review.case.fingerprint:
        raise ReviewRefused(_conflicts(case, review, accepted, existing), stale=True)
    differing = [r.id for r in present if existing[r.id] != r]
    if differing:
        raise ReviewRefused(
            [f"record {rid!r} exists and differs from draft {rid.rsplit('-', 1)[-1]}" for rid in differing]
        )
    plan = Plan(
        None if has_source else source,
        tuple(records),
        False,
        len(accepted),
        len(review.drafts) - len(accepted),
    )
    _check_case(case, plan)
    return plan


def _draft_problems(case: Case, draft: ReviewDraft) -> list[str]:
    where = f"draft {draft.id} ({draft.kind.value})"
    problems = []
    if draft.matches is not None:
        problems.append(
            f"{where} restates {draft.matches!r}; set accept: false, or remove matches to record it anew"
        )
    parties = {p.id for p in case.parties}
    if draft.party is None:
        problems.append(f"{where}: party is missing; expected one of {sorted(parties)}")
    if draft.date is None:
        problems.append(f"{where}: date is missing; expected a date as YYYY-MM-DD")
    if draft.kind in (DraftKind.OFFER, DraftKind.REQUEST, DraftKind.RESPONSE) and draft.to is None:
        problems.append(f"{where}: to is missing; expected one of {sorted(parties)}")
    if draft.kind is DraftKind.RESPONSE and draft.responds_to is None:
        problems.append(f"{where}: responds_to is missing; expected the proposal or request it answers")
    return problems


def to_record(draft: Draft, article: ArticleInfo) -> Proposal | Event:
    """The record an accepted draft becomes, sourced to the article with the sentence quoted."""
    assert draft.party is not None and draft.date is not None
    outlet = article.outlet or "the article"
    note = f'From "{_clip(draft.sentence)}" ({outlet}, {article.published.isoformat()}; characters {draft.span[0]}-{draft.span[1]}).'
    if draft.stance is not None:
        note += f" Stance: {draft.stance.value}."
    if draft.stoppage is not None:
        note += f" Count of days: {draft.stoppage.check.value} ({draft.stoppage.explanation})."
    common: dict[str, Any] = {
        "id": record_id(draft, article),
        "date": draft.date,
        "sources": (article.source_id,),
        "confidence": draft.confidence,
        "note": note,
    }
    summary = _clip(draft.summary, 600)
    if draft.kind is DraftKind.OFFER:
        return Proposal.model_validate({**common, "from": draft.party, "to": draft.to, "summary": summary})
    if draft.kind is DraftKind.REQUEST:
        return Request.model_validate(
            {**common, "kind": "request", "from": draft.party, "to": draft.to, "asks": draft.asks or "response",
             "regarding": draft.regarding, "issues": draft.issues, "summary": summary}
        )  # fmt: skip
    if draft.kind is DraftKind.RESPONSE:
        return Response.model_validate(
            {**common, "kind": "response", "from": draft.party, "to": draft.to,
             "responds_to": draft.responds_to, "summary": summary}
        )  # fmt: skip
    assert draft.kind in (*SPEECH_KINDS, DraftKind.STOPPAGE_DAYS)
    return Statement.model_validate(
        {**common, "kind": "statement", "party": draft.party, "summary": summary, "quote": draft.quote,
         "turn_of": draft.turn_of, "regarding": draft.regarding, "issues": draft.issues}
    )  # fmt: skip


def _clip(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _conflicts(
    case: Case, review: Review, accepted: list[ReviewDraft], existing: dict[str, Any]
) -> list[str]:
    lexicon = Lexicon.of(case)
    problems = []
    for draft in accepted:
        rid = record_id(draft, review.article)
        if rid in existing:
            problems.append(f"draft {draft.id}: record {rid!r} was added to the case since the review")
            continue
        again = _restates(case, lexicon, draft)
        if again is not None:
            problems.append(
                f"draft {draft.id} ({draft.kind.value}) restates {again!r}, recorded since the review"
            )
        for ref in (*draft.regarding, draft.responds_to):
            if ref is not None and ref not in existing:
                problems.append(f"draft {draft.id} refers to {ref!r}, which the case no longer holds")
    ids = {p.id for p in case.parties} | {i.id for i in case.issues}
    for draft in accepted:
        for ref in (draft.party, draft.to, draft.turn_of, *draft.issues):
            if ref is not None and ref not in ids:
                problems.append(f"draft {draft.id} names {ref!r}, which the case no longer has")
    if not problems:
        problems.append(
            "no draft conflicts with what changed, but the review must be made again: "
            "read the article with `accord ingest` once more"
        )
    return [
        f"the case changed since the review (fingerprint {review.case.fingerprint} then, {case_fingerprint(case)} now)",
        *problems,
    ]


def _restates(case: Case, lexicon: Lexicon, draft: Draft) -> str | None:
    if draft.kind in SPEECH_KINDS:
        return match_statement(case, lexicon, draft)
    if draft.kind is DraftKind.OFFER:
        match = match_proposal(case, lexicon, draft, latest=False, month=False)
        return match.id if match else None
    if draft.kind is DraftKind.REQUEST:
        return match_event(case, lexicon, draft, (Request,))
    if draft.kind is DraftKind.RESPONSE:
        return match_event(case, lexicon, draft, (Response,))
    return None


def apply_plan(case: Case, plan: Plan) -> Case:
    """``case`` with the plan's source and records appended (validated as a whole)."""
    proposals = [r for r in plan.records if isinstance(r, Proposal)]
    events = [r for r in plan.records if not isinstance(r, Proposal)]
    return Case.model_validate(
        {
            **dict(case),
            "sources": (*case.sources, *([plan.source] if plan.source else [])),
            "proposals": (*case.proposals, *proposals),
            "events": (*case.events, *events),
        }
    )


def _check_case(case: Case, plan: Plan) -> None:
    try:
        apply_plan(case, plan)
    except CaseInvalid as error:
        raise ReviewRefused([f"{p.where}: {p.message}" for p in error.problems]) from None


def reviewed_drafts(review: Review) -> dict[str, ReviewDraft]:
    return {d.id: d for d in review.drafts}


def draft_dates(review: Review) -> list[dt.date | None]:
    return [d.date for d in review.drafts]
