"""What answers what: the index :func:`accord.ledger.pending` reads, made in one pass over the
effective records in time order and carried to the next ledger by continuing the pass over the
records added (:func:`accord.ledger.records.extended`).

Each request and each tabled proposal gets the date of its first answer (the rules of
:mod:`accord.ledger.pending_view`); as of a day, it is open when it is dated on or before the day
and its first answer is not. The first answer in time order is the earliest dated, so one date
per record answers every "as of".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from accord.ledger.records import EXTENSIONS, REBUILD, Ledger, LedgerRecord, OrderKey
from accord.ledger.sharing import Layered, Run, bisected, grown
from accord.model import (
    Proposal,
    ProposalStatus,
    Request,
    RequestKind,
    Response,
    Statement,
    Talks,
    TentativeAgreement,
)

Pair = frozenset[str]
T = TypeVar("T")
READ = (Proposal, Request, Response, Talks, Statement, TentativeAgreement)
"""The kinds of record the pass reads (a record of another kind answers nothing)."""


@dataclass(slots=True)
class Answers:
    """The answers found so far by a pass over the effective records in time order.

    ``answered``: request or tabled proposal id -> the date of its first answer. ``requests``
    and ``statements`` (those naming whose turn it is): the effective ones in time order.
    ``between``: per pair of parties, the tabled proposals between them in time order, and their
    dates. The rest is the state of the pass: what is still unanswered, and answers that name a
    proposal not reached yet.
    """

    answered: dict[str, dt.date] | Layered[str, dt.date] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    between: dict[Pair, tuple[list[dt.date] | Run[dt.date], list[Proposal] | Run[Proposal]]] = field(
        default_factory=dict
    )
    seen: dict[str, Request | Proposal] | Layered[str, Request | Proposal] = field(default_factory=dict)
    open_in_pair: dict[Pair, list[str]] = field(default_factory=dict)
    open_responses: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    open_meetings: list[Request] = field(default_factory=list)
    early_claims: dict[str, list[tuple[str, str, dt.date]]] = field(default_factory=dict)
    unanswered: dict[str, Proposal] = field(default_factory=dict)
    """Tabled proposals with no answer yet, in time order."""
    answered_on: dict[dt.date, list[str]] = field(default_factory=dict)
    """Day -> the tabled proposals first answered that day (an id may stay under a later day
    after an earlier answer is found: :meth:`open_proposals` checks ``answered``)."""
    last_key: OrderKey | None = None
    """The order key of the last record the pass read (one of the kinds it reads)."""
    owned: set[Pair] = field(default_factory=set)
    """The pairs of ``between`` whose lists this index made (and so may grow in place)."""
    owned_days: set[dt.date] = field(default_factory=set)
    """The days of ``answered_on`` whose lists this index made (and so may grow in place)."""

    def copy(self) -> Answers:
        """An index to continue the pass on, leaving this one as it is (the two share the
        long parts: the answers and the records seen, and the lists of proposals and of answers
        by day, which the new one copies, or shares and grows, as it changes them)."""
        return Answers(
            Layered.of(self.answered),
            list(self.requests),
            list(self.statements),
            dict(self.between),
            Layered.of(self.seen),
            {pair: list(ids) for pair, ids in self.open_in_pair.items()},
            {pair: list(ids) for pair, ids in self.open_responses.items()},
            list(self.open_meetings),
            {target: list(claims) for target, claims in self.early_claims.items()},
            dict(self.unanswered),
            dict(self.answered_on),
            self.last_key,
        )

    def is_open(self, record: Request | Proposal, day: dt.date) -> bool:
        """Whether ``record`` (dated on or before ``day``) has no answer dated on or before it."""
        answered = self.answered.get(record.id)
        return answered is None or answered > day

    def open_proposals(self, book: Ledger, day: dt.date) -> list[Proposal]:
        """The tabled proposals dated on or before ``day`` without an answer by then, in time order
        (read from those never answered and those answered after ``day``, not from them all)."""
        found = {p.id: p for p in self.unanswered.values() if p.date <= day}
        for answered_day, ids in self.answered_on.items():
            if answered_day <= day:
                continue
            for proposal_id in ids:
                proposal = self.seen[proposal_id]
                if proposal.date <= day and self.answered[proposal_id] > day:
                    assert isinstance(proposal, Proposal)
                    found[proposal_id] = proposal
        return sorted(found.values(), key=book.key)

    def latest_between(self, pair: Pair, day: dt.date) -> Proposal | None:
        """The latest tabled proposal between the parties of ``pair`` dated on or before ``day``."""
        found = self.between.get(pair)
        if found is None:
            return None
        count = bisected(found[0], day)
        return found[1][count - 1] if count else None

    def add(self, book: Ledger, record: LedgerRecord) -> None:
        """Take the next effective record in time order."""
        if isinstance(record, READ):
            self.last_key = book.key(record)
        if isinstance(record, Proposal):
            self._proposal(book, record)
        elif isinstance(record, Request):
            self._request(record)
        elif isinstance(record, Response):
            self._response(book, record)
        elif isinstance(record, Talks):
            self._talks(record)
        elif isinstance(record, TentativeAgreement):
            self._agreement(record)
        elif isinstance(record, Statement) and record.turn_of is not None:
            self.statements.append(record)

    def _answer(self, record_id: str, day: dt.date) -> None:
        if record_id not in self.answered or day < self.answered[record_id]:
            self.answered = _set(self.answered, record_id, day)
            if isinstance(self.seen.get(record_id), Proposal):
                self.unanswered.pop(record_id, None)
                ids = self.answered_on.get(day)
                if ids is None or day not in self.owned_days:  # none, or one shared with the
                    ids = [] if ids is None else list(ids)  # index this one was copied from
                    self.owned_days.add(day)
                ids.append(record_id)
                self.answered_on[day] = ids

    def _proposal(self, book: Ledger, proposal: Proposal) -> None:
        for request_id in self.open_responses.pop((proposal.from_party, proposal.to_party), ()):
            self._answer(request_id, proposal.date)
        if proposal.status in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN):
            return
        pair = frozenset((proposal.from_party, proposal.to_party))
        for other in self.open_in_pair.pop(pair, ()):
            self._answer(other, proposal.date)  # overtaken, or countered
        self.open_in_pair[pair] = [proposal.id]
        dates, proposals = self.between.get(pair, ([], []))
        if pair not in self.owned:  # none yet, or lists shared with the index this one was copied from
            dates, proposals = (Run.of(dates), Run.of(proposals)) if dates else ([], [])
            self.owned.add(pair)
        self.between[pair] = (grown(dates, proposal.date), grown(proposals, proposal))
        self.seen = _set(self.seen, proposal.id, proposal)
        self.unanswered[proposal.id] = proposal
        for sender, answer_id, day in self.early_claims.pop(proposal.id, ()):
            if sender == proposal.to_party and answer_id != proposal.id:
                self._answer(proposal.id, day)
        for answered in proposal.answers:
            self._claim(book.newest(answered), proposal)

    def _claim(self, target_id: str, answer: Proposal) -> None:
        """``answer`` names ``target_id`` among those it answers: an answer when it comes from
        the target's receiver (checked when the target is reached, if it is not yet)."""
        target = self.seen.get(target_id)
        if target is None:
            claim = (answer.from_party, answer.id, answer.date)
            self.early_claims.setdefault(target_id, []).append(claim)
        elif isinstance(target, Proposal) and target.to_party == answer.from_party and target.id != answer.id:
            self._answer(target_id, answer.date)

    def _request(self, request: Request) -> None:
        self.requests.append(request)
        self.seen = _set(self.seen, request.id, request)
        if request.asks is RequestKind.RESPONSE:
            self.open_responses.setdefault((request.to_party, request.from_party), []).append(request.id)
        elif request.asks is RequestKind.MEETING:
            self.open_meetings.append(request)

    def _response(self, book: Ledger, response: Response) -> None:
        target = self.seen.get(book.newest(response.responds_to))
        if target is not None:  # one reached before: a later response answers it
            self._answer(target.id, response.date)

    def _talks(self, talks: Talks) -> None:
        if talks.kind != "talks_held":
            return
        parties = set(talks.parties)
        still = []
        for request in self.open_meetings:
            if {request.from_party, request.to_party} <= parties:
                self._answer(request.id, talks.date)
            else:
                still.append(request)
        self.open_meetings = still

    def _agreement(self, agreement: TentativeAgreement) -> None:
        """A tentative agreement between the two parties of a request answers it (nothing is left
        to ask) when it is on the whole contract or on every issue the request names."""
        parties = set(agreement.parties)
        for request in self.requests:
            covered = agreement.is_whole_contract or (
                bool(request.issues) and set(request.issues) <= set(agreement.issues)
            )
            if (
                covered
                and request.id not in self.answered
                and {request.from_party, request.to_party} == parties
            ):
                self._answer(request.id, agreement.date)


