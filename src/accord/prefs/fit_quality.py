"""How well a fitted preference model reproduces the ratings it was fitted to: the root mean
square error in rating points, the rank agreement (Kendall's tau-b), the least consistent rows,
and warnings naming the rows the model cannot reconcile with the others."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

INCONSISTENT_POINTS = 15.0
"""A row whose rating is this far (in rating points) from the fit, and more than twice the RMSE,
is called inconsistent with the others."""
LEAST_CONSISTENT = 3
"""How many of the least consistent rows a fit reports."""


@dataclass(frozen=True, slots=True)
class Residual:
    """One rated package: its name (e.g. ``ratings.csv:4``), its rating and the fit's."""

    row: str
    rating: float
    fitted: float

    @property
    def residual(self) -> float:
        return self.rating - self.fitted


@dataclass(frozen=True, slots=True)
class FitQuality:
    """``rmse`` in rating points; ``kendall_tau`` in ``[-1, 1]`` (1: the fit orders the packages
    as the ratings do, ties alike); ``least_consistent``: the rows farthest from the fit;
    ``warnings``: in words, naming rows."""

    rows: int
    rmse: float
    kendall_tau: float
    least_consistent: tuple[Residual, ...]
    warnings: tuple[str, ...]


def kendall_tau(ratings: NDArray[np.float64], fitted: NDArray[np.float64]) -> float:
    """Kendall's tau-b between the ratings and the fit, both rounded to 0.01 rating points
    so that packages the ratings tie and the fit ties up to rounding count as tied.

    >>> kendall_tau(np.array([10.0, 20, 30]), np.array([11.0, 19, 33]))
    1.0
    """
    from scipy.stats import kendalltau

    tau = float(kendalltau(np.round(ratings, 2), np.round(fitted, 2)).statistic)
    return 0.0 if math.isnan(tau) else round(tau, 6)


def fit_quality(
    ratings: NDArray[np.float64],
    fitted: NDArray[np.float64],
    names: Sequence[str],
    keys: Sequence[Hashable] | None = None,
) -> FitQuality:
    """The quality of ``fitted`` against ``ratings`` (both in rating points); ``keys`` identify
    the packages, so that one package rated twice, differently, is named.

    >>> quality = fit_quality(np.array([10.0, 50, 90]), np.array([12.0, 50, 88]), ["a", "b", "c"])
    >>> round(quality.rmse, 3), quality.kendall_tau, quality.least_consistent[0].row
    (1.633, 1.0, 'a')
    """
    residuals = ratings - fitted
    rmse = float(np.sqrt(np.mean(residuals**2))) if len(ratings) else 0.0
    order = np.argsort(-np.abs(residuals), kind="stable")
    least = tuple(
        Residual(names[i], float(ratings[i]), round(float(fitted[i]), 2)) for i in order[:LEAST_CONSISTENT]
    )
    warnings = [
        f"{names[i]}: rated {ratings[i]:g}, but the other ratings put it at {fitted[i]:.0f}: "
        "inconsistent with them (check the rating, or the model leaves out what it turns on)"
        for i in order
        if abs(residuals[i]) > max(INCONSISTENT_POINTS, 2 * rmse)
    ]
    warnings.extend(_repeated(ratings, names, keys))
    return FitQuality(len(ratings), rmse, kendall_tau(ratings, fitted), least, tuple(warnings))


def _repeated(
    ratings: NDArray[np.float64], names: Sequence[str], keys: Sequence[Hashable] | None
) -> list[str]:
    if keys is None:
        return []
    first: dict[Hashable, int] = {}
    found = []
    for index, key in enumerate(keys):
        if key in first and abs(ratings[first[key]] - ratings[index]) > INCONSISTENT_POINTS / 3:
            earlier = first[key]
            found.append(
                f"{names[index]}: the same package as {names[earlier]}, rated {ratings[index]:g} "
                f"there and {ratings[earlier]:g} here"
            )
        first.setdefault(key, index)
    return found
