"""Read the news: turn an article about the talks into draft records, each pinned to the sentence
it came from, for a person to review (docs/ingest.md).

The reading is pure (the article's text, its published date and the case in; drafts out): no
files, no network, no clock. spaCy, dateparser, trafilatura and rapidfuzz are imported only when
an article is read; they come with the ``ingest`` extra (``pip install 'accord[ingest]'``).
"""

from __future__ import annotations

from accord.ingest.drafts import ArticleInfo, Draft, DraftKind, Evidence, Reading, StoppageClaim
from accord.ingest.reader import read_article
from accord.ingest.review import (
    Plan,
    Review,
    ReviewDraft,
    ReviewRefused,
    apply_plan,
    case_fingerprint,
    make_review,
    plan_apply,
    review_data,
)
from accord.ingest.text import MAX_BYTES, ArticleError

__all__ = [
    "MAX_BYTES",
    "ArticleError",
    "ArticleInfo",
    "Draft",
    "DraftKind",
    "Evidence",
    "Plan",
    "Reading",
    "Review",
    "ReviewDraft",
    "ReviewRefused",
    "StoppageClaim",
    "apply_plan",
    "case_fingerprint",
    "make_review",
    "plan_apply",
    "read_article",
    "review_data",
]
