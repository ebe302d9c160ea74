"""``accord tournament``: every line-up of strategies on every scenario, from the command line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import console, fail, print_json, skip_teardown
from accord.cli.sim_options import (
    ArraysOption,
    DeviceOption,
    DtypeOption,
    SchedulerOption,
    WorkersOption,
    array_spec,
    generated_scenarios,
    parse_shape,
    parse_strategies,
    runner_for,
)

if TYPE_CHECKING:
    from accord.sim.runs.runners import Runner
    from accord.sim.runs.tournament import Tournament
    from accord.sim.scenarios.scenario import Scenario
    from accord.workflows.stopwatch import Stopwatch
    from accord.workflows.tournaments import TournamentRun


def _domain_folders(root: Path) -> list[Path]:
    from accord.casefile.domains import domain_folders
    from accord.casefile.errors import CaseFileError

    try:
        return domain_folders(root)
    except CaseFileError as exc:
        fail(f"--domains-dir: {exc.first_line}")


def _domains(folders: list[Path]) -> list[Scenario]:
    if not folders:
        return []
    from accord.casefile.domains import domain_folder
    from accord.casefile.errors import CaseFileError
    from accord.workflows.scenarios import scenario_from_domain

    scenarios = []
    for folder in folders:
        try:
            scenarios.append(scenario_from_domain(domain_folder(folder)))
        except CaseFileError as exc:
            fail(f"--domain: {exc.first_line}")
        except ValueError as exc:
            fail(f"--domain: {exc}")
    return scenarios


def _scenarios(
    generated: int | None, folders: list[Path], shape: str, parties: int, seed: int
) -> list[Scenario]:
    count = generated if generated is not None else (0 if folders else 3)
    scenarios = [*_domains(folders), *generated_scenarios(count, parse_shape(shape), parties, seed)]
    if not scenarios:
        fail("no scenarios: give --generated N, --domain PATH or --domains-dir PATH")
    return scenarios


@app.command()
def tournament(
    strategies: Annotated[
        str | None, typer.Option(help="Comma-separated strategy names (default: every built-in).")
    ] = None,
    generated: Annotated[
        int | None,
        typer.Option(
            min=0, help="Number of generated random additive scenarios (default 3, or 0 with domains)."
        ),
    ] = None,
    domain: Annotated[
        list[Path] | None,
        typer.Option(help="A GENIUS or GeniusWeb domain folder, or `job-offer` (the example); repeatable."),
    ] = None,
    domains_dir: Annotated[
        Path | None, typer.Option(help="Take every domain folder under this folder (at any depth).")
    ] = None,
    shape: Annotated[str, typer.Option(help="Options per issue of generated scenarios.")] = "5x5x4",
    parties: Annotated[int, typer.Option(min=2, help="Parties of generated scenarios.")] = 2,
    repetitions: Annotated[int, typer.Option(min=1)] = 2,
    rounds: Annotated[int, typer.Option(min=1, help="Deadline in rounds.")] = 100,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    backend: Annotated[str, typer.Option(help="local | dask")] = "local",
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    chunk_size: Annotated[
        int, typer.Option(min=1, help="Negotiations per chunk (a part on disk, a task of a worker).")
    ] = 50_000,
    out: Annotated[Path, typer.Option(help="Folder for results, summary and plots.")] = Path(
        "tournament-out"
    ),
    device: DeviceOption = "cpu",
    dtype: DtypeOption = "float64",
    arrays: ArraysOption = None,
    csv: Annotated[
        bool, typer.Option("--csv", help="Also write results.csv and summary.csv beside the Parquet files.")
    ] = False,
    profile: Annotated[
        bool, typer.Option("--profile", help="Print where the time went, phase by phase, on stderr.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Every line-up of strategies on every scenario, written to Parquet (CSV with --csv) with
    plots.

    Interrupt with Ctrl-C to stop: finished chunks are kept, and rerunning with the same
    options resumes.
    """
    from accord.sim.runs.tournament import Tournament
    from accord.workflows.stopwatch import Stopwatch

    watch = Stopwatch()
    watch.add("start-up", _process_age(), time.process_time())
    with watch.phase("scenarios"):
        strategy_list = parse_strategies(strategies)
        folders = list(domain or [])
        if domains_dir is not None:
            folders.extend(_domain_folders(domains_dir))
        scenarios = _scenarios(generated, folders, shape, parties, seed)
        # Remote Dask workers build the array namespace themselves (they may hold the GPUs this host lacks).
        spec = array_spec(device, dtype, arrays, check=scheduler is None)
        t = Tournament(tuple(scenarios), tuple(strategy_list), repetitions, rounds, seed, spec)
    runner = runner_for(backend, workers, scheduler)
    result = _run_tournament(t, runner, out, chunk_size, show_progress=not as_json, csv=csv, watch=watch)
    with watch.phase("plots"):
        report = _tournament_report(t, result, out)
    if as_json:
        print_json(report)
    else:
        rate = "-" if report["agreement_rate"] is None else f"{report['agreement_rate']:.1%}"
        lines = [f"{report['negotiations']:,} of {t.size:,} negotiations; agreement rate {rate}"]
        lines += [f"  {k}: {v}" for k, v in report["files"].items()]
        typer.echo("\n".join(lines))
    if profile:
        _print_profile(watch, report["negotiations"])
    if backend == "local":  # a Dask client and its cluster are closed with their own teardown
        skip_teardown()
    if result.interrupted:
        raise typer.Exit(code=130)


