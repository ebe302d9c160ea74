"""Pending responses and whose turn it is: open requests, unanswered proposals, and turn claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from accord.ledger.pending_index import answers
from accord.ledger.positions import two_sided
from accord.ledger.records import Ledger, LedgerRecord
from accord.ledger.settlement import standing_settlement
from accord.model import (
    Case,
    Confidence,
    PartyKind,
    Proposal,
    Request,
    RequestKind,
    Statement,
    TentativeAgreement,
)


@dataclass(frozen=True, slots=True)
class Remark:
    """What a party says about a request: the statement that makes or reports it, or one that
    names it in ``regarding``."""

    party: str
    statement_id: str
    date: dt.date
    summary: str
    quote: str | None


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A request still without an answer: ``from_party`` asked ``to_party`` and waits.

    ``issues`` are what it asks about (empty: no issue named); ``said`` what each party has
    said about it, in time order.
    """

    request_id: str
    date: dt.date
    from_party: str
    to_party: str
    asks: RequestKind
    regarding: tuple[str, ...]
    summary: str | None
    days_waiting: int
    sources: tuple[str, ...]
    confidence: Confidence
    issues: tuple[str, ...] = ()
    said: tuple[Remark, ...] = ()


@dataclass(frozen=True, slots=True)
class UnansweredProposal:
    """A proposal that its receiver has neither countered nor answered."""

    proposal_id: str
    date: dt.date
    from_party: str
    to_party: str
    summary: str | None
    days_waiting: int
    sources: tuple[str, ...]
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class TurnClaim:
    """A party's latest public statement saying whose turn it is.

    ``is_current`` is false when a proposal between the sides came after the statement (the
    claim is about an earlier state of the talks); ``agrees_with_record`` compares the claim with
    the turn by the record.
    """

    party: str
    statement_id: str
    date: dt.date
    turn_of: str
    summary: str
    quote: str | None
    disputes: str | None
    sources: tuple[str, ...]
    confidence: Confidence
    is_current: bool
    agrees_with_record: bool | None


@dataclass(frozen=True, slots=True)
class Pending:
    """Who owes whom a response as of a date, and whose turn it is.

    ``turn`` is the party that received the latest proposal between the two sides (by the
    record; ``turn_basis`` names that proposal). ``claims`` are each party's latest statement
    about whose turn it is; ``disputed`` is true when the current claims name different parties.
    Once a tentative agreement on the whole contract between the two sides stands
    (``settled_by``, :func:`accord.ledger.settlement.settlement`), nobody owes a move: ``turn``
    is ``None`` and the proposals before it are answered by it.
    """

    as_of: dt.date
    side_a: str
    side_b: str
    open_requests: tuple[OpenRequest, ...]
    unanswered: tuple[UnansweredProposal, ...]
    turn: str | None
    turn_basis: str | None
    claims: tuple[TurnClaim, ...]
    disputed: bool
    settled_by: str | None = None
    settled_on: dt.date | None = None


def _remarks(book: Ledger, request: Request, records: Sequence[LedgerRecord]) -> tuple[Remark, ...]:
    """The statements that make or report ``request`` or name it, in time order."""
    return tuple(
        Remark(r.party, r.id, r.date, r.summary, r.quote)
        for r in records
        if isinstance(r, Statement)
        and (r.id == request.statement or any(book.newest(x) == request.id for x in r.regarding))
    )


def pending(case: Case, as_of: dt.date, side_a: str | None = None, side_b: str | None = None) -> Pending:
    """Open requests, unanswered proposals, whose turn it is, and the parties' claims about it.

    A request is open until a ``response`` event answers it (a request for a response is also
    answered by a later proposal from the party asked to the party asking; a request for a
    meeting by a later ``talks_held`` event with both; any request by a tentative agreement
    between the two on its issues, or on the whole contract). Each open request lists its
    issues and what the parties said about it (:class:`Remark`). A proposal to X is unanswered until X
    makes a proposal that answers it, or any later proposal to its sender, or a ``response``
    event answers it; a later proposal from the same sender to X takes its place in the list.
    Days waiting count from the record's date to ``as_of``.

    Parameters
    ----------
    case : Case
    as_of : datetime.date
    side_a, side_b : str, optional
        The two sides whose turn is read; default :func:`accord.ledger.sides`. Turn claims are
        the statements of the two sides (and of mediators) naming one of them. An id that is
        not a party of the case raises ``ValueError``.

    Returns
    -------
    Pending

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     proposals=[{"id": "p1", "date": "2023-08-11", "from": "e", "to": "u"}])
    >>> report = pending(case, dt.date(2023, 8, 21))
    >>> (report.turn, [(p.proposal_id, p.days_waiting) for p in report.unanswered])
    ('u', [('p1', 10)])
    """
    book, day, pair = two_sided(case, as_of, side_a, side_b)
    return pending_between(book, day, pair)


