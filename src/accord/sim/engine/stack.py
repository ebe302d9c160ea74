"""The same agent slot in several scenarios of one shape, stacked for the batch engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from accord.sim.engine.agent_view import AgentView
from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.engine.kernels import pad_rows


@dataclass(frozen=True, slots=True, eq=False)
class ViewStack:
    """``S`` :class:`~accord.sim.engine.agent_view.AgentView` rows stacked (see there for the fields).

    Ragged rows (``order``, ``u_sorted``, ``frontier``) are padded: ``u_sorted`` with ``+inf``,
    index rows with ``-1``; ``n_order`` and ``n_frontier`` hold the true lengths. ``frontier_neg``
    is ``-u[frontier]`` (ascending), padded with ``+inf``. Host NumPy arrays (:meth:`of`), or the
    arrays of a namespace (:meth:`to`).
    """

    u: Array
    order: Array
    u_sorted: Array
    n_order: Array
    frontier: Array
    frontier_neg: Array
    n_frontier: Array
    disagreement: Array
    time: Array
    discount: Array
    other_discount: Array
    u_max: Array
    u_min: Array

    @classmethod
    def of(cls, views: Sequence[AgentView]) -> ViewStack:
        u_sorted, n_order = pad_rows([v.u_sorted for v in views], np.inf)
        order, _ = pad_rows([v.order for v in views], -1)
        frontier, n_frontier = pad_rows([v.frontier for v in views], -1)
        frontier_neg, _ = pad_rows([-v.u[v.frontier] for v in views], np.inf)
        return cls(
            u=np.stack([v.u for v in views]),
            order=order.astype(np.int64),
            u_sorted=u_sorted,
            n_order=n_order,
            frontier=frontier.astype(np.int64),
            frontier_neg=frontier_neg,
            n_frontier=n_frontier,
            disagreement=np.stack([v.disagreement for v in views]),
            time=views[0].time,
            discount=np.array([v.discount for v in views]),
            other_discount=np.array([v.other_discount for v in views]),
            u_max=np.array([v.u_max for v in views]),
            u_min=np.array([v.u_min for v in views]),
        )

    def to(self, xp: ArrayNamespace) -> ViewStack:
        """The same stack as arrays of the namespace ``xp`` (floats in its dtype)."""
        moved = {}
        for f in fields(self):
            value = getattr(self, f.name)
            kind = "int" if np.asarray(value).dtype.kind in "iu" else "float"
            moved[f.name] = xp.asarray(value, kind)
        return ViewStack(**moved)
