"""Separate deals and pattern bargaining, against bargaining with the coalition as a whole.

Input: a union-vs-coalition scenario (side 0 a single party, the union; side 1 a coalition whose
member columns have their own utilities, reservation values and strike costs). Instead of one
negotiation with the coalition, the union negotiates a bilateral contract with each member
(alternating offers, :func:`~accord.sim.engine.reference.run_negotiation`), and the first deal sets a
*pattern* (Kochan, Katz & McKersie, *The Transformation of American Industrial Relations*, 1986;
Marshall & Merlo, "Pattern bargaining", *International Economic Review* 45(1), 2004).

Reference semantics:

- A member negotiation without a pattern: the union moves first; openings are the union's and
  the coalition's (the coalition's opening is the member's: it was tabled for every member).
- A member negotiation under a pattern ``x*`` (the first deal's package): the member moves
  first and the pattern is the standing offer (it is offered the pattern first); the union never
  asks for more than the pattern (its opening is ``x*``) and its reservation rises to it: its
  disagreement value on the day the negotiation starts is ``u_union(x*)``, eroding by its daily
  strike cost after that.
- ``mode="sequence"``: one member at a time, in ``order``; each negotiation starts on the day
  the previous one ended. ``mode="simultaneous"``: every member at once from the first day; the
  earliest deal (ties: the first in ``order``) sets the pattern; members that settled on that
  same turn keep their deals; every other member starts again under the pattern on the day of
  the pattern deal.
- Seeds: member negotiation ``j`` (in ``order``) uses index ``j``; a restart under the pattern in
  simultaneous mode uses index ``m + j`` (``m`` members).

:func:`compare_pattern` runs both separate deals and the coalition negotiation (the scenario
itself) with the same strategies and reports them side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.sim.engine.reference import Negotiation, run_negotiation
from accord.sim.scenarios.scenario import Calendar, Scenario, Side
from accord.sim.strategies.base import Strategy

MODES = ("sequence", "simultaneous")


@dataclass(frozen=True, slots=True, eq=False)
class MemberDeal:
    """The union's negotiation with one member: its result, its first and last simulated days,
    and whether it ran under the pattern."""

    member: str
    negotiation: Negotiation
    start_day: int
    end_day: int
    under_pattern: bool

    @property
    def agreement(self) -> int:
        return self.negotiation.agreement


@dataclass(frozen=True, slots=True, eq=False)
class SeparateDeals:
    """Every member's deal (in ``order``), and the pattern package (``-1`` if nobody settled)."""

    mode: str
    deals: tuple[MemberDeal, ...]
    pattern: int
    pattern_member: str | None

    @property
    def settled(self) -> int:
        return sum(d.agreement >= 0 for d in self.deals)

    @property
    def last_day(self) -> int | None:
        """The day the last member settled (the strike's end), ``None`` unless all settled."""
        if self.settled < len(self.deals):
            return None
        return max(d.end_day for d in self.deals)


@dataclass(frozen=True, slots=True, eq=False)
class PatternComparison:
    """Separate deals next to one negotiation with the coalition as a whole.

    member_utility: ``(m, 2)`` each member's utility of its separate deal (column 0) and of the
    coalition deal (column 1), NaN without a deal; union_utility: ``(m, 2)`` the union's.
    """

    separate: SeparateDeals
    coalition: Negotiation
    coalition_day: int
    members: tuple[str, ...]
    member_utility: np.ndarray
    union_utility: np.ndarray


def member_scenario(scenario: Scenario, member: int, start_day: int, pattern: int = -1) -> Scenario:
    """The bilateral negotiation of the union (side 0) with coalition member column ``member``,
    starting on ``start_day``, under ``pattern`` (``-1``: none). See the module docstring.

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> from accord.sim.scenarios.generate import union_vs_coalition
    >>> s = union_vs_coalition(np.random.default_rng(0), (3, 3), 2, DecisionRule())
    >>> m = member_scenario(s, 2, start_day=5, pattern=4)
    >>> m.columns, [side.name for side in m.sides], m.standing_offer, m.calendar.start_day
    (('union', 'm1'), ['m1', 'union'], 4, 5)
    """
    union, coalition = _check(scenario)
    if member not in coalition.columns:
        raise ValueError(f"column {member} is not a member of {coalition.name!r}")
    u = union.columns[0]
    cols = [u, member]
    reservation = scenario.reservation[cols].copy()
    calendar = Calendar(start_day, scenario.calendar.days_per_round)
    union_open = scenario.openings[0] if scenario.openings else -1
    coalition_open = scenario.openings[1] if scenario.openings else -1
    if pattern >= 0:
        # the disagreement value on the start day is the pattern's utility, then erodes
        target, cost = float(scenario.U[pattern, u]), float(scenario.daily_cost[u]) * start_day
        reservation[0] = target + cost
        while reservation[0] - cost > target:  # rounding must not lift it above the pattern
            reservation[0] = np.nextafter(reservation[0], -np.inf)
        sides = (Side(scenario.columns[member], (1,)), Side(union.name, (0,)))
        openings: tuple[int, ...] = (coalition_open, pattern)
    else:
        sides = (Side(union.name, (0,)), Side(scenario.columns[member], (1,)))
        openings = (union_open, coalition_open) if scenario.openings else ()
    return Scenario(
        name=f"{scenario.name}:{scenario.columns[member]}",
        U=scenario.U[:, cols],
        columns=(scenario.columns[u], scenario.columns[member]),
        sides=sides,
        reservation=reservation,
        discount=scenario.discount[cols],
        daily_cost=scenario.daily_cost[cols],
        calendar=calendar,
        packages=scenario.packages,
        openings=openings,
    )


