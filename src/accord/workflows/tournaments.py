"""Simulation use cases: run tournaments to files (resumable), and draw their plots.

The core (:mod:`accord.sim`) computes; this module owns the files: one Parquet part per finished
chunk under ``OUT/parts`` holding the engine's columns (so an interrupted run keeps what finished
and a rerun with the same settings resumes), then the results described over the whole batch,
``results.parquet`` and ``summary.parquet`` (and ``results.csv``, ``summary.csv`` when asked).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.sim.runs.runners import Runner
from accord.sim.runs.tournament import Chunk, Table, Tournament, concat, group_codes, results, summary
from accord.sim.scenarios.scenario import Scenario
from accord.workflows.arrow_columns import arrow_table, plain, read_parquet, write_parquet
from accord.workflows.stopwatch import Stopwatch

Progress = Callable[[int, int], None]

MAX_CLOUD = 20_000
"""Most outcome points drawn in an outcome scatter (the frontier is always drawn whole)."""
MAX_AGREEMENTS = 5_000
"""Most agreements drawn in an outcome scatter: a larger run is drawn from an even sample of its
rows, and the legend says how many of how many."""
PARTS = "engine columns"
"""What a part holds (:data:`accord.sim.runs.tournament.ENGINE_COLUMNS`); parts of another
layout are not reused."""


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
        "parts": PARTS,
    }


def write_table(table: Table, out_dir: Path, stem: str, *, csv: bool = True) -> dict[str, Path]:
    """Write ``stem.parquet`` (and ``stem.csv`` if ``csv``); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    arrow = arrow_table(table)
    paths = {"parquet": out_dir / f"{stem}.parquet"}
    write_parquet(arrow, paths["parquet"])
    if csv:
        import pyarrow.csv as pacsv

        paths["csv"] = out_dir / f"{stem}.csv"
        pacsv.write_csv(plain(arrow), paths["csv"])
    return paths


def _timed(watch: Stopwatch | None, name: str) -> Any:
    return watch.phase(name) if watch is not None else nullcontext()


def _prepare(tournament: Tournament, out_dir: Path, chunk_size: int) -> tuple[list[Chunk], list[Path]]:
    """Every chunk of the run, and the parts an earlier run with the same settings finished
    (parts of other settings are removed)."""
    parts_dir = out_dir / "parts"
    parts_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / "tournament.json"
    spec = fingerprint(tournament, chunk_size)
    if manifest.exists() and json.loads(manifest.read_text()) != spec:
        for old in parts_dir.glob("chunk-*.parquet"):
            old.unlink()
    manifest.write_text(json.dumps(spec, indent=2))
    return list(tournament.chunks(chunk_size)), sorted(parts_dir.glob("chunk-*.parquet"))


def _finished(
    runner: Runner, tournament: Tournament, todo: list[Chunk], watch: Stopwatch | None
) -> Iterator[tuple[Chunk, Table]]:
    """The runner's results, the time waited for them counted as the engine's."""
    results_of = iter(runner.run(tournament, todo))
    while True:
        with _timed(watch, "engine"):
            item = next(results_of, None)
        if item is None:
            return
        yield item


def run_tournament(
    tournament: Tournament,
    runner: Runner,
    out_dir: Path,
    *,
    chunk_size: int = 50_000,
    progress: Progress | None = None,
    csv: bool = False,
    stopwatch: Stopwatch | None = None,
) -> TournamentRun:
    """Run ``tournament`` on ``runner``, keeping each finished chunk on disk.

    Parts of an earlier run into ``out_dir`` with the same settings are reused. On Ctrl-C the
    finished parts are assembled into the result files and ``interrupted`` is set. ``csv``
    writes CSV copies of the results and the summary beside the Parquet files; ``stopwatch``
    collects the seconds of the phases ``engine``, ``metrics`` and ``writing``.
    """
    chunks, earlier = _prepare(tournament, out_dir, chunk_size)
    with _timed(stopwatch, "writing"):
        engine = [read_parquet(p) for p in earlier]
    done = {int(p.stem.split("-")[1]) for p in earlier}
    todo = [c for c in chunks if c.number not in done]
    finished = len(chunks) - len(todo)
    if progress:
        progress(finished, len(chunks))
    interrupted = False
    try:
        for chunk, part in _finished(runner, tournament, todo, stopwatch):
            with _timed(stopwatch, "writing"):
                tmp = out_dir / "parts" / f".chunk-{chunk.number:06d}.parquet"
                write_parquet(arrow_table(part), tmp)
                tmp.replace(out_dir / "parts" / f"chunk-{chunk.number:06d}.parquet")
            engine.append(part)
            finished += 1
            if progress:
                progress(finished, len(chunks))
    except KeyboardInterrupt:
        interrupted = True
    with _timed(stopwatch, "metrics"):
        table = results(tournament, concat(engine))
        means = summary(table) if table else {}
    files: dict[str, Path] = {}
    if not csv:  # CSV files of an earlier run into this folder would no longer match
        for stale in ("results.csv", "summary.csv"):
            (out_dir / stale).unlink(missing_ok=True)
    if table:
        with _timed(stopwatch, "writing"):
            written = write_table(table, out_dir, "results", csv=csv)
            files.update(written)
            summary_files = write_table(means, out_dir, "summary", csv=csv)
            files["summary"] = summary_files["parquet"]
            if csv:
                files["summary_csv"] = summary_files["csv"]
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


