"""Where a case could land, as of a date: one call that runs every analysis on a case and its preferences.

:func:`analyze_case` puts together, for the two sides of a case (by default
:func:`accord.ledger.sides`):

- the **disagreement point**: each side's :func:`accord.prefs.disagreement_value` after the
  days completed so far of the strikes and lockouts between the two sides (no per-round
  discount: ``rounds = 0``);
- each **side's view**: its latest proposal as a whole package (see
  :mod:`accord.analysis.proposals` for how unstated issues are filled) and what it is worth to
  both sides;
- the **table reading** (:mod:`accord.analysis.table`): each side's floor, the better of its
  disagreement value and its utility of the other side's latest standing offer;
- the exact **Pareto frontier** and the **bargaining solutions** (every concept of
  :data:`accord.analysis.solutions.CONCEPTS`) under both readings, relative to the disagreement
  point (``reading: "batna"``, flagged in words where one gives a side less than an offer it
  holds) and relative to the floors from the table (``reading: "table"``);
- the **zone of possible agreement**: per issue, the range between the two standing offers
  narrowed by the no-deal values, and as a detail its size and the options each issue can take
  in it;
- a plain-language **summary** (:mod:`accord.analysis.summary`), first;
- the **efficiency** of every proposal between the sides up to the date, with improvements;
- the **DANS** label of every move;
- the **coalition view** when one side is a coalition whose members all have models.

Every result is a frozen dataclass of plain values; :func:`accord.ledger.to_jsonable` turns it
into JSON data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.coalition import CoalitionAnalysis, Deal, coalition_analysis, deal
from accord.analysis.cost_figures import Cost, package_cost
from accord.analysis.efficiency import Efficiency, efficiency
from accord.analysis.frontier import Frontier, pareto_frontier_additive
from accord.analysis.moves import Move, dans_moves
from accord.analysis.proposals import FilledIssue, FilledProposal, filled_proposals
from accord.analysis.solutions import all_solutions
from accord.analysis.summary import Sentence, summarise
from accord.analysis.table import (
    IssueZone,
    issue_warnings,
    issue_zones,
    offer_warnings,
    possessive,
    short_date,
    standing_offer,
    table_floors,
)
from accord.analysis.zopa import Zopa, zone_of_possible_agreement
from accord.ledger import stoppages
from accord.ledger.positions import resolve_sides
from accord.model import Case, Costing, DecisionRule, NumericIssue, PreferenceSet, ProvisionIssue, Value
from accord.prefs import disagreement_value, utility_tables
from accord.prefs.tables import UtilityTables


@dataclass(frozen=True, slots=True)
class SideView:
    """One side: its model's walk-away terms and its latest proposal, worth ``utilities`` to each side."""

    party: str
    label: str
    assumption: bool
    reservation: float
    daily_cost: float
    disagreement: float
    latest_proposal: str | None
    latest_date: dt.date | None
    package: dict[str, Value] | None
    utilities: dict[str, float] | None


@dataclass(frozen=True, slots=True)
class FrontierView:
    """The frontier's distinct points (first side's utility descending) and how many packages reach them."""

    size: int
    packages: int
    points: tuple[tuple[float, ...], ...]
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class SolutionView:
    """A bargaining solution: its point(s), objective value and one package reaching it (None when no
    frontier point is at least the disagreement point for both sides)."""

    concept: str
    points: tuple[tuple[float, ...], ...]
    value: float
    package: Deal | None
    cost: Cost | None = None
    """What the package costs (the preference file's costing; ``None`` without one)."""
    reading: str = "batna"
    """``"batna"``: relative to the no-deal disagreement point; ``"table"``: to the floors from
    the table (:mod:`accord.analysis.table`)."""
    warnings: tuple[str, ...] = ()
    """In the BATNA reading, each side the package gives less than an offer it holds, in words."""
    issue_warnings: tuple[str, ...] = ()
    """Each numeric issue on which the package is worse for a side than the offer it holds on
    that issue alone (either reading; the package as a whole may still be worth more to it)."""
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class IssueRange:
    """The options an issue can take inside the ZOPA: ``low``/``high`` for a numeric issue,
    ``options`` for an ordinal or categorical one, and for a provision set the provisions some
    ZOPA package includes (``may_include``) and those every one includes (``must_include``)."""

    issue: str
    low: float | None
    high: float | None
    options: tuple[str, ...]
    may_include: tuple[str, ...]
    must_include: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ZopaView:
    count_low: int
    count_high: int
    n_outcomes: int
    issues: tuple[IssueRange, ...]
    zones: tuple[IssueZone, ...] = ()
    """Per issue, between the two standing offers (:func:`accord.analysis.table.issue_zones`)."""
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class ProposalEfficiency:
    """One proposal of the record, filled to a whole package, and its efficiency."""

    proposal_id: str
    date: dt.date
    from_party: str
    to_party: str
    fills: tuple[FilledIssue, ...]
    efficiency: Efficiency
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class CaseAnalysis:
    """Everything :func:`analyze_case` finds (see the module docstring)."""

    summary: tuple[Sentence, ...]
    case: str
    title: str
    as_of: dt.date
    side_a: str
    side_b: str
    assumptions: bool
    stoppage_days: int
    issues: tuple[str, ...]
    n_outcomes: int
    disagreement: tuple[float, float]
    disagreement_table: tuple[float, float]
    """Each side's floor from the table: ``max(d_j, u_j(the other side's standing offer))``."""
    sides: tuple[SideView, SideView]
    frontier: FrontierView
    solutions: tuple[SolutionView, ...]
    zopa: ZopaView
    proposals: tuple[ProposalEfficiency, ...]
    moves: tuple[Move, ...]
    coalition: CoalitionAnalysis | None
    notes: tuple[str, ...]


