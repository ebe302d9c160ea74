"""Cases: list, read, import, export, and the items of a case (parties, issues, sources, estimates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from accord.ledger.records import ledger
from accord.model import ITEM_KINDS, Case, CaseInvalid, Issue, Party, Source
from accord.model.case import Estimate
from accord.model.problems import estimate_problems
from accord.services import access
from accord.services.access import Actor, Viewer
from accord.services.base import Page, ServiceBase, check_page, problems_of
from accord.services.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound, PreconditionRequired
from accord.services.records import server_problems
from accord.store import DuplicateKey, case_documents
from accord.store import cases as case_store
from accord.store import users as user_store

Item = Party | Issue | Source | Estimate
ITEM_TYPES: dict[str, TypeAdapter[Any]] = {kind: TypeAdapter(item.type) for kind, item in ITEM_KINDS.items()}


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A case as its list shows it, with the caller's role there."""

    id: str
    title: str
    description: str | None
    version: int
    role: str | None
    party: str | None
    created_at: dt.datetime
    created_by: str | None


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """The newest version of an item, with who wrote it and when."""

    kind: str
    item: Any
    version: int
    created_at: dt.datetime
    created_by: str | None


def _summary(row: case_store.CaseRow, viewer: Viewer | None) -> CaseSummary:
    role = viewer.role.value if viewer and viewer.role else None
    return CaseSummary(
        row.id,
        row.title,
        row.description,
        row.version,
        role,
        viewer.party if viewer else None,
        row.created_at,
        row.created_by,
    )


def _check_kind(kind: str) -> None:
    if kind not in ITEM_TYPES:
        raise NotFound(f"no item kind {kind!r}; expected one of {sorted(ITEM_TYPES)}")


