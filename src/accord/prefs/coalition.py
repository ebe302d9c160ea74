"""Coalition decision rules evaluated on many packages at once.

A member accepts a package when its utility is at least its reservation value. The coalition
accepts under its :class:`~accord.model.DecisionRule`:

- ``unanimity``: every member accepts;
- ``majority``: more than half of the members accept;
- ``weighted``: the accepting members' shares add up to more than ``threshold`` of all shares
  (a member without a stated share weighs 0);

and, under any rule, no member named in ``vetoes`` rejects. These are the simple and weighted
voting games of Shapley & Shubik (1954), "A Method for Evaluating the Distribution of Power in a
Committee System", *APSR* 48(3), and von Neumann & Morgenstern (1944), ch. X.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.model import DecisionRule, RuleKind


class CoalitionVerdict(NamedTuple):
    """``accepted``: ``(n,)``, whether the coalition accepts each package; ``blockers``:
    ``(n, m)``, which members reject it (utility below their reservation value)."""

    accepted: NDArray[np.bool_]
    blockers: NDArray[np.bool_]


def coalition_accepts(
    rule: DecisionRule, members: Sequence[str], utilities: ArrayLike, reservations: ArrayLike
) -> CoalitionVerdict:
    """Which of ``n`` packages a coalition of ``m`` members accepts under ``rule``.

    Parameters
    ----------
    rule
        The coalition's decision rule.
    members
        The member ids, in the column order of ``utilities``.
    utilities
        ``(n, m)``: each member's utility for each package (``(m,)`` for one package).
    reservations
        ``(m,)``: each member's reservation (disagreement) value.

    Raises
    ------
    ValueError
        On shapes that do not match ``members``, no members, or a veto or share naming a
        party that is not among ``members``.

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> rule = DecisionRule(kind="majority", vetoes=["a"])
    >>> u = [[0.9, 0.1, 0.8], [0.2, 0.9, 0.9], [0.9, 0.9, 0.1]]
    >>> accepted, blockers = coalition_accepts(rule, ["a", "b", "c"], u, [0.5, 0.5, 0.5])
    >>> accepted.tolist(), blockers.tolist()
    ([True, False, True], [[False, True, False], [True, False, False], [False, False, True]])
    """
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim == 1:
        u = u[np.newaxis, :]
    r = np.asarray(reservations, dtype=np.float64)
    m = len(members)
    if m == 0:
        raise ValueError("a coalition needs at least one member")
    if u.ndim != 2 or u.shape[1] != m:
        raise ValueError(f"utilities have shape {u.shape}; expected (n, {m}) for members {list(members)}")
    if r.shape != (m,):
        raise ValueError(f"reservations have shape {r.shape}; expected ({m},)")
    accepts = u >= r
    return CoalitionVerdict(accepted=rule_accepts(rule, members, accepts), blockers=~accepts)


def rule_accepts(rule: DecisionRule, members: Sequence[str], accepts: ArrayLike) -> NDArray[np.bool_]:
    """Whether the coalition accepts, given each member's yes/no: the rule itself.

    :func:`coalition_accepts` votes by reservation values; a simulator whose members vote by
    their strategies calls this directly, so every part of Accord applies one implementation of
    each rule.

    Parameters
    ----------
    rule
        The coalition's decision rule.
    members
        The member ids, in the column order of ``accepts``.
    accepts
        ``(..., m)`` booleans: whether each member accepts (one column per member).

    Raises
    ------
    ValueError
        When ``accepts`` does not have one column per member, there are no members, or the rule
        names a party that is not among ``members``.

    Examples
    --------
    >>> from accord.model import DecisionRule
    >>> votes = [[True, True, False], [True, False, False]]
    >>> rule_accepts(DecisionRule(kind="majority"), ["a", "b", "c"], votes).tolist()
    [True, False]
    >>> rule_accepts(DecisionRule(kind="majority", vetoes=["c"]), ["a", "b", "c"], votes).tolist()
    [False, False]
    """
    votes = np.asarray(accepts, dtype=np.bool_)
    m = len(members)
    if m == 0:
        raise ValueError("a coalition needs at least one member")
    if votes.ndim == 0 or votes.shape[-1] != m:
        raise ValueError(f"votes have shape {votes.shape}; expected (..., {m}) for members {list(members)}")
    unknown = sorted((set(rule.vetoes) | set(rule.shares)) - set(members))
    if unknown:
        raise ValueError(f"the rule names {unknown}, who are not among the members {list(members)}")
    if rule.kind is RuleKind.UNANIMITY:
        accepted = votes.all(axis=-1)
    elif rule.kind is RuleKind.MAJORITY:
        accepted = 2 * votes.sum(axis=-1) > m
    else:
        shares = np.array([rule.shares.get(member, 0.0) for member in members], dtype=np.float64)
        # Compare shares of the total (not threshold * total), which stays right for tiny shares
        # where threshold * total would round back up to total.
        total = shares.sum()
        accepted = (
            (votes @ (shares / total) > rule.threshold) if total > 0 else np.zeros(votes.shape[:-1], bool)
        )
    if rule.vetoes:
        veto = np.array([member in rule.vetoes for member in members])
        accepted = accepted & ~(~votes & veto).any(axis=-1)
    return np.asarray(accepted, dtype=np.bool_)