def analyze_case(
    case: Case,
    prefs: PreferenceSet,
    as_of: dt.date,
    side_a: str | None = None,
    side_b: str | None = None,
    max_changes: int = 2,
    suggestions: int = 3,
    seed: int = 0,
) -> CaseAnalysis:
    """Analyse ``case`` with the preference models ``prefs`` as of ``as_of``.

    Parameters
    ----------
    case : the record.
    prefs : a model for each side (and, for the coalition view, for each coalition member).
    as_of : the last day whose records count.
    side_a, side_b : the two sides (default: :func:`accord.ledger.sides`).
    max_changes, suggestions : improvement search (:func:`accord.analysis.efficiency.improvements`).
    seed : for the sampled count of the coalition's acceptable packages.

    Raises
    ------
    ValueError
        When a side is unknown or has no model, or the case has no issues.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case, PreferenceSet
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 4}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 4}}])
    >>> prefs = PreferenceSet(case="c", models=[
    ...     {"party": "u", "label": "U", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "higher"}}},
    ...     {"party": "e", "label": "E", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "lower"}}}])
    >>> result = analyze_case(case, prefs, dt.date(2023, 6, 1))
    >>> result.frontier.size, [(s.reading, s.package.package) for s in result.solutions if s.concept == "nash"]
    (5, [('batna', {'pay': 2.0}), ('table', {'pay': 2.0})])
    """
    a, b = resolve_sides(case, side_a, side_b)
    if not case.issues:
        raise ValueError(f"case {case.id!r} has no issues to analyse")
    missing = [p for p in (a, b) if p not in prefs.parties]
    if missing:
        raise ValueError(f"no preference model for {missing}; models exist for {list(prefs.parties)}")
    days, search = _stoppage_days(case, as_of, a, b), (max_changes, suggestions)
    d = (disagreement_value(prefs.model(a), days), disagreement_value(prefs.model(b), days))
    tables = utility_tables(case.issues, [prefs.model(a), prefs.model(b)])
    frontier = pareto_frontier_additive(tables)
    notes: list[str] = []
    filled = _filled(case, tables, as_of, notes)
    assumed = any(m.assumption for m in prefs.models)
    offers = (standing_offer(filled, a, b), standing_offer(filled, b, a))
    floors, solutions = _readings(case, tables, frontier, d, offers, prefs.costing, assumed)
    draft = CaseAnalysis(
        summary=(),
        case=case.id,
        title=case.title,
        as_of=as_of,
        side_a=a,
        side_b=b,
        assumptions=assumed,
        stoppage_days=days,
        issues=tables.issue_ids,
        n_outcomes=tables.n_outcomes,
        disagreement=d,
        disagreement_table=floors,
        sides=(_side(case, prefs, a, d[0], filled, tables), _side(case, prefs, b, d[1], filled, tables)),
        frontier=FrontierView(frontier.size, sum(frontier.counts), _rows(frontier.points), assumed),
        solutions=solutions,
        zopa=_zone_view(case, tables, d, offers, assumed),
        proposals=tuple(replace(p, assumed=assumed) for p in _efficiencies(tables, frontier, filled, search)),
        moves=tuple(replace(m, assumed=assumed) for m in dans_moves(tables, filled)),
        coalition=_coalition(case, prefs, a, b, days, d, frontier, filled, seed, notes),
        notes=tuple(notes),
    )
    coalition = None if draft.coalition is None else replace(draft.coalition, assumed=assumed)
    return replace(draft, coalition=coalition, summary=summarise(case, draft, offers))


