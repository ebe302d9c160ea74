"""What handlers share: the services, the signed-in actor, pages, versions (ETag / If-Match)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from accord.services import Actor, FieldProblem, Invalid, Services, Unauthenticated

ACCESS = "x-access"
"""OpenAPI extension naming the access rule a route is under (see docs/team-server.md)."""

RULES = {
    "public": "anyone, signed in or not",
    "signed-in": "any signed-in user",
    "server-admin": "server administrators",
    "case.read": "anyone with a role in the case (the public record, and private data the caller may see)",
    "case.manage": "the case's admins",
    "record.write": "admins and mediators; a party's members for what their party did",
    "private.read": "the party's members; mediators and other parties it shares with",
    "private.write": "the party's members",
}


def rule(name: str) -> dict[str, Any]:
    """``openapi_extra`` for a route under access rule ``name``."""
    if name not in RULES:
        raise ValueError(f"unknown access rule {name!r}")
    return {ACCESS: name}


_bearer = HTTPBearer(auto_error=False, description="A session token (POST /auth/login) or an API token.")


def services(request: Request) -> Services:
    result: Services = request.app.state.services
    return result


def actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The signed-in user; 401 without valid credentials."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return services(request).users.authenticate(credentials.credentials)


def bearer_secret(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    if credentials is None:
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return credentials.credentials


ServicesDep = Annotated[Services, Depends(services)]
ActorDep = Annotated[Actor, Depends(actor)]
Offset = Annotated[int, Query(ge=0, le=10**9, description="How many items to skip.")]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]


def if_match(
    value: Annotated[
        str | None,
        Header(alias="If-Match", description="The version (ETag) the update is based on."),
    ] = None,
) -> int | None:
    """The version an update is based on, from ``If-Match: "3"`` (or ``W/"3"``, or ``3``)."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 12:
        raise Invalid(
            [FieldProblem("If-Match", f"expected a version such as '\"3\"', got {value!r}", "header")]
        )
    return int(text)


IfMatch = Annotated[int | None, Depends(if_match)]


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
