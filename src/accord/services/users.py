"""Users, passwords (argon2id), API and session tokens (stored as SHA-256 digests), sign-in with
rate limiting."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accord.model import request_limits
from accord.model.limits import NAME_MAX, text_problem
from accord.services.access import Actor, may_manage_users
from accord.services.base import ServiceBase
from accord.services.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from accord.store import DuplicateKey
from accord.store import cases as case_store
from accord.store import users as user_store

TOKEN_PREFIX = "acc_"
SESSION_HOURS = 12
USERNAME_MAX = 80
"""Most characters of a user name (the accounts' column holds no more)."""
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@\-]{0,79}")  # whole (fullmatch): "ada\n" is no name


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """At most ``per_user`` failed logins for one user name, and ``per_client`` from one client,
    within ``window``; then sign-in is refused (even with the right password) until the window
    has passed."""

    per_user: int = request_limits.LOGIN_FAILURES_PER_USER
    per_client: int = request_limits.LOGIN_FAILURES_PER_CLIENT
    window: dt.timedelta = dt.timedelta(minutes=request_limits.LOGIN_WINDOW_MINUTES)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str | None
    is_admin: bool
    disabled: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``secret`` is shown once and never stored (only its digest is)."""

    id: int
    name: str
    kind: str
    secret: str
    expires_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    name: str
    kind: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


def token_digest(secret: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast digest is enough to store.

    Examples
    --------
    >>> len(token_digest("acc_x"))
    64
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: user_store.UserRow) -> User:
    return User(row.id, row.username, row.display_name, row.is_admin, row.disabled, row.created_at)


class UserService(ServiceBase):
    """Accounts and sign-in. ``hasher`` is argon2id with argon2-cffi's defaults (RFC 9106)."""

    hasher: PasswordHasher = PasswordHasher()
    limits: LoginLimits = LoginLimits()
    _stand_in_hash: tuple[PasswordHasher, str] | None = None

    # --- accounts (server administrators, or the operator at the command line) ------------------

    def add(
        self,
        actor: Actor | None,
        username: str,
        password: str,
        *,
        display_name: str | None = None,
        is_admin: bool = False,
    ) -> User:
        """Create a user. ``actor`` ``None`` is the operator at the command line."""
        self._require_admin(actor)
        problems = []
        if not USERNAME.fullmatch(username):
            problems.append(FieldProblem("username", "expected 1-80 letters, digits, '_', '.', '@' or '-'"))
        if len(password) < 10:
            problems.append(FieldProblem("password", "expected at least 10 characters"))
        problems += _text_problems(("password", password, False), ("display_name", display_name, True))
        if problems:
            raise Invalid(problems)
        password_hash = self.hasher.hash(password)
        try:
            with self.db.write() as conn:
                user_id = user_store.add_user(
                    conn,
                    username,
                    password_hash,
                    display_name=display_name,
                    is_admin=is_admin,
                    now=self.now(),
                )
                self.audit(conn, actor, "user.add", target=username, detail={"admin": is_admin})
                row = user_store.user_by_id(conn, user_id)
        except DuplicateKey as error:
            raise Conflict(
                f"user {username!r} exists", [FieldProblem("username", "already taken")]
            ) from error
        assert row is not None
        return _user(row)

    def all(self, actor: Actor | None) -> list[User]:
        self._require_admin(actor)
        with self.db.read() as conn:
            return [_user(row) for row in user_store.list_users(conn)]

    def get(self, username: str) -> User:
        with self.db.read() as conn:
            row = user_store.user_by_name(conn, username)
        if row is None:
            raise NotFound(f"no user {username!r}")
        return _user(row)

    def set_disabled(self, actor: Actor | None, username: str, disabled: bool = True) -> User:
        """Disable (or enable again) a user: a disabled user's password stops working and every
        token of theirs is revoked for good (enabling them again brings none back: they sign in
        anew)."""
        self._require_admin(actor)
        with self.db.write() as conn:
            row = user_store.user_by_name(conn, username)
            if row is None:
                raise NotFound(f"no user {username!r}")
            user_store.set_user(conn, row.id, disabled=disabled)
            detail = None
            if disabled:
                detail = {"tokens_revoked": user_store.revoke_user_tokens(conn, row.id, now=self.now())}
            self.audit(
                conn, actor, "user.disable" if disabled else "user.enable", target=username, detail=detail
            )
            row = user_store.user_by_id(conn, row.id)
        assert row is not None
        return _user(row)

    def set_password(self, actor: Actor | None, username: str, password: str) -> None:
        if actor is not None and actor.username != username:
            self._require_admin(actor)
        if len(password) < 10:
            raise Invalid([FieldProblem("password", "expected at least 10 characters")])
        problems = _text_problems(("password", password, False))
        if problems:
            raise Invalid(problems)
        with self.db.write() as conn:
            row = user_store.user_by_name(conn, username)
            if row is None:
                raise NotFound(f"no user {username!r}")
            user_store.set_user(conn, row.id, password_hash=self.hasher.hash(password))
            self.audit(conn, actor, "user.password", target=username)

    # --- tokens ---------------------------------------------------------------------------------

    def create_token(
        self, actor: Actor | None, username: str, name: str, *, expires_at: dt.datetime | None = None
    ) -> IssuedToken:
        """An API token for ``username`` (its owner, a server admin, or the operator may create one)."""
        if actor is not None and actor.username != username:
            self._require_admin(actor)
        problems = _text_problems(("name", name, True))
        if problems:
            raise Invalid(problems)
        with self.db.write() as conn:
            row = user_store.user_by_name(conn, username)
            if row is None:
                raise NotFound(f"no user {username!r}")
            issued = self._issue(conn, row.id, name, "api", expires_at)
            self.audit(
                conn, actor, "token.create", target=username, detail={"token": issued.id, "name": name}
            )
        return issued

    def list_tokens(self, actor: Actor | None, username: str) -> list[TokenInfo]:
        if actor is not None and actor.username != username:
            self._require_admin(actor)
        with self.db.read() as conn:
            row = user_store.user_by_name(conn, username)
            if row is None:
                raise NotFound(f"no user {username!r}")
            return [
                TokenInfo(t.id, t.name, t.kind, t.created_at, t.expires_at, t.revoked_at)
                for t in user_store.user_tokens(conn, row.id)
            ]

    def revoke_token(self, actor: Actor | None, token_id: int) -> None:
        with self.db.write() as conn:
            token = user_store.token_by_id(conn, token_id)
            owner = user_store.user_by_id(conn, token.user_id) if token else None
            if token is None or owner is None:
                raise NotFound(f"no token {token_id}")
            if actor is not None and actor.user_id != owner.id:
                self._require_admin(actor)
            user_store.revoke_token(conn, token_id, now=self.now())
            self.audit(conn, actor, "token.revoke", target=owner.username, detail={"token": token_id})

    # --- signing in -----------------------------------------------------------------------------

    def login(self, username: str, password: str, *, client: str) -> IssuedToken:
        """Check the password and issue a session token; refuse after too many failures.

        A user name or password that breaks the text rule or is longer than one can be is
        :class:`Invalid` (:func:`login_problems`), and not counted. Otherwise the attempt is
        counted as a failure before the password is checked (one transaction:
        concurrent guesses cannot overrun :attr:`limits`), and cleared when it succeeds. An
        unknown or disabled user's attempt checks the password against a stand-in hash of the
        same cost, so every failure takes as long as a wrong password for an active user.
        """
        problems = login_problems(username, password)
        if problems:  # no account has such a name: refused before anything is counted or stored
            raise Invalid(problems)
        now = self.now()
        with self.db.write() as conn:
            allowed = user_store.take_login_attempt(
                conn,
                username=username,
                client=client,
                now=now,
                since=now - self.limits.window,
                per_user=self.limits.per_user,
                per_client=self.limits.per_client,
            )
            row = user_store.user_by_name(conn, username) if allowed else None
        if not allowed:
            raise TooManyAttempts(
                "too many failed sign-ins; try again later",
                retry_after=int(self.limits.window.total_seconds()),
            )
        stored = row.password_hash if row is not None and not row.disabled else None
        checked = self._verify(stored if stored is not None else self._stand_in(), password)
        if row is None or stored is None or not checked:
            with self.db.write() as conn:  # the failure itself was recorded before the check
                self.audit(conn, None, "login.failed", target=username, detail={"client": client})
            raise Unauthenticated("wrong user name or password")
        with self.db.write() as conn:
            user_store.clear_login_failures(conn, username)
            issued = self._issue(conn, row.id, "session", "session", now + dt.timedelta(hours=SESSION_HOURS))
            self.audit(conn, Actor(row.id, row.username, row.is_admin), "login", target=username)
        return issued

    def _stand_in(self) -> str:
        """A hash made by this service's hasher of a password nobody knows (made once per hasher):
        checking a password against it costs what checking against a user's hash does."""
        made = self._stand_in_hash
        if made is None or made[0] is not self.hasher:
            made = self._stand_in_hash = (self.hasher, self.hasher.hash(secrets.token_urlsafe(32)))
        return made[1]

    def logout(self, secret: str) -> None:
        with self.db.write() as conn:
            token = user_store.token_by_hash(conn, token_digest(secret))
            if token is not None:
                user_store.revoke_token(conn, token.id, now=self.now())

    def authenticate(self, secret: str, *, case_id: str | None = None) -> Actor:
        """The actor a bearer token stands for; :class:`Unauthenticated` when it is unknown,
        revoked, expired, or its user is disabled.

        With ``case_id``, inside a read transaction, the case and the user's role there are read
        in the same round trip and kept for the rest of the transaction (see :meth:`case_for`).
        Outside one, the token and its user are read by one statement sent on its own (no BEGIN,
        no COMMIT: on PostgreSQL one round trip instead of three).
        """
        memo = self.db.memo()  # the caller's read transaction's, if inside one
        with self.db.read(one_statement=memo is None) as conn:
            if case_id is None or memo is None:
                found = user_store.bearer(conn, token_digest(secret))
            else:
                both = case_store.bearer_in_case(conn, token_digest(secret), case_id)
                found = None if both is None else both[0]
                if both is not None:
                    memo[("case_and_role", case_id, both[0].user_id)] = both[1]
        if found is None or found.disabled or found.revoked_at is not None:
            raise Unauthenticated("unknown, revoked or disabled token")
        if found.expires_at is not None and found.expires_at <= self.now():
            raise Unauthenticated("the token has expired; sign in again")
        return Actor(found.user_id, found.username, found.is_admin)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _issue(
        self, conn: sa.Connection, user_id: int, name: str, kind: str, expires_at: dt.datetime | None
    ) -> IssuedToken:
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token_id = user_store.add_token(
            conn,
            user_id,
            name,
            token_digest(secret),
            kind=kind,
            now=self.now(),
            expires_at=expires_at,
        )
        return IssuedToken(token_id, name, kind, secret, expires_at)

    @staticmethod
    def _require_admin(actor: Actor | None) -> None:
        if actor is not None and not may_manage_users(actor):
            raise Forbidden(f"{actor.username} is not a server administrator")


