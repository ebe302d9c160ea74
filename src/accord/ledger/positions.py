"""Who the two sides are, and each side's latest position per issue as of a date."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

from accord.ledger.records import EXTENSIONS, REBUILD, Ledger, LedgerRecord, OrderKey, as_day, ledger
from accord.ledger.sharing import Run, bisected, grown
from accord.model import Case, Confidence, PartyKind, Proposal, TentativeAgreement, Value

if TYPE_CHECKING:
    from accord.ledger.ta_board_view import TAStatus


@dataclass(frozen=True, slots=True)
class PositionAt:
    """A party's position on one issue as of a date.

    ``proposal_id`` and ``date`` name the latest proposal with a position on the issue. Where that
    position states no value (e.g. "further offers; contents not public"), ``value`` is carried
    over from the latest earlier position that did, and ``value_proposal_id`` names it; both are
    ``None`` when the party never stated a value on the issue.

    ``provenance`` says where the value came from: ``stated`` in this proposal, ``carried`` from
    the earlier one (``value_date``, ``value_confidence``), or ``none``. ``confidence`` is this
    position's own: for a carried value, how sure it is that the value still held.
    ``sources`` are the ids of the sources of the proposal (empty: unsourced).
    ``agreement`` is the issue's line on the tentative-agreement board once the party agreed
    on it (see :func:`positions_as_of`).
    """

    party: str
    issue: str
    value: Value | None
    text: str | None
    proposal_id: str
    date: dt.date
    value_proposal_id: str | None
    confidence: Confidence
    provenance: str = "stated"
    value_date: dt.date | None = None
    value_confidence: Confidence | None = None
    sources: tuple[str, ...] = ()
    agreement: TAStatus | None = None

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def is_carried(self) -> bool:
        return self.provenance == "carried"


def sides(case: Case) -> tuple[str, str]:
    """The default pair of negotiating sides: the first union and the party it deals with most.

    The counterpart is the party the union's proposals go to most often (ties: the earliest),
    else the party whose proposals go to the union most often, else the first coalition or
    employer in the case. Without a union, the sender of the earliest proposal takes its place.
    A case with a single party returns that party twice.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[
    ...     {"id": "amptp", "name": "AMPTP", "kind": "coalition"},
    ...     {"id": "wga", "name": "WGA", "kind": "union"}],
    ...     proposals=[{"id": "p", "date": "2023-05-01", "from": "wga", "to": "amptp"}])
    >>> sides(case)
    ('wga', 'amptp')
    """
    return _default_sides(ledger(case))


def _default_sides(book: Ledger) -> tuple[str, str]:
    case = book.case
    pairs = book.derived(PAIRS, _pairs)
    unions = [p.id for p in case.parties if p.kind is PartyKind.UNION]
    if unions:
        first = unions[0]
    elif pairs:
        first = min(pairs, key=lambda pair: pairs[pair][1])[0]  # the earliest proposal's sender
    else:
        first = case.parties[0].id
    counterpart = _most_common({to: count for (sender, to), count in pairs.items() if sender == first})
    if counterpart is None:
        counterpart = _most_common({sender: count for (sender, to), count in pairs.items() if to == first})
    if counterpart is None:
        counterpart = next(
            (
                p.id
                for p in case.parties
                if p.id != first and p.kind in (PartyKind.COALITION, PartyKind.EMPLOYER)
            ),
            None,
        )
    if counterpart is None:
        counterpart = next((p.id for p in case.parties if p.id != first), first)
    return first, counterpart


PairCounts = dict[tuple[str, str], tuple[int, OrderKey]]
PAIRS = "proposal pairs"


def _pairs(book: Ledger) -> PairCounts:
    """``(sender, receiver) -> (how many effective proposals, the first one's order key)``."""
    found: PairCounts = {}
    _count_pairs(book, found, book.effective_all)
    return found


def _count_pairs(book: Ledger, found: PairCounts, records: Iterable[LedgerRecord]) -> None:
    for record in records:
        if isinstance(record, Proposal):
            pair = (record.from_party, record.to_party)
            count, first = found.get(pair, (0, book.key(record)))
            found[pair] = (count + 1, min(first, book.key(record)))


def _extend_pairs(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    """The counts of ``new``: those of ``old`` and the records added (when they correct none)."""
    if any(record.supersedes is not None for record in added):
        return REBUILD
    found = dict(cast(PairCounts, old.cache[PAIRS]))
    _count_pairs(new, found, added)
    return found


EXTENSIONS[PAIRS] = _extend_pairs


def check_parties(case: Case, party_ids: Iterable[str | None]) -> None:
    """Raise ``ValueError`` naming the first id that is not a party of ``case``."""
    known = {p.id for p in case.parties}
    for party_id in party_ids:
        if party_id is not None and party_id not in known:
            raise ValueError(f"unknown party {party_id!r}; expected one of {sorted(known)}")


def check_issues(case: Case, issue_ids: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the first id that is not an issue of ``case``."""
    known = [issue.id for issue in case.issues]
    for issue_id in issue_ids:
        if issue_id not in known:
            raise ValueError(f"unknown issue {issue_id!r}; expected one of {known}")


def resolve_sides(
    case: Case, side_a: str | None, side_b: str | None, book: Ledger | None = None
) -> tuple[str, str]:
    """``(side_a, side_b)`` with the defaults of :func:`sides` filled in; unknown ids are errors.

    ``book``, the case's ledger if the caller has it, saves building another.
    """
    check_parties(case, (side_a, side_b))
    if side_a is None or side_b is None:
        default_a, default_b = _default_sides(ledger(case) if book is None else book)
        if side_a is None and side_b is None:
            return default_a, default_b
        if side_a is None:
            assert side_b is not None
            side_a = default_a if default_a != side_b else default_b
        else:
            side_b = default_b if default_b != side_a else default_a
    return side_a, side_b


def two_sided(
    case: Case, as_of: dt.date, side_a: str | None, side_b: str | None
) -> tuple[Ledger, dt.date, tuple[str, str]]:
    """What every two-sided view starts from: the sides (:func:`resolve_sides`, so an unknown id
    is a ``ValueError``, read from the whole case), the case's ledger as known on ``as_of``
    (:func:`accord.ledger.records.ledger`), and ``as_of`` as a day.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}])
    >>> _, day, pair = two_sided(case, dt.datetime(2023, 5, 2, 9, 30), None, "u")
    >>> day, pair
    (datetime.date(2023, 5, 2), ('e', 'u'))
    """
    day = as_day(as_of)
    return ledger(case, day), day, resolve_sides(case, side_a, side_b)


def _most_common(counts: dict[str, tuple[int, OrderKey]]) -> str | None:
    """The party with the most proposals; of those, the one whose first proposal came first."""
    if not counts:
        return None
    return min(counts, key=lambda party: (-counts[party][0], counts[party][1]))


@dataclass(slots=True)
class History:
    """Every position one party took on one issue, over all tabled proposals, oldest first.

    Entry ``i`` is ``proposals[i]``'s position on the issue; ``values[i]`` the value it states
    itself (``None``: none), ``carried[i]`` the index of the latest entry up to ``i`` that states
    one (``-1``: none yet), and ``stated`` the indexes of the entries that state one. A value is
    carried over only from earlier entries, so the history as of a date is a prefix of the whole
    one (:meth:`until`); a :class:`PositionAt` is made only for the entries a view reads
    (:meth:`at`).

    Read it, never change it, once a ledger holds it: a history grows (:meth:`append`) only as it
    is made, and a copy of it (:meth:`copy`) shares its entries
    (:class:`accord.ledger.sharing.Run`).
    """

    party: str
    issue: str
    proposals: list[Proposal] | Run[Proposal] = field(default_factory=list)
    dates: list[dt.date] | Run[dt.date] = field(default_factory=list)
    values: list[Value | None] | Run[Value | None] = field(default_factory=list)
    carried: list[int] | Run[int] = field(default_factory=list)
    stated: list[int] | Run[int] = field(default_factory=list)

    def until(self, as_of: dt.date) -> int:
        """How many entries are dated on or before ``as_of``."""
        return bisected(self.dates, as_day(as_of))

    def stated_count(self, count: int) -> int:
        """How many of the first ``count`` entries state a value."""
        return bisected(self.stated, count, left=True)

    def first_stated(self, count: int) -> int | None:
        """The index of the first entry that states a value, among the first ``count``."""
        return self.stated[0] if self.stated and self.stated[0] < count else None

    def at(self, index: int) -> PositionAt:
        """Entry ``index`` as a :class:`PositionAt` (its value carried over where it states none)."""
        proposal = self.proposals[index]
        position = proposal.positions[self.issue]
        carried = self.carried[index]
        origin = None if carried < 0 else self.proposals[carried]
        return PositionAt(
            party=self.party,
            issue=self.issue,
            value=None if carried < 0 else self.values[carried],
            text=position.text,
            proposal_id=proposal.id,
            date=proposal.date,
            value_proposal_id=None if origin is None else origin.id,
            confidence=position.confidence or proposal.confidence,
            provenance="none" if origin is None else "stated" if origin is proposal else "carried",
            value_date=None if origin is None else origin.date,
            value_confidence=None if origin is None else _confidence(origin, self.issue),
            sources=proposal.sources,
        )

    def append(self, proposal: Proposal) -> None:
        """Add ``proposal``'s position on the issue as the newest entry."""
        value = proposal.positions[self.issue].value
        index = len(self.proposals)
        self.proposals = grown(self.proposals, proposal)
        self.dates = grown(self.dates, proposal.date)
        self.values = grown(self.values, value)
        if value is not None:
            self.stated = grown(self.stated, index)
        self.carried = grown(self.carried, self.stated[-1] if self.stated else -1)

    def copy(self) -> History:
        """A history with the same entries that :meth:`append` may grow (this one unchanged),
        sharing them with this one."""
        return History(
            self.party,
            self.issue,
            Run.of(self.proposals),
            Run.of(self.dates),
            Run.of(self.values),
            Run.of(self.carried),
            Run.of(self.stated),
        )


