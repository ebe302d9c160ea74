"""The utility of one package for one party, and the party's disagreement value over time.

A party's utility is additive over issues (a linear additive utility function, as in Keeney &
Raiffa, *Decisions with Multiple Objectives*, 1976, ch. 3, and Raiffa, *The Art and Science of
Negotiation*, 1982, ch. 10):

    u(package) = sum_i  w_i / (sum_j w_j) * v_i(package[i])

with the weights ``w`` normalised to sum 1 and every value function ``v_i`` in ``[0, 1]``, so
utilities lie in ``[0, 1]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.model import Issue, PreferenceModel, Value


def normalised_weights(model: PreferenceModel) -> dict[str, float]:
    """The model's issue weights scaled to sum 1.

    Examples
    --------
    >>> from accord.model import PreferenceModel
    >>> model = PreferenceModel(party="u", label="U", weights={"pay": 3, "ai": 1},
    ...     values={"pay": {"kind": "linear"}, "ai": {"kind": "provisions", "values": {"ban": 1}}})
    >>> normalised_weights(model)
    {'pay': 0.75, 'ai': 0.25}
    """
    total = sum(model.weights.values())
    return {issue_id: weight / total for issue_id, weight in model.weights.items()}


def utility(model: PreferenceModel, issues: Sequence[Issue], package: Mapping[str, Value]) -> float:
    """The utility in ``[0, 1]`` of ``package`` (issue id -> position) for the model's party.

    An issue the model values but the package leaves out (or that is not among ``issues``)
    counts at that issue's **worst** value for the party: a package is judged on what it
    guarantees, and an unaddressed issue guarantees nothing. Issues the model does not weigh
    do not count.

    Raises
    ------
    ValueError
        When a position is not valid on its issue, or a value function does not fit its issue.

    Examples
    --------
    >>> from accord.model import NumericIssue, PreferenceModel
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10)
    >>> model = PreferenceModel(party="u", label="U", weights={"pay": 1},
    ...     values={"pay": {"kind": "linear", "direction": "higher"}})
    >>> utility(model, [pay], {"pay": 4.0}), utility(model, [pay], {})
    (0.4, 0.0)
    """
    # Imported here: accord.prefs (which imports this module) loads without the model.
    from accord.prefs.values import issue_values, worst_value

    by_id = {issue.id: issue for issue in issues}
    total = 0.0
    for issue_id, weight in normalised_weights(model).items():
        function = model.values[issue_id]
        issue = by_id.get(issue_id)
        if issue is None:
            value = worst_value(function)
        elif issue_id not in package:
            value = worst_value(function, issue)
        else:
            value = float(issue_values(function, issue, model.party, [package[issue_id]])[0])
        total += weight * value
    return total


def disagreement_value(model: PreferenceModel, days: float = 0, rounds: int = 0) -> float:
    """The utility of having no deal after ``days`` without one and ``rounds`` of bargaining:

        d = reservation * discount ** rounds - daily_cost * days

    The discount shrinks the walk-away value per round (as GENIUS discounts every utility per
    round); the daily cost (e.g. of each strike day) is subtracted per day, so the disagreement
    point moves down during a strike. It is not clipped: below 0 it says that a strike of this
    length costs more than the gap between the party's worst and best packages.

    Examples
    --------
    >>> from accord.model import PreferenceModel
    >>> model = PreferenceModel(party="u", label="U", weights={"pay": 1},
    ...     values={"pay": {"kind": "linear"}}, reservation=0.4, daily_cost=0.001, discount=0.9)
    >>> round(disagreement_value(model, days=100, rounds=2), 6)
    0.224
    """
    if days < 0 or rounds < 0:
        raise ValueError(f"days and rounds must be non-negative (got days={days}, rounds={rounds})")
    return model.reservation * model.discount**rounds - model.daily_cost * days
