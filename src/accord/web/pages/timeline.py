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
    chart: dict[str, Any] | None


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
    records = list(ledger.effective_records(case, as_of))
    proposals = [r for r in records if isinstance(r, Proposal)]
    entries = [e for e in ledger.timeline(case, as_of, include_superseded=False) if e.kind != "proposal"]
    events = [
        EventMark(e, EVENT_LANES.get(e.kind, "Other"), source_links(case, list(e.sources))) for e in entries
    ]
    marks = [e for e in entries if e.kind in STOPPAGE_MARKS]
    colours = party_colours(case)
    span = (min((r.date for r in records), default=as_of), as_of)
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
        chart = issue_chart(issue, points, names, colours, marks, span)
        issues.append(IssueTimeline(issue, points, chart))
    return TimelinePage(case, as_of, issues, events, events_chart(events, span), names)


def party_colours(case: Case) -> dict[str, str]:
    """One colour per party, the same on every chart (by the party's place in the case)."""
    return {p.id: PALETTE[i % len(PALETTE)] for i, p in enumerate(case.parties)}


def _x_axis(span: tuple[dt.date, dt.date]) -> dict[str, Any]:
    pad = dt.timedelta(days=3)
    return {"type": "date", "range": [(span[0] - pad).isoformat(), (span[1] + pad).isoformat()]}


LEGEND = {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"}


def issue_chart(
    issue: Issue,
    points: list[Point],
    names: dict[str, str],
    colours: dict[str, str],
    marks: list[ledger.TimelineEntry],
    span: tuple[dt.date, dt.date],
) -> dict[str, Any] | None:
    """A step chart per party (numeric issues) or a lane of changes per party (other issues);
    ``None`` when no position states a value to draw.

    Every marker carries its proposal's URL (``customdata``) for the page's click handler;
    strikes and tentative agreements are dotted vertical lines.
    """
    as_of = span[1]
    numeric = isinstance(issue, NumericIssue)
    drawn = [p for p in points if not numeric or p.value is not None]
    if not drawn:
        return None
    parties = list(dict.fromkeys(p.party for p in drawn))
    data = []
    for index, party in enumerate(parties):
        own = [p for p in drawn if p.party == party]
        colour = colours.get(party, PALETTE[index % len(PALETTE)])
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
                "line": {"shape": "hv", "color": colour},
                "marker": {"size": 10, "color": colour, "symbol": index},
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
        "xaxis": _x_axis(span),
        "yaxis": {"automargin": True},
        "shapes": shapes,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 30},
        "height": 280 if numeric else 90 + 45 * max(1, len(parties)),
        "legend": LEGEND,
    }
    if isinstance(issue, NumericIssue):
        layout["yaxis"]["title"] = {"text": issue.unit}
    else:
        layout["yaxis"]["type"] = "category"
    return {"data": data, "layout": layout}


def events_chart(events: list[EventMark], span: tuple[dt.date, dt.date]) -> dict[str, Any]:
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
            "xaxis": _x_axis(span),
            "yaxis": {"type": "category", "automargin": True},
            "showlegend": False,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
            "height": 80 + 40 * max(1, len(lanes)),
        },
    }


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
