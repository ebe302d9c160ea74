"""The offers a sentence says a party made: whose offer, to whom, and when ("the studios' last,
best and final offer", "its April 1 proposal", "the studios offered 4%").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.ingest.subjects import subject_before, verb_subject
from accord.ingest.view import View

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
        subject = subject_before(view, relative, speaker)
        if subject:
            return subject, "relative", relative
    if verb is not None:
        if "REQUEST_VERB" in view.a.cues[verb]:
            return None, "requested", verb
        subject = verb_subject(view, verb, speaker)
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
    owner = verb_subject(view, i, speaker)
    if owner is None:
        return None
    dates = view.dates_owned_by(i)
    days = tuple(d for owned in dates for d in owned.mention.dates)
    return OfferMention(i, owner, view.state.lexicon.counterpart(owner), days, "day", False, bool(dates))
