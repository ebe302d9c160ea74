"""The batch engine's round loops: the negotiations still running, turn by turn.

:func:`~accord.sim.engine.batch.run_batch` sets up each side's tables (:mod:`accord.sim.engine.decision_tables`) and
the running negotiations (:class:`Live`), then calls one of two loops: :func:`play_static_pair`
when both of two sides play static strategies (the standing offer is then a table too), or
:func:`play_turns`, which keeps each negotiation's standing offer and calls the strategies that
are not static turn by turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.prefs.coalition import rule_accepts
from accord.sim.engine.agent_view import SideAgents
from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.engine.decision_tables import voters
from accord.sim.engine.reference import EndReason
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import IntArray
from accord.sim.strategies.base import Action, BatchState, Strategy

REASONS = tuple(reason.label for reason in EndReason)
"""The labels of the end reasons, by code (``REASONS[code]``)."""


@dataclass(eq=False)
class Group:
    """Negotiations whose side plays a non-static strategy: called turn by turn."""

    label: int
    strategy: Strategy
    stacks: list[ViewStack]
    states: list[BatchState]
    uniforms: list[Array | None]


@dataclass(eq=False)
class Side:
    """One side's tables on the device. Plan ids are ``strategy * S + scenario``."""

    agents: SideAgents
    u: list[Array]
    thresholds: list[Array]
    offers: Array
    walks: Array
    walk_turns: np.ndarray
    all_static: bool
    any_static: bool
    groups: list[Group] = field(default_factory=list)
    facing: Array | None = None
    """Two static sides only: the standing offer each turn, by the other side's plan id
    (:func:`~accord.sim.engine.decision_tables.standing_offers`), and its utility to each voter."""
    facing_u: list[Array] = field(default_factory=list)


class _Keep:
    """Gathers the kept rows of each column once (columns may share one array: the plan id is
    the scenario index when there is one strategy)."""

    __slots__ = ("kept", "rows")

    def __init__(self, rows: Array) -> None:
        self.rows = rows
        self.kept: dict[int, Array] = {}

    def __call__(self, column: Array) -> Array:
        found = self.kept.get(id(column))
        if found is None:
            found = self.kept[id(column)] = column[self.rows]
        return found

    def optional(self, column: Array | None) -> Array | None:
        return None if column is None else self(column)


@dataclass(eq=False, slots=True, kw_only=True)
class Live:
    """The negotiations still running, as arrays aligned row by row (the loop of two static
    sides needs no more).

    row: each one's row in the batch; pid: per side, its plan id (``strategy * S + scenario``).
    """

    row: Array
    pid: list[Array]

    def keep(self, xp: ArrayNamespace, mask: Array) -> None:
        """Keep the rows where ``mask`` holds, in every column."""
        take = _Keep(xp.nonzero(mask))  # once, not once per column (each mask lookup syncs a GPU)
        self._keep(take)

    def _keep(self, take: _Keep) -> None:
        self.row = take(self.row)
        self.pid = [take(column) for column in self.pid]


@dataclass(eq=False, slots=True, kw_only=True)
class LiveOffers(Live):
    """The running negotiations of the general loop, which keeps each one's standing offer.

    stand: the standing offer (``-1``: none yet); ubase: the start of its scenario's utility
    rows (``sid * n_outcomes``). sid: the scenario index, read by turn-by-turn strategies only
    (``None`` when no side plays one). label, gpos: per side, the turn-by-turn strategy playing
    (``-1``: a static one) and the row in that strategy's group; ``None`` for a side of static
    strategies only. acc_by: with more than two sides, how many sides in a row have accepted
    the standing offer.
    """

    stand: Array
    ubase: Array
    sid: Array | None = None
    label: list[Array | None]
    gpos: list[Array | None]
    acc_by: Array | None = None

    def _keep(self, take: _Keep) -> None:
        Live._keep(self, take)
        self.stand, self.ubase = take(self.stand), take(self.ubase)
        self.sid, self.acc_by = take.optional(self.sid), take.optional(self.acc_by)
        self.label = [take.optional(column) for column in self.label]
        self.gpos = [take.optional(column) for column in self.gpos]