@functools.cache
def plotly_js() -> bytes:
    """The plotly.js the installed ``plotly`` package ships (read, not imported: the figures are
    written here as plain data)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("plotting needs the 'plotly' package: pip install 'accord[sim]'")
    return (Path(spec.submodule_search_locations[0]) / "package_data" / "plotly.min.js").read_bytes()


def _json(value: Any) -> str:
    # "</" inside a script would end it early (a scenario named "</script>").
    return json.dumps(value, allow_nan=False).replace("</", "<\\/")


def _write_html(figure: dict[str, Any], path: Path) -> Path:
    """One self-contained HTML page drawing ``figure`` (Plotly's plain data: ``data``, a list of
    traces, and ``layout``) with the inlined plotly.js."""
    path.parent.mkdir(parents=True, exist_ok=True)
    call = f'Plotly.newPlot("figure", {_json(figure["data"])}, {_json(figure["layout"])}, {{"responsive": true}});'
    with path.open("wb") as page:
        page.write(
            b'<html>\n<head><meta charset="utf-8" /></head>\n<body>\n'
            b'<div id="figure" style="height:100%; width:100%;"></div>\n<script type="text/javascript">'
        )
        page.write(plotly_js())
        page.write(f'</script>\n<script type="text/javascript">{call}</script>\n</body>\n</html>\n'.encode())
    return path


def _finite(values: np.ndarray) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values.tolist()]


def sample_rows(rows: np.ndarray, most: int) -> np.ndarray:
    """At most ``most`` of ``rows``, evenly spaced (all of them when there are few).

    Examples
    --------
    >>> sample_rows(np.arange(10), 4).tolist()
    [0, 3, 6, 9]
    """
    if rows.size <= most:
        return rows
    return rows[np.linspace(0, rows.size - 1, most).round().astype(np.intp)]


def plot_outcomes(scenario: Scenario, table: Table, path: Path, *, most: int = MAX_AGREEMENTS) -> Path:
    """Agreements of a tournament on one scenario over its outcome cloud and Pareto frontier
    (first two utility columns); at most ``most`` agreements, evenly sampled, the legend and
    title saying how many of how many."""
    from accord.analysis.frontier import pareto_frontier

    U = scenario.U[:, :2]
    frontier = U[pareto_frontier(U)]
    frontier = frontier[np.argsort(frontier[:, 0])]
    agreed = np.flatnonzero((table["scenario"] == scenario.name) & table["agreement"].astype(bool))
    shown = sample_rows(agreed, most)
    a, b = scenario.columns[:2]
    cloud = U[:: max(1, U.shape[0] // MAX_CLOUD)]  # a large space is thinned evenly, the frontier kept
    label = (
        f"agreements ({shown.size:,} sampled of {agreed.size:,})"
        if shown.size < agreed.size
        else "agreements"
    )
    traces = [
        {
            "type": "scatter",
            "x": cloud[:, 0].tolist(),
            "y": cloud[:, 1].tolist(),
            "mode": "markers",
            "name": "outcomes",
            "opacity": 0.3,
        },
        {
            "type": "scatter",
            "x": frontier[:, 0].tolist(),
            "y": frontier[:, 1].tolist(),
            "mode": "lines+markers",
            "name": "Pareto frontier",
        },
        {
            "type": "scatter",
            "x": table[f"utility_{a}"][shown].tolist(),
            "y": table[f"utility_{b}"][shown].tolist(),
            "mode": "markers",
            "name": label,
        },
    ]
    layout = {
        "title": {"text": f"{scenario.name}: {label}"},
        "xaxis": {"title": {"text": a}},
        "yaxis": {"title": {"text": b}},
    }
    return _write_html({"data": traces, "layout": layout}, path)


def strategy_matrix(table: Table, value: str = "payoff_0") -> tuple[list[str], list[str], np.ndarray]:
    """Mean of ``value`` per (first side's strategy, second side's strategy), over every row."""
    codes, keys = group_codes(table, ("strategy_0", "strategy_1"))
    rows = sorted({str(k[0]) for k in keys})
    cols = sorted({str(k[1]) for k in keys})
    matrix = np.full((len(rows), len(cols)), np.nan)
    order = np.argsort(codes, kind="stable")
    groups = np.split(order, np.cumsum(np.bincount(codes, minlength=len(keys)))[:-1])
    for (r, c), members in zip(keys, groups, strict=True):
        values = np.asarray(table[value][members], dtype=np.float64)
        if np.isfinite(values).any():
            matrix[rows.index(str(r)), cols.index(str(c))] = np.nanmean(values)
    return rows, cols, matrix


def plot_strategy_matrix(table: Table, path: Path, value: str = "agreement") -> Path:
    """Strategy-by-strategy table (heatmap) of the mean of ``value``."""
    rows, cols, matrix = strategy_matrix(table, value)
    z = [_finite(line) for line in matrix]
    text = [_finite(line) for line in np.round(matrix, 3)]
    heatmap = {"type": "heatmap", "z": z, "x": cols, "y": rows, "text": text, "texttemplate": "%{text}"}
    layout = {"title": {"text": f"mean {value}: first side (rows) vs second side (columns)"}}
    return _write_html({"data": [heatmap], "layout": layout}, path)