def _confidence(proposal: Proposal, issue_id: str) -> Confidence:
    return proposal.positions[issue_id].confidence or proposal.confidence


Histories = dict[tuple[str, str], History]


def _histories(book: Ledger) -> Histories:
    """``(party, issue) -> History``, in one pass over the tabled proposals."""
    found: Histories = {}
    _add_histories(found, book.tabled_all, set())
    return found


def _add_histories(found: Histories, proposals: Iterable[Proposal], fresh: set[tuple[str, str]]) -> None:
    """Append ``proposals`` to the histories ``found``, copying each history not in ``fresh``
    (those made here) before its first change."""
    for proposal in proposals:
        for issue_id in proposal.positions:
            key = (proposal.from_party, issue_id)
            if key not in fresh:
                history = found.get(key)
                found[key] = History(proposal.from_party, issue_id) if history is None else history.copy()
                fresh.add(key)
            found[key].append(proposal)


def _extend_histories(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    """The histories of ``new`` from those of ``old`` (:data:`accord.ledger.records.EXTENSIONS`):
    only the histories the new proposals touch are copied and grown, when the proposals on the
    table before are still the first ones in time order (else they are built again)."""
    before = old.tabled_all
    if len(new.tabled_all) < len(before) or not _first_are(new.tabled_all, before, added):
        return REBUILD
    found: Histories = dict(cast(Histories, old.cache[HISTORIES]))
    _add_histories(found, new.tabled_all[len(before) :], set())
    return found


def _first_are(items: Sequence[Proposal], first: Sequence[Proposal], added: Sequence[LedgerRecord]) -> bool:
    """Whether ``items`` begins with ``first``. Where ``added`` correct nothing, ``items`` is
    ``first`` with proposals inserted, so it does when the last of ``first`` keeps its place."""
    if not first:
        return True
    if not any(record.supersedes is not None for record in added):
        return items[len(first) - 1] is first[-1]
    return all(map(operator.is_, first, items))


HISTORIES = "position histories"
EXTENSIONS[HISTORIES] = _extend_histories


def history_of(book: Ledger, party: str, issue_id: str) -> History:
    """Every position ``party`` took on ``issue_id`` (built for all parties and issues on first use)."""
    history = book.derived(HISTORIES, _histories).get((party, issue_id))
    return History(party, issue_id) if history is None else history


def position_history(book: Ledger, as_of: dt.date, party: str, issue_id: str) -> list[PositionAt]:
    """Every position ``party`` took on ``issue_id`` by ``as_of``, oldest first (valueless ones too)."""
    history = history_of(book, party, issue_id)
    return [history.at(index) for index in range(history.until(as_of))]


def latest_position(book: Ledger, as_of: dt.date, party: str, issue_id: str) -> PositionAt | None:
    """The last of :func:`position_history`, if any."""
    history = history_of(book, party, issue_id)
    count = history.until(as_of)
    return history.at(count - 1) if count else None


def positions_as_of(case: Case, as_of: dt.date, party: str) -> dict[str, PositionAt]:
    """``party``'s latest position per issue, from its proposals dated on or before ``as_of``.

    Only effective proposals count (corrections applied), and neither drafts nor withdrawn ones.
    Once a tentative agreement of ``party`` covers an issue, the position carries that line of
    the board (``agreement``: the agreed terms, and whether they were ratified); so does an
    issue agreed on which the party never stated a position (its proposal id is then the
    agreement's).

    Parameters
    ----------
    case : Case
    as_of : datetime.date
        The last day whose proposals count.
    party : str
        The party whose proposals are read.

    Returns
    -------
    dict of str to PositionAt
        Keyed by issue id, in the case's issue order; issues the party never addressed are absent.

    Raises
    ------
    ValueError
        ``party`` is not a party of the case.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}},
    ...                {"id": "p2", "date": "2023-08-15", "from": "u", "to": "e", "positions": {"pay": 5}}])
    >>> at = positions_as_of(case, dt.date(2023, 6, 1), "u")["pay"]
    >>> (at.value, at.proposal_id)
    (6.0, 'p1')
    """
    check_parties(case, (party,))
    day = as_day(as_of)
    book = ledger(case, day)
    agreed = _agreements_of(book, day, party)
    found: dict[str, PositionAt] = {}
    for issue in case.issues:
        latest = latest_position(book, day, party, issue.id)
        line = agreed.get(issue.id)
        if latest is not None:
            found[issue.id] = latest if line is None else replace(latest, agreement=line)
        elif line is not None and line.agreement_id is not None and line.agreement_date is not None:
            found[issue.id] = PositionAt(
                party, issue.id, None, None, line.agreement_id, line.agreement_date, None,
                Confidence.A, provenance="none", agreement=line,
            )  # fmt: skip
    return found


def _agreements_of(book: Ledger, as_of: dt.date, party: str) -> dict[str, TAStatus]:
    """The agreed lines of the TA boards between ``party`` and each party it made a TA with."""
    from accord.ledger.ta_board_view import board  # the board reads positions' sides: imported late

    others = {
        other
        for event in book.events(as_of)
        if isinstance(event, TentativeAgreement) and party in event.parties
        for other in event.parties
        if other != party
    }
    agreed: dict[str, TAStatus] = {}
    for other in sorted(others):
        for issue_id, line in board(book, as_of, party, other).items():
            if line.is_agreed:
                agreed[issue_id] = line
    return agreed


def origin_text(at: PositionAt) -> str:
    """Where a position's value came from, as every view words it: ``stated Aug 11, A``,
    ``carried from Aug 11, C`` (the confidence that the value still held), or ``no value stated``.

    Examples
    --------
    >>> import datetime as dt
    >>> at = PositionAt("e", "pay", 13.0, None, "p2", dt.date(2023, 8, 18), "p1", Confidence.C,
    ...                 provenance="carried", value_date=dt.date(2023, 8, 11))
    >>> origin_text(at)
    'carried from Aug 11, C'
    """
    if at.provenance == "none" or at.value_date is None:
        return "no value stated"
    day = f"{at.value_date:%b} {at.value_date.day}"
    if at.provenance == "carried":
        return f"carried from {day}, {at.confidence.value}"
    return f"stated {day}, {at.confidence.value}"