@dataclass(frozen=True, slots=True, eq=False)
class Ends:
    """How each of the ``B`` negotiations ended (arrays of the namespace, filled as they end)."""

    agreement: Array
    end_turn: Array
    reason: Array

    def record(
        self,
        xp: ArrayNamespace,
        live: Live,
        turn: int,
        agreed: Array | None,
        walk: Array | None,
        standing: Array,
        by: Array | None = None,
    ) -> None:
        """Record the running negotiations that agree or walk away at ``turn``.

        standing: the standing offer of each running negotiation, or, with ``by``, a table of
        standing offers indexed by ``by`` (the offering side's plan ids).
        """
        # One nonzero per mask (each is a synchronisation on a GPU), shared by its gathers.
        if agreed is not None:
            pos = xp.nonzero(agreed)
            rows = live.row[pos]
            self.agreement[rows] = standing[pos] if by is None else xp.take(standing, by[pos])
            self.end_turn[rows] = turn
            self.reason[rows] = int(EndReason.AGREEMENT)
        if walk is not None:
            rows = live.row[xp.nonzero(walk)]
            self.end_turn[rows] = turn
            self.reason[rows] = int(EndReason.WALK)


def play_turns(
    xp: ArrayNamespace,
    sides: list[Side],
    live: LiveOffers,
    n_turns: int,
    standing: IntArray,
    ends: Ends,
    actions: Array | None,
    outcomes: Array | None,
) -> None:
    """The round loop: each running negotiation keeps its standing offer; static strategies
    look up their tables, the others are called as one group per strategy."""
    n_sides = len(sides)
    for turn in range(n_turns):
        if live.row.shape[0] == 0:
            break
        p = turn % n_sides
        side = sides[p]
        pid = live.pid[p]
        walk = xp.take(side.walks[turn], pid) if side.walk_turns[turn] else None
        if turn > 0:
            accept = _accept(xp, side, live, p, turn, walk)
        elif (standing >= 0).any():
            no_offer = None if (standing >= 0).all() else live.stand < 0
            accept = _accept(xp, side, live, p, turn, walk, no_offer)
        else:
            accept = None
        offer = _offer(xp, side, live, p, turn, walk, accept)
        stand = live.stand
        if accept is None:
            agreed = None
        elif n_sides == 2:
            agreed = accept
        else:
            assert live.acc_by is not None
            live.acc_by = xp.where(accept, live.acc_by + 1, 0)
            agreed = accept & (live.acc_by == n_sides - 1)
        ended = walk if agreed is None else (agreed if walk is None else agreed | walk)
        if actions is not None and outcomes is not None:
            _record(xp, actions, outcomes, live, turn, walk, accept, offer)
        if ended is not None and xp.any(ended):
            ends.record(xp, live, turn, agreed, walk, stand)
            live.stand = offer if accept is None else xp.where(accept, stand, offer)
            live.keep(xp, ~ended)
        else:
            live.stand = offer if accept is None or n_sides == 2 else xp.where(accept, stand, offer)


def play_static_pair(
    xp: ArrayNamespace, sides: list[Side], live: Live, n_turns: int, has_openings: bool, ends: Ends
) -> None:
    """The round loop of two sides that both play static strategies.

    The standing offer at each turn is a table by the offering side's plan (see
    :mod:`accord.sim.engine.decision_tables`), so no offer is kept per negotiation: the answering side compares
    the looked-up utility of the standing offer with its looked-up threshold, a few bytes per
    negotiation and turn. The decisions are those of the general loop, operand for operand.
    """
    for turn in range(n_turns):
        if live.row.shape[0] == 0:
            break
        p = turn % 2
        side = sides[p]
        pid, other = live.pid[p], live.pid[1 - p]
        walk = xp.take(side.walks[turn], pid) if side.walk_turns[turn] else None
        agreed = None
        if turn > 0 or has_openings:
            votes = [
                xp.take(u[turn], other) >= xp.take(t[turn], pid)
                for u, t in zip(side.facing_u, side.thresholds, strict=True)
            ]
            agreed = _side_accepts(xp, side, votes)
            if walk is not None:
                agreed = agreed & ~walk
        ended = walk if agreed is None else (agreed if walk is None else agreed | walk)
        if ended is not None and xp.any(ended):
            assert side.facing is not None
            ends.record(xp, live, turn, agreed, walk, side.facing[turn], other)
            live.keep(xp, ~ended)


def _side_accepts(xp: ArrayNamespace, side: Side, votes: list[Array]) -> Array:
    """The side's answer from its voters' votes: the voice's, or the coalition's rule."""
    if not side.agents.side.is_coalition:
        return votes[0]
    assert side.agents.side.rule is not None
    accepted: Array = rule_accepts(side.agents.side.rule, side.agents.member_ids, votes, xp=xp)
    return accepted


