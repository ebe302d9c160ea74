"""Preferences elicited step by step, as negotiation support systems elicit them (Inspire,
Kersten & Noronha 1999; Smartsettle): the party ranks the issues, rates each issue's options, then
rates a few whole packages, from which the issue weights are fitted.

- :func:`asked_levels`: the positions of an issue the party rates (options, provisions, or up to
  five levels of a numeric issue);
- :func:`value_function`: those ratings as a value function (each issue from 0 to 1);
- :func:`informative_packages`: packages chosen so that their ratings settle the weights best
  (a greedy D-optimal design, Atkinson & Donev, *Optimum Experimental Designs*, 1992, ch. 11);
- :func:`fit_weights`: the weights by bounded least squares, given the value functions;
- :func:`rank_weights`: rank-order centroid weights (Barron & Barrett 1996), the ranking's own
  reading, against which the fitted weights are checked.

Pure functions, no I/O: the dialog is the CLI's and the dashboard's.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

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
from accord.prefs.fit_quality import FitQuality, fit_quality
from accord.prefs.fitting import RatingsError
from accord.prefs.values import issue_values

NUMERIC_LEVELS = 5
"""How many levels of a numeric issue are rated (the ends and evenly between)."""
MIN_PACKAGES, MAX_PACKAGES = 8, 12
"""How many packages are rated after the options."""


def asked_levels(issue: Issue) -> tuple[Value, ...]:
    """What the party rates on ``issue``: its options, its provisions (one at a time), or
    :data:`NUMERIC_LEVELS` levels of a numeric issue from ``low`` to ``high``.

    >>> from accord.model import NumericIssue
    >>> asked_levels(NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20, step=0.5))
    (0.0, 5.0, 10.0, 15.0, 20.0)
    """
    if isinstance(issue, NumericIssue):  # evenly spaced steps from low, and high (never all levels)
        steps = math.floor((issue.high - issue.low) / issue.step + 1e-9)
        picks = np.unique(np.round(np.linspace(0, steps, NUMERIC_LEVELS)).astype(np.int64))
        levels = [round(issue.low + int(k) * issue.step, 12) for k in picks]
        if levels[-1] < issue.high:  # high is off the grid of steps: it is a level too
            levels = [*levels[: NUMERIC_LEVELS - 1], issue.high]
        return tuple(levels)
    if isinstance(issue, ProvisionIssue):
        return issue.provision_ids
    return tuple(issue.options)


def value_function(issue: Issue, ratings: Mapping[Value, float]) -> ValueFunction:
    """The value function of the party's ratings of :func:`asked_levels`: for options and
    numeric levels, 0-100, rescaled so the worst is 0 and the best 1 (all equal: all 0); for
    provisions, -100 (would rather not have it) to 100.

    >>> from accord.model import CategoricalIssue
    >>> value_function(CategoricalIssue(id="v", name="V", options=["a", "b", "c"]), {"a": 20, "b": 60, "c": 100})
    OptionValue(kind='options', scores={'a': 0.0, 'b': 0.5, 'c': 1.0})
    """
    if isinstance(issue, ProvisionIssue):
        return ProvisionValue(values={str(p): round(r / 100.0, 6) for p, r in ratings.items()})
    low, high = min(ratings.values()), max(ratings.values())
    scaled = {k: round((r - low) / (high - low), 6) if high > low else 0.0 for k, r in ratings.items()}
    if isinstance(issue, NumericIssue):
        return PiecewiseValue(points=tuple(sorted((float(k), v) for k, v in scaled.items())))  # type: ignore[arg-type]
    return OptionValue(scores={str(k): v for k, v in scaled.items()})


def rank_weights(order: Sequence[str]) -> dict[str, float]:
    """Rank-order centroid weights of issues listed from most to least important.

    >>> {k: round(w, 3) for k, w in rank_weights(["pay", "ai", "term"]).items()}
    {'pay': 0.611, 'ai': 0.278, 'term': 0.111}
    """
    n = len(order)
    return {issue: sum(1.0 / j for j in range(k + 1, n + 1)) / n for k, issue in enumerate(order)}


def _choices(issue: Issue, function: ValueFunction, party: str) -> list[Value]:
    """The positions a designed package may take on an issue: its worst, middle and best."""
    if isinstance(issue, ProvisionIssue):
        assert isinstance(function, ProvisionValue)
        good = frozenset(p for p, v in function.values.items() if v > 0)
        return [frozenset(issue.provision_ids) - good, good, frozenset()]
    levels = list(asked_levels(issue))
    values = issue_values(function, issue, party, levels)
    order = np.argsort(values, kind="stable")
    return [levels[order[0]], levels[order[len(order) // 2]], levels[order[-1]]]


def informative_packages(
    issues: Sequence[Issue], functions: Mapping[str, ValueFunction], party: str, count: int, seed: int = 0
) -> list[dict[str, Value]]:
    """``count`` packages whose ratings settle the issue weights best: chosen greedily from
    packages at each issue's worst, middle or best position, each time the one that most raises
    the determinant of the information matrix of the weights' model (D-optimal). Candidates are
    all such packages up to 3**7, else 2,187 drawn with ``seed``.
    """
    choices = [_choices(issue, functions[issue.id], party) for issue in issues]
    indexes: NDArray[np.int64]
    if len(issues) <= 7:
        indexes = np.array(list(itertools.product(range(3), repeat=len(issues))), dtype=np.int64)
    else:
        indexes = np.random.default_rng(seed).integers(0, 3, size=(3**7, len(issues)))
    rows = np.array(
        [
            [
                1.0,
                *(
                    float(issue_values(functions[i.id], i, party, [choices[k][c]])[0])
                    for k, (i, c) in enumerate(zip(issues, row, strict=True))
                ),
            ]
            for row in indexes
        ]
    )
    picked = greedy_d_optimal(rows, count)
    return [{i.id: choices[k][indexes[p][k]] for k, i in enumerate(issues)} for p in picked]


def greedy_d_optimal(rows: NDArray[np.float64], count: int) -> list[int]:
    """The indexes of ``count`` rows of the design matrix ``rows`` chosen greedily, each the one
    that most raises ``det(X'X)`` (by the factor ``1 + x' (X'X)^-1 x``; Atkinson & Donev 1992,
    ch. 11), the inverse kept up to date by the Sherman-Morrison formula (``O(n p)`` a pick).

    >>> greedy_d_optimal(np.array([[1.0, 0], [1, 0], [1, 1], [1, 0.5]]), 2)
    [2, 0]
    """
    inverse = 1e6 * np.eye(rows.shape[1])  # of a small ridge, 1e-6 I: every row starts informative
    gain = 1e6 * (rows**2).sum(axis=1)
    picked: list[int] = []
    for _ in range(min(count, len(rows))):
        gain[picked] = -math.inf
        best = int(np.argmax(gain))
        picked.append(best)
        u = inverse @ rows[best]
        denominator = 1.0 + rows[best] @ u
        gain -= (rows @ u) ** 2 / denominator
        inverse -= np.outer(u, u) / denominator
    return picked


def package_count(issues: Sequence[Issue]) -> int:
    """How many packages to rate: the weights' parameters and a few more, 8 to 12."""
    return min(MAX_PACKAGES, max(MIN_PACKAGES, len(issues) + 4))


def fit_weights(
    issues: Sequence[Issue],
    functions: Mapping[str, ValueFunction],
    party: str,
    packages: Sequence[Mapping[str, Value]],
    ratings: Sequence[float],
    labels: Sequence[str],
) -> tuple[dict[str, float], float, float, NDArray[np.float64], FitQuality]:
    """The issue weights (summing to 1) that best reproduce ``ratings`` (0-100) given the value
    functions: ``rating = 100 * (offset + scale * u)``, bounded least squares
    (:func:`scipy.optimize.lsq_linear`). Returns weights, offset, scale, fitted ratings, quality.

    Raises
    ------
    RatingsError
        A rating out of range, or ratings that no weights reproduce (all equal, or falling as
        every issue gets better).
    """
    from scipy.optimize import lsq_linear

    target = np.asarray(ratings, dtype=np.float64)
    for name, rating in zip(labels, target, strict=True):
        if not (math.isfinite(rating) and 0.0 <= rating <= 100.0):
            raise RatingsError(f"{name}: rating {rating:g} is outside 0-100")
    design = np.array(
        [
            [1.0, *(float(issue_values(functions[i.id], i, party, [p[i.id]])[0]) for i in issues)]
            for p in packages
        ]
    )
    ridge = 1e-3 * np.eye(design.shape[1])[1:]
    result = lsq_linear(
        np.vstack([design, ridge]), np.concatenate([target / 100.0, np.zeros(len(issues))]), bounds=(0.0, 1.0)
    )
    solution = np.asarray(result.x, dtype=np.float64)
    scale = float(solution[1:].sum())
    if scale <= 1e-9:
        raise RatingsError(
            "no issue weights reproduce these ratings: check that better packages are rated higher"
        )
    weights = {i.id: round(float(b) / scale, 6) for i, b in zip(issues, solution[1:], strict=True)}
    fitted = design @ solution * 100.0
    return weights, float(solution[0]), scale, fitted, fit_quality(target, fitted, labels)


def elicited_model(
    party: str, label: str, weights: Mapping[str, float], functions: Mapping[str, ValueFunction]
) -> PreferenceModel:
    """The preference model elicited: fitted weights and the rated value functions."""
    return PreferenceModel(party=party, label=label, weights=dict(weights), values=dict(functions))
