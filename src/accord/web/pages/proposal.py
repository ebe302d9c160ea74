"""The proposal page: the package, what it answers and what answers it, sources, confidence, and
(for a viewer who may see preferences) its utility to each visible side and, with both sides'
models, its efficiency: dominated or not, how far from the frontier, and improvements that leave
both sides at least as well off (:mod:`accord.analysis.efficiency`)."""

from __future__ import annotations

from dataclasses import dataclass

from accord import ledger
from accord.analysis.case_analysis import ProposalEfficiency
from accord.model import Case, Confidence, PreferenceModel, Proposal
from accord.prefs import utility
from accord.services import SeenAnalysis
from accord.web.pages.common import SourceLink, issue_names, party_names, source_links, value_text
from accord.web.pages.valuation import Valuation, value_of


@dataclass(frozen=True, slots=True)
class PackageRow:
    issue_id: str
    issue_name: str
    value: str
    text: str | None
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class ProposalPage:
    case: Case
    proposal: Proposal
    names: dict[str, str]
    rows: list[PackageRow]
    answers: list[Proposal]
    answered_by: list[Proposal]
    sources: list[SourceLink]
    superseded_by: str | None
    valuation: Valuation | None
    models: tuple[PreferenceModel, ...]
    sides: tuple[str, str]
    efficiency: ProposalEfficiency | None
    efficiency_note: str | None
    """Why there is no efficiency to show (``None`` when there is, or no preferences at all)."""

    def value_text(self, issue_id: str, value: object) -> str:
        """A value of issue ``issue_id`` as people read it (:func:`value_text`)."""
        return value_text(next((i for i in self.case.issues if i.id == issue_id), None), value)


def proposal_page(case: Case, proposal_id: str, seen: SeenAnalysis | None = None) -> ProposalPage:
    """What the page of proposal ``proposal_id`` shows (``KeyError`` when the case has none),
    with what ``seen`` (the analysis the viewer may see, as of the case's last record) says of it.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e"}])
    >>> proposal_page(case, "p1").proposal.from_party
    'u'
    """
    by_id = {p.id: p for p in case.proposals}
    proposal = by_id[proposal_id]
    issues = {i.id: i for i in case.issues}
    names = issue_names(case)
    rows = [
        PackageRow(
            issue_id,
            names.get(issue_id, issue_id),
            value_text(issues.get(issue_id), position.value),
            position.text,
            position.confidence or proposal.confidence,
        )
        for issue_id, position in proposal.positions.items()
    ]
    models = seen.models if seen else ()
    result = seen.result if seen else None
    found = next((p for p in result.proposals if p.proposal_id == proposal_id), None) if result else None
    valuation, note = None, None
    if found is not None:
        package = {f.issue: f.value for f in found.fills}
        valuation = Valuation(proposal, package, {m.party: utility(m, case.issues, package) for m in models})
    elif models:
        valuation = value_of(case, proposal, models)
        note = (seen.note if seen else None) or (
            "only proposals tabled between the two sides that state some value are compared with the frontier"
        )
    book_superseded = {
        entry.record_id: entry.superseded_by for entry in ledger.timeline(case) if entry.superseded_by
    }
    return ProposalPage(
        case=case,
        proposal=proposal,
        names=party_names(case),
        rows=rows,
        answers=[by_id[a] for a in proposal.answers if a in by_id],
        answered_by=[p for p in case.proposals if proposal.id in p.answers],
        sources=source_links(case, list(proposal.sources)),
        superseded_by=book_superseded.get(proposal.id),
        valuation=valuation,
        models=models,
        sides=seen.sides if seen else ("", ""),
        efficiency=found,
        efficiency_note=note,
    )
