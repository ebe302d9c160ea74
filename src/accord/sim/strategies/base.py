"""The strategy contract: what every negotiating agent implements, once per engine.

A strategy is a frozen, picklable value (its parameters). It acts through two twins:

- the *reference* methods (:meth:`Strategy.start`, :meth:`Strategy.respond`,
  :meth:`Strategy.propose`) decide for one negotiation, in plain Python on one
  :class:`~accord.sim.engine.agent_view.AgentView`; the reference engine calls them;
- the *batch* methods (``*_batch``) decide for many negotiations at once on a
  :class:`~accord.sim.engine.stack.ViewStack`, with array operations of the namespace ``xp``; the
  batch engine calls them, and differential tests check that both twins agree exactly.

A *static* strategy (``static = True``) decides from the scenario and the turn alone (no state,
no randomness): it accepts an offer worth at least :meth:`Strategy.threshold_batch` to it and
offers :meth:`Strategy.propose_batch`, so the batch engine tabulates both once per scenario
and turn (calling them with ``turn`` an array aligned with ``sid``) and the round loop only
looks them up. The other strategies are called turn by turn on the negotiations still running.

State is a flat mapping of named numbers (one float per name in the reference twin, one
``(b,)`` array per name in the batch twin). A stochastic strategy reads its randomness from
``uniforms``: ``(n_turns,)`` draws (``(b, n_turns)`` in batch) from the negotiation's own seed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import IntEnum
from typing import ClassVar

from accord.sim.engine.agent_view import AgentView
from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.engine.stack import ViewStack
from accord.sim.scenarios.scenario import FloatArray


class Response(IntEnum):
    """A strategy's answer to the standing offer (:meth:`Strategy.respond`)."""

    REJECT = 0
    ACCEPT = 1


class Action(IntEnum):
    """What a side does at its turn, the code the engines' traces record: it makes an offer
    (rejecting the standing one, if any), accepts the standing offer, or walks away."""

    OFFER = 0
    ACCEPT = 1
    WALK = 2


REJECT, ACCEPT = Response.REJECT, Response.ACCEPT
WALK = Action.WALK

State = dict[str, float]
BatchState = dict[str, Array]
Turn = int | Array
"""A turn number, or (when a static strategy's tables are built) an array of them."""


class Strategy(ABC):
    """Base of every strategy (built-in or a user's own; see :mod:`accord.sim.strategies.registry`).

    Subclasses are frozen dataclasses whose fields are the strategy's parameters.
    """

    name: ClassVar[str] = ""
    stochastic: ClassVar[bool] = False
    static: ClassVar[bool] = False

    # -- reference twin --------------------------------------------------------------------
    def start(self, view: AgentView, uniforms: FloatArray | None) -> State:
        """The state at the start of a negotiation."""
        return {}

    def walks(self, view: AgentView, turn: int) -> bool:
        """Whether to walk away now: the default walks when the current disagreement value
        beats every package the agent may offer."""
        return bool(view.disagreement[turn] > view.u_max)

    @abstractmethod
    def respond(
        self, view: AgentView, state: State, turn: int, offer: int, uniforms: FloatArray | None
    ) -> Response:
        """``ACCEPT`` or ``REJECT`` the standing ``offer`` (an outcome index)."""

    @abstractmethod
    def propose(self, view: AgentView, state: State, turn: int, uniforms: FloatArray | None) -> int:
        """The outcome index to offer (one of ``view.order``)."""

    # -- batch twin ------------------------------------------------------------------------
    def start_batch(
        self, xp: ArrayNamespace, stack: ViewStack, sid: Array, uniforms: Array | None
    ) -> BatchState:
        return {}

    def walks_batch(self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: Turn) -> Array:
        """Whether to walk away (``turn`` may be an array aligned with ``sid``)."""
        return stack.disagreement[sid, turn] > stack.u_max[sid]

    def threshold_batch(self, xp: ArrayNamespace, stack: ViewStack, sid: Array, turn: Turn) -> Array:
        """A static strategy's acceptance level: it accepts offers worth at least this much."""
        raise NotImplementedError(f"{type(self).__name__} is not static: it has no threshold table")

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
        """``(b,)`` booleans: accept each standing offer (static strategies: at or above the
        threshold; the others override this)."""
        return stack.u[sid, offers] >= self.threshold_batch(xp, stack, sid, turn)

    @abstractmethod
    def propose_batch(
        self,
        xp: ArrayNamespace,
        stack: ViewStack,
        sid: Array,
        state: BatchState,
        turn: Turn,
        uniforms: Array | None,
    ) -> Array:
        """``(b,)`` outcome indexes to offer."""

    # -- description -----------------------------------------------------------------------
    def params(self) -> dict[str, float]:
        """The strategy's parameters (its dataclass fields)."""
        from dataclasses import asdict, is_dataclass

        return dict(asdict(self)) if is_dataclass(self) else {}

    def label(self) -> str:
        """Name and parameters, e.g. ``time-dependent(exponent=4.0)``."""
        params = ", ".join(f"{k}={v:g}" for k, v in self.params().items())
        return f"{self.name}({params})" if params else self.name
