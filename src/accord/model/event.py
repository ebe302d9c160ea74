"""Events of a negotiation other than proposals; the ``kind`` field says which."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from accord.model.common import Id, Record
from accord.model.limits import Count, Day, Text
from accord.model.proposal import Positions


class Talks(Record):
    """Talks held, suspended (by whom) or resumed."""

    kind: Literal["talks_held", "talks_suspended", "talks_resumed"]
    parties: tuple[Id, ...] = Field(min_length=1)
    by: Id | None = Field(default=None, description="The party that suspended or resumed talks.")
    summary: Text | None = None


class StoppageType(StrEnum):
    STRIKE = "strike"
    LOCKOUT = "lockout"


class StoppageStarted(Record):
    """A strike or lockout begins. Its day 1 is this event's date.

    A stoppage exists in views from its start, or from ``announced`` (the day it was called,
    on or before the start) where that is recorded.
    """

    kind: Literal["stoppage_started"]
    stoppage: Id = Field(description="Id shared by the start and end events of one stoppage.")
    type: StoppageType = StoppageType.STRIKE
    by: Id
    against: Id
    announced: Day | None = Field(
        default=None, description="The day the stoppage was called, on or before its start."
    )
    summary: Text | None = None

    @field_validator("announced")
    @classmethod
    def _announced_by_start(cls, announced: dt.date | None, info: ValidationInfo) -> dt.date | None:
        date = info.data.get("date")
        if announced is not None and isinstance(date, dt.date) and announced > date:
            raise ValueError(f"expected a date on or before the start ({date}), got {announced}")
        return announced

    @property
    def known_on(self) -> dt.date:
        """The first day views show this stoppage: its announcement, else its start (or ``known``)."""
        known = self.date if self.known is None else self.known
        return known if self.announced is None else min(self.announced, known)


class StoppageEnded(Record):
    """A strike or lockout ends. A strike that ends at 12:01 a.m. on date E was in force through E - 1."""

    kind: Literal["stoppage_ended"]
    stoppage: Id
    how: Literal["ended", "suspended"] = "ended"
    summary: Text | None = None


class RequestKind(StrEnum):
    RESPONSE = "response"
    INFORMATION = "information"
    MEETING = "meeting"


class Request(Record):
    """One party asks another for a response, information or a meeting.

    ``issues`` are what it asks about; ``statement`` names the statement that makes or reports
    the request (a request said in public is recorded beside the statement, which points back
    to nothing: the request points to it). A request stays open until answered
    (:func:`accord.ledger.pending`).
    """

    kind: Literal["request"]
    from_party: Id = Field(alias="from")
    to_party: Id = Field(alias="to")
    asks: RequestKind = RequestKind.RESPONSE
    regarding: tuple[Id, ...] = Field(default=(), description="Proposals the request is about.")
    issues: tuple[Id, ...] = Field(default=(), description="Issues the request is about.")
    statement: Id | None = Field(default=None, description="The statement that makes or reports the request.")
    summary: Text | None = None


class Response(Record):
    """An answer to a request or a proposal (a counter-proposal is a proposal, not a response)."""

    kind: Literal["response"]
    from_party: Id = Field(alias="from")
    to_party: Id = Field(alias="to")
    responds_to: Id = Field(description="The request or proposal answered.")
    summary: Text | None = None


class Statement(Record):
    """A public statement, possibly disputing another one or claiming whose turn it is."""

    kind: Literal["statement"]
    party: Id
    summary: Text
    quote: Text | None = None
    disputes: Id | None = Field(default=None, description="The statement this one disputes.")
    turn_of: Id | None = Field(default=None, description="The party this statement says owes the next move.")
    regarding: tuple[Id, ...] = Field(default=(), description="Proposals or requests the statement is about.")
    issues: tuple[Id, ...] = Field(default=(), description="Issues the statement is about.")
    stoppages: tuple[Id, ...] = Field(
        default=(),
        description="Stoppages whose length the statement counts (its note may explain the count).",
    )


class TentativeAgreement(Record):
    """A tentative agreement on some issues, or (no issues listed) on the whole contract.

    ``terms`` are the agreed positions, where known; for a whole-contract TA they are the final
    terms that later views compare proposals with.
    """

    kind: Literal["tentative_agreement"]
    parties: tuple[Id, Id]
    issues: tuple[Id, ...] = Field(default=(), description="Empty: the whole contract.")
    terms: Positions = Field(default_factory=dict)
    summary: Text | None = None

    @property
    def is_whole_contract(self) -> bool:
        return not self.issues


class TAWithdrawn(Record):
    """A tentative agreement (or some of its issues) taken back."""

    kind: Literal["ta_withdrawn"]
    agreement: Id
    issues: tuple[Id, ...] = Field(default=(), description="Empty: all of the agreement's issues.")
    by: Id | None = None
    summary: Text | None = None


class VoteSubject(StrEnum):
    RATIFICATION = "ratification"
    STRIKE_AUTHORIZATION = "strike_authorization"
    BOARD_APPROVAL = "board_approval"
    PATTERN_OF_DEMANDS = "pattern_of_demands"


class Vote(Record):
    """A vote of a party's members or board; ``date`` is the day the result was announced."""

    kind: Literal["vote"]
    party: Id
    subject: VoteSubject
    opened: Day | None = None
    yes: Count | None = None
    no: Count | None = None
    yes_share: float | None = Field(default=None, ge=0, le=1)
    turnout: float | None = Field(default=None, ge=0, le=1, description="Share of eligible voters.")
    passed: bool
    agreement: Id | None = Field(default=None, description="The tentative agreement voted on.")
    summary: Text | None = None

    @model_validator(mode="after")
    def _opened_before_result(self) -> Vote:
        if self.opened is not None and self.opened > self.date:
            raise ValueError(f"the vote opened ({self.opened}) after its result ({self.date})")
        return self

    @property
    def share_yes(self) -> float | None:
        """The yes share, from the counts where they are known."""
        if self.yes is not None and self.no is not None and self.yes + self.no > 0:
            return self.yes / (self.yes + self.no)
        return self.yes_share


class Milestone(Record):
    """Any other dated fact worth a marker (a contract expiry, a deal elsewhere, a filing)."""

    kind: Literal["milestone"]
    parties: tuple[Id, ...] = ()
    summary: Text


Event = Annotated[
    Talks
    | StoppageStarted
    | StoppageEnded
    | Request
    | Response
    | Statement
    | TentativeAgreement
    | TAWithdrawn
    | Vote
    | Milestone,
    Field(discriminator="kind"),
]
"""Any event; the ``kind`` field says which."""
