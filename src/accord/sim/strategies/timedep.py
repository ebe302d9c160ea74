"""Time-dependent concession: Boulware, linear, conceder, and the hardliner.

Defined as NegMAS 0.16's time-based negotiators (``BoulwareTBNegotiator`` etc.), after
Faratin, Sierra and Jennings (1998), "Negotiation decision functions for autonomous agents":

- relative time ``t = (round + 1) / (n_rounds + 1)``;
- aspiration ``a(t) = 1 - t ** exponent`` (Boulware 4, linear 1, conceder 0.25; a hardliner
  never concedes);
- with ``lo = max(worst offerable utility, disagreement value)`` and ``hi`` the best offerable
  utility, the threshold is ``lo + (hi - lo) * a(t)``, lowered by ``tolerance``
  (NegMAS's ``eps``) but never below ``lo``;
- it offers the package it likes least among those at or above the threshold, and accepts an
  offer at or above the threshold.

Differences from NegMAS: the disagreement value moves with the simulated day (NegMAS's
reserved value is fixed); ties in utility go to the lowest outcome index; there is no upper
bound on what is accepted (NegMAS clamps to its best utility plus ``eps``, which only matters
for a coalition voice whose offers are restricted).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from accord.sim.engine.agent_view import AgentView
from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.engine.kernels import search_batch, search_scalar
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import FloatArray
from accord.sim.strategies.base import BatchState, Response, State, Strategy, Turn


@dataclass(frozen=True, slots=True)
class TimeDependent(Strategy):
    """Concede on a clock: ``exponent`` > 1 is Boulware (late), < 1 conceder (early).

    Examples
    --------
    >>> TimeDependent(exponent=4.0).aspiration(0.5)
    0.9375
    """

    name: ClassVar[str] = "time-dependent"
    static: ClassVar[bool] = True
    exponent: float = 1.0
    tolerance: float = 1e-4

    def __post_init__(self) -> None:
        if not self.exponent > 0:
            raise ValueError(f"exponent must be > 0, got {self.exponent}")
        if not self.tolerance >= 0:
            raise ValueError(f"tolerance must be >= 0, got {self.tolerance}")

    def aspiration(self, t: float) -> float:
        """Share of the range still demanded at relative time ``t`` in ``[0, 1)``."""
        return 1.0 - math.pow(t, self.exponent) if math.isfinite(self.exponent) else 1.0

    def threshold(self, view: AgentView, turn: int) -> float:
        lo = max(view.u_min, float(view.disagreement[turn]))
        level = lo + (view.u_max - lo) * self.aspiration(float(view.time[turn]))
        return max(lo, level - self.tolerance)

    def respond(
        self, view: AgentView, state: State, turn: int, offer: int, uniforms: FloatArray | None
    ) -> Response:
        return Response(int(view.u[offer] >= self.threshold(view, turn)))

    def propose(self, view: AgentView, state: State, turn: int, uniforms: FloatArray | None) -> int:
        pos = min(search_scalar(view.u_sorted, self.threshold(view, turn)), view.u_sorted.size - 1)
        return int(view.order[pos])

    def threshold_batch(self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: Turn) -> Array:
        # math.pow per turn, as the reference twin does (a vectorised power may round differently).
        aspiration = np.array([self.aspiration(float(t)) for t in xp.to_numpy(stack.time)])
        lo = xp.maximum(stack.u_min[sid], stack.disagreement[sid, turn])
        level = lo + (stack.u_max[sid] - lo) * xp.asarray(aspiration)[turn]
        return xp.maximum(lo, level - self.tolerance)

    def propose_batch(
        self,
        xp: ArrayNamespace,
        stack: ViewStack,
        sid: Array,
        state: BatchState,
        turn: Turn,
        uniforms: Array | None,
    ) -> Array:
        pos = search_batch(xp, stack.u_sorted, stack.n_order, sid, self.threshold_batch(xp, stack, sid, turn))
        return stack.order[sid, xp.minimum(pos, stack.n_order[sid] - 1)]


@dataclass(frozen=True, slots=True)
class Boulware(TimeDependent):
    """Time-dependent with exponent 4 (NegMAS ``BoulwareTBNegotiator``): concedes late."""

    name: ClassVar[str] = "boulware"
    exponent: float = 4.0


@dataclass(frozen=True, slots=True)
class Linear(TimeDependent):
    """Time-dependent with exponent 1 (NegMAS ``LinearTBNegotiator``)."""

    name: ClassVar[str] = "linear"
    exponent: float = 1.0


@dataclass(frozen=True, slots=True)
class Conceder(TimeDependent):
    """Time-dependent with exponent 0.25 (NegMAS ``ConcederTBNegotiator``): concedes early."""

    name: ClassVar[str] = "conceder"
    exponent: float = 0.25


@dataclass(frozen=True, slots=True)
class Hardliner(TimeDependent):
    """Never concedes: offers its best package and accepts only that good an offer."""

    name: ClassVar[str] = "hardliner"
    exponent: float = math.inf
    tolerance: float = 0.0
