"""The analysis pages: where the talks could land, from the preferences the viewer may see.

From :class:`accord.services.SeenAnalysis`: with both sides' models, the joint analysis of
:func:`accord.analysis.case_analysis.analyze_case` (the outcome scatter with the Pareto frontier,
the proposals as a path over time, the bargaining solutions and the zone of possible agreement;
each proposal's efficiency; each move's DANS label; the coalition's own analysis); with any
models, each visible side's utility of the proposals over time; and the coalition view: which
visible members accept which package (utility at least their disagreement value) and, when every
member's model is visible, the coalition's verdict under its decision rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.case_analysis import CaseAnalysis, ProposalEfficiency, SolutionView
from accord.analysis.solutions import CONCEPTS
from accord.model import Case, Party, PreferenceModel, Value
from accord.prefs import coalition_accepts, normalised_weights
from accord.services import FieldProblem, SeenAnalysis
from accord.web.pages.common import issue_names, party_names, value_text
from accord.web.pages.outcomes import outcome_scatter, utility_over_time
from accord.web.pages.timeline import party_colours
from accord.web.pages.valuation import Valuation, disagreement, valuations


@dataclass(frozen=True, slots=True)
class MemberVerdicts:
    """The coalition view: each visible member's accept/reject per package, and the verdict."""

    coalition: Party
    members: list[str]
    visible: list[str]
    disagreements: dict[str, float]
    rows: list[tuple[Valuation, list[bool], bool | None]]
    """(package, accepts per visible member, the coalition's verdict or ``None`` when a member's
    model is not visible)."""


@dataclass(frozen=True, slots=True)
class AnalysisPage:
    case: Case
    as_of: dt.date
    sides: tuple[str, str]
    names: dict[str, str]
    models: tuple[PreferenceModel, ...]
    problems: tuple[FieldProblem, ...]
    result: CaseAnalysis | None
    note: str | None
    valued: list[Valuation]
    disagreements: dict[str, float]
    efficiency: dict[str, ProposalEfficiency]
    solutions: list[tuple[str, SolutionView, str]]
    """(name, solution, its package as text)."""
    scatter: dict[str, Any] | None
    over_time: dict[str, Any] | None
    coalitions: list[MemberVerdicts]

    def package_text(self, package: Mapping[str, Value]) -> str:
        return package_text(self.case, package)

    def provision_names(self, issue_id: str, provisions: Sequence[str]) -> str:
        """The names of some provisions of a provision issue, in the issue's order."""
        return value_text(self.case.issue(issue_id), frozenset(provisions)) if provisions else ""


def analysis_page(seen: SeenAnalysis, proposal_url: Callable[[str], str]) -> AnalysisPage:
    """The analysis page of what the viewer may see (``proposal_url``: a proposal id's page).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}])
    >>> seen = SeenAnalysis(case, dt.date(2023, 1, 1), ("u", "u"), (), (), None, "no models")
    >>> analysis_page(seen, lambda p: p).scatter is None
    True
    """
    case, result = seen.case, seen.result
    names = party_names(case)
    valued = valuations(case, seen.as_of, seen.models, result)
    by_party = {m.party: m for m in seen.models}
    disagreements = {m.party: disagreement(case, seen.as_of, m, seen.sides) for m in seen.models}
    scatter = None
    solutions: list[tuple[str, SolutionView, str]] = []
    if result is not None:
        scatter = outcome_scatter(result, names, party_colours(case), proposal_url)
        solutions = [
            (
                CONCEPTS[s.concept].label,
                s,
                package_text(case, s.package.package if s.package else {}),
            )
            for s in result.solutions
        ]
    over_time = None
    if seen.models and valued:  # the sides' utilities (the members' are in the tables)
        charted = [m.party for m in seen.models if m.party in seen.sides] or [m.party for m in seen.models]
        over_time = utility_over_time(valued, charted, names, proposal_url)
    coalitions = [coalition_view(p, by_party, valued, disagreements) for p in case.parties if p.members]
    return AnalysisPage(
        case=case,
        as_of=seen.as_of,
        sides=seen.sides,
        names=names,
        models=seen.models,
        problems=seen.problems,
        result=result,
        note=seen.note,
        valued=valued,
        disagreements=disagreements,
        efficiency={p.proposal_id: p for p in result.proposals} if result else {},
        solutions=solutions,
        scatter=scatter,
        over_time=over_time,
        coalitions=[c for c in coalitions if c.visible],
    )


def package_text(case: Case, package: Mapping[str, Value]) -> str:
    """A package as one line: ``Minimum pay increase: 13 %; Staffing: 3; …``."""
    issues = {i.id: i for i in case.issues}
    names = issue_names(case)
    return "; ".join(f"{names.get(k, k)}: {value_text(issues.get(k), v)}" for k, v in package.items())


def coalition_view(
    coalition: Party,
    models: Mapping[str, PreferenceModel],
    valued: Sequence[Valuation],
    disagreements: Mapping[str, float],
) -> MemberVerdicts:
    """Which visible members accept each package (utility at least their disagreement value) and,
    when every member's model is visible, the coalition's verdict under its decision rule
    (:func:`accord.prefs.coalition_accepts`)."""
    members = list(coalition.members)
    visible = [m for m in members if m in models]
    rows: list[tuple[Valuation, list[bool], bool | None]] = []
    if not visible:
        return MemberVerdicts(coalition, members, visible, {}, rows)
    floors = np.array([disagreements[m] for m in visible])
    utilities = np.array([[v.utilities[m] for m in visible] for v in valued], dtype=float).reshape(
        len(valued), len(visible)
    )
    accepts = utilities >= floors
    verdict = None
    if len(visible) == len(members) and coalition.decision_rule is not None and len(valued):
        verdict = coalition_accepts(coalition.decision_rule, visible, utilities, floors).accepted
    for index, valuation in enumerate(valued):
        rows.append(
            (valuation, [bool(x) for x in accepts[index]], None if verdict is None else bool(verdict[index]))
        )
    return MemberVerdicts(coalition, members, visible, {m: disagreements[m] for m in visible}, rows)


def weight_rows(model: PreferenceModel, issue_names: dict[str, str]) -> list[tuple[str, float]]:
    """The model's normalised issue weights, largest first, by issue name."""
    weights = normalised_weights(model)
    return sorted(((issue_names.get(k, k), w) for k, w in weights.items()), key=lambda kv: -kv[1])
