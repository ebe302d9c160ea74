"""Hypothesis generators for the analysis tests: utility tables and utility arrays.

Integer-valued utilities make ties frequent and sums exact; float-valued ones have no ties; decimal
ones (0.1, 0.2, ...) make sums that are equal on paper but differ in the last bit, the case the
additive fold's rounding margin is for.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.prefs.tables import UtilityTables


def make_tables(tables: list[np.ndarray], offset: np.ndarray) -> UtilityTables:
    k = offset.shape[0]
    return UtilityTables(
        issue_ids=tuple(f"issue{i}" for i in range(len(tables))),
        options=tuple(tuple(f"o{j}" for j in range(t.shape[0])) for t in tables),
        tables=tuple(tables),
        offset=offset,
        parties=tuple(f"party{j}" for j in range(k)),
    )


@st.composite
def utility_tables(
    draw: st.DrawFn,
    min_parties: int = 1,
    max_parties: int = 4,
    max_issues: int = 4,
    max_options: int = 4,
    kind: str | None = None,
) -> UtilityTables:
    """Small additive domains (at most ``max_options ** max_issues`` outcomes)."""
    k = draw(st.integers(min_parties, max_parties))
    shape = draw(st.lists(st.integers(1, max_options), min_size=0, max_size=max_issues))
    kind = draw(st.sampled_from(["int", "float", "decimal"])) if kind is None else kind
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "decimal":
        values = np.array([0.1, 0.2, 0.3, 0.6, 0.7])
        tables = [rng.choice(values, size=(m, k)) for m in shape]
        offset = rng.choice(values, size=k)
    elif kind == "int":
        levels = draw(st.integers(1, 4))
        tables = [rng.integers(-levels, levels + 1, size=(m, k)).astype(np.float64) for m in shape]
        offset = rng.integers(-2, 3, size=k).astype(np.float64)
    else:
        tables = [rng.random((m, k)) * rng.random() for m in shape]
        offset = rng.normal(size=k)
    return make_tables(tables, offset)


@st.composite
def utility_arrays(draw: st.DrawFn, max_n: int = 60, max_k: int = 4) -> np.ndarray:
    """``U: (n, k)`` with many ties (small integer grid) or continuous values."""
    n = draw(st.integers(0, max_n))
    k = draw(st.integers(1, max_k))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        return rng.integers(0, draw(st.integers(1, 6)), size=(n, k)).astype(np.float64)
    return rng.random((n, k))
