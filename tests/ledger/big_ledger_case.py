"""A big generated case for the ledger's indexed paths: hundreds of proposals over the toy parties
and issues of :mod:`ledger_cases`, with drafts, withdrawals, valueless positions, corrections
(some dated after what they correct, some in chains), stoppages, TAs and their withdrawals,
requests, responses and turn claims. Built from a seed, so every run sees the same case."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ledger_cases import ISSUES, PARTIES, SOURCES

from accord.model import Case

FIRST = dt.date(2023, 3, 1)
DAYS = 240
TALKERS = [("wga", "amptp"), ("amptp", "wga"), ("sag", "amptp"), ("amptp", "sag"), ("netflix", "wga")]
TIMES = [None, None, dt.time(0, 0), dt.time(0, 1), dt.time(9, 30), dt.time(15, 0)]
STATUSES = ["tabled"] * 6 + ["draft", "withdrawn", "rejected", "accepted"]


def _value(rng: random.Random, issue: dict[str, Any]) -> Any:
    if issue["type"] == "numeric":
        return issue["low"] + issue["step"] * rng.randrange(
            int((issue["high"] - issue["low"]) / issue["step"]) + 1
        )
    if issue["type"] in ("ordinal", "categorical"):
        return rng.choice(issue["options"])
    return [p["id"] for p in issue["provisions"] if rng.random() < 0.5]


def _positions(rng: random.Random) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for issue in rng.sample(ISSUES, rng.randint(0, len(ISSUES))):
        if rng.random() < 0.15:
            found[issue["id"]] = {"text": "contents not public"}
        elif rng.random() < 0.1:
            found[issue["id"]] = {"value": _value(rng, issue), "confidence": "C"}
        else:
            found[issue["id"]] = _value(rng, issue)
    return found


def _date(rng: random.Random) -> dt.date:
    return FIRST + dt.timedelta(days=rng.randrange(DAYS))


def big_case(n_proposals: int, seed: int) -> Case:
    """A valid case with ``n_proposals`` proposals (a tenth of them corrections) and some events."""
    rng = random.Random(seed)
    proposals: list[dict[str, Any]] = []
    for index in range(n_proposals):
        frm, to = rng.choice(TALKERS)
        record: dict[str, Any] = {
            "id": f"p{index}",
            "date": _date(rng),
            "time": rng.choice(TIMES),
            "from": frm,
            "to": to,
            "positions": _positions(rng),
            "status": rng.choice(STATUSES),
            "confidence": rng.choice("AAB"),
        }
        if proposals and rng.random() < 0.1:
            target = rng.choice(proposals)
            record["supersedes"] = target["id"]
            if rng.random() < 0.5:  # a correction filed on the day, or later
                record["date"] = target["date"] + dt.timedelta(days=rng.randrange(30))
                record["time"] = None
        elif proposals and rng.random() < 0.2:
            earlier = rng.choice(proposals)
            if (earlier["date"], earlier["time"] or dt.time(0, 0)) <= (
                record["date"],
                record["time"] or dt.time(0, 0),
            ):
                record["answers"] = [earlier["id"]]
        proposals.append(record)
    events: list[dict[str, Any]] = [
        {
            "id": "s0",
            "kind": "stoppage_started",
            "stoppage": "strike",
            "date": dt.date(2023, 5, 2),
            "time": dt.time(0, 1),
            "by": "wga",
            "against": "amptp",
        },
        {
            "id": "e0",
            "kind": "stoppage_ended",
            "stoppage": "strike",
            "date": dt.date(2023, 9, 27),
            "time": dt.time(0, 1),
        },
        {
            "id": "s1-wrong",
            "kind": "stoppage_started",
            "stoppage": "sag",
            "date": dt.date(2023, 7, 13),
            "by": "sag",
            "against": "amptp",
        },
        {
            "id": "s1",
            "kind": "stoppage_started",
            "stoppage": "sag",
            "date": dt.date(2023, 7, 14),
            "by": "sag",
            "against": "amptp",
            "supersedes": "s1-wrong",
        },
        {
            "id": "ta0",
            "kind": "tentative_agreement",
            "date": dt.date(2023, 6, 1),
            "parties": ["wga", "amptp"],
            "issues": ["duration"],
        },
        {"id": "wd0", "kind": "ta_withdrawn", "date": dt.date(2023, 6, 20), "agreement": "ta0"},
        {
            "id": "ta1",
            "kind": "tentative_agreement",
            "date": dt.date(2023, 9, 24),
            "parties": ["amptp", "wga"],
        },
        {
            "id": "ta2",
            "kind": "tentative_agreement",
            "date": dt.date(2023, 8, 1),
            "parties": ["sag", "amptp"],
            "issues": ["pay", "ai"],
        },
        {"id": "talks0", "kind": "talks_held", "date": dt.date(2023, 8, 11), "parties": ["wga", "amptp"]},
    ]
    for index in range(n_proposals // 50):
        frm, to = rng.choice(TALKERS)
        events.append(
            {
                "id": f"r{index}",
                "kind": "request",
                "date": _date(rng),
                "from": frm,
                "to": to,
                "asks": rng.choice(["response", "information", "meeting"]),
            }
        )
        target = rng.choice([f"r{index}", rng.choice(proposals)["id"]])
        events.append(
            {
                "id": f"resp{index}",
                "kind": "response",
                "date": _date(rng),
                "from": to,
                "to": frm,
                "responds_to": target,
            }
        )
        events.append(
            {
                "id": f"st{index}",
                "kind": "statement",
                "date": _date(rng),
                "time": rng.choice(TIMES),
                "party": rng.choice(["wga", "amptp", "fmcs"]),
                "summary": f"claim {index}",
                "turn_of": rng.choice(["wga", "amptp"]),
            }
        )
    return Case(
        id="big",
        title="Big generated case",
        parties=PARTIES,
        issues=ISSUES,
        sources=SOURCES,
        proposals=proposals,
        events=events,
    )
