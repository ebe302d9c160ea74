"""Cases kept up to date by folding in the records written since: a write costs a reader the new
records, not the whole case.

Records are append-only, numbered in writing order (``seq``), and every write bumps the case's
version; the case row read in a reader's transaction says which records that version holds (those
before its ``next_seq``). A server process that holds a reader's case at an older version reads
only the records written since, validates them, and appends them to the case and to its ledger
(:func:`accord.ledger.records.extended`: the time order, the corrections, and the indexes the
views keep, such as positions and the timeline's entries, updated rather than rebuilt). Each
process does this on its own first read of a new version, so a write made through any process is
seen by every other.

A case whose items changed (a party, an issue, a source, an estimate: ``items_version``) is
loaded whole again, as is a reader's view held by no fold yet.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter

from accord.ledger.records import Ledger, LedgerRecord, extended, ledger, remember
from accord.model import Case, Event, Proposal
from accord.store import case_documents
from accord.store import cases as case_store

_PROPOSAL = TypeAdapter(Proposal)
_EVENT = TypeAdapter(Event)

FoldKey = tuple[str, frozenset[str] | None]
"""``(case id, parties whose drafts the view includes)``: one reader's view of a case."""


@dataclass(frozen=True, slots=True)
class Folded:
    """A case as one view of it stood at ``version``, with its ledger (which views of the case
    read: :func:`accord.ledger.records.remember`)."""

    version: int
    next_seq: int
    items_version: int
    case: Case
    book: Ledger


class Folds:
    """The newest :class:`Folded` versions of each view of a case that this process built (at
    most ``size`` views, least recently used dropped first, and ``depth`` versions of each);
    shared by the process's threads.

    More than the newest is kept for readers of an older snapshot: a request whose transaction
    began just before a write (on a busy case, many are under way at any time) reads the version
    before it, and folds forward from the newest version kept at or before its own, instead of
    loading the case whole (a second and a half for 10,000 proposals). It may not be given the
    newer version: what it may see was decided in its own snapshot.
    """

    def __init__(self, size: int, depth: int = 4) -> None:
        self._size = size
        self._depth = depth
        self._entries: OrderedDict[FoldKey, list[Folded]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def latest(self, key: FoldKey, at_most: int | None = None) -> Folded | None:
        """The newest version of the view kept (with ``at_most``: the newest of those up to that
        version), or ``None``."""
        with self._lock:
            kept = self._entries.get(key)
            if kept is None:
                return None
            self._entries.move_to_end(key)
            for folded in reversed(kept):
                if at_most is None or folded.version <= at_most:
                    return folded
            return None

    def keep(self, key: FoldKey, folded: Folded) -> None:
        """Keep ``folded`` among the view's versions (the ``depth`` newest stay)."""
        with self._lock:
            kept = self._entries.setdefault(key, [])
            if any(k.version == folded.version for k in kept):
                return
            kept.append(folded)
            kept.sort(key=lambda k: k.version)
            del kept[: -self._depth]
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def folded_case(
    conn: sa.Connection,
    row: case_store.CaseRow,
    visible_private: frozenset[str] | None,
    base: Folded | None,
    load: Callable[[], Case],
) -> Folded:
    """The view of ``row``'s case at ``row.version``: ``base`` with the records written since
    folded in, where ``base`` is an older version of the same view with the same items; else
    ``load()``, the whole case, indexed anew."""
    if base is not None and base.version == row.version and base.items_version == row.items_version:
        return base
    if base is not None and base.version < row.version and base.items_version == row.items_version:
        texts = case_documents.record_texts(
            conn, row.id, visible_private=visible_private, since_seq=base.next_seq, before_seq=row.next_seq
        )
        case, added = _appended(base, row, texts)
        book = extended(base.book, case, added)
    else:
        case = load()
        book = ledger(case)
    return Folded(row.version, row.next_seq, row.items_version, case, remember(book))


def _appended(
    base: Folded, row: case_store.CaseRow, texts: Sequence[case_documents.RecordText]
) -> tuple[Case, list[LedgerRecord]]:
    """``base``'s case with the records of ``texts`` appended (each validated alone: the write
    that stored it checked it against the case), and those records in writing order.

    As in a whole-case load, a record that corrects a record this view does not hold (another
    party's draft it publishes) is shown as a record of its own.
    """
    held: Container[str] = _Held(base.book.keys, {text.record_id for text in texts})
    proposals: list[Proposal] = []
    events: list[Event] = []
    added: list[LedgerRecord] = []
    for text in texts:
        shown = text_without_hidden_supersedes(text, held)
        if text.group == "proposal":
            proposal = _PROPOSAL.validate_json(shown.payload)
            proposals.append(proposal)
            added.append(proposal)
        else:
            event = _EVENT.validate_json(shown.payload)
            events.append(event)
            added.append(event)
    case = base.case.model_copy(
        update={
            "title": row.title,
            "description": row.description,
            "proposals": (*base.case.proposals, *proposals),
            "events": (*base.case.events, *events),
        }
    )
    return case, added


class _Held:
    """The record ids of a view: those of its ledger and those being added."""

    __slots__ = ("_added", "_keys")

    def __init__(self, keys: Container[str], added: set[str]) -> None:
        self._keys = keys
        self._added = added

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._added or record_id in self._keys


def without_hidden_supersedes(payload: dict[str, Any], visible: Container[str]) -> dict[str, Any]:
    """A record's payload as a reader who holds the records ``visible`` sees it: a correction of
    a record they do not hold (a draft it publishes) corrects nothing for them."""
    target = payload.get("supersedes")
    if target is None or target in visible:
        return payload
    return {**payload, "supersedes": None}


def text_without_hidden_supersedes(
    record: case_documents.RecordText, visible: Container[str]
) -> case_documents.RecordText:
    """:func:`without_hidden_supersedes` on a record's JSON text. Only a record whose
    ``supersedes`` column names a hidden record is decoded (the column is written from the
    payload; a payload that disagrees with it names a record the case lacks, which the case's
    reference check refuses, and the rows path then decides)."""
    if record.supersedes is None or record.supersedes in visible:
        return record
    payload = without_hidden_supersedes(json.loads(record.payload), visible)
    return replace(record, payload=json.dumps(payload))
