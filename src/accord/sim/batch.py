"""The batch engine: many negotiations at once, in lock-step, with array operations.

It runs the protocol of :mod:`accord.sim.reference` on ``B`` negotiations together: turn by
turn, each group of negotiations that give a side the same strategy asks that strategy's batch
twin for its decisions. The negotiations may differ in scenario (of one table layout), in
strategies and in seed index; each keeps its own random stream, so its trace is exactly the one
the reference engine gives, whatever else is in the batch (the differential tests check this).

The loop is written against an array namespace ``xp`` (``numpy``); only the decisions are
batched, never the randomness, which is drawn per negotiation from its own seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.prefs.coalition import rule_accepts
from accord.sim.kernels import Array
from accord.sim.reference import OFFER
from accord.sim.scenario import IntArray, Scenario
from accord.sim.seeding import agent_uniforms
from accord.sim.stack import ViewStack
from accord.sim.strategies.base import ACCEPT, WALK, BatchState, Strategy
from accord.sim.views import SideAgents, agent_views

REASON_AGREEMENT, REASON_DEADLINE, REASON_WALK = 0, 1, 2
REASONS = ("agreement", "deadline", "walk")


@dataclass(frozen=True, slots=True, eq=False)
class BatchResult:
    """Outcomes of ``B`` negotiations (row ``b`` is negotiation ``indices[b]``).

    agreement: ``(B,)`` agreed outcome or ``-1``; end_turn: ``(B,)``; reason: ``(B,)`` codes into
    :data:`REASONS`; actions / outcomes: ``(B, n_turns)`` traces (``-1`` after the end), when
    asked for.
    """

    indices: IntArray
    agreement: IntArray
    end_turn: IntArray
    reason: IntArray
    actions: IntArray | None = None
    outcomes: IntArray | None = None


@dataclass(eq=False)
class _Group:
    strategy: Strategy
    rows: IntArray
    sid: IntArray
    states: list[BatchState] = field(default_factory=list)
    uniforms: list[Array | None] = field(default_factory=list)


def layout(scenario: Scenario) -> tuple[object, ...]:
    """What scenarios of one batch must share: the sides, and each coalition's members and rule."""
    return tuple(
        (tuple(scenario.columns[c] for c in s.columns), s.rule) if s.is_coalition else None
        for s in scenario.sides
    )


def _subset(state: BatchState, pos: Array) -> BatchState:
    return {k: v[pos] for k, v in state.items()}


def _write_back(state: BatchState, pos: Array, sub: BatchState) -> None:
    for k, v in sub.items():
        state[k][pos] = v


