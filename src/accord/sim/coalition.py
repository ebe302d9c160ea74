"""A coalition's decision rule applied to its members' votes (vectorised over packages)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model.party import DecisionRule, RuleKind

BoolArray = NDArray[np.bool_]


def rule_approves(votes: BoolArray, rule: DecisionRule, member_ids: Sequence[str]) -> BoolArray:
    """Whether the coalition approves, given each member's yes/no votes.

    votes: ``(..., m)`` booleans, one column per member in ``member_ids`` order.

    Unanimity needs every member; majority more than half of them; a weighted rule needs the
    yes-voters' ``shares`` to exceed ``threshold`` of the total share; a member named in
    ``vetoes`` blocks the package by voting no, whatever the rule.

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> votes = np.array([[True, True, False], [True, False, False]])
    >>> rule_approves(votes, DecisionRule(kind="majority"), ["a", "b", "c"]).tolist()
    [True, False]
    >>> rule_approves(votes, DecisionRule(kind="majority", vetoes=("c",)), ["a", "b", "c"]).tolist()
    [False, False]
    """
    votes = np.asarray(votes, dtype=bool)
    m = votes.shape[-1]
    if m != len(member_ids):
        raise ValueError(f"votes have {m} columns but {len(member_ids)} member ids were given")
    if rule.kind is RuleKind.UNANIMITY:
        approved = votes.all(axis=-1)
    elif rule.kind is RuleKind.MAJORITY:
        approved = 2 * votes.sum(axis=-1) > m
    else:
        shares = np.array([rule.shares.get(i, 0.0) for i in member_ids], dtype=np.float64)
        total = float(shares.sum())
        approved = (votes * shares).sum(axis=-1) > rule.threshold * total
    vetoers = [j for j, i in enumerate(member_ids) if i in rule.vetoes]
    if vetoers:
        approved = approved & votes[..., vetoers].all(axis=-1)
    return np.asarray(approved, dtype=bool)
