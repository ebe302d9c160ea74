"""The indexed "is this proposal answered?" of accord.ledger.pending against a naive reference twin
that reads the case as the rule reads: every tabled proposal against every other record, with the
time order and the corrections worked out here from the case itself (not from the ledger's index,
which is what the fast view is built on)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from ledger_strategies import as_of_dates, ledger_cases

from accord.ledger import pending
from accord.ledger.pending_view import answered_by_settlement
from accord.ledger.settlement import settlement
from accord.model import Proposal, ProposalStatus, Response


def naive_unanswered(case, as_of):
    day = as_of.date() if isinstance(as_of, dt.datetime) else as_of
    # only what is known on the day; a correction known later does not apply yet
    records = [r for r in (*case.proposals, *case.events) if r.known_on <= day]
    key = {}  # time order: date, time of day (unknown: the start of the day), then file order
    for index, record in enumerate(records):
        key.setdefault(record.id, (record.date, record.time or dt.time(0, 0), index))
    corrected_by = {}  # record id -> the earliest record that supersedes it
    for record in sorted(records, key=lambda r: key[r.id]):
        if record.supersedes is not None:
            corrected_by.setdefault(record.supersedes, record.id)

    def newest(record_id):
        seen = set()
        while record_id in corrected_by and record_id not in seen:
            seen.add(record_id)
            record_id = corrected_by[record_id]
        return record_id

    effective = sorted(
        (r for r in records if r.id not in corrected_by and r.date <= day), key=lambda r: key[r.id]
    )
    off_the_table = (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
    tabled = [r for r in effective if isinstance(r, Proposal) and r.status not in off_the_table]
    responses = [r for r in effective if isinstance(r, Response)]

    def answers(proposal, record):
        if record.id == proposal.id:
            return False
        if isinstance(record, Response):
            return newest(record.responds_to) == proposal.id and key[record.id] >= key[proposal.id]
        later = key[record.id] > key[proposal.id]
        if (record.from_party, record.to_party) == (proposal.from_party, proposal.to_party) and later:
            return True
        if record.from_party == proposal.to_party:
            if proposal.id in {newest(a) for a in record.answers}:
                return True
            return record.to_party == proposal.from_party and later
        return False

    # a tentative agreement on the whole contract answers what its parties proposed before it
    # (the rule itself: tests/ledger/test_pending.py; which agreement stands: accord.ledger.settlement)
    agreement = settlement(case, day)
    return [
        p.id
        for p in tabled
        if not any(answers(p, other) for other in [*tabled, *responses])
        and not (agreement is not None and answered_by_settlement(agreement, p))
    ]


@settings(max_examples=150, deadline=None)
@given(case=ledger_cases(), as_of=as_of_dates())
def test_indexed_unanswered_equals_the_naive_twin(case, as_of):
    fast = [u.proposal_id for u in pending(case, as_of).unanswered]
    assert fast == naive_unanswered(case, as_of)
