"""Rubinstein equilibrium play for dividing one divisible issue.

Rubinstein (1982), "Perfect equilibrium in a bargaining model", Econometrica 50(1): with
per-period discount factors ``δ_i`` (own) and ``δ_j`` (the other side), the subgame-perfect
equilibrium has the proposer ``i`` claim the share ``s_i = (1 - δ_j) / (1 - δ_i δ_j)`` and the
responder accept any offer giving it at least ``δ_i s_i``; agreement is immediate.

Shares are read on the agent's own normalised scale: ``lo`` (worst offerable utility or the
disagreement value, whichever is higher) is share 0 and its best utility is share 1. On a
discrete grid it claims the largest share not above ``s_i`` (so the responder's share is at
least its equilibrium share) and accepts down to ``δ_i s_i - tolerance``. A turn is one
Rubinstein period. With more than two sides, ``δ_j`` is the mean of the others' factors; with
``δ_i = δ_j = 1`` the split is even.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from accord.sim.engine.agent_view import AgentView
from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.engine.kernels import search_batch, search_scalar
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import FloatArray
from accord.sim.strategies.base import BatchState, Response, State, Strategy, Turn


def equilibrium_share(own: float, other: float) -> float:
    """The proposer's Rubinstein share ``(1 - δ_j) / (1 - δ_i δ_j)``.

    Examples
    --------
    >>> round(equilibrium_share(0.9, 0.9), 6)
    0.526316
    """
    denominator = 1.0 - own * other
    return (1.0 - other) / denominator if denominator > 0 else 0.5


@dataclass(frozen=True, slots=True)
class Rubinstein(Strategy):
    """Play the Rubinstein equilibrium on the agent's normalised utility."""

    name: ClassVar[str] = "rubinstein"
    static: ClassVar[bool] = True
    tolerance: float = 1e-9

    def _levels(self, lo: float, hi: float, own: float, other: float) -> tuple[float, float]:
        share = equilibrium_share(own, other)
        return lo + share * (hi - lo), lo + own * share * (hi - lo) - self.tolerance

    def respond(
        self, view: AgentView, state: State, turn: int, offer: int, uniforms: FloatArray | None
    ) -> Response:
        lo = max(view.u_min, float(view.disagreement[turn]))
        _, accept_level = self._levels(lo, view.u_max, view.discount, view.other_discount)
        return Response(int(view.u[offer] >= max(lo, accept_level)))

    def propose(self, view: AgentView, state: State, turn: int, uniforms: FloatArray | None) -> int:
        lo = max(view.u_min, float(view.disagreement[turn]))
        claim, _ = self._levels(lo, view.u_max, view.discount, view.other_discount)
        pos = search_scalar(view.u_sorted, claim, strict=True) - 1
        if pos < 0 or view.u_sorted[pos] < lo:
            pos = min(search_scalar(view.u_sorted, lo), view.u_sorted.size - 1)
        return int(view.order[pos])

    def threshold_batch(self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: Turn) -> Array:
        lo = xp.maximum(stack.u_min[sid], stack.disagreement[sid, turn])
        share = _share_batch(xp, stack.discount[sid], stack.other_discount[sid])
        accept_level = lo + stack.discount[sid] * share * (stack.u_max[sid] - lo) - self.tolerance
        return xp.maximum(lo, accept_level)

    def propose_batch(
        self,
        xp: ArrayNamespace,
        stack: ViewStack,
        sid: Array,
        state: BatchState,
        turn: Turn,
        uniforms: Array | None,
    ) -> Array:
        lo = xp.maximum(stack.u_min[sid], stack.disagreement[sid, turn])
        share = _share_batch(xp, stack.discount[sid], stack.other_discount[sid])
        claim = lo + share * (stack.u_max[sid] - lo)
        pos = search_batch(xp, stack.u_sorted, stack.n_order, sid, claim, strict=True) - 1
        below = stack.u_sorted[sid, xp.maximum(pos, 0)] < lo
        fallback = xp.minimum(
            search_batch(xp, stack.u_sorted, stack.n_order, sid, lo), stack.n_order[sid] - 1
        )
        pos = xp.where((pos < 0) | below, fallback, pos)
        return stack.order[sid, pos]


def _share_batch(xp: ArrayNamespace, own: Array, other: Array) -> Array:
    denominator = 1.0 - own * other
    positive = denominator > 0
    return xp.where(positive, (1.0 - other) / xp.where(positive, denominator, 1.0), 0.5)
