"""Random acceptable: offers a package drawn uniformly from those it finds acceptable.

At each turn it draws one package uniformly among the offerable packages at or above its
current disagreement value (from the negotiation's own random stream); it accepts an offer at
least as good for it as that draw, and otherwise offers the draw.
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
class RandomAcceptable(Strategy):
    """Uniformly random among the acceptable packages.

    Examples
    --------
    >>> RandomAcceptable.stochastic
    True
    """

    name: ClassVar[str] = "random-acceptable"
    stochastic: ClassVar[bool] = True

    def draw(self, view: AgentView, turn: int, uniforms: FloatArray | None) -> int:
        assert uniforms is not None
        m = view.u_sorted.size
        lo = max(view.u_min, float(view.disagreement[turn]))
        first = min(search_scalar(view.u_sorted, lo), m - 1)
        count = m - first
        pick = first + min(math.floor(float(uniforms[turn]) * count), count - 1)
        return int(view.order[pick])

    def respond(
        self, view: AgentView, state: State, turn: int, offer: int, uniforms: FloatArray | None
    ) -> Response:
        return Response(int(view.u[offer] >= view.u[self.draw(view, turn, uniforms)]))

    def propose(self, view: AgentView, state: State, turn: int, uniforms: FloatArray | None) -> int:
        return self.draw(view, turn, uniforms)

    def draw_batch(
        self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: int, uniforms: Array | None
    ) -> Array:
        assert uniforms is not None
        m = stack.n_order[sid]
        lo = xp.maximum(stack.u_min[sid], stack.disagreement[sid, turn])
        first = xp.minimum(search_batch(xp, stack.u_sorted, stack.n_order, sid, lo), m - 1)
        count = m - first
        step = xp.to_int(xp.floor(uniforms[:, turn] * count))
        return stack.order[sid, first + xp.minimum(step, count - 1)]

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
        return stack.u[sid, offers] >= stack.u[sid, self.draw_batch(xp, stack, sid, turn, uniforms)]

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
        return self.draw_batch(xp, stack, sid, turn, uniforms)
