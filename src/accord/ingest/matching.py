"""Which record of the case a draft restates, if any: the same kind of record, by the same side
(a party, its coalition or its members), of a date near the draft's and no later than the
article, and (for what was said) in words rapidfuzz finds alike.

Only records dated on or before the published date are candidates: an article cannot restate
what had not happened yet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from accord.ingest.drafts import DateBasis, Draft, DraftKind
from accord.ingest.lexicon import Lexicon
from accord.model import Case, Proposal, Request, Response, Statement

QUOTE_SCORE = 88
"""Least rapidfuzz ``partial_ratio`` (0-100) of a draft's quotation to a record's quotation or
summary for the draft to restate the record."""
SUMMARY_SCORE = 72
"""Least ``token_set_ratio`` of a draft's sentence (attribution words left out) to a record's
summary."""
SHARED_WORDS = 5
"""A draft's quotation restates a record that has a run of this many of its words, word for word."""
_STANCE_WORDS = {
    "close": ("close",),
    "apart": ("too great", "apart", "too wide", "gap"),
    "entrenched": ("entrenched",),
    "impasse": ("impasse", "standstill", "paralysis", "stalled", "stalemate"),
    "progress": ("progress",),
}
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|wrote|according to|in a statement|in its memo|the statement|continued|added|argued)\b",
    re.I,
)


def _norm(text: str) -> str:
    from rapidfuzz import utils

    return str(utils.default_process(text))


def text_score(draft_text: str | None, record_text: str | None) -> float:
    """How alike two passages are (0-100): ``partial_ratio`` for a passage of twelve or more
    characters, exact equality (after lower-casing and dropping punctuation) for shorter ones."""
    if not draft_text or not record_text:
        return 0.0
    from rapidfuzz import fuzz

    a, b = _norm(draft_text), _norm(record_text)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < 12:
        return 100.0 if a == b or (re.search(rf"\b{re.escape(b)}\b", a) and len(b) >= 5) else 0.0
    return float(fuzz.partial_ratio(a, b))


def shared_run(a: str | None, b: str | None) -> int:
    """The longest run of words two passages share, word for word (after lower-casing and
    dropping punctuation).

    >>> shared_run("AMPTP member companies are aligned and are negotiating together",
    ...            'its members "are aligned and are negotiating together... Any suggestion"')
    6
    """
    if not a or not b:
        return 0
    x, y = _norm(a).split(), _norm(b).split()
    best = 0
    previous = [0] * (len(y) + 1)
    for word in x:
        current = [0] * (len(y) + 1)
        for j, other in enumerate(y, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def _summary_score(sentence: str, summary: str | None) -> float:
    if not summary:
        return 0.0
    from rapidfuzz import fuzz

    content = _ATTRIBUTION.sub(" ", sentence)
    return float(fuzz.token_set_ratio(_norm(content), _norm(summary)))


def _short_quote_in(quote: str | None, sentence: str) -> bool:
    """A record's short quotation (a word or two: "overstated", "too great") found whole in the
    draft's sentence."""
    if not quote:
        return False
    words = _norm(quote)
    return 6 <= len(words) < 12 and re.search(rf"\b{re.escape(words)}\b", _norm(sentence)) is not None


def _window(draft: Draft) -> int:
    return 2 if draft.date_basis is DateBasis.STATED else 3


def _near(record_date: dt.date, draft: Draft, published: dt.date) -> bool:
    if record_date > published:
        return False
    if draft.date is None:
        return (published - record_date).days <= 7
    return abs((record_date - draft.date).days) <= _window(draft)


def match_statement(case: Case, lexicon: Lexicon, draft: Draft) -> str | None:
    """A statement of the same side that says the same thing (or claims the same turn, or the
    same stance on the same issues)."""
    if draft.party is None:
        return None
    side = lexicon.same_side(draft.party)
    best: tuple[float, str] | None = None
    for event in case.events:
        if (
            not isinstance(event, Statement)
            or event.party not in side
            or not _near(event.date, draft, draft.known)
        ):
            continue
        score = max(
            text_score(draft.quote, event.quote),
            text_score(draft.quote, event.summary) if draft.quote and len(_norm(draft.quote)) >= 12 else 0.0,
            text_score(event.quote, draft.sentence) if event.quote and len(_norm(event.quote)) >= 12 else 0.0,
            90.0
            if shared_run(draft.quote, f"{event.quote or ''} | {event.summary}") >= SHARED_WORDS
            else 0.0,
            90.0 if _short_quote_in(event.quote, draft.sentence) else 0.0,
        )
        if score < QUOTE_SCORE:
            score = _summary_score(draft.sentence, event.summary) if not draft.quote else 0.0
            score = score if score >= SUMMARY_SCORE else 0.0
        if draft.kind is DraftKind.TURN and draft.turn_of and event.turn_of == draft.turn_of:
            score = max(score, 90.0)
        if draft.kind is DraftKind.STANCE and draft.stance is not None:
            words = _STANCE_WORDS[draft.stance.value]
            record_text = f"{event.quote or ''} {event.summary}".lower()
            if any(w in record_text for w in words) and (
                not draft.issues or any(_issue_named(i, record_text, lexicon) for i in draft.issues)
            ):
                score = max(score, 89.0)
        if score >= QUOTE_SCORE - 16 and (best is None or score > best[0]):
            best = (score, event.id)
    return best[1] if best and best[0] >= SUMMARY_SCORE else None


def _issue_named(issue: str, text: str, lexicon: Lexicon) -> bool:
    phrases = [p for label, i, p in lexicon.patterns if label == "ISSUE" and i == issue]
    return any(re.search(rf"\b{re.escape(p.lower())}\b", text) for p in phrases)


def match_proposal(
    case: Case, lexicon: Lexicon, draft: Draft, *, latest: bool, month: bool
) -> Proposal | None:
    """A proposal by the same side: on the draft's date (the nearest within three days when the
    date was not stated); in its month (a month only); or the latest before the article."""
    if draft.party is None:
        return None
    side = lexicon.same_side(draft.party)
    candidates = [p for p in case.proposals if p.from_party in side and p.date <= draft.known]
    if not candidates:
        return None
    if draft.date is not None and month:
        in_month = [
            p for p in candidates if (p.date.year, p.date.month) == (draft.date.year, draft.date.month)
        ]
        return in_month[0] if len(in_month) == 1 else None
    if draft.date is not None:
        exact = [p for p in candidates if p.date == draft.date]
        if exact:
            return exact[0]
        if draft.date_basis is not DateBasis.STATED:
            near = sorted(candidates, key=lambda p: (abs((p.date - draft.date).days), p.date))  # type: ignore[operator]
            if abs((near[0].date - draft.date).days) <= 3:
                return near[0]
        return None
    if latest:
        return max(candidates, key=lambda p: p.date)
    return None


def match_event(case: Case, lexicon: Lexicon, draft: Draft, kinds: tuple[type, ...]) -> str | None:
    """A request or response by the same side, to the same party where both name one, near the date."""
    if draft.party is None:
        return None
    side = lexicon.same_side(draft.party)
    for event in case.events:
        if not isinstance(event, kinds) or not _near(event.date, draft, draft.known):
            continue
        assert isinstance(event, (Request, Response))
        if event.from_party not in side:
            continue
        if draft.to and event.to_party not in lexicon.same_side(draft.to):
            continue
        if isinstance(event, Request) and draft.asks is not None and event.asks != draft.asks:
            continue
        return event.id
    return None


def proposal_ids(matches: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m for m in matches if m))
