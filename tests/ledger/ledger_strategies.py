"""Hypothesis generators of valid cases with every kind of ledger record (and corrections), over the
toy parties and issues of :mod:`ledger_cases` (values come from the shared ``tests/strategies.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from ledger_cases import ISSUES, PARTIES, SOURCES
from pydantic import TypeAdapter

from accord.model import Case, Issue
from strategies import position_values

FIRST = dt.date(2023, 1, 1)
LAST = dt.date(2023, 12, 31)
SIDES = ("wga", "amptp", "sag", "netflix")
TALKERS = [("wga", "amptp"), ("amptp", "wga"), ("sag", "amptp"), ("amptp", "sag"), ("netflix", "wga")]
TIMES = st.one_of(st.none(), st.sampled_from([dt.time(0, 0), dt.time(0, 1), dt.time(9, 30), dt.time(15, 0)]))


def dates(low: dt.date = FIRST, high: dt.date = LAST) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=low, max_value=high)


def as_of_dates() -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=dt.date(2022, 12, 1), max_value=dt.date(2024, 2, 1))


_ISSUES = [TypeAdapter(Issue).validate_python(issue) for issue in ISSUES]


@st.composite
def _positions(draw: st.DrawFn) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for issue in draw(st.lists(st.sampled_from(_ISSUES), unique_by=lambda i: i.id, max_size=4)):
        if draw(st.integers(0, 5)) == 0:
            found[issue.id] = {"text": "contents not public"}
        else:
            # On the step grid, so that equal positions (agreed gaps) are frequent.
            found[issue.id] = draw(position_values(issue, on_grid=True))
    return found


def _moment(record: dict[str, Any]) -> dt.datetime:
    return dt.datetime.combine(record["date"], record.get("time") or dt.time(0, 0))


@st.composite
def ledger_cases(draw: st.DrawFn) -> Case:
    """A valid case: proposals (some drafts, withdrawn or corrected), stoppages, TAs, requests,
    responses, turn claims and milestones, all between a few parties and the toy issues."""
    proposals: list[dict[str, Any]] = []
    for index in range(draw(st.integers(0, 8))):
        frm, to = draw(st.sampled_from(TALKERS))
        record: dict[str, Any] = {
            "id": f"p{index}",
            "date": draw(dates()),
            "time": draw(TIMES),
            "from": frm,
            "to": to,
            "positions": draw(_positions()),
            "status": draw(st.sampled_from(["tabled", "tabled", "tabled", "draft", "withdrawn", "rejected"])),
            "sources": draw(st.lists(st.sampled_from([s["id"] for s in SOURCES]), unique=True, max_size=2)),
        }
        earlier = [p["id"] for p in proposals if _moment(p) <= _moment(record)]
        if earlier:
            record["answers"] = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))
        if proposals and draw(st.booleans()):
            record["supersedes"] = draw(st.sampled_from([p["id"] for p in proposals]))
        proposals.append(record)

    events: list[dict[str, Any]] = []
    for index in range(draw(st.integers(0, 2))):
        start = draw(dates())
        by = draw(st.sampled_from(["wga", "sag"]))
        begin = {
            "id": f"s{index}",
            "kind": "stoppage_started",
            "date": start,
            "time": draw(TIMES),
            "stoppage": f"stop{index}",
            "by": by,
            "against": "amptp",
        }
        if draw(st.booleans()):  # a wrong first report, corrected
            events.append({**begin, "id": f"s{index}-wrong", "date": start - dt.timedelta(days=1)})
            begin["supersedes"] = f"s{index}-wrong"
        events.append(begin)
        if draw(st.booleans()):
            length = draw(st.integers(1, 200))
            events.append(
                {
                    "id": f"e{index}",
                    "kind": "stoppage_ended",
                    "date": start + dt.timedelta(days=length),
                    "time": draw(TIMES),
                    "stoppage": f"stop{index}",
                }
            )
    tas: list[str] = []
    for index in range(draw(st.integers(0, 3))):
        issues = draw(st.lists(st.sampled_from([i["id"] for i in ISSUES]), unique=True, max_size=2))
        pair = draw(st.sampled_from([["wga", "amptp"], ["amptp", "wga"], ["sag", "amptp"]]))
        events.append(
            {
                "id": f"ta{index}",
                "kind": "tentative_agreement",
                "date": draw(dates()),
                "parties": pair,
                "issues": issues,
            }
        )
        tas.append(f"ta{index}")
    for index in range(draw(st.integers(0, 2)) if tas else 0):
        events.append(
            {
                "id": f"wd{index}",
                "kind": "ta_withdrawn",
                "date": draw(dates()),
                "agreement": draw(st.sampled_from(tas)),
                "issues": draw(st.lists(st.sampled_from([i["id"] for i in ISSUES]), unique=True, max_size=2)),
            }
        )
    requests: list[str] = []
    for index in range(draw(st.integers(0, 3))):
        frm, to = draw(st.sampled_from(TALKERS))
        events.append(
            {
                "id": f"r{index}",
                "kind": "request",
                "date": draw(dates()),
                "from": frm,
                "to": to,
                "asks": draw(st.sampled_from(["response", "information", "meeting"])),
            }
        )
        requests.append(f"r{index}")
    answerable = requests + [p["id"] for p in proposals]
    for index in range(draw(st.integers(0, 3)) if answerable else 0):
        frm, to = draw(st.sampled_from(TALKERS))
        events.append(
            {
                "id": f"resp{index}",
                "kind": "response",
                "date": draw(dates()),
                "from": frm,
                "to": to,
                "responds_to": draw(st.sampled_from(answerable)),
            }
        )
    statements: list[str] = []
    for index in range(draw(st.integers(0, 4))):
        record = {
            "id": f"st{index}",
            "kind": "statement",
            "date": draw(dates()),
            "time": draw(TIMES),
            "party": draw(st.sampled_from([*SIDES, "fmcs"])),
            "summary": f"claim {index}",
            "turn_of": draw(st.one_of(st.none(), st.sampled_from(SIDES))),
        }
        if statements and draw(st.booleans()):
            key = "supersedes" if draw(st.booleans()) else "disputes"
            record[key] = draw(st.sampled_from(statements))
        events.append(record)
        statements.append(f"st{index}")
    for index in range(draw(st.integers(0, 2))):
        events.append(
            {"id": f"talks{index}", "kind": "talks_held", "date": draw(dates()), "parties": ["wga", "amptp"]}
        )
    return Case(
        id="generated",
        title="Generated",
        parties=PARTIES,
        issues=ISSUES,
        sources=SOURCES,
        proposals=proposals,
        events=events,
    )
