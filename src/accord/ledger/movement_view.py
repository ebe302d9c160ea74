"""Movement per party per issue since its opening position: moves, concession, hardening, entrenchment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from accord.ledger.gaps_view import GapLabel, IssueGap, gap_distance, issue_gaps
from accord.ledger.positions import HISTORIES, History, PositionAt, history_of, resolve_sides, two_sided
from accord.ledger.records import EXTENSIONS, REBUILD, Ledger, LedgerRecord
from accord.ledger.sharing import Run, bisected, grown
from accord.model import (
    Case,
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


def _stated_count(book: Ledger, as_of: dt.date, party: str, issue_id: str) -> tuple[History, int]:
    """``party``'s history on the issue, and how many of its entries by ``as_of`` state a value
    (those are the first of ``history.stated``)."""
    history = history_of(book, party, issue_id)
    return history, history.stated_count(history.until(as_of))


def issue_movement(
    book: Ledger, as_of: dt.date, issue: Issue, party: str, other: str, gap_label: GapLabel, threshold: float
) -> Movement:
    """One party's movement on one issue (the worker behind :func:`movement`)."""
    own, mine = _stated_count(book, as_of, party, issue.id)
    their, theirs = _stated_count(book, as_of, other, issue.id)
    direction: Direction | None = None
    basis: str | None = None
    if mine and isinstance(issue, (NumericIssue, OrdinalIssue)):
        opening = own.values[own.stated[0]]
        their_opening = their.values[their.stated[0]] if theirs else None
        assert opening is not None
        direction, basis = _preferred(issue, party, other, opening, their_opening)
    moves, concession, hardening = _totals(book, issue, (own, mine), (their, theirs), direction)
    first, last = (own.stated[0], own.stated[mine - 1]) if mine else (None, None)
    entrenched = (
        mine > 0
        and concession < threshold
        and gap_label in (GapLabel.CLOSE, GapLabel.APART, GapLabel.ENTRENCHED)
    )
    return Movement(
        party=party,
        other=other,
        issue=issue.id,
        issue_type=issue.type,
        opening=None if first is None else own.at(first),
        latest=None if last is None else own.at(last),
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


# --- running totals, kept per ledger and carried to the next (see accord.ledger.records.extended) --


@dataclass(frozen=True, slots=True)
class Steps:
    """Running totals of one party's moves on one issue, over its stated positions: entry ``k``
    covers the moves among its first ``k + 1``. For a numeric or ordinal issue ``first`` and
    ``second`` add up the falls and the rises (shares of the range; which of them concedes is
    decided when read, by the direction); for a categorical or provision issue they are the
    concession and hardening against the other party's position of the time, made while that
    party had stated a position (``has_target``) or not. Each total is summed in the order the
    moves were made, so a total read here is the very float a walk over the moves gives."""

    moves: Sequence[int]
    first: Sequence[float]
    second: Sequence[float]
    has_target: bool


STEPS = "movement steps"


def _totals(
    book: Ledger,
    issue: Issue,
    own: tuple[History, int],
    their: tuple[History, int],
    direction: Direction | None,
) -> tuple[int, float, float]:
    """``(moves, concession, hardening)`` of the first ``own[1]`` stated positions of ``own[0]``,
    from the running totals where they apply (else by walking the moves)."""
    history, count = own
    if count == 0:
        return 0, 0.0, 0.0
    steps = _steps(book, issue, history, their[0])
    ordered = isinstance(issue, (NumericIssue, OrdinalIssue))
    if not ordered and steps.has_target != (their[1] > 0):
        return _walked(book, issue, own, their)
    index = count - 1
    moves, first, second = steps.moves[index], steps.first[index], steps.second[index]
    if not ordered:
        return moves, first, second
    if direction is None:
        return moves, 0.0, 0.0
    return (moves, first, second) if direction is Direction.HIGHER else (moves, second, first)


def _steps(book: Ledger, issue: Issue, own: History, their: History) -> Steps:
    table: dict[tuple[str, str, str], Steps] = book.derived(STEPS, lambda _: {})
    key = (own.party, their.party, issue.id)
    found = table.get(key)
    if found is None:
        found = table[key] = _stepped(book, issue, own, their, None)
    return found


def _stepped(book: Ledger, issue: Issue, own: History, their: History, start: Steps | None) -> Steps:
    """``start`` (or nothing) with the moves of ``own``'s stated positions it lacks added."""
    moves: list[int] | Run[int] = [] if start is None else Run.of(start.moves)
    first: list[float] | Run[float] = [] if start is None else Run.of(start.first)
    second: list[float] | Run[float] = [] if start is None else Run.of(start.second)
    ordered = isinstance(issue, (NumericIssue, OrdinalIssue))
    for index in range(len(moves), len(own.stated)):
        if index == 0:
            moves, first, second = grown(moves, 0), grown(first, 0.0), grown(second, 0.0)
            continue
        before, after = own.values[own.stated[index - 1]], own.values[own.stated[index]]
        assert before is not None and after is not None
        if before == after:  # no move: the totals stand
            moves, first, second = grown(moves, moves[-1]), grown(first, first[-1]), grown(second, second[-1])
            continue
        if ordered:
            assert isinstance(issue, (NumericIssue, OrdinalIssue))
            shift = _shift(issue, before, after)
            one, two = max(0.0, -shift), max(0.0, shift)
        else:
            one, two = _step(issue, before, after, _target(book, own, their, index))
        moves = grown(moves, moves[-1] + 1)
        first = grown(first, first[-1] + one)
        second = grown(second, second[-1] + two)
    return Steps(moves, first, second, bool(their.stated))


def _target(book: Ledger, own: History, their: History, index: int) -> Value | None:
    """The other party's stated value before ``own``'s stated position ``index`` (its opening if
    it stated none before; ``None`` if it stated none at all)."""
    if not their.stated:
        return None
    key = book.key(own.proposals[own.stated[index]])
    earlier = bisected(their.stated, key, key=lambda i: book.key(their.proposals[i]))
    return their.values[their.stated[max(earlier - 1, 0)]]


def _walked(
    book: Ledger, issue: Issue, own: tuple[History, int], their: tuple[History, int]
) -> tuple[int, float, float]:
    """The totals of a categorical or provision issue, walked move by move (where the running
    totals were made with the other party's positions and this date has none, or the reverse)."""
    history, count = own
    moves, concession, hardening = 0, 0.0, 0.0
    for index in range(1, count):
        before, after = history.values[history.stated[index - 1]], history.values[history.stated[index]]
        assert before is not None and after is not None
        if before == after:
            continue
        moves += 1
        target = _target(book, history, their[0], index) if their[1] else None
        conceded, hardened = _step(issue, before, after, target)
        concession += conceded
        hardening += hardened
    return moves, concession, hardening


def _extend_steps(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    """The running totals of ``new`` from those of ``old``: unchanged where neither party's
    history changed, grown where only new positions came (the histories were carried forward),
    built again on first use otherwise."""
    before, after = old.cache.get(HISTORIES), new.cache.get(HISTORIES)
    if not isinstance(before, dict) or not isinstance(after, dict):
        return REBUILD
    table: dict[tuple[str, str, str], Steps] = {}
    # A list first: readers of the old ledger may add totals to its table meanwhile.
    for key, steps in list(cast(dict[tuple[str, str, str], Steps], old.cache[STEPS]).items()):
        party, other, issue_id = key
        own, their = after.get((party, issue_id)), after.get((other, issue_id))
        if own is before.get((party, issue_id)) and their is before.get((other, issue_id)):
            table[key] = steps
        elif own is not None and bool(their is not None and their.stated) == steps.has_target:
            issue = next(i for i in new.case.issues if i.id == issue_id)
            table[key] = _stepped(new, issue, own, their or History(other, issue_id), steps)
    return table


EXTENSIONS[STEPS] = _extend_steps
