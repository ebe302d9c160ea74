"""Cases: list, import, read, change, export; their members and audit log."""

from __future__ import annotations

from fastapi import Response

from accord.api.deps import ActorDep, IfMatch, Limit, Offset, Router, ServicesDep, quick, rule, set_etag
from accord.api.schemas import AuditOut, CaseOut, CasePatch, MemberIn, MemberOut, PageOut, page_out
from accord.model import Case

router = Router(tags=["cases"])


@router.get("/cases", openapi_extra=rule("signed-in"))
@quick
def list_cases(
    actor: ActorDep, services: ServicesDep, offset: Offset = 0, limit: Limit = 50
) -> PageOut[CaseOut]:
    """The cases the caller has a role in."""
    return PageOut[CaseOut].model_validate(
        page_out(services.cases.page(actor, offset=offset, limit=limit), CaseOut.of)
    )


@router.post("/cases", status_code=201, openapi_extra=rule("server-admin"))
def import_case(body: Case, actor: ActorDep, services: ServicesDep, response: Response) -> CaseOut:
    """Store a whole case (a case file's content); its drafts stay private to their parties."""
    summary = services.cases.import_case(actor, body)
    set_etag(response, summary.version)
    return CaseOut.of(summary)


@router.get("/cases/{case_id}", openapi_extra=rule("case.read"))
@quick
def get_case(case_id: str, actor: ActorDep, services: ServicesDep, response: Response) -> CaseOut:
    summary = services.cases.get(actor, case_id)
    set_etag(response, summary.version)
    return CaseOut.of(summary)


@router.patch("/cases/{case_id}", openapi_extra=rule("case.manage"))
def patch_case(
    case_id: str,
    body: CasePatch,
    actor: ActorDep,
    services: ServicesDep,
    version: IfMatch,
    response: Response,
) -> CaseOut:
    """Change the title or description; send ``If-Match`` with the case's ETag (409 when stale)."""
    summary = services.cases.update(
        actor, case_id, expected_version=version, title=body.title, description=body.description
    )
    set_etag(response, summary.version)
    return CaseOut.of(summary)


@router.get("/cases/{case_id}/export", openapi_extra=rule("case.read"))
def export_case(case_id: str, actor: ActorDep, services: ServicesDep) -> Case:
    """The case as a case file holds it, as the caller may see it."""
    return services.cases.view(actor, case_id)


@router.get("/cases/{case_id}/members", openapi_extra=rule("case.manage"))
@quick
def list_members(case_id: str, actor: ActorDep, services: ServicesDep) -> list[MemberOut]:
    return [MemberOut(username=u, role=r, party=p) for u, r, p in services.cases.members(actor, case_id)]


@router.put("/cases/{case_id}/members/{username}", openapi_extra=rule("case.manage"))
def set_member(
    case_id: str, username: str, body: MemberIn, actor: ActorDep, services: ServicesDep
) -> MemberOut:
    """Give a user a role in the case (replacing any earlier one). A role that sees private data
    (a party's member, a mediator) is given by a server administrator only, and never to
    oneself (403)."""
    services.cases.set_member(actor, case_id, username, body.role, body.party)
    return MemberOut(username=username, role=body.role, party=body.party)


@router.delete("/cases/{case_id}/members/{username}", status_code=204, openapi_extra=rule("case.manage"))
def remove_member(case_id: str, username: str, actor: ActorDep, services: ServicesDep) -> Response:
    services.cases.remove_member(actor, case_id, username)
    return Response(status_code=204)


@router.get("/cases/{case_id}/audit", openapi_extra=rule("case.manage"))
def audit_log(
    case_id: str, actor: ActorDep, services: ServicesDep, offset: Offset = 0, limit: Limit = 50
) -> PageOut[AuditOut]:
    """Who did what in the case, newest first (without drafts: the writing of one, or the id
    of one, is left out)."""
    page = services.audit.entries(actor, case_id=case_id, offset=offset, limit=limit)
    return PageOut[AuditOut].model_validate(
        page_out(page, lambda row: AuditOut.model_validate(row, from_attributes=True))
    )
