"""The gap per issue between two sides: a normalised distance, the share of the opening gap still
open and who closed it, a label derived from those, the holes, the agreed terms, and a ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from accord.ledger.positions import PositionAt, history_of, latest_position, two_sided
from accord.ledger.records import Ledger
from accord.ledger.ta_board_view import TAStatus, board
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
"""The largest share of the opening gap still open that is labelled ``close``."""

ENTRENCHED_SHARE = 0.95
"""The least share of the opening gap still open that is labelled ``entrenched`` (nobody closed
more than a twentieth of it)."""


class GapLabel(StrEnum):
    """How far apart two sides are on an issue, comparable across issues (docs/concepts.md)."""

    AGREED = "agreed"
    CLOSE = "close"
    APART = "apart"
    ENTRENCHED = "entrenched"
    NO_POSITION = "no position"


@dataclass(frozen=True, slots=True)
class IssueGap:
    """The gap between two sides on one issue as of a date.

    ``distance`` is in ``[0, 1]`` (see :func:`gap_distance`), ``None`` when a side has no stated
    position, and ``0.0`` once the issue is tentatively agreed (``ta_id``). ``opening_distance``
    is the distance between the two sides' opening positions, ``open_share`` the share of it still
    open, ``closed_by_a``/``closed_by_b`` the shares each side closed (see :func:`gap_measures`;
    once agreed, measured from the openings to the agreed terms, where recorded).
    ``holes_a`` lists the provisions side A's position includes and side B's lacks; ``holes_b``
    the reverse (provision issues only; empty otherwise, and empty once agreed). ``agreement`` is
    the issue's line on the TA board once it is agreed (its ``terms``, and ``ratified`` status).
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
    opening_distance: float | None = None
    open_share: float | None = None
    closed_by_a: float | None = None
    closed_by_b: float | None = None
    agreement: TAStatus | None = None


@dataclass(frozen=True, slots=True)
class GapMeasures:
    """The opening gap, the share of it still open, and the share each side closed."""

    opening_distance: float | None
    open_share: float | None
    closed_by_a: float | None
    closed_by_b: float | None


def gap_measures(
    issue: Issue,
    opening_a: Value | None,
    opening_b: Value | None,
    latest_a: Value | None,
    latest_b: Value | None,
) -> GapMeasures:
    """How much of the opening gap between two sides is still open, and who closed how much.

    With ``d`` the :func:`gap_distance`, ``d0 = d(opening_a, opening_b)`` and
    ``d1 = d(latest_a, latest_b)``: ``open_share = d1 / d0``. What each side closed is its
    Shapley share of ``d0 - d1``: side A's is the mean of what its move alone closes against B's
    opening, ``d0 - d(latest_a, opening_b)``, and against B's latest position,
    ``d(opening_a, latest_b) - d1``; side B's likewise. The two add up to ``1 - open_share``
    for every issue type; a side that moved away from the other closes a negative share. All
    are ``None`` when a side has no stated position or the sides opened agreed (``d0 = 0``).

    References
    ----------
    L. S. Shapley, "A value for n-person games", in *Contributions to the Theory of Games II*,
    Annals of Mathematics Studies 28, 307-317, 1953.

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20)
    >>> m = gap_measures(pay, 16.9, 9.3, 16.9, 13.0)
    >>> round(m.open_share, 3), round(m.closed_by_a, 3), round(m.closed_by_b, 3)
    (0.513, 0.0, 0.487)
    """
    if opening_a is None or opening_b is None or latest_a is None or latest_b is None:
        return GapMeasures(None, None, None, None)
    d0 = gap_distance(issue, opening_a, opening_b)
    if d0 == 0.0:
        return GapMeasures(d0, None, None, None)
    d1 = gap_distance(issue, latest_a, latest_b)
    a_alone, b_alone = gap_distance(issue, latest_a, opening_b), gap_distance(issue, opening_a, latest_b)
    closed_a = ((d0 - a_alone) + (b_alone - d1)) / 2
    closed_b = ((d0 - b_alone) + (a_alone - d1)) / 2
    # to 9 places: shares of one gap, free of float residue (0.75, not 0.7500000000000001, which
    # would also put a gap of exactly a quarter on the wrong side of the "close" threshold)
    return GapMeasures(d0, round(d1 / d0, 9), round(closed_a / d0, 9), round(closed_b / d0, 9))


