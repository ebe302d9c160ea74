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


ENGINE_COLUMNS = ("index", "outcome", "turn", "reason")
"""What :func:`run_chunk` gives per negotiation: its number, the agreed outcome (``-1`` for none),
the turn it ended on and the end reason's code (into :data:`~accord.sim.engine.rounds.REASONS`)."""


def run_chunk(tournament: Tournament, chunk: Chunk) -> Table:
    """Run one chunk with the batch engine: the :data:`ENGINE_COLUMNS` of each negotiation.

    :func:`results` turns the engine columns of any chunks into the results table; they are kept
    this small so that a chunk travels between processes and to disk cheaply.
    """
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
    return {"index": indices, "outcome": result.agreement, "turn": result.end_turn, "reason": result.reason}


def results(tournament: Tournament, engine: Table) -> Table:
    """The results table of the negotiations in ``engine`` (the :data:`ENGINE_COLUMNS` of any
    chunks, stacked in any order): one row per negotiation, by number.

    Each scenario's rows are described at once (:func:`describe`), so the cost per negotiation
    is a few array operations whatever the chunk size; a row is the same however the
    negotiations were split into chunks.

    Examples
    --------
    >>> from accord.sim.scenarios.generate import random_scenario
    >>> from accord.sim.strategies import make_strategy
    >>> t = Tournament((random_scenario(np.random.default_rng(0), (3, 3)),),
    ...                (make_strategy("boulware"),), repetitions=3, n_rounds=10)
    >>> table = results(t, concat(run_chunk(t, c) for c in t.chunks(2)))
    >>> table["index"].tolist(), table["reason"].tolist()
    ([0, 1, 2], ['agreement', 'agreement', 'agreement'])
    """
    if not engine or not len(engine["index"]):
        return {}
    engine = concat([engine])
    bounds = np.cumsum([0, *tournament.scenario_sizes()])
    cuts = np.searchsorted(engine["index"], bounds)
    tables = []
    for s in range(len(tournament.scenarios)):
        if cuts[s + 1] > cuts[s]:
            rows = {name: values[cuts[s] : cuts[s + 1]] for name, values in engine.items()}
            tables.append(describe(tournament, s, rows))
    return concat(tables)


def _repeat(text: str, n: int) -> np.ndarray:
    """``n`` copies of ``text`` in an object array (indexing: ``np.full`` is ten times slower)."""
    return np.array([text], dtype=object)[np.zeros(n, dtype=np.intp)]


