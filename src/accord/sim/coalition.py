"""A coalition's decision rule applied to its members' votes (vectorised over packages)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model.party import DecisionRule, RuleKind
from accord.sim.arrays import NUMPY, Array, ArrayBackend

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
    columns = [votes[..., j] for j in range(m)]
    return np.asarray(approve_votes(NUMPY, columns, rule, member_ids), dtype=bool)


def approve_votes(
    xp: ArrayBackend, votes: Sequence[Array], rule: DecisionRule, member_ids: Sequence[str]
) -> Array:
    """:func:`rule_approves` on any array backend, with one ``(b,)`` vote array per member.

    Sums run member by member in a fixed order, so every backend rounds a weighted vote alike.

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> rule = DecisionRule(kind="weighted", shares={"a": 2, "b": 1}, threshold=0.5)
    >>> approve_votes(NUMPY, [np.array([True, False]), np.array([False, True])], rule, ["a", "b"]).tolist()
    [True, False]
    """
    if len(votes) != len(member_ids) or not votes:
        raise ValueError(f"{len(votes)} vote arrays for {len(member_ids)} members")
    if rule.kind is RuleKind.UNANIMITY:
        approved = votes[0]
        for v in votes[1:]:
            approved = approved & v
    elif rule.kind is RuleKind.MAJORITY:
        count = xp.to_int(votes[0])
        for v in votes[1:]:
            count = count + xp.to_int(v)
        approved = 2 * count > len(votes)
    else:
        shares = [float(rule.shares.get(i, 0.0)) for i in member_ids]
        total = 0.0
        for share in shares:
            total += share
        weight = xp.where(votes[0], shares[0], 0.0)
        for v, share in zip(votes[1:], shares[1:], strict=True):
            weight = weight + xp.where(v, share, 0.0)
        approved = weight > rule.threshold * total
    for j, i in enumerate(member_ids):
        if i in rule.vetoes:
            approved = approved & votes[j]
    return approved
