"""The record of a negotiation: adding proposals and events (and corrections), reading them back.

A new record is checked the way the model checks a case: a :class:`~accord.model.Case` is built
from the case's parties, issues and sources, the records the new one refers to (and, for a
stoppage, every stoppage event), and the new record. Whatever that construction reports about the
new record is refused, field by field; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from accord.model import ITEM_KINDS, Case, CaseInvalid, Event, Proposal, StoppageEnded, StoppageStarted
from accord.services import access
from accord.services.access import Actor, Viewer
from accord.services.base import Page, ServiceBase, check_page, problems_of
from accord.services.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from accord.store import DuplicateKey, case_documents
from accord.store import cases as case_store
from accord.store import places as place_store

Record = Proposal | Event
STOPPAGE_KINDS = ("stoppage_started", "stoppage_ended")
_GROUPS = {"proposal": "proposals", "event": "events"}


ItemModels = dict[str, tuple[Any, ...]]
"""A case's items as model values, by case-file field (``parties``, ``issues``, ...)."""


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """A record with its place in the order of writing among the records its reader sees (``seq``:
    a record they cannot see takes no place, so none shows through a gap), who wrote it and
    when, whether it is private (to which party), and the records that correct it."""

    record: Any
    seq: int
    author: str | None
    created_at: dt.datetime
    private_to: str | None
    superseded_by: tuple[str, ...]


def references(record: Record) -> list[tuple[str, str, str]]:
    """Every reference of ``record`` to another record: ``(where, field, record id)``, ``where``
    the field's path in the request (``answers[1]``)."""
    found = []
    for field in ("answers", "regarding"):
        found += [(f"{field}[{i}]", field, ref) for i, ref in enumerate(getattr(record, field, ()) or ())]
    for field in ("supersedes", "responds_to", "agreement", "disputes"):
        value = getattr(record, field, None)
        if isinstance(value, str):
            found.append((field, field, value))
    return found


def referenced_ids(record: Record) -> set[str]:
    """Every record id that ``record`` refers to."""
    return {ref for _, _, ref in references(record)}


def server_problems(case: Case, private_to: Sequence[str | None]) -> list[FieldProblem]:
    """What the team server refuses in a whole case that a case file allows (each record of
    :meth:`Case.records` with the party it is private to): ids outside their namespace
    (:func:`accord.services.access.record_id_refusal`) and references to drafts
    (:func:`_privacy_problems`)."""
    records = cast(list[Record], list(case.records()))
    owners = {r.id: owner for r, owner in zip(records, private_to, strict=True)}
    problems = []
    counts = {"proposals": 0, "events": 0}
    for record, owner in zip(records, private_to, strict=True):
        group = "proposals" if isinstance(record, Proposal) else "events"
        where = f"{group}[{counts[group]}]"
        counts[group] += 1
        refusal = access.record_id_refusal(record.id, owner)
        found = ([FieldProblem("id", refusal)] if refusal else []) + _privacy_problems(record, owner, owners)
        problems += [FieldProblem(f"{where}.{p.field}", p.message) for p in found]
    return problems


