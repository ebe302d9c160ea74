"""Preferences fitted from ratings: a party rates packages from 0 to 100, and an additive model
is fitted to the ratings by bounded least squares.

The model is the one :func:`accord.prefs.utility` evaluates (Keeney & Raiffa 1976, ch. 3): a
rating is read as ``100 * (offset + scale * u)``, with ``u = sum_i w_i v_i(x_i)``, weights
``w`` summing to 1 and every value ``v_i`` in ``[0, 1]``. It is estimated as conjoint analysis
estimates part-worths (Green & Srinivasan, "Conjoint analysis in consumer research", 1978), with
the bounds of the UTA method (Jacquet-Lagrèze & Siskos, "Assessing a set of additive utility
functions", 1982) so that what is fitted is a valid model:

- an option issue has one part-worth per option; a numeric issue a piecewise-linear value
  between knots at the rated values (at most :data:`MAX_KNOTS`, flat beyond the first and
  last); a provision set one part-worth per provision, of either sign (a provision the party
  would rather not have is worth something when it is absent);
- every part-worth lies in ``[0, 1]``, and an intercept in ``[0, 1]`` takes the ratings' floor;
  a small ridge penalty picks one solution where the data leave a constant unsettled;
  :func:`scipy.optimize.lsq_linear` solves it;
- the preference model written is the usual normalisation of the fit: each issue's value runs
  from 0 (its worst part-worth) to 1 (its best, a provision set as :class:`ProvisionValue`
  rescales), and the weights are the issues' shares of the whole range. ``offset`` and ``scale``
  say how the fitted ratings follow from it, so nothing of the fit is lost.

Pure functions, no I/O (reading the CSV is :mod:`accord.casefile.ratings`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.model import (
    Issue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    PreferenceModel,
    ProvisionIssue,
    ProvisionValue,
    Value,
    ValueFunction,
)
from accord.model.issue import OptionIssue
from accord.prefs.fit_quality import FitQuality, fit_quality

MAX_KNOTS = 5
"""At most this many knots per numeric issue (the rated values, thinned evenly when there are more)."""
RIDGE = 1e-6
"""The ridge penalty on part-worths: small enough not to move a fit the ratings settle."""


class RatingsError(ValueError):
    """Ratings a model cannot be fitted to; ``args[0]`` says why and what is needed."""


@dataclass(frozen=True, slots=True)
class IssueTerm:
    """How one issue enters the fit: its parameter labels (options, knots or provisions)."""

    issue: Issue
    labels: tuple[str, ...]
    knots: tuple[float, ...] = ()

    @property
    def columns(self) -> int:
        """Columns in the design matrix (a provision has two: present, and absent)."""
        return 2 * len(self.labels) if isinstance(self.issue, ProvisionIssue) else len(self.labels)

    @property
    def parameters(self) -> int:
        """What the ratings must settle for this issue (one option or knot is the reference)."""
        return len(self.labels) if isinstance(self.issue, ProvisionIssue) else len(self.labels) - 1


@dataclass(frozen=True, slots=True)
class PreferenceFit:
    """A preference model fitted to ratings.

    ``values`` maps each issue to its values in ``[0, 1]``: per option, per knot (written as in
    case files) or per provision (a provision's share of the issue's range, negative for one the
    party would rather not have). ``fitted`` are the model's ratings of the rated packages:
    ``100 * (offset + scale * utility)``.
    """

    model: PreferenceModel
    weights: dict[str, float]
    values: dict[str, dict[str, float]]
    offset: float
    scale: float
    fitted: tuple[float, ...]
    quality: FitQuality


def fit_preferences(
    issues: Sequence[Issue],
    party: str,
    packages: Sequence[Mapping[str, Value]],
    ratings: Sequence[float],
    *,
    labels: Sequence[str] | None = None,
    label: str | None = None,
) -> PreferenceFit:
    """Fit ``party``'s additive preferences over ``issues`` to ``ratings`` (0-100) of ``packages``.

    Every package gives a value on every issue; ``labels`` name the packages in warnings (e.g.
    ``file:line``; default ``row 1``, ``row 2``...).

    Raises
    ------
    RatingsError
        Fewer ratings than the model has parameters (saying how many it needs), a rating
        outside ``[0, 100]``, an option or provision no rated package tells apart, ratings that
        do not vary, or packages that do not tell the issues apart.

    Examples
    --------
    >>> from accord.model import NumericIssue, CategoricalIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10)
    >>> venue = CategoricalIssue(id="venue", name="Venue", options=["a", "b"])
    >>> packages = [{"pay": p, "venue": v} for p in (0, 5, 10) for v in ("a", "b")]
    >>> ratings = [0, 30, 40, 70, 60, 90]
    >>> fit = fit_preferences([pay, venue], "u", packages, ratings)
    >>> {k: round(w, 2) for k, w in fit.weights.items()}, fit.quality.kendall_tau
    ({'pay': 0.67, 'venue': 0.33}, 1.0)
    >>> fit_preferences([pay, venue], "u", [packages[i] for i in (0, 3, 4)], [0, 70, 60])
    Traceback (most recent call last):
    accord.prefs.fitting.RatingsError: 3 rated packages, but the model has 4 parameters (1 for the ratings' floor, pay 2, venue 1): rate at least 4 packages
    """
    names = list(labels) if labels is not None else [f"row {i + 1}" for i in range(len(packages))]
    target = _checked_ratings(ratings, names)
    counts = {issue.id: _parameters(issue, [p[issue.id] for p in packages]) for issue in issues}
    needed = 1 + sum(counts.values())
    if len(packages) < needed:
        detail = ", ".join(f"{issue_id} {count}" for issue_id, count in counts.items())
        raise RatingsError(
            f"{len(packages)} rated package{'s' if len(packages) != 1 else ''}, but the model has {needed} parameters "
            f"(1 for the ratings' floor, {detail}): rate at least {needed} packages"
        )
    if np.ptp(target) == 0:
        raise RatingsError(f"every package is rated {target[0]:g}: ratings that do not vary tell nothing")
    terms = [_term(issue, [p[issue.id] for p in packages]) for issue in issues]
    design = np.hstack([np.ones((len(packages), 1)), *(_columns(t, packages) for t in terms)])
    _require_rank(design, terms)
    solution = _solve(design, target / 100.0)
    fitted = design @ solution * 100.0
    keys = [tuple(sorted(_key(p, t.issue.id) for t in terms)) for p in packages]
    fit = _normalised(party, label or f"{party} (fitted from ratings)", terms, solution)
    return PreferenceFit(*fit, tuple(fitted.tolist()), fit_quality(target, fitted, names, keys))


def _key(package: Mapping[str, Value], issue_id: str) -> tuple[str, str]:
    position = package[issue_id]
    shown = "+".join(sorted(position)) if isinstance(position, frozenset) else f"{position}"
    return issue_id, shown


def _checked_ratings(ratings: Sequence[float], names: Sequence[str]) -> NDArray[np.float64]:
    values = np.asarray(ratings, dtype=np.float64)
    for name, rating in zip(names, values, strict=True):
        if not (math.isfinite(rating) and 0.0 <= rating <= 100.0):
            raise RatingsError(f"{name}: rating {rating:g} is outside 0-100")
    return values


def _parameters(issue: Issue, positions: Sequence[Value]) -> int:
    """What the ratings must settle for ``issue``: an option or knot less than there are (the
    knots are the rated values), or one per provision."""
    if isinstance(issue, NumericIssue):
        rated = sorted({float(p) for p in positions if isinstance(p, (int, float))})
        return max(len(_knots(rated)), 2) - 1  # two values at least, to tell anything
    if isinstance(issue, ProvisionIssue):
        return len(issue.provision_ids)
    assert isinstance(issue, OptionIssue)
    return len(issue.options) - 1


def _term(issue: Issue, positions: Sequence[Value]) -> IssueTerm:
    if isinstance(issue, NumericIssue):
        rated = sorted({float(p) for p in positions if isinstance(p, (int, float))})
        if len(rated) < 2:
            shown = ", ".join(f"{x:g}" for x in rated) or "none"
            raise RatingsError(f"issue {issue.id!r} has the same value ({shown}) in every rated package")
        knots = _knots(rated)
        return IssueTerm(issue, tuple(f"{k:g}" for k in knots), knots)
    if isinstance(issue, ProvisionIssue):
        for provision in issue.provision_ids:
            held = sum(1 for p in positions if isinstance(p, frozenset) and provision in p)
            if held in (0, len(positions)):
                where = "no" if held == 0 else "every"
                raise RatingsError(
                    f"issue {issue.id!r}: provision {provision!r} is in {where} rated package; "
                    "its value cannot be told"
                )
        return IssueTerm(issue, issue.provision_ids)
    assert isinstance(issue, OptionIssue)
    for option in issue.options:
        if option not in positions:
            raise RatingsError(
                f"issue {issue.id!r}: option {option!r} is in no rated package; its value cannot be told"
            )
    return IssueTerm(issue, issue.options)


def _knots(rated: Sequence[float]) -> tuple[float, ...]:
    if len(rated) <= MAX_KNOTS:
        return tuple(rated)
    picks = np.unique(np.round(np.linspace(0, len(rated) - 1, MAX_KNOTS)).astype(int))
    return tuple(rated[i] for i in picks)


def _columns(term: IssueTerm, packages: Sequence[Mapping[str, Value]]) -> NDArray[np.float64]:
    issue = term.issue
    out = np.zeros((len(packages), term.columns))
    for row, package in enumerate(packages):
        position = package[issue.id]
        if isinstance(issue, ProvisionIssue):
            assert isinstance(position, frozenset)
            present = np.array([p in position for p in term.labels], dtype=np.float64)
            out[row] = np.concatenate([present, 1.0 - present])
        elif isinstance(issue, NumericIssue):
            out[row] = hat_weights(term.knots, float(position))  # type: ignore[arg-type]
        else:
            out[row, term.labels.index(str(position))] = 1.0
    return out


def hat_weights(knots: Sequence[float], x: float) -> NDArray[np.float64]:
    """The weights of linear interpolation at ``x`` between ``knots`` (flat beyond the ends).

    >>> hat_weights([0, 10, 20], 15).tolist()
    [0.0, 0.5, 0.5]
    """
    knots_array = np.asarray(knots, dtype=np.float64)
    x = min(max(x, knots_array[0]), knots_array[-1])
    eye = np.eye(len(knots_array))
    return np.array([np.interp(x, knots_array, eye[k]) for k in range(len(knots_array))])


def _require_rank(design: NDArray[np.float64], terms: Sequence[IssueTerm]) -> None:
    # Reference coding: drop each issue's first option/knot (a provision keeps "present" only).
    keep, start = [0], 1
    for term in terms:
        count = len(term.labels)
        keep.extend(
            range(start, start + count)
            if isinstance(term.issue, ProvisionIssue)
            else range(start + 1, start + count)
        )
        start += term.columns
    needed = len(keep)
    rank = int(np.linalg.matrix_rank(design[:, keep]))
    if rank < needed:
        raise RatingsError(
            f"the rated packages settle only {rank} of the model's {needed} parameters: some issues "
            "or options always change together; rate packages that vary them separately"
        )


def _solve(design: NDArray[np.float64], target: NDArray[np.float64]) -> NDArray[np.float64]:
    from scipy.optimize import lsq_linear

    columns = design.shape[1]
    ridge = math.sqrt(RIDGE) * np.eye(columns)[1:]  # the intercept is not penalised
    a = np.vstack([design, ridge])
    b = np.concatenate([target, np.zeros(columns - 1)])
    result = lsq_linear(a, b, bounds=(0.0, 1.0), method="bvls", tol=1e-12)
    solution: NDArray[np.float64] = np.asarray(result.x, dtype=np.float64)
    return solution


def _contributions(term: IssueTerm, part: NDArray[np.float64]) -> tuple[dict[str, float], float, float]:
    """Per label: the issue's value before normalising (per provision: its signed part-worth);
    the issue's lowest contribution and its range."""
    if isinstance(term.issue, ProvisionIssue):
        count = len(term.labels)
        signed = part[:count] - part[count:]
        low = float(part[count:].sum() + signed[signed < 0].sum())
        return dict(zip(term.labels, signed.tolist(), strict=True)), low, float(np.abs(signed).sum())
    low, high = float(part.min()), float(part.max())
    return {k: float(v) - low for k, v in zip(term.labels, part, strict=True)}, low, high - low


def _normalised(
    party: str,
    label: str,
    terms: Sequence[IssueTerm],
    solution: NDArray[np.float64],
) -> tuple[PreferenceModel, dict[str, float], dict[str, dict[str, float]], float, float]:
    start, offset = 1, float(solution[0])
    parts: list[tuple[IssueTerm, dict[str, float], float]] = []
    for term in terms:
        contributions, low, span = _contributions(term, solution[start : start + term.columns])
        start += term.columns
        offset += low
        parts.append((term, contributions, span))
    scale = sum(span for _, _, span in parts)
    weights = {t.issue.id: round(span / scale, 6) for t, _, span in parts}
    values = {
        t.issue.id: {k: round(c / span, 6) if span > 0 else 0.0 for k, c in contributions.items()}
        for t, contributions, span in parts
    }
    functions = {t.issue.id: _value_function(t, values[t.issue.id]) for t, _, _ in parts}
    model = PreferenceModel(
        party=party,
        label=label,
        assumption=False,
        weights=weights,
        values=functions,
    )
    return model, weights, values, offset, scale


def _value_function(term: IssueTerm, values: Mapping[str, float]) -> ValueFunction:
    if isinstance(term.issue, ProvisionIssue):
        return ProvisionValue(values=dict(values))
    if isinstance(term.issue, NumericIssue):
        return PiecewiseValue(points=tuple(zip(term.knots, values.values(), strict=True)))
    return OptionValue(scores=dict(values))