def _set(mapping: dict[str, T] | Layered[str, T], key: str, value: T) -> dict[str, T] | Layered[str, T]:
    """``mapping`` with ``key`` set: a dict in place (one this index made), a layered mapping
    shared with an older index as a new one."""
    if isinstance(mapping, dict):
        mapping[key] = value
        return mapping
    return mapping.updated({key: value})


ANSWERS = "answers"


def answers(book: Ledger) -> Answers:
    """The index of ``book`` (made once per ledger)."""
    return book.derived(ANSWERS, _answers)


def _answers(book: Ledger) -> Answers:
    found = Answers()
    for record in book.effective_all:
        found.add(book, record)
    return found


def _extend_answers(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    """Continue the pass over ``added`` when they come after every record the pass read in time
    order (a proposal dated the day of the last vote comes before it, but after the last
    proposal) and correct none; else the pass is made again on first use."""
    found = old.cache[ANSWERS]
    assert isinstance(found, Answers)
    if any(record.supersedes is not None for record in added):
        return REBUILD
    last = found.last_key
    if last is not None and any(new.key(record) < last for record in added):
        return REBUILD
    found = found.copy()
    for record in sorted(added, key=new.key):
        found.add(new, record)
    return found


EXTENSIONS[ANSWERS] = _extend_answers
