"""Movement per party per issue since its opening position: moves, concession, hardening, entrenchment."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from accord.ledger.gaps_view import GapLabel, IssueGap, gap_distance, issue_gaps
from accord.ledger.positions import History, PositionAt, history_of, resolve_sides, two_sided
from accord.ledger.records import Ledger, OrderKey
from accord.model import (
    Case,
    CategoricalIssue,
    Direction,
    Issue,
    NumericIssue,
    OrdinalIssue,
    ProvisionIssue,
    Value,
)

ENTRENCHED_THRESHOLD = 0.05
"""The least total concession on an issue that keeps a party from being ``entrenched`` on it."""


@dataclass(frozen=True, slots=True)
class Movement:
    """How far ``party`` moved on ``issue`` between its opening and its latest stated position.

    ``concession`` adds up every move toward the other side and ``hardening`` every move away,
    both in the units of the gap (share of a numeric range, steps over ``n - 1`` for an ordinal
    issue, 0/1 for a categorical one, provisions changed over the issue's provision count).
    ``direction`` is the end of a numeric or ordinal issue the party is taken to prefer, and
    ``direction_basis`` says why: ``"stated"`` (the issue's ``directions``), ``"other side"``
    (the opposite of the other side's stated preference) or ``"openings"`` (away from the other
    side's opening position). ``entrenched`` is true when the party has a position, conceded less
    than the threshold, and a gap remains (the issue is ``close``, ``apart`` or ``entrenched``).
    """

    party: str
    other: str
    issue: str
    issue_type: str
    opening: PositionAt | None
    latest: PositionAt | None
    moves: int
    concession: float
    hardening: float
    direction: Direction | None
    direction_basis: str | None
    gap_label: GapLabel
    entrenched: bool

    @property
    def has_position(self) -> bool:
        return self.opening is not None


@dataclass(frozen=True, slots=True)
class PartyMovement:
    """One party's movement summed over the issues (see :func:`who_moved`)."""

    party: str
    issues_with_position: int
    issues_moved: tuple[str, ...]
    moves: int
    concession: float
    hardening: float
    entrenched_issues: tuple[str, ...]


def _coordinate(issue: Issue, value: Value) -> float:
    """A numeric or ordinal value as a point of ``[0, 1]`` (0: the low end)."""
    if isinstance(issue, NumericIssue):
        assert isinstance(value, (int, float))
        return (float(value) - issue.low) / (issue.high - issue.low)
    assert isinstance(issue, OrdinalIssue)
    if len(issue.options) == 1:
        return 0.0
    return issue.options.index(str(value)) / (len(issue.options) - 1)


def _shift(issue: NumericIssue | OrdinalIssue, before: Value, after: Value) -> float:
    """How far a move goes up the issue, as a share of its range (negative: down)."""
    if isinstance(issue, NumericIssue):
        assert isinstance(before, (int, float)) and isinstance(after, (int, float))
        return (float(after) - float(before)) / (issue.high - issue.low)
    if len(issue.options) == 1:
        return 0.0
    return (issue.options.index(str(after)) - issue.options.index(str(before))) / (len(issue.options) - 1)


def _preferred(
    issue: Issue, party: str, other: str, opening: Value, other_opening: Value | None
) -> tuple[Direction | None, str | None]:
    directions: dict[str, Direction] = getattr(issue, "directions", {})
    if party in directions:
        return directions[party], "stated"
    if other in directions:
        theirs = directions[other]
        return (Direction.LOWER if theirs is Direction.HIGHER else Direction.HIGHER), "other side"
    if other_opening is None:
        return None, None
    mine, theirs_at = _coordinate(issue, opening), _coordinate(issue, other_opening)
    if mine == theirs_at:
        return None, None
    return (Direction.HIGHER if mine > theirs_at else Direction.LOWER), "openings"


def _step(issue: Issue, before: Value, after: Value, target: Value | None) -> tuple[float, float]:
    """(concession, hardening) of one move, for categorical and provision issues."""
    if target is None:
        return 0.0, 0.0
    if isinstance(issue, ProvisionIssue):
        assert isinstance(before, frozenset) and isinstance(after, frozenset)
        assert isinstance(target, frozenset)
        dropped, added = before - after, after - before
        size = len(issue.provisions)
        return (
            (len(dropped - target) + len(added & target)) / size,
            (len(dropped & target) + len(added - target)) / size,
        )
    change = gap_distance(issue, before, target) - gap_distance(issue, after, target)
    return max(0.0, change), max(0.0, -change)


def _stated(book: Ledger, as_of: dt.date, party: str, issue_id: str) -> tuple[History, list[int]]:
    """``party``'s history on the issue, and the indexes of its entries by ``as_of`` that state a value."""
    history = history_of(book, party, issue_id)
    return history, history.stated_until(history.until(as_of))


def issue_movement(
    book: Ledger, as_of: dt.date, issue: Issue, party: str, other: str, gap_label: GapLabel, threshold: float
) -> Movement:
    """One party's movement on one issue (the worker behind :func:`movement`)."""
    own, mine = _stated(book, as_of, party, issue.id)
    their, theirs = _stated(book, as_of, other, issue.id)
    values = [own.values[index] for index in mine]
    their_values = [their.values[index] for index in theirs]
    concession = hardening = 0.0
    moves = 0
    direction: Direction | None = None
    basis: str | None = None
    if values and isinstance(issue, (NumericIssue, OrdinalIssue)):
        assert values[0] is not None
        direction, basis = _preferred(issue, party, other, values[0], their_values[0] if theirs else None)
    their_keys: list[OrderKey] = []
    if isinstance(issue, (CategoricalIssue, ProvisionIssue)):
        their_keys = [book.key(their.proposals[index]) for index in theirs]  # sorted: in time order
    for step, (before, after) in enumerate(pairwise(values), start=1):
        assert before is not None and after is not None
        if before == after:
            continue
        moves += 1
        if isinstance(issue, (NumericIssue, OrdinalIssue)):
            shift = _shift(issue, before, after)
            if direction is Direction.LOWER:
                shift = -shift
            if direction is not None:
                concession += max(0.0, -shift)
                hardening += max(0.0, shift)
        elif isinstance(issue, (CategoricalIssue, ProvisionIssue)):
            earlier = bisect_right(their_keys, book.key(own.proposals[mine[step]]))
            target = their_values[max(earlier - 1, 0)] if theirs else None
            conceded, hardened = _step(issue, before, after, target)
            concession += conceded
            hardening += hardened
    entrenched = (
        bool(mine)
        and concession < threshold
        and gap_label in (GapLabel.CLOSE, GapLabel.APART, GapLabel.ENTRENCHED)
    )
    return Movement(
        party=party,
        other=other,
        issue=issue.id,
        issue_type=issue.type,
        opening=own.at(mine[0]) if mine else None,
        latest=own.at(mine[-1]) if mine else None,
        moves=moves,
        concession=concession,
        hardening=hardening,
        direction=direction,
        direction_basis=basis,
        gap_label=gap_label,
        entrenched=entrenched,
    )


def movement(
    case: Case,
    as_of: dt.date,
    side_a: str | None = None,
    side_b: str | None = None,
    *,
    entrenched_threshold: float = ENTRENCHED_THRESHOLD,
) -> list[Movement]:
    """Each side's movement on each issue since its opening position, as of ``as_of``.

    A move is a change of stated value between consecutive positions of the party (positions
    that state no value are skipped). For a numeric or ordinal issue a move concedes when it goes
    away from the end the party prefers (the issue's ``directions``; if unknown, the opposite of
    the other side's preference; else away from the other side's opening position) and hardens
    when it goes toward it. For a categorical issue a move concedes when it reaches the other
    side's position of the time and hardens when it leaves it. For a provision issue, dropping a
    provision the other side's position lacks or adding one it includes concedes; the reverse
    hardens.

    Parameters
    ----------
    case, as_of, side_a, side_b
        As for every two-sided view (see :func:`accord.ledger.gaps`).
    entrenched_threshold : float
        A party whose total concession on an issue stays below this while a gap remains is
        ``entrenched`` on it.

    Returns
    -------
    list of Movement
        Side A's issues in the case's issue order, then side B's.

    Notes
    -----
    The split of each move into concession and hardening follows the move classification of
    Hindriks, Jonker and Tykhonov, "Negotiation Dynamics: Analysis, Concession Tactics, and
    Outcomes", IEEE/WIC/ACM IAT 2007, measured here per issue on the public record (positions,
    not private utilities), in the units of the gap.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10,
    ...              "directions": {"u": "higher", "e": "lower"}}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}},
    ...                {"id": "p2", "date": "2023-05-01", "from": "e", "to": "u", "positions": {"pay": 2}},
    ...                {"id": "p3", "date": "2023-08-11", "from": "e", "to": "u", "positions": {"pay": 4}}])
    >>> [(m.party, m.moves, round(m.concession, 2), m.entrenched) for m in movement(case, dt.date(2023, 9, 1))]
    [('u', 0, 0.0, True), ('e', 1, 0.2, False)]
    """
    book, day, pair = two_sided(case, as_of, side_a, side_b)
    return movements(book, day, pair, issue_gaps(book, day, book.case.issues, pair), entrenched_threshold)


def movements(
    book: Ledger, as_of: dt.date, sides: tuple[str, str], found: list[IssueGap], entrenched_threshold: float
) -> list[Movement]:
    """Each side's movement per issue, given the gaps ``found`` between them (the worker behind
    :func:`movement`)."""
    a, b = sides
    labels = {gap.issue: gap.label for gap in found}
    return [
        issue_movement(book, as_of, issue, party, other, labels[issue.id], entrenched_threshold)
        for party, other in ((a, b), (b, a))
        for issue in book.case.issues
    ]


def summarize(movements: list[Movement], parties: tuple[str, str]) -> list[PartyMovement]:
    """Sum per-issue movements per party, in the order of ``parties``."""
    summary = []
    for party in parties:
        own = [m for m in movements if m.party == party]
        summary.append(
            PartyMovement(
                party=party,
                issues_with_position=sum(1 for m in own if m.has_position),
                issues_moved=tuple(m.issue for m in own if m.moves),
                moves=sum(m.moves for m in own),
                concession=sum(m.concession for m in own),
                hardening=sum(m.hardening for m in own),
                entrenched_issues=tuple(m.issue for m in own if m.entrenched),
            )
        )
    return summary


def who_moved(
    case: Case,
    as_of: dt.date,
    side_a: str | None = None,
    side_b: str | None = None,
    *,
    entrenched_threshold: float = ENTRENCHED_THRESHOLD,
) -> list[PartyMovement]:
    """Per side: issues with a position, issues it moved on, total moves, concession and hardening.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "ordinal", "options": ["low", "mid", "high"]}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": "high"}},
    ...                {"id": "p2", "date": "2023-05-02", "from": "e", "to": "u", "positions": {"pay": "low"}},
    ...                {"id": "p3", "date": "2023-05-03", "from": "u", "to": "e", "positions": {"pay": "mid"}}])
    >>> [(s.party, s.moves, s.concession) for s in who_moved(case, dt.date(2023, 5, 3))]
    [('u', 1, 0.5), ('e', 0, 0.0)]
    """
    a, b = resolve_sides(case, side_a, side_b)
    return summarize(movement(case, as_of, a, b, entrenched_threshold=entrenched_threshold), (a, b))