def _zone_view(
    case: Case,
    tables: UtilityTables,
    d: tuple[float, float],
    offers: tuple[FilledProposal | None, FilledProposal | None],
    assumed: bool,
) -> ZopaView:
    """The zone of possible agreement: per issue between the offers, and its size and options."""
    zone = zone_of_possible_agreement(tables, d)
    labels = {p: case.party(p).label for p in tables.parties}
    return replace(
        _zopa(case, tables, zone, assumed),
        zones=issue_zones(case, offers, _reachable(tables, zone.options), labels, assumed),
    )


def _readings(
    case: Case,
    tables: UtilityTables,
    frontier: Frontier,
    d: tuple[float, float],
    offers: tuple[FilledProposal | None, FilledProposal | None],
    costing: Costing | None,
    assumed: bool,
) -> tuple[tuple[float, float], tuple[SolutionView, ...]]:
    """The floors from the table, and the solutions under both readings with their warnings."""
    a, b = tables.parties
    held = _held(tables, offers, a, b)
    floors = table_floors(d, held)
    theirs, ours = offers[1], offers[0]
    held_text = (
        None
        if theirs is None
        else f"the {possessive(case.party(b).label)} offer of {short_date(theirs.date)}",
        None if ours is None else f"the {possessive(case.party(a).label)} offer of {short_date(ours.date)}",
    )
    labels = {a: case.party(a).label, b: case.party(b).label}
    solutions = tuple(
        replace(
            s,
            warnings=offer_warnings(s.points[0], held, (labels[a], labels[b]), held_text)
            if s.reading == "batna"
            else (),
            issue_warnings=issue_warnings(case, tables, s.package.choices, offers, labels),
        )
        if s.package is not None
        else s
        for s in _solutions(tables, frontier, d, case, costing, "batna", assumed)
        + _solutions(tables, frontier, floors, case, costing, "table", assumed)
    )
    return floors, solutions


def _held(
    tables: UtilityTables, offers: tuple[FilledProposal | None, FilledProposal | None], a: str, b: str
) -> tuple[float | None, float | None]:
    """Each side's utility of the offer it holds: ``a`` of ``b``'s standing offer, and ``b`` of ``a``'s."""
    theirs, ours = offers[1], offers[0]
    return (
        None if theirs is None else deal(tables, theirs.choices).utilities[a],
        None if ours is None else deal(tables, ours.choices).utilities[b],
    )


def _reachable(tables: UtilityTables, allowed: tuple[tuple[bool, ...], ...]) -> dict[str, tuple[Value, ...]]:
    """Per issue, the options some package of the zone of possible agreement takes."""
    return {
        issue: tuple(o for o, ok in zip(options, mask, strict=True) if ok)
        for issue, options, mask in zip(tables.issue_ids, tables.options, allowed, strict=True)
    }


def _efficiencies(
    tables: UtilityTables, frontier: Frontier, filled: list[FilledProposal], search: tuple[int, int]
) -> tuple[ProposalEfficiency, ...]:
    """Each proposal's efficiency and improvements (``search``: most changes, suggestions)."""
    return tuple(
        ProposalEfficiency(
            p.proposal_id,
            p.date,
            p.from_party,
            p.to_party,
            p.fills,
            efficiency(tables, frontier, p.choices, *search),
        )
        for p in filled
    )


def _filled(case: Case, tables: UtilityTables, as_of: dt.date, notes: list[str]) -> list[FilledProposal]:
    """The proposals to analyse, filled to whole packages; a note for each left out."""
    filled = []
    for p in filled_proposals(case, tables, as_of):
        if p.is_empty:
            notes.append(f"proposal {p.proposal_id!r} states no value and has none to carry: left out")
        else:
            filled.append(p)
    return filled


def _stoppage_days(case: Case, as_of: dt.date, a: str, b: str) -> int:
    """Days completed, as of ``as_of``, of the strikes and lockouts between ``a`` and ``b``."""
    return sum(s.days_completed for s in stoppages(case, as_of) if {s.by, s.against} == {a, b})


