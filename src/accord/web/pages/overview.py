"""The case overview as of a date: strike counters, the gap per issue, whose turn it is, the TA board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accord import ledger
from accord.ledger import GapLabel, IssueGap, StatusReport, StoppageCount, TAStatus, TurnClaim
from accord.model import Case
from accord.web.pages.common import SourceLink, issue_names, party_names, source_links, value_text

LABEL_COLOURS = {
    GapLabel.AGREED: "#1a7f37",
    GapLabel.CLOSE: "#9a6700",
    GapLabel.APART: "#cf222e",
    GapLabel.ENTRENCHED: "#82071e",
    GapLabel.NO_POSITION: "#6e7781",
}


@dataclass(frozen=True, slots=True)
class Counter:
    """One strike or lockout as the overview shows it."""

    name: str
    by: str
    against: str
    count: StoppageCount
    sources: list[SourceLink]


@dataclass(frozen=True, slots=True)
class GapRow:
    """One issue's gap as the overview shows it: the label (or the agreement), the share of the
    opening gap still open and who closed it, each side's value with where it came from (or the
    agreed terms), and the holes."""

    gap: IssueGap
    issue_name: str
    text_a: str
    text_b: str
    holes_a: str
    holes_b: str
    label: str
    measures: str
    origin_a: str
    origin_b: str
    terms_sources: list[SourceLink]


@dataclass(frozen=True, slots=True)
class Claim:
    claim: TurnClaim
    party: str
    turn_of: str
    sources: list[SourceLink]


@dataclass(frozen=True, slots=True)
class BoardRow:
    line: TAStatus
    issue_name: str
    terms: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Overview:
    case: Case
    as_of: dt.date
    report: StatusReport
    names: dict[str, str]
    counters: list[Counter]
    gap_rows: list[GapRow]
    gap_chart: dict[str, Any]
    turn: str | None
    turn_basis: str | None
    settled_by: str | None
    settled_on: dt.date | None
    claims: list[Claim]
    disputed: bool
    board: list[BoardRow]


def overview(case: Case, as_of: dt.date) -> Overview:
    """Everything the overview page shows for ``case`` as of ``as_of``.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="Talks", parties=[{"id": "u", "name": "U", "kind": "union"}])
    >>> overview(case, dt.date(2023, 9, 8)).counters
    []
    """
    report = ledger.status(case, as_of)
    names = party_names(case)
    issues = {i.id: i for i in case.issues}
    counters = [
        Counter(
            name=f"{names.get(s.by, s.by)} {s.type.value}",
            by=names.get(s.by, s.by),
            against=names.get(s.against, s.against),
            count=s,
            sources=source_links(case, list(s.sources)),
        )
        for s in report.stoppages
    ]
    rows = [gap_row(case, gap, names) for gap in report.gaps]
    pending = report.pending
    claims = [
        Claim(
            c,
            names.get(c.party, c.party),
            names.get(c.turn_of, c.turn_of),
            source_links(case, list(c.sources)),
        )
        for c in pending.claims
    ]
    board = [
        BoardRow(
            line,
            issues[line.issue].name,
            None if line.terms is None else value_text(issues[line.issue], line.terms.value),
            ledger.agreement_text(line) if line.is_agreed else line.status.value,
        )
        for line in report.ta_board
    ]
    return Overview(
        case=case,
        as_of=as_of,
        report=report,
        names=names,
        counters=counters,
        gap_rows=rows,
        gap_chart=gap_chart(report.gaps, issue_names(case), names, report.sides),
        turn=None if pending.turn is None else names.get(pending.turn, pending.turn),
        turn_basis=pending.turn_basis,
        settled_by=pending.settled_by,
        settled_on=pending.settled_on,
        claims=claims,
        disputed=pending.disputed,
        board=board,
    )


def gap_row(case: Case, gap: IssueGap, names: dict[str, str]) -> GapRow:
    """One row of the gap table: agreed terms once agreed, else each side's value and its origin.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.casefile import bundled_case
    >>> case = bundled_case("wga-amptp-2023")
    >>> gaps = {g.issue: g for g in ledger.gaps(case, dt.date(2023, 9, 25))}
    >>> row = gap_row(case, gaps["min_pay"], party_names(case))
    >>> (row.label, row.text_a, row.holes_a)
    ('agreed, TA 2023-09-24', '13 %', '')
    """
    issue = case.issue(gap.issue)
    open_share = "" if gap.open_share is None else f"{gap.open_share:.0%} of the opening gap open"
    if gap.closed_by_a is not None and gap.closed_by_b is not None:
        open_share += (
            f"; closed: {names.get(gap.side_a, gap.side_a)} {gap.closed_by_a:.0%}, "
            f"{names.get(gap.side_b, gap.side_b)} {gap.closed_by_b:.0%}"
        )
    if gap.agreement is not None:
        terms = gap.agreement.terms
        agreed = "terms not recorded" if terms is None else value_text(issue, terms.value)
        return GapRow(
            gap, issue.name, agreed, agreed, "", "", ledger.agreement_text(gap.agreement), open_share,
            "agreed terms", "agreed terms", source_links(case, list(terms.sources)) if terms else [],
        )  # fmt: skip
    return GapRow(
        gap,
        issue.name,
        "no position" if gap.position_a is None else value_text(issue, gap.position_a.value),
        "no position" if gap.position_b is None else value_text(issue, gap.position_b.value),
        value_text(issue, frozenset(gap.holes_a)) if gap.holes_a else "",
        value_text(issue, frozenset(gap.holes_b)) if gap.holes_b else "",
        gap.label.value,
        open_share,
        "" if gap.position_a is None else ledger.origin_text(gap.position_a),
        "" if gap.position_b is None else ledger.origin_text(gap.position_b),
        [],
    )


def gap_chart(
    gaps: tuple[IssueGap, ...] | list[IssueGap],
    issue_name: dict[str, str],
    names: dict[str, str],
    sides: tuple[str, str],
) -> dict[str, Any]:
    """A Plotly spec: one horizontal bar per issue, largest gap on top, labelled agreed/close/apart.

    Examples
    --------
    >>> gap_chart([], {}, {}, ("u", "e"))["data"][0]["y"]
    []
    """
    ordered = list(reversed(list(gaps)))  # Plotly draws the first category at the bottom
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [issue_name.get(g.issue, g.issue) for g in ordered],
                "x": [g.distance if g.distance is not None else 0 for g in ordered],
                "text": [
                    g.label.value if g.agreement is None else ledger.agreement_text(g.agreement)
                    for g in ordered
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "marker": {"color": [LABEL_COLOURS[g.label] for g in ordered]},
                "hovertemplate": "%{y}: %{text} (gap %{x:.2f})<extra></extra>",
            }
        ],
        "layout": {
            "title": {
                "text": f"Gap per issue, {names.get(sides[0], sides[0])} vs {names.get(sides[1], sides[1])}"
            },
            "xaxis": {"title": {"text": "gap (0 = agreed, 1 = furthest apart)"}, "range": [0, 1.25]},
            "yaxis": {"automargin": True},
            "margin": {"l": 10, "r": 20, "t": 40, "b": 50},
            "height": 80 + 40 * max(1, len(ordered)),
        },
    }
