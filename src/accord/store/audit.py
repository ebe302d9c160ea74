"""The audit log: who did what, when. Written in the same transaction as what it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord.store.schema import audit


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    case_id: str | None
    target: str | None
    detail: dict[str, Any] | None


def add_audit(
    conn: sa.Connection,
    *,
    actor: str | None,
    action: str,
    case_id: str | None,
    target: str | None,
    detail: dict[str, Any] | None,
    now: dt.datetime,
) -> None:
    values = {
        "at": now,
        "actor": actor,
        "action": action,
        "case_id": case_id,
        "target": target,
        "detail": detail,
    }
    conn.execute(_ADD, values)


_ADD = audit.insert()
"""Built once: every write runs it (a statement built with its values was made anew each time)."""


def audit_entries(
    conn: sa.Connection,
    *,
    case_id: str | None = None,
    actor: str | None = None,
    exclude_actions: Sequence[str] = (),
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[AuditRow], int]:
    """A page of the log, newest first (without entries of ``exclude_actions``), and how many
    entries match."""
    where: list[sa.ColumnElement[bool]] = []
    if exclude_actions:
        where.append(audit.c.action.not_in(list(exclude_actions)))
    if case_id is not None:
        where.append(audit.c.case_id == case_id)
    if actor is not None:
        where.append(audit.c.actor == actor)
    total = conn.execute(sa.select(sa.func.count()).select_from(audit).where(*where)).scalar_one()
    query = sa.select(audit).where(*where).order_by(audit.c.id.desc()).offset(offset).limit(limit)
    return [AuditRow(**row) for row in conn.execute(query).mappings()], int(total)
