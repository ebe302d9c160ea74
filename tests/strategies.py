"""Hypothesis strategies for Accord's model: every value they generate is valid.

Use them in any test (``from tests.strategies import cases``, or ``from strategies import ...``
where ``tests/`` is on the path):

- ``ids()``: a record identifier (letters, digits, ``_``, ``.``, ``-``).
- ``texts()``: short human text of one or more lines, any Unicode the text rule allows
  (:mod:`accord.model.limits`); ``lines()``: one line of it (names, titles, options).
- ``issues(party_ids=())``: one issue of any of the four kinds (numeric, ordinal, categorical,
  provisions); ``numeric_issues``, ``ordinal_issues``, ``categorical_issues``,
  ``provision_issues`` for one kind. ``party_ids`` are used for numeric/ordinal directions.
- ``issue_lists(party_ids=(), min_size=1, max_size=5)``: issues with distinct ids.
- ``position_values(issue, on_grid=False)``: a valid value of a position on ``issue`` (with
  ``on_grid``, a numeric value is ``low`` plus a whole number of ``step``s, so that equal
  positions are frequent).
- ``packages(issues)``: a partial package, issue id -> :class:`Position` (valid values).
- ``parties()``: parties at a table: one union, one coalition with two to four employer members
  (and a decision rule), sometimes a mediator and a second union.
- ``cases(max_proposals=6, max_events=10)``: a whole valid :class:`Case`: parties incl. a
  coalition, issues of all four kinds, sources, proposals in date order with valid positions and
  answers pointing to earlier proposals (sometimes a correction that supersedes one), and
  events: talks, stoppage start/end pairs, requests and responses, statements with ``turn_of``
  and ``disputes``, tentative agreements with terms, a vote on a TA, milestones, estimates.
- ``small_issues(index)``: an issue ``i<index>`` of any kind with a few options (or steps), so
  that outcome spaces and utility tables stay small.
- ``value_functions(issue)``: the data of a value function that fits ``issue``.
- ``preference_domains(max_issues=4, max_parties=3)``: a few small issues and preference models
  over them (some issues unweighted).
- ``genius_domains(min_parties=2, max_parties=5, max_outcomes=216)``: a GENIUS domain as a
  :class:`GeniusSpec` (discrete and integer issues with bounds, one profile per party, every
  number a short decimal so that equal sums are frequent), and ``genius_files(spec)``: its files.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import strategies as st

from accord.model import (
    Case,
    CategoricalIssue,
    Confidence,
    DecisionRule,
    Direction,
    Issue,
    NumericIssue,
    OrdinalIssue,
    Party,
    PartyKind,
    Position,
    PreferenceModel,
    Provision,
    ProvisionIssue,
    RuleKind,
)
from accord.model.limits import text_problem

T = TypeVar("T")

_ID_START = string.ascii_letters + string.digits
_ID_REST = _ID_START + "_.-"

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2035, 12, 31)

# Strategies are built once: building them inside every draw makes generation several times slower.
# Characters the text rule allows: no surrogates, no controls but tab and LF (in long text), no
# noncharacters; in one line also no line separators or bidirectional controls.
_LINE_CHAR = st.characters(exclude_categories=("Cs", "Cc")).filter(
    lambda c: text_problem(c, one_line=True) is None
)
_TEXT_CHAR = (st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t")).filter(
    lambda c: text_problem(c) is None
)
_TEXT = st.text(_TEXT_CHAR, max_size=30)
_LINE = st.text(_LINE_CHAR, max_size=30)
_NAME = st.text(_LINE_CHAR, min_size=1, max_size=20)
_MAYBE_TEXT = st.none() | _TEXT
_MAYBE_LINE = st.none() | _LINE
_CONFIDENCE = st.sampled_from(Confidence)
_BOOL = st.booleans()
_ID = st.builds(
    lambda first, rest: first + rest, st.sampled_from(_ID_START), st.text(alphabet=_ID_REST, max_size=10)
)


def _pick(draw: st.DrawFn, items: Sequence[T]) -> T:
    """One of ``items`` (which must not be empty)."""
    return items[draw(st.integers(0, len(items) - 1))]


def _maybe_pick(draw: st.DrawFn, items: Sequence[T]) -> T | None:
    return _pick(draw, items) if items and draw(_BOOL) else None


def _some(draw: st.DrawFn, items: Sequence[T], max_size: int | None = None) -> list[T]:
    """Distinct members of ``items``, in a drawn order."""
    if not items:
        return []
    size = len(items) if max_size is None else min(max_size, len(items))
    chosen = draw(st.lists(st.integers(0, len(items) - 1), unique=True, max_size=size))
    return [items[i] for i in chosen]


def ids() -> st.SearchStrategy[str]:
    """A valid id, e.g. ``"wga"``, ``"S12"``, ``"2023"`` or ``"a.b-c_d"``."""
    return _ID


def texts(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """Human text, line breaks and tabs included (a summary, a note, a description)."""
    if (min_size, max_size) == (0, 30):
        return _TEXT
    return st.text(_TEXT_CHAR, min_size=min_size, max_size=max_size)


def lines(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """One line of human text (a name, a title, an option)."""
    if (min_size, max_size) == (0, 30):
        return _LINE
    return st.text(_LINE_CHAR, min_size=min_size, max_size=max_size)


def _names() -> st.SearchStrategy[str]:
    return _NAME


def _directions(party_ids: tuple[str, ...]) -> st.SearchStrategy[dict[str, Direction]]:
    if not party_ids:
        return st.just({})
    return st.dictionaries(st.sampled_from(party_ids), st.sampled_from(Direction), max_size=len(party_ids))


def numeric_issues(party_ids: tuple[str, ...] = ()) -> st.SearchStrategy[NumericIssue]:
    finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
    width = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
    return st.builds(
        lambda issue_id, name, unit, low, span, step, directions: NumericIssue(
            id=issue_id, name=name, unit=unit, low=low, high=low + span, step=step, directions=directions
        ),
        ids(),
        _names(),
        st.sampled_from(["%", "USD", "weeks", "writers", "days"]),
        finite,
        width,
        st.floats(min_value=1e-3, max_value=100, allow_nan=False),
        _directions(party_ids),
    ).filter(lambda issue: issue.low < issue.high)


def _options() -> st.SearchStrategy[list[str]]:
    return st.lists(lines(max_size=12), min_size=1, max_size=5, unique=True)


def ordinal_issues(party_ids: tuple[str, ...] = ()) -> st.SearchStrategy[OrdinalIssue]:
    return st.builds(
        OrdinalIssue, id=ids(), name=_names(), options=_options(), directions=_directions(party_ids)
    )


def categorical_issues() -> st.SearchStrategy[CategoricalIssue]:
    return st.builds(CategoricalIssue, id=ids(), name=_names(), options=_options())


def provision_issues() -> st.SearchStrategy[ProvisionIssue]:
    provisions = st.lists(
        st.builds(Provision, id=ids(), name=_names(), description=st.none() | texts()),
        min_size=1,
        max_size=5,
        unique_by=lambda provision: provision.id,
    )
    return st.builds(ProvisionIssue, id=ids(), name=_names(), provisions=provisions)


def issues(party_ids: tuple[str, ...] = ()) -> st.SearchStrategy[Issue]:
    """One issue of any kind."""
    return st.one_of(
        numeric_issues(party_ids), ordinal_issues(party_ids), categorical_issues(), provision_issues()
    )


def issue_lists(
    party_ids: tuple[str, ...] = (), min_size: int = 1, max_size: int = 5
) -> st.SearchStrategy[list[Issue]]:
    """Issues with distinct ids."""
    return st.lists(issues(party_ids), min_size=min_size, max_size=max_size, unique_by=lambda issue: issue.id)


def position_values(issue: Issue, on_grid: bool = False) -> st.SearchStrategy[Any]:
    """A valid value of a position on ``issue`` (numeric: on the ``step`` grid if ``on_grid``)."""
    if isinstance(issue, NumericIssue) and on_grid:
        steps = int((issue.high - issue.low) / issue.step + 1e-9)
        return st.integers(0, steps).map(lambda k: issue.low + k * issue.step)
    if isinstance(issue, NumericIssue):
        return st.floats(min_value=issue.low, max_value=issue.high, allow_nan=False)
    if isinstance(issue, (OrdinalIssue, CategoricalIssue)):
        return st.sampled_from(issue.options)
    return st.frozensets(st.sampled_from(issue.provision_ids))


def _positions(issue: Issue) -> st.SearchStrategy[Position]:
    return st.builds(
        Position,
        value=st.none() | position_values(issue),
        text=_MAYBE_TEXT,
        confidence=st.none() | _CONFIDENCE,
    )


@st.composite
def packages(draw: st.DrawFn, issue_list: Sequence[Issue]) -> dict[str, Position]:
    """A partial package over ``issue_list``: issue id -> a position with a valid value."""
    return {issue.id: draw(_positions(issue)) for issue in _some(draw, issue_list)}


@st.composite
def parties(draw: st.DrawFn) -> list[Party]:
    """A union, a coalition of employers (with a decision rule), maybe a mediator and a second union."""
    count = draw(st.integers(min_value=2, max_value=4))
    names = draw(st.lists(_ID, min_size=count + 4, max_size=count + 4, unique=True))
    union_id, coalition_id, mediator_id, other_union_id, *members = names
    kind = _pick(draw, list(RuleKind))
    shares = {m: draw(st.floats(min_value=0, max_value=100)) for m in members}
    rule = DecisionRule(
        kind=kind,
        shares=shares if kind is RuleKind.WEIGHTED or draw(_BOOL) else {},
        threshold=draw(st.floats(min_value=0.05, max_value=0.95)),
        vetoes=tuple(_some(draw, members, max_size=2)),
    )
    result = [
        Party(id=union_id, name=draw(_NAME), kind=PartyKind.UNION, short_name=draw(st.none() | _NAME)),
        Party(
            id=coalition_id,
            name=draw(_NAME),
            kind=PartyKind.COALITION,
            members=tuple(members),
            decision_rule=rule if draw(_BOOL) else None,
            description=draw(_MAYBE_TEXT),
        ),
    ]
    result += [Party(id=m, name=draw(_NAME), kind=PartyKind.EMPLOYER) for m in members]
    if draw(_BOOL):
        result.append(Party(id=mediator_id, name=draw(_NAME), kind=PartyKind.MEDIATOR))
    if draw(_BOOL):
        result.append(Party(id=other_union_id, name=draw(_NAME), kind=PartyKind.UNION))
    return result


class _Builder:
    """Draws the records of one case, in date order, keeping what later records may refer to."""

    def __init__(self, draw: st.DrawFn, party_list: list[Party], issue_list: list[Issue], sources: list[str]):
        self.draw = draw
        self.union, self.coalition = party_list[0].id, party_list[1].id
        self.at_table = [self.union, self.coalition]
        self.party_ids = [p.id for p in party_list]
        self.issues = issue_list
        self.sources = sources
        self.day = draw(st.dates(FIRST_DAY, dt.date(2030, 1, 1)))
        self.count = 0
        self.proposals: list[str] = []
        self.requests: list[str] = []
        self.statements: list[str] = []
        self.agreements: list[str] = []
        self.stoppages = 0

    def record(self, prefix: str, **fields: Any) -> dict[str, Any]:
        """Common record fields: a fresh id, a date no earlier than the last one, sources, ..."""
        draw = self.draw
        self.count += 1
        self.day += dt.timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        base: dict[str, Any] = {
            "id": f"{prefix}{self.count}",
            "date": self.day,
            "sources": _some(draw, self.sources, max_size=2),
            "confidence": draw(_CONFIDENCE),
        }
        if draw(_BOOL):
            base["time"] = draw(st.times())
        if draw(st.integers(0, 3)) == 0:
            base["note"] = draw(_TEXT)
        return {**base, **fields}

    def sides(self) -> dict[str, str]:
        sender, receiver = self.at_table if self.draw(_BOOL) else self.at_table[::-1]
        return {"from": sender, "to": receiver}

    def proposal(self) -> dict[str, Any]:
        draw = self.draw
        proposal = self.record(
            "p",
            **self.sides(),
            positions=draw(packages(self.issues)),
            answers=_some(draw, self.proposals, max_size=2),
            status=_pick(draw, ["tabled", "draft", "withdrawn", "rejected", "accepted"]),
            summary=draw(_MAYBE_TEXT),
        )
        proposal.pop("time", None)  # an answer must not be later than its proposal: whole days only
        if self.proposals and draw(st.integers(0, 4)) == 0:
            proposal["supersedes"] = _pick(draw, self.proposals)
        self.proposals.append(proposal["id"])
        return proposal

    def events(self) -> list[dict[str, Any]]:
        """One to a few events of a drawn kind."""
        draw = self.draw
        kind = _pick(
            draw, ["talks", "stoppage", "request", "response", "statement", "ta", "vote", "milestone"]
        )
        if kind == "talks":
            talks = _pick(draw, ["talks_held", "talks_suspended", "talks_resumed"])
            return [self.record("e", kind=talks, parties=self.at_table, by=_maybe_pick(draw, self.at_table))]
        if kind == "stoppage":
            return self.stoppage()
        if kind == "request":
            request = self.record(
                "e",
                kind="request",
                **self.sides(),
                asks=_pick(draw, ["response", "information", "meeting"]),
                regarding=_some(draw, self.proposals, max_size=2),
            )
            self.requests.append(request["id"])
            return [request]
        if kind == "response" and (self.requests or self.proposals):
            target = _pick(draw, self.requests + self.proposals)
            return [self.record("e", kind="response", **self.sides(), responds_to=target)]
        if kind == "statement":
            statement = self.record(
                "e",
                kind="statement",
                party=_pick(draw, self.at_table),
                summary=draw(_NAME),
                quote=draw(_MAYBE_TEXT),
                turn_of=_maybe_pick(draw, self.at_table),
                disputes=_maybe_pick(draw, self.statements),
            )
            self.statements.append(statement["id"])
            return [statement]
        if kind == "ta":
            return self.agreement()
        if kind == "vote":
            return [self.vote()]
        return [
            self.record("e", kind="milestone", parties=[_pick(draw, self.party_ids)], summary=draw(_NAME))
        ]

    def stoppage(self) -> list[dict[str, Any]]:
        draw = self.draw
        self.stoppages += 1
        stoppage = f"s{self.stoppages}"
        start = self.record(
            "e",
            kind="stoppage_started",
            stoppage=stoppage,
            type=_pick(draw, ["strike", "lockout"]),
            by=self.union,
            against=self.coalition,
        )
        if not draw(_BOOL):
            return [start]  # still going
        end = self.record(
            "e", kind="stoppage_ended", stoppage=stoppage, how=_pick(draw, ["ended", "suspended"])
        )
        if end["date"] == start["date"]:
            start.pop("time", None)
            end.pop("time", None)
        return [start, end]

    def agreement(self) -> list[dict[str, Any]]:
        draw = self.draw
        agreed = _some(draw, self.issues, max_size=3)
        agreement = self.record(
            "e",
            kind="tentative_agreement",
            parties=self.at_table,
            issues=[i.id for i in agreed],
            terms=draw(packages(agreed or self.issues)),
            summary=draw(_MAYBE_TEXT),
        )
        self.agreements.append(agreement["id"])
        if draw(st.integers(0, 3)) != 0:
            return [agreement]
        withdrawn = self.record("e", kind="ta_withdrawn", agreement=agreement["id"], by=self.coalition)
        return [agreement, withdrawn]

    def vote(self) -> dict[str, Any]:
        draw = self.draw
        subject = "ratification" if self.agreements else "strike_authorization"
        yes, no = draw(st.integers(0, 20_000)), draw(st.integers(0, 20_000))
        vote = self.record(
            "e",
            kind="vote",
            party=self.union,
            subject=subject,
            yes=yes,
            no=no,
            turnout=draw(st.none() | st.floats(0, 1)),
            passed=yes > no,
            agreement=_maybe_pick(draw, self.agreements),
        )
        if draw(_BOOL):
            vote["opened"] = vote["date"] - dt.timedelta(days=draw(st.integers(0, 10)))
        return vote


@st.composite
def cases(draw: st.DrawFn, max_proposals: int = 6, max_events: int = 8) -> Case:
    """A valid case (see the module docstring for what it holds)."""
    party_list = draw(parties())
    at_table = (party_list[0].id, party_list[1].id)
    drawn: list[Issue] = [
        draw(numeric_issues(at_table)),
        draw(ordinal_issues(at_table)),
        draw(categorical_issues()),
        draw(provision_issues()),
        *draw(issue_lists(at_table, min_size=0, max_size=2)),
    ]
    issue_ids = draw(st.lists(_ID, min_size=len(drawn), max_size=len(drawn), unique=True))
    issue_list = [issue.model_copy(update={"id": i}) for issue, i in zip(drawn, issue_ids, strict=True)]
    source_ids = draw(st.lists(_ID, max_size=3, unique=True))
    sources = [
        {"id": s, "url": f"https://example.org/{i}" if draw(_BOOL) else None, "title": draw(_MAYBE_LINE)}
        for i, s in enumerate(source_ids)
    ]
    builder = _Builder(draw, party_list, issue_list, source_ids)
    proposals = [builder.proposal() for _ in range(draw(st.integers(0, max_proposals)))]
    events = [event for _ in range(draw(st.integers(0, max_events))) for event in builder.events()]
    estimates = [
        {
            "id": f"x{index}",
            "label": draw(_NAME),
            "low": draw(st.none() | st.floats(0, 1e10)),
            "scope": draw(_NAME),
            "by": draw(_NAME),
            "date": draw(st.none() | st.dates(FIRST_DAY, LAST_DAY)),
        }
        for index in range(draw(st.integers(0, 2)))
    ]
    return Case(
        id=draw(_ID),
        title=draw(_NAME),
        description=draw(st.none() | texts(max_size=200)),
        parties=party_list,
        issues=issue_list,
        sources=sources,
        proposals=proposals,
        events=events,
        estimates=estimates,
    )


# --- preference models over small domains ------------------------------------------------------

UNIT = st.floats(0.0, 1.0, allow_nan=False)
"""A number in ``[0, 1]``."""


@st.composite
def small_issues(draw: st.DrawFn, index: int) -> Issue:
    """Issue ``i<index>`` of any kind: numeric with at most 13 steps, up to 5 options, up to 4
    provisions (``o<k>``, ``p<k>``)."""
    kind = draw(st.sampled_from(["numeric", "ordinal", "categorical", "provisions"]))
    issue_id = f"i{index}"
    if kind == "numeric":
        low = draw(st.integers(-5, 5))
        span = draw(st.integers(1, 6))
        step = draw(st.sampled_from([0.5, 1.0, 2.0]))
        return NumericIssue(id=issue_id, name=issue_id, unit="u", low=low, high=low + span, step=step)
    if kind == "provisions":
        count = draw(st.integers(1, 4))
        provisions = [Provision(id=f"p{k}", name=f"P{k}") for k in range(count)]
        return ProvisionIssue(id=issue_id, name=issue_id, provisions=provisions)
    count = draw(st.integers(1, 5))
    options = [f"o{k}" for k in range(count)]
    cls = OrdinalIssue if kind == "ordinal" else CategoricalIssue
    return cls(id=issue_id, name=issue_id, options=options)


@st.composite
def value_functions(draw: st.DrawFn, issue: Issue) -> dict[str, object]:
    """The data of a value function of a kind that fits ``issue``."""
    if isinstance(issue, NumericIssue):
        kind = draw(st.sampled_from(["linear", "piecewise", "steps"]))
        if kind == "linear":
            return {"kind": "linear", "direction": draw(st.sampled_from(list(Direction))).value}
        ats = sorted(
            draw(st.sets(st.integers(int(issue.low) - 2, int(issue.high) + 2), min_size=2, max_size=5))
        )
        points = [[at, draw(UNIT)] for at in ats]
        if kind == "piecewise":
            return {"kind": "piecewise", "points": points}
        return {"kind": "steps", "below": draw(UNIT), "steps": points}
    if isinstance(issue, ProvisionIssue):
        values = {p: draw(st.floats(-3, 3, allow_nan=False)) for p in issue.provision_ids}
        return {"kind": "provisions", "values": values}
    return {"kind": "options", "scores": {o: draw(UNIT) for o in issue.options}}


@st.composite
def preference_domains(
    draw: st.DrawFn, max_issues: int = 4, max_parties: int = 3
) -> tuple[list[Issue], list[PreferenceModel]]:
    """A few small issues and a few preference models ``p<j>`` over them (some issues unweighted)."""
    space = [draw(small_issues(k)) for k in range(draw(st.integers(1, max_issues)))]
    models = []
    for j in range(draw(st.integers(1, max_parties))):
        weights = {issue.id: draw(st.floats(0, 5, allow_nan=False)) for issue in space}
        if not any(w > 0 for w in weights.values()):
            weights[space[0].id] = 1.0
        values = {issue.id: draw(value_functions(issue)) for issue in space}
        models.append(PreferenceModel(party=f"p{j}", label=f"P{j}", weights=weights, values=values))
    return space, models


# --- GENIUS domains -------------------------------------------------------------------------------

_WEIGHTS = ["0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.5", "0.6", "0.75", "1"]
_SMALL = ["0", "0.1", "0.2", "0.25", "0.3", "0.4", "0.5", "0.6", "0.75", "0.8", "1"]
_WHOLE = ["0", "1", "2", "3", "4", "5", "6", "10"]
_HALVES = ["0.5", "1.5", "2.5", "3", "4.5", "6"]  # above 1 and not whole: rounded in the "given" reading
_OFFSETS = ["-0.5", "-0.25", "0", "0.1", "0.2", "0.25", "0.5", "1"]
_SLOPES = ["-0.5", "-0.25", "-0.2", "0", "0.1", "0.125", "0.2", "0.25", "0.5"]
_RESERVATIONS = ["-0.5", "0", "0", "0.1", "0.25", "0.3", "0.5", "0.6", "1.2"]


@dataclass(frozen=True)
class GeniusIssue:
    """``kind`` is ``discrete`` (``size`` items ``v1``..) or ``integer`` (``low`` to ``high``)."""

    name: str
    kind: str
    size: int = 0
    low: int = 0
    high: int = 0

    @property
    def n_values(self) -> int:
        return self.size if self.kind == "discrete" else self.high - self.low + 1


@dataclass(frozen=True)
class GeniusProfileSpec:
    """One party's profile. Per issue, ``evaluations`` holds the items' evaluations (discrete) or
    ``(form, offset, slope)`` with form ``slope`` (GENIUS 8) or ``parameters`` (GENIUS 7)."""

    name: str
    weights: tuple[str, ...]
    evaluations: tuple[tuple[str, ...], ...]
    reservation: str
    objective_weight: bool


@dataclass(frozen=True)
class GeniusSpec:
    issues: tuple[GeniusIssue, ...]
    profiles: tuple[GeniusProfileSpec, ...]
    under_objective: bool


@st.composite
def genius_domains(
    draw: st.DrawFn, min_parties: int = 2, max_parties: int = 5, max_outcomes: int = 216
) -> GeniusSpec:
    """A small GENIUS domain (at most ``max_outcomes`` outcomes) with ties by construction."""
    issues: list[GeniusIssue] = []
    outcomes = 1
    for index in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            size = draw(st.integers(1, 4))
            issue = GeniusIssue(f"Issue {index}", "discrete", size=size)
        else:
            low = draw(st.integers(-3, 6))
            issue = GeniusIssue(f"Issue {index}", "integer", low=low, high=low + draw(st.integers(1, 4)))
        if outcomes * issue.n_values > max_outcomes:
            break
        outcomes *= issue.n_values
        issues.append(issue)
    if not issues:
        issues.append(GeniusIssue("Issue 0", "discrete", size=2))
    profiles = []
    for j in range(draw(st.integers(min_parties, max_parties))):
        weights = tuple(draw(st.sampled_from(_WEIGHTS)) for _ in issues)
        evaluations = []
        for issue in issues:
            if issue.kind == "discrete":
                pool = draw(st.sampled_from([_SMALL, _WHOLE, _HALVES]))
                evaluations.append(tuple(draw(st.sampled_from(pool)) for _ in range(issue.size)))
            else:
                form = draw(st.sampled_from(["slope", "parameters"]))
                evaluations.append((form, draw(st.sampled_from(_OFFSETS)), draw(st.sampled_from(_SLOPES))))
        profiles.append(
            GeniusProfileSpec(
                f"party{j}",
                weights,
                tuple(evaluations),
                draw(st.sampled_from(_RESERVATIONS)),
                draw(st.booleans()),
            )
        )
    return GeniusSpec(tuple(issues), tuple(profiles), draw(st.booleans()))


def _issue_xml(issue: GeniusIssue, index: int, body: str = "") -> str:
    if issue.kind == "integer":
        return (
            f'<issue index="{index}" name="{issue.name}" type="integer" lowerbound="{issue.low}" '
            f'upperbound="{issue.high}">{body}</issue>'
        )
    return f'<issue index="{index}" name="{issue.name}" type="discrete">{body}</issue>'


def genius_files(spec: GeniusSpec) -> dict[str, str]:
    """The domain file (``domain.xml``) and one profile file per party (``party<j>.xml``)."""

    def space(inner: str) -> str:
        return f'<objective index="0" name="Generated">{inner}</objective>' if spec.under_objective else inner

    items = [
        "".join(f'<item index="{k + 1}" value="v{k + 1}"/>' for k in range(issue.size))
        for issue in spec.issues
    ]
    domain = "".join(
        _issue_xml(issue, i + 1, body) for i, (issue, body) in enumerate(zip(spec.issues, items, strict=True))
    )
    files = {
        "domain.xml": f"<negotiation_template><utility_space>{space(domain)}</utility_space></negotiation_template>"
    }
    for profile in spec.profiles:
        parts = ['<weight index="0" value="1"/>'] if profile.objective_weight and spec.under_objective else []
        for i, (issue, evaluation) in enumerate(zip(spec.issues, profile.evaluations, strict=True)):
            if issue.kind == "discrete":
                body = "".join(
                    f'<item index="{k + 1}" value="v{k + 1}" evaluation="{e}"/>'
                    for k, e in enumerate(evaluation)
                )
            elif evaluation[0] == "slope":
                body = f'<evaluator ftype="linear" offset="{evaluation[1]}" slope="{evaluation[2]}"/>'
            else:
                body = (
                    f'<evaluator ftype="linear" parameter0="{evaluation[1]}" parameter1="{evaluation[2]}"/>'
                )
            parts.append(_issue_xml(issue, i + 1, body))
            parts.append(f'<weight index="{i + 1}" value="{profile.weights[i]}"/>')
        reservation = f'<reservation value="{profile.reservation}"/>'
        files[f"{profile.name}.xml"] = f"<utility_space>{space(''.join(parts))}{reservation}</utility_space>"
    return files
