"""Scenarios from real inputs: a recorded case with preference models, or an imported domain.

:func:`scenario_from_case` turns a case, as it stood on a date, into a :class:`Scenario`:

- **Sides.** The union and its counterpart (:func:`accord.ledger.sides` unless given). With
  ``members=False`` the counterpart speaks with one voice, by its own (aggregate) model; with
  ``members=True`` it is a coalition whose members each vote by their own model under the
  coalition's decision rule (the counterpart must be a coalition with a model per member).
- **Openings.** Each side's latest position per issue as of ``from_date``
  (:func:`accord.ledger.positions_as_of`; a position stated without a value carries the last
  value the side did state). An issue a side has not addressed is **filled with the side's most
  preferred option under its own model**: silence concedes nothing. Every filled issue is
  listed in :attr:`CaseScenario.filled` so a report can show it. The union moves first and the
  counterpart's opening is the standing offer (see :mod:`accord.sim.scenarios.scenario`).
- **The outcome space** is the bargaining range between the openings, so that it stays small
  enough to enumerate: a numeric issue spans the levels between the two positions (at most
  ``max_levels`` of them, evenly spaced, both ends kept); an ordinal issue the options between;
  a categorical issue the two positions; a provision issue keeps the provisions both positions
  hold, leaves out those neither holds, and lets each provision on which they differ be in or
  out. So a provision *neither* side had tabled by the date can never be agreed in the
  simulation. An issue with no position from either side spans its whole range. Without
  ``from_date`` there are no openings and the space spans every position either side took on the
  record.
- **Utilities** are the models' additive utilities, each option valued on the whole issue
  (:func:`accord.prefs.utility_tables` with the narrowed options).
- **Time.** Round 0 falls on ``from_date``; each round takes ``days_per_round`` days. The
  calendar starts at the number of days the union's strike (or lockout) against the
  counterpart had been in force before ``from_date`` (0 when none had begun), so each side's
  disagreement value, ``reservation - daily_cost * days``, has already fallen by the strike
  days behind it. Reservation values and daily costs come from the models; a model's per-round
  discount ``d`` becomes ``d ** (1 / n_sides)`` per turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.analysis.space import enumerate_utilities
from accord.ledger import positions_as_of, sides, stoppages
from accord.ledger.stoppages_view import StoppageState
from accord.model import (
    Case,
    CategoricalIssue,
    Issue,
    NumericIssue,
    OrdinalIssue,
    PreferenceModel,
    PreferenceSet,
    ProvisionIssue,
    Value,
)
from accord.model.exact import ExactProfile
from accord.prefs.exact import exact_tables, to_float
from accord.prefs.tabulate import issue_options, utility_tables
from accord.prefs.values import issue_values
from accord.sim.scenarios.generate import additive_utilities
from accord.sim.scenarios.scenario import Calendar, PackageSpace, Scenario, Side

Package = dict[str, Value]


@dataclass(frozen=True, slots=True)
class Filled:
    """One issue of a side's opening that the record did not give: ``value`` is what was used."""

    party: str
    issue: str
    value: Value
    reason: str


@dataclass(frozen=True, slots=True, eq=False)
class CaseScenario:
    """A scenario built from a case, with what a report needs to relate it to the record.

    openings: each side's opening package (union first), ``{}`` without ``from_date``.
    filled: the issues of the openings that were filled in (see the module docstring).
    start_day: strike days completed before round 0 (the calendar's start).
    stoppage: the id of the strike or lockout counted, if any.
    assumed: the parties whose models are marked as assumptions.
    """

    scenario: Scenario
    case_id: str
    union: str
    counterpart: str
    members: tuple[str, ...]
    from_date: dt.date | None
    openings: tuple[Package, ...]
    filled: tuple[Filled, ...]
    start_day: int
    stoppage: str | None
    assumed: tuple[str, ...]

    def date_of_day(self, day: int) -> dt.date | None:
        """The calendar date of simulated day ``day`` (``None`` without ``from_date``)."""
        if self.from_date is None:
            return None
        return self.from_date + dt.timedelta(days=int(day) - self.start_day)


def _best_option(model: PreferenceModel, issue: Issue) -> Value:
    """The option of ``issue`` the model values most (the first of equals, in table order)."""
    options = issue_options(issue)
    function = model.values.get(issue.id)
    if function is None or model.weights.get(issue.id, 0.0) <= 0:
        return options[0]
    return options[int(np.argmax(issue_values(function, issue, model.party, options)))]


