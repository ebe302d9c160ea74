"""Preference models: what one party (or one coalition member) values, and how much.

A preference model is private to its party. It lives in its own file, apart from the public case,
and says:

- how much each issue matters (``weights``, normalised to sum 1 when utilities are computed);
- how each issue's positions are valued (one *value function* per issue, mapping to ``[0, 1]``);
- the walk-away point (``reservation``) and how it erodes while there is no deal
  (``daily_cost`` per day, e.g. per strike day, and ``discount`` per bargaining round).

Value functions by kind of issue:

=============  ==============  ===============================================================
issue          ``kind``        value of a position
=============  ==============  ===============================================================
numeric        ``linear``      0 at the worse end of ``[low, high]``, 1 at the better, linear
numeric        ``piecewise``   linear interpolation between ``points`` ``[at, value]``; flat
                               beyond the first and last point
numeric        ``steps``       the value of the last step ``[at, value]`` with ``at <= x``;
                               ``below`` under the first step
ordinal or     ``options``     ``scores[option]``
categorical
provisions     ``provisions``  additive: the sum of ``values[p]`` over the provisions included,
                               rescaled so the worst set scores 0 and the best 1
=============  ==============  ===============================================================

The evaluation itself (utilities, tables, coalition rules, costing) is in :mod:`accord.prefs`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from accord.model.common import Frozen, Id
from accord.model.issue import Direction, Issue, NumericIssue, OptionIssue, ProvisionIssue, Value
from accord.model.problems import Path, Problem

if TYPE_CHECKING:
    from accord.model.case import Case

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
"""A number in ``[0, 1]``."""
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Point = tuple[Finite, Unit]
"""``[at, value]``: a position on a numeric issue and its value in ``[0, 1]``."""


def _increasing(points: tuple[Point, ...], what: str) -> None:
    ats = [at for at, _ in points]
    if any(b <= a for a, b in pairwise(ats)):
        raise ValueError(f"{what} must be listed with strictly increasing 'at' (got {ats})")


def _number(function: object, issue: Issue, position: Value) -> tuple[NumericIssue, float]:
    if not isinstance(issue, NumericIssue):
        kind = getattr(function, "kind", "?")
        raise ValueError(f"a {kind!r} value function needs a numeric issue; {issue.id!r} is {issue.type}")
    if isinstance(position, bool) or not isinstance(position, (int, float)):
        raise ValueError(f"issue {issue.id!r}: expected a number, got {position!r}")
    return issue, float(position)


def _interpolate(points: tuple[Point, ...], x: float) -> float:
    """Linear interpolation between ``points``, flat beyond the first and the last."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


class LinearValue(Frozen):
    """Numeric issue: 0 at the worse end of ``[low, high]``, 1 at the better end.

    ``direction`` says which end is better; where it is left out, the issue's ``directions``
    entry for the model's party is used.
    """

    kind: Literal["linear"] = "linear"
    direction: Direction | None = None

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The value of ``position`` on ``issue`` for ``party``, in ``[0, 1]``."""
        numeric, x = _number(self, issue, position)
        direction = self.direction or numeric.directions.get(party)
        if direction is None:
            raise ValueError(
                f"linear value of {issue.id!r} for {party!r} has no direction and the issue states none"
            )
        fraction = min(1.0, max(0.0, (x - numeric.low) / (numeric.high - numeric.low)))
        return fraction if direction is Direction.HIGHER else 1.0 - fraction


class PiecewiseValue(Frozen):
    """Numeric issue: linear between ``points`` (``[at, value]``), flat beyond the ends."""

    kind: Literal["piecewise"] = "piecewise"
    points: tuple[Point, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _points_in_order(self) -> PiecewiseValue:
        _increasing(self.points, "points")
        return self

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The value of ``position`` on ``issue``, in ``[0, 1]``."""
        return _interpolate(self.points, _number(self, issue, position)[1])