def _check(scenario: Scenario) -> tuple[Side, Side]:
    if scenario.n_sides != 2 or scenario.sides[0].is_coalition or not scenario.sides[1].is_coalition:
        raise ValueError("separate deals need a union (side 0) facing a coalition with members (side 1)")
    return scenario.sides[0], scenario.sides[1]


def _run(
    scenario: Scenario,
    member: int,
    start_day: int,
    pattern: int,
    strategies: Sequence[Strategy],
    n_rounds: int,
    seed: int,
    index: int,
) -> MemberDeal:
    bilateral = member_scenario(scenario, member, start_day, pattern)
    # strategies are (union, member); under a pattern the member speaks first
    lineup = [strategies[1], strategies[0]] if pattern >= 0 else list(strategies)
    negotiation = run_negotiation(bilateral, lineup, n_rounds, seed=seed, index=index)
    end_round = negotiation.end_turn // 2
    end_day = int(bilateral.calendar.day_of_round(np.array([end_round]))[0])
    return MemberDeal(scenario.columns[member], negotiation, start_day, end_day, pattern >= 0)


def separate_deals(
    scenario: Scenario,
    strategies: Sequence[Strategy],
    n_rounds: int,
    *,
    mode: str = "sequence",
    order: Sequence[str] | None = None,
    seed: int = 0,
) -> SeparateDeals:
    """The union's separate negotiations with each member (see the module docstring).

    strategies: ``(union's, every member's)``; order: member ids (default: the coalition's order).

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> from accord.sim.scenarios.generate import union_vs_coalition
    >>> from accord.sim.strategies import make_strategy
    >>> s = union_vs_coalition(np.random.default_rng(0), (4, 4), 3, DecisionRule())
    >>> deals = separate_deals(s, [make_strategy("boulware"), make_strategy("linear")], 20)
    >>> [d.under_pattern for d in deals.deals], deals.settled
    ([False, True, True], 3)
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {list(MODES)}")
    if len(strategies) != 2:
        raise ValueError("separate deals need two strategies: the union's and the members'")
    _, coalition = _check(scenario)
    ids = [scenario.columns[c] for c in coalition.columns]
    order = list(order) if order is not None else ids
    if sorted(order) != sorted(ids):
        raise ValueError(f"order must list the members {ids} once each, got {order}")
    columns = [coalition.columns[ids.index(m)] for m in order]
    start = scenario.calendar.start_day
    if mode == "sequence":
        deals: list[MemberDeal] = []
        pattern, day = -1, start
        for j, c in enumerate(columns):
            deal = _run(scenario, c, day, pattern, strategies, n_rounds, seed, j)
            deals.append(deal)
            if pattern < 0 and deal.agreement >= 0:
                pattern = deal.agreement
            day = deal.end_day
    else:
        first = [_run(scenario, c, start, -1, strategies, n_rounds, seed, j) for j, c in enumerate(columns)]
        agreed = [d for d in first if d.agreement >= 0]
        if not agreed:
            return SeparateDeals(mode, tuple(first), -1, None)
        earliest = min(d.negotiation.end_turn for d in agreed)
        leader = next(d for d in agreed if d.negotiation.end_turn == earliest)
        pattern = leader.agreement
        deals = [
            d
            if d.agreement >= 0 and d.negotiation.end_turn == earliest
            else _run(scenario, c, leader.end_day, pattern, strategies, n_rounds, seed, len(columns) + j)
            for j, (c, d) in enumerate(zip(columns, first, strict=True))
        ]
    leader_id = next((d.member for d in deals if d.agreement == pattern and not d.under_pattern), None)
    return SeparateDeals(mode, tuple(deals), pattern, leader_id if pattern >= 0 else None)


def compare_pattern(
    scenario: Scenario,
    strategies: Sequence[Strategy],
    n_rounds: int,
    *,
    mode: str = "sequence",
    order: Sequence[str] | None = None,
    seed: int = 0,
) -> PatternComparison:
    """Separate deals (:func:`separate_deals`) and the coalition negotiation, side by side.

    The coalition negotiation is ``scenario`` itself under the reference engine (seed index 0),
    with ``strategies[1]`` speaking and voting for the coalition.

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> from accord.sim.scenarios.generate import union_vs_coalition
    >>> from accord.sim.strategies import make_strategy
    >>> s = union_vs_coalition(np.random.default_rng(0), (4, 4), 3, DecisionRule(), reservation=0.1)
    >>> c = compare_pattern(s, [make_strategy("boulware"), make_strategy("linear")], 20)
    >>> c.members, c.member_utility.shape, c.coalition.reason
    (('m0', 'm1', 'm2'), (3, 2), 'agreement')
    """
    separate = separate_deals(scenario, strategies, n_rounds, mode=mode, order=order, seed=seed)
    coalition = run_negotiation(scenario, strategies, n_rounds, seed=seed, index=0)
    coalition_round = coalition.end_turn // scenario.n_sides
    coalition_day = int(scenario.calendar.day_of_round(np.array([coalition_round]))[0])
    u = scenario.sides[0].columns[0]
    members = tuple(d.member for d in separate.deals)
    member_utility = np.full((len(members), 2), np.nan)
    union_utility = np.full((len(members), 2), np.nan)
    for i, deal in enumerate(separate.deals):
        c = scenario.columns.index(deal.member)
        if deal.agreement >= 0:
            member_utility[i, 0] = scenario.U[deal.agreement, c]
            union_utility[i, 0] = scenario.U[deal.agreement, u]
        if coalition.agreement >= 0:
            member_utility[i, 1] = scenario.U[coalition.agreement, c]
            union_utility[i, 1] = scenario.U[coalition.agreement, u]
    return PatternComparison(separate, coalition, coalition_day, members, member_utility, union_utility)
