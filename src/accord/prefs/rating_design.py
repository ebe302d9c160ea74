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
from accord.prefs.elicit import asked_levels, greedy_d_optimal

SPARE = 4
"""Packages asked beyond the model's parameters, so that one odd rating shows."""
CANDIDATES = 2000
"""Packages drawn, among which the design is chosen."""


def _levels(issue: Issue) -> tuple[Value, ...]:
    """The positions a package to rate may take on a numeric or option issue."""
    return asked_levels(issue)


def parameter_count(issues: Sequence[Issue]) -> int:
    """The parameters of the fitted model when each numeric issue is rated at its asked levels.

    >>> from accord.model import NumericIssue
    >>> parameter_count([NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20)])
    5
    """
    return 1 + sum(
        len(i.provision_ids) if isinstance(i, ProvisionIssue) else len(_levels(i)) - 1 for i in issues
    )


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
    drawn: list[NDArray[np.int64] | NDArray[np.bool_]] = []
    columns = [np.ones((CANDIDATES, 1))]
    for issue in issues:  # reference coding of the fitted model: a column per level but the first
        if isinstance(issue, ProvisionIssue):
            present = rng.random((CANDIDATES, len(issue.provision_ids))) < 0.5
            drawn.append(present)
            columns.append(present.astype(np.float64))
        else:
            index = rng.integers(len(_levels(issue)), size=CANDIDATES)
            drawn.append(index)
            columns.append(np.eye(len(_levels(issue)))[index][:, 1:])
    picked = greedy_d_optimal(np.hstack(columns), parameter_count(issues) + SPARE)
    return [{issue.id: _position(issue, drawn[k][row]) for k, issue in enumerate(issues)} for row in picked]


def _position(issue: Issue, drawn: NDArray[np.bool_] | np.int64) -> Value:
    if isinstance(issue, ProvisionIssue):
        return frozenset(p for p, held in zip(issue.provision_ids, np.atleast_1d(drawn), strict=True) if held)
    return _levels(issue)[int(drawn)]


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
