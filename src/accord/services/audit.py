"""Reading the audit log (writing it is part of every use case, in :mod:`accord.services.base`)."""

from __future__ import annotations

from dataclasses import replace

from accord.services import access
from accord.services.access import Actor
from accord.services.base import Page, ServiceBase, check_page
from accord.services.errors import Forbidden
from accord.store import audit as audit_store
from accord.store.audit import AuditRow

DRAFT_ACTIONS = ("draft.add",)
"""Entries that exist because of a draft: left out for every reader but the operator."""

DRAFT_DETAIL = ("publishes", "records")
"""Keys of an entry's detail that name drafts (the draft a public record publishes, the drafts a
read returned): left out for every reader but the operator."""


class AuditService(ServiceBase):
    def entries(
        self, actor: Actor | None, *, case_id: str | None = None, offset: int = 0, limit: int = 100
    ) -> Page[AuditRow]:
        """A page of the log, newest first: a case's log for its admins; the whole log for server
        administrators and the operator (``actor`` ``None``).

        A draft is private to its party, and no admin may read it, so a signed-in reader sees no
        draft in the log either: not the writing of one (:data:`DRAFT_ACTIONS`), nor the id of one
        (:data:`DRAFT_DETAIL`); a read of drafts shows whose drafts were read. The operator at the
        command line sees everything.
        """
        check_page(offset, limit)
        with self.db.read() as conn:
            if actor is not None:
                if case_id is None:
                    if not access.may_manage_users(actor):
                        raise Forbidden(f"{actor.username} may not read the whole audit log")
                else:
                    viewer = self.viewer(conn, actor, case_id)
                    access.require(access.may_manage_case(viewer), viewer, "read the case's audit log")
            hidden = DRAFT_ACTIONS if actor is not None else ()
            rows, total = audit_store.audit_entries(
                conn, case_id=case_id, exclude_actions=hidden, offset=offset, limit=limit
            )
        if actor is not None:
            rows = [_without_drafts(row) for row in rows]
        return Page(rows, total, offset, limit)


def _without_drafts(row: AuditRow) -> AuditRow:
    if not row.detail or not any(key in row.detail for key in DRAFT_DETAIL):
        return row
    return replace(row, detail={k: v for k, v in row.detail.items() if k not in DRAFT_DETAIL})
