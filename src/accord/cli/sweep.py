"""``accord sweep``: vary one assumption over a range and watch the predicted settlement move."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import console, fail, print_json
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
    from accord.sim.engine.arrays import ArraySpec
    from accord.sim.runs.runners import Runner

PARAMETERS_HELP = "daily_cost, reservation or discount"
RANGES_HELP = "daily_cost: a finite number >= 0; reservation: a finite number; discount: a number in (0, 1]"
"""The names of :data:`accord.sim.runs.sweep.PARAMETERS` and what each may be
(:func:`accord.sim.runs.sweep.ranges_text`), for the help text: written out so that ``accord --help``
need not import the simulation engine; ``tests/cli/test_cli_polish.py`` checks they agree."""


CaseArgument = Annotated[
    str | None, typer.Argument(help="A bundled case or case file to replay (default: a generated domain).")
]
PartyOption = Annotated[
    str | None, typer.Option(help="Party (or member) whose assumption varies (case mode; default the union).")
]
ColumnOption = Annotated[
    int, typer.Option(min=0, help="Utility column whose assumption varies (generated mode).")
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="Case mode: replay from this date (YYYY-MM-DD), as `accord simulate --from`.",
    ),
]
MembersOption = Annotated[bool, typer.Option("--members", help="Case mode: seat the coalition's members.")]
ReservationOption = Annotated[
    float, typer.Option(help="Generated mode: reservation value of both parties (before strike costs).")
]
StartDayOption = Annotated[
    int, typer.Option(min=0, help="Generated mode: strike days completed when the simulation starts.")
]
OutOption = Annotated[Path | None, typer.Option(help="Folder for sweep.parquet, sweep.csv and sweep.html.")]
BackendOption = Annotated[str, typer.Option(help="local | dask (one negotiation per value is one task)")]


@app.command("sweep")
def sweep_command(
    case: CaseArgument = None,
    parameter: Annotated[str, typer.Option(help=f"Assumption to vary: {PARAMETERS_HELP}.")] = "daily_cost",
    party: PartyOption = None,
    column: ColumnOption = 0,
    low: Annotated[float, typer.Option("--low", help=f"First value of the range ({RANGES_HELP}).")] = 0.0,
    high: Annotated[float, typer.Option("--high", help="Last value of the range (at least --low).")] = 0.01,
    steps: Annotated[int, typer.Option(min=2, help="Values from --low to --high, evenly spaced.")] = 11,
    from_date: FromOption = None,
    prefs: Annotated[str | None, typer.Option(help="Case mode: the preference file.")] = None,
    members: MembersOption = False,
    strategy: Annotated[str, typer.Option(help="Strategy of every side.")] = "boulware",
    shape: Annotated[str, typer.Option()] = "5x5x4",
    reservation: ReservationOption = 0.5,
    start_day: StartDayOption = 0,
    days_per_round: Annotated[float, typer.Option(min=0.0)] = 1.0,
    rounds: Annotated[int, typer.Option(min=1)] = 100,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    out: OutOption = None,
    counterfactual: Annotated[
        bool, typer.Option("--counterfactual", help="Case mode: sweep from a date after the talks settled.")
    ] = False,
    device: DeviceOption = "cpu",
    dtype: DtypeOption = "float64",
    arrays: ArraysOption = None,
    backend: BackendOption = "local",
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape).")] = False,
) -> None:
    """Vary one assumption over a range; show the predicted settlement and strike length.

    With a CASE, each value replays the case from --from with that party's assumption changed
    (the preferences are assumptions; the output says so). Every backend gives the same table.
    """
    import numpy as np

    from accord.cli.common import parse_date

    _check_range(parameter, low, high)
    when = parse_date(from_date, "--from") if from_date else None
    spec = array_spec(device, dtype, arrays, check=scheduler is None)
    values = [float(v) for v in np.linspace(low, high, steps)]
    strategies = [parse_strategies(strategy)[0]] * 2
    runner, client = runner_for(backend, workers, scheduler)
    request = _Request(parameter, values, strategies, spec, runner, rounds, seed)
    try:
        if case is not None:
            swept = _sweep_case(
                request,
                case,
                prefs,
                when,
                party,
                members=members,
                days_per_round=days_per_round,
                counterfactual=counterfactual,
            )
        else:
            swept = _sweep_generated(
                request, parse_shape(shape), column, (start_day, days_per_round, reservation)
            )
    finally:
        if client is not None:
            client.close()
    rows = [{k: _plain(swept.table[k][i]) for k in swept.keys} for i in range(steps)]
    if out is not None:
        from accord.workflows.casesim import plot_sweep
        from accord.workflows.tournaments import write_table

        write_table(swept.table, out, "sweep")
        plot_sweep(swept.table, swept.plotted, parameter, swept.who, out / "sweep.html")
    if as_json:
        print_json(_json_report(swept, parameter, column, rows, case, from_date))
    else:
        _show_sweep(f"{parameter} of {swept.who}: predicted settlement", swept, rows)


def _json_report(
    swept: _Swept,
    parameter: str,
    column: int,
    rows: list[dict[str, Any]],
    case: str | None,
    start: str | None,
) -> dict[str, Any]:
    report: dict[str, Any] = {"parameter": parameter, "party": swept.who, "column": column, "rows": rows}
    if swept.notice:
        assumptions = {"assumptions": {"notice": swept.notice}, "case": case, "from": start}
        return assumptions | {"counterfactual": swept.counterfactual} | report
    return report


@dataclass(frozen=True, slots=True)
class _Request:
    """What every value of a sweep runs with."""

    parameter: str
    values: list[float]
    strategies: list[Any]
    spec: ArraySpec
    runner: Runner
    rounds: int
    seed: int


@dataclass(frozen=True, slots=True)
class _Swept:
    """A sweep's table, the columns shown, whose assumption varied, the utility columns plotted,
    and the notice that the preferences are assumptions (case mode)."""

    table: dict[str, Any]
    keys: list[str]
    who: str
    plotted: list[str]
    notice: str | None = None
    counterfactual: str | None = None


@contextmanager
def _sweep_errors() -> Iterator[None]:
    from accord.casefile.errors import CaseFileError
    from accord.sim.engine.arrays import ArraysUnavailableError

    try:
        yield
    except (ValueError, CaseFileError) as exc:
        fail(exc.first_line if isinstance(exc, CaseFileError) else str(exc))
    except ArraysUnavailableError as exc:
        fail(f"a worker could not run the batch engine: {exc}")


def _sweep_case(
    request: _Request,
    case: str,
    prefs: str | None,
    when: dt.date | None,
    party: str | None,
    **options: Any,
) -> _Swept:
    """Case mode: replay the case from ``when`` once per value of ``party``'s assumption."""
    from accord.casefile.prefsfile import case_with_preferences
    from accord.workflows.casesim import NOTICE, check_settled, sweep_case

    with _sweep_errors():
        the_case, preferences = case_with_preferences(case, prefs)
        who = party or _union(the_case)
        built, table = sweep_case(
            the_case,
            preferences,
            when,
            request.strategies,
            who,
            request.parameter,
            request.values,
            rounds=request.rounds,
            seed=request.seed,
            arrays=request.spec,
            runner=request.runner,
            **options,
        )
    names = built.scenario.columns
    keys = ["value", "reason", "strike_day", "date", *(f"utility_{c}" for c in names[:2])]
    label = check_settled(the_case, when, bool(options.get("counterfactual")))
    return _Swept(table, keys, who, list(names[:2]), NOTICE, label)


