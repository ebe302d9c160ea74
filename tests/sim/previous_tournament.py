"""The tournament pipeline as it was before results were described over whole batches (kept as
the naive twin of :func:`accord.sim.runs.tournament.results` and of the files
:func:`accord.workflows.tournaments.run_tournament` writes): each chunk ran and was described on
its own (with a chunk of one, negotiation by negotiation), tables were stacked and written
through Python lists. Copied from the code it replaces; do not speed it up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from accord.sim.engine.batch import run_batch
from accord.sim.engine.rounds import REASONS
from accord.sim.runs.metrics import Reference
from accord.sim.runs.tournament import Chunk, Tournament

Table = dict[str, np.ndarray]


def _nearest_distance(points, frontier, chunk=4096):
    out = np.empty(points.shape[0])
    for start in range(0, points.shape[0], chunk):
        p = points[start : start + chunk]
        d = np.sqrt(((p[:, None, :] - frontier[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        out[start : start + chunk] = d
    return out


def outcome_metrics(scenario, agreement, end_turn, reference=None):
    reference = reference or Reference.of(scenario)
    agreed = agreement >= 0
    rounds = end_turn // scenario.n_sides
    day = scenario.calendar.day_of_round(rounds)
    U = scenario.U[np.where(agreed, agreement, 0)]
    utility = np.where(agreed[:, None], U, np.nan)
    cost = day[:, None] * scenario.daily_cost[None, :]
    discounted = U * scenario.discount[None, :] ** end_turn[:, None]
    payoff = np.where(agreed[:, None], discounted, scenario.reservation[None, :]) - cost
    columns = {"agreement": agreed, "outcome": agreement, "turn": end_turn, "round": rounds, "day": day}
    for j, name in enumerate(scenario.columns):
        columns[f"utility_{name}"] = utility[:, j]
        columns[f"payoff_{name}"] = payoff[:, j]
        columns[f"strike_cost_{name}"] = cost[:, j]
    columns["welfare"] = payoff.sum(axis=1)
    frontier_distance = np.full(agreement.shape[0], np.nan)
    nash_distance = np.full(agreement.shape[0], np.nan)
    if agreed.any():
        distinct, settled = np.unique(agreement[agreed], return_inverse=True)
        points = scenario.U[distinct]
        frontier_distance[agreed] = _nearest_distance(points, reference.frontier)[settled]
        nash_distance[agreed] = np.sqrt(((points - reference.nash) ** 2).sum(axis=1))[settled]
    columns["frontier_distance"] = frontier_distance
    columns["nash_distance"] = nash_distance
    return columns


def run_chunk(tournament: Tournament, chunk: Chunk) -> Table:
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
    table.update(outcome_metrics(scenario, result.agreement, result.end_turn, Reference.of(scenario)))
    return table


def concat(tables):
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


def summary(table, by=("strategy_0",)):
    keys = list(zip(*(table[b] for b in by), strict=True))
    groups: dict = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out: dict = {b: [] for b in by}
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


def arrow_table(table: Table) -> pa.Table:
    columns = {}
    for name, values in table.items():
        columns[name] = pa.array(values.tolist() if values.dtype == object else values)
    return pa.table(columns)


def previous_results(tournament: Tournament, chunk_size: int) -> Table:
    """The results table as the previous pipeline built it, chunk by chunk."""
    return concat(run_chunk(tournament, chunk) for chunk in tournament.chunks(chunk_size))


def previous_files(tournament: Tournament, chunk_size: int, out_dir: Path) -> dict[str, Path]:
    """``results.parquet``, ``results.csv``, ``summary.parquet`` and ``summary.csv`` as the
    previous pipeline wrote them."""
    import pyarrow.csv as pacsv

    out_dir.mkdir(parents=True, exist_ok=True)
    table = previous_results(tournament, chunk_size)
    paths = {}
    for stem, data in (("results", table), ("summary", summary(table))):
        arrow = arrow_table(data)
        paths[f"{stem}.parquet"] = out_dir / f"{stem}.parquet"
        paths[f"{stem}.csv"] = out_dir / f"{stem}.csv"
        pq.write_table(arrow, paths[f"{stem}.parquet"])
        pacsv.write_csv(arrow, paths[f"{stem}.csv"])
    return paths
