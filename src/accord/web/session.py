"""Signing in on the dashboard: the session cookie, the signed-in actor, and CSRF tokens.

The session cookie holds a session token issued by :meth:`accord.services.UserService.login`
(only its digest is stored). Forms carry a CSRF token: for a signed-in user a digest of the
session token (an attacker on another site knows neither), before signing in a random value
that must match a cookie of its own (the double-submit pattern; OWASP CSRF Prevention Cheat
Sheet). Both cookies are ``HttpOnly`` and ``SameSite=Lax``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

from accord.services import Actor, Services, Unauthenticated

SESSION_COOKIE = "accord_session"
LOGIN_CSRF_COOKIE = "accord_login_csrf"
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """The page needs a signed-in user; the dashboard answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfFailed(Exception):
    """A form came without the token of this session (a forged or stale form)."""


def services_of(request: Request) -> Services:
    services: Services = request.app.state.dashboard_services
    return services


def session_secret(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def current_actor(request: Request) -> Actor | None:
    """The signed-in actor, or ``None`` (no cookie, or an expired, revoked or disabled session)."""
    secret = session_secret(request)
    if not secret:
        return None
    try:
        return services_of(request).users.authenticate(secret)
    except Unauthenticated:
        return None


def require_actor(request: Request) -> Actor:
    actor = current_actor(request)
    if actor is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return actor


def csrf_token(request: Request) -> str:
    """The token forms of this session carry (before signing in: the sign-in cookie's value)."""
    secret = session_secret(request)
    if secret:
        return hashlib.sha256(b"accord-csrf:" + secret.encode()).hexdigest()
    token: str | None = request.cookies.get(LOGIN_CSRF_COOKIE) or getattr(
        request.state, "new_login_csrf", None
    )
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_login_csrf = token
    return token


def check_csrf(request: Request, submitted: str | None, *, signed_in: bool = True) -> None:
    """Refuse a form whose token does not match this browser's session (or sign-in cookie)."""
    if signed_in:
        secret = session_secret(request)
        expected = hashlib.sha256(b"accord-csrf:" + secret.encode()).hexdigest() if secret else None
    else:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    # Compared as bytes: compare_digest refuses text with characters beyond ASCII.
    if not expected or not submitted or not hmac.compare_digest(_bytes(expected), _bytes(submitted)):
        raise CsrfFailed("the form is stale or did not come from this site; reload the page and try again")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def remember_login_csrf(request: Request, response: Response, *, secure: bool) -> None:
    """Set the sign-in form's cookie when :func:`csrf_token` made a new one for this response."""
    token = getattr(request.state, "new_login_csrf", None)
    if token:
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure, max_age=3600
        )


def start_session(response: Response, secret: str, *, secure: bool, expires: dt.datetime | None) -> None:
    """Set the session cookie (to expire with the session token, where it expires)."""
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax", secure=secure, expires=expires)
    response.delete_cookie(LOGIN_CSRF_COOKIE)


def end_session(request: Request, response: Response) -> None:
    secret = session_secret(request)
    if secret:
        services_of(request).users.logout(secret)
    response.delete_cookie(SESSION_COOKIE)
