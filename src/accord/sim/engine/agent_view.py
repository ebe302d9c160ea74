"""What one agent at the table knows: its utilities, what it may offer, and its clock.

A side at the table acts through agents: a party is one agent; a coalition is a *voice* (which
makes the offers, over an aggregate of the members' utilities, and only offers packages its
decision rule approves at the members' reservation values) plus one agent per member (whose
accept/reject votes the decision rule combines). :func:`agent_views` builds them from a
:class:`~accord.sim.scenarios.scenario.Scenario`; both engines read the same precomputed arrays, so they
do the same floating-point arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.prefs.coalition import rule_accepts
from accord.sim.scenarios.scenario import FloatArray, IntArray, Scenario, Side


@dataclass(frozen=True, slots=True, eq=False)
class AgentView:
    """One agent's private view of a negotiation (arrays are read-only).

    u: ``(n_outcomes,)`` the agent's utility of every outcome.
    order: outcomes the agent may offer, by increasing ``u`` (ties by outcome index).
    u_sorted: ``u[order]``.
    frontier: offerable outcomes on the Pareto frontier of the sides' utilities, by decreasing
        ``u`` (the agent's own end first).
    disagreement: ``(n_turns,)`` the disagreement value at each turn.
    time: ``(n_turns,)`` relative time ``(round + 1) / (n_rounds + 1)`` of each turn (NegMAS's
        convention).
    discount: the agent's per-turn discount factor; ``other_discount``: the mean of the other
        sides' factors (used by Rubinstein play).
    """

    u: FloatArray
    order: IntArray
    u_sorted: FloatArray
    frontier: IntArray
    disagreement: FloatArray
    time: FloatArray
    discount: float
    other_discount: float
    n_sides: int
    n_rounds: int

    @property
    def u_max(self) -> float:
        return float(self.u_sorted[-1]) if self.u_sorted.size else -np.inf

    @property
    def u_min(self) -> float:
        return float(self.u_sorted[0]) if self.u_sorted.size else np.inf

    @property
    def n_turns(self) -> int:
        return int(self.time.shape[0])


@dataclass(frozen=True, slots=True, eq=False)
class SideAgents:
    """The agents of one side: ``voice`` offers (and accepts, for a party); ``members`` vote."""

    side: Side
    voice: AgentView
    members: tuple[AgentView, ...]
    member_ids: tuple[str, ...] = ()


def turn_clock(n_sides: int, n_rounds: int) -> tuple[IntArray, FloatArray]:
    """Round of each turn and the relative time of each turn.

    Examples
    --------
    >>> rounds, t = turn_clock(2, 3)
    >>> rounds.tolist(), t.tolist()
    ([0, 0, 1, 1, 2, 2], [0.25, 0.25, 0.5, 0.5, 0.75, 0.75])
    """
    rounds = np.arange(n_sides * n_rounds, dtype=np.int64) // n_sides
    return rounds, (rounds + 1) / (n_rounds + 1)


def _normalised(u: FloatArray) -> FloatArray:
    lo, hi = float(u.min()), float(u.max())
    return (u - lo) / (hi - lo) if hi > lo else np.zeros_like(u)


def voice_utility(scenario: Scenario, side: Side) -> FloatArray:
    """The utility a side's voice offers by: the column itself, or for a coalition the
    share-weighted mean of its members' utilities, each rescaled to ``[0, 1]``."""
    if not side.is_coalition:
        return np.asarray(scenario.U[:, side.columns[0]], dtype=np.float64)
    assert side.rule is not None
    ids = [scenario.columns[c] for c in side.columns]
    weights = np.array([side.rule.shares.get(i, 1.0) for i in ids], dtype=np.float64)
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    stacked = np.stack([_normalised(scenario.U[:, c]) for c in side.columns], axis=1)
    return np.asarray(stacked @ (weights / weights.sum()), dtype=np.float64)


def approved_outcomes(scenario: Scenario, side: Side) -> IntArray:
    """Outcomes a side may offer: all for a party; for a coalition, those its decision rule
    approves when each member votes yes on packages at or above its reservation value."""
    if not side.is_coalition:
        return np.arange(scenario.n_outcomes, dtype=np.int64)
    assert side.rule is not None
    votes = scenario.U[:, list(side.columns)] >= scenario.reservation[list(side.columns)]
    ids = tuple(scenario.columns[c] for c in side.columns)
    return np.flatnonzero(rule_accepts(side.rule, ids, votes)).astype(np.int64)


def _view(
    u: FloatArray,
    offerable: IntArray,
    side_utilities: FloatArray,
    disagreement: FloatArray,
    time: FloatArray,
    discount: float,
    other_discount: float,
    n_sides: int,
    n_rounds: int,
) -> AgentView:
    # lexsort: primary key u, ties broken by outcome index, so both engines pick the same outcome.
    order = offerable[np.lexsort((offerable, u[offerable]))]
    on_frontier = offerable[pareto_frontier(side_utilities[offerable])] if offerable.size else offerable
    frontier = on_frontier[np.lexsort((on_frontier, -u[on_frontier]))]
    arrays = (u, order, u[order], frontier, disagreement, time)
    for a in arrays:
        a.setflags(write=False)
    return AgentView(
        u, order, u[order], frontier, disagreement, time, discount, other_discount, n_sides, n_rounds
    )


def agent_views(scenario: Scenario, n_rounds: int) -> tuple[SideAgents, ...]:
    """Build every side's agents for a negotiation of ``n_rounds`` rounds.

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.6, 0.6], [0.0, 1.0]])
    >>> a, b = agent_views(Scenario.bilateral("s", U, ("a", "b")), n_rounds=5)
    >>> a.voice.order.tolist(), a.voice.frontier.tolist()
    ([2, 1, 0], [0, 1, 2])
    """
    if n_rounds < 1:
        raise ValueError(f"n_rounds must be >= 1, got {n_rounds}")
    n_sides = scenario.n_sides
    rounds, time = turn_clock(n_sides, n_rounds)
    days = scenario.calendar.day_of_round(rounds)
    voices = [voice_utility(scenario, s) for s in scenario.sides]
    side_utilities = np.stack(voices, axis=1)
    side_discount = np.array([float(np.mean(scenario.discount[list(s.columns)])) for s in scenario.sides])
    result = []
    for p, side in enumerate(scenario.sides):
        other = float(np.mean(np.delete(side_discount, p)))
        offerable = approved_outcomes(scenario, side)
        opening = scenario.openings[p] if scenario.openings else -1
        if opening >= 0:
            below = offerable[voices[p][offerable] <= voices[p][opening]]
            offerable = np.union1d(below, [opening]).astype(np.int64)
        if side.is_coalition:
            # The rule already keeps members above their reservation; the voice's own floor is
            # its worst approved package, so it never blocks what the members accept.
            floor = float(voices[p][offerable].min()) if offerable.size else 0.0
            voice_dv = np.full(days.shape, floor)
        else:
            c = side.columns[0]
            voice_dv = scenario.reservation[c] - scenario.daily_cost[c] * days
        voice = _view(
            voices[p],
            offerable,
            side_utilities,
            voice_dv,
            time,
            float(side_discount[p]),
            other,
            n_sides,
            n_rounds,
        )
        members: tuple[AgentView, ...] = ()
        if side.is_coalition:
            everything = np.arange(scenario.n_outcomes, dtype=np.int64)
            members = tuple(
                _view(
                    np.asarray(scenario.U[:, c], dtype=np.float64),
                    everything,
                    side_utilities,
                    scenario.reservation[c] - scenario.daily_cost[c] * days,
                    time,
                    float(scenario.discount[c]),
                    other,
                    n_sides,
                    n_rounds,
                )
                for c in side.columns
            )
        ids = tuple(scenario.columns[c] for c in side.columns) if side.is_coalition else ()
        result.append(SideAgents(side=side, voice=voice, members=members, member_ids=ids))
    return tuple(result)
