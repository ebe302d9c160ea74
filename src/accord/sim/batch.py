"""The batch engine: many negotiations at once, in lock-step, with array operations.

It runs the protocol of :mod:`accord.sim.reference` on ``B`` negotiations together, turn by turn.
The negotiations may differ in scenario (of one table layout), in strategies and in seed index;
each keeps its own random stream, so its trace is exactly the one the reference engine gives,
whatever else is in the batch (the differential tests check this).

How it stays fast (and the same on every array backend, :mod:`accord.sim.arrays`):

- *tables*: a static strategy (see :mod:`accord.sim.strategies.base`) decides from the scenario
  and the turn alone, so its acceptance thresholds and offers are tabulated once per (strategy,
  scenario, turn) on the host with NumPy and copied to the device; so are every strategy's
  walk-away decisions. In the round loop a negotiation only looks up its row of the tables and
  the utility of the standing offer.
- *other strategies* (stateful or random) are called turn by turn, as one group per strategy,
  on the negotiations still running; their random numbers are drawn with NumPy from each
  negotiation's own stream and copied to the device.
- *openings*: a scenario's standing offer before turn 0 (:attr:`Scenario.openings`) is each
  negotiation's starting standing offer, answered at turn 0 like any other.
- *one rule*: a coalition's votes are combined by :func:`accord.prefs.rule_accepts` on the
  backend's own arrays, the implementation every other part of Accord applies.
- *early exit*: negotiations leave the working set as soon as they end, and the loop stops when
  none is left.

Tolerance of float32 (measured by the tests on random scenarios): the agreement, its turn and
the reason are the float64 result's for at least 99% of negotiations; float32 rounds utilities
and thresholds to about 6e-8 relative, so only near-ties (an offer within that of a threshold)
can go the other way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.prefs.coalition import rule_accepts
from accord.sim.arrays import NUMPY, Array, ArrayBackend
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
    asked for. Always NumPy arrays, whatever backend ran the batch.
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


@dataclass(eq=False)
class _Group:
    """Negotiations whose side plays a non-static strategy: called turn by turn."""

    label: int
    strategy: Strategy
    stacks: list[ViewStack]
    states: list[BatchState]
    uniforms: list[Array | None]


@dataclass(eq=False)
class _Side:
    """One side's tables on the device. Plan ids are ``strategy * S + scenario``."""

    agents: SideAgents
    u: list[Array]
    thresholds: list[Array]
    offers: Array
    walks: Array
    walk_turns: np.ndarray
    all_static: bool
    any_static: bool
    groups: list[_Group] = field(default_factory=list)


def _tables(
    xp: ArrayBackend,
    strategies: Sequence[Strategy],
    used: np.ndarray,
    stacks: list[ViewStack],
    agents: SideAgents,
    n_turns: int,
) -> tuple[list[Array], Array, Array, np.ndarray]:
    """Thresholds (one per voting agent), offers and walks, each ``(n_turns, G * S)``."""
    S = stacks[0].u.shape[0]
    G = len(strategies)
    voters = range(1, len(stacks)) if agents.side.is_coalition else range(1)
    thresholds = [np.full((n_turns, G * S), np.inf) for _ in voters]
    offers = np.zeros((n_turns, G * S), dtype=np.int64)
    walks = np.zeros((n_turns, G * S), dtype=bool)
    with np.errstate(invalid="ignore"):  # a voice with nothing to offer has an empty range
        _fill_tables(strategies, used, stacks, voters, thresholds, offers, walks)
    return (
        [xp.asarray(t) for t in thresholds],
        xp.asarray(offers, "int"),
        xp.asarray(walks, "bool"),
        np.asarray(walks.any(axis=1)),
    )


