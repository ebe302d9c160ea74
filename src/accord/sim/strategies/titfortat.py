"""Tit-for-tat by relative concession.

After Faratin, Sierra and Jennings (1998), "relative tit-for-tat": the agent concedes, as a
share of its own range, the share of the gap to its best package that the other side's offers
have closed (measured in the agent's own utility, the only one it knows), plus a small
``goodwill`` share so that two tit-for-tat agents can start moving. With
``lo = max(worst offerable utility, disagreement value)`` and ``hi`` the best offerable utility::

    closed    = (best received - first received) / (hi - first received)   (0 when undefined)
    threshold = max(lo, hi - (closed + goodwill) * (hi - lo))

It offers the package it likes least at or above the threshold and accepts an offer at or above
the threshold (after counting that offer).
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
class TitForTat(Strategy):
    """Mirror the other side's relative concession.

    Examples
    --------
    >>> TitForTat().goodwill
    0.02
    """

    name: ClassVar[str] = "tit-for-tat"
    goodwill: float = 0.02

    def __post_init__(self) -> None:
        if not 0 <= self.goodwill <= 1:
            raise ValueError(f"goodwill must be in [0, 1], got {self.goodwill}")

    def start(self, view: AgentView, uniforms: FloatArray | None) -> State:
        return {"first": math.nan, "best": -math.inf}

    def threshold(self, view: AgentView, state: State, turn: int) -> float:
        lo = max(view.u_min, float(view.disagreement[turn]))
        hi = view.u_max
        first, best = state["first"], state["best"]
        gap = hi - first
        closed = (best - first) / gap if gap > 0 else 0.0
        closed = min(1.0, max(0.0, closed))
        return max(lo, hi - (closed + self.goodwill) * (hi - lo))

    def respond(
        self, view: AgentView, state: State, turn: int, offer: int, uniforms: FloatArray | None
    ) -> Response:
        u = float(view.u[offer])
        if math.isnan(state["first"]):
            state["first"] = u
        state["best"] = max(state["best"], u)
        return Response(int(u >= self.threshold(view, state, turn)))

    def propose(self, view: AgentView, state: State, turn: int, uniforms: FloatArray | None) -> int:
        pos = min(search_scalar(view.u_sorted, self.threshold(view, state, turn)), view.u_sorted.size - 1)
        return int(view.order[pos])

    def start_batch(
        self, xp: ArrayNamespace, stack: ViewStack, sid: Array, uniforms: Array | None
    ) -> BatchState:
        return {"first": xp.full(sid.shape, math.nan), "best": xp.full(sid.shape, -math.inf)}

    def level_batch(
        self, xp: ArrayNamespace, stack: ViewStack, sid: Array, state: BatchState, turn: int
    ) -> Array:
        lo = xp.maximum(stack.u_min[sid], stack.disagreement[sid, turn])
        hi = stack.u_max[sid]
        first, best = state["first"], state["best"]
        gap = hi - first
        positive = gap > 0
        closed = xp.where(positive, (best - first) / xp.where(positive, gap, 1.0), 0.0)
        closed = xp.minimum(1.0, xp.maximum(0.0, closed))
        return xp.maximum(lo, hi - (closed + self.goodwill) * (hi - lo))

    def respond_batch(
        self,
        xp: ArrayNamespace,
        stack: ViewStack,
        sid: Array,
        state: BatchState,
        turn: int,
        offers: Array,
        uniforms: Array | None,
    ) -> Array:
        u = stack.u[sid, offers]
        state["first"] = xp.where(xp.isnan(state["first"]), u, state["first"])
        state["best"] = xp.maximum(state["best"], u)
        return u >= self.level_batch(xp, stack, sid, state, turn)

    def propose_batch(
        self,
        xp: ArrayNamespace,
        stack: ViewStack,
        sid: Array,
        state: BatchState,
        turn: Turn,
        uniforms: Array | None,
    ) -> Array:
        assert isinstance(turn, int)  # not static: called turn by turn, never tabulated
        level = self.level_batch(xp, stack, sid, state, turn)
        pos = search_batch(xp, stack.u_sorted, stack.n_order, sid, level)
        return stack.order[sid, xp.minimum(pos, stack.n_order[sid] - 1)]
