"""Shared building blocks of the model: identifiers, confidence, sources, the base record."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from accord.model.limits import ID_MAX, Day, Name, OneLine, Text, Title, Url

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1, max_length=ID_MAX),
]
"""A record identifier: letters, digits, ``_``, ``.`` and ``-``; unique within its kind in a case."""

Alias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80), OneLine]
"""Another name a party or an issue goes by in the press ("the studios", "AI"), matched without
regard to case; a party's aliases may name the people who speak for it."""


def unique_aliases(aliases: tuple[str, ...]) -> tuple[str, ...]:
    """``aliases`` if no two are the same without regard to case; else ``ValueError``.

    Examples
    --------
    >>> unique_aliases(("the studios", "AMPTP"))
    ('the studios', 'AMPTP')
    >>> unique_aliases(("the guild", "The Guild"))
    Traceback (most recent call last):
    ...
    ValueError: alias 'The Guild' is listed twice (aliases are matched without regard to case)
    """
    seen: set[str] = set()
    for alias in aliases:
        key = alias.casefold()
        if key in seen:
            raise ValueError(f"alias {alias!r} is listed twice (aliases are matched without regard to case)")
        seen.add(key)
    return aliases


class Frozen(BaseModel):
    """Base of every model value: immutable, and unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Confidence(StrEnum):
    """How well a fact is sourced (the key of the facts file).

    A: well sourced (primary text, or two independent outlets agree);
    B: one reputable outlet, not cross-checked;
    C: uncertain (sources disagree, derived, low-quality source, or unverified).
    """

    A = "A"
    B = "B"
    C = "C"


class Source(Frozen):
    """A public source a record cites: a page, a statement, a filing."""

    id: Id
    url: Url | None = Field(default=None, description="An http:// or https:// link.")
    title: Title | None = None
    outlet: Name | None = Field(default=None, description="Publisher, or the original outlet of a rewrite.")
    date: Day | None = None
    note: Text | None = None


class Record(Frozen):
    """Fields every dated record of the negotiation shares.

    ``supersedes`` names an earlier record of the same kind that this one corrects: views use
    the newest record of a chain, and both stay in the case (nothing is edited in place).
    """

    id: Id
    date: Day
    time: dt.time | None = Field(default=None, description="Local time of day, where known.")
    sources: tuple[Id, ...] = Field(default=(), description="Ids of the case's sources.")
    confidence: Confidence = Confidence.A
    note: Text | None = None
    supersedes: Id | None = None

    @property
    def moment(self) -> dt.datetime:
        """Date and time as one sortable value (midnight where the time is unknown)."""
        return dt.datetime.combine(self.date, self.time or dt.time(0, 0))
