"""Preferences fitted from ratings, over files: ``accord prefs fit`` and ``accord prefs elicit``.

The fit is :mod:`accord.prefs.fitting` (no I/O); the ratings file is read by
:mod:`accord.casefile.ratings`; the preference file is written by
:mod:`accord.casefile.prefsfile`, whole or not at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.casefile.prefsfile import read_preferences, write_preferences
from accord.casefile.ratings import Ratings, read_ratings
from accord.model import Case, PreferenceModel, PreferenceSet
from accord.prefs.fitting import PreferenceFit, fit_preferences


@dataclass(frozen=True, slots=True)
class FittedFile:
    """A fit from a ratings file: the case, the ratings read and the fit."""

    case: Case
    ratings: Ratings
    fit: PreferenceFit


def party_name(case: Case, party: str) -> str:
    """The name of ``party`` in ``case``; ``ValueError`` naming the parties when it is not one."""
    for known in case.parties:
        if known.id == party:
            return known.label
    raise ValueError(f"--party: unknown party {party!r}; expected one of {[p.id for p in case.parties]}")


def fit_ratings_file(case: Case, party: str, path: str | os.PathLike[str]) -> FittedFile:
    """Fit ``party``'s preferences to the ratings CSV at ``path``.

    Raises
    ------
    CaseFileError
        When the file cannot be read or a row is bad (at its line and column).
    ValueError
        When the party is unknown, or the ratings cannot be fitted
        (:class:`~accord.prefs.fitting.RatingsError`: too few, not varied enough).
    """
    name = party_name(case, party)
    ratings = read_ratings(path, case)
    label = f"{name} (fitted from {len(ratings.ratings)} ratings)"
    fit = fit_preferences(
        ratings.issues, party, ratings.packages, ratings.ratings, labels=ratings.labels, label=label
    )
    rationale = (
        f"Fitted by Accord from {len(ratings.ratings)} ratings in {Path(path).name}: RMSE "
        f"{fit.quality.rmse:.1f} rating points, Kendall tau {fit.quality.kendall_tau:.2f}."
    )
    model = fit.model.model_copy(update={"rationale": rationale})
    return FittedFile(case, ratings, _with_model(fit, model))


def _with_model(fit: PreferenceFit, model: PreferenceModel) -> PreferenceFit:
    return PreferenceFit(model, fit.weights, fit.values, fit.offset, fit.scale, fit.fitted, fit.quality)


def write_fitted(case: Case, model: PreferenceModel, path: str | os.PathLike[str]) -> bool:
    """Write ``model`` to the preference file at ``path``: where the file exists (a preference
    file of this case), the party's model there is replaced and the others kept; else a new file
    holds it alone. Written atomically; returns whether an existing file was updated.

    Raises
    ------
    CaseFileError
        When the existing file is not a preference file of ``case``.
    """
    target = Path(path)
    if target.exists():
        existing = read_preferences(target, case)
        others = tuple(m for m in existing.models if m.party != model.party)
        prefs = existing.model_copy(update={"models": (*others, model)})
        write_preferences(PreferenceSet.model_validate(prefs.model_dump()), target)
        return True
    write_preferences(PreferenceSet(case=case.id, models=(model,)), target)
    return False


def fit_jsonable(party: str, fit: PreferenceFit) -> dict[str, Any]:
    """The JSON of ``accord prefs fit --json``: ``party``, ``weights``, ``values``, ``fit``."""
    quality = fit.quality
    return {
        "party": party,
        "weights": fit.weights,
        "values": fit.values,
        "fit": {
            "rows": quality.rows,
            "rmse": round(quality.rmse, 4),
            "kendall_tau": quality.kendall_tau,
            "offset": round(fit.offset, 6),
            "scale": round(fit.scale, 6),
            "least_consistent": [
                {"row": r.row, "rating": r.rating, "fitted": r.fitted, "residual": round(r.residual, 2)}
                for r in quality.least_consistent
            ],
            "warnings": list(quality.warnings),
        },
    }
