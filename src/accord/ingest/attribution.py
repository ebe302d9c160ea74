"""Who says a sentence: the speaker behind a speech verb ("the guild said", "said Dana Okafor,
president of Local 88", "according to the guild", "by the union's count"), resolved to one of the
case's parties through its names and aliases, the people the article ties to a party, and the
sentences before (a pronoun, "the statement continued", a quotation that goes on).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord.ingest.drafts import Evidence
from accord.ingest.view import (
    BOUNDARIES,
    FUNCTIONARIES,
    PRONOUNS_IT,
    PRONOUNS_PERSON,
    PRONOUNS_WE,
    STATEMENT_NOUNS,
    View,
)

SKIP = frozenset(
    [
        "also",
        "has",
        "have",
        "had",
        "later",
        "previously",
        "earlier",
        "then",
        "further",
        "again",
        "separately",
        "publicly",
        "repeatedly",
        "only",
        "now",
        "quickly",
        "already",
        "still",
        "recently",
        "once",
        "would",
        "will",
        "could",
        "should",
        "may",
        "might",
        "is",
        "was",
        "were",
        "are",
        "been",
        "be",
        "formally",
        "officially",
        "privately",
        "first",
        "reportedly",
        "swiftly",
        "immediately",
        "promptly",
        "just",
        "in",
        "a",
        "an",
        "statement",
        "late",
        "early",
    ]
)
RIGHT_STOPS = frozenset(
    {",", ".", ";", ":", '"', "on", "in", "at", "outside", "during", "after", "before", "with", "who", "that",
     "which", "and", "to", "by", "as", "because", "while", "when"}
)  # fmt: skip
INVERTED = frozenset(
    ["said", "says", "added", "wrote", "continued", "argued", "insisted", "noted", "explained", "asked"]
)
"""Verbs that may come before their subject: '"...," said Dana Okafor'."""
ANONYMOUS = frozenset(
    ["people", "person", "sources", "source", "someone", "insiders", "observers", "analysts", "one"]
)
_BY_COUNT = re.compile(
    r"\b(?:by|in)\s+(?:the\s+)?(?P<x>[\w .&'-]{2,60}?)(?:'s|')\s+(?:count|tally|reckoning|view|telling)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """The party a sentence's words belong to, how the sentence carries them, and the verb."""

    party: str
    evidence: Evidence
    verb: int | None
    inferred: bool = False
    present: bool = False
    date: dt.date | None = None


def attribute(view: View) -> Attribution | None:
    """The speaker named in the sentence itself (not a quotation's speaker carried over)."""
    for i in range(view.start, view.end):
        if view.quoted(i):
            continue
        if view.cue(i, "ACCORDING"):
            found = _np_party(view, _right_np(view, i + 2, to_clause_end=True), i)
            if found:
                return _attribution(view, found[0], i + 1, found[1])
        elif view.cue(i, "SPEECH") and _speech_verb(view, i):
            found = _speaker(view, i)
            if found:
                return _attribution(view, found[0], i, found[1])
    match = _BY_COUNT.search(view.flat)
    if match:
        token = view.char_token(match.start("x"))
        parties = view.parties_in(token, view.char_token(match.end("x") - 1))
        if parties:
            return Attribution(parties[-1][1], Evidence.REPORTED, None)
    return None


def _attribution(view: View, party: str, verb: int, inferred: bool) -> Attribution:
    quoted = view.s.quote_text is not None and any(view.quoted(i) for i in range(view.start, view.end))
    present = view.lower(verb) in (
        "says",
        "argues",
        "insists",
        "contends",
        "maintains",
        "claims",
        "states",
        "notes",
    )
    return Attribution(party, Evidence.QUOTE if quoted else Evidence.REPORTED, verb, inferred, present)


def _speech_verb(view: View, i: int) -> bool:
    """A speech verb used as one: not negated, not "called for/on", not "countered with"."""
    word = view.lower(i)
    following = view.lower(i + 1) if i + 1 < view.end else ""
    if view.negated(i):
        return False
    if word in ("called", "calls", "calling") and following in ("for", "on", "off"):
        return False
    if word == "countered" and following != "that":
        return False
    if word == "continued" and following not in (".", ",", "that", ":"):
        return False
    return not (word in ("added", "adds") and following in ("to", "more"))


