"""``accord tournament`` and ``accord sweep``: simulated negotiations from the command line."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import console, fail, print_json

if TYPE_CHECKING:
    from accord.sim.engine.arrays import ArraySpec
    from accord.sim.runs.runners import Runner
    from accord.sim.scenarios.scenario import Scenario

PARAMETERS_HELP = "daily_cost, reservation or discount"
RANGES_HELP = "daily_cost: a finite number >= 0; reservation: a finite number; discount: a number in (0, 1]"
"""The names of :data:`accord.sim.runs.sweep.PARAMETERS` and what each may be
(:func:`accord.sim.runs.sweep.ranges_text`), for the help text: written out so that ``accord --help``
need not import the simulation engine; ``tests/sim/test_cli_simulate.py`` checks they agree."""


def _shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(x) for x in text.lower().split("x"))
    except ValueError:
        fail(f"--shape {text!r}: expected option counts like 10x10x10")
    if not shape or min(shape) < 1:
        fail(f"--shape {text!r}: every issue needs at least one option")
    return shape


def _strategies(text: str | None) -> list[Any]:
    from accord.sim.strategies import UnknownStrategyError, make_strategy, strategy_names

    names = (
        [n.strip() for n in text.split(",")]
        if text
        else [n for n in strategy_names() if n != "time-dependent"]
    )
    try:
        return [make_strategy(n) for n in names]
    except (UnknownStrategyError, ValueError) as exc:
        fail(f"--strategies: {exc}")


def _generated(count: int, shape: tuple[int, ...], parties: int, seed: int) -> list[Scenario]:
    import numpy as np

    from accord.sim.scenarios.generate import random_scenario

    rng = np.random.default_rng(seed)
    return [random_scenario(rng, shape, parties, name=f"generated-{i}") for i in range(count)]


def _domain_folders(root: Path) -> list[Path]:
    from accord.casefile.domains import domain_folders
    from accord.casefile.errors import CaseFileError

    try:
        return domain_folders(root)
    except CaseFileError as exc:
        fail(f"--domains-dir: {exc.first_line}")


def _domains(folders: list[Path]) -> list[Scenario]:
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


DeviceOption = Annotated[
    str,
    typer.Option(
        help="Where the batch engine runs: cpu (NumPy unless --arrays torch), cuda or cuda:N (PyTorch)."
    ),
]
DtypeOption = Annotated[
    str,
    typer.Option(
        help="float64 (the reference engine's exact results) or float32 (faster; near-ties may differ)."
    ),
]
ArraysOption = Annotated[
    str | None, typer.Option(help="Array library: numpy or torch (default: numpy on cpu, torch on cuda).")
]


def _arrays(device: str, dtype: str, library: str | None, *, check: bool = True) -> ArraySpec:
    """The array namespace asked for; ``check`` builds it here, so a missing PyTorch or GPU is
    reported before any work starts."""
    from accord.sim.engine.arrays import ArraySpec, ArraysUnavailableError

    try:
        spec = ArraySpec(device, dtype, library or "")
        if check:
            spec.namespace()
    except ValueError as exc:
        fail(f"--device/--dtype/--arrays: {exc}")
    except ArraysUnavailableError as exc:
        fail(str(exc))
    return spec


def _runner(backend: str, workers: int, scheduler: str | None) -> tuple[Runner, Any]:
    from accord.sim.runs.runners import DaskRunner, LocalRunner

    if backend == "local":
        return LocalRunner(workers), None
    if backend != "dask":
        fail(f"--backend {backend!r}: expected 'local' or 'dask'")
    from accord.workflows.tournaments import dask_client

    try:
        client = dask_client(scheduler, workers)
    except ImportError:
        fail("the Dask backend needs the 'sim' extra: pip install 'accord[sim]'")
    return DaskRunner(client), client


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
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes (or local Dask workers).")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (with --backend dask).")
    ] = None,
    chunk_size: Annotated[int, typer.Option(min=1)] = 2000,
    out: Annotated[Path, typer.Option(help="Folder for results, summary and plots.")] = Path(
        "tournament-out"
    ),
    device: DeviceOption = "cpu",
    dtype: DtypeOption = "float64",
    arrays: ArraysOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Every line-up of strategies on every scenario, written to Parquet and CSV with plots.

    Interrupt with Ctrl-C to stop: finished chunks are kept, and rerunning with the same
    options resumes.
    """
    import numpy as np
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from accord.sim.engine.arrays import ArraysUnavailableError
    from accord.sim.runs.tournament import Tournament
    from accord.workflows.tournaments import plot_outcomes, plot_strategy_matrix
    from accord.workflows.tournaments import run_tournament as run_tournament_files

    strategy_list = _strategies(strategies)
    folders = list(domain or [])
    if domains_dir is not None:
        folders.extend(_domain_folders(domains_dir))
    count = generated if generated is not None else (0 if folders else 3)
    scenarios = [*_domains(folders), *_generated(count, _shape(shape), parties, seed)]
    if not scenarios:
        fail("no scenarios: give --generated N, --domain PATH or --domains-dir PATH")
    # Remote Dask workers build the array namespace themselves (they may hold the GPUs this host lacks).
    spec = _arrays(device, dtype, arrays, check=scheduler is None)
    t = Tournament(tuple(scenarios), tuple(strategy_list), repetitions, rounds, seed, spec)
    runner, client = _runner(backend, workers, scheduler)
    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console(stderr=True),
            disable=as_json or not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("chunks", total=None)
            result = run_tournament_files(
                t,
                runner,
                out,
                chunk_size=chunk_size,
                progress=lambda d, n: bar.update(task, completed=d, total=n),
            )
    except ArraysUnavailableError as exc:
        fail(f"a worker could not run the batch engine: {exc}")
    finally:
        if client is not None:
            client.close()
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
    report: dict[str, Any] = {
        "negotiations": len(table.get("index", [])),
        "planned": t.size,
        "interrupted": result.interrupted,
        "agreement_rate": float(np.mean(table["agreement"].astype(float))) if table else None,
        "files": {k: str(v) for k, v in files.items()},
    }
    if as_json:
        print_json(report)
    else:
        rate = "-" if report["agreement_rate"] is None else f"{report['agreement_rate']:.1%}"
        lines = [f"{report['negotiations']:,} of {t.size:,} negotiations; agreement rate {rate}"]
        lines += [f"  {k}: {v}" for k, v in report["files"].items()]
        typer.echo("\n".join(lines))
    if result.interrupted:
        raise typer.Exit(code=130)


