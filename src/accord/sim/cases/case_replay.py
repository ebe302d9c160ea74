"""Replay a recorded negotiation from a date and compare the predicted settlement with the record.

:func:`replay` runs the reference engine on a :class:`~accord.sim.scenarios.from_case.CaseScenario` and
reads the result the way the record reads: the settlement package, the round and calendar date
it falls on, the strike day (day N, the start day being day 1; see docs/cases.md), and per issue
the distance (:func:`accord.ledger.gap_distance`, in ``[0, 1]``) between the predicted and the
actual final terms, those of the latest whole-contract tentative agreement between the two
sides (:func:`actual_settlement`).

The preference models behind a replay are usually assumptions; :attr:`Replay.assumed` names the
parties whose models say so, and every report built on a replay must say it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.ledger import effective_records, gap_distance, stoppages
from accord.model import Case, TentativeAgreement, Value
from accord.sim.cases.mediated import MediatedNegotiation, run_mediated
from accord.sim.engine.reference import Negotiation, run_negotiation
from accord.sim.scenarios.from_case import CaseScenario, Package
from accord.sim.strategies.base import Strategy


@dataclass(frozen=True, slots=True)
class Actual:
    """How the recorded negotiation ended: the whole-contract TA, its date and strike day."""

    agreement_id: str
    date: dt.date
    strike_day: int | None
    terms: Package


@dataclass(frozen=True, slots=True)
class IssueDistance:
    """Predicted and actual terms on one issue and their distance in ``[0, 1]``."""

    issue: str
    predicted: Value
    actual: Value
    distance: float


@dataclass(frozen=True, slots=True, eq=False)
class Replay:
    """A replayed negotiation, read against the calendar and the record.

    settlement: the agreed package (``None`` on a deadline or walk-out: no deal).
    round / day / date / strike_day: when it ended: the round, the strike days completed by
        then (the calendar day), the calendar date and "day N" of the strike (``None`` when no
        strike was in force).
    utilities: each utility column's utility of the settlement (before strike costs).
    distances: per issue with known actual terms, the distance from the actual final terms.
    """

    built: CaseScenario
    strategies: tuple[str, ...]
    seed: int
    n_rounds: int
    protocol: str
    negotiation: Negotiation | MediatedNegotiation
    settlement: Package | None
    round: int
    day: int
    date: dt.date | None
    strike_day: int | None
    utilities: dict[str, float]
    distances: tuple[IssueDistance, ...]
    actual: Actual | None

    @property
    def reason(self) -> str:
        return self.negotiation.reason

    @property
    def assumed(self) -> tuple[str, ...]:
        return self.built.assumed

    @property
    def mean_distance(self) -> float | None:
        if not self.distances:
            return None
        return float(np.mean([d.distance for d in self.distances]))


def actual_settlement(case: Case, union: str, counterpart: str) -> Actual | None:
    """The latest effective whole-contract tentative agreement between the two sides, if any.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     events=[{"id": "ta", "kind": "tentative_agreement", "date": "2023-09-24",
    ...              "parties": ["u", "e"], "terms": {"pay": 4}}])
    >>> actual_settlement(case, "u", "e").terms
    {'pay': 4.0}
    """
    found: TentativeAgreement | None = None
    for record in effective_records(case):
        if (
            isinstance(record, TentativeAgreement)
            and record.is_whole_contract
            and set(record.parties) == {union, counterpart}
        ):
            found = record
    if found is None:
        return None
    terms = {issue: p.value for issue, p in found.terms.items() if p.value is not None}
    strike_day = None
    for count in stoppages(case, found.date):
        if {count.by, count.against} == {union, counterpart} and count.day_number is not None:
            strike_day = count.day_number
    return Actual(found.id, found.date, strike_day, terms)


def package_distances(case: Case, predicted: Package, actual: Package) -> tuple[IssueDistance, ...]:
    """Per issue of ``case`` with actual terms, the distance of ``predicted`` from them
    (:func:`accord.ledger.gap_distance`, in ``[0, 1]``).

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}])
    >>> package_distances(case, {"pay": 6.0}, {"pay": 4.0})[0].distance
    0.2
    """
    return tuple(
        IssueDistance(
            issue.id,
            predicted[issue.id],
            actual[issue.id],
            gap_distance(issue, predicted[issue.id], actual[issue.id]),
        )
        for issue in case.issues
        if issue.id in actual and issue.id in predicted
    )


def replay(
    built: CaseScenario,
    case: Case,
    strategies: Sequence[Strategy],
    n_rounds: int = 100,
    *,
    seed: int = 0,
    protocol: str = "alternating",
    concept: str = "nash",
) -> Replay:
    """Run the replay of ``built`` (from :func:`~accord.sim.scenarios.from_case.scenario_from_case` on
    ``case``) with one strategy per side, and compare its settlement with the record.

    ``protocol`` is ``"alternating"`` (alternating offers, :func:`run_negotiation`) or
    ``"mediated"`` (a mediator's single text stepping toward the ``concept`` solution,
    :func:`~accord.sim.cases.mediated.run_mediated`).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case, PreferenceSet
    >>> from accord.sim.scenarios.from_case import scenario_from_case
    >>> from accord.sim.strategies import make_strategy
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}},
    ...                {"id": "p2", "date": "2023-05-02", "from": "e", "to": "u", "positions": {"pay": 2}}],
    ...     events=[{"id": "ta", "kind": "tentative_agreement", "date": "2023-06-01",
    ...              "parties": ["u", "e"], "terms": {"pay": 4}}])
    >>> prefs = PreferenceSet(case="c", models=[
    ...     {"party": "u", "label": "U", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "higher"}}},
    ...     {"party": "e", "label": "E", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "lower"}}}])
    >>> built = scenario_from_case(case, prefs, dt.date(2023, 5, 3))
    >>> r = replay(built, case, [make_strategy("linear")] * 2, n_rounds=10)
    >>> r.settlement, r.date, [(d.issue, d.distance) for d in r.distances]
    ({'pay': 4.0}, datetime.date(2023, 5, 8), [('pay', 0.0)])
    """
    scenario = built.scenario
    negotiation: Negotiation | MediatedNegotiation
    if protocol == "alternating":
        negotiation = run_negotiation(scenario, strategies, n_rounds, seed=seed)
        rounds = negotiation.end_turn // scenario.n_sides
    elif protocol == "mediated":
        negotiation = run_mediated(scenario, strategies, n_rounds, concept=concept, seed=seed)
        rounds = negotiation.end_round
    else:
        raise ValueError(f"unknown protocol {protocol!r}; expected 'alternating' or 'mediated'")
    day = int(scenario.calendar.day_of_round(np.array([rounds]))[0])
    actual = actual_settlement(case, built.union, built.counterpart)
    settlement: Package | None = None
    utilities: dict[str, float] = {}
    distances: tuple[IssueDistance, ...] = ()
    if negotiation.agreement >= 0:
        assert scenario.packages is not None
        settlement = scenario.packages.decode(negotiation.agreement)
        utilities = {c: float(scenario.U[negotiation.agreement, j]) for j, c in enumerate(scenario.columns)}
        if actual is not None:
            distances = package_distances(case, settlement, actual.terms)
    return Replay(
        built=built,
        strategies=tuple(s.label() for s in strategies),
        seed=seed,
        n_rounds=n_rounds,
        protocol=protocol,
        negotiation=negotiation,
        settlement=settlement,
        round=int(rounds),
        day=day,
        date=built.date_of_day(day),
        strike_day=day + 1 if built.stoppage is not None else None,
        utilities=utilities,
        distances=distances,
        actual=actual,
    )
