"""Build :class:`~accord.prefs.tables.UtilityTables` from issues and preference models.

The outcome space is the product of each issue's discrete options:

- numeric issue: its ``levels`` (``low`` to ``high`` by ``step``, ``high`` included);
- ordinal or categorical issue: its options, in the issue's order;
- provision-set issue with provisions ``p_0 .. p_{k-1}`` (in the issue's order): all ``2**k``
  subsets, as frozensets, where subset number ``b`` holds ``p_i`` exactly when bit ``i`` of
  ``b`` is set. So option 0 is the empty set, option 1 is ``{p_0}``, option 2 is ``{p_1}``,
  option 3 is ``{p_0, p_1}``, and the last option is the full set. At most
  :data:`MAX_PROVISIONS` provisions per issue are tabulated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.model import Issue, NumericIssue, PreferenceModel, ProvisionIssue, Value
from accord.prefs.tables import UtilityTables
from accord.prefs.utility import normalised_weights
from accord.prefs.values import issue_values, worst_value

MAX_PROVISIONS = 12
"""Largest provision set tabulated (``2**12 = 4096`` subsets); split a larger clause issue."""


def issue_options(issue: Issue) -> tuple[Value, ...]:
    """The discrete options of ``issue`` in table order (see the module docstring).

    Raises
    ------
    ValueError
        For a provision issue with more than :data:`MAX_PROVISIONS` provisions.

    Examples
    --------
    >>> from accord.model import ProvisionIssue
    >>> ai = ProvisionIssue(id="ai", name="AI", provisions=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])
    >>> [sorted(s) for s in issue_options(ai)]
    [[], ['a'], ['b'], ['a', 'b']]
    """
    if isinstance(issue, NumericIssue):
        return issue.levels
    if isinstance(issue, ProvisionIssue):
        ids = issue.provision_ids
        if len(ids) > MAX_PROVISIONS:
            raise ValueError(
                f"issue {issue.id!r} has {len(ids)} provisions; at most {MAX_PROVISIONS} can be tabulated "
                f"(2**{len(ids)} subsets): split it into smaller clause issues"
            )
        return tuple(
            frozenset(p for i, p in enumerate(ids) if bits >> i & 1) for bits in range(2 ** len(ids))
        )
    return issue.options


def utility_tables(
    issues: Sequence[Issue],
    models: Sequence[PreferenceModel],
    options: Sequence[Sequence[Value]] | None = None,
) -> UtilityTables:
    """Additive utility tables of ``models`` (one column each, in order) over ``issues``.

    Each table entry is the normalised issue weight times the value of the option, so an
    outcome's utility is the offset plus one entry per issue, and equals
    :func:`accord.prefs.utility` of that package. An issue a model weighs that is not among
    ``issues`` counts at its worst value, in ``offset``; an issue a model does not weigh is a
    column of zeros.

    Parameters
    ----------
    issues
        The issues spanning the outcome space (ids unique).
    models
        One preference model per column.
    options
        Per issue, the valid positions to tabulate (default: every option, see
        :func:`issue_options`); a simulator narrows a large space to the bargaining range this
        way, with each value still measured on the whole issue.

    Raises
    ------
    ValueError
        On duplicate issue ids, a value function that does not fit its issue, or an oversized
        provision issue (see :func:`issue_options`).

    Examples
    --------
    >>> from accord.model import NumericIssue, PreferenceModel
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=4, step=2)
    >>> union = PreferenceModel(party="u", label="U", weights={"pay": 1},
    ...     values={"pay": {"kind": "linear", "direction": "higher"}})
    >>> boss = PreferenceModel(party="b", label="B", weights={"pay": 1},
    ...     values={"pay": {"kind": "linear", "direction": "lower"}})
    >>> tables = utility_tables([pay], [union, boss])
    >>> tables.options, tables.tables[0].tolist()
    (((0.0, 2.0, 4.0),), [[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]])
    """
    ids = [issue.id for issue in issues]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"issue ids must be unique; repeated: {repeated}")
    if options is None:
        chosen = tuple(issue_options(issue) for issue in issues)
    elif len(options) != len(issues):
        raise ValueError(f"options name {len(options)} issues; expected one per issue ({len(issues)})")
    else:
        chosen = tuple(tuple(opts) for opts in options)
        empty = [issue.id for issue, opts in zip(issues, chosen, strict=True) if not opts]
        if empty:
            raise ValueError(f"issue(s) {empty} have no options to tabulate")
    weights = [normalised_weights(model) for model in models]
    tables = []
    for issue, opts in zip(issues, chosen, strict=True):
        table = np.zeros((len(opts), len(models)), dtype=np.float64)
        for column, (model, weight) in enumerate(zip(models, weights, strict=True)):
            if weight.get(issue.id, 0.0) > 0:
                table[:, column] = weight[issue.id] * issue_values(
                    model.values[issue.id], issue, model.party, opts
                )
        tables.append(table)
    known = set(ids)
    offset = np.array(
        [
            sum(w * worst_value(model.values[i]) for i, w in weight.items() if i not in known)
            for model, weight in zip(models, weights, strict=True)
        ],
        dtype=np.float64,
    )
    return UtilityTables(
        issue_ids=tuple(ids),
        options=chosen,
        tables=tuple(tables),
        offset=offset,
        parties=tuple(model.party for model in models),
    )
