"""Cases in the store: the case row, its items (parties, issues, sources, estimates) and its records
(proposals and events). Functions take an open connection; the caller owns the transaction.

Nothing is updated in place except the case row's counters and title: an item update adds a
version, a record correction adds a record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter

from accord.model import Event, Proposal
from accord.store.database import DuplicateKey
from accord.store.direct import Direct
from accord.store.schema import case_items, cases, memberships, records, tokens, users
from accord.store.users import BearerRow

_EVENT = TypeAdapter(Event)


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: str
    title: str
    description: str | None
    version: int
    next_seq: int
    items_version: int
    created_at: dt.datetime
    created_by: str | None


@dataclass(frozen=True, slots=True)
class ItemRow:
    kind: str
    item_id: str
    version: int
    ordinal: int
    payload: dict[str, Any]
    created_at: dt.datetime
    created_by: str | None


@dataclass(frozen=True, slots=True)
class RecordRow:
    seq: int
    record_id: str
    group: str
    kind: str
    date: dt.date
    known: dt.date | None
    private_to: str | None
    supersedes: str | None
    payload: dict[str, Any]
    author: str | None
    created_at: dt.datetime

    def model(self) -> Proposal | Event:
        """The record as a model value."""
        if self.group == "proposal":
            return Proposal.model_validate(self.payload)
        return _EVENT.validate_python(self.payload)


def dump(value: Any) -> dict[str, Any]:
    """A model value as the JSON payload the store keeps (the case file's own field names)."""
    result: dict[str, Any] = value.model_dump(mode="json", by_alias=True)
    return result


def record_columns(record: Proposal | Event) -> dict[str, Any]:
    """The indexed columns of a record."""
    is_proposal = isinstance(record, Proposal)
    return {
        "record_id": record.id,
        "group": "proposal" if is_proposal else "event",
        "kind": "proposal" if isinstance(record, Proposal) else record.kind,
        "date": record.date,
        "known": record.known,
        "from_party": getattr(record, "from_party", None) or getattr(record, "party", None),
        "status": record.status.value if isinstance(record, Proposal) else None,
        "supersedes": record.supersedes,
    }


# --- the case row -----------------------------------------------------------------------------


def insert_case(
    conn: sa.Connection,
    case_id: str,
    title: str,
    description: str | None,
    *,
    by: str | None,
    now: dt.datetime,
) -> None:
    try:
        conn.execute(
            cases.insert().values(
                id=case_id,
                title=title,
                description=description,
                version=1,
                next_seq=0,
                items_version=1,
                created_at=now,
                created_by=by,
            )
        )
    except sa.exc.IntegrityError as error:
        raise DuplicateKey(f"case {case_id!r} exists") from error


def case_row(conn: sa.Connection, case_id: str, *, lock: bool = False) -> CaseRow | None:
    """The case's row; ``lock`` holds it until the transaction ends (writers of one case queue)."""
    query = sa.select(cases).where(cases.c.id == case_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    return None if row is None else CaseRow(**row)


_CASE_AND_ROLE_QUERY = (
    sa.select(cases, memberships.c.role, memberships.c.party_id)
    .select_from(
        cases.outerjoin(
            memberships,
            sa.and_(memberships.c.case_id == cases.c.id, memberships.c.user_id == sa.bindparam("user_id")),
        )
    )
    .where(cases.c.id == sa.bindparam("case_id"))
)
_CASE_AND_ROLE = Direct(_CASE_AND_ROLE_QUERY)
_CASE_AND_ROLE_LOCKED = Direct(_CASE_AND_ROLE_QUERY.with_for_update(of=cases))
"""Built once: every request runs it (see :func:`accord.store.users.bearer`)."""


def case_and_role(
    conn: sa.Connection, case_id: str, user_id: int, *, lock: bool = False
) -> tuple[CaseRow, str | None, str | None] | None:
    """The case's row with the user's role and party there (one round trip: every request needs
    both); ``lock`` as in :func:`case_row`."""
    query = _CASE_AND_ROLE_LOCKED if lock else _CASE_AND_ROLE
    row = query.first_mapping(conn, {"case_id": case_id, "user_id": user_id})
    if row is None:
        return None
    values = {key: row[key] for key in CaseRow.__dataclass_fields__}
    return CaseRow(**values), row["role"], row["party_id"]


_BEARER_IN_CASE = Direct(
    sa.select(
        tokens.c.user_id,
        users.c.username,
        users.c.is_admin,
        users.c.disabled,
        tokens.c.expires_at,
        tokens.c.revoked_at,
        cases,
        memberships.c.role,
        memberships.c.party_id,
    )
    .select_from(
        tokens.join(users, users.c.id == tokens.c.user_id)
        .outerjoin(cases, cases.c.id == sa.bindparam("case_id"))
        .outerjoin(
            memberships, sa.and_(memberships.c.case_id == cases.c.id, memberships.c.user_id == users.c.id)
        )
    )
    .where(tokens.c.token_hash == sa.bindparam("token_hash"))
)


def bearer_in_case(
    conn: sa.Connection, token_hash: str, case_id: str
) -> tuple[BearerRow, tuple[CaseRow, str | None, str | None] | None] | None:
    """:func:`accord.store.users.bearer` and :func:`case_and_role` for its user, in one round trip
    (what a request about a case needs first); the case part is None when there is no such case."""
    row = _BEARER_IN_CASE.first_mapping(conn, {"token_hash": token_hash, "case_id": case_id})
    if row is None:
        return None
    bearer = BearerRow(**{key: row[key] for key in BearerRow.__dataclass_fields__})
    if row["id"] is None:
        return bearer, None
    case = CaseRow(**{key: row[key] for key in CaseRow.__dataclass_fields__})
    return bearer, (case, row["role"], row["party_id"])


def list_cases(
    conn: sa.Connection, *, only: Iterable[str] | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[CaseRow], int]:
    """A page of cases (all of them, or those in ``only``) in id order, and how many there are."""
    where = sa.true() if only is None else cases.c.id.in_(list(only))
    total = conn.execute(sa.select(sa.func.count()).select_from(cases).where(where)).scalar_one()
    rows = conn.execute(sa.select(cases).where(where).order_by(cases.c.id).offset(offset).limit(limit))
    return [CaseRow(**row) for row in rows.mappings()], total


def case_versions(conn: sa.Connection, case_ids: Iterable[str]) -> dict[str, int]:
    """The version of each case of ``case_ids`` that exists (one query, whatever their number)."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    rows = conn.execute(sa.select(cases.c.id, cases.c.version).where(cases.c.id.in_(ids)))
    return {row.id: int(row.version) for row in rows}


def touch_case(
    conn: sa.Connection, case_id: str, *, records_added: int = 0, items_changed: bool = False, **fields: Any
) -> int:
    """Bump the case's version (its record counter, its items' version); return the new version."""
    if records_added and not items_changed and not fields:  # a write of records: made once
        return int(conn.execute(_RECORDS_ADDED, {"case_id": case_id, "added": records_added}).scalar_one())
    values: dict[str, Any] = {"version": cases.c.version + 1, **fields}
    if records_added:
        values["next_seq"] = cases.c.next_seq + records_added
    if items_changed:
        values["items_version"] = cases.c.items_version + 1
    query = cases.update().where(cases.c.id == case_id).values(**values).returning(cases.c.version)
    return int(conn.execute(query).scalar_one())


_RECORDS_ADDED = (
    cases.update()
    .where(cases.c.id == sa.bindparam("case_id"))
    .values(version=cases.c.version + 1, next_seq=cases.c.next_seq + sa.bindparam("added"))
    .returning(cases.c.version)
)


# --- items --------------------------------------------------------------------------------------


def current_items(conn: sa.Connection, case_id: str, kind: str | None = None) -> list[ItemRow]:
    """The newest version of each item of the case (of one kind, or all), in case-file order."""
    newest = (
        sa.select(case_items.c.kind, case_items.c.item_id, sa.func.max(case_items.c.version).label("v"))
        .where(case_items.c.case_id == case_id)
        .group_by(case_items.c.kind, case_items.c.item_id)
        .subquery()
    )
    query = (
        sa.select(case_items)
        .join(
            newest,
            sa.and_(
                case_items.c.kind == newest.c.kind,
                case_items.c.item_id == newest.c.item_id,
                case_items.c.version == newest.c.v,
            ),
        )
        .where(case_items.c.case_id == case_id)
        .order_by(case_items.c.kind, case_items.c.ordinal)
    )
    if kind is not None:
        query = query.where(case_items.c.kind == kind)
    return [_item(row) for row in conn.execute(query).mappings()]


def item_history(conn: sa.Connection, case_id: str, kind: str, item_id: str) -> list[ItemRow]:
    """Every version of one item, oldest first."""
    query = (
        sa.select(case_items)
        .where(case_items.c.case_id == case_id, case_items.c.kind == kind, case_items.c.item_id == item_id)
        .order_by(case_items.c.version)
    )
    return [_item(row) for row in conn.execute(query).mappings()]


def put_item(
    conn: sa.Connection,
    case_id: str,
    kind: str,
    item_id: str,
    payload: dict[str, Any],
    *,
    version: int,
    ordinal: int,
    by: str | None,
    now: dt.datetime,
) -> None:
    """Add ``version`` of an item; :class:`DuplicateKey` when another writer added it first."""
    try:
        conn.execute(
            case_items.insert().values(
                case_id=case_id,
                kind=kind,
                item_id=item_id,
                version=version,
                ordinal=ordinal,
                payload=payload,
                created_at=now,
                created_by=by,
            )
        )
    except sa.exc.IntegrityError as error:
        raise DuplicateKey(f"{kind} {item_id!r} version {version} exists") from error


def _item(row: sa.RowMapping) -> ItemRow:
    return ItemRow(**{k: v for k, v in row.items() if k != "case_id"})


# --- records ------------------------------------------------------------------------------------


def insert_records(
    conn: sa.Connection,
    case_id: str,
    items: Sequence[tuple[Proposal | Event, str | None]],
    *,
    first_seq: int,
    by: str | None,
    now: dt.datetime,
) -> None:
    """Append records (each with the party it is private to, or ``None``) from ``first_seq`` on."""
    if not items:
        return
    rows = [
        {
            "case_id": case_id,
            "seq": first_seq + index,
            **record_columns(record),
            "private_to": private_to,
            "payload": dump(record),
            "author": by,
            "created_at": now,
        }
        for index, (record, private_to) in enumerate(items)
    ]
    try:  # one record, the usual write: executed alone, not as a batch of one
        conn.execute(_INSERT_RECORD, rows[0] if len(rows) == 1 else rows)
    except sa.exc.IntegrityError as error:
        raise DuplicateKey(f"a record id in {[r['record_id'] for r in rows][:5]} exists") from error


_INSERT_RECORD = records.insert()


def record_rows(
    conn: sa.Connection,
    case_id: str,
    *,
    visible_private: Iterable[str] | None = (),
    group: str | None = None,
    kinds: Iterable[str] | None = None,
    record_ids: Iterable[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[RecordRow]:
    """Records of the case in writing order.

    ``visible_private``: the parties whose private records to include besides the public record
    (``None``: all of them).
    """
    query = sa.select(records).where(records.c.case_id == case_id).order_by(records.c.seq)
    query = query.where(visible_clause(visible_private))
    if group is not None:
        query = query.where(records.c.group == group)
    if kinds is not None:
        query = query.where(records.c.kind.in_(list(kinds)))
    if record_ids is not None:
        query = query.where(records.c.record_id.in_(list(record_ids)))
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_record(row) for row in conn.execute(query).mappings()]


def count_records(
    conn: sa.Connection,
    case_id: str,
    *,
    visible_private: Iterable[str] | None = (),
    group: str | None = None,
    kinds: Iterable[str] | None = None,
) -> int:
    query = sa.select(sa.func.count()).select_from(records).where(records.c.case_id == case_id)
    query = query.where(visible_clause(visible_private))
    if group is not None:
        query = query.where(records.c.group == group)
    if kinds is not None:
        query = query.where(records.c.kind.in_(list(kinds)))
    return int(conn.execute(query).scalar_one())


def existing_ids(
    conn: sa.Connection,
    case_id: str,
    record_ids: Iterable[str],
    *,
    visible_private: Iterable[str] | None = (),
) -> set[str]:
    """Those of ``record_ids`` that exist (and are visible)."""
    query = sa.select(records.c.record_id).where(
        records.c.case_id == case_id,
        records.c.record_id.in_(list(record_ids)),
        visible_clause(visible_private),
    )
    return set(conn.execute(query).scalars())


def correctors(
    conn: sa.Connection,
    case_id: str,
    record_ids: Iterable[str],
    *,
    visible_private: Iterable[str] | None = (),
) -> dict[str, list[str]]:
    """For each of ``record_ids`` that was corrected, the (visible) records that correct it."""
    query = (
        sa.select(records.c.supersedes, records.c.record_id)
        .where(
            records.c.case_id == case_id,
            records.c.supersedes.in_(list(record_ids)),
            visible_clause(visible_private),
        )
        .order_by(records.c.seq)
    )
    result: dict[str, list[str]] = {}
    for target, corrector in conn.execute(query):
        result.setdefault(target, []).append(corrector)
    return result


def visible_clause(visible_private: Iterable[str] | None) -> sa.ColumnElement[bool]:
    """The records visible with the private records of ``visible_private`` (``None``: all)."""
    if visible_private is None:
        return sa.true()
    parties = list(visible_private)
    if not parties:
        return records.c.private_to.is_(None)
    return sa.or_(records.c.private_to.is_(None), records.c.private_to.in_(parties))


VISIBLE_BOUND: dict[str, sa.ColumnElement[bool]] = {
    "all": sa.true(),
    "public": records.c.private_to.is_(None),
    "one": sa.or_(records.c.private_to.is_(None), records.c.private_to == sa.bindparam("party")),
    "some": sa.or_(
        records.c.private_to.is_(None), records.c.private_to.in_(sa.bindparam("parties", expanding=True))
    ),
}
""":func:`visible_clause` for statements made once, by what the reader sees of the drafts (all,
none, one party's, bound as ``party``, as a party's member does, or those of several parties,
bound as ``parties``, a list SQLAlchemy expands): see :func:`visible_bound`."""


def visible_bound(visible_private: Iterable[str] | None) -> tuple[str, dict[str, Any]]:
    """The clause of :data:`VISIBLE_BOUND` for the records visible with the private records of
    ``visible_private`` (``None``: all), and the parameters it binds."""
    if visible_private is None:
        return "all", {}
    parties = list(visible_private)
    if len(parties) == 1:
        return "one", {"party": parties[0]}
    return ("some", {"parties": parties}) if parties else ("public", {})


def _record(row: sa.RowMapping) -> RecordRow:
    return RecordRow(
        seq=row["seq"],
        record_id=row["record_id"],
        group=row["group"],
        kind=row["kind"],
        date=row["date"],
        known=row["known"],
        private_to=row["private_to"],
        supersedes=row["supersedes"],
        payload=row["payload"],
        author=row["author"],
        created_at=row["created_at"],
    )
