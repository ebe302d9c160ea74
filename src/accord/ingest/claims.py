"""What a sentence claims besides who said it: whose turn it is and how far apart the sides are
(here), the offers made (:mod:`accord.ingest.offer_claims`), the requests made
(:mod:`accord.ingest.request_claims`) and the answers given (:mod:`accord.ingest.response_claims`).

Each finder takes a :class:`~accord.ingest.view.View` (and the sentence's speaker, where the
claim may be made in the first person: "we have asked the WGA") and returns what it found; the
reader (:mod:`accord.ingest.reader`) turns that into drafts.
"""

from __future__ import annotations

import re

from accord.ingest.drafts import Stance
from accord.ingest.subjects import subject_before
from accord.ingest.view import PRONOUNS_WE, View

_X = r"(?P<x>[\w.&'-]+(?:\s+[\w.&'-]+){0,5}?)"
TURN_NAMED = [
    re.compile(
        rf"\bball\s+is\s+(?:now\s+|still\s+|squarely\s+|firmly\s+)?in\s+{_X}(?:'s|')?\s+court\b", re.I
    ),
    re.compile(rf"\b(?:comes|came|coming)\s+from\s+{_X}(?:'s|')\s+end\b", re.I),
    re.compile(
        rf"\b(?:waiting|wait|waits|awaiting|awaits)\s+(?:for|on)\s+{_X}(?:'s|')\s+(?:\w+\s+)?(?:response|answer|reply|counter\w*|move)\b",
        re.I,
    ),
    re.compile(r"\b(?:waiting|wait|waits)\s+(?:for|on|to\s+hear\s+from)\s+(?P<x>them|us|it)\b", re.I),
    re.compile(rf"\b(?:it\s+is|it's)\s+(?:now\s+)?{_X}(?:'s|')\s+(?:turn|move)\b", re.I),
    re.compile(r"\b(?:it\s+is|it's)\s+(?:now\s+)?(?P<x>their|our|its)\s+(?:turn|move)\b", re.I),
    re.compile(r"\bnext\s+move\s+is\s+(?P<x>theirs|ours|its|[\w.&-]+(?:\s+[\w.&-]+){0,3}?(?:'s|'))", re.I),
    re.compile(rf"\bup\s+to\s+{_X}\s+to\s+(?:respond|move|come\s+back|make)\b", re.I),
]


TURN_SUBJECT = [
    re.compile(
        r"\b(?:has|have|had)\s+(?:still\s+)?(?:not|yet\s+to|n't)(?:\s+yet)?\s+(?:responded|respond|replied|reply|answered|come\s+back)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:did|does|do)\s+not\s+(?:respond|reply|answer)\b(?!\s+to\s+(?:a\s+)?requests?\s+for\s+comment)",
        re.I,
    ),
    re.compile(r"\bholds?\s+the\s+power\s+to\s+move\b.{0,60}?\bby\s+responding\b", re.I),
    re.compile(r"\b(?:must|needs\s+to|need\s+to)\s+(?:respond|come\s+back)\b", re.I),
]


STANCES = [
    (
        Stance.APART,
        re.compile(
            r"\bnot\s+(?:yet\s+)?close\b|\b(?:far|further|wide|farther)\s+apart\b|\bremain(?:s|ed)?\s+apart\b|\btoo\s+(?:great|wide|large|big)\b|\bwide\s+gap\b|\bgulf\b",
            re.I,
        ),
    ),
    (
        Stance.ENTRENCHED,
        re.compile(
            r"\bentrenched\b|\b(?:has|have|had)\s+not\s+moved\b|\bhaven't\s+moved\b|\bno\s+movement\b|\brefus\w*\s+to\s+move\b|\bdug\s+in\b|\brefus\w*\s+to\s+budge\b|\bhard\s+line\b|\bunwilling\s+to\s+move\b",
            re.I,
        ),
    ),
    (
        Stance.IMPASSE,
        re.compile(
            r"\bimpasse\b|\bstandstill\b|\bstalemate\b|\bdeadlock(?:ed)?\b|\bstalled\b|\bfrozen\b|\bstuck\b|\bno\s+progress\b|\bparalysis\b",
            re.I,
        ),
    ),
    (
        Stance.CLOSE,
        re.compile(
            r"\b(?:are|is|were|was|be|been|remain|remains|get|getting|got|'re|now|very|so)\s+(?:very\s+|so\s+|now\s+|much\s+)?clos(?:e|er)\b(?!\s+to\s+(?:the|people|a\s+person|talks|negotiations))|\bclose\s+to\s+(?:a\s+|an\s+)?(?:deal|agreement|settlement|contract)\b|\bcloser\s+(?:than|to)\b|\bnarrow(?:ed|ing)?\s+the\s+gap\b",
            re.I,
        ),
    ),
    (Stance.PROGRESS, re.compile(r"\b(?:made|making|make|real|significant|some|good)\s+progress\b", re.I)),
]


def _party_of(view: View, text_start: int, text_end: int, speaker: str | None) -> str | None:
    """The party a phrase of the sentence (characters) names, pronouns resolved for ``speaker``."""
    phrase = view.flat[text_start:text_end].strip().lower()
    last = phrase.split()[-1] if phrase.split() else ""
    if last in ("them", "their", "theirs", "they"):
        return view.state.lexicon.counterpart(speaker)
    if last in PRONOUNS_WE or last in ("ours",):
        return speaker
    first = view.char_token(text_start)
    named = view.parties_in(first, view.char_token(max(text_start, text_end - 1)))
    if named:
        return named[-1][1]
    if last in ("it", "its"):
        before = [p for _, p in view.parties_in(view.start, first - 1)]
        return before[-1] if before else speaker
    return None


def turn_of(view: View, speaker: str | None) -> str | None:
    """The party the sentence says owes the next move, if it says so."""
    text = view.flat.replace('"', " ")
    for pattern in TURN_NAMED:
        match = pattern.search(text)
        if match:
            found = _party_of(view, match.start("x"), match.end("x"), speaker)
            if found:
                return found
    for pattern in TURN_SUBJECT:
        match = pattern.search(text)
        if match:
            found = subject_before(view, view.char_token(match.start()), speaker)
            if found:
                return found
    return None


def stance_of(view: View) -> Stance | None:
    text = view.flat.replace('"', " ")
    for stance, pattern in STANCES:
        if pattern.search(text):
            return stance
    return None
