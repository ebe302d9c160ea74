"""A party's private data: preferences, walk-away point, internal notes, costing parameters, and
what it shares.

Every read and every write is in the audit log. Each item keeps all its versions; an update names
the version it is based on and is refused (409) when someone else wrote a newer one first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import Field, ValidationError

from accord.model import Case, CaseInvalid, Costing, PreferenceModel, PreferenceSet
from accord.model.common import Frozen, Id
from accord.model.limits import Text
from accord.model.preferences import costing_problems, preference_problems
from accord.model.proposal import Positions
from accord.services import access
from accord.services.access import MEDIATORS, Actor, PrivateKind, Viewer
from accord.services.base import ServiceBase, problems_of
from accord.services.errors import Conflict, FieldProblem, Invalid, NotFound, PreconditionRequired
from accord.store import DuplicateKey, case_documents
from accord.store import cases as case_store
from accord.store import private as private_store

CURRENT = "current"
"""Item id of a party's (single) preferences and walk-away point."""


class WalkAway(Frozen):
    """A party's walk-away point: the worst terms it would accept, per issue (a value in each
    issue's domain), and/or the lowest utility it would accept."""

    positions: Positions = Field(default_factory=dict)
    utility: float | None = Field(default=None, ge=0.0, le=1.0)
    note: Text | None = None


class Note(Frozen):
    """An internal note of a party, optionally about some records."""

    text: Text = Field(min_length=1)
    regarding: tuple[Id, ...] = ()


@dataclass(frozen=True, slots=True)
class PrivateItem:
    party: str
    kind: str
    item_id: str
    version: int
    payload: dict[str, Any]
    updated_at: dt.datetime
    updated_by: str | None


def _item(row: private_store.PrivateRow) -> PrivateItem:
    return PrivateItem(
        row.party_id, row.kind, row.item_id, row.version, row.payload, row.created_at, row.created_by
    )


_STORE_KIND = {
    PrivateKind.PREFERENCES: "preferences",
    PrivateKind.WALKAWAY: "walkaway",
    PrivateKind.NOTES: "note",
    PrivateKind.COSTING: "costing",
}


