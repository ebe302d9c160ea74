"""The batch engine's tables: what static strategies decide at each turn, tabulated on the host.

A static strategy (see :mod:`accord.sim.strategies.base`) decides from the scenario and the turn
alone, so its acceptance thresholds, offers and walk-away decisions are tabulated once per
(strategy, scenario, turn) with NumPy, as ``(n_turns, G * S)`` arrays whose columns are *plan
ids* ``strategy * S + scenario``.

When both sides of a two-sided batch play static strategies only, the standing offer is a
table too: at turn 0 it is the scenario's opening, at turn ``t > 0`` the other side's offer of
turn ``t - 1`` (a negotiation still running at ``t`` has not ended at ``t - 1``, so that offer
stands). Then so is its utility to each voter of the answering side, and the round loop only
compares two looked-up numbers per negotiation (:func:`standing_utilities`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.sim.engine.agent_view import SideAgents
from accord.sim.engine.arrays import NUMPY
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import FloatArray, IntArray
from accord.sim.strategies.base import Strategy


@dataclass(frozen=True, slots=True, eq=False)
class PlanTables:
    """One side's tables on the host, each ``(n_turns, G * S)`` (plan ids in columns).

    thresholds: one table per voting agent (the voice of a single party, each member of a
        coalition), ``+inf`` for a strategy that is not static; offers: the offered outcome;
    walks: whether the side walks away; walk_turns: ``(n_turns,)`` whether any plan walks then.
    """

    thresholds: list[FloatArray]
    offers: IntArray
    walks: np.ndarray
    walk_turns: np.ndarray


def voters(agents: SideAgents) -> range:
    """The stacks of a side that vote on an offer: the voice alone, or each coalition member."""
    return range(1, 1 + len(agents.members)) if agents.side.is_coalition else range(1)


def side_stacks(agents: Sequence[SideAgents]) -> list[ViewStack]:
    """One stack per agent of the side (voice, then each member) across the scenarios."""
    stacks = [ViewStack.of([a.voice for a in agents])]
    for j in range(len(agents[0].members)):
        stacks.append(ViewStack.of([a.members[j] for a in agents]))
    return stacks


def plan_tables(
    strategies: Sequence[Strategy],
    used: np.ndarray,
    stacks: list[ViewStack],
    agents: SideAgents,
    n_turns: int,
) -> PlanTables:
    """The tables of the strategies marked ``used`` (unused columns keep neutral entries)."""
    S = stacks[0].u.shape[0]
    G = len(strategies)
    voting = voters(agents)
    thresholds = [np.full((n_turns, G * S), np.inf) for _ in voting]
    offers = np.zeros((n_turns, G * S), dtype=np.int64)
    walks = np.zeros((n_turns, G * S), dtype=bool)
    sid = np.tile(np.arange(S), n_turns)
    turn = np.repeat(np.arange(n_turns), S)
    voice = stacks[0]
    with np.errstate(invalid="ignore"):  # a voice with nothing to offer has an empty range
        for g in np.flatnonzero(used):
            strategy, cols = strategies[int(g)], slice(g * S, (g + 1) * S)
            walk = strategy.walks_batch(NUMPY, voice, sid, turn) | (voice.n_order[sid] == 0)
            walks[:, cols] = np.asarray(walk).reshape(n_turns, S)
            if not strategy.static:
                continue
            for table, a in zip(thresholds, voting, strict=True):
                table[:, cols] = np.asarray(strategy.threshold_batch(NUMPY, stacks[a], sid, turn)).reshape(
                    n_turns, S
                )
            # A voice with nothing to offer walks; keep its table entries valid indexes all the same.
            offer = strategy.propose_batch(NUMPY, voice, sid, {}, turn, None)
            offers[:, cols] = np.maximum(np.asarray(offer), 0).reshape(n_turns, S)
    return PlanTables(thresholds, offers, walks, np.asarray(walks.any(axis=1)))


def standing_offers(other: PlanTables, standing: IntArray) -> IntArray:
    """The standing offer each turn, by the plan id of the side that made it: ``(n_turns, G * S)``.

    Row 0 holds each scenario's opening (``standing``, ``-1`` where there is none); row ``t``
    the other side's offer of turn ``t - 1``. Valid only when that side plays static strategies.

    Examples
    --------
    >>> other = PlanTables([], np.array([[4, 5], [6, 7], [8, 9]]), np.zeros((3, 2), bool), np.zeros(3, bool))
    >>> standing_offers(other, np.array([-1, 2])).tolist()
    [[-1, 2], [4, 5], [6, 7]]
    """
    n_turns, n_plans = other.offers.shape
    table = np.empty((n_turns, n_plans), dtype=np.int64)
    table[0] = standing[np.arange(n_plans) % standing.shape[0]]
    table[1:] = other.offers[:-1]
    return table


def standing_utilities(stack: ViewStack, stand: IntArray) -> FloatArray:
    """The utility of the standing offer ``stand`` (:func:`standing_offers`) to the agent of
    ``stack``, by turn and the offering side's plan id; NaN where there is no offer (NaN is
    below every threshold, so nothing is accepted).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> stack = SimpleNamespace(u=np.array([[0.1, 0.9], [0.5, 0.6]]))
    >>> standing_utilities(stack, np.array([[-1, 1], [0, 0], [1, 1]])).tolist()
    [[nan, 0.6], [0.1, 0.5], [0.9, 0.6]]
    """
    u = np.asarray(stack.u, dtype=np.float64)  # a host stack
    sid = np.arange(stand.shape[1]) % u.shape[0]
    return np.where(stand >= 0, u[sid, np.maximum(stand, 0)], np.nan)
