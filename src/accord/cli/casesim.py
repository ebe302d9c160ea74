"""``accord simulate CASE --from DATE``: replay a recorded negotiation under assumed preferences."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import (
    CaseArg,
    JsonOpt,
    bad_input_exits,
    console,
    dumps_json,
    fail,
    parse_date,
    print_json,
)

if TYPE_CHECKING:
    from rich.console import Console

PrefsOpt = Annotated[
    str | None,
    typer.Option(
        "--prefs", help="Preference file (default: the bundled one, or <case>.prefs.yaml beside it)."
    ),
]


def _strategy(name: str, option: str) -> Any:
    from accord.sim.strategies import UnknownStrategyError, make_strategy

    try:
        return make_strategy(name)
    except (UnknownStrategyError, ValueError) as exc:
        fail(f"{option}: {exc}")


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _u(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _when(d: dict[str, Any] | None) -> str:
    if not d:
        return "-"
    parts = [d.get("date") or ""]
    if d.get("strike_day") is not None:
        parts.append(f"strike day {d['strike_day']}")
    return ", ".join(p for p in parts if p)


def _counterfactual(out: Console, report: dict[str, Any]) -> None:
    """The label of a counterfactual (a simulation from a date after the talks settled)."""
    if report.get("counterfactual"):
        settled = report["counterfactual"].removeprefix("counterfactual: ")
        out.print(
            f"COUNTERFACTUAL: {settled}; this simulation sets the settlement aside.",
            style="bold red",
            markup=False,
        )


def _render_replay(out: Console, report: dict[str, Any]) -> None:
    from accord.cli.render import titled_table

    union, counter = report["union"], report["counterpart"]
    out.print(report["assumptions"]["notice"], style="bold yellow")
    _counterfactual(out, report)
    out.print(
        f"{report['case']} from {report['from'] or 'the start'} ({report['protocol']}): "
        + ", ".join(f"{k} plays {v}" for k, v in report["strategies"].items())
        + f"; seed {report['seed']}, {report['rounds']} rounds of {report['days_per_round']:g} day(s)"
    )
    settlement = report["settlement"]
    if settlement is None:
        out.print(
            f"No deal ({report['outcome']}) by round {report['ended']['round']} ({_when(report['ended'])})."
        )
    else:
        out.print(f"Predicted settlement: round {settlement['round']}, {_when(settlement)}.")
    actual = report["actual"]
    if actual:
        out.print(f"Actual settlement: {actual['agreement']}, {_when(actual)}.")
    table = titled_table(
        "Per issue", "issue", f"{union} opening", f"{counter} opening", "predicted", "actual", "distance"
    )
    distance = {d["issue"]: d["distance"] for d in report["distances"]}
    openings = report["openings"]
    for issue in report["space"]["options"]:
        table.add_row(
            issue,
            _show((openings.get(union) or {}).get(issue)),
            _show((openings.get(counter) or {}).get(issue)),
            _show((settlement or {}).get("package", {}).get(issue)),
            _show(((actual or {}).get("terms") or {}).get(issue)),
            f"{distance[issue]:.2f}" if issue in distance else "-",
        )
    out.print(table)
    if report["mean_distance"] is not None:
        out.print(
            f"Mean distance from the actual terms: {report['mean_distance']:.3f} (0 = same terms, 1 = farthest)"
        )
    for f in report["filled"]:
        out.print(f"filled: {f['party']} on {f['issue']} = {_show(f['value'])} ({f['reason']})", style="dim")
    out.print(report["assumptions"]["notice"], style="bold yellow")


def _render_pattern(out: Console, report: dict[str, Any]) -> None:
    from accord.cli.render import titled_table

    out.print(report["assumptions"]["notice"], style="bold yellow")
    _counterfactual(out, report)
    separate, whole = report["separate"], report["coalition"]
    out.print(
        f"{report['case']} from {report['from'] or 'the start'}: separate deals ({report['mode']}) "
        f"vs one deal with {report['counterpart']}; "
        + ", ".join(f"{k} plays {v}" for k, v in report["strategies"].items())
    )
    table = titled_table(
        "Separate deals, member by member",
        "member",
        "outcome",
        "pattern?",
        "ends",
        "member u (separate / coalition)",
        "union u (separate / coalition)",
    )
    for deal in separate["deals"]:
        mu, uu = deal["member_utility"], deal["union_utility"]
        table.add_row(
            deal["member"],
            deal["outcome"],
            "yes" if deal["under_pattern"] else "no",
            _when({"date": deal["end_date"], "strike_day": deal["end_strike_day"]}),
            f"{_u(mu['separate'])} / {_u(mu['coalition'])}",
            f"{_u(uu['separate'])} / {_u(uu['coalition'])}",
        )
    out.print(table)
    pattern = separate["pattern"]
    out.print(
        f"Pattern set by {separate['pattern_member'] or 'nobody'}"
        + (
            f" ({_when(pattern)}); mean distance from the actual terms {_u(pattern['mean_distance'])}"
            if pattern
            else ""
        )
    )
    out.print(
        f"Separate deals: {separate['settled']} of {separate['members']} settled; strike ends {_when(separate['strike_ends'])}."
    )
    settlement = whole["settlement"]
    out.print(
        f"Coalition as a whole: {whole['outcome']}"
        + (f", {_when(settlement)}; mean distance {_u(settlement['mean_distance'])}" if settlement else "")
    )
    if report["actual"]:
        out.print(f"Actual settlement: {_when(report['actual'])}.")
    out.print(report["assumptions"]["notice"], style="bold yellow")


@app.command()
def simulate(
    case: CaseArg,
    from_date: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="Replay from this date (YYYY-MM-DD): openings are the positions then.",
        ),
    ] = None,
    strategy_a: Annotated[str, typer.Option("--strategy-a", help="The union's strategy.")] = "boulware",
    strategy_b: Annotated[
        str, typer.Option("--strategy-b", help="The counterpart's (or each member's) strategy.")
    ] = "boulware",
    protocol: Annotated[str, typer.Option(help="alternating | mediated | pattern")] = "alternating",
    mode: Annotated[str, typer.Option(help="Pattern bargaining: simultaneous | sequence.")] = "simultaneous",
    concept: Annotated[str, typer.Option(help="Mediated: the solution the mediator steers to.")] = "nash",
    members: Annotated[
        bool, typer.Option("--members", help="Seat the coalition's members (its decision rule decides).")
    ] = False,
    rounds: Annotated[int, typer.Option(min=1, help="Deadline in rounds.")] = 100,
    days_per_round: Annotated[float, typer.Option(min=0.0, help="Calendar days per round.")] = 1.0,
    max_levels: Annotated[int, typer.Option(min=2, help="Most levels per numeric issue.")] = 9,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    prefs: PrefsOpt = None,
    out: Annotated[Path | None, typer.Option(help="Folder for report.json.")] = None,
    counterfactual: Annotated[
        bool,
        typer.Option("--counterfactual", help="Simulate from a date after the talks settled (labelled so)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Replay a case from a date with (assumed) preference models: the predicted settlement, its
    day, and per issue its distance from the actual final terms. From a date after the talks
    settled, only with --counterfactual."""
    from accord.casefile.prefsfile import case_with_preferences
    from accord.workflows.casesim import PROTOCOLS, simulate_case

    if protocol not in PROTOCOLS:
        fail(f"--protocol {protocol!r}: expected one of {', '.join(PROTOCOLS)}")
    start = parse_date(from_date, "--from") if from_date else None
    strategies = [_strategy(strategy_a, "--strategy-a"), _strategy(strategy_b, "--strategy-b")]
    with bad_input_exits():
        the_case, preferences = case_with_preferences(case, prefs)
        report = simulate_case(
            the_case,
            preferences,
            start,
            strategies,
            protocol=protocol,
            seed=seed,
            rounds=rounds,
            days_per_round=days_per_round,
            members=members,
            mode=mode,
            concept=concept,
            max_levels=max_levels,
            counterfactual=counterfactual,
        )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(dumps_json(report) + "\n", encoding="utf-8")
    if as_json:
        print_json(report)
    elif protocol == "pattern":
        _render_pattern(console(), report)
    else:
        _render_replay(console(), report)
