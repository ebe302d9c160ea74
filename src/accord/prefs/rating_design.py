"""Packages to rate: a set whose ratings settle every parameter of the model that
:func:`accord.prefs.fitting.fit_preferences` fits, with a few to spare, chosen greedily for the
most information (D-optimal design, Atkinson & Donev, *Optimum Experimental Designs*, 1992,
ch. 11) among packages drawn with a seed: each numeric issue at one of the levels
:func:`accord.prefs.elicit.asked_levels` gives, each option issue at one of its options, each
provision present or absent.

Pure functions, no I/O: the dashboard's form of ratings shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model import Issue, NumericIssue, ProvisionIssue, Value
from accord.prefs.elicit import asked_levels

SPARE = 4
"""Packages asked beyond the model's parameters, so that one odd rating shows."""
CANDIDATES = 2000
"""Packages drawn, among which the design is chosen."""


def _draw(issue: Issue, rng: np.random.Generator) -> Value:
    if isinstance(issue, ProvisionIssue):
        return frozenset(p for p in issue.provision_ids if rng.random() < 0.5)
    levels = asked_levels(issue)
    return levels[int(rng.integers(len(levels)))]


def _columns(issue: Issue, value: Value) -> list[float]:
    """Reference coding of the fitted model: one column per level but the first."""
    if isinstance(issue, ProvisionIssue):
        assert isinstance(value, frozenset)
        return [1.0 if p in value else 0.0 for p in issue.provision_ids]
    levels = asked_levels(issue)
    return [1.0 if value == level else 0.0 for level in levels[1:]]


def parameter_count(issues: Sequence[Issue]) -> int:
    """The parameters of the fitted model when each numeric issue is rated at its asked levels.

    >>> from accord.model import NumericIssue
    >>> parameter_count([NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20)])
    5
    """
    return 1 + sum(len(_columns(issue, _draw(issue, np.random.default_rng(0)))) for issue in issues)


def packages_to_rate(issues: Sequence[Issue], seed: int = 0) -> list[dict[str, Value]]:
    """:func:`parameter_count` + :data:`SPARE` packages whose ratings settle the model, each
    level of each issue in at least one (by the greedy choice), the same for the same seed.

    >>> from accord.model import NumericIssue, CategoricalIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=4)
    >>> venue = CategoricalIssue(id="venue", name="Venue", options=["a", "b"])
    >>> chosen = packages_to_rate([pay, venue])
    >>> len(chosen), sorted({p["pay"] for p in chosen}), sorted({p["venue"] for p in chosen})
    (10, [0.0, 1.0, 2.0, 3.0, 4.0], ['a', 'b'])
    """
    rng = np.random.default_rng(seed)
    candidates = [{issue.id: _draw(issue, rng) for issue in issues} for _ in range(CANDIDATES)]
    rows = np.array([[1.0, *(c for i in issues for c in _columns(i, p[i.id]))] for p in candidates])
    picked = _greedy_d_optimal(rows, parameter_count(issues) + SPARE)
    return [candidates[i] for i in picked]


def _greedy_d_optimal(rows: NDArray[np.float64], count: int) -> list[int]:
    picked: list[int] = []
    information = 1e-6 * np.eye(rows.shape[1])
    for _ in range(min(count, len(rows))):
        gain = np.einsum("ij,jk,ik->i", rows, np.linalg.inv(information), rows)  # det x (1 + gain)
        gain[picked] = -np.inf
        best = int(np.argmax(gain))
        picked.append(best)
        information += np.outer(rows[best], rows[best])
    return picked


def cell(issue: Issue, value: Value) -> str:
    """A position as a ratings file writes it (a number, an option, provisions joined by ``+``).

    >>> from accord.model import NumericIssue
    >>> cell(NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20), 12.5)
    '12.5'
    """
    if isinstance(value, frozenset):
        assert isinstance(issue, ProvisionIssue)
        return "+".join(p for p in issue.provision_ids if p in value)
    if isinstance(issue, NumericIssue):
        return f"{float(value):g}"
    return str(value)
