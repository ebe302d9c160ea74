"""The tentative-agreement board: each issue open, tentatively agreed (TA'd) or withdrawn, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from accord.ledger.positions import two_sided
from accord.ledger.records import Ledger
from accord.model import Case, Position, TAWithdrawn, TentativeAgreement, Vote, VoteSubject


class TAState(StrEnum):
    OPEN = "open"
    TA = "ta"
    RATIFIED = "ratified"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class TAStatus:
    """One issue's line on the board.

    ``agreement_id``/``agreement_date`` name the tentative agreement that covers (or, once
    withdrawn, covered) the issue; ``terms`` are its agreed position on the issue where recorded;
    ``withdrawal_id``/``withdrawal_date`` name the ``ta_withdrawn`` event for a withdrawn issue.
    """

    issue: str
    status: TAState
    agreement_id: str | None = None
    agreement_date: dt.date | None = None
    whole_contract: bool = False
    terms: Position | None = None
    withdrawal_id: str | None = None
    withdrawal_date: dt.date | None = None
    ratification_id: str | None = None
    ratification_date: dt.date | None = None

    @property
    def is_agreed(self) -> bool:
        """Tentatively agreed or ratified (not open, not withdrawn)."""
        return self.status in (TAState.TA, TAState.RATIFIED)


def agreement_text(line: TAStatus) -> str:
    """How every view words an agreed issue: ``agreed, TA 2023-09-24`` or, once ratified,
    ``ratified 2023-10-09 (TA 2023-09-24)``; an issue not agreed: its status.

    Examples
    --------
    >>> import datetime as dt
    >>> agreement_text(TAStatus("pay", TAState.TA, "ta-1", dt.date(2023, 9, 24)))
    'agreed, TA 2023-09-24'
    """
    if line.status is TAState.RATIFIED:
        return f"ratified {line.ratification_date} (TA {line.agreement_date})"
    if line.status is TAState.TA:
        return f"agreed, TA {line.agreement_date}"
    return line.status.value


def board(book: Ledger, as_of: dt.date, side_a: str, side_b: str) -> dict[str, TAStatus]:
    """The board keyed by issue id (the worker behind :func:`ta_board`)."""
    case = book.case
    pair = {side_a, side_b}
    lines = {issue.id: TAStatus(issue=issue.id, status=TAState.OPEN) for issue in case.issues}
    agreements: dict[str, TentativeAgreement] = {}
    for event in book.events(as_of):
        if isinstance(event, TentativeAgreement) and set(event.parties) == pair:
            agreements[event.id] = event
            covered = event.issues or tuple(lines)
            for issue_id in covered:
                lines[issue_id] = TAStatus(
                    issue=issue_id,
                    status=TAState.TA,
                    agreement_id=event.id,
                    agreement_date=event.date,
                    whole_contract=event.is_whole_contract,
                    terms=event.terms.get(issue_id),
                )
        elif isinstance(event, TAWithdrawn):
            agreement = agreements.get(book.newest(event.agreement))
            if agreement is None:
                continue
            for issue_id in event.issues or agreement.issues or tuple(lines):
                line = lines.get(issue_id)
                if line is not None and line.status is TAState.TA and line.agreement_id == agreement.id:
                    lines[issue_id] = replace(
                        line, status=TAState.WITHDRAWN, withdrawal_id=event.id, withdrawal_date=event.date
                    )
        elif isinstance(event, Vote) and _ratifies(event):
            for issue_id, line in lines.items():
                if line.status is TAState.TA and line.agreement_id == book.newest(event.agreement or ""):
                    lines[issue_id] = replace(
                        line,
                        status=TAState.RATIFIED,
                        ratification_id=event.id,
                        ratification_date=event.date,
                    )
    return lines


def _ratifies(vote: Vote) -> bool:
    return vote.subject is VoteSubject.RATIFICATION and vote.passed and vote.agreement is not None


def ta_board(
    case: Case, as_of: dt.date, side_a: str | None = None, side_b: str | None = None
) -> list[TAStatus]:
    """Each issue's tentative-agreement status between two sides as of ``as_of``.

    An issue is ``ta`` once a tentative agreement between the two sides covers it (one that
    lists no issues covers the whole contract), ``ratified`` once a ratification vote on that
    agreement passed, ``withdrawn`` once a ``ta_withdrawn`` event takes
    that agreement (or the issue's part of it) back, and ``open`` otherwise. A later agreement
    makes a withdrawn issue ``ta`` again. Agreements between other parties (e.g. another union
    with the same employers) do not count.

    Parameters
    ----------
    case, as_of, side_a, side_b
        As for every two-sided view (see :func:`accord.ledger.gaps`).

    Returns
    -------
    list of TAStatus
        One per issue, in the case's issue order.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "categorical", "options": ["a", "b"]}],
    ...     events=[{"id": "ta", "kind": "tentative_agreement", "date": "2023-09-24", "parties": ["u", "e"]}])
    >>> [line.status.value for line in ta_board(case, dt.date(2023, 9, 24))]
    ['ta']
    """
    book, day, pair = two_sided(case, as_of, side_a, side_b)
    return list(board(book, day, *pair).values())
