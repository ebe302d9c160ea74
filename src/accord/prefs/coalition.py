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
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from accord.model.party import DecisionRule


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


class VoteArrays(Protocol):
    """The array operations :func:`rule_accepts` needs besides ``&``, ``~``, ``+`` and ``>``.

    ``accord.sim.engine.arrays.ArrayNamespace`` (NumPy or PyTorch, on the CPU or a GPU) has them, so the
    simulators apply the rules to their own arrays, on their own device, without copies.
    """

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        """``a`` where ``cond`` holds, else ``b`` (floats in the namespace's float type)."""
        ...

    def to_int(self, x: Any) -> Any:
        """``x`` as 64-bit integers."""
        ...


class _NumpyVotes:
    """:class:`VoteArrays` of plain NumPy, float64."""

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return np.where(cond, a, b)

    def to_int(self, x: Any) -> Any:
        return np.asarray(x).astype(np.int64)


_NUMPY = _NumpyVotes()


@overload
def rule_accepts(
    rule: DecisionRule, members: Sequence[str], accepts: ArrayLike, *, xp: None = None
) -> NDArray[np.bool_]: ...


@overload
def rule_accepts(
    rule: DecisionRule, members: Sequence[str], accepts: Sequence[Any], *, xp: VoteArrays
) -> Any: ...


def rule_accepts(
    rule: DecisionRule, members: Sequence[str], accepts: Any, *, xp: VoteArrays | None = None
) -> Any:
    """Whether the coalition accepts, given each member's yes/no: the rule itself.

    :func:`coalition_accepts` votes by reservation values; a simulator whose members vote by
    their strategies calls this directly, so every part of Accord applies one implementation of
    each rule. Votes are combined member by member in ``members`` order (a weighted vote adds
    the yes-voters' share fractions in that order), so every array namespace rounds alike.

    Parameters
    ----------
    rule
        The coalition's decision rule.
    members
        The member ids, in the column order of ``accepts``.
    accepts
        Without ``xp``: ``(..., m)`` booleans, whether each member accepts (one column per
        member). With ``xp``: ``m`` boolean arrays of one shape, one per member, in that
        namespace.
    xp
        The array namespace of ``accepts`` (e.g. ``accord.sim.engine.arrays.ArrayNamespace``); the result
        is then that namespace's boolean array. On a float32 namespace a weighted vote adds its
        share fractions in float32.

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
    >>> columns = [np.array([True, False]), np.array([False, True])]
    >>> rule = DecisionRule(kind="weighted", shares={"a": 2, "b": 1}, threshold=0.5)
    >>> rule_accepts(rule, ["a", "b"], columns, xp=_NUMPY).tolist()
    [True, False]
    """
    m = len(members)
    if m == 0:
        raise ValueError("a coalition needs at least one member")
    unknown = sorted((set(rule.vetoes) | set(rule.shares)) - set(members))
    if unknown:
        raise ValueError(f"the rule names {unknown}, who are not among the members {list(members)}")
    if xp is None:
        votes = np.asarray(accepts, dtype=np.bool_)
        if votes.ndim == 0 or votes.shape[-1] != m:
            raise ValueError(
                f"votes have shape {votes.shape}; expected (..., {m}) for members {list(members)}"
            )
        columns = [votes[..., j] for j in range(m)]
        return np.asarray(_decide(_NUMPY, rule, members, columns), dtype=np.bool_)
    columns = list(accepts)
    if len(columns) != m:
        raise ValueError(f"{len(columns)} vote arrays for the {m} members {list(members)}")
    return _decide(xp, rule, members, columns)


def _decide(xp: VoteArrays, rule: DecisionRule, members: Sequence[str], votes: list[Any]) -> Any:
    """The rules on one vote array per member (checked by :func:`rule_accepts`)."""
    from accord.model.party import RuleKind  # here: the engine starts without the model

    if rule.kind is RuleKind.UNANIMITY:
        accepted = votes[0]
        for v in votes[1:]:
            accepted = accepted & v
    elif rule.kind is RuleKind.MAJORITY:
        count = xp.to_int(votes[0])
        for v in votes[1:]:
            count = count + xp.to_int(v)
        accepted = 2 * count > len(votes)
    else:
        shares = np.array([rule.shares.get(member, 0.0) for member in members], dtype=np.float64)
        total = float(shares.sum())
        if total > 0:
            # Compare shares of the total (not threshold * total), which stays right for tiny
            # shares where threshold * total would round back up to total.
            fractions = [float(f) for f in shares / total]
            weight = xp.where(votes[0], fractions[0], 0.0)
            for v, fraction in zip(votes[1:], fractions[1:], strict=True):
                weight = weight + xp.where(v, fraction, 0.0)
            accepted = weight > rule.threshold
        else:
            accepted = votes[0] & ~votes[0]
    for v, member in zip(votes, members, strict=True):
        if member in rule.vetoes:
            accepted = accepted & v
    return accepted
