"""What a proposal is worth to each side whose preferences the viewer may see.

A proposal often addresses a few issues only. With both sides' models, the package it stands for
is the one the joint analysis compares with the frontier
(:mod:`accord.analysis.proposals`: its stated values, else the proposer's earlier ones, else the
receiver's worst option, on the grid of the outcome space), so every number on a page agrees with
the frontier and the efficiency shown beside it. Without them, it is the proposer's *standing
package* on its date: its latest stated position on every issue
(:func:`accord.ledger.positions_as_of`), an issue never addressed counting at the valuing side's
worst value (:func:`accord.prefs.utility`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from accord import ledger
from accord.analysis.case_analysis import CaseAnalysis
from accord.model import Case, PreferenceModel, Proposal, Value
from accord.prefs import disagreement_value, utility


@dataclass(frozen=True, slots=True)
class Valuation:
    """One proposal's standing package and its utility to each visible side (party id -> utility)."""

    proposal: Proposal
    package: dict[str, Value]
    utilities: dict[str, float]


def standing_package(case: Case, day: dt.date, party: str) -> dict[str, Value]:
    """``party``'s latest stated value on every issue as of ``day`` (issues without one left out).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 6}}])
    >>> standing_package(case, dt.date(2023, 6, 1), "u")
    {'pay': 6.0}
    """
    return {
        issue: at.value
        for issue, at in ledger.positions_as_of(case, day, party).items()
        if at.value is not None
    }


def valuations(
    case: Case, as_of: dt.date, models: Sequence[PreferenceModel], result: CaseAnalysis | None = None
) -> list[Valuation]:
    """Every effective, tabled proposal up to ``as_of`` that states some value, in time order,
    valued by each model: as filled by the joint analysis ``result`` when there is one, else its
    standing package."""
    if result is not None:
        by_id = {p.id: p for p in case.proposals}
        filled = []
        for p in result.proposals:
            package = {f.issue: f.value for f in p.fills}
            utilities = {m.party: utility(m, case.issues, package) for m in models}
            filled.append(Valuation(by_id[p.proposal_id], package, utilities))
        return filled
    proposals = [r for r in ledger.effective_records(case, as_of) if isinstance(r, Proposal)]
    found = []
    for proposal in proposals:
        if proposal.status.value in ("draft", "withdrawn"):
            continue
        package = standing_package(case, proposal.date, proposal.from_party)
        if not package:  # nothing stated yet (e.g. "content not public"): nothing to value
            continue
        found.append(
            Valuation(proposal, package, {m.party: utility(m, case.issues, package) for m in models})
        )
    return found


def value_of(case: Case, proposal: Proposal, models: Sequence[PreferenceModel]) -> Valuation:
    """One proposal valued by each model (its proposer's standing package on its date)."""
    package = standing_package(case, proposal.date, proposal.from_party)
    if proposal.status.value == "draft":  # a draft is not on the record: value its own positions on top
        package |= {k: p.value for k, p in proposal.positions.items() if p.value is not None}
    return Valuation(proposal, package, {m.party: utility(m, case.issues, package) for m in models})


def days_without_deal(case: Case, as_of: dt.date, sides: tuple[str, str]) -> int:
    """Days completed, as of ``as_of``, of the stoppages between the two ``sides`` (either way)."""
    pair = set(sides)
    return sum(s.days_completed for s in ledger.stoppages(case, as_of) if {s.by, s.against} == pair)


def disagreement(case: Case, as_of: dt.date, model: PreferenceModel, sides: tuple[str, str]) -> float:
    """The model's disagreement value as of ``as_of``: its reservation less the cost of each day
    of stoppage between the two sides so far (:func:`accord.prefs.disagreement_value`)."""
    return disagreement_value(model, days=days_without_deal(case, as_of, sides))
