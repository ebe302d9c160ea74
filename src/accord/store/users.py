"""Users, their API and session tokens (stored hashed), failed logins, and case memberships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from accord.store.database import DuplicateKey
from accord.store.direct import Direct
from accord.store.schema import login_failures, memberships, tokens, users


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    username: str
    display_name: str | None
    password_hash: str
    is_admin: bool
    disabled: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    user_id: int
    name: str
    kind: str
    token_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class MembershipRow:
    case_id: str
    user_id: int
    role: str
    party_id: str | None
    created_at: dt.datetime


def add_user(
    conn: sa.Connection,
    username: str,
    password_hash: str,
    *,
    display_name: str | None,
    is_admin: bool,
    now: dt.datetime,
) -> int:
    try:
        result = conn.execute(
            users.insert().values(
                username=username,
                display_name=display_name,
                password_hash=password_hash,
                is_admin=is_admin,
                disabled=False,
                created_at=now,
            )
        )
    except sa.exc.IntegrityError as error:
        raise DuplicateKey(f"user {username!r} exists") from error
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def user_by_name(conn: sa.Connection, username: str) -> UserRow | None:
    row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
    return None if row is None else UserRow(**row)


def user_by_id(conn: sa.Connection, user_id: int) -> UserRow | None:
    row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
    return None if row is None else UserRow(**row)


def list_users(conn: sa.Connection) -> list[UserRow]:
    return [UserRow(**row) for row in conn.execute(sa.select(users).order_by(users.c.username)).mappings()]


def set_user(conn: sa.Connection, user_id: int, **values: object) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(**values))


def add_token(
    conn: sa.Connection,
    user_id: int,
    name: str,
    token_hash: str,
    *,
    kind: str,
    now: dt.datetime,
    expires_at: dt.datetime | None,
) -> int:
    result = conn.execute(
        tokens.insert().values(
            user_id=user_id,
            name=name,
            kind=kind,
            token_hash=token_hash,
            created_at=now,
            expires_at=expires_at,
            revoked_at=None,
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def token_by_hash(conn: sa.Connection, token_hash: str) -> TokenRow | None:
    row = conn.execute(sa.select(tokens).where(tokens.c.token_hash == token_hash)).mappings().first()
    return None if row is None else TokenRow(**row)


@dataclass(frozen=True, slots=True)
class BearerRow:
    """What a request needs of its token and the token's user."""

    user_id: int
    username: str
    is_admin: bool
    disabled: bool
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


_BEARER = Direct(
    sa.select(
        users.c.id.label("user_id"),
        users.c.username,
        users.c.is_admin,
        users.c.disabled,
        tokens.c.expires_at,
        tokens.c.revoked_at,
    )
    .join(users, users.c.id == tokens.c.user_id)
    .where(tokens.c.token_hash == sa.bindparam("token_hash"))
)
"""Built once: every request looks its token up, and building a statement costs more than running it."""


def bearer(conn: sa.Connection, token_hash: str) -> BearerRow | None:
    """The token with this hash and its user, in one round trip (every request needs both)."""
    row = _BEARER.first(conn, {"token_hash": token_hash})
    return None if row is None else BearerRow(*row)


def token_by_id(conn: sa.Connection, token_id: int) -> TokenRow | None:
    row = conn.execute(sa.select(tokens).where(tokens.c.id == token_id)).mappings().first()
    return None if row is None else TokenRow(**row)


def user_tokens(conn: sa.Connection, user_id: int) -> list[TokenRow]:
    query = sa.select(tokens).where(tokens.c.user_id == user_id).order_by(tokens.c.id)
    return [TokenRow(**row) for row in conn.execute(query).mappings()]


def revoke_token(conn: sa.Connection, token_id: int, *, now: dt.datetime) -> None:
    conn.execute(
        tokens.update().where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None)).values(revoked_at=now)
    )


def revoke_user_tokens(conn: sa.Connection, user_id: int, *, now: dt.datetime) -> int:
    """Revoke every live token of the user; how many there were."""
    result = conn.execute(
        tokens.update()
        .where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)


def add_login_failure(conn: sa.Connection, username: str, client: str, *, now: dt.datetime) -> None:
    conn.execute(login_failures.insert().values(username=username, client=client, at=now))


def login_failures_since(
    conn: sa.Connection, *, username: str, client: str, since: dt.datetime
) -> tuple[int, int]:
    """Failed logins since ``since``: for this user name, and from this client."""
    count = sa.select(sa.func.count()).select_from(login_failures).where(login_failures.c.at >= since)
    by_user = conn.execute(count.where(login_failures.c.username == username)).scalar_one()
    by_client = conn.execute(count.where(login_failures.c.client == client)).scalar_one()
    return int(by_user), int(by_client)


def take_login_attempt(
    conn: sa.Connection,
    *,
    username: str,
    client: str,
    now: dt.datetime,
    since: dt.datetime,
    per_user: int,
    per_client: int,
) -> bool:
    """Count the failed logins since ``since`` for this user name and from this client and, when
    both are below their limits, record this attempt as a failure before its password is checked
    (a success clears it); ``False`` when a limit is reached (nothing recorded).

    Concurrent attempts are counted one after another, so no more than the limit are ever let
    through: SQLite's write transaction holds the database's write lock from ``BEGIN``; on
    PostgreSQL the table is locked against other writers (readers go on) for this short transaction.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE"))
    by_user, by_client = login_failures_since(conn, username=username, client=client, since=since)
    if by_user >= per_user or by_client >= per_client:
        return False
    add_login_failure(conn, username, client, now=now)
    return True


def clear_login_failures(conn: sa.Connection, username: str) -> None:
    conn.execute(login_failures.delete().where(login_failures.c.username == username))


def set_membership(
    conn: sa.Connection, case_id: str, user_id: int, role: str, party_id: str | None, *, now: dt.datetime
) -> None:
    """Give the user one role in the case, replacing any earlier one."""
    conn.execute(
        memberships.delete().where(memberships.c.case_id == case_id, memberships.c.user_id == user_id)
    )
    conn.execute(
        memberships.insert().values(
            case_id=case_id, user_id=user_id, role=role, party_id=party_id, created_at=now
        )
    )


def remove_membership(conn: sa.Connection, case_id: str, user_id: int) -> bool:
    result = conn.execute(
        memberships.delete().where(memberships.c.case_id == case_id, memberships.c.user_id == user_id)
    )
    return bool(result.rowcount)


def membership(conn: sa.Connection, case_id: str, user_id: int) -> MembershipRow | None:
    query = sa.select(memberships).where(memberships.c.case_id == case_id, memberships.c.user_id == user_id)
    row = conn.execute(query).mappings().first()
    return None if row is None else MembershipRow(**row)


def case_memberships(conn: sa.Connection, case_id: str) -> list[tuple[MembershipRow, str]]:
    """Every membership of the case with the member's user name."""
    query = (
        sa.select(memberships, users.c.username)
        .join(users, users.c.id == memberships.c.user_id)
        .where(memberships.c.case_id == case_id)
        .order_by(users.c.username)
    )
    result = []
    for row in conn.execute(query).mappings():
        values = {k: row[k] for k in ("case_id", "user_id", "role", "party_id", "created_at")}
        result.append((MembershipRow(**values), row["username"]))
    return result


def user_case_ids(conn: sa.Connection, user_id: int) -> list[str]:
    query = sa.select(memberships.c.case_id).where(memberships.c.user_id == user_id)
    return list(conn.execute(query).scalars())
