"""Whether a negotiation has settled as of a date: the tentative agreement on the whole contract."""

from __future__ import annotations

import datetime as dt

from accord.ledger.records import Ledger, as_day, ledger
from accord.model import Case, TAWithdrawn, TentativeAgreement, Vote, VoteSubject


def settlement(case: Case, as_of: dt.date) -> TentativeAgreement | None:
    """The tentative agreement on the whole contract that stands as of ``as_of``, if any.

    It stands once known (see :func:`accord.ledger.records.ledger`) until a ``ta_withdrawn``
    event takes it back wholly or a ratification vote on it fails; the latest one that stands is
    returned. A simulation from a date on which the talks had settled is a counterfactual.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     events=[{"id": "ta", "kind": "tentative_agreement", "date": "2023-09-24", "parties": ["u", "e"]}])
    >>> settlement(case, dt.date(2023, 9, 23)) is None
    True
    >>> settled_message(settlement(case, dt.date(2024, 1, 1)))
    'the negotiation settled on 2023-09-24 (TA ta)'
    """
    day = as_day(as_of)
    return standing_settlement(ledger(case, day), day)


def standing_settlement(book: Ledger, day: dt.date) -> TentativeAgreement | None:
    """:func:`settlement` on a ledger already built for ``day`` (a view that holds one)."""
    standing: dict[str, TentativeAgreement] = {}
    for event in book.events(day):
        if isinstance(event, TentativeAgreement) and event.is_whole_contract:
            standing[event.id] = event
        elif (undone := _undone(event)) is not None:
            standing.pop(book.newest(undone), None)
    return list(standing.values())[-1] if standing else None


def _undone(event: object) -> str | None:
    """The agreement ``event`` undoes wholly: a withdrawal of all of it, a failed ratification."""
    if isinstance(event, TAWithdrawn) and not event.issues:
        return event.agreement
    if isinstance(event, Vote) and event.subject is VoteSubject.RATIFICATION and not event.passed:
        return event.agreement
    return None


def counterfactual_note(case: Case, as_of: dt.date) -> str | None:
    """``"counterfactual: the negotiation settled on ..."`` when the talks had settled on
    ``as_of`` (a simulation from then is a counterfactual), else ``None``."""
    agreement = settlement(case, as_of)
    return None if agreement is None else f"counterfactual: {settled_message(agreement)}"


def settled_message(agreement: TentativeAgreement) -> str:
    """How a settlement is named in messages: its date and its record."""
    return f"the negotiation settled on {agreement.date.isoformat()} (TA {agreement.id})"
