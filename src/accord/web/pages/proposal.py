"""The proposal page: the package, what it answers and what answers it, sources, confidence, and
(for a viewer who may see preferences) its utility to each visible side."""

from __future__ import annotations

from dataclasses import dataclass

from accord import ledger
from accord.model import Case, Confidence, PreferenceModel, Proposal
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
    models: list[PreferenceModel]


def proposal_page(case: Case, proposal_id: str, models: list[PreferenceModel]) -> ProposalPage:
    """What the page of proposal ``proposal_id`` shows (``KeyError`` when the case has none).

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e"}])
    >>> proposal_page(case, "p1", []).proposal.from_party
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
        valuation=value_of(case, proposal, models) if models else None,
        models=models,
    )