class CaseService(ServiceBase):
    """Use cases on whole cases and their items."""

    def page(self, actor: Actor, *, offset: int = 0, limit: int = 50) -> Page[CaseSummary]:
        """The cases the actor has a role in (every case, for a server administrator)."""
        check_page(offset, limit)
        with self.db.read() as conn:
            only = None if actor.is_admin else user_store.user_case_ids(conn, actor.user_id)
            rows, total = case_store.list_cases(conn, only=only, offset=offset, limit=limit)
            summaries = [_summary(row, self.viewer(conn, actor, row.id)) for row in rows]
        return Page(summaries, total, offset, limit)

    def get(self, actor: Actor, case_id: str) -> CaseSummary:
        with self.db.read() as conn:
            viewer, row = self.case_for(conn, actor, case_id)
            access.require_case(viewer)
        return _summary(row, viewer)

    def import_case(self, actor: Actor | None, case: Case) -> CaseSummary:
        """Store a whole case (``actor`` ``None``: the operator at the command line).

        Its draft proposals become the private records of the parties that wrote them; refused
        (422) where a record breaks a rule of the server that a case file does not have
        (:func:`accord.services.records.server_problems`: drafts' ids, references to drafts).
        """
        if actor is not None and not access.may_create_cases(actor):
            raise Forbidden(f"{actor.username} may not create cases")
        private_to = [access.private_record_owner(record) for record in case.records()]  # type: ignore[arg-type]
        problems = server_problems(case, private_to)
        if problems:
            raise Invalid(problems)
        try:
            with self.db.write() as conn:
                case_documents.import_case(conn, case, private_to=private_to, by=_name(actor), now=self.now())
                self.audit(conn, actor, "case.import", case_id=case.id, target=case.id)
                row = case_store.case_row(conn, case.id)
        except DuplicateKey as error:
            raise Conflict(f"case {case.id!r} exists", [FieldProblem("id", "already taken")]) from error
        assert row is not None
        return _summary(row, None)

    def export(self, actor: Actor | None, case_id: str) -> Case:
        """The case as a case file holds it: everything for the operator (``actor`` ``None``), the
        caller's view otherwise (see :meth:`view`)."""
        if actor is None:
            with self.db.read() as conn:
                case = case_documents.load_case(conn, case_id, visible_private=None)
            if case is None:
                raise NotFound(f"no case {case_id!r}")
            with self.db.write() as conn:
                self.audit(
                    conn, None, "case.export", case_id=case_id, target=case_id, detail={"private": True}
                )
            return case
        return self.view(actor, case_id)

    def view(self, actor: Actor, case_id: str) -> Case:
        """The case as the actor may see it: the public record and the drafts they may read."""
        return self.viewed(actor, case_id)[0]

    def viewed(self, actor: Actor, case_id: str) -> tuple[Case, tuple[str, int, frozenset[str]]]:
        """:meth:`view`, with what identifies that view: ``(case, version, parties whose drafts
        it includes)`` (a key for results computed from it)."""
        with self.db.read() as conn:
            viewer, row = self.case_for(conn, actor, case_id)
            access.require_case(viewer)
            visible = access.draft_parties(
                viewer, self.shares(conn, case_id, row.version), self.party_ids(conn, row)
            )
            case = self.whole_case(conn, row, visible)
        if visible and ledger(case).has_drafts():
            self.audit_read(actor, "drafts.read", case_id=case_id, target=",".join(sorted(visible)))
        return case, (case_id, row.version, visible)

    def update(
        self,
        actor: Actor,
        case_id: str,
        *,
        expected_version: int | None,
        title: str | None = None,
        description: str | None = None,
    ) -> CaseSummary:
        """Change the case's title or description (based on ``expected_version``)."""
        if expected_version is None:
            raise PreconditionRequired("send If-Match with the case's version (its ETag)")
        fields: dict[str, Any] = {}
        if title is not None:
            if not title.strip():
                raise Invalid([FieldProblem("title", "expected a non-empty title")])
            fields["title"] = title
        if description is not None:
            fields["description"] = description
        with self.db.write() as conn:
            viewer, row = self.case_for(conn, actor, case_id, lock=True)
            access.require(access.may_manage_case(viewer), viewer, "change the case")
            if row.version != expected_version:
                raise Conflict(f"case {case_id!r} is at version {row.version}, not {expected_version}")
            case_store.touch_case(conn, case_id, **fields)
            self.audit(conn, actor, "case.update", case_id=case_id, target=case_id, detail=fields)
            updated = case_store.case_row(conn, case_id)
        assert updated is not None
        return _summary(updated, viewer)

    # --- items --------------------------------------------------------------------------------

    def items(self, actor: Actor, case_id: str, kind: str) -> list[ItemInfo]:
        _check_kind(kind)
        with self.db.read() as conn:
            access.require_case(self.viewer(conn, actor, case_id))
            rows = case_store.current_items(conn, case_id, kind)
        return [_info(row) for row in rows]

    def item(self, actor: Actor, case_id: str, kind: str, item_id: str) -> ItemInfo:
        return self.item_history(actor, case_id, kind, item_id)[-1]

    def item_history(self, actor: Actor, case_id: str, kind: str, item_id: str) -> list[ItemInfo]:
        """Every version of an item, oldest first."""
        _check_kind(kind)
        with self.db.read() as conn:
            access.require_case(self.viewer(conn, actor, case_id))
            rows = case_store.item_history(conn, case_id, kind, item_id)
        if not rows:
            raise NotFound(f"no {kind} {item_id!r} in case {case_id!r}")
        return [_info(row) for row in rows]

    def add_item(self, actor: Actor, case_id: str, kind: str, item: Item) -> ItemInfo:
        """Add a party, issue, source or estimate to the case."""
        return self._put_item(actor, case_id, kind, item, expected_version=None, is_new=True)

    def update_item(
        self, actor: Actor, case_id: str, kind: str, item_id: str, item: Item, *, expected_version: int | None
    ) -> ItemInfo:
        """Replace an item with a new version, based on ``expected_version`` (409 when stale).

        The whole case is checked with the new version: a change that would make any record
        invalid (a bound that excludes a tabled value) is refused, naming that record.
        """
        if item.id != item_id:
            raise Invalid([FieldProblem("id", f"expected {item_id!r} (the id in the path), got {item.id!r}")])
        if expected_version is None:
            raise PreconditionRequired(f"send If-Match with the {kind}'s version (its ETag)")
        return self._put_item(actor, case_id, kind, item, expected_version=expected_version, is_new=False)

    def _put_item(
        self, actor: Actor, case_id: str, kind: str, item: Item, *, expected_version: int | None, is_new: bool
    ) -> ItemInfo:
        _check_kind(kind)
        with self.db.write() as conn:
            viewer = self.viewer(conn, actor, case_id, lock=True)
            access.require(
                access.may_manage_case(viewer), viewer, f"change the case's {ITEM_KINDS[kind].field}"
            )
            history = case_store.item_history(conn, case_id, kind, item.id)
            if is_new and history:
                raise Conflict(f"{kind} {item.id!r} exists", [FieldProblem("id", "already taken")])
            if not is_new and not history:
                raise NotFound(f"no {kind} {item.id!r} in case {case_id!r}")
            current = history[-1].version if history else 0
            if expected_version is not None and expected_version != current:
                raise Conflict(f"{kind} {item.id!r} is at version {current}, not {expected_version}")
            items = case_store.current_items(conn, case_id)
            ordinal = (
                history[-1].ordinal
                if history
                else 1 + max((i.ordinal for i in items if i.kind == kind), default=-1)
            )
            self._check_case_with(conn, case_id, kind, item, ordinal)
            try:
                case_store.put_item(
                    conn,
                    case_id,
                    kind,
                    item.id,
                    case_store.dump(item),
                    version=current + 1,
                    ordinal=ordinal,
                    by=actor.username,
                    now=self.now(),
                )
            except DuplicateKey as error:
                raise Conflict(f"{kind} {item.id!r} was changed by someone else; reload it") from error
            case_store.touch_case(conn, case_id, items_changed=True)
            self.audit(
                conn,
                actor,
                f"{kind}.{'add' if is_new else 'update'}",
                case_id=case_id,
                target=item.id,
                detail={"version": current + 1},
            )
            row = case_store.item_history(conn, case_id, kind, item.id)[-1]
        return _info(row)

    def _check_case_with(self, conn: Any, case_id: str, kind: str, item: Item, ordinal: int) -> None:
        row = case_store.case_row(conn, case_id)
        assert row is not None
        items = [
            i
            for i in case_store.current_items(conn, case_id)
            if not (i.kind == kind and i.item_id == item.id)
        ]
        items.append(case_store.ItemRow(kind, item.id, 0, ordinal, case_store.dump(item), self.now(), None))
        payload = case_documents.case_payload(
            row, items, case_store.record_rows(conn, case_id, visible_private=None)
        )
        field = ITEM_KINDS[kind].field
        index = next(i for i, value in enumerate(payload[field]) if value.get("id") == item.id)
        try:
            problems = estimate_problems(Case.model_validate(payload))  # with every record
            if problems:
                raise CaseInvalid(problems)
        except CaseInvalid as error:
            own = problems_of(error, prefix=(field, index))
            others = [
                FieldProblem("", f"{p.where}: {p.message} (with this change)")
                for p in error.problems
                if p.path[:2] != (field, index)
            ]
            raise Invalid(own + others) from error

    # --- members --------------------------------------------------------------------------------

    def members(self, actor: Actor, case_id: str) -> list[tuple[str, str, str | None]]:
        """``(user name, role, party)`` of everyone with a role in the case."""
        with self.db.read() as conn:
            viewer = self.viewer(conn, actor, case_id)
            access.require(access.may_manage_case(viewer), viewer, "see the case's members")
            return [(name, m.role, m.party_id) for m, name in user_store.case_memberships(conn, case_id)]

    def set_member(
        self, actor: Actor | None, case_id: str, username: str, role: str, party: str | None = None
    ) -> None:
        """Give a user a role in the case (a member needs a party of the case), replacing any
        earlier one.

        The case's admins manage its members, except that a change that lets the user see
        private data they could not see before (a party's member, a mediator) needs a server
        administrator, and no one makes it for themselves (:func:`access.membership_refusal`);
        ``actor`` ``None``, the operator at the command line, may make any. Audited with the
        role before and after.
        """
        problems = []
        if role not in {r.value for r in access.Role}:
            problems.append(
                FieldProblem("role", f"expected one of {[r.value for r in access.Role]}, got {role!r}")
            )
        elif role == access.Role.MEMBER and not party:
            problems.append(FieldProblem("party", "a member needs the party they belong to"))
        elif role != access.Role.MEMBER and party:
            problems.append(FieldProblem("party", f"only a member belongs to a party, not a {role}"))
        if problems:
            raise Invalid(problems)
        with self.db.write() as conn:
            viewer = self._members_viewer(conn, actor, case_id)
            parties = {i.item_id for i in case_store.current_items(conn, case_id, "party")}
            if party is not None and party not in parties:
                raise Invalid(
                    [FieldProblem("party", f"unknown party {party!r}; expected one of {sorted(parties)}")]
                )
            user = user_store.user_by_name(conn, username)
            if user is None:
                raise Invalid([FieldProblem("username", f"no user {username!r}")])
            before = _membership(conn, case_id, user.id)
            self._require_membership_change(viewer, username, before, (role, party))
            user_store.set_membership(conn, case_id, user.id, role, party, now=self.now())
            self.audit(
                conn,
                actor,
                "member.set",
                case_id=case_id,
                target=username,
                detail={"role": role, "party": party, "before": _described(before)},
            )

    def remove_member(self, actor: Actor | None, case_id: str, username: str) -> None:
        """Take a user's role in the case away (the case's admins; audited with the role it was)."""
        with self.db.write() as conn:
            viewer = self._members_viewer(conn, actor, case_id)
            user = user_store.user_by_name(conn, username)
            before = _membership(conn, case_id, user.id) if user is not None else None
            if user is None or before is None:
                raise NotFound(f"{username!r} has no role in case {case_id!r}")
            self._require_membership_change(viewer, username, before, None)
            user_store.remove_membership(conn, case_id, user.id)
            self.audit(
                conn,
                actor,
                "member.remove",
                case_id=case_id,
                target=username,
                detail={"before": _described(before)},
            )

    def _members_viewer(self, conn: Any, actor: Actor | None, case_id: str) -> Viewer | None:
        """The actor's view of the case, its row locked (``None`` for the operator); 404 where
        there is no such case, 403 for anyone who does not manage it."""
        if actor is not None:
            viewer = self.viewer(conn, actor, case_id, lock=True)
            access.require(access.may_manage_case(viewer), viewer, "change the case's members")
            return viewer
        if case_store.case_row(conn, case_id, lock=True) is None:
            raise NotFound(f"no case {case_id!r}")
        return None

    @staticmethod
    def _require_membership_change(
        viewer: Viewer | None,
        username: str,
        before: tuple[str, str | None] | None,
        after: tuple[str, str | None] | None,
    ) -> None:
        if viewer is None:  # the operator
            return
        refusal = access.membership_refusal(viewer, username, before, after)
        access.require(refusal is None, viewer, refusal or "")


def _membership(conn: Any, case_id: str, user_id: int) -> tuple[str, str | None] | None:
    found = user_store.membership(conn, case_id, user_id)
    return None if found is None else (found.role, found.party_id)


def _described(membership: tuple[str, str | None] | None) -> dict[str, str | None] | None:
    return None if membership is None else {"role": membership[0], "party": membership[1]}


def _info(row: case_store.ItemRow) -> ItemInfo:
    return ItemInfo(
        row.kind,
        ITEM_TYPES[row.kind].validate_python(row.payload),
        row.version,
        row.created_at,
        row.created_by,
    )


def _name(actor: Actor | None) -> str | None:
    return actor.username if actor else None
