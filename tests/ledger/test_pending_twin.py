"""The indexed "is this proposal answered?" of accord.ledger.pending against a naive reference twin
that compares every tabled proposal with every other record, as the rule reads."""

from __future__ import annotations

from hypothesis import given, settings
from ledger_strategies import as_of_dates, ledger_cases

from accord.ledger import pending
from accord.ledger.positions import two_sided
from accord.model import Proposal, Response


def naive_unanswered(case, as_of):
    book, day, _ = two_sided(case, as_of, None, None)
    tabled = list(book.tabled(day))
    responses = [r for r in book.effective(day) if isinstance(r, Response)]

    def answers(proposal, record):
        if record.id == proposal.id:
            return False
        if isinstance(record, Response):
            return book.newest(record.responds_to) == proposal.id and book.key(record) >= book.key(proposal)
        assert isinstance(record, Proposal)
        later = book.key(record) > book.key(proposal)
        if (record.from_party, record.to_party) == (proposal.from_party, proposal.to_party) and later:
            return True
        if record.from_party == proposal.to_party:
            if proposal.id in {book.newest(a) for a in record.answers}:
                return True
            return record.to_party == proposal.from_party and later
        return False

    return [p.id for p in tabled if not any(answers(p, other) for other in [*tabled, *responses])]


@settings(max_examples=150, deadline=None)
@given(case=ledger_cases(), as_of=as_of_dates())
def test_indexed_unanswered_equals_the_naive_twin(case, as_of):
    fast = [u.proposal_id for u in pending(case, as_of).unanswered]
    assert fast == naive_unanswered(case, as_of)