def _opening(case: Case, model: PreferenceModel, party: str, as_of: dt.date) -> tuple[Package, list[Filled]]:
    stated = positions_as_of(case, as_of, party)
    package: Package = {}
    filled: list[Filled] = []
    for issue in case.issues:
        at = stated.get(issue.id)
        if at is not None and at.value is not None:
            package[issue.id] = at.value
            continue
        package[issue.id] = _best_option(model, issue)
        why = (
            f"no value stated by {as_of.isoformat()} (latest: {at.proposal_id})"
            if at is not None
            else f"no position by {as_of.isoformat()}"
        )
        filled.append(Filled(party, issue.id, package[issue.id], f"{why}; its most preferred option"))
    return package, filled


def _numeric_range(issue: NumericIssue, values: Sequence[float], max_levels: int) -> tuple[float, ...]:
    levels = np.array(issue.levels)
    if values:
        lo, hi = min(values), max(values)
        # the positions themselves as the ends (one may lie between the issue's steps)
        inside = levels[(levels > lo + 1e-9) & (levels < hi - 1e-9)]
        levels = np.concatenate([[lo], inside, [hi]]) if hi > lo else np.array([lo])
    if levels.size > max_levels:
        keep = np.unique(np.round(np.linspace(0, levels.size - 1, max_levels)).astype(int))
        levels = levels[keep]
    return tuple(float(v) for v in levels)


def _ordered_range(issue: OrdinalIssue, values: Sequence[Value]) -> tuple[Value, ...]:
    if not values:
        return issue.options
    at = [issue.options.index(str(v)) for v in values]
    return issue.options[min(at) : max(at) + 1]


def _provision_range(issue: ProvisionIssue, values: Sequence[Value]) -> tuple[Value, ...]:
    if not values:
        return issue_options(issue)
    sets = [frozenset(v) for v in values if isinstance(v, frozenset)]
    common = frozenset.intersection(*sets)
    free = [p for p in issue.provision_ids if p in frozenset.union(*sets) and p not in common]
    return tuple(
        common | frozenset(p for i, p in enumerate(free) if bits >> i & 1) for bits in range(2 ** len(free))
    )


def bargaining_options(issue: Issue, values: Sequence[Value], max_levels: int = 9) -> tuple[Value, ...]:
    """The options of ``issue`` between the positions ``values`` (see the module docstring).

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20, step=0.1)
    >>> bargaining_options(pay, [13.0, 16.9], max_levels=5)
    (13.0, 14.0, 15.0, 15.9, 16.9)
    """
    if max_levels < 2:
        raise ValueError(f"max_levels must be >= 2, got {max_levels}")
    if isinstance(issue, NumericIssue):
        return _numeric_range(issue, [float(v) for v in values if isinstance(v, (int, float))], max_levels)
    if isinstance(issue, OrdinalIssue):
        return _ordered_range(issue, values)
    if isinstance(issue, CategoricalIssue):
        return tuple(o for o in issue.options if o in values) if values else issue.options
    return _provision_range(issue, values)


def _record_values(case: Case, party: str, issue_id: str) -> list[Value]:
    found: list[Value] = []
    for proposal in case.proposals:
        position = proposal.positions.get(issue_id) if proposal.from_party == party else None
        if position is not None and position.value is not None:
            found.append(position.value)
    return found


def _strike_days(case: Case, union: str, counterpart: str, as_of: dt.date) -> tuple[int, str | None]:
    for count in stoppages(case, as_of):
        if {count.by, count.against} == {union, counterpart} and count.state is not StoppageState.NOT_STARTED:
            if count.state is StoppageState.ENDED and count.last_day is not None and count.last_day < as_of:
                continue
            return count.days_completed, count.stoppage
    return 0, None


