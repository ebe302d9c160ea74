"""Shared building blocks of the model: identifiers, confidence, sources, the base record."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

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
    the newest record of a chain from the correction's own (known) date, and both stay in the
    case (nothing is edited in place). ``known`` is the date the record became known (public, or
    known to the team recording it), on or after ``date``; views as of a day show a record only
    from that date (:attr:`known_on`).
    """

    id: Id
    date: Day
    known: Day | None = Field(
        default=None,
        description="The date the record became known, on or after its date (default: its date).",
    )
    time: dt.time | None = Field(default=None, description="Local time of day, where known.")
    sources: tuple[Id, ...] = Field(default=(), description="Ids of the case's sources.")
    confidence: Confidence = Confidence.A
    note: Text | None = None
    supersedes: Id | None = None

    @field_validator("known")
    @classmethod
    def _known_on_or_after_date(cls, known: dt.date | None, info: ValidationInfo) -> dt.date | None:
        date = info.data.get("date")
        if known is not None and isinstance(date, dt.date) and known < date:
            raise ValueError(
                f"expected a date on or after the record's date ({date}), got {known}: "
                "a record cannot be known before it happened"
            )
        return known

    @property
    def known_on(self) -> dt.date:
        """The first day views show this record: ``known``, or its date."""
        return self.date if self.known is None else self.known

    @property
    def moment(self) -> dt.datetime:
        """Date and time as one sortable value (midnight where the time is unknown)."""
        return dt.datetime.combine(self.date, self.time or dt.time(0, 0))
