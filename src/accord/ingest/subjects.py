"""Who does what in a sentence: the party named (or the pronoun) right before a word, and the party
doing a verb, pronouns resolved for the sentence's speaker. The claim finders
(:mod:`accord.ingest.claims`, :mod:`accord.ingest.offer_claims`, :mod:`accord.ingest.request_claims`,
:mod:`accord.ingest.response_claims`) use them to say whose claim it is.
"""

from __future__ import annotations

from accord.ingest.view import PRONOUNS_IT, PRONOUNS_WE, View


def subject_before(view: View, token: int, speaker: str | None) -> str | None:
    """The party named (or the pronoun) right before ``token``: "and it has not responded"."""
    j = token - 1
    while j >= view.start and (
        view.doc[j].is_space or view.lower(j) in ("also", "still", "yet", "so", "far", '"')
    ):
        j -= 1
    if j < view.start:
        return None
    if view.party(j):
        return view.party(j)
    word = view.lower(j)
    if word in PRONOUNS_WE:
        return speaker
    if word in ("they", "them"):
        return view.state.lexicon.counterpart(speaker) if view.quoted(j) else view.state.previous_subject
    if word in PRONOUNS_IT:
        if view.quoted(j):
            before = [p for _, p in view.parties_in(view.start, j - 1)]
            return before[-1] if before else speaker
        if speaker:
            return speaker
        subjects = [
            p for i, p in view.parties_in(view.start, j - 1, quoted=False) if not view.is_possessive(i)
        ]
        return subjects[0] if subjects else view.state.previous_subject
    return None


def verb_subject(view: View, verb: int, speaker: str | None, *, strict: bool = False) -> str | None:
    """The party doing ``verb``: the nearest party (or pronoun) before it in its clause, else
    (not ``strict``) the first party of the sentence ("..., and urged Local 88 to ..."), else the
    speaker."""
    j = verb - 1
    dates = view.date_tokens()
    while j >= view.start:
        word = view.lower(j)
        if (
            view.doc[j].is_space
            or j in dates
            or word
            in (
                "has",
                "have",
                "had",
                "also",
                "repeatedly",
                "then",
                "later",
                "formally",
                "on",
                "earlier",
                "already",
            )
        ):
            j -= 1
            continue
        break
    k = j
    while k >= view.start and k > verb - 9:
        word = view.lower(k)
        if view.party(k) and not view.is_possessive(k):
            return view.party(k)
        if word in PRONOUNS_WE and view.quoted(k):
            return speaker
        if word in ("it", "they"):
            if view.quoted(k):
                before = [p for _, p in view.parties_in(view.start, k - 1)]
                return before[-1] if before else None
            return speaker or view.state.previous_subject
        if word in (",", ";", "and", "but", "that", '"') or view.a.cues[k] & {"SPEECH"}:
            break
        k -= 1
    if strict:
        return None
    for i, party in view.parties_in(view.start, verb - 1, quoted=False):
        if not view.is_possessive(i):
            return party
    return speaker