def _sweep_generated(
    request: _Request, shape: tuple[int, ...], column: int, start: tuple[int, float, float]
) -> _Swept:
    """Generated mode: a generated scenario (``start``: its strike days completed, days per
    round and both parties' reservation value) once per value of ``column``'s assumption."""
    from accord.sim.runs.sweep import sweep
    from accord.sim.scenarios.scenario import Calendar

    start_day, days_per_round, reservation = start
    with _sweep_errors():
        scenario = generated_scenarios(1, shape, 2, request.seed)[0].replace(
            calendar=Calendar(start_day, days_per_round), reservation=[reservation, reservation]
        )
        table = sweep(
            scenario,
            request.strategies,
            request.parameter,
            column,
            request.values,
            request.rounds,
            seed=request.seed,
            arrays=request.spec,
            runner=request.runner,
        )
    names = scenario.columns
    who = names[column] if column < scenario.k else str(column)
    keys = ["value", "reason", "outcome", "day", *(f"utility_{c}" for c in names)]
    return _Swept(table, keys, who, list(names))


def _show_sweep(title: str, swept: _Swept, rows: list[dict[str, Any]]) -> None:
    from accord.cli.render import titled_table

    out_console = console()
    if swept.notice:
        out_console.print(swept.notice, markup=False)
    if swept.counterfactual:
        settled = swept.counterfactual.removeprefix("counterfactual: ")
        out_console.print(f"COUNTERFACTUAL: {settled}; this sweep sets the settlement aside.", markup=False)
    view = titled_table(title, *swept.keys)
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