def login_problems(username: str, password: str) -> list[FieldProblem]:
    """Why ``username`` and ``password`` cannot sign anyone in whatever the accounts: text that
    breaks the rule, or longer than a user name (:data:`USERNAME_MAX`) or a password may be.

    >>> login_problems("ada", "correct horse"), [p.field for p in login_problems("é" * 81, "x")]
    ([], ['username'])
    """
    problems = _text_problems(("password", password, False))
    wrong = text_problem(username, one_line=True)
    if wrong is None and len(username) > USERNAME_MAX:
        wrong = f"expected at most {USERNAME_MAX} characters, got {len(username)}"
    return [FieldProblem("username", wrong), *problems] if wrong else problems


def _text_problems(*fields: tuple[str, str | None, bool]) -> list[FieldProblem]:
    """``(field, value, one_line)``: the values that break the text rule (:mod:`accord.model.limits`)
    or are longer than a name (one line) or a password (1,000 characters) may be."""
    problems = []
    for field, value, one_line in fields:
        if value is None:
            continue
        limit = NAME_MAX if one_line else 1000
        problem = text_problem(value, one_line=one_line)
        if problem is None and len(value) > limit:
            problem = f"expected at most {limit} characters, got {len(value)}"
        if problem:
            problems.append(FieldProblem(field, problem))
    return problems
