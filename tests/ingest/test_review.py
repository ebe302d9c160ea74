"""Applying a review to a case, as a plan (no files): what each accepted draft becomes, idempotence,
and stale reviews refused naming the conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.casefile import bundled_case
from accord.ingest import ReviewRefused, apply_plan, make_review, plan_apply, read_article
from accord.ingest.review import Review
from accord.model import Proposal, Request, Statement

WGA = bundled_case("wga-amptp-2023")
TEXT = """Talks

"We have asked the WGA to identify any remaining holes in the AI offer and it has not responded," the AMPTP said on Monday.

The studios presented a new offer to the guild on Sept. 1.

The guild said the studios remain far apart on staffing.
"""


def _review(case=WGA) -> Review:
    return make_review(read_article(case, TEXT, published=dt.date(2023, 9, 20), outlet="Wire"))


def test_each_accepted_draft_becomes_its_record_sourced_and_noted():
    review = _review()
    assert [(d.kind.value, d.accept) for d in review.drafts] == [
        ("turn", True), ("request", True), ("offer", True), ("stance", True),
    ]  # fmt: skip
    plan = plan_apply(WGA, review)
    assert plan.source is not None and plan.source.outlet == "Wire" and not plan.unchanged
    turn, request, offer, stance = plan.records
    assert isinstance(turn, Statement) and (turn.party, turn.turn_of, turn.issues) == (
        "amptp",
        "wga",
        ("ai",),
    )
    assert turn.confidence.value == "A" and turn.quote.startswith("We have asked the WGA")
    assert isinstance(request, Request) and (request.from_party, request.to_party, request.asks.value) == (
        "amptp",
        "wga",
        "information",
    )
    assert isinstance(offer, Proposal) and (offer.from_party, offer.to_party, offer.date) == (
        "amptp",
        "wga",
        dt.date(2023, 9, 1),
    )
    assert (
        isinstance(stance, Statement) and stance.confidence.value == "B" and "Stance: apart." in stance.note
    )
    for record in plan.records:
        assert record.sources == (plan.source.id,)
        assert record.note.startswith('From "') and "(Wire, 2023-09-20; characters " in record.note


def test_applying_twice_changes_nothing():
    review = _review()
    after = apply_plan(WGA, plan_apply(WGA, review))
    again = plan_apply(after, review)
    assert again.unchanged and again.source is None
    assert (
        apply_plan(after, plan_apply(after, _review(after))) == after
        or plan_apply(after, _review(after)).unchanged
    )


def test_a_stale_review_names_the_records_recorded_since_that_it_restates():
    review = _review()
    statement = Statement.model_validate(
        {"id": "s-new", "kind": "statement", "date": "2023-09-18", "party": "amptp", "turn_of": "wga",
         "summary": "The AMPTP says the WGA has not responded on AI."}
    )  # fmt: skip
    changed = WGA.model_copy(update={"events": (*WGA.events, statement)})
    with pytest.raises(ReviewRefused) as caught:
        plan_apply(changed, review)
    assert caught.value.stale
    assert caught.value.problems[0].startswith("the case changed since the review (fingerprint ")
    assert any(
        "draft d1 (turn) restates 's-new', recorded since the review" in p for p in caught.value.problems
    )


def test_a_review_of_another_case_or_with_incomplete_drafts_is_refused():
    review = _review()
    other = WGA.model_copy(update={"id": "other"})
    with pytest.raises(ReviewRefused, match="the review is of case 'wga-amptp-2023', not 'other'"):
        plan_apply(other, review)
    broken = review.model_copy(
        update={
            "drafts": tuple(
                d.model_copy(update={"party": None}) if d.id == "d2" else d for d in review.drafts
            )
        }
    )
    with pytest.raises(ReviewRefused, match=r"draft d2 \(request\): party is missing"):
        plan_apply(WGA, broken)
    unknown = review.model_copy(
        update={
            "drafts": tuple(
                d.model_copy(update={"issues": ("pensions",)}) if d.id == "d1" else d for d in review.drafts
            )
        }
    )
    with pytest.raises(ReviewRefused, match="unknown issue 'pensions'"):
        plan_apply(WGA, unknown)
