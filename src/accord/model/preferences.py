"""Preference models: what one party (or one coalition member) values, and how much.

A preference model is private to its party. It lives in its own file, apart from the public case,
and says:

- how much each issue matters (``weights``, normalised to sum 1 when utilities are computed);
- how each issue's positions are valued (one *value function* per issue, mapping to ``[0, 1]``);
- the walk-away point (``reservation``) and how it erodes while there is no deal
  (``daily_cost`` per day, e.g. per strike day, and ``discount`` per bargaining round).

The value functions (one per kind of issue) are in :mod:`accord.model.value_functions`, the
costing parameters of a preference file in :mod:`accord.model.costing`; both are re-exported here.

The evaluation itself (utilities, tables, coalition rules, costing) is in :mod:`accord.prefs`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field, field_validator, model_validator

from accord.model.common import Frozen, Id
from accord.model.costing import Costing, CostItem, OptionCost, ProvisionCost, RaiseCost, UnitCost
from accord.model.issue import Issue, NumericIssue, OptionIssue, ProvisionIssue
from accord.model.limits import Name, Text, sum_problem
from accord.model.problems import Path, Problem
from accord.model.value_functions import (
    Finite,
    LinearValue,
    NonNegative,
    OptionValue,
    PiecewiseValue,
    Point,
    ProvisionValue,
    StepValue,
    Unit,
    ValueFunction,
)

if TYPE_CHECKING:
    from accord.model.case import Case

__all__ = [
    "CostItem",
    "Costing",
    "Finite",
    "LinearValue",
    "NonNegative",
    "OptionCost",
    "OptionValue",
    "PiecewiseValue",
    "Point",
    "PreferenceModel",
    "PreferenceSet",
    "ProvisionCost",
    "ProvisionValue",
    "RaiseCost",
    "StepValue",
    "Unit",
    "UnitCost",
    "ValueFunction",
    "Visibility",
    "preference_problems",
]


class Visibility(StrEnum):
    """Who may see a preference model: its own party only, the parties in ``shared_with``
    (e.g. a mediator), or everyone (e.g. a published illustrative model)."""

    PRIVATE = "private"
    SHARED = "shared"
    PUBLIC = "public"


class PreferenceModel(Frozen):
    """One party's (or one coalition member's) preferences over a case's issues.

    ``assumption`` marks a model that is a modeller's guess rather than the party's own
    statement; such a model must give its ``rationale``.
    """

    party: Id
    label: Name
    assumption: bool = False
    rationale: Text | None = None
    sources: tuple[Id, ...] = Field(default=(), description="Ids of the case's sources behind the rationale.")
    weights: dict[Id, NonNegative] = Field(min_length=1, description="Issue id -> importance (any scale).")
    values: dict[Id, ValueFunction] = Field(min_length=1, description="Issue id -> value function.")
    reservation: Unit = Field(default=0.0, description="Utility of walking away (no deal).")
    daily_cost: NonNegative = Field(default=0.0, description="Utility lost per day without a deal.")
    discount: float = Field(default=1.0, gt=0.0, le=1.0, description="Factor per bargaining round.")
    visibility: Visibility = Visibility.PRIVATE
    shared_with: tuple[Id, ...] = ()

    @field_validator("weights")
    @classmethod
    def _weights_add_up(cls, weights: dict[str, float]) -> dict[str, float]:
        overflow = sum_problem(weights.values(), "weights")  # normalised by their sum
        if overflow:
            raise ValueError(overflow)
        return weights

    @model_validator(mode="after")
    def _consistent(self) -> PreferenceModel:
        if not any(weight > 0 for weight in self.weights.values()):
            raise ValueError("at least one issue weight must be above 0 (all weights are 0)")
        unvalued = sorted(set(self.weights) - set(self.values))
        if unvalued:
            raise ValueError(f"issue(s) {unvalued} have a weight but no value function")
        unweighted = sorted(set(self.values) - set(self.weights))
        if unweighted:
            raise ValueError(f"issue(s) {unweighted} have a value function but no weight")
        if self.assumption and not (self.rationale and self.rationale.strip()):
            raise ValueError("a model marked 'assumption: true' must give its rationale")
        if self.visibility is Visibility.SHARED and not self.shared_with:
            raise ValueError("visibility 'shared' needs 'shared_with' (the party ids it is shared with)")
        if self.shared_with and self.visibility is not Visibility.SHARED:
            raise ValueError(f"'shared_with' is only for visibility 'shared' (got {self.visibility.value!r})")
        return self

    def is_visible_to(self, party_id: str) -> bool:
        """Whether ``party_id`` may see this model (its own party always may)."""
        return (
            party_id == self.party
            or self.visibility is Visibility.PUBLIC
            or (self.visibility is Visibility.SHARED and party_id in self.shared_with)
        )


class PreferenceSet(Frozen):
    """A preference file: the models of some parties of one case, and optional costing."""

    case: Id
    description: Text | None = None
    models: tuple[PreferenceModel, ...] = Field(min_length=1)
    costing: Costing | None = None

    @model_validator(mode="after")
    def _one_model_per_party(self) -> PreferenceSet:
        counts = Counter(m.party for m in self.models)
        repeated = sorted(party for party, count in counts.items() if count > 1)
        if repeated:
            raise ValueError(f"more than one model for party {repeated}")
        return self

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(m.party for m in self.models)

    def model(self, party_id: str) -> PreferenceModel:
        """The model of ``party_id``; ``KeyError`` naming the known parties when there is none."""
        for model in self.models:
            if model.party == party_id:
                return model
        raise KeyError(f"no preference model for {party_id!r}; models exist for {list(self.parties)}")


# --- cross-references against a case ---------------------------------------------------------


def costing_problems(costing: Costing, case: Case) -> list[Problem]:
    """Every way the costing parameters ``costing`` do not fit ``case`` (the checks of
    :func:`preference_problems` on a preference file's ``costing``), paths from the costing."""
    checker = _PrefsChecker(PreferenceSet.model_construct(case=case.id, models=(), costing=costing), case)
    checker.check_costing((), costing)
    return checker.problems


def preference_problems(prefs: PreferenceSet, case: Case) -> list[Problem]:
    """Every way ``prefs`` does not fit ``case``, each with the path of the field at fault.

    Checks: the case id; unknown parties, issues, options, provisions and sources; a value
    function of the wrong kind for its issue; an option with no score; a linear value with no
    direction (neither in the model nor in the issue); parties in ``shared_with``; costing items
    that name unknown issues, options or provisions.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}],
    ...     issues=[{"type": "numeric", "id": "pay", "name": "Pay", "unit": "%", "low": 0, "high": 9}])
    >>> prefs = PreferenceSet(case="c", models=[{"party": "u", "label": "U",
    ...     "weights": {"pay": 1, "ai": 1}, "values": {"pay": {"kind": "linear"}, "ai": {"kind": "linear"}}}])
    >>> [str(p) for p in preference_problems(prefs, case)]  # doctest: +NORMALIZE_WHITESPACE
    ["models[0].values.pay.direction: no direction for party 'u': give 'direction' or set the
      issue's directions", "models[0].weights.ai: unknown issue 'ai'; expected one of ['pay']"]
    """
    return _PrefsChecker(prefs, case).check()


@dataclass
class _PrefsChecker:
    prefs: PreferenceSet
    case: Case

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        self.parties = {p.id for p in self.case.parties}
        self.issues = {i.id: i for i in self.case.issues}
        self.sources = {s.id for s in self.case.sources}

    def add(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def check(self) -> list[Problem]:
        if self.prefs.case != self.case.id:
            self.add(("case",), f"preferences are for case {self.prefs.case!r}, not {self.case.id!r}")
        for index, model in enumerate(self.prefs.models):
            self.check_model(("models", index), model)
        if self.prefs.costing is not None:
            self.check_costing(("costing",), self.prefs.costing)
        return self.problems

    def known_party(self, path: Path, party_id: str) -> None:
        if party_id not in self.parties:
            self.add(path, f"unknown party {party_id!r}; expected one of {sorted(self.parties)}")

    def known_issue(self, path: Path, issue_id: str) -> bool:
        if issue_id in self.issues:
            return True
        self.add(path, f"unknown issue {issue_id!r}; expected one of {sorted(self.issues)}")
        return False

    def check_model(self, path: Path, model: PreferenceModel) -> None:
        self.known_party((*path, "party"), model.party)
        for index, party_id in enumerate(model.shared_with):
            self.known_party((*path, "shared_with", index), party_id)
        for index, source_id in enumerate(model.sources):
            if source_id not in self.sources:
                self.add((*path, "sources", index), f"unknown source {source_id!r}")
        for issue_id, function in model.values.items():
            if issue_id in self.issues:
                self.check_value(model.party, (*path, "values", issue_id), issue_id, function)
        for issue_id in model.weights:
            self.known_issue((*path, "weights", issue_id), issue_id)

    def check_value(self, party_id: str, path: Path, issue_id: str, function: ValueFunction) -> None:
        issue = self.issues[issue_id]
        expected = {
            NumericIssue: "'linear', 'piecewise' or 'steps'",
            ProvisionIssue: "'provisions'",
        }.get(type(issue), "'options'")
        if isinstance(function, (LinearValue, PiecewiseValue, StepValue)):
            if not isinstance(issue, NumericIssue):
                self.add((*path, "kind"), f"issue {issue_id!r} is {issue.type}; expected kind {expected}")
            elif (
                isinstance(function, LinearValue)
                and function.direction is None
                and party_id not in issue.directions
            ):
                self.add(
                    (*path, "direction"),
                    f"no direction for party {party_id!r}: give 'direction' or set the issue's directions",
                )
        elif isinstance(function, OptionValue):
            if not isinstance(issue, OptionIssue):
                self.add((*path, "kind"), f"issue {issue_id!r} is {issue.type}; expected kind {expected}")
                return
            for option in function.scores:
                if option not in issue.options:
                    self.add(
                        (*path, "scores", option),
                        f"unknown option {option!r} of {issue_id!r}; expected one of {list(issue.options)}",
                    )
            missing = [o for o in issue.options if o not in function.scores]
            if missing:
                self.add((*path, "scores"), f"no score for option(s) {missing} of {issue_id!r}")
        elif not isinstance(issue, ProvisionIssue):
            self.add((*path, "kind"), f"issue {issue_id!r} is {issue.type}; expected kind {expected}")
        else:
            for provision_id in function.values:
                if provision_id not in issue.provision_ids:
                    self.add(
                        (*path, "values", provision_id),
                        f"unknown provision {provision_id!r} of {issue_id!r}; "
                        f"expected one of {list(issue.provision_ids)}",
                    )

    def check_costing(self, path: Path, costing: Costing) -> None:
        for party_id in costing.shares:
            if party_id not in self.parties:
                self.add((*path, "shares", party_id), f"unknown party {party_id!r}")
        for index, source_id in enumerate(costing.sources):
            if source_id not in self.sources:
                self.add((*path, "sources", index), f"unknown source {source_id!r}")
        estimates = [e.id for e in self.case.estimates]
        for index, estimate_id in enumerate(costing.derived_from):
            if estimate_id not in estimates:
                self.add((*path, "derived_from", index), f"unknown estimate {estimate_id!r}")
        for index, item in enumerate(costing.items):
            item_path: Path = (*path, "items", index)
            if self.known_issue((*item_path, "issue"), item.issue):
                self.check_cost_item(item_path, item, self.issues[item.issue])

    def check_cost_item(self, path: Path, item: CostItem, issue: Issue) -> None:
        """One costing item fits the kind of issue it costs."""
        if isinstance(item, UnitCost) and not isinstance(issue, NumericIssue):
            self.add((*path, "kind"), f"'per_unit' needs a numeric issue; {item.issue!r} is {issue.type}")
        elif isinstance(item, ProvisionCost):
            self.check_keys((*path, "costs"), item.costs, issue, ProvisionIssue, "per_provision")
        elif isinstance(item, OptionCost):
            self.check_keys((*path, "costs"), item.costs, issue, OptionIssue, "per_option")
        elif isinstance(item, RaiseCost):
            if isinstance(issue, OptionIssue):
                self.check_keys((*path, "patterns"), item.patterns, issue, OptionIssue, "raises")
                missing = [o for o in issue.options if o not in item.patterns]
                if missing:
                    self.add((*path, "patterns"), f"no raises for option(s) {missing}")
            elif not isinstance(issue, NumericIssue):
                self.add((*path, "kind"), f"'raises' needs a numeric or option issue, not {issue.type}")
            else:
                self.check_numeric_patterns((*path, "patterns"), item, issue)

    def check_numeric_patterns(self, path: Path, item: RaiseCost, issue: NumericIssue) -> None:
        """Each key a value of the issue; with ``compounded``, a pattern that compounds to it
        (within half a step: the record rounds compounded figures to the issue's step)."""
        for key, raises in item.patterns.items():
            try:
                value = float(key)
            except ValueError:
                self.add((*path, key), f"expected a value of numeric issue {issue.id!r}, got {key!r}")
                continue
            error = issue.value_error(value)
            if error:
                self.add((*path, key), error)
                continue
            if item.compounded:
                total = 100 * (math.prod(1 + r / 100 for r in raises) - 1)
                if abs(total - value) > issue.step / 2 + 1e-9:
                    self.add(
                        (*path, key),
                        f"the raises {list(raises)} compound to {total:.3g}%, not {key}% "
                        f"(within half a step, {issue.step / 2:g})",
                    )

    def check_keys(
        self, path: Path, keys: Mapping[str, object], issue: object, kind: type, item: str
    ) -> None:
        if not isinstance(issue, kind):
            self.add((*path,), f"{item!r} does not fit issue kind {getattr(issue, 'type', '?')}")
            return
        known = issue.provision_ids if isinstance(issue, ProvisionIssue) else getattr(issue, "options", ())
        for key in keys:
            if key not in known:
                self.add(
                    (*path, key), f"unknown {'provision' if kind is ProvisionIssue else 'option'} {key!r}"
                )
