"""What reading an article produces: drafts of records, each pinned to the sentence it came from.

A draft is not a record yet: a person reviews it (:mod:`accord.ingest.review`) and accepts,
edits or rejects it. Its fields are those of the record it would become, plus where it came
from (``sentence``, ``span``), how it is evidenced (``evidence``: a direct quote, reported speech,
or inferred by the reader) and, when the case already holds what it says, the record it
restates (``matches``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from accord.model import Confidence, Id, RequestKind
from accord.model.common import Frozen


class DraftKind(StrEnum):
    """What a draft proposes.

    - ``statement``: a party said something (a direct quote or reported speech);
    - ``turn``: a statement saying whose move it is ("the ball is in the studios' court");
    - ``stance``: a statement (or the outlet's own words) on how far apart the sides are;
    - ``offer``: a proposal a party made (one draft per date: "offers on August 17th and 18th");
    - ``response``: a party answered a proposal or a request;
    - ``request``: a party asked another for a response, information or a meeting;
    - ``stoppage_days``: a count of strike (lockout) days, checked against the case's counters.
    """

    STATEMENT = "statement"
    TURN = "turn"
    STANCE = "stance"
    OFFER = "offer"
    RESPONSE = "response"
    REQUEST = "request"
    STOPPAGE_DAYS = "stoppage_days"


SPEECH_KINDS = (DraftKind.STATEMENT, DraftKind.TURN, DraftKind.STANCE)
"""Drafts that become statements."""


class Evidence(StrEnum):
    """How the article supports a draft: the party's own words in quotation marks, reported
    speech (or the outlet's own account of a fact), or what the reader inferred (a party behind a
    pronoun, the outlet's characterisation with no one quoted)."""

    QUOTE = "quote"
    REPORTED = "reported"
    INFERRED = "inferred"


EVIDENCE_CONFIDENCE = {
    Evidence.QUOTE: Confidence.A,
    Evidence.REPORTED: Confidence.B,
    Evidence.INFERRED: Confidence.C,
}
"""The confidence a record gets from its evidence (the case files' key: A a primary text reproduced
in the source, B one outlet's account, C uncertain)."""


class DateBasis(StrEnum):
    """Where a draft's date came from: stated next to what it dates ("said Friday"); the context
    of the article (the speaker's earlier date, or the date the article leads with); the published
    date (nothing else said); or the record it restates (a month only: "its April offer")."""

    STATED = "stated"
    CONTEXT = "context"
    PUBLISHED = "published"
    RECORD = "record"


class Stance(StrEnum):
    """How a stance claim describes the talks."""

    CLOSE = "close"
    APART = "apart"
    ENTRENCHED = "entrenched"
    IMPASSE = "impasse"
    PROGRESS = "progress"


class Check(StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    UNKNOWN = "unknown"


class Convention(StrEnum):
    """How a count of stoppage days is read: "day N" (the start date is day 1), days completed
    before the date (N - 1 while in force), or the total length of an ended stoppage."""

    DAY_NUMBER = "day_number"
    DAYS_COMPLETED = "days_completed"
    TOTAL = "total"


class StoppageClaim(Frozen):
    """A count of strike (lockout) days and what the case's counters say as of the same date."""

    stoppage: Id | None = Field(description="The case's stoppage it counts (None: none fits).")
    claimed: int = Field(ge=0)
    qualifier: str = Field(default="exact", description="exact, more_than, nearly or about.")
    ordinal: bool = Field(default=False, description='Written as "day N" or "the Nth day".')
    as_of: dt.date
    check: Check
    convention: Convention | None = Field(default=None, description="The convention the count agrees with.")
    day_number: int | None = None
    days_completed: int | None = None
    total_days: int | None = None
    explanation: str = ""


class Draft(Frozen):
    """One proposed record, pinned to its sentence. ``party`` is the speaker (statements) or the
    party that acts (offers, responses, requests: the ``from`` of the record); ``known`` is the
    date the article made it known (its published date)."""

    id: str = Field(pattern=r"^d[0-9]+$", description="The draft's number in the article: d1, d2, ...")
    kind: DraftKind
    party: Id | None = None
    to: Id | None = None
    date: dt.date | None = None
    date_basis: DateBasis | None = None
    known: dt.date
    quote: str | None = None
    summary: str
    sentence: str
    span: tuple[int, int]
    issues: tuple[Id, ...] = ()
    evidence: Evidence
    confidence: Confidence
    matches: Id | None = Field(default=None, description="The case's record this draft restates.")
    regarding: tuple[Id, ...] = Field(default=(), description="Existing proposals the draft is about.")
    responds_to: Id | None = None
    turn_of: Id | None = None
    stance: Stance | None = None
    asks: RequestKind | None = None
    stoppage: StoppageClaim | None = None


class ArticleInfo(Frozen):
    """The article a reading came from (its text is kept by whoever holds the reading)."""

    published: dt.date
    source_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    format: str = Field(description="text or html: what the input was.")
    characters: int
    words: int
    sentences: int
    digest: str = Field(description="sha256 of the article's text, as read.")
    source_id: Id = Field(description="The id the article gets as a source of the case.")


class Reading(Frozen):
    """An article read against a case: the text as read (spans point into it) and the drafts."""

    article: ArticleInfo
    text: str
    drafts: tuple[Draft, ...]
    case_id: Id
    case_fingerprint: str
