"""A whole case: its case-file form from its rows (:func:`case_payload`), loaded as a model value
(:func:`load_case`) or stored whole (:func:`import_case`); and as one JSON document, the records'
stored JSON spliced in as the database keeps it.

Decoding 10,000 record payloads into Python dicts only for pydantic to walk them again was about
a third of a whole-case load; :meth:`pydantic.BaseModel.model_validate_json` parses and validates
the text in one pass instead. The document is the one :func:`case_payload`
builds, as text: the same keys, the records in writing order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from accord.model import ITEM_KINDS, Case, Event, Proposal
from accord.store.cases import (
    VISIBLE_BOUND,
    CaseRow,
    ItemRow,
    RecordRow,
    case_row,
    current_items,
    dump,
    insert_case,
    insert_records,
    put_item,
    record_rows,
    touch_case,
    visible_bound,
    visible_clause,
)
from accord.store.direct import Direct
from accord.store.schema import records


@dataclass(frozen=True, slots=True)
class RecordText:
    """A record's stored JSON as text, with the columns a whole-case read needs."""

    record_id: str
    group: str
    supersedes: str | None
    payload: str


def record_texts(
    conn: sa.Connection,
    case_id: str,
    *,
    visible_private: Iterable[str] | None = (),
    since_seq: int = 0,
    before_seq: int | None = None,
) -> list[RecordText]:
    """Records of the case in writing order, their payloads as JSON text (not decoded);
    ``visible_private`` as in :func:`accord.store.cases.record_rows`. Only those written from
    ``since_seq`` on and before ``before_seq`` (the case row's ``next_seq`` at the version read:
    the records that version holds, and those since a version a reader already holds)."""
    if since_seq and before_seq is not None:  # a fold's few records (its statements made once)
        kind, params = visible_bound(visible_private)
        params.update(case_id=case_id, since=since_seq, before=before_seq)
        direct = _WRITTEN_BETWEEN_DIRECT.get(kind)
        if direct is not None:
            return [RecordText(*row) for row in direct.all(conn, params)]
        return [RecordText(*row) for row in conn.execute(_WRITTEN_BETWEEN[kind], params)]
    query = (
        sa.select(
            records.c.record_id,
            records.c.group,
            records.c.supersedes,
            sa.cast(records.c.payload, sa.Text),  # PostgreSQL renders JSONB; SQLite keeps the text
        )
        .where(records.c.case_id == case_id, visible_clause(visible_private))
        .order_by(records.c.seq)
    )
    if since_seq:
        query = query.where(records.c.seq >= since_seq)
    if before_seq is not None:
        query = query.where(records.c.seq < before_seq)
    return [RecordText(*row) for row in conn.execute(query)]


def _written_between(shown: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return (
        sa.select(
            records.c.record_id,
            records.c.group,
            records.c.supersedes,
            sa.cast(records.c.payload, sa.Text),
        )
        .where(
            records.c.case_id == sa.bindparam("case_id"),
            shown,
            records.c.seq >= sa.bindparam("since"),
            records.c.seq < sa.bindparam("before"),
        )
        .order_by(records.c.seq)
    )


_WRITTEN_BETWEEN = {kind: _written_between(shown) for kind, shown in VISIBLE_BOUND.items()}
"""The statements of :func:`record_texts` for the records written between two versions, by what
the reader sees of the drafts (:data:`accord.store.cases.VISIBLE_BOUND`)."""
_WRITTEN_BETWEEN_DIRECT = {kind: Direct(_WRITTEN_BETWEEN[kind]) for kind in ("all", "public", "one")}
"""Those of them run on the driver's cursor (:mod:`accord.store.direct`): all but ``some``, whose
parties are a list SQLAlchemy expands."""


def case_document(row: CaseRow, items: Sequence[ItemRow], recs: Sequence[RecordText]) -> str:
    """:func:`case_payload` as JSON text, each record's stored text as is."""
    head = case_payload(row, items, [])
    del head["proposals"], head["events"]
    proposals = ",".join(r.payload for r in recs if r.group == "proposal")
    events = ",".join(r.payload for r in recs if r.group == "event")
    text = json.dumps(head, separators=(",", ":"))  # an object, never empty
    return f'{text[:-1]},"proposals":[{proposals}],"events":[{events}]}}'


def case_payload(row: CaseRow, items: Sequence[ItemRow], recs: Sequence[RecordRow]) -> dict[str, Any]:
    """The case-file form of a case from its rows (records in writing order)."""
    payload: dict[str, Any] = {"id": row.id, "title": row.title}
    if row.description is not None:
        payload["description"] = row.description
    for kind, item_kind in ITEM_KINDS.items():
        payload[item_kind.field] = [
            i.payload for i in sorted(items, key=lambda i: i.ordinal) if i.kind == kind
        ]
    payload["proposals"] = [r.payload for r in recs if r.group == "proposal"]
    payload["events"] = [r.payload for r in recs if r.group == "event"]
    return payload


def load_case(
    conn: sa.Connection, case_id: str, *, visible_private: Iterable[str] | None = ()
) -> Case | None:
    """The case as a model value (validated), with the private records of ``visible_private``."""
    row = case_row(conn, case_id)
    if row is None:
        return None
    payload = case_payload(
        row, current_items(conn, case_id), record_rows(conn, case_id, visible_private=visible_private)
    )
    return Case.model_validate(payload)


def import_case(
    conn: sa.Connection,
    case: Case,
    *,
    private_to: Sequence[str | None],
    by: str | None,
    now: dt.datetime,
) -> None:
    """Store a whole case; ``private_to`` gives, per record in :meth:`Case.records` order, the party
    it is private to. Records keep file order: proposals first, then events (as a file lists them)."""
    insert_case(conn, case.id, case.title, case.description, by=by, now=now)
    for kind, item_kind in ITEM_KINDS.items():
        for ordinal, item in enumerate(getattr(case, item_kind.field)):
            put_item(conn, case.id, kind, item.id, dump(item), version=1, ordinal=ordinal, by=by, now=now)
    all_records = cast(list[Proposal | Event], list(case.records()))
    insert_records(
        conn, case.id, list(zip(all_records, private_to, strict=True)), first_seq=0, by=by, now=now
    )
    touch_case(conn, case.id, records_added=len(all_records), items_changed=True)
