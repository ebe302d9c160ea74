"""Differential tests of the incremental ledger: a case written a few records at a time, each batch
folded into the ledger of the version before (:func:`accord.ledger.records.extended`, the indexes
the views keep carried forward), gives exactly the views of the same case indexed from scratch, as
byte-identical JSON, on generated cases with corrections, withdrawals, drafts, tentative agreements
and their withdrawals, stoppages, requests, responses and turn claims, written in an order that
mixes proposals and events and that puts records dated in the past after later ones, some of
them known after their date (:func:`written`)."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_strategies import as_of_dates, ledger_cases

import accord.ledger as views
from accord.casefile import bundled_case
from accord.ledger import sharing, to_jsonable
from accord.ledger.records import Ledger, extended, ledger, remember
from accord.ledger.timeline_view import timeline_data, timeline_page
from accord.model import Case, CaseInvalid, NumericIssue
from accord.services.views import VIEWS

FOLDS = settings(max_examples=60, deadline=None)


def written(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    """A record as it is written to the case. The one place for fields whose meaning the fold
    must carry (a date from which the record is known, later than its own date, say): draw them
    here, and every case of this module's tests has them.

    About one record in three is known late: ``known`` 0 to 45 days after its date (views as of
    a day before then leave it out, and a correction known late leaves the record it corrects
    standing until then)."""
    if draw(st.integers(0, 2)) != 0:
        return record
    known = dt.date.fromisoformat(record["date"]) + dt.timedelta(days=draw(st.integers(0, 45)))
    return {**record, "known": known.isoformat()}


def _late_dates(case: Case) -> list[dt.date]:
    """Days around which a late-known record of ``case`` comes into the views: the last day before
    the first and the last such record is known, those days, and the day every record is known."""
    late = sorted({r.known_on for r in case.records() if r.known_on != r.date})
    picked = [*late[:1], *late[-1:]]
    every = [max(r.known_on for r in case.records())] if late else []
    return [*picked, *(d - dt.timedelta(days=1) for d in picked), *every]


@st.composite
def writings(draw: st.DrawFn) -> tuple[Case, list[list[dict[str, Any]]]]:
    """A generated case and the batches it was written in: every record once, in an order that
    interleaves proposals and events (each group in its own order, as the store keeps them) and
    puts each record after the records it refers to; the first batch may be empty."""
    case = draw(ledger_cases())
    proposals = [written(draw, p.model_dump(mode="json", by_alias=True)) for p in case.proposals]
    events = [written(draw, e.model_dump(mode="json", by_alias=True)) for e in case.events]
    original = [r.id for r in case.records()]
    order: list[dict[str, Any]] = []
    while proposals or events:
        take_proposal = bool(proposals) and (not events or draw(st.booleans()))
        order.append(proposals.pop(0) if take_proposal else events.pop(0))
    if not _prefixes_valid(case, order):  # the file's order: each record after those it names
        order = sorted(order, key=lambda r: ("kind" in r, original.index(r["id"])))
    cuts = sorted(draw(st.lists(st.integers(0, len(order)), max_size=4)))
    bounds = [0, *cuts, len(order)]
    return case, [order[a:b] for a, b in pairwise(bounds)]


def _case(case: Case, records: list[dict[str, Any]]) -> Case:
    """``case`` holding ``records`` (in writing order: proposals, then events, as a load gives)."""
    data = case.model_dump(mode="json", by_alias=True)
    data["proposals"] = [r for r in records if "kind" not in r]
    data["events"] = [r for r in records if "kind" in r]
    return Case.model_validate(data)


def _prefixes_valid(case: Case, order: list[dict[str, Any]]) -> bool:
    """Whether every prefix of ``order`` is a case (each record after those it refers to)."""
    try:
        for end in range(len(order) + 1):
            _case(case, order[:end])
    except (ValueError, CaseInvalid):
        return False
    return True


def all_views(case: Case, as_of: dt.date) -> dict[str, bytes]:
    """Every ledger view of ``case`` as of ``as_of``, as JSON text (errors included, as text)."""
    found: dict[str, Any] = {}
    for name, view in VIEWS.items():
        found[name] = _safely(lambda view=view: view(case, as_of, None, None))
    found["stoppages"] = _safely(lambda: views.stoppages(case, as_of))
    found["timeline"] = _safely(lambda: views.timeline(case, as_of))
    found["timeline, no corrections"] = _safely(lambda: views.timeline(case, include_superseded=False))
    found["timeline data"] = _safely(lambda: timeline_data(case, as_of), convert=False)
    found["timeline page"] = _safely(lambda: timeline_page(case, as_of, 1, 3), convert=False)
    found["default as of, drafts"] = [str(ledger(case).default_as_of()), ledger(case).has_drafts()]
    for party in ("wga", "amptp", "sag"):
        found[f"positions {party}"] = _safely(lambda party=party: views.positions_as_of(case, as_of, party))
    return {name: json.dumps(value, sort_keys=False).encode() for name, value in found.items()}


def _safely(compute: Any, *, convert: bool = True) -> Any:
    try:
        value = compute()
    except ValueError as error:
        return f"ValueError: {error}"
    return to_jsonable(value) if convert else value


@FOLDS
@given(writings(), st.lists(as_of_dates(), min_size=1, max_size=3))
def test_a_case_folded_batch_by_batch_shows_what_a_rebuild_shows(writing, dates):
    case, batches = writing
    written_so_far: list[dict[str, Any]] = []
    book: Ledger | None = None
    for batch in batches:
        written_so_far += batch
        current = _case(case, written_so_far)
        if book is None:
            book = remember(ledger(current))
        else:
            folded = current.model_copy()  # a case object of its own, as the server's fold makes
            added = [*folded.proposals, *folded.events]
            added = [r for r in added if r.id in {record["id"] for record in batch}]
            book = remember(extended(book, folded, _writing_order(added, batch)))
            current = folded
        fresh = _case(case, written_so_far)
        for as_of in [*dates, fresh.default_as_of(), *_late_dates(fresh)]:
            assert all_views(current, as_of) == all_views(fresh, as_of)
        assert list(book.ordered) == list(ledger(fresh).ordered)
        assert book.superseded_by == ledger(fresh).superseded_by


def _writing_order(records: list[Any], batch: list[dict[str, Any]]) -> list[Any]:
    place = {record["id"]: index for index, record in enumerate(batch)}
    return sorted(records, key=lambda r: place[r.id])


def test_extended_places_a_record_dated_in_the_past_in_time_order():
    parties = [{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}]
    first = Case(
        id="c",
        title="t",
        parties=parties,
        proposals=[{"id": "p1", "date": "2023-05-03", "from": "u", "to": "e"}],
        events=[
            {"id": "m1", "kind": "milestone", "date": "2023-05-01", "summary": "start", "parties": ["u"]}
        ],
    )
    late = {"id": "p0", "date": "2023-05-01", "from": "e", "to": "u"}
    data = first.model_dump(mode="json", by_alias=True)
    both = Case.model_validate({**data, "proposals": [*data["proposals"], late]})
    book = extended(ledger(first), both, both.proposals[1:])
    # Same day: a proposal comes before an event (the case file's order), wherever it was written.
    assert [r.id for r in book.ordered] == ["p0", "m1", "p1"]
    assert [r.id for r in book.ordered] == [r.id for r in ledger(both).ordered]


@settings(max_examples=40, deadline=None)
@given(writings(), st.lists(st.integers(0, 10**6), min_size=40, max_size=40), as_of_dates())
def test_every_version_folded_from_any_older_one_shows_what_a_rebuild_shows(writing, picks, day):
    """Records written one at a time; each version folded from an older one picked at random (as a
    reader of an older snapshot folds the same writes again), with the shared containers' limits
    small so that their merges happen; then every version, the older ones too, still shows what
    its case rebuilt shows (no version sees what one made after it added)."""
    case, batches = writing
    order = [record for batch in batches for record in batch]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sharing, "TAIL", 2)
        patch.setattr(sharing, "TOP", 2)
        first = _case(case, [])
        versions: list[tuple[Ledger, Case, int]] = [(remember(ledger(first)), first, 0)]
        for end, pick in zip(range(1, len(order) + 1), picks, strict=False):
            base, base_case, start = versions[pick % len(versions)]
            fresh = _case(case, order[:end])
            all_views(base_case, day)  # the views' indexes, for the fold to carry forward
            folded = fresh.model_copy()
            ids = {record["id"] for record in order[start:end]}
            added = [r for r in [*folded.proposals, *folded.events] if r.id in ids]
            book = remember(extended(base, folded, _writing_order(added, order[start:end])))
            versions.append((book, folded, end))
        last_day = _case(case, order).default_as_of()  # a day after every record of every version
        for book, folded, end in versions:
            fresh = _case(case, order[:end])
            for as_of in (day, fresh.default_as_of(), last_day):
                assert all_views(folded, as_of) == all_views(fresh, as_of)
            assert list(book.ordered) == list(ledger(fresh).ordered)


def test_versions_of_a_long_case_written_a_proposal_at_a_time_each_keep_their_own_views():
    """The bundled case, then proposals on one issue written one at a time on its last day (the
    indexes grow in place, shared with the version before), some folded from an older version
    than the newest: each version shows what its case rebuilt shows, as of its last day and
    after."""
    base = bundled_case("wga-amptp-2023")
    issue = next(i for i in base.issues if isinstance(i, NumericIssue))
    day = base.default_as_of()
    data = base.model_dump(mode="json", by_alias=True)
    written = [
        {
            "id": f"w-{n}",
            "date": day.isoformat(),
            "from": "wga" if n % 3 else "amptp",
            "to": "amptp" if n % 3 else "wga",
            "positions": {issue.id: issue.low + (issue.high - issue.low) * (n % 7) / 7},
        }
        for n in range(24)
    ]

    def case_of(count: int) -> Case:
        return Case.model_validate({**data, "proposals": [*data["proposals"], *written[:count]]})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sharing, "TAIL", 4)
        patch.setattr(sharing, "TOP", 3)
        first = case_of(0)
        versions: list[tuple[Ledger, Case, int]] = [(remember(ledger(first)), first, 0)]
        for count in range(1, len(written) + 1):
            book, folded_from, _ = versions[-3 if count % 5 == 0 else -1]
            all_views(folded_from, day)
            folded = case_of(count)
            versions.append(
                (
                    remember(extended(book, folded, folded.proposals[len(folded_from.proposals) :])),
                    folded,
                    count,
                )
            )
        for book, folded, count in versions:
            fresh = case_of(count)
            for as_of in (day, day + dt.timedelta(days=30)):
                assert all_views(folded, as_of) == all_views(fresh, as_of)
            assert list(book.ordered) == list(ledger(fresh).ordered)
