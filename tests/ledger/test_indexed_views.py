"""The indexed ledger (records as of a day read as a slice, position histories built once per
ledger, the status report sharing one ledger) against naive reference twins that filter the whole
case on every call, as the rules read, on big generated cases with drafts, withdrawals,
valueless positions and corrections (:mod:`big_ledger_case`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import replace
from enum import Enum
from itertools import pairwise

import pytest
from big_ledger_case import big_case
from pydantic import BaseModel

from accord.ledger import (
    GapLabel,
    Movement,
    PositionAt,
    StoppageState,
    gaps,
    movement,
    pending,
    positions_as_of,
    status,
    stoppages,
    ta_board,
    timeline,
    to_jsonable,
    who_moved,
)
from accord.ledger.movement_view import _preferred, _shift, _step
from accord.ledger.positions import latest_position, position_history
from accord.ledger.records import ledger
from accord.model import (
    CategoricalIssue,
    Direction,
    NumericIssue,
    OrdinalIssue,
    Proposal,
    ProposalStatus,
    ProvisionIssue,
)

SEEDS = (7, 8)
PAIRS = ((None, None), ("sag", "amptp"), ("netflix", "wga"), ("amptp", "sag"))
DATES = (
    dt.date(2023, 2, 28),
    dt.date(2023, 3, 1),
    dt.date(2023, 5, 2),
    dt.date(2023, 6, 1),
    dt.date(2023, 6, 20),
    dt.date(2023, 8, 15),
    dt.date(2023, 10, 27),
    dt.date(2024, 1, 1),
)


@functools.cache
def case_of(seed: int):
    return big_case(1200, seed)


def known_book(case, as_of):
    """The ledger of the records known on ``as_of`` only, built from a case cut by hand: a
    correction known later does not apply yet (the rule of known dates)."""
    known = case.model_copy(
        update={
            "proposals": tuple(p for p in case.proposals if p.known_on <= as_of),
            "events": tuple(e for e in case.events if e.known_on <= as_of),
        }
    )
    return ledger(known)


def naive_effective(book, as_of):
    return [r for r in book.ordered if book.is_effective(r) and (as_of is None or r.date <= as_of)]


def naive_tabled(book, as_of):
    return [
        r
        for r in naive_effective(book, as_of)
        if isinstance(r, Proposal) and r.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
    ]


def naive_history(book, as_of, party, issue_id):
    history = []
    last_valued = None
    for proposal in naive_tabled(book, as_of):
        if proposal.from_party != party or issue_id not in proposal.positions:
            continue
        position = proposal.positions[issue_id]
        if position.value is not None:
            last_valued = (
                position.value,
                proposal.id,
                proposal.date,
                position.confidence or proposal.confidence,
            )
        history.append(
            PositionAt(
                party=party,
                issue=issue_id,
                value=None if last_valued is None else last_valued[0],
                text=position.text,
                proposal_id=proposal.id,
                date=proposal.date,
                value_proposal_id=None if last_valued is None else last_valued[1],
                confidence=position.confidence or proposal.confidence,
                provenance="none"
                if last_valued is None
                else "stated"
                if last_valued[1] == proposal.id
                else "carried",
                value_date=None if last_valued is None else last_valued[2],
                value_confidence=None if last_valued is None else last_valued[3],
                sources=proposal.sources,
            )
        )
    return history


def naive_movement(book, as_of, issue, party, other, gap_label, threshold=0.05):
    def valued(history):
        return [at for at in history if at.value_proposal_id == at.proposal_id]

    mine = valued(naive_history(book, as_of, party, issue.id))
    theirs = valued(naive_history(book, as_of, other, issue.id))
    concession = hardening = 0.0
    moves = 0
    direction = basis = None
    if mine and isinstance(issue, (NumericIssue, OrdinalIssue)):
        direction, basis = _preferred(issue, party, other, mine[0].value, theirs[0].value if theirs else None)
    for before, after in pairwise(mine):
        if before.value == after.value:
            continue
        moves += 1
        if isinstance(issue, (NumericIssue, OrdinalIssue)):
            shift = _shift(issue, before.value, after.value)
            if direction is Direction.LOWER:
                shift = -shift
            if direction is not None:
                concession += max(0.0, -shift)
                hardening += max(0.0, shift)
        elif isinstance(issue, (CategoricalIssue, ProvisionIssue)):
            step_key = book.keys[after.proposal_id]
            earlier = [at for at in theirs if book.keys[at.proposal_id] <= step_key]
            target = (earlier[-1] if earlier else theirs[0]).value if theirs else None
            conceded, hardened = _step(issue, before.value, after.value, target)
            concession += conceded
            hardening += hardened
    return Movement(
        party=party,
        other=other,
        issue=issue.id,
        issue_type=issue.type,
        opening=mine[0] if mine else None,
        latest=mine[-1] if mine else None,
        moves=moves,
        concession=concession,
        hardening=hardening,
        direction=direction,
        direction_basis=basis,
        gap_label=gap_label,
        entrenched=bool(mine)
        and concession < threshold
        and gap_label in (GapLabel.CLOSE, GapLabel.APART, GapLabel.ENTRENCHED),
    )


def naive_jsonable(value):
    if isinstance(value, Enum):
        return naive_jsonable(value.value)
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: naive_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, Mapping):
        return {str(key): naive_jsonable(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((naive_jsonable(item) for item in value), key=lambda i: (type(i).__name__, str(i)))
    return [naive_jsonable(item) for item in value]


def test_the_generated_cases_exercise_what_the_indexes_must_get_right():
    case = case_of(SEEDS[0])
    book = ledger(case)
    assert len(case.proposals) == 1200
    assert {p.status for p in case.proposals} == set(ProposalStatus)
    late = [p for p in case.proposals if p.supersedes and p.date > book.by_id[p.supersedes].date]
    assert late, "corrections dated after what they correct"
    assert any(p.positions and all(v.value is None for v in p.positions.values()) for p in case.proposals)
    assert any(issue.type in ("categorical", "provisions") for issue in case.issues)


@pytest.mark.parametrize("seed", SEEDS)
def test_records_as_of_a_day_equal_the_filtered_record(seed):
    book = ledger(case_of(seed))
    for as_of in (None, *DATES):
        assert book.effective(as_of) == naive_effective(book, as_of)
        if as_of is not None:
            assert book.tabled(as_of) == naive_tabled(book, as_of)
            assert book.events(as_of) == [
                r for r in naive_effective(book, as_of) if not isinstance(r, Proposal)
            ]
    for record in book.ordered:
        newest = book.newest(record.id)
        assert book.record(record.id) == next(r for r in book.ordered if r.id == newest)


@pytest.mark.parametrize("seed", SEEDS)
def test_position_histories_equal_the_naive_twin(seed):
    case = case_of(seed)
    for as_of in DATES:
        book = known_book(case, as_of)
        for party in case.parties:
            latest = {}
            for issue in case.issues:
                expected = naive_history(book, as_of, party.id, issue.id)
                assert position_history(book, as_of, party.id, issue.id) == expected
                assert latest_position(book, as_of, party.id, issue.id) == (
                    expected[-1] if expected else None
                )
                if expected:
                    latest[issue.id] = expected[-1]
            found = positions_as_of(case, as_of, party.id)
            # the agreed issues carry their board line (tested in test_agreed_terms.py); the rest is the twin's
            assert {k: replace(v, agreement=None) for k, v in found.items() if k in latest} == latest
            assert all(found[k].agreement is not None for k in set(found) - set(latest))


@pytest.mark.parametrize("seed", SEEDS)
def test_gaps_and_movement_equal_the_naive_twin(seed):
    case = case_of(seed)
    for as_of in DATES:
        book = known_book(case, as_of)
        for side_a, side_b in PAIRS:
            found = gaps(case, as_of, side_a, side_b)
            a, b = found[0].side_a, found[0].side_b
            for gap in found:
                history_a = naive_history(book, as_of, a, gap.issue)
                history_b = naive_history(book, as_of, b, gap.issue)
                assert gap.position_a == (history_a[-1] if history_a else None)
                assert gap.position_b == (history_b[-1] if history_b else None)
            labels = {gap.issue: gap.label for gap in found}
            expected = [
                naive_movement(book, as_of, issue, party, other, labels[issue.id])
                for party, other in ((a, b), (b, a))
                for issue in case.issues
            ]
            assert movement(case, as_of, side_a, side_b) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_status_equals_each_view_on_its_own(seed):
    case = case_of(seed)
    for as_of in DATES:
        for side_a, side_b in PAIRS:
            report = status(case, as_of, side_a, side_b)
            a, b = report.sides
            assert report.gaps == tuple(gaps(case, as_of, a, b))
            assert report.movement == tuple(movement(case, as_of, a, b))
            assert report.who_moved == tuple(who_moved(case, as_of, a, b))
            assert report.pending == pending(case, as_of, a, b)
            assert report.ta_board == tuple(ta_board(case, as_of, a, b))
            assert report.stoppages == tuple(
                s for s in stoppages(case, as_of) if s.state is not StoppageState.NOT_STARTED
            )
            assert report.recent == tuple(timeline(case, as_of, include_superseded=False)[-5:])
            assert json.dumps(to_jsonable(report)) == json.dumps(naive_jsonable(report))  # key order too


@pytest.mark.parametrize("seed", SEEDS)
def test_timeline_entries_name_parties_and_issues_as_the_case_does(seed):
    case = case_of(seed)
    labels = {party.id: party.label for party in reversed(case.parties)}
    entries = timeline(case)
    assert json.dumps(to_jsonable(entries)) == json.dumps(naive_jsonable(entries))
    proposals = {p.id: p for p in case.proposals}
    for item in entries:
        proposal = proposals.get(item.record_id)
        if proposal is None:
            continue
        issues = tuple(issue.id for issue in case.issues if issue.id in proposal.positions)
        assert item.issues == issues
        assert item.summary == (
            f"{labels[proposal.from_party]} → {labels[proposal.to_party]}: proposal on "
            + (", ".join(issues) or "no stated issues")
        )