def _speaker(view: View, verb: int) -> tuple[str, bool] | None:
    """The party of the subject before ``verb``; else, after a quotation or comma, the subject
    after it ("said Dana Okafor, president of Local 88"); else the clause's first party."""
    left, apposition = _left_np(view, verb)
    if left:
        found = _np_party(view, left, verb, apposition)
        if found:
            return found
        if _is_anonymous(view, left):
            return None
    previous = _previous_word(view, verb)
    if view.lower(verb) in INVERTED and (previous is None or view.text(previous) in ('"', ",")):
        right = _right_np(view, verb + 1)
        if right:
            found = _np_party(view, right, verb, _apposition_after(view, right[-1] + 1))
            if found:
                return found
            if _is_anonymous(view, right):
                return None
    if not left:
        subject = _clause_subject(view, verb)
        if subject:
            return subject, False
    return None


def _previous_word(view: View, i: int) -> int | None:
    j = i - 1
    while j >= view.start and view.doc[j].is_space:
        j -= 1
    return j if j >= view.start else None


def _left_np(view: View, verb: int) -> tuple[list[int], list[int]]:
    """The noun phrase ending before ``verb`` (skipping adverbs, auxiliaries and dates), and an
    apposition set off by commas between it and the verb."""
    dates = view.date_tokens()
    j = verb - 1
    apposition: list[int] = []
    while j >= view.start:
        word = view.lower(j)
        if view.doc[j].is_space or j in dates or (word in SKIP and not view.party(j)):
            j -= 1
            continue
        if word == "," and not apposition:
            k = j - 1
            while k >= view.start and view.text(k) != "," and not view.quoted(k):
                k -= 1
            region = list(range(k + 1, j))
            if k >= view.start and view.text(k) == "," and region and _is_apposition(view, region):
                apposition = region
                j = k - 1
                continue
        if word in ("that", "which", "who") and j - 1 >= view.start:
            j -= 1  # a relative clause: "a memo that questioned" -> the memo
            continue
        break
    tokens: list[int] = []
    while j >= view.start and len(tokens) < 10:
        word = view.lower(j)
        if view.quoted(j) or (word in BOUNDARIES and not view.party(j)) or word in ("what", "how", "why"):
            break
        if view.a.cues[j] - {"ACCORDING"} and not view.party(j) and word not in FUNCTIONARIES:
            break
        tokens.insert(0, j)
        j -= 1
    return tokens, apposition


def _is_apposition(view: View, region: list[int]) -> bool:
    first = view.lower(region[0])
    return first in ("the", "a", "an", "who", "which", "whose", "its", "their") or any(
        view.lower(i) in FUNCTIONARIES for i in region
    )


def _right_np(view: View, start: int, *, to_clause_end: bool = False) -> list[int]:
    tokens: list[int] = []
    dates = view.date_tokens()
    j = start
    while j < view.end and len(tokens) < (16 if to_clause_end else 10):
        word = view.lower(j)
        if view.doc[j].is_space:
            j += 1
            continue
        if view.quoted(j) or j in dates or word in (",", ".", ";", ":", '"'):
            break
        if not to_clause_end and word in RIGHT_STOPS and not view.party(j):
            break
        if not to_clause_end and view.a.cues[j] and not view.party(j):
            break
        tokens.append(j)
        j += 1
    return tokens


def _apposition_after(view: View, j: int) -> list[int]:
    """ ", president of Local 88" or ", a cardiac nurse who chairs the association's team"."""
    if j >= view.end or view.text(j) != ",":
        return []
    tokens: list[int] = []
    k = j + 1
    while k < view.end and view.text(k) not in (",", ".", ";") and len(tokens) < 16:
        tokens.append(k)
        k += 1
    return tokens


