"""Frontier walker: offers Pareto-efficient packages, walking from its own end of the frontier.

At relative time ``t`` it offers the frontier package at position ``floor(t * n)`` counted from
its own best end, where ``n`` is the number of frontier packages still at or above its current
disagreement value (so it never walks past its reservation); it accepts any offer at least as
good for it as the package it would offer. Where no frontier package clears the disagreement
value it offers its best package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from accord.sim.engine.agent_view import AgentView
from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.engine.kernels import search_batch, search_scalar
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import FloatArray
from accord.sim.strategies.base import BatchState, Response, State, Strategy, Turn


@dataclass(frozen=True, slots=True)
class FrontierWalker(Strategy):
    """Step along the Pareto frontier toward the other side as time passes.

    Examples
    --------
    >>> FrontierWalker().name
    'frontier-walker'
    """

    name: ClassVar[str] = "frontier-walker"
    static: ClassVar[bool] = True

    def target(self, view: AgentView, turn: int) -> int:
        lo = max(view.u_min, float(view.disagreement[turn]))
        count = search_scalar(-view.u[view.frontier], -lo, strict=True)
        if count == 0:
            return int(view.order[-1])
        pos = min(math.floor(float(view.time[turn]) * count), count - 1)
        return int(view.frontier[pos])

    def respond(
        self, view: AgentView, state: State, turn: int, offer: int, uniforms: FloatArray | None
    ) -> Response:
        return Response(int(view.u[offer] >= view.u[self.target(view, turn)]))

    def propose(self, view: AgentView, state: State, turn: int, uniforms: FloatArray | None) -> int:
        return self.target(view, turn)

    def target_batch(self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: Turn) -> Array:
        lo = xp.maximum(stack.u_min[sid], stack.disagreement[sid, turn])
        count = search_batch(xp, stack.frontier_neg, stack.n_frontier, sid, -lo, strict=True)
        pos = xp.minimum(xp.to_int(xp.floor(stack.time[turn] * count)), count - 1)
        on_frontier = stack.frontier[sid, xp.maximum(pos, 0)]
        best = stack.order[sid, stack.n_order[sid] - 1]
        return xp.where(count > 0, on_frontier, best)

    def threshold_batch(self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: Turn) -> Array:
        return stack.u[sid, self.target_batch(xp, stack, sid, turn)]

    def propose_batch(
        self,
        xp: ArrayNamespace,
        stack: ViewStack,
        sid: Array,
        state: BatchState,
        turn: Turn,
        uniforms: Array | None,
    ) -> Array:
        return self.target_batch(xp, stack, sid, turn)
