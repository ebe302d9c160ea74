"""Reading the news on the team server: an article read against a case's public record, and a
review applied to it, in one transaction, audited.

Who may do what (the rules of :mod:`accord.services.access`): anyone with a role in the case may
read an article against it (``case.read``); applying a review writes records (``record.write``):
every accepted draft must be a record the caller may write and refer to, or nothing is applied.
The article becomes a source of the case along with the records that cite it. The operator at
the command line (``actor`` ``None``) acts with the database's own authority.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord.ingest import ArticleError, Reading, Review, ReviewRefused, plan_apply, read_article
from accord.ingest.review import to_record
from accord.model import Case, Event, Proposal
from accord.services import access
from accord.services.access import Actor, Viewer
from accord.services.base import ServiceBase
from accord.services.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound, ServiceError
from accord.store import cases as case_store

EXTRA_MODULES = ("spacy", "dateparser", "trafilatura", "rapidfuzz")


class ExtraMissing(ServiceError):
    """The server was installed without the ``ingest`` extra."""

    status = 501
    title = "Not implemented on this server"


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a review added: the article's source, the records (ids), and whether
    everything was there already."""

    source: str
    records: tuple[str, ...]
    unchanged: bool
    accepted: int
    rejected: int


def _wanted_records(review: Review) -> tuple[Proposal | Event, ...]:
    """The records the accepted drafts would become (those that can be made: the others are
    refused with their reasons when the review is planned)."""
    records = []
    for draft in review.drafts:
        if draft.accept and draft.party is not None and draft.date is not None:
            try:
                records.append(to_record(draft, review.article))
            except ValueError:  # a field the record refuses: the plan names it
                continue
    return tuple(records)


def require_extra() -> None:
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise ExtraMissing(
            f"reading articles needs {', '.join(missing)}: install the server with pip install 'accord[ingest]'"
        )


class IngestService(ServiceBase):
    """Use cases on articles."""

    def public_case(self, actor: Actor | None, case_id: str) -> Case:
        """The case's public record (what articles are read against and reviews applied to)."""
        with self.db.read() as conn:
            _, row = self._case(conn, actor, case_id, lock=False)
            return self.whole_case(conn, row, frozenset())

    def read(
        self,
        actor: Actor | None,
        case_id: str,
        raw: bytes | str,
        *,
        published: dt.date,
        source_url: str | None = None,
        outlet: str | None = None,
        fmt: str = "auto",
    ) -> Reading:
        """The drafts an article implies for the case (nothing is stored)."""
        require_extra()
        case = self.public_case(actor, case_id)
        try:
            return read_article(case, raw, published=published, source_url=source_url, outlet=outlet, fmt=fmt)
        except ArticleError as error:
            raise Invalid([FieldProblem("text", str(error))]) from error

    def apply(self, actor: Actor | None, case_id: str, review: Review) -> Applied:
        """Add the review's accepted drafts to the case as records sourced to the article.

        Refused, with nothing written: 409 naming the conflicts when the review was made
        against an older version of the case; 422 for a draft that cannot become a record (it
        restates one, or lacks a field); 403 for a record the caller may not write.
        """
        if review.case.id != case_id:
            raise Invalid(
                [FieldProblem("case.id", f"the review is of case {review.case.id!r}, not {case_id!r}")]
            )
        with self.db.write() as conn:
            viewer, row = self._case(conn, actor, case_id, lock=True)
            case = self.whole_case(conn, row, frozenset())
            if viewer is not None:
                self._authorize(conn, viewer, row, case, _wanted_records(review))
            try:
                plan = plan_apply(case, review)
            except ReviewRefused as error:
                problems = [FieldProblem("drafts", p) for p in error.problems]
                if error.stale:
                    raise Conflict("the review is stale: " + "; ".join(error.problems), problems) from error
                raise Invalid(problems) from error
            rejected = len(review.drafts) - plan.accepted
            if plan.unchanged:
                self.audit(conn, actor, "ingest.apply", case_id=case_id, target=review.article.source_id,
                           detail={"unchanged": True, "digest": review.article.digest})  # fmt: skip
                return Applied(review.article.source_id, (), True, plan.accepted, rejected)
            now = self.now()
            by = actor.username if actor else None
            if plan.source is not None:
                items = self.current_items(conn, row)
                ordinal = 1 + max((i.ordinal for i in items if i.kind == "source"), default=-1)
                case_store.put_item(
                    conn, case_id, "source", plan.source.id, case_store.dump(plan.source),
                    version=1, ordinal=ordinal, by=by, now=now,
                )  # fmt: skip
                case_store.touch_case(conn, case_id, items_changed=True)
                self.audit(
                    conn, actor, "source.add", case_id=case_id, target=plan.source.id, detail={"version": 1}
                )
            case_store.insert_records(
                conn, case_id, [(r, None) for r in plan.records], first_seq=row.next_seq, by=by, now=now
            )
            case_store.touch_case(conn, case_id, records_added=len(plan.records))
            for record in plan.records:
                kind = "proposal" if isinstance(record, Proposal) else "event"
                self.audit(conn, actor, f"{kind}.add", case_id=case_id, target=record.id,
                           detail={"supersedes": None, "ingest": review.article.source_id})  # fmt: skip
            self.audit(
                conn,
                actor,
                "ingest.apply",
                case_id=case_id,
                target=review.article.source_id,
                detail={
                    "records": [r.id for r in plan.records],
                    "rejected": rejected,
                    "digest": review.article.digest,
                },
            )
        return Applied(
            review.article.source_id, tuple(r.id for r in plan.records), False, plan.accepted, rejected
        )

    # --- helpers --------------------------------------------------------------------------------

    def _case(
        self, conn: sa.Connection, actor: Actor | None, case_id: str, *, lock: bool
    ) -> tuple[Viewer | None, Any]:
        if actor is None:
            row = case_store.case_row(conn, case_id, lock=lock)
            if row is None:
                raise NotFound(f"no case {case_id!r}")
            return None, row
        viewer, row = self.case_for(conn, actor, case_id, lock=lock)
        access.require_case(viewer)
        return viewer, row

    def _authorize(
        self, conn: sa.Connection, viewer: Viewer, row: Any, case: Case, records: tuple[Proposal | Event, ...]
    ) -> None:
        """Every record one the viewer may write, referring only to what they may refer to (an
        observer may write none, even of a review applied before)."""
        if viewer.role not in (access.Role.ADMIN, access.Role.MEDIATOR, access.Role.MEMBER):
            raise Forbidden(f"{viewer.name} may not record anything in case {viewer.case_id!r}")
        coalitions: dict[str, frozenset[str]] = {}
        for party in case.parties:
            for member in party.members:
                coalitions[member] = coalitions.get(member, frozenset()) | {party.id}
        existing = {r.id: r for r in case.records()}
        refused = []
        for record in records:
            if not access.may_write_record(viewer, record):
                who = ", ".join(sorted(access.author_parties(record))) or "no party"
                refused.append(FieldProblem(record.id, f"{viewer.name} may not record what {who} did"))
                continue
            for field in ("regarding", "responds_to"):
                value = getattr(record, field, None)
                for target_id in (value,) if isinstance(value, str) else (value or ()):
                    target = existing.get(target_id)
                    if target is not None:
                        refusal = access.reference_refusal(viewer, record, field, target, coalitions)  # type: ignore[arg-type]
                        if refusal:
                            refused.append(FieldProblem(record.id, refusal))
        if refused:
            raise Forbidden("; ".join(f"{p.field}: {p.message}" for p in refused), refused)
