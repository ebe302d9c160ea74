"""Tournaments: strategies x scenarios x repetitions, split into chunks that any runner runs.

Negotiations are numbered scenario by scenario, then by line-up (one strategy per side, every
combination), then by repetition; a negotiation's number fixes its random stream (see
:mod:`accord.sim.engine.seeding`), so the results never depend on how the chunks are spread.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from accord.sim.engine.arrays import DEFAULT_ARRAYS, ArraySpec
from accord.sim.engine.batch import run_batch
from accord.sim.engine.rounds import REASONS
from accord.sim.runs.metrics import Reference, outcome_metrics
from accord.sim.scenarios.scenario import IntArray, Scenario
from accord.sim.strategies.base import Strategy

Table = dict[str, np.ndarray]
"""A results table: column name -> ``(rows,)`` array."""


@dataclass(frozen=True, slots=True, eq=False)
class Tournament:
    """Every line-up of ``strategies`` on every scenario, ``repetitions`` times each.

    ``arrays`` says which array namespace runs the chunks (NumPy on the CPU by default; e.g.
    ``ArraySpec("cuda")`` for PyTorch on a GPU): each worker builds it where it runs, so Dask
    workers may each hold a GPU.

    Examples
    --------
    >>> from accord.sim.scenarios.generate import random_scenario
    >>> from accord.sim.strategies import make_strategy
    >>> t = Tournament((random_scenario(np.random.default_rng(0), (3, 3)),),
    ...                (make_strategy("boulware"), make_strategy("conceder")), repetitions=2)
    >>> t.size, len(list(t.chunks(3)))
    (8, 3)
    """

    scenarios: tuple[Scenario, ...]
    strategies: tuple[Strategy, ...]
    repetitions: int = 1
    n_rounds: int = 100
    seed: int = 0
    arrays: ArraySpec = DEFAULT_ARRAYS
    lineup: tuple[int, ...] | None = None
    """Only this line-up (a strategy index per side) instead of every combination."""

    def __post_init__(self) -> None:
        if not self.scenarios or not self.strategies:
            raise ValueError("a tournament needs at least one scenario and one strategy")
        if self.repetitions < 1 or self.n_rounds < 1:
            raise ValueError("repetitions and n_rounds must be >= 1")
        if self.lineup is not None:
            if any(len(self.lineup) != s.n_sides for s in self.scenarios):
                raise ValueError(f"line-up {self.lineup} does not give every scenario one strategy per side")
            if not all(0 <= i < len(self.strategies) for i in self.lineup):
                raise ValueError(
                    f"line-up {self.lineup}: expected indexes of the {len(self.strategies)} strategies"
                )

    def lineups(self, scenario: Scenario) -> IntArray:
        """``(L, n_sides)`` strategy indexes: the one :attr:`lineup`, or every combination in a
        fixed order."""
        if self.lineup is not None:
            return np.array([self.lineup], dtype=np.int64)
        return np.array(
            list(itertools.product(range(len(self.strategies)), repeat=scenario.n_sides)), dtype=np.int64
        )

    def scenario_sizes(self) -> list[int]:
        return [len(self.lineups(s)) * self.repetitions for s in self.scenarios]

    @property
    def size(self) -> int:
        return sum(self.scenario_sizes())

    def chunks(self, chunk_size: int) -> Iterator[Chunk]:
        """The work in pieces of at most ``chunk_size`` negotiations, each within one scenario."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be >= 1")
        start = 0
        number = 0
        for s, size in enumerate(self.scenario_sizes()):
            for lo in range(0, size, chunk_size):
                hi = min(size, lo + chunk_size)
                yield Chunk(number, s, start + lo, start + hi)
                number += 1
            start += size


@dataclass(frozen=True, slots=True)
class Chunk:
    """Negotiations ``[start, stop)`` of the tournament, all on scenario ``scenario``."""

    number: int
    scenario: int
    start: int
    stop: int


def run_chunk(tournament: Tournament, chunk: Chunk) -> Table:
    """Run one chunk with the batch engine and describe each negotiation (a results table)."""
    scenario = tournament.scenarios[chunk.scenario]
    first = sum(tournament.scenario_sizes()[: chunk.scenario])
    local = np.arange(chunk.start, chunk.stop) - first
    lineups = tournament.lineups(scenario)[local // tournament.repetitions]
    indices = np.arange(chunk.start, chunk.stop, dtype=np.int64)
    result = run_batch(
        [scenario],
        np.zeros(indices.shape[0], dtype=np.int64),
        tournament.strategies,
        lineups,
        tournament.n_rounds,
        seed=tournament.seed,
        indices=indices,
        xp=tournament.arrays.namespace(),
    )
    n = indices.shape[0]
    names = np.array([s.name for s in tournament.strategies], dtype=object)
    table: Table = {
        "index": indices,
        "scenario": np.full(n, scenario.name, dtype=object),
        "repetition": local % tournament.repetitions,
    }
    for p, side in enumerate(scenario.sides):
        table[f"strategy_{p}"] = names[lineups[:, p]]
        table[f"side_{p}"] = np.full(n, side.name, dtype=object)
    table["reason"] = np.array(REASONS, dtype=object)[result.reason]
    metrics = outcome_metrics(scenario, result.agreement, result.end_turn, _reference(scenario))
    table.update(metrics)
    return table


_REFERENCES: dict[int, tuple[Scenario, Reference]] = {}


def _reference(scenario: Scenario) -> Reference:
    """Frontier and Nash point of a scenario, computed once per scenario object in a process."""
    cached = _REFERENCES.get(id(scenario))
    if cached is None or cached[0] is not scenario:
        cached = (scenario, Reference.of(scenario))
        _REFERENCES[id(scenario)] = cached
    return cached[1]


def concat(tables: Iterable[Table]) -> Table:
    """Stack tables sorted by negotiation index (columns missing in some tables become empty).

    Long-form per-side columns (``strategy_2`` on a three-party scenario) are kept; a two-party
    table gets ``None`` there.
    """
    tables = [t for t in tables if len(t["index"])]
    if not tables:
        return {}
    names: list[str] = []
    for t in tables:
        names.extend(n for n in t if n not in names)
    out: Table = {}
    for name in names:
        present = [t[name] for t in tables if name in t]
        is_text = any(p.dtype == object for p in present)
        parts = []
        for t in tables:
            if name in t:
                parts.append(t[name].astype(object) if is_text else t[name])
            else:
                parts.append(
                    np.full(
                        len(t["index"]), None if is_text else np.nan, dtype=object if is_text else np.float64
                    )
                )
        out[name] = np.concatenate(parts)
    order = np.argsort(out["index"], kind="stable")
    return {k: v[order] for k, v in out.items()}


def summary(table: Table, by: Sequence[str] = ("strategy_0",)) -> Table:
    """Mean results per group (e.g. per strategy of the first side): negotiations, agreement
    rate, mean round and day, mean welfare, distances to the frontier and the Nash point."""
    keys = list(zip(*(table[b] for b in by), strict=True))
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out: dict[str, list[object]] = {b: [] for b in by}
    stats = ("agreement", "round", "day", "welfare", "frontier_distance", "nash_distance")
    out["negotiations"] = []
    for s in stats:
        out[s] = []
    for key, rows in sorted(groups.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        for b, k in zip(by, key, strict=True):
            out[b].append(k)
        out["negotiations"].append(len(rows))
        for s in stats:
            values = np.asarray(table[s][rows], dtype=np.float64)
            out[s].append(float(np.nanmean(values)) if np.isfinite(values).any() else float("nan"))
    return {k: np.array(v, dtype=object if k in by else np.float64) for k, v in out.items()}
