"""A party's private data: preferences, walk-away point, costing parameters, notes, and what it shares."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from accord.api.deps import ActorDep, IfMatch, Router, ServicesDep, rule, set_etag
from accord.api.schemas import Grant, PrivateOut, SharesIO
from accord.model import Costing, PreferenceModel
from accord.services import Note, PrivateKind, WalkAway

router = Router(tags=["private"])
BASE = "/cases/{case_id}/parties/{party_id}"


def _out(item: Any, response: Response) -> PrivateOut:
    set_etag(response, item.version)
    return PrivateOut.of(item)


@router.get(f"{BASE}/preferences", openapi_extra=rule("private.read"))
def get_preferences(
    case_id: str, party_id: str, actor: ActorDep, services: ServicesDep, response: Response
) -> PrivateOut:
    return _out(services.private.get(actor, case_id, party_id, PrivateKind.PREFERENCES), response)


@router.put(f"{BASE}/preferences", openapi_extra=rule("private.write"))
def put_preferences(
    case_id: str,
    party_id: str,
    body: PreferenceModel,
    actor: ActorDep,
    services: ServicesDep,
    version: IfMatch,
    response: Response,
) -> PrivateOut:
    """Record the party's preference model as a new version (If-Match: the current version, once
    there is one). It is checked against the case like a preference file."""
    item = services.private.put_preferences(actor, case_id, party_id, body, expected_version=version)
    return _out(item, response)


@router.get(f"{BASE}/walkaway", openapi_extra=rule("private.read"))
def get_walkaway(
    case_id: str, party_id: str, actor: ActorDep, services: ServicesDep, response: Response
) -> PrivateOut:
    return _out(services.private.get(actor, case_id, party_id, PrivateKind.WALKAWAY), response)


@router.put(f"{BASE}/walkaway", openapi_extra=rule("private.write"))
def put_walkaway(
    case_id: str,
    party_id: str,
    body: WalkAway,
    actor: ActorDep,
    services: ServicesDep,
    version: IfMatch,
    response: Response,
) -> PrivateOut:
    """Record the party's walk-away point (each value within its issue's domain)."""
    return _out(
        services.private.put_walkaway(actor, case_id, party_id, body, expected_version=version), response
    )


@router.get(f"{BASE}/costing", openapi_extra=rule("private.read"))
def get_costing(
    case_id: str, party_id: str, actor: ActorDep, services: ServicesDep, response: Response
) -> PrivateOut:
    return _out(services.private.get(actor, case_id, party_id, PrivateKind.COSTING), response)


@router.put(f"{BASE}/costing", openapi_extra=rule("private.write"))
def put_costing(
    case_id: str,
    party_id: str,
    body: Costing,
    actor: ActorDep,
    services: ServicesDep,
    version: IfMatch,
    response: Response,
) -> PrivateOut:
    """Record the party's contract costing parameters (what a package costs it or the other side,
    per year and over the term), checked against the case like a preference file's ``costing``."""
    return _out(
        services.private.put_costing(actor, case_id, party_id, body, expected_version=version), response
    )


@router.get(f"{BASE}/notes", openapi_extra=rule("private.read"))
def list_notes(case_id: str, party_id: str, actor: ActorDep, services: ServicesDep) -> list[PrivateOut]:
    return [PrivateOut.of(note) for note in services.private.notes(actor, case_id, party_id)]


@router.post(f"{BASE}/notes", status_code=201, openapi_extra=rule("private.write"))
def add_note(
    case_id: str, party_id: str, body: Note, actor: ActorDep, services: ServicesDep, response: Response
) -> PrivateOut:
    return _out(services.private.add_note(actor, case_id, party_id, body), response)


@router.put(f"{BASE}/notes/{{note_id}}", openapi_extra=rule("private.write"))
def update_note(
    case_id: str,
    party_id: str,
    note_id: str,
    body: Note,
    actor: ActorDep,
    services: ServicesDep,
    version: IfMatch,
    response: Response,
) -> PrivateOut:
    item = services.private.update_note(actor, case_id, party_id, note_id, body, expected_version=version)
    return _out(item, response)


@router.get(f"{BASE}/shares", openapi_extra=rule("private.write"))
def get_shares(case_id: str, party_id: str, actor: ActorDep, services: ServicesDep) -> SharesIO:
    """What the party shares, and with whom (seen by the party's own members)."""
    grants = services.private.shares_of(actor, case_id, party_id)
    return SharesIO(grants=[Grant(kind=k, grantee=g) for k, g in sorted(grants)])


@router.put(f"{BASE}/shares", openapi_extra=rule("private.write"))
def put_shares(
    case_id: str, party_id: str, body: SharesIO, actor: ActorDep, services: ServicesDep
) -> SharesIO:
    """Replace what the party shares: each grant names a kind of private data and a grantee."""
    grants = services.private.set_shares(actor, case_id, party_id, {(g.kind, g.grantee) for g in body.grants})
    return SharesIO(grants=[Grant(kind=k, grantee=g) for k, g in sorted(grants)])
