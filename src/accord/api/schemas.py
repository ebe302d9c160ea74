"""The API's own request and response bodies (the model's values travel as they are)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from accord.model import Event, Id, Issue, Party, Proposal, Source
from accord.model.case import Estimate
from accord.model.limits import Name, Text, Title
from accord.services import CaseSummary, ItemInfo, Page, PrivateItem, RecordInfo, User

T = TypeVar("T")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageOut(BaseModel, Generic[T]):
    """One page of a list: ``items`` from ``offset``, at most ``limit`` of them, of ``total``."""

    items: list[T]
    total: int
    offset: int
    limit: int


class ViewOut(BaseModel):
    """A ledger view: its data in an envelope naming the case, the view, the date it looks from
    and the version of the shapes (docs/reference/views.md)."""

    case: str
    view: str
    as_of: dt.date | None
    schema_version: int
    data: Any


class TimelinePageOut(ViewOut):
    """A page of the timeline: ``data`` the entries from ``offset``, at most ``limit``, of ``total``."""

    total: int
    offset: int
    limit: int


def page_out(page: Page[Any], convert: Any) -> dict[str, Any]:
    return {
        "items": [convert(i) for i in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
    }


class LoginIn(Body):
    username: Name = Field(min_length=1, max_length=80)
    password: Text = Field(min_length=1, max_length=1000)


class TokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown once.")
    expires_at: dt.datetime | None


class UserOut(BaseModel):
    username: str
    display_name: str | None
    is_admin: bool
    disabled: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            username=user.username,
            display_name=user.display_name,
            is_admin=user.is_admin,
            disabled=user.disabled,
        )


class UserIn(Body):
    username: Name = Field(min_length=1, max_length=80)
    password: Text = Field(min_length=1, max_length=1000)
    display_name: Name | None = None
    is_admin: bool = False


class CaseOut(BaseModel):
    id: str
    title: str
    description: str | None
    version: int = Field(description="Bumped by every write to the case; also the ETag.")
    role: str | None = Field(description="The caller's role in the case.")
    party: str | None = Field(description="The caller's party, for a member.")
    created_at: dt.datetime
    created_by: str | None

    @classmethod
    def of(cls, case: CaseSummary) -> CaseOut:
        return cls(
            id=case.id,
            title=case.title,
            description=case.description,
            version=case.version,
            role=case.role,
            party=case.party,
            created_at=case.created_at,
            created_by=case.created_by,
        )


class CasePatch(Body):
    title: Title | None = Field(default=None, min_length=1)
    description: Text | None = None


class MemberIn(Body):
    role: Name = Field(description="admin, mediator, observer or member")
    party: Id | None = Field(default=None, description="The party of a member.")


class MemberOut(BaseModel):
    username: str
    role: str
    party: str | None


class Meta(BaseModel):
    version: int
    created_at: dt.datetime
    created_by: str | None


class PartyOut(Meta):
    party: Party


class IssueOut(Meta):
    issue: Issue


class SourceOut(Meta):
    source: Source


class EstimateOut(Meta):
    estimate: Estimate


ITEM_OUT: dict[str, type[Meta]] = {
    "party": PartyOut,
    "issue": IssueOut,
    "source": SourceOut,
    "estimate": EstimateOut,
}


def item_out(info: ItemInfo) -> dict[str, Any]:
    return {
        "version": info.version,
        "created_at": info.created_at,
        "created_by": info.created_by,
        info.kind: info.item,
    }


class RecordMeta(BaseModel):
    seq: int = Field(description="Place in the order of writing among the records the caller sees (from 0).")
    author: str | None
    created_at: dt.datetime
    private_to: str | None = Field(description="The party an unpublished draft belongs to; null if public.")
    superseded_by: list[str] = Field(description="Records that correct this one (that the caller may see).")


class ProposalOut(RecordMeta):
    proposal: Proposal


class EventOut(RecordMeta):
    event: Event


def record_out(info: RecordInfo, field: str) -> dict[str, Any]:
    return {
        "seq": info.seq,
        "author": info.author,
        "created_at": info.created_at,
        "private_to": info.private_to,
        "superseded_by": list(info.superseded_by),
        field: info.record,
    }


class PrivateOut(BaseModel):
    party: str
    item_id: str
    version: int
    payload: dict[str, Any]
    updated_at: dt.datetime
    updated_by: str | None

    @classmethod
    def of(cls, item: PrivateItem) -> PrivateOut:
        return cls(
            party=item.party,
            item_id=item.item_id,
            version=item.version,
            payload=item.payload,
            updated_at=item.updated_at,
            updated_by=item.updated_by,
        )


class Grant(Body):
    kind: Name = Field(description="preferences, walkaway, notes, drafts or costing")
    grantee: Name = Field(description="'mediators', or another party of the case")


class SharesIO(Body):
    grants: list[Grant] = Field(max_length=100)


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    case_id: str | None
    target: str | None
    detail: dict[str, Any] | None