def _np_party(
    view: View, tokens: list[int], anchor: int, apposition: list[int] | None = None
) -> tuple[str, bool] | None:
    """The party a noun phrase names: a party mention in it (the head rather than a possessive),
    a person the article (or the case) ties to a party, a pronoun, a statement, a functionary."""
    if not tokens:
        return None
    mentions = [(i, p) for i, p in view.parties_in(tokens[0], tokens[-1]) if not view.quoted(i)]
    name = _person_name(view, tokens)
    if mentions:
        heads = [p for i, p in mentions if not view.is_possessive(i)]
        party = heads[-1] if heads else mentions[-1][1]
        if name:
            _learn(view, name, party)
        return party, False
    state = view.state
    if name:
        known = state.persons.get(name.lower()) or state.persons.get(name.split()[-1].lower())
        if known:
            return known, False
        appositive = [p for _, p in view.parties_in(apposition[0], apposition[-1])] if apposition else []
        if appositive:
            _learn(view, name, appositive[0])
            return appositive[0], False
    words = [view.lower(i) for i in tokens]
    appositive_party = [p for _, p in view.parties_in(apposition[0], apposition[-1])] if apposition else []
    if appositive_party and any(w in FUNCTIONARIES for w in words):
        return appositive_party[0], False
    return _np_party_by_words(view, tokens, words)


def _np_party_by_words(view: View, tokens: list[int], words: list[str]) -> tuple[str, bool] | None:
    """The party of a noun phrase that names none: by a pronoun, a statement ("its statement"),
    or a functionary ("a spokesperson"), from the sentence and the speakers before it."""
    state = view.state
    if words[-1] in PRONOUNS_IT or words[0] in PRONOUNS_IT:
        return _pronoun(view, tokens[0])
    if words[0] in PRONOUNS_PERSON and state.last_person_party:
        return state.last_person_party, True
    recent = state.last_speaker and view.s.index - state.last_speaker_sentence <= 3
    if any(w in STATEMENT_NOUNS for w in words):
        if any(w in ("its", "their") for w in words):
            before = [p for i, p in view.parties_in(view.start, tokens[0] - 1, quoted=False)]
            return (before[-1], True) if before else _pronoun(view, tokens[0])
        return (state.last_speaker, False) if recent and state.last_speaker else None
    if any(w in FUNCTIONARIES for w in words):
        others = [p for i, p in view.parties_in(view.start, view.end - 1, quoted=False) if i not in tokens]
        if others:
            return others[0], True
        if recent and state.last_speaker:
            return state.last_speaker, True
    return None


def _person_name(view: View, tokens: list[int]) -> str | None:
    """Two or more capitalised words (a person's name) in a noun phrase, or one the article knows."""
    run: list[str] = []
    best: list[str] = []
    for i in tokens:
        word = view.text(i)
        if word[:1].isupper() and word.isalpha() and word.lower() not in ("the", "a", "an", "in", "on"):
            run.append(word)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    if len(best) >= 2:
        return " ".join(best)
    if len(best) == 1 and (best[0].lower() in view.state.persons):
        return best[0]
    return None


def _learn(view: View, name: str, party: str) -> None:
    view.state.persons[name.lower()] = party
    view.state.persons.setdefault(name.split()[-1].lower(), party)
    view.state.last_person_party = party


def _pronoun(view: View, at: int) -> tuple[str, bool] | None:
    """ "It", "they", "its": the party the sentence before is about, else the last speaker; inside a
    quotation the speaker is "we", so "it" is the nearest party named before it."""
    state = view.state
    if view.quoted(at):
        before = [p for _, p in view.parties_in(view.start, at - 1)]
        return (before[-1], True) if before else None
    if state.previous_subject:
        return state.previous_subject, True
    if state.last_speaker and view.s.index - state.last_speaker_sentence <= 3:
        return state.last_speaker, True
    return None


def _clause_subject(view: View, verb: int) -> str | None:
    """The first party named (not as a possessive) at the start of the sentence, before ``verb``."""
    for i, party in view.parties_in(view.start, min(verb - 1, view.start + 10), quoted=False):
        if not view.is_possessive(i):
            return party
    return None


def _is_anonymous(view: View, tokens: list[int]) -> bool:
    return any(view.lower(i) in ANONYMOUS for i in tokens)


def speaker_we(view: View, at: int) -> bool:
    return view.lower(at) in PRONOUNS_WE
