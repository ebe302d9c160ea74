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
    gap: IssueGap
    issue_name: str
    text_a: str
    text_b: str
    holes_a: str
    holes_b: str


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
    rows = [
        GapRow(
            gap,
            issues[gap.issue].name,
            _position_text(issues, gap, gap.position_a),
            _position_text(issues, gap, gap.position_b),
            value_text(issues[gap.issue], frozenset(gap.holes_a)) if gap.holes_a else "",
            value_text(issues[gap.issue], frozenset(gap.holes_b)) if gap.holes_b else "",
        )
        for gap in report.gaps
    ]
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
        claims=claims,
        disputed=pending.disputed,
        board=board,
    )


def _position_text(issues: dict[str, Any], gap: IssueGap, at: ledger.PositionAt | None) -> str:
    if at is None:
        return "no position"
    return value_text(issues[gap.issue], at.value)


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
                "text": [g.label.value for g in ordered],
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
