"""A party's private items (preferences, walk-away points, internal notes) and what it shares.

Each item is kept as versions: a new version is a new row, and a unique key refuses a second writer
of the same version (the caller's stale version becomes :class:`DuplicateKey`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord.store.database import DuplicateKey
from accord.store.direct import Direct
from accord.store.schema import private_items, shares


@dataclass(frozen=True, slots=True)
class PrivateRow:
    party_id: str
    kind: str
    item_id: str
    version: int
    payload: dict[str, Any]
    created_at: dt.datetime
    created_by: str | None


def put_private(
    conn: sa.Connection,
    case_id: str,
    party_id: str,
    kind: str,
    item_id: str,
    payload: dict[str, Any],
    *,
    version: int,
    by: str | None,
    now: dt.datetime,
) -> None:
    try:
        conn.execute(
            private_items.insert().values(
                case_id=case_id,
                party_id=party_id,
                kind=kind,
                item_id=item_id,
                version=version,
                payload=payload,
                created_at=now,
                created_by=by,
            )
        )
    except sa.exc.IntegrityError as error:
        raise DuplicateKey(f"{kind} {item_id!r} of {party_id!r} version {version} exists") from error


def current_private(
    conn: sa.Connection, case_id: str, party_id: str, kind: str, item_id: str | None = None
) -> list[PrivateRow]:
    """The newest version of each of the party's items of ``kind`` (or of one item), oldest item first."""
    where = [
        private_items.c.case_id == case_id,
        private_items.c.party_id == party_id,
        private_items.c.kind == kind,
    ]
    if item_id is not None:
        where.append(private_items.c.item_id == item_id)
    newest = (
        sa.select(private_items.c.item_id, sa.func.max(private_items.c.version).label("v"))
        .where(*where)
        .group_by(private_items.c.item_id)
        .subquery()
    )
    query = (
        sa.select(private_items)
        .join(
            newest,
            sa.and_(private_items.c.item_id == newest.c.item_id, private_items.c.version == newest.c.v),
        )
        .where(*where)
        .order_by(private_items.c.created_at, private_items.c.item_id)
    )
    return [_row(row) for row in conn.execute(query).mappings()]


def private_history(
    conn: sa.Connection, case_id: str, party_id: str, kind: str, item_id: str
) -> list[PrivateRow]:
    query = (
        sa.select(private_items)
        .where(
            private_items.c.case_id == case_id,
            private_items.c.party_id == party_id,
            private_items.c.kind == kind,
            private_items.c.item_id == item_id,
        )
        .order_by(private_items.c.version)
    )
    return [_row(row) for row in conn.execute(query).mappings()]


def _row(row: sa.RowMapping) -> PrivateRow:
    return PrivateRow(**{k: v for k, v in row.items() if k != "case_id"})


def party_shares(conn: sa.Connection, case_id: str, party_id: str) -> set[tuple[str, str]]:
    """What the party shares: a set of ``(kind, grantee)``."""
    query = sa.select(shares.c.kind, shares.c.grantee).where(
        shares.c.case_id == case_id, shares.c.party_id == party_id
    )
    return {(row.kind, row.grantee) for row in conn.execute(query)}


_CASE_SHARES = Direct(
    sa.select(shares.c.party_id, shares.c.kind, shares.c.grantee).where(
        shares.c.case_id == sa.bindparam("case_id")
    )
)
"""Built once: every read of a case runs it."""


def case_shares(conn: sa.Connection, case_id: str) -> set[tuple[str, str, str]]:
    """Every share in the case: ``(party, kind, grantee)``."""
    return {(party, kind, grantee) for party, kind, grantee in _CASE_SHARES.all(conn, {"case_id": case_id})}


def set_shares(
    conn: sa.Connection,
    case_id: str,
    party_id: str,
    grants: set[tuple[str, str]],
    *,
    by: str | None,
    now: dt.datetime,
) -> None:
    """Replace what the party shares with ``grants``."""
    conn.execute(shares.delete().where(shares.c.case_id == case_id, shares.c.party_id == party_id))
    if grants:
        conn.execute(
            shares.insert(),
            [
                {
                    "case_id": case_id,
                    "party_id": party_id,
                    "kind": kind,
                    "grantee": grantee,
                    "created_at": now,
                    "created_by": by,
                }
                for kind, grantee in sorted(grants)
            ],
        )
