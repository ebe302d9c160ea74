"""The analysis of a case in plain words: five to ten sentences a negotiator reads first.

Sentences that state the record (who offered what, when; how long a stoppage has lasted) are
facts of the case file; sentences that rest on the preference models say so in words ("Under
the assumed preferences, ...") and carry ``assumed: true`` when the models are assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.analysis.table import possessive, short_date
from accord.model import NumericIssue

if TYPE_CHECKING:
    from accord.analysis.case_analysis import CaseAnalysis, SolutionView
    from accord.analysis.proposals import FilledProposal
    from accord.model import Case, Value


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the summary; ``assumed``: it rests on assumed preferences."""

    text: str
    assumed: bool


def _package_text(case: Case, package: dict[str, Value]) -> str:
    """The package's numeric and option issues in words; provision sets by count (the solutions
    table lists them)."""
    parts, provisions = [], 0
    for issue_id, value in package.items():
        issue = case.issue(issue_id)
        if isinstance(value, frozenset):
            provisions += len(value)
        elif isinstance(issue, NumericIssue) and isinstance(value, (int, float)):
            parts.append(f"{issue.name} {value:g} {issue.unit}")
        else:
            parts.append(f"{issue.name} {value}")
    if provisions:
        parts.append(f"{provisions} provisions on the other issues (listed with the solutions)")
    return "; ".join(parts)


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _record(case: Case, r: CaseAnalysis, offers: tuple[FilledProposal | None, ...]) -> list[Sentence]:
    a, b = case.party(r.side_a).label, case.party(r.side_b).label
    standing = [
        f"the {possessive(case.party(o.from_party).label)} of {short_date(o.date)}"
        for o in offers
        if o is not None
    ]
    head = f"As of {r.as_of.isoformat()}"
    if r.stoppage_days:
        head += f", after {r.stoppage_days} days of stoppage between the {a} and the {b}"
    if standing:
        first = f"{head}, the latest offers on the table are {_names(standing)}."
    else:
        first = f"{head}, neither side has made an offer on the record."
    out = [Sentence(first, False)]
    zones = r.zopa.zones
    apart = [case.issue(z.issue).name for z in zones if not z.agreed]
    agreed = [case.issue(z.issue).name for z in zones if z.agreed]
    out.append(
        Sentence(f"The offers are apart on {len(apart)} of {len(zones)} issues: {_names(apart)}.", False)
    )
    if agreed:
        out.append(Sentence(f"They already match on {_names(agreed)}.", False))
    else:
        out.append(Sentence("They match on no issue yet.", False))
    return out


def _nash(r: CaseAnalysis, reading: str) -> SolutionView | None:
    return next((s for s in r.solutions if s.concept == "nash" and s.reading == reading), None)


def _assumed(case: Case, r: CaseAnalysis) -> list[str]:
    a, b = case.party(r.side_a).label, case.party(r.side_b).label
    d, f = r.disagreement, r.disagreement_table
    if tuple(f) == tuple(d):
        first = (
            f"walking away is worth {d[0]:.3f} to the {a} and {d[1]:.3f} to the {b}, more than either "
            "values the offer it holds, so walking away sets both floors"
        )
    else:
        first = (
            f"walking away is worth {d[0]:.3f} to the {a} and {d[1]:.3f} to the {b}; with the offers "
            f"on the table, neither should take less than {f[0]:.3f} and {f[1]:.3f} (the floors from the table)"
        )
    out = [first]
    table = _nash(r, "table")
    if table is not None and table.package is not None:
        out.append(
            f"the Nash package from the table is {_package_text(case, table.package.package)}, worth "
            f"{table.points[0][0]:.3f} to the {a} and {table.points[0][1]:.3f} to the {b}"
        )
    else:
        out.append("no package on the Pareto frontier gives both sides at least their floor from the table")
    flagged = [s.concept for s in r.solutions if s.reading == "batna" and s.warnings]
    if flagged:
        out.append(
            f"{len(flagged)} of the solutions relative to walking away alone (the BATNA reading) "
            "give a side less than an offer it already holds; the table reading does not"
        )
    dominated = sum(1 for p in r.proposals if p.efficiency.is_dominated)
    if r.proposals:
        out.append(
            f"{dominated} of the {len(r.proposals)} proposals on the record are dominated: another "
            "package is at least as good for both sides and better for one"
        )
    z = r.zopa
    if z.count_high == 0:
        out.append(f"none of the {z.n_outcomes:,} packages beats walking away for both sides")
    else:
        count = f"{z.count_low:,}" if z.count_low == z.count_high else f"{z.count_low:,} to {z.count_high:,}"
        pct = 100 * z.count_high / z.n_outcomes
        share = f"{pct:.1f}%" if pct >= 0.1 else "under 0.1%"
        out.append(f"{count} of the {z.n_outcomes:,} packages ({share}) beat walking away for both sides")
    return out


def summarise(
    case: Case, r: CaseAnalysis, offers: tuple[FilledProposal | None, FilledProposal | None]
) -> tuple[Sentence, ...]:
    """Five to ten sentences on ``r`` (``offers``: each side's standing offer, or ``None``)."""
    lead = "Under the assumed preferences, " if r.assumptions else "Under the preference models, "
    out = _record(case, r, offers)
    out += [Sentence(lead + text + ".", r.assumptions) for text in _assumed(case, r)]
    return tuple(out[:10])