@app.command("sweep")
def sweep_command(
    case: Annotated[
        str | None,
        typer.Argument(help="A bundled case or case file to replay (default: a generated domain)."),
    ] = None,
    parameter: Annotated[str, typer.Option(help=f"Assumption to vary: {PARAMETERS_HELP}.")] = "daily_cost",
    party: Annotated[
        str | None,
        typer.Option(help="Party (or member) whose assumption varies (case mode; default the union)."),
    ] = None,
    column: Annotated[
        int, typer.Option(min=0, help="Utility column whose assumption varies (generated mode).")
    ] = 0,
    low: Annotated[float, typer.Option("--low", help=f"First value of the range ({RANGES_HELP}).")] = 0.0,
    high: Annotated[float, typer.Option("--high", help="Last value of the range (at least --low).")] = 0.01,
    steps: Annotated[int, typer.Option(min=2, help="Values from --low to --high, evenly spaced.")] = 11,
    from_date: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="Case mode: replay from this date (YYYY-MM-DD), as `accord simulate --from`.",
        ),
    ] = None,
    prefs: Annotated[str | None, typer.Option(help="Case mode: the preference file.")] = None,
    members: Annotated[
        bool, typer.Option("--members", help="Case mode: seat the coalition's members.")
    ] = False,
    strategy: Annotated[str, typer.Option(help="Strategy of every side.")] = "boulware",
    shape: Annotated[str, typer.Option()] = "5x5x4",
    reservation: Annotated[
        float, typer.Option(help="Generated mode: reservation value of both parties (before strike costs).")
    ] = 0.5,
    start_day: Annotated[
        int, typer.Option(min=0, help="Generated mode: strike days completed when the simulation starts.")
    ] = 0,
    days_per_round: Annotated[float, typer.Option(min=0.0)] = 1.0,
    rounds: Annotated[int, typer.Option(min=1)] = 100,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    out: Annotated[
        Path | None, typer.Option(help="Folder for sweep.parquet, sweep.csv and sweep.html.")
    ] = None,
    device: DeviceOption = "cpu",
    dtype: DtypeOption = "float64",
    arrays: ArraysOption = None,
    backend: Annotated[
        str, typer.Option(help="local | dask (one negotiation per value is one task)")
    ] = "local",
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes (or local Dask workers).")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (with --backend dask).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape).")] = False,
) -> None:
    """Vary one assumption over a range; show the predicted settlement and strike length.

    With a CASE, each value replays the case from --from with that party's assumption changed
    (the preferences are assumptions; the output says so). Every backend gives the same table.
    """
    import numpy as np

    from accord.casefile.errors import CaseFileError
    from accord.casefile.prefsfile import case_with_preferences
    from accord.cli.common import parse_date
    from accord.sim.engine.arrays import ArraysUnavailableError
    from accord.sim.runs.sweep import sweep
    from accord.sim.scenarios.scenario import Calendar
    from accord.workflows.casesim import NOTICE, plot_sweep, sweep_case
    from accord.workflows.tournaments import write_table

    _check_range(parameter, low, high)
    when = parse_date(from_date, "--from") if from_date else None
    spec = _arrays(device, dtype, arrays, check=scheduler is None)
    values = [float(v) for v in np.linspace(low, high, steps)]
    strategies = [_strategies(strategy)[0]] * 2
    notice = None
    runner, client = _runner(backend, workers, scheduler)
    try:
        if case is not None:
            the_case, preferences = case_with_preferences(case, prefs)
            who = party or _union(the_case)
            built, table = sweep_case(
                the_case,
                preferences,
                when,
                strategies,
                who,
                parameter,
                values,
                rounds=rounds,
                days_per_round=days_per_round,
                members=members,
                seed=seed,
                arrays=spec,
                runner=runner,
            )
            names, notice = built.scenario.columns, NOTICE
            keys = ["value", "reason", "strike_day", "date", *(f"utility_{c}" for c in names[:2])]
        else:
            scenario = _generated(1, _shape(shape), 2, seed)[0]
            scenario = scenario.replace(
                calendar=Calendar(start_day, days_per_round), reservation=[reservation, reservation]
            )
            table = sweep(
                scenario,
                strategies,
                parameter,
                column,
                values,
                rounds,
                seed=seed,
                arrays=spec,
                runner=runner,
            )
            names, who = scenario.columns, scenario.columns[column] if column < scenario.k else str(column)
            keys = ["value", "reason", "outcome", "day", *(f"utility_{c}" for c in names)]
    except (ValueError, CaseFileError) as exc:
        fail(exc.first_line if isinstance(exc, CaseFileError) else str(exc))
    except ArraysUnavailableError as exc:
        fail(f"a worker could not run the batch engine: {exc}")
    finally:
        if client is not None:
            client.close()
    rows = [{k: _plain(table[k][i]) for k in keys} for i in range(steps)]
    if out is not None:
        write_table(table, out, "sweep")
        plot_sweep(table, list(names[:2]) if case else list(names), parameter, who, out / "sweep.html")
    if as_json:
        report: dict[str, Any] = {"parameter": parameter, "party": who, "column": column, "rows": rows}
        if notice:
            report = {"assumptions": {"notice": notice}, "case": case, "from": from_date, **report}
        print_json(report)
        return
    from accord.cli.render import titled_table

    out_console = console()
    if notice:
        out_console.print(notice, markup=False)
    view = titled_table(f"{parameter} of {who}: predicted settlement", *keys)
    for r in rows:
        view.add_row(*(f"{v:.4g}" if isinstance(v, float) else str(v) for v in r.values()))
    out_console.print(view)


def _check_range(parameter: str, low: float, high: float) -> None:
    """Refuse a range whose ends the parameter cannot take (every value lies between them, and
    each parameter's valid values are an interval), or that ends below its start, naming the
    option; before anything runs."""
    from accord.sim.runs.sweep import PARAMETERS, value_problems

    if parameter not in PARAMETERS:
        fail(f"--parameter: expected one of {', '.join(PARAMETERS)}, got {parameter!r}")
    options = ("--low", "--high")
    for i, problem in value_problems(parameter, [low, high]):
        fail(f"{options[i]}: {parameter}: {problem}")
    if high < low:
        fail(f"--high {high:g} is below --low {low:g}: the range holds no values")


def _union(case: Any) -> str:
    from accord.ledger import sides

    return sides(case)[0]


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
