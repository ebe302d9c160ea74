"""GeniusWeb JSON export: a case's issues as a GeniusWeb domain and each preference model as a
linear additive profile, in either key dialect.

Issues are laid out by :mod:`accord.casefile.domain_layout` (every issue discrete, a provision set
as one ``no``/``yes`` issue per provision), so each profile gives the model's utility on every
package. The domain is named by the case's title; a profile by its party's name, in
``<party id>.json``. GeniusWeb states a reservation value as a bid: the bid written is the one
whose utility is the smallest at or above the model's reservation value (found exactly by meeting
in the middle: the issues split in two halves, the sums of each enumerated, one sorted and
searched, so up to :data:`MAX_HALF` outcomes per half), and the profile's reservation value is
that bid's utility. The importer is :mod:`accord.casefile.geniusweb`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.casefile.atomic import write_files
from accord.casefile.domain_layout import domain_issues, domain_profile
from accord.model import Case, PreferenceModel, PreferenceSet

DIALECTS = {"discreteutils": "numberutils", "DiscreteValueSetUtilities": "NumberValueSetUtilities"}
"""The two key dialects: discrete key -> numeric key."""
MAX_HALF = 4_000_000
"""Most outcomes of each half of the issues enumerated to find the bid of a reservation value."""
MAX_ENUMERATED = MAX_HALF**2
"""Largest outcome space searched for a bid that expresses a reservation value on export."""


def geniusweb_domain(case: Case) -> dict[str, Any]:
    """The case's issues as a GeniusWeb domain object."""
    issues = domain_issues(case)
    return {"name": case.title, "issuesValues": {i.name: {"values": list(i.labels)} for i in issues}}


def geniusweb_profile(case: Case, model: PreferenceModel, dialect: str = "discreteutils") -> dict[str, Any]:
    """``model`` as a GeniusWeb linear additive profile, with utilities under ``dialect``'s key.

    Raises
    ------
    ValueError
        For an unknown dialect, or a reservation value that needs a bid search over more than
        :data:`MAX_ENUMERATED` outcomes.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {list(DIALECTS)}")
    issues = domain_issues(case)
    profile = domain_profile(case, model, issues)
    utilities = {
        issue.name: {dialect: {"valueUtilities": dict(zip(issue.labels, scores, strict=True))}}
        for issue, scores in zip(issues, profile.evaluations, strict=True)
    }
    space: dict[str, Any] = {
        "name": next((p.name for p in case.parties if p.id == model.party), model.label),
        "issueUtilities": utilities,
        "issueWeights": {i.name: w for i, w in zip(issues, profile.weights, strict=True)},
        "domain": geniusweb_domain(case),
    }
    if model.reservation > 0:
        columns = [
            np.asarray(scores, dtype=np.float64) * weight
            for scores, weight in zip(profile.evaluations, profile.weights, strict=True)
        ]
        choice = reservation_choice(columns, model.reservation)
        space["reservationBid"] = {
            "issuevalues": {i.name: i.labels[k] for i, k in zip(issues, choice, strict=True)}
        }
    return {"LinearAdditiveUtilitySpace": space}


def reservation_choice(columns: Sequence[NDArray[np.float64]], reservation: float) -> tuple[int, ...]:
    """The outcome (a value index per issue) of smallest utility at or above ``reservation``,
    utilities being the sum of ``columns[i][choice[i]]`` (the best outcome when none reaches it).

    Exact, by meeting in the middle: the issues are split into two halves of about equal size,
    the utility sums of each half enumerated, the second's sorted, and each sum of the first
    looks up the smallest complement that reaches the reservation value.

    Raises
    ------
    ValueError
        When a half has more than :data:`MAX_HALF` outcomes.

    Examples
    --------
    >>> import numpy as np
    >>> reservation_choice([np.array([0.0, 0.1, 0.4]), np.array([0.0, 0.25, 0.5])], 0.3)
    (1, 1)
    >>> reservation_choice([np.array([0.0, 0.2])], 0.9)  # nothing reaches it: the best
    (1,)
    """
    halves: tuple[list[int], list[int]] = ([], [])
    sizes = [0.0, 0.0]
    for i in sorted(range(len(columns)), key=lambda i: -len(columns[i])):
        k = 0 if sizes[0] <= sizes[1] else 1
        halves[k].append(i)
        sizes[k] += math.log(max(1, len(columns[i])))
    counts = [math.prod(len(columns[i]) for i in half) for half in halves]
    if max(counts) > MAX_HALF:
        raise ValueError(
            f"the reservation value must be written as a bid; finding one means searching "
            f"{math.prod(len(c) for c in columns):,} outcomes (more than {MAX_ENUMERATED:,})"
        )
    first, second = (_sums([columns[i] for i in half]) for half in halves)
    order = np.argsort(second, kind="stable")
    ranked = second[order]
    positions = np.searchsorted(ranked, reservation - 1e-9 - first, side="left")
    reaches = positions < ranked.size
    if reaches.any():
        totals = np.where(reaches, first + ranked[np.minimum(positions, ranked.size - 1)], np.inf)
        a = int(np.argmin(totals))
        b = int(order[positions[a]])
    else:
        a, b = int(np.argmax(first)), int(np.argmax(second))
    choice = [0] * len(columns)
    for half, flat in zip(halves, (a, b), strict=True):
        shape = [len(columns[i]) for i in half]
        indexes = [int(k) for k in np.unravel_index(flat, shape)] if shape else []
        for i, index in zip(half, indexes, strict=True):
            choice[i] = index
    return tuple(choice)


def _sums(columns: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Every sum of one entry per column, flat in C order (``[0.0]`` for no column)."""
    total = np.zeros(1)
    for column in columns:
        total = np.add.outer(total, column).ravel()
    return total


def geniusweb_texts(case: Case, prefs: PreferenceSet, dialect: str = "discreteutils") -> dict[str, str]:
    """File name -> text of the GeniusWeb domain of ``case`` and ``prefs``: ``<case>.json`` (the
    domain) first, then ``<party>.json`` per model."""
    profiles = {f"{m.party}.json": geniusweb_profile(case, m, dialect) for m in prefs.models}
    domain, count = f"{case.id}.json", 1
    while domain in profiles:  # a party named like the case
        count += 1
        domain = f"{case.id}_{count}.json"
    data = {domain: geniusweb_domain(case)} | profiles
    return {name: json.dumps(item, indent=2, ensure_ascii=False) + "\n" for name, item in data.items()}


def export_geniusweb(
    case: Case, prefs: PreferenceSet, folder: str | os.PathLike[str], dialect: str = "discreteutils"
) -> list[Path]:
    """Write ``<case>.json`` (the domain) and one ``<party>.json`` profile per model into ``folder``."""
    return write_files(folder, geniusweb_texts(case, prefs, dialect))
