"""Reading the audit log (writing it is part of every use case, in :mod:`accord.services.base`)."""

from __future__ import annotations

from accord.services import access
from accord.services.access import Actor
from accord.services.base import Page, ServiceBase, check_page
from accord.services.errors import Forbidden
from accord.store import audit as audit_store
from accord.store.audit import AuditRow


class AuditService(ServiceBase):
    def entries(
        self, actor: Actor | None, *, case_id: str | None = None, offset: int = 0, limit: int = 100
    ) -> Page[AuditRow]:
        """A page of the log, newest first: a case's log for its admins; the whole log for server
        administrators and the operator (``actor`` ``None``)."""
        check_page(offset, limit)
        with self.db.read() as conn:
            if actor is not None:
                if case_id is None:
                    if not access.may_manage_users(actor):
                        raise Forbidden(f"{actor.username} may not read the whole audit log")
                else:
                    viewer = self.viewer(conn, actor, case_id)
                    access.require(access.may_manage_case(viewer), viewer, "read the case's audit log")
            rows, total = audit_store.audit_entries(conn, case_id=case_id, offset=offset, limit=limit)
        return Page(rows, total, offset, limit)
