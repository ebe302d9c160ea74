"""The timeline page: each side's position per issue over time, and the events, as charts and tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord import ledger
from accord.model import Case, Issue, NumericIssue, Proposal
from accord.web.pages.common import SourceLink, party_names, source_links, value_text

PALETTE = ("#0550ae", "#bc4c00", "#1a7f37", "#8250df", "#bf3989", "#57606a")
EVENT_LANES = {
    "stoppage_started": "Strikes",
    "stoppage_ended": "Strikes",
    "talks_held": "Talks",
    "talks_suspended": "Talks",
    "talks_resumed": "Talks",
    "statement": "Statements",
    "request": "Requests",
    "response": "Requests",
    "tentative_agreement": "Agreements",
    "ta_withdrawn": "Agreements",
    "vote": "Agreements",
    "milestone": "Milestones",
}
STOPPAGE_MARKS = ("stoppage_started", "stoppage_ended", "tentative_agreement")


@dataclass(frozen=True, slots=True)
class Point:
    """One stated position: who, when, what, and where it comes from."""

    date: dt.date
    party: str
    proposal_id: str
    value: object
    text: str
    sources: list[SourceLink]
    url: str


@dataclass(frozen=True, slots=True)
class IssueTimeline:
    issue: Issue
    points: list[Point]
    chart: dict[str, Any]


@dataclass(frozen=True, slots=True)
class EventMark:
    entry: ledger.TimelineEntry
    lane: str
    sources: list[SourceLink]


@dataclass(frozen=True, slots=True)
class TimelinePage:
    case: Case
    as_of: dt.date
    issues: list[IssueTimeline]
    events: list[EventMark]
    events_chart: dict[str, Any]
    names: dict[str, str] = field(default_factory=dict)


def timeline_page(case: Case, as_of: dt.date, proposal_url: Callable[[str], str]) -> TimelinePage:
    """Every issue's positions up to ``as_of`` (effective records only) and the events.

    ``proposal_url`` gives the link of a proposal's page.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}])
    >>> timeline_page(case, dt.date(2023, 1, 1), lambda p: "/" + p).issues
    []
    """
    names = party_names(case)
    records = [r for r in ledger.effective_records(case) if r.date <= as_of]
    proposals = [r for r in records if isinstance(r, Proposal)]
    entries = [e for e in ledger.timeline(case, as_of, include_superseded=False) if e.kind != "proposal"]
    events = [
        EventMark(e, EVENT_LANES.get(e.kind, "Other"), source_links(case, list(e.sources))) for e in entries
    ]
    marks = [e for e in entries if e.kind in STOPPAGE_MARKS]
    issues = []
    for issue in case.issues:
        points = [
            Point(
                p.date,
                p.from_party,
                p.id,
                p.positions[issue.id].value,
                p.positions[issue.id].text or value_text(issue, p.positions[issue.id].value),
                source_links(case, list(p.sources)),
                proposal_url(p.id),
            )
            for p in proposals
            if issue.id in p.positions
        ]
        issues.append(IssueTimeline(issue, points, issue_chart(issue, points, names, marks, as_of)))
    return TimelinePage(case, as_of, issues, events, events_chart(events, as_of), names)


def issue_chart(
    issue: Issue,
    points: list[Point],
    names: dict[str, str],
    marks: list[ledger.TimelineEntry],
    as_of: dt.date,
) -> dict[str, Any]:
    """A step chart per party (numeric issues) or a lane of changes per party (other issues).

    Every marker carries its proposal's URL (``customdata``) for the page's click handler;
    strikes and tentative agreements are dotted vertical lines.
    """
    parties = list(dict.fromkeys(p.party for p in points))
    data = []
    numeric = isinstance(issue, NumericIssue)
    for index, party in enumerate(parties):
        own = [p for p in points if p.party == party and (not numeric or p.value is not None)]
        if numeric:
            xs = [p.date.isoformat() for p in own]
            ys: list[Any] = [p.value for p in own]
            if own:  # hold the last position up to the "as of" date
                xs.append(as_of.isoformat())
                ys.append(own[-1].value)
        else:
            xs = [p.date.isoformat() for p in own]
            ys = [names.get(party, party)] * len(own)
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers" if numeric else "markers",
                "name": names.get(party, party),
                "x": xs,
                "y": ys,
                "line": {"shape": "hv", "color": PALETTE[index % len(PALETTE)]},
                "marker": {"size": 10, "color": PALETTE[index % len(PALETTE)], "symbol": index},
                "customdata": [p.url for p in own] + ([None] if numeric and own else []),
                "text": [_short(p.text) for p in own] + ([""] if numeric and own else []),
                "hovertemplate": "%{x}<br>%{text}<extra>" + names.get(party, party) + "</extra>",
            }
        )
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": m.date.isoformat(),
            "x1": m.date.isoformat(),
            "y0": 0,
            "y1": 1,
            "line": {"dash": "dot", "width": 1, "color": "#57606a"},
        }
        for m in marks
    ]
    layout: dict[str, Any] = {
        "title": {"text": issue.name},
        "xaxis": {"type": "date", "title": {"text": "date"}},
        "yaxis": {"automargin": True},
        "shapes": shapes,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
        "height": 300 if numeric else 120 + 45 * max(1, len(parties)),
        "legend": {"orientation": "h"},
    }
    if isinstance(issue, NumericIssue):
        layout["yaxis"]["title"] = {"text": issue.unit}
    else:
        layout["yaxis"]["type"] = "category"
    return {"data": data, "layout": layout}


def events_chart(events: list[EventMark], as_of: dt.date) -> dict[str, Any]:
    """The events as markers on lanes (strikes, talks, statements, requests, agreements)."""
    lanes = list(dict.fromkeys(e.lane for e in events))
    data = []
    for index, lane in enumerate(lanes):
        own = [e for e in events if e.lane == lane]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": lane,
                "x": [e.entry.date.isoformat() for e in own],
                "y": [lane] * len(own),
                "text": [_short(e.entry.summary) for e in own],
                "customdata": [e.sources[0].url if e.sources else None for e in own],
                "marker": {"size": 11, "symbol": index + 1, "color": PALETTE[index % len(PALETTE)]},
                "hovertemplate": "%{x}<br>%{text}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {"text": f"Events up to {as_of.isoformat()}"},
            "xaxis": {"type": "date"},
            "yaxis": {"type": "category", "automargin": True},
            "showlegend": False,
            "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
            "height": 120 + 40 * max(1, len(lanes)),
        },
    }


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
