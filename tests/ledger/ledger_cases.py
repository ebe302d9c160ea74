"""Small hand-built cases for the ledger tests (a toy of the 2023 WGA talks, in a few lines each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.model import Case

PARTIES: list[dict[str, Any]] = [
    {"id": "wga", "name": "Writers Guild of America", "short_name": "WGA", "kind": "union"},
    {"id": "amptp", "name": "AMPTP", "kind": "coalition", "members": ["netflix", "sony"]},
    {"id": "netflix", "name": "Netflix", "kind": "employer"},
    {"id": "sony", "name": "Sony", "kind": "employer"},
    {"id": "sag", "name": "SAG-AFTRA", "kind": "union"},
    {"id": "fmcs", "name": "Federal mediator", "kind": "mediator"},
]

ISSUES: list[dict[str, Any]] = [
    {
        "id": "pay",
        "name": "Minimum pay, year 1",
        "type": "numeric",
        "unit": "%",
        "low": 0,
        "high": 10,
        "step": 0.5,
        "directions": {"wga": "higher", "amptp": "lower"},
    },
    {
        "id": "staffing",
        "name": "Staffing",
        "type": "ordinal",
        "options": ["none", "showrunner", "min2", "min6"],
    },
    {"id": "duration", "name": "Duration", "type": "categorical", "options": ["none", "10wk", "20wk"]},
    {
        "id": "ai",
        "name": "AI",
        "type": "provisions",
        "provisions": [
            {"id": "not_writer", "name": "AI is not a writer"},
            {"id": "not_source", "name": "AI output is not source material"},
            {"id": "no_training", "name": "No training on writers' work"},
            {"id": "disclosure", "name": "Disclosure of AI material"},
        ],
    },
]

SOURCES = [{"id": f"S{i}", "title": f"source {i}"} for i in range(1, 10)]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def proposal(pid: str, date: str, frm: str, to: str, **fields: Any) -> dict[str, Any]:
    return {"id": pid, "date": date, "from": frm, "to": to, **fields}


def event(eid: str, kind: str, date: str, **fields: Any) -> dict[str, Any]:
    return {"id": eid, "kind": kind, "date": date, **fields}


def make_case(
    proposals: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    *,
    parties: list[dict[str, Any]] | None = None,
    issues: list[dict[str, Any]] | None = None,
) -> Case:
    return Case(
        id="toy",
        title="Toy talks",
        parties=PARTIES if parties is None else parties,
        issues=ISSUES if issues is None else issues,
        sources=SOURCES,
        proposals=proposals or [],
        events=events or [],
    )


def strike(
    stoppage: str, start: str, end: str | None = None, *, end_time: str | None = None, by: str = "wga"
) -> list[dict[str, Any]]:
    """A stoppage's start event (12:01 a.m.) and, if ``end`` is given, its end event."""
    found = [
        event(
            f"{stoppage}-start",
            "stoppage_started",
            start,
            time="00:01",
            stoppage=stoppage,
            by=by,
            against="amptp",
        )
    ]
    if end is not None:
        found.append(event(f"{stoppage}-end", "stoppage_ended", end, time=end_time, stoppage=stoppage))
    return found


OPENING_PAY: list[dict[str, Any]] = [
    proposal(
        "wga-05-01", "2023-05-01", "wga", "amptp", positions={"pay": 6, "ai": ["not_writer", "no_training"]}
    ),
    proposal("amptp-05-01", "2023-05-01", "amptp", "wga", positions={"pay": 4, "ai": ["not_writer"]}),
]
"""Both sides' openings on pay and AI (the toy's May 1)."""