def _fill_tables(
    strategies: Sequence[Strategy],
    used: np.ndarray,
    stacks: list[ViewStack],
    voters: range,
    thresholds: list[np.ndarray],
    offers: np.ndarray,
    walks: np.ndarray,
) -> None:
    n_turns = offers.shape[0]
    S = stacks[0].u.shape[0]
    sid = np.tile(np.arange(S), n_turns)
    turn = np.repeat(np.arange(n_turns), S)
    voice = stacks[0]
    for g in np.flatnonzero(used):
        strategy, cols = strategies[int(g)], slice(g * S, (g + 1) * S)
        walk = strategy.walks_batch(NUMPY, voice, sid, turn) | (voice.n_order[sid] == 0)
        walks[:, cols] = np.asarray(walk).reshape(n_turns, S)
        if not strategy.static:
            continue
        for table, a in zip(thresholds, voters, strict=True):
            table[:, cols] = strategy.threshold_batch(NUMPY, stacks[a], sid, turn).reshape(n_turns, S)
        # A voice with nothing to offer walks; keep its table entries valid indexes all the same.
        offer = strategy.propose_batch(NUMPY, voice, sid, {}, turn, None)
        offers[:, cols] = np.maximum(np.asarray(offer), 0).reshape(n_turns, S)


class _Live:
    """The negotiations still running, as arrays aligned row by row."""

    def __init__(self, **columns: Array) -> None:
        self.columns = columns

    def __getitem__(self, name: str) -> Array:
        return self.columns[name]

    def __setitem__(self, name: str, value: Array) -> None:
        self.columns[name] = value

    def keep(self, xp: ArrayBackend, mask: Array) -> None:
        rows = xp.nonzero(mask)  # once, not once per column (each mask lookup syncs a GPU)
        self.columns = {k: v[rows] for k, v in self.columns.items()}


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
    xp: ArrayBackend = NUMPY,
) -> BatchResult:
    """Run ``B`` negotiations at once on the array backend ``xp``.

    scenarios: the scenarios used (all with the same outcome count, sides, coalition members
        and rules).
    scenario_index: ``(B,)`` which scenario each negotiation plays.
    strategies: the strategy instances used; lineup: ``(B, n_sides)`` indexes into them.
    indices: ``(B,)`` each negotiation's index in its run (fixes its random stream with ``seed``).
    xp: the array backend (``ArraySpec(...).backend()``); NumPy float64 by default.

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
            "every scenario of a batch needs the same sides, coalition members, decision rules and outcome count"
        )
    if lineup.shape != (B, n_sides) or indices.shape != (B,):
        raise ValueError(f"lineup must be ({B}, {n_sides}) and indices ({B},)")
    S, n_out, n_turns = len(scenarios), scenarios[0].n_outcomes, n_sides * n_rounds
    views = [agent_views(s, n_rounds) for s in scenarios]
    host_stacks = [_side_stacks([v[p] for v in views]) for p in range(n_sides)]
    first_agent = np.cumsum([0, *(len(st) for st in host_stacks)])

    draws: dict[int, np.ndarray] = {}
    stochastic = np.array([s.stochastic for s in strategies], dtype=bool)
    if stochastic.any():
        for b in np.flatnonzero(stochastic[lineup].any(axis=1)):
            draws[int(b)] = agent_uniforms(seed, int(indices[b]), int(first_agent[-1]), n_turns)

    sides: list[_Side] = []
    # The standing offer before turn 0: each scenario's last opening, or -1 (none).
    standing = np.array([s.standing_offer for s in scenarios], dtype=np.int64)[scenario_index]
    live = _Live(row=xp.arange(B), stand=xp.asarray(standing, "int"))
    if n_sides > 2:
        live["acc_by"] = xp.full(B, 0, "int")
    live["sid"] = xp.asarray(scenario_index, "int")
    live["ubase"] = live["sid"] * n_out
    for p in range(n_sides):
        stacks, agents = host_stacks[p], views[0][p]
        used = np.bincount(lineup[:, p], minlength=len(strategies)) > 0
        thresholds, offers, walks, walk_turns = _tables(xp, strategies, used, stacks, agents, n_turns)
        static = [strategies[int(g)].static for g in np.flatnonzero(used)]
        side_static = all(static)
        side = _Side(
            agents,
            [xp.asarray(st.u.ravel()) for st in stacks],
            thresholds,
            offers,
            walks,
            walk_turns,
            side_static,
            any(static),
        )
        live[f"pid{p}"] = xp.asarray(lineup[:, p], "int") * S + live["sid"]
        if not side_static:
            is_static = np.array([s.static for s in strategies], dtype=bool)
            label = np.where(is_static[lineup[:, p]], -1, lineup[:, p])
            position = np.zeros(B, dtype=np.int64)
            device_stacks = [st.to(xp) for st in stacks]
            for g in np.unique(label[label >= 0]):
                rows = np.flatnonzero(label == g)
                position[rows] = np.arange(rows.size)
                side.groups.append(
                    _start_group(
                        xp,
                        int(g),
                        strategies[int(g)],
                        device_stacks,
                        rows,
                        scenario_index,
                        draws,
                        int(first_agent[p]),
                    )
                )
            live[f"label{p}"] = xp.asarray(label, "int")
            live[f"gpos{p}"] = xp.asarray(position, "int")
        sides.append(side)
    if not any(side.groups for side in sides):
        del live.columns["sid"]  # only the turn-by-turn strategies read it

    agreement = xp.full(B, -1, "int")
    end_turn = xp.full(B, n_turns - 1, "int")
    reason = xp.full(B, REASON_DEADLINE, "int")
    actions = xp.full((B, n_turns), -1, "int") if record_trace else None
    outcomes = xp.full((B, n_turns), -1, "int") if record_trace else None

    for turn in range(n_turns):
        if live["row"].shape[0] == 0:
            break
        p = turn % n_sides
        side = sides[p]
        pid = live[f"pid{p}"]
        walk = xp.take(side.walks[turn], pid) if side.walk_turns[turn] else None
        if turn > 0:
            accept = _accept(xp, side, live, p, turn, walk)
        elif (standing >= 0).any():
            no_offer = None if (standing >= 0).all() else live["stand"] < 0
            accept = _accept(xp, side, live, p, turn, walk, no_offer)
        else:
            accept = None
        offer = _offer(xp, side, live, p, turn, walk, accept)
        stand = live["stand"]
        if accept is None:
            agreed = None
        elif n_sides == 2:
            agreed = accept
        else:
            live["acc_by"] = xp.where(accept, live["acc_by"] + 1, 0)
            agreed = accept & (live["acc_by"] == n_sides - 1)
        ended = walk if agreed is None else (agreed if walk is None else agreed | walk)
        if actions is not None and outcomes is not None:
            _record(xp, actions, outcomes, live, turn, walk, accept, offer)
        if ended is not None and xp.any(ended):
            if agreed is not None:
                rows = live["row"][agreed]
                agreement[rows] = stand[agreed]
                end_turn[rows] = turn
                reason[rows] = REASON_AGREEMENT
            if walk is not None:
                rows = live["row"][walk]
                end_turn[rows] = turn
                reason[rows] = REASON_WALK
            keep = ~ended
            live["stand"] = offer if accept is None else xp.where(accept, stand, offer)
            live.keep(xp, keep)
        else:
            live["stand"] = offer if accept is None or n_sides == 2 else xp.where(accept, stand, offer)

    def host(a: Array | None) -> IntArray | None:
        return None if a is None else np.asarray(xp.to_numpy(a), dtype=np.int64)

    return BatchResult(
        indices,
        np.asarray(host(agreement)),
        np.asarray(host(end_turn)),
        np.asarray(host(reason)),
        host(actions),
        host(outcomes),
    )


def _start_group(
    xp: ArrayBackend,
    label: int,
    strategy: Strategy,
    stacks: list[ViewStack],
    rows: np.ndarray,
    scenario_index: np.ndarray,
    draws: dict[int, np.ndarray],
    first_agent: int,
) -> _Group:
    sid = xp.asarray(scenario_index[rows], "int")
    states, uniforms = [], []
    for a, stack in enumerate(stacks):
        uni = None
        if strategy.stochastic:
            uni = xp.asarray(np.stack([draws[int(b)][first_agent + a] for b in rows]))
        uniforms.append(uni)
        states.append(strategy.start_batch(xp, stack, sid, uni))
    return _Group(label, strategy, stacks, states, uniforms)


def _static_accept(
    xp: ArrayBackend, side: _Side, live: _Live, p: int, turn: int, no_offer: Array | None
) -> Array:
    stand = live["stand"] if no_offer is None else xp.maximum(live["stand"], 0)  # a valid index
    flat = live["ubase"] + stand
    pid = live[f"pid{p}"]
    if not side.agents.side.is_coalition:
        return xp.take(side.u[0], flat) >= xp.take(side.thresholds[0][turn], pid)
    votes = [
        xp.take(side.u[1 + j], flat) >= xp.take(table[turn], pid) for j, table in enumerate(side.thresholds)
    ]
    assert side.agents.side.rule is not None
    return rule_accepts(side.agents.side.rule, side.agents.member_ids, votes, xp=xp)


def _accept(
    xp: ArrayBackend,
    side: _Side,
    live: _Live,
    p: int,
    turn: int,
    walk: Array | None,
    no_offer: Array | None = None,
) -> Array:
    """Whether each running negotiation's side ``p`` accepts the standing offer.

    ``no_offer``: where there is no standing offer (only at turn 0, when some scenarios of the
    batch have openings and others not), or ``None`` when every negotiation has one.
    """
    if no_offer is not None:
        walk = no_offer if walk is None else walk | no_offer
    if side.any_static:
        accept = _static_accept(xp, side, live, p, turn, no_offer)
    else:
        accept = xp.full(live["row"].shape[0], False, "bool")
    for group in side.groups:
        mine = live[f"label{p}"] == group.label
        pos = xp.nonzero(mine if walk is None else mine & ~walk)
        if pos.shape[0] == 0:
            continue
        gpos, sid, offers = live[f"gpos{p}"][pos], live["sid"][pos], live["stand"][pos]
        voters = range(1, len(group.stacks)) if side.agents.side.is_coalition else range(1)
        votes = []
        for a in voters:
            sub = {k: v[gpos] for k, v in group.states[a].items()}
            draws = group.uniforms[a]
            uni = draws[gpos] if draws is not None else None
            votes.append(group.strategy.respond_batch(xp, group.stacks[a], sid, sub, turn, offers, uni))
            for k, v in sub.items():
                group.states[a][k][gpos] = v
        if side.agents.side.is_coalition:
            assert side.agents.side.rule is not None
            accept[pos] = rule_accepts(side.agents.side.rule, side.agents.member_ids, votes, xp=xp)
        else:
            accept[pos] = votes[0]
    return accept if walk is None else accept & ~walk


def _offer(
    xp: ArrayBackend, side: _Side, live: _Live, p: int, turn: int, walk: Array | None, accept: Array | None
) -> Array:
    """Each running negotiation's offer from side ``p`` (used where it neither walks nor accepts)."""
    offer = xp.take(side.offers[turn], live[f"pid{p}"])
    for group in side.groups:
        mine = live[f"label{p}"] == group.label
        if walk is not None:
            mine = mine & ~walk
        if accept is not None:
            mine = mine & ~accept
        pos = xp.nonzero(mine)
        if pos.shape[0] == 0:
            continue
        gpos, sid = live[f"gpos{p}"][pos], live["sid"][pos]
        sub = {k: v[gpos] for k, v in group.states[0].items()}
        draws = group.uniforms[0]
        uni = draws[gpos] if draws is not None else None
        offer[pos] = group.strategy.propose_batch(xp, group.stacks[0], sid, sub, turn, uni)
        for k, v in sub.items():
            group.states[0][k][gpos] = v
    return offer


def _record(
    xp: ArrayBackend,
    actions: Array,
    outcomes: Array,
    live: _Live,
    turn: int,
    walk: Array | None,
    accept: Array | None,
    offer: Array,
) -> None:
    n = live["row"].shape[0]
    no = xp.full(n, False, "bool")
    walk = no if walk is None else walk
    accept = no if accept is None else accept
    propose = ~walk & ~accept
    rows = live["row"]
    actions[rows[walk], turn] = WALK
    actions[rows[accept], turn] = ACCEPT
    outcomes[rows[accept], turn] = live["stand"][accept]
    actions[rows[propose], turn] = OFFER
    outcomes[rows[propose], turn] = offer[propose]


def _side_stacks(agents: Sequence[SideAgents]) -> list[ViewStack]:
    """One stack per agent of the side (voice, then each member) across the scenarios."""
    stacks = [ViewStack.of([a.voice for a in agents])]
    for j in range(len(agents[0].members)):
        stacks.append(ViewStack.of([a.members[j] for a in agents]))
    return stacks
