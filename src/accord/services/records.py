"""The record of a negotiation: adding proposals and events (and corrections), reading them back.

A new record is checked the way the model checks a case: a :class:`~accord.model.Case` is built
from the case's parties, issues and sources, the records the new one refers to (and, for a
stoppage, every stoppage event), and the new record. Whatever that construction reports about the
new record is refused, field by field; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord.model import Case, CaseInvalid, Event, Proposal, StoppageEnded, StoppageStarted
from accord.services import access
from accord.services.access import Actor, Viewer
from accord.services.base import Page, ServiceBase, check_page, problems_of
from accord.services.errors import Conflict, FieldProblem, Invalid, NotFound
from accord.store import DuplicateKey
from accord.store import cases as case_store

Record = Proposal | Event
STOPPAGE_KINDS = ("stoppage_started", "stoppage_ended")
_GROUPS = {"proposal": "proposals", "event": "events"}


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """A record with who wrote it and when, whether it is private (to which party), and the records
    that correct it."""

    record: Any
    seq: int
    author: str | None
    created_at: dt.datetime
    private_to: str | None
    superseded_by: tuple[str, ...]


def referenced_ids(record: Record) -> set[str]:
    """Every record id that ``record`` refers to."""
    ids: set[str] = set(getattr(record, "answers", ()) or ()) | set(getattr(record, "regarding", ()) or ())
    for field in ("supersedes", "responds_to", "agreement", "disputes"):
        value = getattr(record, field, None)
        if isinstance(value, str):
            ids.add(value)
    return ids


class RecordService(ServiceBase):
    """Use cases on proposals and events."""

    def add(self, actor: Actor, case_id: str, record: Record) -> RecordInfo:
        """Append ``record`` (a draft proposal is kept private to its party).

        Refused: 403 where the actor may not speak for the record's party; 422 with the fields at
        fault where the model rejects it; 409 where its id is taken or the record it corrects has
        already been corrected.
        """
        owner = access.private_record_owner(record)
        now = self.now()
        with self.db.write() as conn:
            viewer, row = self.case_for(conn, actor, case_id, lock=True)
            if owner is not None:
                access.require(access.may_write_private(viewer, owner), viewer, f"write drafts of {owner!r}")
            else:
                access.require(
                    access.may_write_record(viewer, record), viewer, f"record this {_kind(record)}"
                )
            self._check_new(conn, viewer, row, record, owner)
            try:
                case_store.insert_records(
                    conn,
                    case_id,
                    [(record, owner)],
                    first_seq=row.next_seq,
                    by=actor.username,
                    now=now,
                )
            except DuplicateKey as error:
                raise Conflict(
                    f"record id {record.id!r} is taken", [FieldProblem("id", "already taken")]
                ) from error
            case_store.touch_case(conn, case_id, records_added=1)
            self.audit(
                conn,
                actor,
                f"{_kind(record)}.add",
                case_id=case_id,
                target=record.id,
                detail={"private_to": owner, "supersedes": record.supersedes},
            )
        return RecordInfo(record, row.next_seq, actor.username, now, owner, ())

    def page(
        self,
        actor: Actor,
        case_id: str,
        *,
        group: str | None = None,
        kind: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[RecordInfo]:
        """A page of the records the actor may see, in the order they were written."""
        check_page(offset, limit)
        with self.db.read() as conn:
            _, visible = self._visible(conn, actor, case_id)
            kinds = [kind] if kind else None
            rows = case_store.record_rows(
                conn, case_id, visible_private=visible, group=group, kinds=kinds, offset=offset, limit=limit
            )
            total = case_store.count_records(conn, case_id, visible_private=visible, group=group, kinds=kinds)
            infos = self._infos(conn, case_id, rows, visible)
        self._audit_private(actor, case_id, infos)
        return Page(infos, total, offset, limit)

    def get(self, actor: Actor, case_id: str, record_id: str, *, group: str | None = None) -> RecordInfo:
        with self.db.read() as conn:
            _, visible = self._visible(conn, actor, case_id)
            rows = case_store.record_rows(conn, case_id, visible_private=visible, record_ids=[record_id])
            if not rows or (group is not None and rows[0].group != group):
                raise NotFound(f"no {group or 'record'} {record_id!r} in case {case_id!r}")
            infos = self._infos(conn, case_id, rows, visible)
        self._audit_private(actor, case_id, infos)
        return infos[0]

    # --- helpers --------------------------------------------------------------------------------

    def _visible(self, conn: sa.Connection, actor: Actor, case_id: str) -> tuple[Viewer, frozenset[str]]:
        viewer, row = self.case_for(conn, actor, case_id)
        access.require_case(viewer)
        return viewer, access.draft_parties(
            viewer, self.shares(conn, case_id, row.version), self.party_ids(conn, row)
        )

    def _infos(
        self, conn: sa.Connection, case_id: str, rows: list[case_store.RecordRow], visible: frozenset[str]
    ) -> list[RecordInfo]:
        ids = [r.record_id for r in rows]
        correctors = case_store.correctors(conn, case_id, ids, visible_private=visible) if ids else {}
        targets = {r.supersedes for r in rows if r.supersedes}
        shown = case_store.existing_ids(conn, case_id, targets, visible_private=visible) if targets else set()
        infos = []
        for row in rows:
            record = row.model()
            if record.supersedes is not None and record.supersedes not in shown:
                record = record.model_copy(update={"supersedes": None})
            corrected_by = tuple(correctors.get(row.record_id, ()))
            infos.append(
                RecordInfo(record, row.seq, row.author, row.created_at, row.private_to, corrected_by)
            )
        return infos

    def _audit_private(self, actor: Actor, case_id: str, infos: list[RecordInfo]) -> None:
        private = sorted(i.record.id for i in infos if i.private_to is not None)
        if private:
            self.audit_read(actor, "drafts.read", case_id=case_id, target=",".join(private)[:200])

    def _check_new(
        self, conn: sa.Connection, viewer: Viewer, row: case_store.CaseRow, record: Record, owner: str | None
    ) -> None:
        case_id = row.id
        own = frozenset({viewer.party}) if viewer.party else frozenset()
        refs = referenced_ids(record)
        context = case_store.record_rows(conn, case_id, visible_private=own, record_ids=refs) if refs else []
        problems = _privacy_problems(record, owner, context)
        if record.supersedes is not None:
            correctors = case_store.superseded_by(conn, case_id, record.supersedes)
            if correctors:
                raise Conflict(
                    f"{record.supersedes!r} was already corrected by {correctors[0]!r}; correct that record instead",
                    [FieldProblem("supersedes", f"already superseded by {correctors[0]!r}")],
                )
        if isinstance(record, (StoppageStarted, StoppageEnded)):
            seen = {r.record_id for r in context}
            context += [
                r
                for r in case_store.record_rows(conn, case_id, visible_private=own, kinds=STOPPAGE_KINDS)
                if r.record_id not in seen
            ]
            context.sort(key=lambda r: r.seq)
        problems += _model_problems(row, self.current_items(conn, row), context, record)
        if problems:
            raise Invalid(problems)


def _privacy_problems(
    record: Record, owner: str | None, context: list[case_store.RecordRow]
) -> list[FieldProblem]:
    """The public record refers to nothing private (except a draft it publishes, by superseding
    it); a draft corrects only a draft of its own party."""
    problems = []
    for ref in context:
        if owner is None and ref.private_to is not None and ref.record_id != record.supersedes:
            problems.append(
                FieldProblem(
                    "", f"{ref.record_id!r} is an unpublished draft; the public record cannot refer to it"
                )
            )
        if owner is not None and ref.record_id == record.supersedes and ref.private_to != owner:
            problems.append(FieldProblem("supersedes", "a draft can correct only a draft of its own party"))
    return problems


def _model_problems(
    row: case_store.CaseRow,
    items: list[case_store.ItemRow],
    context: list[case_store.RecordRow],
    record: Record,
) -> list[FieldProblem]:
    payload = case_store.case_payload(row, items, context)
    group = "proposals" if isinstance(record, Proposal) else "events"
    payload[group].append(case_store.dump(record))
    try:
        Case.model_validate(payload)
    except CaseInvalid as error:
        return problems_of(error, prefix=(group, len(payload[group]) - 1))
    return []


def _kind(record: Record) -> str:
    return "proposal" if isinstance(record, Proposal) else "event"