class PrivateService(ServiceBase):
    """Use cases on a party's private data."""

    # --- reading ------------------------------------------------------------------------------

    def get(self, actor: Actor, case_id: str, party: str, kind: PrivateKind) -> PrivateItem:
        """The party's preferences or walk-away point (404 when none is recorded yet)."""
        items = self._read(actor, case_id, party, kind, CURRENT)
        if not items:
            raise NotFound(f"{party!r} has recorded no {kind.value} in case {case_id!r}")
        return items[0]

    def notes(self, actor: Actor, case_id: str, party: str) -> list[PrivateItem]:
        """The party's notes (each at its newest version), oldest note first."""
        notes = self._read(actor, case_id, party, PrivateKind.NOTES, None)
        return sorted(notes, key=lambda n: int(n.item_id.rsplit("-", 1)[-1]))

    def history(
        self, actor: Actor, case_id: str, party: str, kind: PrivateKind, item_id: str
    ) -> list[PrivateItem]:
        """Every version of one item, oldest first."""
        with self.db.read() as conn:
            self._require_read(conn, actor, case_id, party, kind)
            rows = private_store.private_history(conn, case_id, party, _STORE_KIND[kind], item_id)
        self.audit_read(actor, f"{kind.value}.read", case_id=case_id, target=f"{party}/{item_id}")
        if not rows:
            raise NotFound(f"no {kind.value} {item_id!r} of {party!r}")
        return [_item(row) for row in rows]

    def readable(self, actor: Actor, case_id: str, kind: PrivateKind) -> list[PrivateItem]:
        """The current preferences (or walk-away points) of every party whose ones the actor may
        see: what analysis runs on for this actor."""
        with self.db.read() as conn:
            viewer = self.viewer(conn, actor, case_id)
            access.require_case(viewer)
            shares = self.shares(conn, case_id)
            parties = [i.item_id for i in case_store.current_items(conn, case_id, "party")]
            rows = [
                row
                for party in parties
                if access.may_read_private(viewer, party, kind, shares)
                for row in private_store.current_private(conn, case_id, party, _STORE_KIND[kind], CURRENT)
            ]
        if rows:
            self.audit_read(
                actor, f"{kind.value}.read", case_id=case_id, target=",".join(r.party_id for r in rows)
            )
        return [_item(row) for row in rows]

    def readable_parties(self, actor: Actor, case_id: str, kind: PrivateKind) -> frozenset[str]:
        """The parties whose private data of ``kind`` the actor may read now (404 where they have
        no role in the case): what results computed from such data need to stay readable."""
        with self.db.read() as conn:
            viewer, row = self.case_for(conn, actor, case_id)
            access.require_case(viewer)
            shares = self.shares(conn, case_id, row.version)
            return frozenset(
                party
                for party in self.party_ids(conn, row)
                if access.may_read_private(viewer, party, kind, shares)
            )

    def _read(
        self, actor: Actor, case_id: str, party: str, kind: PrivateKind, item_id: str | None
    ) -> list[PrivateItem]:
        with self.db.read() as conn:
            self._require_read(conn, actor, case_id, party, kind)
            rows = private_store.current_private(conn, case_id, party, _STORE_KIND[kind], item_id)
        self.audit_read(actor, f"{kind.value}.read", case_id=case_id, target=party)
        return [_item(row) for row in rows]

    def _require_read(
        self, conn: sa.Connection, actor: Actor, case_id: str, party: str, kind: PrivateKind
    ) -> Viewer:
        viewer = self.viewer(conn, actor, case_id)
        access.require_case(viewer)
        self._party_exists(conn, case_id, party)
        allowed = access.may_read_private(viewer, party, kind, self.shares(conn, case_id))
        access.require(allowed, viewer, f"see the {kind.value} of {party!r}")
        return viewer

    # --- writing ------------------------------------------------------------------------------

    def put_preferences(
        self, actor: Actor, case_id: str, party: str, model: PreferenceModel, *, expected_version: int | None
    ) -> PrivateItem:
        """Record the party's preference model as a new version, checked against the case (its
        issues, options, provisions, sources) the way a preference file is.

        Who sees it is decided by what the party shares (:meth:`set_shares`), not by the model's
        own ``visibility`` field, which is kept as written.
        """
        if model.party != party:
            raise Invalid(
                [FieldProblem("party", f"expected {party!r} (the party in the path), got {model.party!r}")]
            )
        payload = model.model_dump(mode="json", by_alias=True)
        return self._put(actor, case_id, party, PrivateKind.PREFERENCES, CURRENT, payload, expected_version)

    def put_walkaway(
        self, actor: Actor, case_id: str, party: str, walkaway: WalkAway, *, expected_version: int | None
    ) -> PrivateItem:
        """Record the party's walk-away point; each value must lie in its issue's domain."""
        payload = walkaway.model_dump(mode="json", by_alias=True)
        return self._put(actor, case_id, party, PrivateKind.WALKAWAY, CURRENT, payload, expected_version)

    def put_costing(
        self, actor: Actor, case_id: str, party: str, costing: Costing, *, expected_version: int | None
    ) -> PrivateItem:
        """Record the party's contract costing parameters as a new version, checked against the
        case (issues, options, provisions, parties of the shares, sources, estimates)."""
        payload = costing.model_dump(mode="json", by_alias=True)
        return self._put(actor, case_id, party, PrivateKind.COSTING, CURRENT, payload, expected_version)

    def add_note(self, actor: Actor, case_id: str, party: str, note: Note) -> PrivateItem:
        return self._put(actor, case_id, party, PrivateKind.NOTES, None, note.model_dump(mode="json"), None)

    def update_note(
        self,
        actor: Actor,
        case_id: str,
        party: str,
        note_id: str,
        note: Note,
        *,
        expected_version: int | None,
    ) -> PrivateItem:
        if expected_version is None:
            raise PreconditionRequired("send If-Match with the note's version (its ETag)")
        return self._put(
            actor, case_id, party, PrivateKind.NOTES, note_id, note.model_dump(mode="json"), expected_version
        )

    def _put(
        self,
        actor: Actor,
        case_id: str,
        party: str,
        kind: PrivateKind,
        item_id: str | None,
        payload: dict[str, Any],
        expected_version: int | None,
    ) -> PrivateItem:
        store_kind = _STORE_KIND[kind]
        with self.db.write() as conn:
            viewer = self.viewer(conn, actor, case_id, lock=True)
            access.require_case(viewer)
            self._party_exists(conn, case_id, party)
            access.require(
                access.may_write_private(viewer, party), viewer, f"write the {kind.value} of {party!r}"
            )
            if kind is PrivateKind.WALKAWAY:
                self._check_positions(conn, case_id, payload.get("positions", {}))
            if kind is PrivateKind.PREFERENCES:
                self._check_model(conn, case_id, payload)
            if kind is PrivateKind.COSTING:
                self._check_costing(conn, case_id, payload)
            if kind is PrivateKind.NOTES and payload.get("regarding"):
                self._check_regarding(conn, case_id, viewer, payload["regarding"])
            if item_id is None:  # a new note
                existing = private_store.current_private(conn, case_id, party, store_kind)
                item_id = f"note-{len(existing) + 1}"
            history = private_store.private_history(conn, case_id, party, store_kind, item_id)
            current = history[-1].version if history else 0
            if kind is PrivateKind.NOTES and expected_version is not None and not history:
                raise NotFound(f"no note {item_id!r} of {party!r}")
            if current and expected_version is None:
                raise PreconditionRequired(
                    f"{kind.value} of {party!r} exist: send If-Match with their version"
                )
            if expected_version is not None and expected_version != current:
                raise Conflict(f"{kind.value} of {party!r} are at version {current}, not {expected_version}")
            try:
                private_store.put_private(
                    conn,
                    case_id,
                    party,
                    store_kind,
                    item_id,
                    payload,
                    version=current + 1,
                    by=actor.username,
                    now=self.now(),
                )
            except DuplicateKey as error:
                raise Conflict(
                    f"{kind.value} of {party!r} were changed by someone else; reload them"
                ) from error
            self.audit(
                conn,
                actor,
                f"{kind.value}.write",
                case_id=case_id,
                target=f"{party}/{item_id}",
                detail={"version": current + 1},
            )
            row = private_store.private_history(conn, case_id, party, store_kind, item_id)[-1]
        return _item(row)

    # --- sharing ------------------------------------------------------------------------------

    def shares_of(self, actor: Actor, case_id: str, party: str) -> set[tuple[str, str]]:
        """What the party shares, as ``(kind, grantee)``; seen by its own members."""
        with self.db.read() as conn:
            viewer = self.viewer(conn, actor, case_id)
            access.require_case(viewer)
            self._party_exists(conn, case_id, party)
            access.require(access.may_write_private(viewer, party), viewer, f"see what {party!r} shares")
            return private_store.party_shares(conn, case_id, party)

    def set_shares(
        self, actor: Actor, case_id: str, party: str, grants: set[tuple[str, str]]
    ) -> set[tuple[str, str]]:
        """Replace what the party shares: each grant is ``(kind, grantee)``, the grantee
        ``"mediators"`` or another party of the case."""
        with self.db.write() as conn:
            viewer = self.viewer(conn, actor, case_id, lock=True)
            access.require_case(viewer)
            parties = self._party_exists(conn, case_id, party)
            access.require(access.may_write_private(viewer, party), viewer, f"change what {party!r} shares")
            _check_grants(party, parties, grants)
            private_store.set_shares(conn, case_id, party, grants, by=actor.username, now=self.now())
            case_store.touch_case(conn, case_id)  # what each viewer sees of the case changed
            detail = {"grants": [list(g) for g in sorted(grants)]}
            self.audit(conn, actor, "shares.set", case_id=case_id, target=party, detail=detail)
            return private_store.party_shares(conn, case_id, party)

    # --- loading, by the operator ----------------------------------------------------------

    def load_preferences(
        self, case_id: str, model: PreferenceModel, grants: set[tuple[str, str]]
    ) -> PrivateItem:
        """The operator at the command line (no signed-in user: ``accord demo``) records a party's
        preference model as a new version, and replaces what the party shares with ``grants``
        (as :meth:`set_shares`), as the party's own members would.

        Not reachable over HTTP (every request has an actor); the audit log names no one.
        """
        party = model.party
        payload = model.model_dump(mode="json", by_alias=True)
        with self.db.write() as conn:
            if case_store.case_row(conn, case_id) is None:
                raise NotFound(f"no case {case_id!r}")
            parties = self._party_exists(conn, case_id, party)
            self._check_model(conn, case_id, payload)
            _check_grants(party, parties, grants)
            history = private_store.private_history(conn, case_id, party, "preferences", CURRENT)
            version = (history[-1].version if history else 0) + 1
            now = self.now()
            private_store.put_private(
                conn, case_id, party, "preferences", CURRENT, payload, version=version, by=None, now=now
            )
            private_store.set_shares(conn, case_id, party, grants, by=None, now=now)
            case_store.touch_case(conn, case_id)
            detail = {"version": version, "grants": [list(g) for g in sorted(grants)]}
            self.audit(
                conn, None, "preferences.load", case_id=case_id, target=f"{party}/{CURRENT}", detail=detail
            )
            row = private_store.private_history(conn, case_id, party, "preferences", CURRENT)[-1]
        return _item(row)

    def load_costing(
        self, case_id: str, party: str, costing: Costing, grants: set[tuple[str, str]]
    ) -> PrivateItem:
        """The operator at the command line (``accord demo``) records a party's costing
        parameters as a new version and adds ``grants`` to what the party shares (as
        :meth:`load_preferences`, but keeping the shares already made). Not reachable over HTTP."""
        payload = costing.model_dump(mode="json", by_alias=True)
        with self.db.write() as conn:
            if case_store.case_row(conn, case_id) is None:
                raise NotFound(f"no case {case_id!r}")
            parties = self._party_exists(conn, case_id, party)
            self._check_costing(conn, case_id, payload)
            _check_grants(party, parties, grants)
            history = private_store.private_history(conn, case_id, party, "costing", CURRENT)
            version = (history[-1].version if history else 0) + 1
            now = self.now()
            private_store.put_private(
                conn, case_id, party, "costing", CURRENT, payload, version=version, by=None, now=now
            )
            shares = private_store.party_shares(conn, case_id, party) | grants
            private_store.set_shares(conn, case_id, party, shares, by=None, now=now)
            case_store.touch_case(conn, case_id)
            detail = {"version": version, "grants": [list(g) for g in sorted(shares)]}
            self.audit(
                conn, None, "costing.load", case_id=case_id, target=f"{party}/{CURRENT}", detail=detail
            )
            row = private_store.private_history(conn, case_id, party, "costing", CURRENT)[-1]
        return _item(row)

    # --- checks -------------------------------------------------------------------------------

    def _party_exists(self, conn: sa.Connection, case_id: str, party: str) -> set[str]:
        parties = {i.item_id for i in case_store.current_items(conn, case_id, "party")}
        if party not in parties:
            raise NotFound(f"no party {party!r} in case {case_id!r}")
        return parties

    def _check_positions(self, conn: sa.Connection, case_id: str, positions: dict[str, Any]) -> None:
        """Check walk-away values as the model checks a proposal's (a TA's terms, in a scratch case)."""
        row = case_store.case_row(conn, case_id)
        assert row is not None
        payload = case_documents.case_payload(row, case_store.current_items(conn, case_id), [])
        parties = [p["id"] for p in payload["parties"]]
        scratch = {
            "id": "walkaway",
            "date": "2000-01-01",
            "kind": "tentative_agreement",
            "parties": (parties * 2)[:2],
            "terms": positions,
        }
        payload["events"] = [scratch]
        try:
            Case.model_validate(payload)
        except CaseInvalid as error:
            problems = problems_of(error, prefix=("events", 0, "terms"))
            raise Invalid([FieldProblem(f"positions.{p.field}", p.message) for p in problems]) from error
        except ValidationError as error:  # pragma: no cover - positions were validated by WalkAway
            raise Invalid([FieldProblem("positions", str(error))]) from error

    def _check_model(self, conn: sa.Connection, case_id: str, payload: dict[str, Any]) -> None:
        row = case_store.case_row(conn, case_id)
        assert row is not None
        case = Case.model_validate(case_documents.case_payload(row, self.current_items(conn, row), []))
        problems = preference_problems(PreferenceSet(case=case.id, models=[payload]), case)
        if problems:
            fields = problems_of(CaseInvalid(problems), prefix=("models", 0))
            raise Invalid(fields)

    def _check_costing(self, conn: sa.Connection, case_id: str, payload: dict[str, Any]) -> None:
        row = case_store.case_row(conn, case_id)
        assert row is not None
        case = Case.model_validate(case_documents.case_payload(row, self.current_items(conn, row), []))
        problems = costing_problems(Costing.model_validate(payload), case)
        if problems:
            raise Invalid(problems_of(CaseInvalid(problems)))

    def _check_regarding(
        self, conn: sa.Connection, case_id: str, viewer: Viewer, regarding: list[str]
    ) -> None:
        own = [viewer.party] if viewer.party else []
        found = case_store.existing_ids(conn, case_id, regarding, visible_private=own)
        problems = [
            FieldProblem(f"regarding[{i}]", f"no record {r!r} in case {case_id!r}")
            for i, r in enumerate(regarding)
            if r not in found
        ]
        if problems:
            raise Invalid(problems)


def _check_grants(party: str, parties: set[str], grants: set[tuple[str, str]]) -> None:
    """Each grant is ``(kind, grantee)``: a kind of private data, and ``"mediators"`` or another
    party of the case; :class:`Invalid` naming each one that is not."""
    problems = []
    kinds = {k.value for k in PrivateKind}
    for index, (kind, grantee) in enumerate(sorted(grants)):
        if kind not in kinds:
            problems.append(FieldProblem(f"[{index}].kind", f"expected one of {sorted(kinds)}, got {kind!r}"))
        if grantee != MEDIATORS and (grantee not in parties or grantee == party):
            problems.append(
                FieldProblem(
                    f"[{index}].grantee",
                    f"expected 'mediators' or another party of the case, got {grantee!r}",
                )
            )
    if problems:
        raise Invalid(problems)
