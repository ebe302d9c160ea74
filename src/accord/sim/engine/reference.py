"""The reference engine: one negotiation, step by step, with a full trace.

Protocol (stacked alternating offers; with two sides, plain alternating offers): the sides move
in turn, the first side first. On its turn a side may walk away (ending the negotiation without
agreement); otherwise it answers the standing offer, if there is one. An offer is agreed when
every other side has accepted it in a row; a side that does not accept makes a new offer, which
becomes the standing offer. After ``n_rounds`` rounds (one turn of every side each) without
agreement, the deadline ends the negotiation.

A scenario with openings (see :mod:`accord.sim.scenarios.scenario`) starts with the last side's opening
as the standing offer; it is not a step of the trace.

A coalition side accepts when its decision rule approves its members' votes (each member votes
with the side's strategy on its own utilities) and offers through its voice (the same strategy
on the coalition's aggregate utility, restricted to packages the rule approves).

This engine is meant to be read; :mod:`accord.sim.engine.batch` runs many negotiations at once and
must give exactly the same traces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from accord.prefs.coalition import rule_accepts
from accord.sim.engine.agent_view import SideAgents, agent_views
from accord.sim.engine.seeding import agent_uniforms
from accord.sim.scenarios.scenario import FloatArray, IntArray, Scenario
from accord.sim.strategies.base import ACCEPT, Action, State, Strategy

OFFER = Action.OFFER
"""Trace action: the side rejected the standing offer (if any) and made the offer recorded."""


class EndReason(IntEnum):
    """How a negotiation ended: the code the batch engine records, and its :attr:`label` (the
    reference engine's :attr:`Negotiation.reason`, and the tables' ``reason`` column)."""

    AGREEMENT = 0
    DEADLINE = 1
    WALK = 2

    @property
    def label(self) -> str:
        """``"agreement"``, ``"deadline"`` or ``"walk"``."""
        return self.name.lower()


AGREEMENT, DEADLINE, WALKED = (reason.label for reason in EndReason)


@dataclass(frozen=True, slots=True)
class Step:
    """One turn of the trace: ``side`` did ``action`` (``OFFER``, ``ACCEPT`` or ``WALK``) with
    ``outcome`` (the package offered or accepted; ``-1`` for a walk)."""

    turn: int
    side: int
    action: Action
    outcome: int


@dataclass(frozen=True, slots=True)
class Negotiation:
    """A finished negotiation: its trace and how it ended.

    agreement: the agreed outcome, or ``-1``; end_turn: the turn on which it ended (the last turn
    when the deadline ended it); reason: ``"agreement"``, ``"deadline"`` or ``"walk"``.
    """

    trace: tuple[Step, ...]
    agreement: int
    end_turn: int
    reason: str

    def trace_arrays(self, n_turns: int) -> tuple[IntArray, IntArray]:
        """``(actions, outcomes)`` of length ``n_turns``, ``-1`` after the end (the batch form)."""
        actions = np.full(n_turns, -1, dtype=np.int64)
        outcomes = np.full(n_turns, -1, dtype=np.int64)
        for step in self.trace:
            actions[step.turn] = step.action
            outcomes[step.turn] = step.outcome
        return actions, outcomes


def side_accepts(
    agents: SideAgents,
    strategy: Strategy,
    states: list[State],
    turn: int,
    offer: int,
    uniforms: list[FloatArray | None],
) -> bool:
    """Whether a side accepts ``offer``: its own answer, or its members' votes under its rule
    (:func:`accord.prefs.rule_accepts`)."""
    if not agents.side.is_coalition:
        return strategy.respond(agents.voice, states[0], turn, offer, uniforms[0]) == ACCEPT
    votes = np.array(
        [
            strategy.respond(member, states[1 + j], turn, offer, uniforms[1 + j]) == ACCEPT
            for j, member in enumerate(agents.members)
        ]
    )
    assert agents.side.rule is not None
    return bool(rule_accepts(agents.side.rule, agents.member_ids, votes))


@dataclass(frozen=True, slots=True, eq=False)
class Seated:
    """Every side's agents, their strategies' states and their random draws, ready to negotiate
    (one entry per side; within a side, the voice first, then each member)."""

    sides: tuple[SideAgents, ...]
    states: list[list[State]]
    uniforms: list[list[FloatArray | None]]


def seat(
    scenario: Scenario, strategies: Sequence[Strategy], n_rounds: int, *, seed: int = 0, index: int = 0
) -> Seated:
    """Build the agents of every side and start their strategies (any protocol's first step).

    ``seed`` and ``index`` fix the negotiation's random stream (see :mod:`accord.sim.engine.seeding`).
    """
    if len(strategies) != scenario.n_sides:
        raise ValueError(
            f"{scenario.n_sides} sides need {scenario.n_sides} strategies, got {len(strategies)}"
        )
    sides = agent_views(scenario, n_rounds)
    n_turns = scenario.n_sides * n_rounds
    n_agents = sum(1 + len(a.members) for a in sides)
    draws = agent_uniforms(seed, index, n_agents, n_turns) if any(s.stochastic for s in strategies) else None
    uniforms: list[list[FloatArray | None]] = []
    states: list[list[State]] = []
    row = 0
    for agents, strategy in zip(sides, strategies, strict=True):
        views = (agents.voice, *agents.members)
        side_uniforms = [draws[row + j] if draws is not None else None for j in range(len(views))]
        uniforms.append(side_uniforms)
        states.append([strategy.start(v, u) for v, u in zip(views, side_uniforms, strict=True)])
        row += len(views)
    return Seated(sides, states, uniforms)


def run_negotiation(
    scenario: Scenario,
    strategies: Sequence[Strategy],
    n_rounds: int,
    *,
    seed: int = 0,
    index: int = 0,
) -> Negotiation:
    """Run one negotiation of ``scenario`` with one strategy per side.

    ``seed`` and ``index`` fix the negotiation's random stream (see :mod:`accord.sim.engine.seeding`).

    Examples
    --------
    >>> from accord.sim.strategies.timedep import Boulware
    >>> U = np.array([[1.0, 0.0], [0.7, 0.6], [0.0, 1.0]])
    >>> s = Scenario.bilateral("s", U, ("a", "b"))
    >>> n = run_negotiation(s, [Boulware(), Boulware()], n_rounds=10)
    >>> n.reason, n.agreement
    ('agreement', 1)
    """
    seated = seat(scenario, strategies, n_rounds, seed=seed, index=index)
    sides, states, uniforms = seated.sides, seated.states, seated.uniforms
    n_turns = scenario.n_sides * n_rounds
    trace: list[Step] = []
    standing, accepted_by = scenario.standing_offer, 0
    for turn in range(n_turns):
        p = turn % scenario.n_sides
        agents, strategy = sides[p], strategies[p]
        if agents.voice.order.size == 0 or strategy.walks(agents.voice, turn):
            trace.append(Step(turn, p, Action.WALK, -1))
            return Negotiation(tuple(trace), -1, turn, WALKED)
        if standing >= 0 and side_accepts(agents, strategy, states[p], turn, standing, uniforms[p]):
            trace.append(Step(turn, p, Action.ACCEPT, standing))
            accepted_by += 1
            if accepted_by == scenario.n_sides - 1:
                return Negotiation(tuple(trace), standing, turn, AGREEMENT)
            continue
        standing = strategy.propose(agents.voice, states[p][0], turn, uniforms[p][0])
        accepted_by = 0
        trace.append(Step(turn, p, Action.OFFER, standing))
    return Negotiation(tuple(trace), -1, n_turns - 1, DEADLINE)