def describe(tournament: Tournament, s: int, engine: Table) -> Table:
    """The results table of negotiations of scenario ``s`` (their :data:`ENGINE_COLUMNS`):
    scenario, repetition, each side's strategy and name, end reason, then
    :func:`~accord.sim.runs.metrics.outcome_metrics`."""
    scenario = tournament.scenarios[s]
    indices = engine["index"]
    local = indices - sum(tournament.scenario_sizes()[:s])
    lineups = tournament.lineups(scenario)[local // tournament.repetitions]
    n = indices.shape[0]
    names = np.array([strategy.name for strategy in tournament.strategies], dtype=object)
    table: Table = {
        "index": indices,
        "scenario": _repeat(scenario.name, n),
        "repetition": local % tournament.repetitions,
    }
    for p, side in enumerate(scenario.sides):
        table[f"strategy_{p}"] = names[lineups[:, p]]
        table[f"side_{p}"] = _repeat(side.name, n)
    table["reason"] = np.array(REASONS, dtype=object)[engine["reason"]]
    table.update(outcome_metrics(scenario, engine["outcome"], engine["turn"], _reference(scenario)))
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
                parts.append(t[name].astype(object, copy=False) if is_text else t[name])
            else:
                parts.append(
                    np.full(
                        len(t["index"]), None if is_text else np.nan, dtype=object if is_text else np.float64
                    )
                )
        out[name] = np.concatenate(parts)
    index = out["index"]
    if np.all(index[1:] > index[:-1]):
        return out  # already in order (a stable sort would leave it as it is)
    order = np.argsort(index, kind="stable")
    return {k: v[order] for k, v in out.items()}


FEW_VALUES = 32
"""Up to this many distinct values, :func:`factorize` finds each value's rows with one array
comparison (a results table's text columns hold a few names repeated on every row)."""


def factorize(column: np.ndarray) -> tuple[np.ndarray, list[object]]:
    """Each value's position in the list of distinct values (in order of first appearance).

    Examples
    --------
    >>> codes, values = factorize(np.array(["b", "a", "b", None], dtype=object))
    >>> codes.tolist(), values
    ([0, 1, 0, 2], ['b', 'a', None])
    """
    codes = np.full(len(column), -1, dtype=np.intp)
    values: list[object] = []
    rest = np.flatnonzero(codes < 0)
    while rest.size and len(values) < FEW_VALUES:
        value = column[rest[0]]
        # compared as the object it is: a bare str becomes a NumPy string, which drops trailing
        # NULs ("\x00" would equal "")
        boxed = np.empty((), dtype=object)
        boxed[()] = value
        same = rest[column[rest] == boxed] if rest.size < len(column) else np.flatnonzero(column == boxed)
        codes[same] = len(values)
        codes[rest[0]] = len(values)  # a value unequal to itself (NaN) is still its own group
        values.append(value)
        rest = rest[codes[rest] < 0]
    if rest.size:  # many distinct values: one dictionary look-up per remaining row
        seen = {v: i for i, v in enumerate(values)}
        codes[rest] = [seen.setdefault(v, len(seen)) for v in column[rest].tolist()]
        values = list(seen)
    return codes, values


def group_codes(table: Table, by: Sequence[str]) -> tuple[np.ndarray, list[tuple[object, ...]]]:
    """Each row's group (rows with equal values in the columns ``by``), and each group's key.

    Examples
    --------
    >>> codes, keys = group_codes({"a": np.array(["x", "y", "x"], dtype=object)}, ["a"])
    >>> codes.tolist(), keys
    ([0, 1, 0], [('x',), ('y',)])
    """
    parts = [factorize(table[b]) for b in by]
    sizes = [max(1, len(values)) for _, values in parts]
    flat = np.ravel_multi_index(tuple(codes for codes, _ in parts), sizes)
    present, codes = np.unique(flat, return_inverse=True)
    positions = np.unravel_index(present, sizes)
    keys = [
        tuple(values[i] for (_, values), i in zip(parts, at, strict=True))
        for at in zip(*positions, strict=True)
    ]
    return codes.reshape(-1), keys


def summary(table: Table, by: Sequence[str] = ("strategy_0",)) -> Table:
    """Mean results per group (e.g. per strategy of the first side): negotiations, agreement
    rate, mean round and day, mean welfare, distances to the frontier and the Nash point."""
    codes, keys = group_codes(table, by)
    order = sorted(range(len(keys)), key=lambda g: tuple(str(k) for k in keys[g]))
    rows_of = np.split(
        np.argsort(codes, kind="stable"), np.cumsum(np.bincount(codes, minlength=len(keys)))[:-1]
    )
    out: dict[str, list[object]] = {b: [] for b in by}
    stats = ("agreement", "round", "day", "welfare", "frontier_distance", "nash_distance")
    out["negotiations"] = []
    for s in stats:
        out[s] = []
    for g in order:
        rows = rows_of[g]
        for b, k in zip(by, keys[g], strict=True):
            out[b].append(k)
        out["negotiations"].append(len(rows))
        for s in stats:
            values = np.asarray(table[s][rows], dtype=np.float64)
            out[s].append(float(np.nanmean(values)) if np.isfinite(values).any() else float("nan"))
    return {k: np.array(v, dtype=object if k in by else np.float64) for k, v in out.items()}
