"""The gap per issue between two sides: a normalised distance, a label, the holes, and a ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from accord.ledger.positions import PositionAt, latest_position, two_sided
from accord.ledger.records import Ledger
from accord.ledger.ta_board_view import TAState, TAStatus, board
from accord.model import (
    Case,
    CategoricalIssue,
    Issue,
    NumericIssue,
    OrdinalIssue,
    ProvisionIssue,
    Value,
)

CLOSE_THRESHOLD = 0.25
"""The largest distance labelled ``close`` unless a view is told otherwise."""


class GapLabel(StrEnum):
    AGREED = "agreed"
    CLOSE = "close"
    APART = "apart"
    NO_POSITION = "no position"


@dataclass(frozen=True, slots=True)
class IssueGap:
    """The gap between two sides on one issue as of a date.

    ``distance`` is in ``[0, 1]`` (see :func:`gap_distance`), ``None`` when a side has no stated
    position, and ``0.0`` once the issue is tentatively agreed (``ta_id``). ``holes_a`` lists the
    provisions side A's position includes and side B's lacks; ``holes_b`` the reverse (provision
    issues only; empty otherwise).
    """

    issue: str
    issue_type: str
    side_a: str
    side_b: str
    distance: float | None
    label: GapLabel
    position_a: PositionAt | None
    position_b: PositionAt | None
    proposal_a: str | None
    proposal_b: str | None
    holes_a: tuple[str, ...] = ()
    holes_b: tuple[str, ...] = ()
    ta_id: str | None = None


def gap_distance(issue: Issue, a: Value, b: Value) -> float:
    """Normalised distance in ``[0, 1]`` between two valid positions on ``issue``.

    numeric: ``|a - b|`` as a share of the issue's range; ordinal: steps apart over
    ``n_options - 1``; categorical: 0 when equal, else 1; provisions: ``|A xor B| / |A ∪ B|``
    (the Jaccard distance; 0 when both are empty).

    References
    ----------
    P. Jaccard, "The distribution of the flora in the alpine zone", *New Phytologist* 11(2),
    37-50, 1912 (the Jaccard index; its complement is the distance used for provision sets).

    Examples
    --------
    >>> from accord.model import ProvisionIssue
    >>> ai = ProvisionIssue(id="ai", name="AI", provisions=[{"id": p, "name": p} for p in "xyz"])
    >>> gap_distance(ai, frozenset({"x", "y"}), frozenset({"y", "z"}))
    0.6666666666666666
    """
    if isinstance(issue, ProvisionIssue):
        assert isinstance(a, frozenset) and isinstance(b, frozenset)
        union = a | b
        return len(a ^ b) / len(union) if union else 0.0
    if isinstance(issue, (NumericIssue, OrdinalIssue, CategoricalIssue)):
        return min(1.0, max(0.0, issue.distance(a, b)))
    raise TypeError(f"unknown issue type {type(issue).__name__}")


def holes(issue: Issue, a: Value | None, b: Value | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Provisions in ``a`` missing from ``b``, and in ``b`` missing from ``a``, in the issue's order."""
    if not isinstance(issue, ProvisionIssue) or not isinstance(a, frozenset) or not isinstance(b, frozenset):
        return (), ()
    order = issue.provision_ids
    return tuple(p for p in order if p in a - b), tuple(p for p in order if p in b - a)


def issue_gap(
    book: Ledger,
    as_of: dt.date,
    issue: Issue,
    sides: tuple[str, str],
    line: TAStatus,
    close_threshold: float,
) -> IssueGap:
    """The gap on one issue, given its line on the TA board (the worker behind :func:`gaps`)."""
    side_a, side_b = sides
    at_a = latest_position(book, as_of, side_a, issue.id)
    at_b = latest_position(book, as_of, side_b, issue.id)
    value_a = None if at_a is None else at_a.value
    value_b = None if at_b is None else at_b.value
    distance = None if value_a is None or value_b is None else gap_distance(issue, value_a, value_b)
    ta_id = line.agreement_id if line.status is TAState.TA else None
    if ta_id is not None:
        distance, label = 0.0, GapLabel.AGREED
    elif distance is None:
        label = GapLabel.NO_POSITION
    elif distance == 0.0:
        label = GapLabel.AGREED
    elif distance <= close_threshold:
        label = GapLabel.CLOSE
    else:
        label = GapLabel.APART
    holes_a, holes_b = holes(issue, value_a, value_b)
    return IssueGap(
        issue=issue.id,
        issue_type=issue.type,
        side_a=side_a,
        side_b=side_b,
        distance=distance,
        label=label,
        position_a=at_a,
        position_b=at_b,
        proposal_a=None if at_a is None else at_a.proposal_id,
        proposal_b=None if at_b is None else at_b.proposal_id,
        holes_a=holes_a,
        holes_b=holes_b,
        ta_id=ta_id,
    )


def issue_gaps(
    book: Ledger,
    as_of: dt.date,
    issues: Sequence[Issue],
    sides: tuple[str, str],
    close_threshold: float = CLOSE_THRESHOLD,
) -> list[IssueGap]:
    """The gap on each of ``issues`` in their order (the worker behind :func:`gaps` and the gap
    labels of :func:`accord.ledger.movement`)."""
    lines = board(book, as_of, *sides)
    return [issue_gap(book, as_of, issue, sides, lines[issue.id], close_threshold) for issue in issues]


def gaps(
    case: Case,
    as_of: dt.date,
    side_a: str | None = None,
    side_b: str | None = None,
    *,
    close_threshold: float = CLOSE_THRESHOLD,
) -> list[IssueGap]:
    """The gap per issue between two sides as of ``as_of``, largest first.

    Each side's position is its latest stated one (:func:`accord.ledger.positions_as_of`). The
    label is ``agreed`` when the distance is 0 or the issue is tentatively agreed by then,
    ``close`` when it is at most ``close_threshold``, ``apart`` above it, and ``no position``
    when either side has stated none.

    Parameters
    ----------
    case : Case
    as_of : datetime.date
    side_a, side_b : str, optional
        The two sides; default :func:`accord.ledger.sides`. An id that is not a party
        of the case raises ``ValueError``.
    close_threshold : float
        The largest distance still labelled ``close``.

    Returns
    -------
    list of IssueGap
        Sorted by distance, largest first; ``no position`` issues last; ties in issue order.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}},
    ...                {"id": "p2", "date": "2023-05-01", "from": "e", "to": "u", "positions": {"pay": 4}}])
    >>> gap = gaps(case, dt.date(2023, 5, 2))[0]
    >>> (gap.issue, gap.distance, gap.label.value)
    ('pay', 0.2, 'close')
    """
    book, day, pair = two_sided(case, as_of, side_a, side_b)
    return ranked(issue_gaps(book, day, case.issues, pair, close_threshold), case.issues)


def ranked(found: list[IssueGap], issues: Sequence[Issue]) -> list[IssueGap]:
    """``found`` largest distance first, ``no position`` last, ties in the order of ``issues``."""
    order = {issue.id: index for index, issue in enumerate(issues)}
    return sorted(
        found,
        key=lambda g: (g.distance is None, -(g.distance or 0.0), order[g.issue]),
    )
