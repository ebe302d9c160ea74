"""GeniusWeb JSON export: a case's issues as a GeniusWeb domain and each preference model as a
linear additive profile, in either key dialect.

Discrete issues are written (a numeric issue becomes one value per level) in the dialect asked
for; a reservation value above 0 is expressed as the bid whose utility is the smallest at or above
it (found by enumerating outcomes, up to :data:`MAX_ENUMERATED`). The importer is
:mod:`accord.casefile.geniusweb`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from accord.casefile.atomic import write_files
from accord.casefile.interop import discrete_options
from accord.model import Case, Issue, PreferenceModel, PreferenceSet, Value

DIALECTS = {"discreteutils": "numberutils", "DiscreteValueSetUtilities": "NumberValueSetUtilities"}
"""The two key dialects: discrete key -> numeric key."""
MAX_ENUMERATED = 2_000_000
"""Largest outcome space searched for a bid that expresses a reservation value on export."""


def _labels(issue: Issue) -> tuple[list[str], list[Value]]:
    return discrete_options(issue, "GeniusWeb")


def geniusweb_domain(case: Case) -> dict[str, Any]:
    """The case's issues as a GeniusWeb domain object."""
    return {"name": case.id, "issuesValues": {i.name: {"values": _labels(i)[0]} for i in case.issues}}


def geniusweb_profile(case: Case, model: PreferenceModel, dialect: str = "discreteutils") -> dict[str, Any]:
    """``model`` as a GeniusWeb linear additive profile, with utilities under ``dialect``'s key.

    Raises
    ------
    ValueError
        For an unknown dialect, a provision-set issue, or a reservation value that needs a bid
        search over more than :data:`MAX_ENUMERATED` outcomes.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {list(DIALECTS)}")
    total = sum(model.weights.values())
    utilities: dict[str, Any] = {}
    columns: list[np.ndarray[Any, np.dtype[np.float64]]] = []
    for issue in case.issues:
        labels, positions = _labels(issue)
        function = model.values.get(issue.id)
        scores = [function.value(issue, model.party, p) if function else 0.0 for p in positions]
        utilities[issue.name] = {dialect: {"valueUtilities": dict(zip(labels, scores, strict=True))}}
        columns.append(np.asarray(scores) * model.weights.get(issue.id, 0.0) / total)
    space: dict[str, Any] = {
        "name": model.party,
        "issueUtilities": utilities,
        "issueWeights": {i.name: model.weights.get(i.id, 0.0) / total for i in case.issues},
        "domain": geniusweb_domain(case),
    }
    if model.reservation > 0:
        space["reservationBid"] = {"issuevalues": _reservation_bid(case, columns, model.reservation)}
    return {"LinearAdditiveUtilitySpace": space}


def _reservation_bid(
    case: Case, columns: list[np.ndarray[Any, np.dtype[np.float64]]], reservation: float
) -> dict[str, str]:
    size = int(np.prod([len(c) for c in columns], dtype=object))
    if size > MAX_ENUMERATED:
        raise ValueError(
            f"the reservation value must be written as a bid; finding one means searching {size} outcomes "
            f"(more than {MAX_ENUMERATED})"
        )
    totals = columns[0]
    for column in columns[1:]:
        totals = np.add.outer(totals, column)
    flat = totals.ravel()
    eligible = np.flatnonzero(flat >= reservation - 1e-9)
    best = eligible[np.argmin(flat[eligible])] if eligible.size else int(np.argmax(flat))
    choice = np.unravel_index(best, totals.shape)
    return {issue.name: _labels(issue)[0][int(k)] for issue, k in zip(case.issues, choice, strict=True)}


def export_geniusweb(
    case: Case, prefs: PreferenceSet, folder: str | os.PathLike[str], dialect: str = "discreteutils"
) -> list[Path]:
    """Write ``<case>.json`` (the domain) and one ``<party>.json`` profile per model into ``folder``."""
    data = {f"{case.id}.json": geniusweb_domain(case)}
    data |= {f"{m.party}.json": geniusweb_profile(case, m, dialect) for m in prefs.models}
    texts = {name: json.dumps(item, indent=2, ensure_ascii=False) + "\n" for name, item in data.items()}
    return write_files(folder, texts)