class StepValue(Frozen):
    """Numeric issue: thresholds. A position ``x`` is worth the value of the last step whose
    ``at`` is at most ``x``, and ``below`` under the first step."""

    kind: Literal["steps"] = "steps"
    below: Unit = 0.0
    steps: tuple[Point, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _steps_in_order(self) -> StepValue:
        _increasing(self.steps, "steps")
        return self

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The value of ``position`` on ``issue``, in ``[0, 1]``."""
        x = _number(self, issue, position)[1]
        reached = [v for at, v in self.steps if at <= x]
        return reached[-1] if reached else self.below


class OptionValue(Frozen):
    """Ordinal or categorical issue: a score in ``[0, 1]`` for every option."""

    kind: Literal["options"] = "options"
    scores: dict[str, Unit] = Field(min_length=1)

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The score of option ``position`` of ``issue``."""
        if not isinstance(issue, OptionIssue):
            raise ValueError(
                f"an 'options' value function needs an option issue; {issue.id!r} is {issue.type}"
            )
        if not isinstance(position, str) or position not in self.scores:
            raise ValueError(f"no score for option {position!r} of issue {issue.id!r}")
        return self.scores[position]


class ProvisionValue(Frozen):
    """Provision-set issue: each provision adds its value (negative for a provision the party
    would rather not have). The sum is rescaled to ``[0, 1]``: the set of all negative-valued
    provisions scores 0 and the set of all positive-valued ones scores 1. Provisions left out
    are worth 0."""

    kind: Literal["provisions"] = "provisions"
    values: dict[Id, Finite] = Field(min_length=1)

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The rescaled sum of the values of the provisions in ``position`` (a set)."""
        if not isinstance(issue, ProvisionIssue):
            raise ValueError(
                f"a 'provisions' value function needs a provision issue; {issue.id!r} is {issue.type}"
            )
        if not isinstance(position, frozenset):
            raise ValueError(f"issue {issue.id!r}: expected a set of provision ids, got {position!r}")
        low = sum(v for v in self.values.values() if v < 0)
        span = sum(v for v in self.values.values() if v > 0) - low
        if span == 0:
            return 0.0
        return min(1.0, max(0.0, (sum(self.values.get(p, 0.0) for p in position) - low) / span))


ValueFunction = Annotated[
    LinearValue | PiecewiseValue | StepValue | OptionValue | ProvisionValue, Field(discriminator="kind")
]
"""Any value function; the ``kind`` field says which."""


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
    label: str
    assumption: bool = False
    rationale: str | None = None
    sources: tuple[Id, ...] = Field(default=(), description="Ids of the case's sources behind the rationale.")
    weights: dict[Id, NonNegative] = Field(min_length=1, description="Issue id -> importance (any scale).")
    values: dict[Id, ValueFunction] = Field(min_length=1, description="Issue id -> value function.")
    reservation: Unit = Field(default=0.0, description="Utility of walking away (no deal).")
    daily_cost: NonNegative = Field(default=0.0, description="Utility lost per day without a deal.")
    discount: float = Field(default=1.0, gt=0.0, le=1.0, description="Factor per bargaining round.")
    visibility: Visibility = Visibility.PRIVATE
    shared_with: tuple[Id, ...] = ()

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


# --- contract costing parameters -------------------------------------------------------------


class RaiseCost(Frozen):
    """A payroll raise set by an issue, compounding year on year over the term.

    ``base`` is the covered annual payroll at the start of the contract. For an option issue,
    ``patterns`` gives each option's raises in percent per contract year (e.g. ``"6/5/5": [6, 5,
    5]``). For a numeric issue the value is the raise in percent; ``profile`` (one factor per
    year, default 1 for every year) scales it per year, so ``profile: [1, 0.8, 0.7]`` turns a
    value of 5 into 5/4/3.5. With ``compounded: true`` the value is instead the increase
    compounded over the term (e.g. 13.0 for 5/4/3.5), and the yearly raises are the ones of
    ``profile``'s shape that compound to it.
    """

    kind: Literal["raises"] = "raises"
    issue: Id
    base: NonNegative
    patterns: dict[str, tuple[Finite, ...]] = Field(default_factory=dict)
    profile: tuple[NonNegative, ...] = ()
    compounded: bool = Field(
        default=False,
        description="The numeric issue's value is the compounded increase over the term; the yearly "
        "raises have the shape of 'profile' and compound to it.",
    )


class UnitCost(Frozen):
    """An annual cost per unit of a numeric issue above ``baseline`` (default: the issue's low)."""

    kind: Literal["per_unit"] = "per_unit"
    issue: Id
    per_unit: Finite
    baseline: Finite | None = None


class OptionCost(Frozen):
    """An annual cost for each option of an ordinal or categorical issue (options left out cost 0)."""

    kind: Literal["per_option"] = "per_option"
    issue: Id
    costs: dict[str, Finite] = Field(min_length=1)


class ProvisionCost(Frozen):
    """An annual cost for each provision included in a package (provisions left out cost 0)."""

    kind: Literal["per_provision"] = "per_provision"
    issue: Id
    costs: dict[Id, Finite] = Field(min_length=1)


CostItem = Annotated[RaiseCost | UnitCost | OptionCost | ProvisionCost, Field(discriminator="kind")]


class Costing(Frozen):
    """Parameters for the annual and total cost of a package over the contract term.

    ``shares`` splits the cost between parties (e.g. coalition members), in any scale; the shares
    are normalised to sum 1.
    """

    currency: str = "USD"
    term_years: int = Field(ge=1, le=50)
    items: tuple[CostItem, ...] = Field(min_length=1)
    shares: dict[Id, NonNegative] = Field(default_factory=dict)
    note: str | None = None
    sources: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _fits_term(self) -> Costing:
        for item in self.items:
            if isinstance(item, RaiseCost):
                for option, raises in item.patterns.items():
                    if len(raises) > self.term_years:
                        raise ValueError(
                            f"raises of {item.issue!r} option {option!r} list {len(raises)} years; "
                            f"the term is {self.term_years}"
                        )
                if len(item.profile) > self.term_years:
                    raise ValueError(f"profile of {item.issue!r} is longer than the term ({self.term_years})")
        if self.shares and not any(share > 0 for share in self.shares.values()):
            raise ValueError("at least one cost share must be above 0")
        return self


class PreferenceSet(Frozen):
    """A preference file: the models of some parties of one case, and optional costing."""

    case: Id
    description: str | None = None
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
        for index, item in enumerate(costing.items):
            item_path: Path = (*path, "items", index)
            if not self.known_issue((*item_path, "issue"), item.issue):
                continue
            issue = self.issues[item.issue]
            if isinstance(item, UnitCost) and not isinstance(issue, NumericIssue):
                self.add(
                    (*item_path, "kind"), f"'per_unit' needs a numeric issue; {item.issue!r} is {issue.type}"
                )
            elif isinstance(item, ProvisionCost):
                self.check_keys((*item_path, "costs"), item.costs, issue, ProvisionIssue, "per_provision")
            elif isinstance(item, OptionCost):
                self.check_keys((*item_path, "costs"), item.costs, issue, OptionIssue, "per_option")
            elif isinstance(item, RaiseCost):
                if isinstance(issue, OptionIssue):
                    self.check_keys((*item_path, "patterns"), item.patterns, issue, OptionIssue, "raises")
                    missing = [o for o in issue.options if o not in item.patterns]
                    if missing:
                        self.add((*item_path, "patterns"), f"no raises for option(s) {missing}")
                elif not isinstance(issue, NumericIssue):
                    self.add(
                        (*item_path, "kind"), f"'raises' needs a numeric or option issue, not {issue.type}"
                    )
                elif item.patterns:
                    self.add((*item_path, "patterns"), "'patterns' is for option issues; use 'profile'")

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