class RecordService(ServiceBase):
    """Use cases on proposals and events."""

    def add(self, actor: Actor, case_id: str, record: Record) -> RecordInfo:
        """Append ``record`` (a draft proposal is kept private to its party).

        Refused: 403 where the actor may not speak for the record's party, or may not act on a
        record it refers to (:func:`accord.services.access.reference_refusal`: a party corrects
        only its own records); 422 with the fields at fault where the model rejects it, or where
        a draft's id is outside its party's namespace (:func:`access.record_id_refusal`); 409
        where its id is taken or the record it corrects has already been corrected. A record the
        actor cannot see (another party's draft) is refused exactly as one that does not exist.
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
            owners = self._check_new(conn, viewer, row, record, owner)
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
                # Only a record the writer sees can hold the id (each party's drafts have ids of
                # their own: access.record_id_refusal), so saying so reveals nothing.
                raise Conflict(
                    f"record id {record.id!r} is taken", [FieldProblem("id", "already taken")]
                ) from error
            case_store.touch_case(conn, case_id, records_added=1)
            action, detail = _audit_entry(record, owner, owners)
            self.audit(conn, actor, action, case_id=case_id, target=record.id, detail=detail)
            # What its writer sees of the drafts: the shares of the version written to (held by
            # the lock, which a change of shares takes too), as the reads of it cached them.
            visible = access.draft_parties(
                viewer, self.shares(conn, case_id, row.version), self.party_ids(conn, row)
            )
        # Its place among the records its writer sees, counted once the write is in (and the
        # case free for the next writer), by one statement sent alone: records are only ever
        # appended, so it stays the same.
        with self.db.read(one_statement=True) as conn:
            place = place_store.places(conn, case_id, [row.next_seq], visible_private=visible)
        return RecordInfo(record, place[row.next_seq], actor.username, now, owner, ())

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
        place = place_store.places(conn, case_id, [r.seq for r in rows], visible_private=visible)
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
                RecordInfo(record, place[row.seq], row.author, row.created_at, row.private_to, corrected_by)
            )
        return infos

    def _audit_private(self, actor: Actor, case_id: str, infos: list[RecordInfo]) -> None:
        """Log a read that returned drafts: whose (the target) and which (``records``, which only
        the operator sees: :mod:`accord.services.audit`)."""
        private = [i for i in infos if i.private_to is not None]
        if private:
            with self.db.write() as conn:
                self.audit(
                    conn,
                    actor,
                    "drafts.read",
                    case_id=case_id,
                    target=",".join(sorted({i.private_to for i in private if i.private_to})),
                    detail={"records": sorted(i.record.id for i in private)},
                )

    def _check_new(
        self, conn: sa.Connection, viewer: Viewer, row: case_store.CaseRow, record: Record, owner: str | None
    ) -> dict[str, str | None]:
        """Refuse ``record`` unless every record it refers to may be referred to by the viewer (403),
        the record it corrects is not corrected yet (409), and the model and the rules of drafts
        accept it (422). Returns the records it refers to that the viewer sees, with the party
        each is private to.

        Only the public record and the writer's own party's drafts are looked at: for this
        writer, any other record does not exist, and is refused exactly as an unknown id is.
        """
        case_id = row.id
        own = self._own(viewer)
        refs = referenced_ids(record)
        context = case_store.record_rows(conn, case_id, visible_private=own, record_ids=refs) if refs else []
        self._authorize_references(conn, viewer, row, record, {r.record_id: r for r in context})
        owners = {r.record_id: r.private_to for r in context}
        if record.supersedes in owners:
            correctors = case_store.correctors(conn, case_id, [record.supersedes], visible_private=own)
            if correctors:
                first = correctors[record.supersedes][0]
                raise Conflict(
                    f"{record.supersedes!r} was already corrected by {first!r}; correct that record instead",
                    [FieldProblem("supersedes", f"already superseded by {first!r}")],
                )
        refusal = access.record_id_refusal(record.id, owner)
        problems = [FieldProblem("id", refusal)] if refusal else []
        problems += _privacy_problems(record, owner, owners)
        if isinstance(record, (StoppageStarted, StoppageEnded)):
            seen = {r.record_id for r in context}
            context += [
                r
                for r in case_store.record_rows(conn, case_id, visible_private=own, kinds=STOPPAGE_KINDS)
                if r.record_id not in seen
            ]
            context.sort(key=lambda r: r.seq)
        problems += _model_problems(
            row, self.current_items(conn, row), context, record, self._item_models(conn, row)
        )
        if problems:
            raise Invalid(problems)
        return owners

    def _item_models(self, conn: sa.Connection, row: case_store.CaseRow) -> ItemModels | None:
        """The case's items as model values, per case-file field, validated once per items
        version (a case of many sources spent most of a write validating every source again);
        ``None`` where they do not validate on their own (then the write validates them whole)."""

        def build() -> ItemModels | None:
            payload = case_documents.case_payload(row, self.current_items(conn, row), [])
            try:
                case = Case.model_validate(payload)
            except (CaseInvalid, ValueError):
                return None
            return {kind.field: getattr(case, kind.field) for kind in ITEM_KINDS.values()}

        models: ItemModels | None = self.cache.item_models.get((row.id, row.items_version), build)
        return models

    @staticmethod
    def _own(viewer: Viewer) -> frozenset[str]:
        """The parties whose drafts a write by ``viewer`` may refer to: their own party's."""
        return frozenset({viewer.party}) if viewer.party else frozenset()

    def _authorize_references(
        self,
        conn: sa.Connection,
        viewer: Viewer,
        row: case_store.CaseRow,
        record: Record,
        targets: dict[str, case_store.RecordRow],
    ) -> None:
        """Refuse (403) a reference the viewer may not make (:func:`access.reference_refusal`)."""
        coalitions: dict[str, frozenset[str]] = {}
        for item in self.current_items(conn, row):
            if item.kind == "party":
                for member in item.payload.get("members", ()):
                    coalitions[member] = coalitions.get(member, frozenset()) | {item.item_id}
        refused = []
        for where, field, target_id in references(record):
            target = targets.get(target_id)
            if target is None:
                continue  # unknown to this writer: the model refuses it as it refuses any unknown id
            refusal = access.reference_refusal(viewer, record, field, target.model(), coalitions)
            if refusal:
                refused.append(FieldProblem(where, refusal))
        if refused:
            raise Forbidden("; ".join(str(p) for p in refused), refused)