def run_batch(
    scenarios: Sequence[Scenario],
    scenario_index: IntArray,
    strategies: Sequence[Strategy],
    lineup: IntArray,
    n_rounds: int,
    *,
    seed: int,
    indices: IntArray,
    record_trace: bool = False,
    xp: Any = np,
) -> BatchResult:
    """Run ``B`` negotiations at once.

    scenarios: the scenarios used (all with the same sides, coalitions and member counts).
    scenario_index: ``(B,)`` which scenario each negotiation plays.
    strategies: the strategy instances used; lineup: ``(B, n_sides)`` indexes into them.
    indices: ``(B,)`` each negotiation's index in its run (fixes its random stream with ``seed``).

    Examples
    --------
    >>> from accord.sim.strategies.timedep import Boulware, Conceder
    >>> U = np.array([[1.0, 0.0], [0.7, 0.6], [0.0, 1.0]])
    >>> s = Scenario.bilateral("s", U, ("a", "b"))
    >>> r = run_batch([s], np.zeros(2, int), [Boulware(), Conceder()], np.array([[0, 0], [1, 1]]),
    ...               10, seed=0, indices=np.arange(2))
    >>> r.agreement.tolist(), r.end_turn.tolist()
    ([1, 1], [17, 1])
    """
    scenario_index = np.asarray(scenario_index, dtype=np.int64)
    lineup = np.asarray(lineup, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    B = scenario_index.shape[0]
    n_sides = scenarios[0].n_sides
    if any(layout(s) != layout(scenarios[0]) for s in scenarios):
        raise ValueError(
            "every scenario of a batch needs the same sides, coalition members and decision rules"
        )
    if lineup.shape != (B, n_sides) or indices.shape != (B,):
        raise ValueError(f"lineup must be ({B}, {n_sides}) and indices ({B},)")
    n_turns = n_sides * n_rounds
    views = [agent_views(s, n_rounds) for s in scenarios]
    stacks = [_side_stacks([v[p] for v in views]) for p in range(n_sides)]
    member_ids = [views[0][p].member_ids for p in range(n_sides)]
    agents_per_side = [1 + len(views[0][p].members) for p in range(n_sides)]
    first_agent = np.cumsum([0, *agents_per_side])

    draws: dict[int, Array] = {}
    stochastic = np.array([s.stochastic for s in strategies], dtype=bool)
    for b in np.flatnonzero(stochastic[lineup].any(axis=1)):
        draws[int(b)] = agent_uniforms(seed, int(indices[b]), int(first_agent[-1]), n_turns)

    groups: list[list[_Group]] = []
    for p in range(n_sides):
        side_groups = []
        for g in np.unique(lineup[:, p]):
            rows = np.flatnonzero(lineup[:, p] == g)
            group = _Group(strategies[int(g)], rows, scenario_index[rows])
            for a, stack in enumerate(stacks[p]):
                uni = None
                if group.strategy.stochastic:
                    uni = np.stack([draws[int(b)][first_agent[p] + a] for b in rows])
                group.uniforms.append(uni)
                group.states.append(group.strategy.start_batch(xp, stack, group.sid, uni))
            side_groups.append(group)
        groups.append(side_groups)

    standing = np.array([s.standing_offer for s in scenarios], dtype=np.int64)[scenario_index]
    accepted_by = np.zeros(B, dtype=np.int64)
    done = np.zeros(B, dtype=bool)
    agreement = np.full(B, -1, dtype=np.int64)
    end_turn = np.full(B, n_turns - 1, dtype=np.int64)
    reason = np.full(B, REASON_DEADLINE, dtype=np.int64)
    actions = np.full((B, n_turns), -1, dtype=np.int64) if record_trace else None
    outcomes = np.full((B, n_turns), -1, dtype=np.int64) if record_trace else None

    for turn in range(n_turns):
        if done.all():
            break
        p = turn % n_sides
        for group in groups[p]:
            live = np.flatnonzero(~done[group.rows])
            if live.size == 0:
                continue
            rows, sid = group.rows[live], group.sid[live]
            voice = stacks[p][0]
            walk = (voice.n_order[sid] == 0) | group.strategy.walks_batch(xp, voice, sid, turn)
            has_offer = (standing[rows] >= 0) & ~walk
            accept = np.zeros(live.size, dtype=bool)
            if has_offer.any():
                accept[has_offer] = _vote(
                    xp,
                    group,
                    stacks[p],
                    member_ids[p],
                    views[0][p],
                    live[has_offer],
                    turn,
                    standing[rows[has_offer]],
                )
            proposing = ~walk & ~accept
            if proposing.any():
                pos = live[proposing]
                sub = _subset(group.states[0], pos)
                draws0 = group.uniforms[0]
                uni = draws0[pos] if draws0 is not None else None
                offers = group.strategy.propose_batch(xp, voice, group.sid[pos], sub, turn, uni)
                _write_back(group.states[0], pos, sub)
                standing[rows[proposing]] = offers
                accepted_by[rows[proposing]] = 0

            walked, accepted, proposed = rows[walk], rows[accept], rows[proposing]
            done[walked] = True
            end_turn[walked] = turn
            reason[walked] = REASON_WALK
            accepted_by[accepted] += 1
            agreed = accepted[accepted_by[accepted] == n_sides - 1]
            done[agreed] = True
            agreement[agreed] = standing[agreed]
            end_turn[agreed] = turn
            reason[agreed] = REASON_AGREEMENT
            if actions is not None and outcomes is not None:
                actions[walked, turn] = WALK
                actions[accepted, turn] = ACCEPT
                outcomes[accepted, turn] = standing[accepted]
                actions[proposed, turn] = OFFER
                outcomes[proposed, turn] = standing[proposed]
    return BatchResult(indices, agreement, end_turn, reason, actions, outcomes)


def _side_stacks(agents: Sequence[SideAgents]) -> list[ViewStack]:
    """One stack per agent of the side (voice, then each member) across the scenarios."""
    stacks = [ViewStack.of([a.voice for a in agents])]
    for j in range(len(agents[0].members)):
        stacks.append(ViewStack.of([a.members[j] for a in agents]))
    return stacks


def _vote(
    xp: Any,
    group: _Group,
    stacks: list[ViewStack],
    member_ids: tuple[str, ...],
    agents: SideAgents,
    pos: IntArray,
    turn: int,
    offers: IntArray,
) -> Array:
    """Accept decisions of a side for group positions ``pos`` (see the reference ``_vote``)."""
    agent_range = range(1, len(stacks)) if agents.side.is_coalition else range(1)
    votes = []
    for a in agent_range:
        sub = _subset(group.states[a], pos)
        draws = group.uniforms[a]
        uni = draws[pos] if draws is not None else None
        votes.append(group.strategy.respond_batch(xp, stacks[a], group.sid[pos], sub, turn, offers, uni))
        _write_back(group.states[a], pos, sub)
    if not agents.side.is_coalition:
        return np.asarray(votes[0], dtype=bool)
    assert agents.side.rule is not None
    return rule_accepts(agents.side.rule, member_ids, np.stack(votes, axis=1))
