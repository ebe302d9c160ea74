"""Simulation use cases: run tournaments to files (resumable), and draw their plots.

The core (:mod:`accord.sim`) computes; this module owns the files: one Parquet part per finished
chunk under ``OUT/parts`` (so an interrupted run keeps what finished and a rerun with the same
settings resumes), then ``results.parquet``, ``results.csv`` and ``summary.csv``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.sim.runs.runners import Runner
from accord.sim.runs.tournament import Table, Tournament, concat, summary
from accord.sim.scenarios.scenario import Scenario

Progress = Callable[[int, int], None]

MAX_CLOUD = 20_000
"""Most outcome points drawn in an outcome scatter (the frontier is always drawn whole)."""


@dataclass(frozen=True, slots=True)
class TournamentRun:
    """What a tournament run left behind: the table, the files, and whether it was cut short."""

    table: Table
    files: dict[str, Path]
    finished_chunks: int
    total_chunks: int
    interrupted: bool


def fingerprint(tournament: Tournament, chunk_size: int) -> dict[str, Any]:
    """What must match for a rerun to reuse the finished parts of an earlier one."""
    return {
        "scenarios": [s.name for s in tournament.scenarios],
        "outcomes": [s.n_outcomes for s in tournament.scenarios],
        "strategies": [s.label() for s in tournament.strategies],
        "repetitions": tournament.repetitions,
        "n_rounds": tournament.n_rounds,
        "seed": tournament.seed,
        "chunk_size": chunk_size,
        # float32 may settle near-ties differently; float64 is the same on every array namespace.
        "dtype": tournament.arrays.dtype,
    }


def _arrow_table(table: Table) -> Any:
    import pyarrow as pa

    columns = {}
    for name, values in table.items():
        columns[name] = pa.array(values.tolist() if values.dtype == object else values)
    return pa.table(columns)


def _from_arrow(arrow: Any) -> Table:
    out: Table = {}
    for name in arrow.column_names:
        column = arrow.column(name)
        values = column.to_pylist()
        if column.type in ("string", "large_string") or str(column.type) == "string":
            out[name] = np.array(values, dtype=object)
        else:
            out[name] = column.to_numpy(zero_copy_only=False)
    return out


def write_table(table: Table, out_dir: Path, stem: str) -> dict[str, Path]:
    """Write ``stem.parquet`` and ``stem.csv``; returns their paths."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    arrow = _arrow_table(table)
    paths = {"parquet": out_dir / f"{stem}.parquet", "csv": out_dir / f"{stem}.csv"}
    pq.write_table(arrow, paths["parquet"])
    pacsv.write_csv(arrow, paths["csv"])
    return paths


def run_tournament(
    tournament: Tournament,
    runner: Runner,
    out_dir: Path,
    *,
    chunk_size: int = 2000,
    progress: Progress | None = None,
) -> TournamentRun:
    """Run ``tournament`` on ``runner``, keeping each finished chunk on disk.

    Parts of an earlier run into ``out_dir`` with the same settings are reused. On Ctrl-C the
    finished parts are assembled into the result files and ``interrupted`` is set.
    """
    import pyarrow.parquet as pq

    parts_dir = out_dir / "parts"
    parts_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / "tournament.json"
    spec = fingerprint(tournament, chunk_size)
    if manifest.exists() and json.loads(manifest.read_text()) != spec:
        for old in parts_dir.glob("chunk-*.parquet"):
            old.unlink()
    manifest.write_text(json.dumps(spec, indent=2))

    chunks = list(tournament.chunks(chunk_size))
    done = {int(p.stem.split("-")[1]) for p in parts_dir.glob("chunk-*.parquet")}
    todo = [c for c in chunks if c.number not in done]
    finished = len(chunks) - len(todo)
    if progress:
        progress(finished, len(chunks))
    interrupted = False
    try:
        for chunk, table in runner.run(tournament, todo):
            tmp = parts_dir / f".chunk-{chunk.number:06d}.parquet"
            pq.write_table(_arrow_table(table), tmp)
            tmp.replace(parts_dir / f"chunk-{chunk.number:06d}.parquet")
            finished += 1
            if progress:
                progress(finished, len(chunks))
    except KeyboardInterrupt:
        interrupted = True
    parts = [_from_arrow(pq.read_table(p)) for p in sorted(parts_dir.glob("chunk-*.parquet"))]
    table = concat(parts)
    files: dict[str, Path] = {}
    if table:
        files.update(write_table(table, out_dir, "results"))
        files["summary"] = write_table(summary(table), out_dir, "summary")["csv"]
    return TournamentRun(table, files, finished, len(chunks), interrupted)


def dask_client(scheduler: str | None, workers: int) -> Any:
    """A Dask client: connected to ``scheduler``, or to a new local cluster of ``workers``
    single-threaded worker processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)  # type: ignore[no-untyped-call]
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")  # type: ignore[no-untyped-call]
    return Client(cluster)  # type: ignore[no-untyped-call]


# -- plots (Plotly HTML, its JavaScript inlined from the installed package) -----------------


def _write_html(figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)
    return path


def plot_outcomes(scenario: Scenario, table: Table, path: Path) -> Path:
    """Agreements of a tournament on one scenario over its outcome cloud and Pareto frontier
    (first two utility columns)."""
    import plotly.graph_objects as go

    U = scenario.U[:, :2]
    frontier = U[pareto_frontier(U)]
    frontier = frontier[np.argsort(frontier[:, 0])]
    rows = (table["scenario"] == scenario.name) & table["agreement"].astype(bool)
    a, b = scenario.columns[:2]
    figure = go.Figure()
    cloud = U[:: max(1, U.shape[0] // MAX_CLOUD)]  # a large space is thinned evenly, the frontier kept
    figure.add_scatter(
        x=cloud[:, 0].tolist(), y=cloud[:, 1].tolist(), mode="markers", name="outcomes", opacity=0.3
    )
    figure.add_scatter(
        x=frontier[:, 0].tolist(), y=frontier[:, 1].tolist(), mode="lines+markers", name="Pareto frontier"
    )
    figure.add_scatter(
        x=table[f"utility_{a}"][rows].tolist(),
        y=table[f"utility_{b}"][rows].tolist(),
        mode="markers",
        name="agreements",
    )
    figure.update_layout(title=f"{scenario.name}: agreements", xaxis_title=a, yaxis_title=b)
    return _write_html(figure, path)


def strategy_matrix(table: Table, value: str = "payoff_0") -> tuple[list[str], list[str], np.ndarray]:
    """Mean of ``value`` per (first side's strategy, second side's strategy)."""
    rows = sorted(set(table["strategy_0"].tolist()))
    cols = sorted(set(table["strategy_1"].tolist()))
    matrix = np.full((len(rows), len(cols)), np.nan)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            sel = (table["strategy_0"] == r) & (table["strategy_1"] == c)
            values = np.asarray(table[value][sel], dtype=np.float64)
            if np.isfinite(values).any():
                matrix[i, j] = np.nanmean(values)
    return rows, cols, matrix


def plot_strategy_matrix(table: Table, path: Path, value: str = "agreement") -> Path:
    """Strategy-by-strategy table (heatmap) of the mean of ``value``."""
    import plotly.graph_objects as go

    rows, cols, matrix = strategy_matrix(table, value)
    figure = go.Figure(
        go.Heatmap(
            z=matrix.tolist(), x=cols, y=rows, text=np.round(matrix, 3).tolist(), texttemplate="%{text}"
        )
    )
    figure.update_layout(title=f"mean {value}: first side (rows) vs second side (columns)")
    return _write_html(figure, path)