def scenario_from_case(
    case: Case,
    prefs: PreferenceSet,
    from_date: dt.date | None = None,
    *,
    members: bool = False,
    union: str | None = None,
    counterpart: str | None = None,
    days_per_round: float = 1.0,
    max_levels: int = 9,
) -> CaseScenario:
    """A scenario of ``case`` as it stood on ``from_date``, with the models of ``prefs``.

    See the module docstring for the sides, openings, outcome space and calendar.

    Raises
    ------
    ValueError
        When a party has no model, ``members=True`` and the counterpart is not a coalition with
        a model per member, or the narrowed outcome space is too large to enumerate.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case, PreferenceSet
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}},
    ...                {"id": "p2", "date": "2023-05-02", "from": "e", "to": "u", "positions": {"pay": 2}}])
    >>> prefs = PreferenceSet(case="c", models=[
    ...     {"party": "u", "label": "U", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "higher"}}},
    ...     {"party": "e", "label": "E", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "lower"}}}])
    >>> built = scenario_from_case(case, prefs, dt.date(2023, 5, 3))
    >>> built.scenario.packages.options, built.openings
    (((2.0, 3.0, 4.0, 5.0, 6.0),), ({'pay': 6.0}, {'pay': 2.0}))
    """
    default_union, default_counterpart = sides(case)
    union = union or default_union
    counterpart = counterpart or default_counterpart
    union_model, counter_model, member_ids = _models(case, prefs, union, counterpart, members)
    openings, filled, values = _positions(case, (union_model, counter_model), from_date)
    options = [bargaining_options(issue, values[issue.id], max_levels) for issue in case.issues]
    size = int(np.prod([len(o) for o in options], dtype=np.float64))
    if size > 5_000_000:
        raise ValueError(f"the outcome space has {size:,} packages; lower max_levels or give from_date")
    column_models = (
        [union_model, *(prefs.model(m) for m in member_ids)] if members else [union_model, counter_model]
    )
    start_day, stoppage = _strike_days(case, union, counterpart, from_date) if from_date else (0, None)
    if members:
        rule = case.party(counterpart).rule
        side_list = (Side(union, (0,)), Side(counterpart, tuple(range(1, len(column_models))), rule))
    else:
        side_list = (Side(union, (0,)), Side(counterpart, (1,)))
    name = f"{case.id}{'-members' if members else ''}{'@' + from_date.isoformat() if from_date else ''}"
    calendar = Calendar(start_day, days_per_round)
    scenario = _scenario(name, case, column_models, options, side_list, calendar, openings)
    assumed = tuple(m.party for m in (union_model, counter_model, *column_models[1:]) if m.assumption)
    return CaseScenario(
        scenario=scenario,
        case_id=case.id,
        union=union,
        counterpart=counterpart,
        members=member_ids,
        from_date=from_date,
        openings=openings,
        filled=tuple(filled),
        start_day=start_day,
        stoppage=stoppage,
        assumed=tuple(dict.fromkeys(assumed)),
    )


def _positions(
    case: Case, models: tuple[PreferenceModel, PreferenceModel], from_date: dt.date | None
) -> tuple[tuple[Package, ...], list[Filled], dict[str, list[Value]]]:
    """The two sides' openings on ``from_date`` (and the values filled in where a side stated
    none), and per issue the values the options span: the openings', or without a date every
    value either side ever stated."""
    (union_model, counter_model), issues = models, case.issues
    union, counterpart = union_model.party, counter_model.party
    if from_date is None:
        values = {
            i.id: _record_values(case, union, i.id) + _record_values(case, counterpart, i.id) for i in issues
        }
        return (), [], values
    union_opening, union_filled = _opening(case, union_model, union, from_date)
    counter_opening, counter_filled = _opening(case, counter_model, counterpart, from_date)
    openings = (union_opening, counter_opening)
    return openings, union_filled + counter_filled, {i.id: [o[i.id] for o in openings] for i in issues}


def _models(
    case: Case, prefs: PreferenceSet, union: str, counterpart: str, members: bool
) -> tuple[PreferenceModel, PreferenceModel, tuple[str, ...]]:
    """The union's and the counterpart's models, and the counterpart's members (with
    ``members``); ``ValueError`` naming a party or member that is unknown or has no model."""
    known = {p.id for p in case.parties}
    for party in (union, counterpart):
        if party not in known:
            raise ValueError(f"unknown party {party!r}; expected one of {sorted(known)}")
    try:
        union_model, counter_model = prefs.model(union), prefs.model(counterpart)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    if not members:
        return union_model, counter_model, ()
    coalition = case.party(counterpart)
    if not coalition.is_coalition or not coalition.members:
        raise ValueError(f"{counterpart!r} is not a coalition with members")
    missing = [m for m in coalition.members if m not in prefs.parties]
    if missing:
        raise ValueError(f"no preference model for member(s) {missing} of {counterpart!r}")
    return union_model, counter_model, coalition.members


