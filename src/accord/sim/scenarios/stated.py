"""A simulated negotiation of a real case: the outcome space spanned by the positions on the
table, valued by the preferences given (the service passes those the viewer may see).

Per issue, the options are the values either side has stated up to the date (for a provision
issue also the union and the intersection of the stated sets), so the space stays small (a few
hundred packages) and every package is made of positions someone actually put on the table. An
issue neither side has stated a value on is left out of the space; a side that weighs it counts
it at its worst value (as :func:`accord.prefs.utility` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from math import prod

import numpy as np

from accord import ledger
from accord.model import (
    Case,
    Issue,
    NumericIssue,
    PreferenceModel,
    Proposal,
    ProvisionIssue,
    Value,
    request_limits,
)
from accord.prefs import UtilityTables, issue_values, normalised_weights, worst_value
from accord.sim.scenarios.generate import scenario_from_tables
from accord.sim.scenarios.scenario import Calendar, Scenario

MAX_OUTCOMES = request_limits.SIMULATION_OUTCOMES


class ScenarioProblem(ValueError):
    """Why a case gives no scenario, and the input at fault (``field``: ``preferences`` or
    ``as_of``); the service turns it into a refusal naming that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def stated_options(case: Case, as_of: dt.date, sides: tuple[str, str]) -> dict[str, tuple[Value, ...]]:
    """Per issue, the values the two sides stated up to ``as_of`` (issues with none left out).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}},
    ...                {"id": "p2", "date": "2023-05-02", "from": "e", "to": "u", "positions": {"pay": 4}}])
    >>> stated_options(case, dt.date(2023, 6, 1), ("u", "e"))
    {'pay': (4.0, 6.0)}
    """
    found: dict[str, list[Value]] = {}
    for record in ledger.effective_records(case, as_of):
        if not isinstance(record, Proposal) or record.from_party not in sides:
            continue
        if record.status.value in ("draft", "withdrawn"):
            continue
        for issue_id, position in record.positions.items():
            if position.value is not None and position.value not in found.setdefault(issue_id, []):
                found[issue_id].append(position.value)
    latest = [ledger.positions_as_of(case, as_of, side) for side in sides]
    options: dict[str, tuple[Value, ...]] = {}
    for issue in case.issues:
        values = found.get(issue.id)
        if values:
            standing = [at[issue.id].value for at in latest if issue.id in at]
            options[issue.id] = _complete(issue, values, standing)
    return options


def _complete(issue: Issue, values: list[Value], standing: list[Value | None]) -> tuple[Value, ...]:
    """The stated values; for provisions also the union and intersection of the sides' latest
    sets (what both offer, what either wants)."""
    if isinstance(issue, ProvisionIssue):
        sets = [v for v in values if isinstance(v, frozenset)]
        latest = [v for v in standing if isinstance(v, frozenset)]
        extra = [frozenset().union(*latest), frozenset.intersection(*latest)] if latest else []
        unique = list(dict.fromkeys([*sets, *extra]))
        return tuple(sorted(unique, key=lambda s: (len(s), sorted(s))))
    if isinstance(issue, NumericIssue):
        return tuple(sorted({float(v) for v in values if isinstance(v, (int, float))}))
    return tuple(dict.fromkeys(values))


def case_scenario(
    case: Case,
    as_of: dt.date,
    models: Sequence[PreferenceModel],
    *,
    days_per_round: float = 1.0,
) -> Scenario:
    """The scenario of ``case`` as of ``as_of`` between its two sides, with their ``models``.

    The calendar starts at the days of stoppage between the sides completed by ``as_of`` (so
    each side's disagreement value has already eroded by then), one round a day by default.

    Raises :class:`ScenarioProblem` when a side has no model, or when the positions span no
    package (or too many).
    """
    sides = ledger.sides(case)
    by_party = {m.party: m for m in models}
    missing = [s for s in sides if s not in by_party]
    if missing:
        raise ScenarioProblem("preferences", f"a simulation needs the preferences of {missing}")
    options = stated_options(case, as_of, sides)
    if not options:
        raise ScenarioProblem("as_of", f"no side stated a position by {as_of.isoformat()}")
    n_outcomes = prod(len(values) for values in options.values())
    if n_outcomes > MAX_OUTCOMES:  # counted before anything is tabulated
        raise ScenarioProblem("as_of", f"{n_outcomes} packages: more than {MAX_OUTCOMES}")
    issues = {i.id: i for i in case.issues}
    pair = [by_party[s] for s in sides]
    tables = utility_tables_over(options, issues, pair)
    days = sum(s.days_completed for s in ledger.stoppages(case, as_of) if {s.by, s.against} == set(sides))
    return scenario_from_tables(
        f"{case.id} as of {as_of.isoformat()}",
        tables,
        reservation=[m.reservation for m in pair],
        discount=[m.discount for m in pair],
        daily_cost=[m.daily_cost for m in pair],
        calendar=Calendar(start_day=days, days_per_round=days_per_round),
    )


def utility_tables_over(
    options: dict[str, tuple[Value, ...]], issues: dict[str, Issue], models: Sequence[PreferenceModel]
) -> UtilityTables:
    """Additive tables of ``models`` over the given options per issue (the same utilities as
    :func:`accord.prefs.utility` of each package)."""
    ids = tuple(options)
    tables = []
    offset = np.zeros(len(models))
    for issue_id in ids:
        column = []
        for model in models:
            weight = normalised_weights(model).get(issue_id, 0.0)
            if weight == 0.0:
                column.append(np.zeros(len(options[issue_id])))
                continue
            values = issue_values(model.values[issue_id], issues[issue_id], model.party, options[issue_id])
            column.append(weight * values)
        tables.append(np.column_stack(column))
    for j, model in enumerate(models):
        for issue_id, weight in normalised_weights(model).items():
            if issue_id not in options:
                offset[j] += weight * worst_value(model.values[issue_id], issues.get(issue_id))
    return UtilityTables(
        ids, tuple(options[i] for i in ids), tuple(tables), offset, tuple(m.party for m in models)
    )
