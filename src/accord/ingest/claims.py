"""What a sentence claims besides who said it: whose turn it is, how far apart the sides are, the
offers made, the answers given and the requests made.

Each finder takes a :class:`~accord.ingest.view.View` (and the sentence's speaker, where the
claim may be made in the first person: "we have asked the WGA") and returns what it found; the
reader (:mod:`accord.ingest.reader`) turns that into drafts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord.ingest.drafts import Stance
from accord.ingest.view import PRONOUNS_IT, PRONOUNS_WE, View
from accord.model import RequestKind

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
QUALIFIERS = frozenset(
    {"latest", "last", "new", "newest", "final", "recent", "current", "revised", "updated", "sweetened"}
)
PAST_OFFER_VERBS = frozenset(
    {
        "offered",
        "proposed",
        "presented",
        "tabled",
        "unveiled",
        "submitted",
        "made",
        "put",
        "delivered",
        "sent",
        "released",
        "answered",
        "countered",
    }
)
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
class OfferMention:
    token: int
    owner: str
    to: str | None
    dates: tuple[dt.date, ...]
    precision: str
    qualifier: bool
    stated: bool
    new: bool = False


@dataclass(frozen=True, slots=True)
class ResponseMention:
    token: int
    party: str
    to: str | None
    date: dt.date | None
    answers: OfferMention | None


@dataclass(frozen=True, slots=True)
class RequestMention:
    token: int
    party: str
    to: str | None
    asks: RequestKind
    date: dt.date | None


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
            found = _subject_before(view, view.char_token(match.start()), speaker)
            if found:
                return found
    return None


def _subject_before(view: View, token: int, speaker: str | None) -> str | None:
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


def stance_of(view: View) -> Stance | None:
    text = view.flat.replace('"', " ")
    for stance, pattern in STANCES:
        if pattern.search(text):
            return stance
    return None


def offers(view: View, speaker: str | None) -> list[OfferMention]:
    """Offers the sentence says a party made: one mention per offer word with a known owner and a
    date, a "latest/new/final" qualifier, or a verb in the past ("presented a counterproposal")."""
    found: list[OfferMention] = []
    previous: str | None = None
    for i in range(view.start, view.end):
        if view.cue(i, "OFFER_NOUN"):
            mention, owner = _offer_noun(view, i, speaker, previous)
            previous = owner or previous
        elif view.cue(i, "OFFER_VERB") and view.lower(i) == "offered" and not view.quoted(i):
            mention = _offer_verb(view, i, speaker)
        else:
            continue
        if mention is not None:
            found.append(mention)
    dated = {m.owner for m in found if m.dates}
    found = [m for m in found if m.dates or m.owner not in dated]
    unique: dict[tuple[str, tuple[dt.date, ...]], OfferMention] = {}
    for mention in found:
        unique.setdefault((mention.owner, mention.dates), mention)
    return list(unique.values())


PREPOSITIONS = frozenset(
    ["to", "of", "for", "with", "from", "on", "in", "at", "by", "about", "into", "over", "than", "under"]
)
QUANTITIES = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "single",
        "several",
        "no",
        "any",
        "many",
        "few",
        "multiple",
        "every",
        "each",
    ]
)
CONTENT_VERBS = frozenset(
    [
        "called",
        "calls",
        "included",
        "includes",
        "would",
        "offered",
        "proposed",
        "sought",
        "seeks",
        "contains",
        "contained",
    ]
)


def _offer_noun(
    view: View, i: int, speaker: str | None, previous: str | None
) -> tuple[OfferMention | None, str | None]:
    """An offer word as an offer made: its owner, its date(s), and whether it is one at all."""
    if view.negated(i):
        return None, None
    noun_phrase = _noun_phrase(view, i)
    words = {view.lower(j) for j in noun_phrase}
    dates = [d for d in view.dates if d.owner == i]
    owner, how, verb = _owner(view, i, noun_phrase, speaker, previous)
    if owner is None or how == "requested":
        return None, owner
    if verb is not None and how == "made":
        dates += [d for d in view.dates_owned_by(verb) if d not in dates]
    relative = _relative_verb(view, i)
    if relative is not None:
        dates += [d for d in view.dates_owned_by(relative) if d not in dates]
    qualifier = bool(words & QUALIFIERS)
    future = (verb is not None and view.future(verb)) or view.future(noun_phrase[0] if noun_phrase else i, 3)
    following = view.lower(i + 1) if i + 1 < view.end else ""
    if view.lower(i) in ("package", "packages") and not dates:
        return None, owner
    if future and not dates:
        return None, owner
    if words & QUANTITIES and not dates:
        return None, owner
    if how == "answered" and verb is not None and view.negated(verb) and not dates:
        return None, owner
    describes = how == "possessive" and following in CONTENT_VERBS
    accepted = (
        bool(dates)
        or qualifier
        or describes
        or how == "answered"
        or (how in ("made", "relative") and not future)
    )
    if not accepted:
        return None, owner
    days = tuple(d for owned in dates for d in owned.mention.dates)
    precision = dates[0].mention.precision if dates else "day"
    latest = not dates and (qualifier or describes or how == "answered")
    new = bool(words & {"new", "revised", "updated", "sweetened", "fresh", "improved"})
    return OfferMention(
        i, owner, _addressee(view, i, owner), days, precision, latest, bool(dates), new
    ), owner


def _noun_phrase(view: View, noun: int) -> list[int]:
    """The words before an offer word that belong to it ("the studios' last, best and final")."""
    tokens: list[int] = []
    j = noun - 1
    while j >= max(view.start, noun - 9):
        word = view.lower(j)
        if word == "," and j - 1 >= view.start and view.lower(j - 1) in (*QUALIFIERS, "best"):
            tokens.insert(0, j)
            j -= 1
            continue
        listed = word == "and" and j - 1 >= view.start and view.lower(j - 1) in (*QUALIFIERS, "best")
        if word in PREPOSITIONS or word in (",", ";", '"', "that") or (word == "and" and not listed):
            break
        if view.doc[j].is_space:
            break
        if view.a.cues[j] & {"OFFER_VERB", "RESPONSE_VERB", "REQUEST_VERB", "SPEECH"} and not view.party(j):
            break
        tokens.insert(0, j)
        j -= 1
    return tokens


def _relative_verb(view: View, i: int) -> int | None:
    """ "the proposal it made", "the offer presented on": an offer verb just after the noun."""
    for j in range(i + 1, min(view.end, i + 4)):
        if view.cue(j, "OFFER_VERB"):
            return j
        if view.text(j) in (",", ".", ";"):
            return None
    return None


def _owner(
    view: View, noun: int, noun_phrase: list[int], speaker: str | None, previous: str | None
) -> tuple[str | None, str, int | None]:
    """Whose offer, and how the sentence says so: a possessive ("the studios' offer", "its April
    offer"), "of its own", a relative clause ("the proposal it made"), the verb that makes it
    (its subject), the verb that answers it (the other side), or the offer named before it."""
    start = noun_phrase[0] if noun_phrase else noun
    verb = next(
        (j for j in range(start - 1, max(view.start, start - 8) - 1, -1)
         if view.a.cues[j] & {"OFFER_VERB", "RESPONSE_VERB", "REQUEST_VERB"} and view.quoted(j) == view.quoted(noun)),
        None,
    )  # fmt: skip
    between = {view.lower(j) for j in range(verb + 1, start)} if verb is not None else set()
    answers = bool(between & {"response", "reply", "answer", "responses"})
    makes = verb is not None and not answers and ("OFFER_VERB" in view.a.cues[verb] or "with" in between)
    how = "made" if makes else "answered" if answers else "possessive"
    for j in noun_phrase:
        word = view.lower(j)
        if word in ("'s", "'") and j - 1 >= view.start and view.party(j - 1):
            return view.party(j - 1), how, verb if makes else None
        if word in ("its", "their", "our", "his", "her", "my"):
            if word == "our":
                return speaker, how, verb if makes else None
            if word == "their" and view.quoted(j):
                return view.state.lexicon.counterpart(speaker), how, verb if makes else None
            return _possessor(view, j, speaker), how, verb if makes else None
    after = noun + 1
    if after + 1 < view.end and view.lower(after) == "of" and view.lower(after + 1) in ("its", "their"):
        return _possessor(view, after + 1, speaker), how, verb if makes else None
    relative = _relative_verb(view, noun)
    if relative is not None:
        subject = _subject_before(view, relative, speaker)
        if subject:
            return subject, "relative", relative
    if verb is not None:
        if "REQUEST_VERB" in view.a.cues[verb]:
            return None, "requested", verb
        subject = _verb_subject(view, verb, speaker)
        answering = "RESPONSE_VERB" in view.a.cues[verb] and view.lower(verb) not in ("delivered", "sent")
        if answering and "with" not in between:
            return (view.state.lexicon.counterpart(subject) if subject else None), "answered", verb
        if subject:
            return subject, "made", verb
    if previous is not None:
        return previous, "chained", None
    return None, "none", None


def _possessor(view: View, j: int, speaker: str | None) -> str | None:
    """ "its"/"their" outside a quotation: the subject of the clause, else the speaker."""
    if view.quoted(j):
        return view.state.lexicon.counterpart(speaker) if view.lower(j) == "their" else speaker
    for i, party in view.parties_in(view.start, j - 1, quoted=False):
        if not view.is_possessive(i):
            return party
    return speaker or view.state.previous_subject


def _verb_subject(view: View, verb: int, speaker: str | None, *, strict: bool = False) -> str | None:
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


def _addressee(view: View, noun: int, owner: str) -> str | None:
    """The party an offer was made to, when named near it ("to the guild", "presented SAG-AFTRA
    with"); else the owner's other side."""
    for i, party in view.parties_in(max(view.start, noun - 6), min(view.end - 1, noun + 6)):
        if party != owner and not view.is_possessive(i) and party not in view.state.lexicon.same_side(owner):
            return party
    return view.state.lexicon.counterpart(owner)


def _offer_verb(view: View, i: int, speaker: str | None) -> OfferMention | None:
    """ "the studios offered 4%": an offer made, with no offer noun."""
    following = view.lower(i + 1) if i + 1 < view.end else ""
    if following == "to" or view.negated(i) or view.future(i):
        return None
    if any(view.cue(j, "OFFER_NOUN") for j in range(i + 1, min(view.end, i + 5))):
        return None
    owner = _verb_subject(view, i, speaker)
    if owner is None:
        return None
    dates = view.dates_owned_by(i)
    days = tuple(d for owned in dates for d in owned.mention.dates)
    return OfferMention(i, owner, view.state.lexicon.counterpart(owner), days, "day", False, bool(dates))


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
        party = _verb_subject(view, i, speaker if view.quoted(i) else None, strict=True)
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
        party = _verb_subject(view, i, speaker)
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
