"""One sentence seen by the rules: its tokens with the party, issue and cue each carries, its dates
and what each date belongs to, and the state the article has built up so far (who spoke last,
which people speak for which party, the date the article leads with).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from accord.ingest.dates import DateMention, find_dates
from accord.ingest.lexicon import Lexicon
from accord.ingest.nlp import Analysis, Sentence

PRONOUNS_IT = frozenset({"it", "its", "they", "their", "them", "theirs"})
PRONOUNS_PERSON = frozenset({"he", "she", "his", "her"})
PRONOUNS_WE = frozenset({"we", "our", "us", "ours", "i", "my", "me"})
STATEMENT_NOUNS = frozenset(
    [
        "statement",
        "statements",
        "memo",
        "memos",
        "letter",
        "note",
        "email",
        "e-mail",
        "message",
        "release",
        "filing",
        "summary",
        "notice",
        "update",
        "post",
    ]
)
FUNCTIONARIES = frozenset(
    [
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "representative",
        "representatives",
        "official",
        "officials",
        "negotiator",
        "negotiators",
        "leader",
        "leaders",
        "executive",
        "executives",
        "president",
        "chair",
        "chairman",
        "chairwoman",
        "chief",
        "director",
        "manager",
        "committee",
        "board",
        "council",
        "team",
        "staff",
        "member",
        "members",
        "head",
    ]
)
BOUNDARIES = frozenset(
    {",", ";", ":", '"', "(", ")", "and", "but", "that", "while", "as", "after", "because", "when", "which",
     "who", "whom", "where", "if", "or", "than", "since", "before", "though", "although", "whether", "so"}
)  # fmt: skip
NEGATIONS = frozenset({"not", "n't", "never", "no", "declined", "refused", "nor"})
FUTURE = frozenset(
    {
        "will",
        "would",
        "'ll",
        "plans",
        "planned",
        "plan",
        "expected",
        "expects",
        "intends",
        "could",
        "might",
        "may",
        "should",
        "ready",
        "prepared",
        "going",
    }
)
START_WORDS = frozenset(
    {"began", "begun", "begin", "started", "starting", "struck", "walked", "since", "launched"}
)


@dataclass
class State:
    """What the article has said so far that later sentences lean on."""

    lexicon: Lexicon
    published: dt.date
    lead_date: dt.date | None = None
    persons: dict[str, str] = field(default_factory=dict)
    last_speaker: str | None = None
    last_speaker_sentence: int = -10
    last_person_party: str | None = None
    previous_subject: str | None = None
    speaker_dates: dict[str, dt.date] = field(default_factory=dict)
    speakers: dict[int, str | None] = field(default_factory=dict)
    salience: dict[str, int] = field(default_factory=dict)


@dataclass
class Owned:
    """A date mention and the token that owns it (``None``: the sentence's own date)."""

    mention: DateMention
    first: int
    last: int
    owner: int | None
    owner_cue: str | None


class View:
    """A sentence of an analysed article, with the helpers every rule uses."""

    def __init__(self, analysis: Analysis, sentence: Sentence, state: State) -> None:
        self.a = analysis
        self.s = sentence
        self.state = state
        self.doc = analysis.doc
        self.start, self.end = sentence.tok_start, sentence.tok_end
        self.flat = analysis.doc.text[sentence.start : sentence.end]
        mentions = find_dates(self.flat, state.published)
        self._spans = [self._token_span(m) for m in mentions]
        self.dates = [
            Owned(m, a, b, *self._date_owner(a, b)) for m, (a, b) in zip(mentions, self._spans, strict=True)
        ]

    # --- tokens ---------------------------------------------------------------------------------

    def text(self, i: int) -> str:
        return str(self.doc[i].text)

    def lower(self, i: int) -> str:
        return str(self.doc[i].lower_)

    def cue(self, i: int, name: str) -> bool:
        return name in self.a.cues[i]

    def quoted(self, i: int) -> bool:
        return self.a.quoted[i]

    def party(self, i: int) -> str | None:
        return self.a.party[i]

    def entity_start(self, i: int) -> int:
        """The first token of the party or issue mention holding token ``i``."""
        tags = self.a.party if self.a.party[i] else self.a.issue
        j = i
        while j > self.start and tags[j - 1] == tags[i] and tags[i] is not None:
            j -= 1
        return j

    def entity_end(self, i: int) -> int:
        tags = self.a.party if self.a.party[i] else self.a.issue
        j = i
        while j + 1 < self.end and tags[j + 1] == tags[i] and tags[i] is not None:
            j += 1
        return j

    def is_possessive(self, i: int) -> bool:
        """Whether the party mention holding token ``i`` is followed by ``'s`` or ``'``."""
        j = self.entity_end(i) + 1
        return j < self.end and self.text(j) in ("'s", "'", "’s")

    def char_token(self, offset: int) -> int:
        """The token at character ``offset`` of the sentence."""
        absolute = self.s.start + offset
        for i in range(self.start, self.end):
            token = self.doc[i]
            if token.idx <= absolute < token.idx + len(token.text) or token.idx > absolute:
                return i
        return self.end - 1

    def parties_in(self, first: int, last: int, *, quoted: bool | None = None) -> list[tuple[int, str]]:
        """``(token, party)`` of each party mention starting in ``[first, last]``."""
        found = []
        i = max(first, self.start)
        while i <= min(last, self.end - 1):
            party = self.party(i)
            if party and (quoted is None or self.quoted(i) == quoted):
                found.append((i, party))
                i = self.entity_end(i) + 1
            else:
                i += 1
        return found

    def issues(self) -> tuple[str, ...]:
        found: list[str] = []
        for i in range(self.start, self.end):
            issue = self.a.issue[i]
            if issue and issue not in found:
                found.append(issue)
        return tuple(found)

    def negated(self, i: int) -> bool:
        """A negation or refusal among the three words before token ``i``."""
        words = [self.lower(j) for j in range(max(self.start, i - 3), i)]
        return any(w in NEGATIONS for w in words)

    def future(self, i: int, reach: int = 4) -> bool:
        words = [self.lower(j) for j in range(max(self.start, i - reach), i)]
        determiner = self.lower(i) in (
            "the",
            "a",
            "an",
            "its",
            "their",
            "our",
            "his",
            "her",
            "this",
            "that",
            "any",
        )
        return any(w in FUTURE for w in words) or (bool(words) and words[-1] == "to" and not determiner)

    # --- dates ----------------------------------------------------------------------------------

    def _token_span(self, mention: DateMention) -> tuple[int, int]:
        return self.char_token(mention.start), self.char_token(max(mention.start, mention.end - 1))

    def date_tokens(self) -> set[int]:
        return {i for first, last in self._spans for i in range(first, last + 1)}

    def _date_owner(self, first: int, last: int) -> tuple[int | None, str | None]:
        """An offer word right after the date ("Aug. 11 proposal", "April offer"); else the nearest
        cue before the date (within six words of the same clause), else after it."""
        for i in range(last + 1, min(self.end, last + 3)):
            if self.cue(i, "OFFER_NOUN"):
                return i, "OFFER_NOUN"
        for direction, origin in ((-1, first - 1), (1, last + 1)):
            units, i = 0, origin
            while self.start <= i < self.end and units < 6:
                if self.text(i) == ";":
                    break
                cue = self.owner_cue(i)
                if (
                    cue == "OFFER_NOUN"
                    and direction == -1
                    and (self.offer_predated(i) or self.offer_answered(i))
                ):
                    cue = None
                if cue:
                    return i, cue
                if self.party(i):
                    i = self.entity_start(i) - 1 if direction < 0 else self.entity_end(i) + 1
                else:
                    i += direction
                units += 1
        return None, None

    def owner_cue(self, i: int) -> str | None:
        cues = self.a.cues[i]
        for name in (
            "SPEECH",
            "REQUEST_VERB",
            "RESPONSE_VERB",
            "OFFER_VERB",
            "OFFER_NOUN",
            "START_VERB",
            "END_VERB",
        ):
            if name in cues:
                return name
        if self.lower(i) in (
            "met",
            "meet",
            "meets",
            "meeting",
            "session",
            "sessions",
            "resumed",
            "resume",
            "sat",
        ):
            return "MEET"
        if re.fullmatch(r"\d+(?:st|nd|rd|th)?|day|days", self.lower(i)) and self._count_like(i):
            return "COUNT"
        return None

    def _count_like(self, i: int) -> bool:
        window = " ".join(self.lower(j) for j in range(max(self.start, i - 2), min(self.end, i + 3)))
        return (
            re.search(r"\bday\b|\bdays\b", window) is not None
            and re.search(r"\d|\bday (?:one|two|three)", window) is not None
        )

    def offer_predated(self, i: int) -> bool:
        """Whether an offer noun has a date right before it ("Aug. 11 proposal", "April offer")."""
        return any(last in (i - 1, i - 2) for _, last in self._spans)

    def offer_answered(self, i: int) -> bool:
        """Whether an offer word is the object of an answer ("response to the studios' offer",
        "rejected that January offer"): a date after it is the answer's."""
        words = {self.lower(j) for j in range(max(self.start, i - 12), i)}
        return bool(
            words
            & {
                "response",
                "responded",
                "rejected",
                "answer",
                "answered",
                "reply",
                "replied",
                "accepted",
                "rejecting",
                "accepting",
            }
        )

    def dates_owned_by(self, token: int) -> list[Owned]:
        return [d for d in self.dates if d.owner == token]

    def sentence_dates(self) -> list[Owned]:
        """Dates that belong to no event word of their own (or to a meeting): the sentence's."""
        return [d for d in self.dates if d.owner_cue in (None, "MEET")]
