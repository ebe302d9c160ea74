"""The batch engine: many negotiations at once, in lock-step, with array operations.

It runs the protocol of :mod:`accord.sim.engine.reference` on ``B`` negotiations together, turn by turn.
The negotiations may differ in scenario (of one table layout), in strategies and in seed index;
each keeps its own random stream, so its trace is exactly the one the reference engine gives,
whatever else is in the batch (the differential tests check this).

How it stays fast (and the same on every array namespace, :mod:`accord.sim.engine.arrays`):

- *tables*: a static strategy (see :mod:`accord.sim.strategies.base`) decides from the scenario
  and the turn alone, so its acceptance thresholds and offers are tabulated once per (strategy,
  scenario, turn) on the host with NumPy and copied to the device; so are every strategy's
  walk-away decisions (:mod:`accord.sim.engine.decision_tables`). In the round loop a negotiation only looks
  up its row of the tables and the utility of the standing offer.
- *static pairs*: when both of two sides play static strategies, the standing offer itself is
  a table (the other side's offer of the turn before, by its plan), and so is its utility to
  each voter: a turn is then two lookups and a comparison per negotiation and voter, with no
  offer kept per negotiation (:func:`~accord.sim.engine.rounds.play_static_pair`).
- *other strategies* (stateful or random) are called turn by turn, as one group per strategy,
  on the negotiations still running; their random numbers are drawn with NumPy from each
  negotiation's own stream and copied to the device.
- *openings*: a scenario's standing offer before turn 0 (:attr:`Scenario.openings`) is each
  negotiation's starting standing offer, answered at turn 0 like any other.
- *one rule*: a coalition's votes are combined by :func:`accord.prefs.rule_accepts` on the
  namespace's own arrays, the implementation every other part of Accord applies.
- *early exit*: negotiations leave the working set as soon as they end, and the loop stops when
  none is left.
- *little over the bus*: per negotiation only the scenario index (and the lineup, when there are
  several strategies) goes to the device, in the narrowest integer type that holds it, and is
  widened and looked up there (standing offers, plan ids); results come back narrow too. In
  the round loop the only synchronisations are the test whether any negotiation ended this
  turn and one ``nonzero`` per ended mask; scalar operands are made on the device (see
  :meth:`~accord.sim.engine.arrays.TorchArrays.where`), never copied from host memory.

Tolerance of float32 (measured by the tests on random scenarios): the agreement, its turn and
the reason are the float64 result's for at least 99% of negotiations; float32 rounds utilities
and thresholds to about 6e-8 relative, so only near-ties (an offer within that of a threshold)
can go the other way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.sim.engine.agent_view import SideAgents, agent_views
from accord.sim.engine.arrays import NUMPY, Array, ArrayNamespace
from accord.sim.engine.decision_tables import (
    PlanTables,
    plan_tables,
    side_stacks,
    standing_offers,
    standing_utilities,
    voters,
)
from accord.sim.engine.reference import EndReason
from accord.sim.engine.rounds import (
    REASONS,
    Ends,
    Live,
    LiveOffers,
    Side,
    play_static_pair,
    play_turns,
    start_group,
)
from accord.sim.engine.seeding import agent_uniforms
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import IntArray, Scenario
from accord.sim.strategies.base import Action, Strategy


@dataclass(frozen=True, slots=True, eq=False)
class BatchResult:
    """Outcomes of ``B`` negotiations (row ``b`` is negotiation ``indices[b]``).

    agreement: ``(B,)`` agreed outcome or ``-1``; end_turn: ``(B,)``; reason: ``(B,)`` codes into
    :data:`REASONS`; actions / outcomes: ``(B, n_turns)`` traces (``-1`` after the end), when
    asked for. Always NumPy arrays, whatever namespace ran the batch.
    """

    indices: IntArray
    agreement: IntArray
    end_turn: IntArray
    reason: IntArray
    actions: IntArray | None = None
    outcomes: IntArray | None = None


def layout(scenario: Scenario) -> tuple[object, ...]:
    """What scenarios of one batch must share: the outcome count, the sides, and each
    coalition's members and rule."""
    return (
        scenario.n_outcomes,
        *(
            (tuple(scenario.columns[c] for c in s.columns), s.rule) if s.is_coalition else None
            for s in scenario.sides
        ),
    )


