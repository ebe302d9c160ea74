"""The array namespace without PyTorch: the specs and their refusals, and NumPy's float32 and
one-strategy batches (PyTorch's twins in test_arrays.py)."""

from __future__ import annotations

import numpy as np
import pytest
from batch_runs import assert_a_lone_strategy_plays_as_among_others, same_share

from accord.sim.engine.arrays import ArraySpec
from accord.sim.scenarios.generate import random_scenario


def test_array_spec_defaults_and_bad_values():
    assert ArraySpec().label() == "numpy/cpu/float64"
    assert ArraySpec("CUDA:1", "float32").label() == "torch/cuda:1/float32"
    for kwargs in (
        {"device": "gpu"},
        {"dtype": "float16"},
        {"library": "jax"},
        {"device": "cuda", "library": "numpy"},
    ):
        with pytest.raises(ValueError):
            ArraySpec(**kwargs)


def test_numpy_float32_settles_like_float64_on_random_domains():
    """The documented tolerance: >= 99% identical results on random additive domains."""
    rng = np.random.default_rng(11)
    scenarios = [
        random_scenario(rng, (10, 10, 10)).replace(reservation=[0.2, 0.3], daily_cost=[0.001, 0.002])
        for _ in range(8)
    ]
    share, *_ = same_share(ArraySpec(dtype="float32"), scenarios, 2)
    assert share >= 0.99


def test_a_lone_strategy_plays_as_it_does_among_others():
    assert_a_lone_strategy_plays_as_among_others(ArraySpec())
