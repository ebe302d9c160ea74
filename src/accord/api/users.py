"""Signing in and out; user accounts (server administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from accord.api.deps import ActorDep, Router, ServicesDep, bearer_secret, quick, rule
from accord.api.schemas import LoginIn, TokenOut, UserIn, UserOut

router = Router(tags=["users"])


@router.post("/auth/login", openapi_extra=rule("public"))
def login(body: LoginIn, request: Request, services: ServicesDep) -> TokenOut:
    """Exchange a user name and password for a session token (rate limited per user and client)."""
    client = request.client.host if request.client else "unknown"
    issued = services.users.login(body.username, body.password, client=client)
    return TokenOut(token=issued.secret, expires_at=issued.expires_at)


@router.post("/auth/logout", status_code=204, openapi_extra=rule("signed-in"))
def logout(_: ActorDep, secret: Annotated[str, Depends(bearer_secret)], services: ServicesDep) -> Response:
    """Revoke the token this request carries."""
    services.users.logout(secret)
    return Response(status_code=204)


@router.get("/me", openapi_extra=rule("signed-in"))
@quick
def me(actor: ActorDep, services: ServicesDep) -> UserOut:
    return UserOut.of(services.users.get(actor.username))


@router.get("/users", openapi_extra=rule("server-admin"))
def list_users(actor: ActorDep, services: ServicesDep) -> list[UserOut]:
    return [UserOut.of(user) for user in services.users.all(actor)]


@router.post("/users", status_code=201, openapi_extra=rule("server-admin"))
def add_user(body: UserIn, actor: ActorDep, services: ServicesDep) -> UserOut:
    user = services.users.add(
        actor, body.username, body.password, display_name=body.display_name, is_admin=body.is_admin
    )
    return UserOut.of(user)


@router.post("/users/{username}/disable", openapi_extra=rule("server-admin"))
def disable_user(username: str, actor: ActorDep, services: ServicesDep) -> UserOut:
    return UserOut.of(services.users.set_disabled(actor, username))