def _scenario(
    name: str,
    case: Case,
    column_models: list[PreferenceModel],
    options: list[tuple[Value, ...]],
    side_list: tuple[Side, Side],
    calendar: Calendar,
    openings: tuple[Package, ...],
) -> Scenario:
    """The scenario over ``options``, one column per model (the union first); each model's
    discount spread over the two sides' turns."""
    tables = utility_tables(case.issues, column_models, options)
    space = PackageSpace(tables.issue_ids, tables.options)
    columns = tables.parties
    n_sides = 2
    return Scenario(
        name=name,
        U=additive_utilities(tables),
        columns=columns,
        sides=side_list,
        reservation=np.array([m.reservation for m in column_models]),
        discount=np.array([m.discount ** (1 / n_sides) for m in column_models]),
        daily_cost=np.array([m.daily_cost for m in column_models]),
        calendar=calendar,
        packages=space,
        openings=tuple(encode(space, o) for o in openings),
    )


def encode(space: PackageSpace, package: Package) -> int:
    """The outcome index of ``package`` in ``space`` (every issue's value must be an option).

    Examples
    --------
    >>> encode(PackageSpace(("pay", "ai"), ((3.0, 5.0), ("none", "full"))), {"pay": 5.0, "ai": "full"})
    3
    """
    index = []
    for issue_id, opts in zip(space.issue_ids, space.options, strict=True):
        value = package[issue_id]
        if value not in opts:
            raise ValueError(f"{value!r} is not an option of {issue_id!r} in this space")
        index.append(opts.index(value))
    return int(np.ravel_multi_index(tuple(index), space.shape))


def scenario_from_models(
    name: str,
    issues: Sequence[Issue],
    models: Sequence[PreferenceModel],
    *,
    max_outcomes: int = 5_000_000,
    exact: Sequence[ExactProfile] | None = None,
) -> Scenario:
    """A scenario where each model's party speaks for itself over the whole outcome space of
    ``issues`` (an imported GENIUS or GeniusWeb domain): reservation values, daily costs and
    discounts from the models (a per-round discount ``d`` as ``d ** (1 / n_parties)`` per turn).

    With ``exact`` (the importer's exact values, one per model) every utility is the double
    nearest to its exact value, so utilities equal on paper are equal (the frontier and the
    solutions the metrics use see every tie), and the reservation values are the files' own.

    Raises
    ------
    ValueError
        When the space has more than ``max_outcomes`` packages.

    Examples
    --------
    >>> from accord.model import NumericIssue, PreferenceModel
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=4, step=2)
    >>> u = PreferenceModel(party="u", label="U", weights={"pay": 1},
    ...     values={"pay": {"kind": "linear", "direction": "higher"}}, reservation=0.25)
    >>> b = PreferenceModel(party="b", label="B", weights={"pay": 1},
    ...     values={"pay": {"kind": "linear", "direction": "lower"}})
    >>> s = scenario_from_models("pay", [pay], [u, b])
    >>> s.U.tolist(), s.reservation.tolist()
    ([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]], [0.25, 0.0])
    """
    size = int(np.prod([len(issue_options(i)) for i in issues], dtype=np.float64))
    if size > max_outcomes:
        raise ValueError(
            f"{name}: the outcome space has {size:,} packages; at most {max_outcomes:,} can be simulated"
        )
    tables = utility_tables(issues, models)
    k = len(models)
    U = additive_utilities(tables)
    reservation = [m.reservation for m in models]
    if exact is not None:
        precise = exact_tables(issues, models, exact)
        if precise.offset.dtype == np.int64:  # else (Python integers) too slow to enumerate: keep floats
            U = to_float(enumerate_utilities(precise), precise.unit or ())
            reservation = [float(p.reservation) for p in exact]
    return Scenario.bilateral(
        name,
        U,
        tables.parties,
        reservation=reservation,
        discount=[m.discount ** (1 / k) for m in models],
        daily_cost=[m.daily_cost for m in models],
        packages=PackageSpace(tables.issue_ids, tables.options),
    )