def _privacy_problems(
    record: Record, owner: str | None, owners: Mapping[str, str | None]
) -> list[FieldProblem]:
    """The public record refers to no draft except one it publishes (by superseding it); a draft
    refers to no other party's draft, and corrects only a draft of its own party. ``owners``: the
    party each referenced record is private to (``None``: public)."""
    problems = []
    for where, field, target in references(record):
        if target not in owners:
            continue
        target_owner = owners[target]
        if field == "supersedes":
            if owner is not None and target_owner != owner:
                problems.append(FieldProblem(where, "a draft can correct only a draft of its own party"))
        elif target_owner is not None and target_owner != owner:
            whose = "the public record" if owner is None else "a draft of another party"
            problems.append(
                FieldProblem(where, f"{target!r} is an unpublished draft; {whose} cannot refer to it")
            )
    return problems


def _audit_entry(
    record: Record, owner: str | None, owners: Mapping[str, str | None]
) -> tuple[str, dict[str, Any]]:
    """The audit log's action, target and detail for adding ``record``. A draft's entry is
    ``draft.add``; a public record that publishes a draft names it under ``publishes`` rather than
    ``supersedes``: the log's readers other than the operator see no draft
    (:meth:`accord.services.AuditService.entries`)."""
    if owner is not None:
        return "draft.add", {"private_to": owner, "supersedes": record.supersedes}
    if record.supersedes is not None and owners.get(record.supersedes) is not None:
        return f"{_kind(record)}.add", {"supersedes": None, "publishes": record.supersedes}
    return f"{_kind(record)}.add", {"supersedes": record.supersedes}


def _model_problems(
    row: case_store.CaseRow,
    items: list[case_store.ItemRow],
    context: list[case_store.RecordRow],
    record: Record,
    item_models: ItemModels | None = None,
) -> list[FieldProblem]:
    """The problems of ``record`` in its case (its items, the records it refers to). With
    ``item_models``, the items are given as the model values they are (pydantic takes a model
    value as it is: only the records are validated, then the case's cross-references)."""
    payload = case_documents.case_payload(row, items if item_models is None else [], context)
    if item_models is not None:
        payload.update(item_models)
    group = "proposals" if isinstance(record, Proposal) else "events"
    payload[group].append(case_store.dump(record))
    try:
        Case.model_validate(payload)
    except CaseInvalid as error:
        return problems_of(error, prefix=(group, len(payload[group]) - 1))
    return []


def _kind(record: Record) -> str:
    return "proposal" if isinstance(record, Proposal) else "event"
