"""The requests a sentence says a party made of another: to answer, to meet, or for information
("asked the WGA to identify ...", "urged Local 88 to put it to a vote")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.ingest.subjects import verb_subject
from accord.ingest.view import View
from accord.model import RequestKind

MEETING_WORDS = frozenset(
    [
        "meet",
        "meeting",
        "meetings",
        "table",
        "talks",
        "session",
        "sessions",
        "mediation",
        "bargain",
        "bargaining",
        "negotiate",
        "negotiations",
        "sit",
    ]
)


INFORMATION_WORDS = frozenset(
    [
        "identify",
        "provide",
        "share",
        "explain",
        "clarify",
        "disclose",
        "details",
        "data",
        "information",
        "list",
        "specify",
    ]
)


@dataclass(frozen=True, slots=True)
class RequestMention:
    token: int
    party: str
    to: str | None
    asks: RequestKind
    date: dt.date | None


def requests(view: View, speaker: str | None) -> list[RequestMention]:
    """Requests the sentence says a party made of another: "asked the WGA to identify ...",
    "urged Local 88 to put it to a vote", "invited Local 88 ... to a joint session"."""
    result: list[RequestMention] = []
    for i in range(view.start, view.end):
        if not view.cue(i, "REQUEST_VERB") or view.negated(i):
            continue
        start = i + 2 if view.lower(i + 1 if i + 1 < view.end else i) == "on" else i + 1
        target = _request_target(view, start)
        if target is None:
            continue
        to, after = target
        tail = [view.lower(j) for j in range(after, min(view.end, after + 14))]
        if not tail or tail[0] not in ("to", "for"):
            continue
        party = verb_subject(view, i, speaker)
        if party is None or party == to:
            continue
        if any(w in MEETING_WORDS for w in tail):
            asks = RequestKind.MEETING
        elif any(w in INFORMATION_WORDS for w in tail):
            asks = RequestKind.INFORMATION
        else:
            asks = RequestKind.RESPONSE
        dates = view.dates_owned_by(i)
        result.append(RequestMention(i, party, to, asks, dates[0].mention.dates[0] if dates else None))
    return result


def _request_target(view: View, j: int) -> tuple[str, int] | None:
    """The party asked (right after the verb; a date may follow it) and where the ask goes on."""
    dates = view.date_tokens()
    while j < view.end and (view.doc[j].is_space or view.lower(j) in ("the", "a")):
        j += 1
    if j >= view.end or not view.party(j):
        return None
    to = view.party(j)
    assert to is not None
    k = view.entity_end(j) + 1
    while k < view.end and (
        k in dates or view.lower(k) in ("on", "and") or view.party(k) or view.lower(k) in ("the",)
    ):
        if view.lower(k) == "and" and not (
            k + 1 < view.end and (view.party(k + 1) or view.lower(k + 1) == "the")
        ):
            break
        k += 1
    return to, k