def gap_label(
    distance: float | None,
    measures: GapMeasures,
    close_threshold: float = CLOSE_THRESHOLD,
    *,
    restated: bool = True,
) -> GapLabel:
    """The label of a gap, from its distance and :func:`gap_measures` (an agreement aside).

    ``no position`` when a side has stated none; ``agreed`` when the positions meet;
    otherwise, from the share of the opening gap still open: ``close`` at most
    ``close_threshold``, ``entrenched`` at least :data:`ENTRENCHED_SHARE`, ``apart`` between.
    Sides that opened agreed and then parted are ``apart``.

    Examples
    --------
    >>> gap_label(0.2, GapMeasures(0.4, 0.5, 0.25, 0.25)).value
    'apart'
    """
    if distance is None:
        return GapLabel.NO_POSITION
    if distance == 0.0:
        return GapLabel.AGREED
    share = measures.open_share
    if share is None:
        return GapLabel.APART
    if share <= close_threshold:
        return GapLabel.CLOSE
    if share >= ENTRENCHED_SHARE and restated:
        return GapLabel.ENTRENCHED
    return GapLabel.APART


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
    agreed = line.is_agreed
    terms = None if not agreed or line.terms is None else line.terms.value
    latest_a, latest_b = (value_a, value_b) if terms is None else (terms, terms)
    opening_a, opening_b = _opening(book, as_of, side_a, issue.id), _opening(book, as_of, side_b, issue.id)
    measures = gap_measures(issue, opening_a, opening_b, latest_a, latest_b)
    restated = _restated(book, as_of, side_a, issue.id) or _restated(book, as_of, side_b, issue.id)
    label = GapLabel.AGREED if agreed else gap_label(distance, measures, close_threshold, restated=restated)
    holes_a, holes_b = ((), ()) if agreed else holes(issue, value_a, value_b)
    return IssueGap(
        issue=issue.id,
        issue_type=issue.type,
        side_a=side_a,
        side_b=side_b,
        distance=0.0 if agreed else distance,
        label=label,
        position_a=at_a,
        position_b=at_b,
        proposal_a=None if at_a is None else at_a.proposal_id,
        proposal_b=None if at_b is None else at_b.proposal_id,
        holes_a=holes_a,
        holes_b=holes_b,
        ta_id=line.agreement_id if agreed else None,
        opening_distance=measures.opening_distance,
        open_share=0.0 if agreed and measures.opening_distance else measures.open_share,
        closed_by_a=measures.closed_by_a,
        closed_by_b=measures.closed_by_b,
        agreement=line if agreed else None,
    )


def _restated(book: Ledger, as_of: dt.date, party: str, issue_id: str) -> bool:
    """Whether ``party`` took a position on the issue again after its first, by ``as_of``."""
    return history_of(book, party, issue_id).until(as_of) > 1


def _opening(book: Ledger, as_of: dt.date, party: str, issue_id: str) -> Value | None:
    """The first value ``party`` stated on the issue by ``as_of``."""
    history = history_of(book, party, issue_id)
    first = history.first_stated(history.until(as_of))
    return None if first is None else history.values[first]


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
    label is ``agreed`` when the distance is 0 or the issue is tentatively agreed (or ratified)
    by then, else it follows the share of the opening gap still open (:func:`gap_label`):
    ``close``, ``apart``, ``entrenched``, and ``no position`` when either side has stated none.

    Parameters
    ----------
    case : Case
    as_of : datetime.date
    side_a, side_b : str, optional
        The two sides; default :func:`accord.ledger.sides`. An id that is not a party
        of the case raises ``ValueError``.
    close_threshold : float
        The largest share of the opening gap still open that is labelled ``close``.

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
    ...                {"id": "p2", "date": "2023-05-01", "from": "e", "to": "u", "positions": {"pay": 2}},
    ...                {"id": "p3", "date": "2023-06-01", "from": "e", "to": "u", "positions": {"pay": 5}}])
    >>> gap = gaps(case, dt.date(2023, 6, 2))[0]
    >>> (gap.issue, gap.distance, gap.open_share, gap.closed_by_b, gap.label.value)
    ('pay', 0.1, 0.25, 0.75, 'close')
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
