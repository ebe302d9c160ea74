"""Random streams fixed by the tournament seed and the negotiation's index.

Each negotiation ``index`` of a run seeded with ``seed`` draws from
``SeedSequence(entropy=seed, spawn_key=(index,))`` (the same stream ``SeedSequence(seed).spawn``
would hand to child ``index``), so results never depend on batch size, worker count or array library.
"""

from __future__ import annotations

import numpy as np

from accord.sim.scenarios.scenario import FloatArray


def negotiation_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of negotiation ``index`` in a run seeded with ``seed``.

    Examples
    --------
    >>> a = negotiation_rng(7, 3).random()
    >>> b = np.random.Generator(np.random.PCG64(np.random.SeedSequence(7).spawn(4)[3])).random()
    >>> a == b
    True
    """
    if seed < 0 or index < 0:
        raise ValueError(f"seed and index must be >= 0, got {seed}, {index}")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=(index,))))


def agent_uniforms(seed: int, index: int, n_agents: int, n_turns: int) -> FloatArray:
    """``(n_agents, n_turns)`` uniform draws in ``[0, 1)``: row ``a`` is agent ``a``'s stream
    (agents numbered side by side, each side's voice before its members)."""
    return negotiation_rng(seed, index).random((n_agents, n_turns))
