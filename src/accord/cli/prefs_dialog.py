"""The dialog of ``accord prefs elicit``: questions on the terminal, answers checked and asked
again until they are valid; the elicitation itself is :mod:`accord.prefs.elicit`."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import typer

from accord.model import Case, Issue, NumericIssue, ProvisionIssue, Value, ValueFunction


def _ask_number(question: str, low: float, high: float) -> float:
    while True:
        answer = typer.prompt(question, type=str).strip()
        try:
            number = float(answer)
        except ValueError:
            number = float("nan")
        if low <= number <= high:
            return number
        typer.echo(f"  expected a number from {low:g} to {high:g}, got {answer!r}")


def _ask_order(issues: Sequence[Issue]) -> list[str]:
    typer.echo("Step 1. Rank the issues, most important first:")
    for index, issue in enumerate(issues, start=1):
        typer.echo(f"  {index}. {issue.name} ({issue.id})")
    while True:
        answer = typer.prompt("Issue numbers, most important first (e.g. 2,1,3)", type=str)
        parts = [p.strip() for p in answer.replace(" ", ",").split(",") if p.strip()]
        wanted = {str(i) for i in range(1, len(issues) + 1)}
        if sorted(parts) == sorted(wanted) and len(parts) == len(issues):
            return [issues[int(p) - 1].id for p in parts]
        typer.echo(f"  expected each of 1 to {len(issues)} once, got {answer!r}")


def shown(issue: Issue, value: Value) -> str:
    """A position as the dialog shows it."""
    if isinstance(value, frozenset):
        return "+".join(p for p in issue.provision_ids if p in value) or "none"  # type: ignore[union-attr]
    if isinstance(issue, NumericIssue):
        return f"{value:g} {issue.unit}"
    return str(value)


def _ask_values(issue: Issue, party: str) -> ValueFunction:
    from accord.prefs.elicit import asked_levels, value_function

    if isinstance(issue, ProvisionIssue):
        typer.echo(f"{issue.name}: how much is each provision worth to {party}, -100 (rather not) to 100?")
        low = -100.0
    else:
        typer.echo(f"{issue.name}: rate each position, 0 (worst) to 100 (best)")
        low = 0.0
    ratings = {level: _ask_number(f"  {shown(issue, level)}", low, 100.0) for level in asked_levels(issue)}
    return value_function(issue, ratings)


def run_elicitation(case: Case, party: str, output: str | None, seed: int) -> None:
    """Ask, fit and write (see ``accord prefs elicit --help``)."""
    from accord.prefs.elicit import elicited_model, fit_weights, informative_packages, package_count
    from accord.workflows.preferences import party_name, write_fitted

    name = party_name(case, party)
    issues = list(case.issues)
    if not issues:
        raise ValueError(f"case {case.id!r} has no issues to rate")
    order = _ask_order(issues)
    by_id = {i.id: i for i in issues}
    typer.echo("Step 2. Rate each issue's positions.")
    functions = {issue_id: _ask_values(by_id[issue_id], party) for issue_id in order}
    packages = informative_packages(issues, functions, party, package_count(issues), seed)
    typer.echo(f"Step 3. Rate {len(packages)} packages, 0 (worst) to 100 (best), as wholes.")
    ratings = []
    for number, package in enumerate(packages, start=1):
        typer.echo(f"Package {number}: " + "; ".join(f"{i.name}: {shown(i, package[i.id])}" for i in issues))
        ratings.append(_ask_number(f"  rating of package {number}", 0.0, 100.0))
    labels = [f"package {n}" for n in range(1, len(packages) + 1)]
    weights, _, _, _, quality = fit_weights(issues, functions, party, packages, ratings, labels)
    model = elicited_model(party, f"{name} (elicited)", weights, functions)
    _report(order, weights, quality)
    if output is None:
        from accord.casefile.prefsfile import dump_preferences
        from accord.model import PreferenceSet

        typer.echo(dump_preferences(PreferenceSet(case=case.id, models=(model,))), nl=False)
        return
    updated = write_fitted(case, model, output)
    typer.echo(f"{'Updated' if updated else 'Wrote'} {output}: the model of {party!r}.")


def _report(order: Sequence[str], weights: dict[str, float], quality: object) -> None:
    from accord.prefs.fit_quality import FitQuality

    assert isinstance(quality, FitQuality)
    typer.echo("Weights: " + ", ".join(f"{i} {weights[i]:.2f}" for i in order))
    typer.echo(
        f"Fit: RMSE {quality.rmse:.1f} rating points; rank agreement (Kendall tau) {quality.kendall_tau:.2f}"
    )
    for warning in quality.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for above, below in pairwise(order):
        if weights[below] > weights[above] + 0.05:
            typer.echo(
                f"warning: you ranked {above} above {below}, but your package ratings weigh {below} "
                f"more ({weights[below]:.2f} against {weights[above]:.2f})",
                err=True,
            )