def start_group(
    xp: ArrayNamespace,
    label: int,
    strategy: Strategy,
    stacks: list[ViewStack],
    rows: np.ndarray,
    scenario_index: np.ndarray,
    draws: dict[int, np.ndarray],
    first_agent: int,
) -> Group:
    sid = xp.asarray(scenario_index[rows], "int")
    states, uniforms = [], []
    for a, stack in enumerate(stacks):
        uni = None
        if strategy.stochastic:
            uni = xp.asarray(np.stack([draws[int(b)][first_agent + a] for b in rows]))
        uniforms.append(uni)
        states.append(strategy.start_batch(xp, stack, sid, uni))
    return Group(label, strategy, stacks, states, uniforms)


def _static_accept(
    xp: ArrayNamespace, side: Side, live: LiveOffers, p: int, turn: int, no_offer: Array | None
) -> Array:
    stand = live.stand if no_offer is None else xp.maximum(live.stand, 0)  # a valid index
    flat = live.ubase + stand
    pid = live.pid[p]
    first = 1 if side.agents.side.is_coalition else 0
    votes = [
        xp.take(side.u[first + j], flat) >= xp.take(table[turn], pid)
        for j, table in enumerate(side.thresholds)
    ]
    return _side_accepts(xp, side, votes)


def _accept(
    xp: ArrayNamespace,
    side: Side,
    live: LiveOffers,
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
        accept = xp.full(live.row.shape[0], False, "bool")
    for group in side.groups:
        label, positions, scenario = live.label[p], live.gpos[p], live.sid
        assert label is not None and positions is not None and scenario is not None  # a side with groups
        mine = label == group.label
        pos = xp.nonzero(mine if walk is None else mine & ~walk)
        if pos.shape[0] == 0:
            continue
        gpos, sid, offers = positions[pos], scenario[pos], live.stand[pos]
        votes = []
        for a in voters(side.agents):
            sub = {k: v[gpos] for k, v in group.states[a].items()}
            draws = group.uniforms[a]
            uni = draws[gpos] if draws is not None else None
            votes.append(group.strategy.respond_batch(xp, group.stacks[a], sid, sub, turn, offers, uni))
            for k, v in sub.items():
                group.states[a][k][gpos] = v
        accept[pos] = _side_accepts(xp, side, votes)
    return accept if walk is None else accept & ~walk


def _offer(
    xp: ArrayNamespace,
    side: Side,
    live: LiveOffers,
    p: int,
    turn: int,
    walk: Array | None,
    accept: Array | None,
) -> Array:
    """Each running negotiation's offer from side ``p`` (used where it neither walks nor accepts)."""
    offer = xp.take(side.offers[turn], live.pid[p])
    for group in side.groups:
        label, positions, scenario = live.label[p], live.gpos[p], live.sid
        assert label is not None and positions is not None and scenario is not None  # a side with groups
        mine = label == group.label
        if walk is not None:
            mine = mine & ~walk
        if accept is not None:
            mine = mine & ~accept
        pos = xp.nonzero(mine)
        if pos.shape[0] == 0:
            continue
        gpos, sid = positions[pos], scenario[pos]
        sub = {k: v[gpos] for k, v in group.states[0].items()}
        draws = group.uniforms[0]
        uni = draws[gpos] if draws is not None else None
        offer[pos] = group.strategy.propose_batch(xp, group.stacks[0], sid, sub, turn, uni)
        for k, v in sub.items():
            group.states[0][k][gpos] = v
    return offer


def _record(
    xp: ArrayNamespace,
    actions: Array,
    outcomes: Array,
    live: LiveOffers,
    turn: int,
    walk: Array | None,
    accept: Array | None,
    offer: Array,
) -> None:
    n = live.row.shape[0]
    no = xp.full(n, False, "bool")
    walk = no if walk is None else walk
    accept = no if accept is None else accept
    propose = ~walk & ~accept
    rows = live.row
    actions[rows[walk], turn] = int(Action.WALK)
    actions[rows[accept], turn] = int(Action.ACCEPT)
    outcomes[rows[accept], turn] = live.stand[accept]
    actions[rows[propose], turn] = int(Action.OFFER)
    outcomes[rows[propose], turn] = offer[propose]