def run_batch(
    scenarios: Sequence[Scenario],
    scenario_index: NDArray[np.integer[Any]],
    strategies: Sequence[Strategy],
    lineup: IntArray,
    n_rounds: int,
    *,
    seed: int,
    indices: IntArray,
    record_trace: bool = False,
    xp: ArrayNamespace = NUMPY,
) -> BatchResult:
    """Run ``B`` negotiations at once on the array namespace ``xp``.

    scenarios: the scenarios used (all with the same outcome count, sides, coalition members
        and rules).
    scenario_index: ``(B,)`` which scenario each negotiation plays (any integer type; the
        narrowest that holds ``len(scenarios) - 1`` is the least to copy to a device).
    strategies: the strategy instances used; lineup: ``(B, n_sides)`` indexes into them.
    indices: ``(B,)`` each negotiation's index in its run (fixes its random stream with ``seed``).
    xp: the array namespace (``ArraySpec(...).namespace()``); NumPy float64 by default.

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
    scenario_index = np.asarray(scenario_index)  # any integer type: a narrow one is not widened here
    lineup = np.asarray(lineup, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    _check_batch(scenarios, scenario_index, strategies, lineup, indices)
    n_sides = scenarios[0].n_sides
    n_out, n_turns = scenarios[0].n_outcomes, n_sides * n_rounds
    views = [agent_views(s, n_rounds) for s in scenarios]
    host_stacks = [side_stacks([v[p] for v in views]) for p in range(n_sides)]
    first_agent = np.cumsum([0, *(len(st) for st in host_stacks)])
    draws = _draws(strategies, lineup, seed, indices, int(first_agent[-1]), n_turns)
    # The standing offer before turn 0: each scenario's last opening, or -1 (none). Looked up on
    # the device: only the scenario index crosses the bus (in its narrowest type).
    standing = np.array([s.standing_offer for s in scenarios], dtype=np.int64)
    sid = xp.asindex(scenario_index, len(scenarios) - 1)
    built = [
        _side(
            xp,
            strategies,
            lineup,
            p,
            host_stacks[p],
            views[0][p],
            n_turns,
            sid,
            scenario_index,
            draws,
            int(first_agent[p]),
        )
        for p in range(n_sides)
    ]
    ends, actions, outcomes = _play(xp, built, host_stacks, standing, sid, n_out, n_turns, record_trace)

    def host(a: Array | None, lower: int, upper: int) -> IntArray | None:
        return None if a is None else xp.to_numpy_int(a, lower, upper)

    return BatchResult(
        indices,
        np.asarray(host(ends.agreement, -1, n_out - 1)),
        np.asarray(host(ends.end_turn, 0, n_turns)),
        np.asarray(host(ends.reason, 0, len(REASONS))),
        host(actions, -1, max(Action)),
        host(outcomes, -1, n_out - 1),
    )


def _play(
    xp: ArrayNamespace,
    built: list[_BuiltSide],
    host_stacks: list[list[ViewStack]],
    standing: IntArray,
    sid: Array,
    n_out: int,
    n_turns: int,
    record_trace: bool,
) -> tuple[Ends, Array | None, Array | None]:
    """Run the round loop that fits (two static sides: :func:`play_static_pair`; else
    :func:`play_turns`); how each negotiation ended, and the traces if asked for."""
    B, n_sides, sides = sid.shape[0], len(built), [b.side for b in built]
    ends = Ends(
        xp.full(B, -1, "int"), xp.full(B, n_turns - 1, "int"), xp.full(B, int(EndReason.DEADLINE), "int")
    )
    actions = xp.full((B, n_turns), -1, "int") if record_trace else None
    outcomes = xp.full((B, n_turns), -1, "int") if record_trace else None
    if n_sides == 2 and not record_trace and all(side.all_static for side in sides):
        for p, side in enumerate(sides):
            facing = standing_offers(built[1 - p].tables, standing)
            side.facing = xp.asarray(facing, "int")
            side.facing_u = [
                xp.asarray(standing_utilities(host_stacks[p][a], facing)) for a in voters(side.agents)
            ]
        live = Live(row=xp.arange(B), pid=[b.pid for b in built])
        play_static_pair(xp, sides, live, n_turns, bool((standing >= 0).any()), ends)
    else:  # each negotiation keeps its standing offer, and the start of its utility rows
        offers = LiveOffers(
            row=xp.arange(B),
            pid=[b.pid for b in built],
            stand=xp.take(xp.asarray(standing, "int"), sid),
            ubase=sid * n_out,
            sid=sid if any(side.groups for side in sides) else None,  # only turn-by-turn strategies read it
            label=[b.label for b in built],
            gpos=[b.gpos for b in built],
            acc_by=xp.full(B, 0, "int") if n_sides > 2 else None,
        )
        play_turns(xp, sides, offers, n_turns, standing, ends, actions, outcomes)
    return ends, actions, outcomes


def _check_batch(
    scenarios: Sequence[Scenario],
    scenario_index: NDArray[Any],
    strategies: Sequence[Strategy],
    lineup: IntArray,
    indices: IntArray,
) -> None:
    """``ValueError`` naming what does not fit: the scenarios' layouts, the arrays' shapes."""
    if scenario_index.dtype.kind not in "iu":
        raise ValueError(f"scenario_index must hold integers, not {scenario_index.dtype}")
    B, n_sides = scenario_index.shape[0], scenarios[0].n_sides
    if any(layout(s) != layout(scenarios[0]) for s in scenarios):
        raise ValueError(
            "every scenario of a batch needs the same sides, coalition members, decision rules and outcome count"
        )
    if lineup.shape != (B, n_sides) or indices.shape != (B,):
        raise ValueError(f"lineup must be ({B}, {n_sides}) and indices ({B},)")
    if len(strategies) == 1 and lineup.any():
        raise ValueError("lineup indexes the strategies: with one strategy every entry must be 0")


def _draws(
    strategies: Sequence[Strategy],
    lineup: IntArray,
    seed: int,
    indices: IntArray,
    n_agents: int,
    n_turns: int,
) -> dict[int, np.ndarray]:
    """The uniforms of each negotiation with a stochastic strategy, from its own stream."""
    draws: dict[int, np.ndarray] = {}
    stochastic = np.array([s.stochastic for s in strategies], dtype=bool)
    if stochastic.any():
        for b in np.flatnonzero(stochastic[lineup].any(axis=1)):
            draws[int(b)] = agent_uniforms(seed, int(indices[b]), n_agents, n_turns)
    return draws


@dataclass(frozen=True, slots=True, eq=False)
class _BuiltSide:
    """One side set up: its tables on the device, the host tables they came from, and its
    columns of the running set (plan ids; group labels and positions, for turn-by-turn
    strategies)."""

    side: Side
    tables: PlanTables
    pid: Array
    label: Array | None
    gpos: Array | None


def _side(
    xp: ArrayNamespace,
    strategies: Sequence[Strategy],
    lineup: IntArray,
    p: int,
    stacks: list[ViewStack],
    agents: SideAgents,
    n_turns: int,
    sid: Array,
    scenario_index: NDArray[Any],
    draws: dict[int, np.ndarray],
    first_agent: int,
) -> _BuiltSide:
    """Side ``p``: its strategies' tables, and a group per turn-by-turn strategy it plays."""
    B, S = lineup.shape[0], stacks[0].u.shape[0]  # S: the scenarios stacked
    if len(strategies) == 1:  # the common case: no pass over the batch on the host
        used = np.full(1, B > 0)
    else:
        used = np.bincount(lineup[:, p], minlength=len(strategies)) > 0
    tables = plan_tables(strategies, used, stacks, agents, n_turns)
    static = [strategies[int(g)].static for g in np.flatnonzero(used)]
    side = Side(
        agents,
        [xp.asarray(np.asarray(st.u).ravel()) for st in stacks],
        [xp.asarray(t) for t in tables.thresholds],
        xp.asarray(tables.offers, "int"),
        xp.asarray(tables.walks, "bool"),
        tables.walk_turns,
        all(static),
        any(static),
    )
    # With one strategy every plan id is the scenario's: nothing to copy.
    pid = sid if len(strategies) == 1 else xp.asindex(lineup[:, p], len(strategies) - 1) * S + sid
    if side.all_static:
        return _BuiltSide(side, tables, pid, None, None)
    is_static = np.array([s.static for s in strategies], dtype=bool)
    label = np.where(is_static[lineup[:, p]], -1, lineup[:, p])
    position = np.zeros(B, dtype=np.int64)
    device_stacks = [st.to(xp) for st in stacks]
    for g in np.unique(label[label >= 0]):
        rows = np.flatnonzero(label == g)
        position[rows] = np.arange(rows.size)
        side.groups.append(
            start_group(
                xp, int(g), strategies[int(g)], device_stacks, rows, scenario_index, draws, first_agent
            )
        )
    return _BuiltSide(side, tables, pid, xp.asarray(label, "int"), xp.asarray(position, "int"))
