"""The page of preferences fitted from ratings: the packages to rate as rows of a form, and the
fitted weights and values with the fit's quality. Pure: service values in, plain data out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.model import Issue, NumericIssue, Value
from accord.prefs.fitting import PreferenceFit
from accord.prefs.rating_design import cell


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One package to rate: its number, and per issue the value shown and the value sent."""

    number: int
    shown: tuple[str, ...]
    sent: tuple[tuple[str, str], ...]  # (field name, value as a ratings file writes it)


@dataclass(frozen=True, slots=True)
class FitSummary:
    """The fit in words and numbers: weights (largest first) with each issue's values."""

    weights: tuple[tuple[str, float, str], ...]  # issue name, weight, values in words
    rmse: float
    kendall_tau: float
    rows: int
    least_consistent: tuple[tuple[str, float, float], ...]
    warnings: tuple[str, ...]
    version: int


def _shown(issue: Issue, value: Value) -> str:
    text = cell(issue, value)
    if isinstance(issue, NumericIssue):
        return f"{text} {issue.unit}"
    return text or "none"


def rating_rows(issues: Sequence[Issue], packages: Sequence[Mapping[str, Value]]) -> list[RatingRow]:
    """The form's rows: package ``n`` sends ``p-n-<issue>`` (its values) and ``rating-n``."""
    return [
        RatingRow(
            number,
            tuple(_shown(issue, package[issue.id]) for issue in issues),
            tuple((f"p-{number}-{issue.id}", cell(issue, package[issue.id])) for issue in issues),
        )
        for number, package in enumerate(packages, start=1)
    ]


def fit_summary(issues: Sequence[Issue], fit: PreferenceFit, version: int) -> FitSummary:
    """What the page shows of a fit stored as version ``version`` of the party's preferences."""
    names = {issue.id: issue.name for issue in issues}
    weights = tuple(
        (
            names[issue_id],
            weight,
            ", ".join(f"{k or 'none'} {v:.2f}" for k, v in fit.values[issue_id].items()),
        )
        for issue_id, weight in sorted(fit.weights.items(), key=lambda item: -item[1])
    )
    quality = fit.quality
    least = tuple((r.row, r.rating, r.fitted) for r in quality.least_consistent)
    return FitSummary(
        weights, quality.rmse, quality.kendall_tau, quality.rows, least, quality.warnings, version
    )


def form_rows(
    issues: Sequence[Issue], count: int, fields: Mapping[str, str]
) -> list[tuple[dict[str, str], str]]:
    """The submitted rows, ``count`` of them: per row, issue id -> value sent, and the rating."""
    return [
        ({issue.id: fields.get(f"p-{n}-{issue.id}", "") for issue in issues}, fields.get(f"rating-{n}", ""))
        for n in range(1, count + 1)
    ]