def _process_age() -> float:
    """Seconds since the process started (or since the command line was first imported)."""
    from accord.cli import IMPORTED
    from accord.workflows.stopwatch import process_age

    age = process_age()
    return age if age is not None else time.perf_counter() - IMPORTED


def _print_profile(watch: Stopwatch, negotiations: int) -> None:
    """Seconds and share of the whole process per phase, and negotiations per second."""
    total, total_cpu = _process_age(), time.process_time()
    lines = [f"{'phase':<12} {'seconds':>8} {'share':>6} {'CPU s':>8}"]
    lines += [
        f"{n:<12} {s:8.3f} {share:6.1%} {cpu:8.3f}" for n, s, share, cpu in watch.report(total, total_cpu)
    ]
    lines.append(f"{'total':<12} {total:8.3f} {1:6.0%} {total_cpu:8.3f}")
    lines.append(
        f"{negotiations:,} negotiations, {negotiations / total:,.0f} per second of the whole process"
    )
    typer.echo("\n".join(lines), err=True)


def _run_tournament(
    t: Tournament,
    runner_client: tuple[Runner, Any],
    out: Path,
    chunk_size: int,
    *,
    show_progress: bool,
    csv: bool,
    watch: Stopwatch,
) -> TournamentRun:
    """Run ``t`` into ``out`` with a progress bar on a terminal; closes the Dask client."""
    from accord.sim.engine.arrays import ArraysUnavailableError
    from accord.workflows.tournaments import run_tournament

    runner, client = runner_client
    try:
        with _progress_bar(show_progress and sys.stderr.isatty()) as progress:
            return run_tournament(
                t, runner, out, chunk_size=chunk_size, progress=progress, csv=csv, stopwatch=watch
            )
    except ArraysUnavailableError as exc:
        fail(f"a worker could not run the batch engine: {exc}")
    finally:
        if client is not None:
            client.close()


@contextmanager
def _progress_bar(shown: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar of chunks on stderr, or nothing (Rich's progress is not even imported)."""
    if not shown:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
    ) as bar:
        task = bar.add_task("chunks", total=None)
        yield lambda d, n: bar.update(task, completed=d, total=n)


def _tournament_report(t: Tournament, result: TournamentRun, out: Path) -> dict[str, Any]:
    """The plots of the results (bilateral scenarios), and the summary ``--json`` prints."""
    import numpy as np

    from accord.workflows.tournaments import plot_outcomes, plot_strategy_matrix

    files = dict(result.files)
    bilateral = [s for s in t.scenarios if s.n_sides == 2]
    if result.table and bilateral:
        files["matrix"] = plot_strategy_matrix(result.table, out / "strategy-matrix.html")
        files["outcomes"] = plot_outcomes(bilateral[0], result.table, out / "outcomes.html")
        for other in bilateral[1:]:
            files[f"outcomes-{other.name}"] = plot_outcomes(
                other, result.table, out / f"outcomes-{other.name}.html"
            )
    table = result.table
    return {
        "negotiations": len(table.get("index", [])),
        "planned": t.size,
        "interrupted": result.interrupted,
        "agreement_rate": float(np.mean(table["agreement"].astype(float))) if table else None,
        "files": {k: str(v) for k, v in files.items()},
    }
