"""The answers a sentence says a party gave ("the studios responded", "Local 88 turned down the
offer"): who answered whom, and the offer answered where the sentence names one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.ingest.offer_claims import OfferMention
from accord.ingest.request_claims import RequestMention
from accord.ingest.subjects import verb_subject
from accord.ingest.view import View


@dataclass(frozen=True, slots=True)
class ResponseMention:
    token: int
    party: str
    to: str | None
    date: dt.date | None
    answers: OfferMention | None


def responses(
    view: View, speaker: str | None, found_offers: list[OfferMention], found_requests: list[RequestMention]
) -> list[ResponseMention]:
    """Answers the sentence says a party gave (not negated, not promised)."""
    result: list[ResponseMention] = []
    for i in range(view.start, view.end):
        if not view.cue(i, "RESPONSE_VERB"):
            continue
        word = view.lower(i)
        following = view.lower(i + 1) if i + 1 < view.end else ""
        if word in ("delivered", "sent") and following not in ("its", "their", "a", "the"):
            continue
        if word in ("delivered", "sent") and not any(
            view.lower(j) in ("response", "reply", "answer") for j in range(i + 1, min(view.end, i + 4))
        ):
            continue
        if word == "agreed" and following != "to":
            continue
        if word in ("responded", "replied", "answered") and following == "that":
            continue
        if word in ("turned", "voted") and following != "down":
            continue
        if word == "answered" and any(view.lower(j) == "with" for j in range(i + 1, min(view.end, i + 8))):
            continue
        if view.negated(i) or view.future(i):
            continue
        party = verb_subject(view, i, speaker if view.quoted(i) else None, strict=True)
        if party is None:
            continue
        answered = next((o for o in found_offers if o.token > i and o.owner != party), None)
        request = next((r for r in found_requests if r.party != party), None)
        to = (
            _named_object(view, i, party)
            or (answered.owner if answered else None)
            or (request.party if request else None)
        )
        to = to or view.state.lexicon.counterpart(party)
        dates = view.dates_owned_by(i)
        date = dates[0].mention.dates[0] if dates else None
        if any(r.party == party for r in result):
            continue
        result.append(ResponseMention(i, party, to, date, answered))
    return result


def _named_object(view: View, verb: int, subject: str) -> str | None:
    """ "replied to the mediators": the party right after the verb (and "to")."""
    j = verb + 1
    if j < view.end and view.lower(j) in ("to", "down"):
        j += 1
    if j < view.end and view.lower(j) == "the":
        j += 1
    if j < view.end and view.party(j) and view.party(j) != subject and not view.is_possessive(j):
        return view.party(j)
    return None