def pending_between(book: Ledger, day: dt.date, sides: tuple[str, str]) -> Pending:
    """What :func:`pending` reports, on the ledger of the case (from its index of answers,
    :mod:`accord.ledger.pending_index`, made once per ledger)."""
    a, b = sides
    index = answers(book)
    requests = [r for r in index.requests if r.date <= day and index.is_open(r, day)]
    said = [r for r in book.events(day) if isinstance(r, Statement)] if requests else []
    open_requests = tuple(
        OpenRequest(
            request_id=r.id,
            date=r.date,
            from_party=r.from_party,
            to_party=r.to_party,
            asks=r.asks,
            regarding=r.regarding,
            summary=r.summary,
            days_waiting=(day - r.date).days,
            sources=r.sources,
            confidence=r.confidence,
            issues=r.issues,
            said=_remarks(book, r, said),
        )
        for r in requests
    )
    unanswered = tuple(
        UnansweredProposal(
            proposal_id=p.id,
            date=p.date,
            from_party=p.from_party,
            to_party=p.to_party,
            summary=p.summary,
            days_waiting=(day - p.date).days,
            sources=p.sources,
            confidence=p.confidence,
        )
        for p in index.open_proposals(book, day)
    )
    latest = index.latest_between(frozenset((a, b)), day)
    agreement = standing_settlement(book, day)
    if agreement is not None:
        unanswered = tuple(u for u in unanswered if not answered_by_settlement(agreement, u))
        if not {a, b} <= set(agreement.parties):
            agreement = None  # settled between other parties: these two still owe moves
    if agreement is not None and latest is not None and latest.date <= agreement.date:
        latest = None
    turn = None if latest is None else latest.to_party
    statements = [s for s in index.statements if s.date <= day]
    claims = _claims(book.case, book, statements, (a, b), latest, turn)
    current = {c.turn_of for c in claims if c.is_current}
    return Pending(
        as_of=day,
        side_a=a,
        side_b=b,
        open_requests=open_requests,
        unanswered=unanswered,
        turn=turn,
        turn_basis=None if latest is None else latest.id,
        claims=claims,
        disputed=len(current) > 1,
        settled_by=None if agreement is None else agreement.id,
        settled_on=None if agreement is None else agreement.date,
    )


def answered_by_settlement(agreement: TentativeAgreement, proposal: UnansweredProposal | Proposal) -> bool:
    """Whether ``agreement`` answers ``proposal``: a proposal between two of its parties, made
    on or before its date."""
    parties = set(agreement.parties)
    return {proposal.from_party, proposal.to_party} <= parties and proposal.date <= agreement.date


def _claims(
    case: Case,
    book: Ledger,
    records: Sequence[LedgerRecord],
    pair: tuple[str, str],
    latest: Proposal | None,
    turn: str | None,
) -> tuple[TurnClaim, ...]:
    mediators = {p.id for p in case.parties if p.kind is PartyKind.MEDIATOR}
    newest: dict[str, Statement] = {}
    for record in records:
        if (
            isinstance(record, Statement)
            and record.turn_of in pair
            and (record.party in pair or record.party in mediators)
        ):
            newest[record.party] = record
    claims = []
    for statement in sorted(newest.values(), key=book.key):
        assert statement.turn_of is not None
        claims.append(
            TurnClaim(
                party=statement.party,
                statement_id=statement.id,
                date=statement.date,
                turn_of=statement.turn_of,
                summary=statement.summary,
                quote=statement.quote,
                disputes=statement.disputes if book.record(statement.disputes or "") else None,
                sources=statement.sources,
                confidence=statement.confidence,
                is_current=latest is None or book.key(statement) > book.key(latest),
                agrees_with_record=None if turn is None else statement.turn_of == turn,
            )
        )
    return tuple(claims)
