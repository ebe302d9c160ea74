"""Proposals and events: the record, appended to (a correction is a new record naming the one it
supersedes), read in pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query

from accord.api.deps import ActorDep, Limit, Offset, Router, ServicesDep, rule
from accord.api.schemas import EventOut, PageOut, ProposalOut, page_out, record_out
from accord.model import Event, Proposal

router = Router(tags=["records"], quick=True)


@router.get("/cases/{case_id}/proposals", openapi_extra=rule("case.read"))
def list_proposals(
    case_id: str, actor: ActorDep, services: ServicesDep, offset: Offset = 0, limit: Limit = 50
) -> PageOut[ProposalOut]:
    """The proposals the caller may see (the public record, and drafts they may read), in the
    order they were written."""
    page = services.records.page(actor, case_id, group="proposal", offset=offset, limit=limit)
    return PageOut[ProposalOut].model_validate(page_out(page, lambda i: record_out(i, "proposal")))


@router.post("/cases/{case_id}/proposals", status_code=201, openapi_extra=rule("record.write"))
def add_proposal(case_id: str, body: Proposal, actor: ActorDep, services: ServicesDep) -> ProposalOut:
    """Record a proposal (status ``draft``: private to its party until published by a tabled
    proposal that supersedes it; its id is ``draft.<party>.<name>``). 422 names each field the
    model refuses; 403 when the caller may not speak for its party or act on a record it refers to
    (a party corrects only its own records, answers only what was made to it); 409 when the id
    is taken or the superseded record was already corrected."""
    return ProposalOut.model_validate(record_out(services.records.add(actor, case_id, body), "proposal"))


@router.get("/cases/{case_id}/proposals/{record_id}", openapi_extra=rule("case.read"))
def get_proposal(case_id: str, record_id: str, actor: ActorDep, services: ServicesDep) -> ProposalOut:
    info = services.records.get(actor, case_id, record_id, group="proposal")
    return ProposalOut.model_validate(record_out(info, "proposal"))


@router.get("/cases/{case_id}/events", openapi_extra=rule("case.read"))
def list_events(
    case_id: str,
    actor: ActorDep,
    services: ServicesDep,
    offset: Offset = 0,
    limit: Limit = 50,
    kind: Annotated[str | None, Query(max_length=40, description="Only events of this kind.")] = None,
) -> PageOut[EventOut]:
    page = services.records.page(actor, case_id, group="event", kind=kind, offset=offset, limit=limit)
    return PageOut[EventOut].model_validate(page_out(page, lambda i: record_out(i, "event")))


@router.post("/cases/{case_id}/events", status_code=201, openapi_extra=rule("record.write"))
def add_event(
    case_id: str, body: Annotated[Event, Body()], actor: ActorDep, services: ServicesDep
) -> EventOut:
    """Record an event (its ``kind`` says which). Refused as a proposal is (403, 409, 422)."""
    return EventOut.model_validate(record_out(services.records.add(actor, case_id, body), "event"))


@router.get("/cases/{case_id}/events/{record_id}", openapi_extra=rule("case.read"))
def get_event(case_id: str, record_id: str, actor: ActorDep, services: ServicesDep) -> EventOut:
    return EventOut.model_validate(
        record_out(services.records.get(actor, case_id, record_id, group="event"), "event")
    )