def _rows(points: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(x) for x in row) for row in points)


def _side(
    case: Case,
    prefs: PreferenceSet,
    party: str,
    d: float,
    filled: list[FilledProposal],
    tables: UtilityTables,
) -> SideView:
    model = prefs.model(party)
    own = [p for p in filled if p.from_party == party]
    latest = own[-1] if own else None
    found = None if latest is None else deal(tables, latest.choices)
    return SideView(
        party=party,
        label=case.party(party).label,
        assumption=model.assumption,
        reservation=model.reservation,
        daily_cost=model.daily_cost,
        disagreement=d,
        latest_proposal=None if latest is None else latest.proposal_id,
        latest_date=None if latest is None else latest.date,
        package=None if found is None else found.package,
        utilities=None if found is None else found.utilities,
    )


def _solutions(
    tables: UtilityTables,
    frontier: Frontier,
    d: tuple[float, float],
    case: Case,
    costing: Costing | None,
    reading: str,
    assumed: bool,
) -> tuple[SolutionView, ...]:
    out = []
    for name, s in all_solutions(frontier, np.array(d)).items():
        example = None if s.choices.shape[0] == 0 else deal(tables, tuple(int(c) for c in s.choices[0]))
        cost = (
            None
            if costing is None or example is None
            else package_cost(costing, case.issues, example.package)
        )
        out.append(
            SolutionView(name, _rows(s.points), float(s.value), example, cost, reading, (), (), assumed)
        )
    return tuple(out)


def _zopa(case: Case, tables: UtilityTables, zopa: Zopa, assumed: bool) -> ZopaView:
    ranges = []
    for issue_id, options, allowed in zip(tables.issue_ids, tables.options, zopa.options, strict=True):
        issue = case.issue(issue_id)
        inside = [o for o, ok in zip(options, allowed, strict=True) if ok]
        low = high = None
        names: tuple[str, ...] = ()
        may: tuple[str, ...] = ()
        must: tuple[str, ...] = ()
        if isinstance(issue, NumericIssue) and inside:
            low, high = (
                min(float(o) for o in inside if isinstance(o, (int, float))),
                max(float(o) for o in inside if isinstance(o, (int, float))),
            )
        elif isinstance(issue, ProvisionIssue) and inside:
            sets = [o for o in inside if isinstance(o, frozenset)]
            may = tuple(p for p in issue.provision_ids if any(p in s for s in sets))
            must = tuple(p for p in issue.provision_ids if all(p in s for s in sets))
        else:
            names = tuple(str(o) for o in inside)
        ranges.append(IssueRange(issue_id, low, high, names, may, must))
    return ZopaView(zopa.count_low, zopa.count_high, zopa.n_outcomes, tuple(ranges), (), assumed)


def _coalition(
    case: Case,
    prefs: PreferenceSet,
    a: str,
    b: str,
    days: int,
    d: tuple[float, float],
    frontier: Frontier,
    filled: list[FilledProposal],
    seed: int,
    notes: list[str],
) -> CoalitionAnalysis | None:
    for union, side, flip in ((a, b, False), (b, a, True)):
        party = case.party(side)
        if not party.members:
            continue
        missing = [m for m in party.members if m not in prefs.parties]
        if missing:
            notes.append(f"no coalition view for {side!r}: no preference model for members {missing}")
            return None
        if party.decision_rule is None:
            notes.append(f"{side!r} states no decision rule; unanimity assumed")
        rule = party.decision_rule or DecisionRule()
        models = [prefs.model(union)] + [prefs.model(m) for m in party.members]
        tables = utility_tables(case.issues, models)
        disagreement = [disagreement_value(m, days) for m in models]
        offers = [p for p in filled if p.from_party == side and p.to_party == union]
        pair_frontier = frontier if not flip else _flipped(frontier)
        d_pair = (d[1], d[0]) if flip else d
        return coalition_analysis(
            tables,
            rule,
            disagreement,
            pair_frontier,
            d_pair,
            offers[-1].choices if offers else None,
            seed=seed,
        )
    return None


def _flipped(frontier: Frontier) -> Frontier:
    """The same frontier with the two parties' columns swapped (the union first)."""
    return Frontier(
        frontier.points[:, ::-1].copy(),
        frontier.counts,
        frontier.choices,
        frontier.point_of,
        frontier.is_complete,
    )
