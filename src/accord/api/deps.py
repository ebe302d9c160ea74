"""What handlers share: the services, the signed-in actor, pages, versions (ETag / If-Match)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from accord.model import request_limits
from accord.services import Actor, FieldProblem, Invalid, Services, Unauthenticated
from accord.services.access import ROUTE_RULE_KEY, ROUTE_RULES, route_rule
from accord.store import ReadNeedsTransaction

ACCESS = ROUTE_RULE_KEY
"""OpenAPI extension naming the access rule a route is under (see docs/team-server.md)."""
RULES = ROUTE_RULES
T = TypeVar("T")


def rule(name: str) -> dict[str, Any]:
    """``openapi_extra`` for a route under access rule ``name``."""
    return dict(route_rule(name))


_bearer = HTTPBearer(auto_error=False, description="A session token (POST /auth/login) or an API token.")


async def services(request: Request) -> Services:
    result: Services = request.app.state.services
    return result


def actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The signed-in user; 401 without valid credentials."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    result: Services = request.app.state.services
    return result.users.authenticate(credentials.credentials)


async def bearer_secret(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The bearer token as sent (not yet checked: see :func:`signed_in`)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return credentials.credentials


async def signed_in(
    services: Services, secret: str, case_id: str, work: Callable[[Actor], T], *, cached: bool = False
) -> T:
    """Check the token and do ``work`` on case ``case_id`` as its user, in one worker thread.

    The same as an :data:`ActorDep` parameter and a synchronous handler, with one hop to a worker
    thread per request instead of two, one read transaction, and the token and the case read in
    one round trip: the busiest reads (the ledger views) take this path.

    ``cached``: ``work`` reads nothing but the case's row, then caches keyed by its version, and
    writes nothing before it would read more. It is first tried as a one-statement read (see
    :meth:`accord.store.Database.read`), and run again in a plain read when it needs more.
    """

    def run() -> T:
        if cached:
            try:
                with services.db.read(one_statement=True):
                    return work(services.users.authenticate(secret, case_id=case_id))
            except ReadNeedsTransaction:
                pass  # something was not cached yet: read it in one transaction
        with services.db.read():
            return work(services.users.authenticate(secret, case_id=case_id))

    return await run_in_threadpool(run)


ServicesDep = Annotated[Services, Depends(services)]
ActorDep = Annotated[Actor, Depends(actor)]
SecretDep = Annotated[str, Depends(bearer_secret)]
Offset = Annotated[int, Query(ge=0, le=10**9, description="How many items to skip.")]
Limit = Annotated[int, Query(ge=1, le=request_limits.PAGE_ENTRIES, description="At most this many items.")]


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
