"""A whole case as one JSON document, the records' stored JSON spliced in as the database keeps it.

Decoding 10,000 record payloads into Python dicts only for pydantic to walk them again was about
a third of a whole-case load; :meth:`pydantic.BaseModel.model_validate_json` parses and validates
the text in one pass instead. The document is the one :func:`accord.store.cases.case_payload`
builds, as text: the same keys, the records in writing order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from accord.store.cases import CaseRow, ItemRow, case_payload, visible_clause
from accord.store.schema import records


@dataclass(frozen=True, slots=True)
class RecordText:
    """A record's stored JSON as text, with the columns a whole-case read needs."""

    record_id: str
    group: str
    supersedes: str | None
    payload: str


def record_texts(
    conn: sa.Connection, case_id: str, *, visible_private: Iterable[str] | None = ()
) -> list[RecordText]:
    """Records of the case in writing order, their payloads as JSON text (not decoded);
    ``visible_private`` as in :func:`accord.store.cases.record_rows`."""
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
    return [RecordText(*row) for row in conn.execute(query)]


def case_document(row: CaseRow, items: Sequence[ItemRow], recs: Sequence[RecordText]) -> str:
    """:func:`accord.store.cases.case_payload` as JSON text, each record's stored text as is."""
    head = case_payload(row, items, [])
    del head["proposals"], head["events"]
    proposals = ",".join(r.payload for r in recs if r.group == "proposal")
    events = ",".join(r.payload for r in recs if r.group == "event")
    text = json.dumps(head, separators=(",", ":"))  # an object, never empty
    return f'{text[:-1]},"proposals":[{proposals}],"events":[{events}]}}'
