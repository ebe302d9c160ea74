"""What every use case shares: the database, the clock, the viewer of a case, the audit log, pages."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from accord.model import Case, CaseInvalid, request_limits
from accord.model.problems import Problem
from accord.services.access import Actor, Shares, Viewer, viewer_role
from accord.services.errors import FieldProblem, Invalid, NotFound
from accord.services.folds import (
    Folds,
    folded_case,
    text_without_hidden_supersedes,
    without_hidden_supersedes,
)
from accord.store import Database, ReadNeedsTransaction, WritersBusy, case_documents
from accord.store import audit as audit_store
from accord.store import cases as case_store
from accord.store import private as private_store

T = TypeVar("T")
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: ``items`` from ``offset``, at most ``limit``, of ``total``."""

    items: Sequence[T]
    total: int
    offset: int
    limit: int


MAX_PAGE = request_limits.PAGE_ENTRIES


def check_page(offset: int, limit: int) -> None:
    problems = []
    if offset < 0:
        problems.append(FieldProblem("offset", f"expected a number >= 0, got {offset}"))
    if not 1 <= limit <= MAX_PAGE:
        problems.append(FieldProblem("limit", f"expected a number from 1 to {MAX_PAGE}, got {limit}"))
    if problems:
        raise Invalid(problems)


K = TypeVar("K")
V = TypeVar("V")


class NotQuick(Exception):
    """Work begun under :func:`quick_only` needs what takes long: the case loaded whole, or an
    entry another thread is building. Nothing was written; the caller does it again on a worker
    thread."""


_QUICK = threading.local()


@contextmanager
def quick_only() -> Iterator[None]:
    """In this thread, raise :class:`NotQuick` instead of loading a case whole or waiting for
    another thread's build: for a request answered on the server's event loop, which must not
    stall (:mod:`accord.api.deps`)."""
    _QUICK.on = True
    try:
        yield
    finally:
        _QUICK.on = False


def _refuse_if_quick(what: str) -> None:
    if getattr(_QUICK, "on", False):
        raise NotQuick(what)


BUILDERS_OWN_ERRORS: tuple[type[BaseException], ...] = (
    ReadNeedsTransaction,
    sa.exc.DBAPIError,
    NotQuick,
    WritersBusy,
)
"""Errors of a build's circumstances, not of the entry it builds: a one-statement read that needed a
second statement (:meth:`accord.store.Database.read`), a database connection that failed, a build
on the event loop that must move to a thread (:class:`NotQuick`, :class:`~accord.store.WritersBusy`).
A thread that waited for such a build does not take its error: it builds the entry itself."""


class Lru(Generic[K, V]):
    """A small least-recently-used cache shared by the threads of one process. ``on_build`` (if
    set) runs after each value is built.

    A missing entry is built once: threads that ask for it while another builds it wait for that
    result (or its error, unless one of :data:`BUILDERS_OWN_ERRORS`) instead of building it again.
    After a write, the first reads of a big case would otherwise each load the case and run the
    ledger at once, on handler threads that share one interpreter: every one of them as slow as
    all of them together.
    """

    def __init__(self, size: int, version_of: Callable[[K], tuple[str, int]] | None = None) -> None:
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._building: dict[K, tuple[int, Future[V]]] = {}
        self._lock = threading.Lock()
        self._version_of = version_of
        self._newest: dict[str, int] = {}
        self.on_build: Callable[[], None] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K, build: Callable[[], V]) -> V:
        me = threading.get_ident()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            building = self._building.get(key)
            if building is None:
                pending: Future[V] = Future()
                self._building[key] = (me, pending)
        if building is not None:
            builder, other = building
            if builder == me:  # a build that asks for its own key again builds it, not wait for itself
                return build()
            _refuse_if_quick("an entry another thread is building")
            try:
                return other.result()
            except BUILDERS_OWN_ERRORS:  # not the entry's error: this thread builds it (or waits again)
                return self.get(key, build)
        try:
            value = build()
        except BaseException as error:
            with self._lock:
                del self._building[key]
            pending.set_exception(error)
            raise
        with self._lock:
            if self._is_current(key):
                self._entries[key] = value
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
            del self._building[key]
        pending.set_result(value)
        if self.on_build is not None:
            self.on_build()
        return value

    def _is_current(self, key: K) -> bool:
        """Whether ``key`` is of the newest version of its case seen (with ``version_of``): then
        the entries of the case's older versions, which no reader asks for again, are dropped.
        An entry of an older version (a reader of an earlier snapshot) is built but not kept."""
        if self._version_of is None:
            return True
        case_id, version = self._version_of(key)
        newest = self._newest.get(case_id)
        if newest is not None and version < newest:
            return False
        if newest is None or version > newest:
            self._newest[case_id] = version
            for older in [k for k in self._entries if self._version_of(k)[0] == case_id]:
                del self._entries[older]
        return True


def _case_version(key: tuple[Any, ...]) -> tuple[str, int]:
    """``(case id, version)`` of a key that starts with them."""
    return key[0], key[1]


def _view_version(key: tuple[Any, ...]) -> tuple[str, int]:
    """``(case id, version)`` of a view's key: ``(name, (case id, version, drafts), ...)``."""
    return key[1][0], key[1][1]


class CaseCache:
    """Whole cases as model values, and the items of cases, keyed by the case's version.

    Every write bumps the case's version (and a change of an item its ``items_version``), so an
    entry is never stale: a reader reads the version first, in the same transaction, and builds
    only what it has not seen. An entry of a newer version drops those of the case's older ones:
    a case written and read in turn keeps one version in memory, not as many as the cache holds
    entries (each as large as the case: hundreds of megabytes for a case of a few thousand
    records, found by tests/api/test_hostile_suite.py).
    """

    def __init__(self, size: int = 32) -> None:
        self.cases: Lru[tuple[str, int, frozenset[str] | None], Case] = Lru(size, _case_version)
        self.items: Lru[tuple[str, int], list[case_store.ItemRow]] = Lru(4 * size, _case_version)
        # the items as model values, validated once per items version (a write checks its record
        # against them)
        self.item_models: Lru[tuple[str, int], Any] = Lru(4 * size, _case_version)
        self.shares: Lru[tuple[str, int], frozenset[tuple[str, str, str]]] = Lru(4 * size, _case_version)
        # ledger results and pages of views (encoded), keyed by the case's version
        self.views: Lru[tuple[Any, ...], Any] = Lru(8 * size, _view_version)
        self.pages: Lru[tuple[Any, ...], Any] = Lru(8 * size, _view_version)
        # the newest version of each reader's view of a case, with its ledger, to fold writes into
        # (fewer than the cases: a ledger and its indexes are about as large again as its case;
        # tests/api/test_hostile_suite.py bounds the server's memory)
        self.folds = Folds(max(1, size // 4))
        # run after a case is loaded whole (not after a write folded in: that adds few objects)
        self.on_whole_load: Callable[[], None] | None = None

    def keep_out_of_gc(self) -> None:
        """For a long-running server: after a case is loaded whole, move what is alive out of
        reach of the cyclic garbage collector (:func:`freeze_long_lived`). Not after each build:
        on a case written ten times a second, a collection after every view built took a
        quarter of the server's time.

        And collect the youngest generation after :data:`YOUNG_THRESHOLD` new objects, not
        Python's 700: each write folded in makes a new version of a case's indexes (dicts and
        lists as long as the case), which the collector walked at every collection of the young
        generation while they were young, some 2 ms of each write on a case of 10,000 proposals
        (5 ms a collection). Most are dropped with the version before it is walked."""
        self.on_whole_load = freeze_long_lived
        _, middle, oldest = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


YOUNG_THRESHOLD = 10_000
"""New container objects (net of those freed) that start a collection of the youngest generation,
in a server (:meth:`CaseCache.keep_out_of_gc`): at most that many garbage cycles wait to be freed."""


def freeze_long_lived() -> None:
    """Collect garbage, then exempt every object alive from later collections (``gc.freeze``).

    A cached case of 10,000 proposals is some 400,000 objects that live until evicted; each full
    collection walked them all, holding every request for up to 300 ms. Frozen objects are still
    freed by reference counting when dropped (only cycles among them would stay), so this costs
    one collection per build and saves one per few thousand requests.
    """
    gc.collect()
    gc.freeze()


def problems_of(error: CaseInvalid, *, prefix: tuple[str | int, ...] = ()) -> list[FieldProblem]:
    """The model's problems as request fields; with ``prefix``, only those under it, made relative."""
    result = []
    for problem in error.problems:
        if prefix and problem.path[: len(prefix)] != prefix:
            continue
        relative = Problem(problem.path[len(prefix) :], problem.message)
        result.append(FieldProblem("" if not relative.path else relative.where, problem.message))
    return result


class ServiceBase:
    """Shared plumbing of the use cases (not a use case itself)."""

    def __init__(self, db: Database, clock: Clock, cache: CaseCache) -> None:
        self.db = db
        self.clock = clock
        self.cache = cache

    def now(self) -> dt.datetime:
        return self.clock()

    def viewer(self, conn: sa.Connection, actor: Actor, case_id: str, *, lock: bool = False) -> Viewer:
        """The actor's view of the case; :class:`NotFound` where the case does not exist."""
        return self.case_for(conn, actor, case_id, lock=lock)[0]

    def case_for(
        self, conn: sa.Connection, actor: Actor, case_id: str, *, lock: bool = False
    ) -> tuple[Viewer, case_store.CaseRow]:
        """The actor's view of the case and the case's row; ``lock`` holds the row (and so the
        case's writers) until the transaction ends."""
        memo = None if lock else self.db.memo()
        key = ("case_and_role", case_id, actor.user_id)
        if memo is not None and key in memo:  # read with the caller's token (authenticate)
            found = memo[key]
        else:
            found = case_store.case_and_role(conn, case_id, actor.user_id, lock=lock)
        if found is None:
            raise NotFound(f"no case {case_id!r}")
        row, role, party = found
        return viewer_role(actor, role, party, case_id), row

    def current_items(self, conn: sa.Connection, row: case_store.CaseRow) -> list[case_store.ItemRow]:
        """The current parties, issues, sources and estimates of the case (cached by version)."""
        return self.cache.items.get(
            (row.id, row.items_version), lambda: case_store.current_items(conn, row.id)
        )

    def party_ids(self, conn: sa.Connection, row: case_store.CaseRow) -> list[str]:
        return [i.item_id for i in self.current_items(conn, row) if i.kind == "party"]

    def shares(self, conn: sa.Connection, case_id: str, version: int | None = None) -> Shares:
        """What the parties of the case share with whom; cached by ``version``, the case's
        version read in this transaction (every change of a share bumps it)."""
        if version is None:
            return frozenset(private_store.case_shares(conn, case_id))
        found: Shares = self.cache.shares.get(
            (case_id, version), lambda: frozenset(private_store.case_shares(conn, case_id))
        )
        return found

    def audit(
        self,
        conn: sa.Connection,
        actor: Actor | None,
        action: str,
        *,
        case_id: str | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        audit_store.add_audit(
            conn,
            actor=actor.username if actor else None,
            action=action,
            case_id=case_id,
            target=target,
            detail=detail,
            now=self.now(),
        )

    def audit_read(self, actor: Actor, action: str, *, case_id: str, target: str) -> None:
        """Log a read of private data (its own short write transaction)."""
        with self.db.write() as conn:
            self.audit(conn, actor, action, case_id=case_id, target=target)

    def whole_case(
        self, conn: sa.Connection, row: case_store.CaseRow, visible_private: frozenset[str] | None
    ) -> Case:
        """The case of ``row`` with the private records of ``visible_private``, from the cache
        when current.

        A public record that corrects a draft the reader may not see is shown as a record of its
        own: for that reader the draft never existed. A version not cached is built from the
        newest version of the same view that this process holds, with the records written since
        folded in (:mod:`accord.services.folds`), and the case loaded whole only when there is
        none, or when the case's items changed.
        """

        def load() -> Case:
            items = self.current_items(conn, row)
            try:
                case = case_from_texts(conn, row, items, visible_private)
            except (ValueError, CaseInvalid):  # pydantic's ValidationError is a ValueError
                # Stored data that does not load: the reference path says why, exactly as it
                # always did (and decides, should the two paths ever disagree).
                case = _case_from_rows(conn, row, items, visible_private)
            if self.cache.on_whole_load is not None:
                self.cache.on_whole_load()
            return case

        def build() -> Case:
            key = (row.id, visible_private)
            base = self.cache.folds.latest(key, at_most=row.version)
            if base is None or base.items_version != row.items_version:
                _refuse_if_quick("the case loaded whole")
            try:
                folded = folded_case(conn, row, visible_private, base, load)
            except (ValueError, CaseInvalid):
                if base is None:
                    raise
                # A record written since that does not load alone: load the case whole.
                _refuse_if_quick("the case loaded whole")
                folded = folded_case(conn, row, visible_private, None, load)
            self.cache.folds.keep(key, folded)
            return folded.case

        return self.cache.cases.get((row.id, row.version, visible_private), build)


def case_from_texts(
    conn: sa.Connection,
    row: case_store.CaseRow,
    items: Sequence[case_store.ItemRow],
    visible_private: frozenset[str] | None,
) -> Case:
    """The case of ``row`` as :meth:`ServiceBase.whole_case` shows it, validated from one JSON
    document of the stored record texts (no payload decoded to dicts first: about 30% faster on
    10,000 proposals).

    Raises what :meth:`pydantic.BaseModel.model_validate_json` raises; on stored data that does
    not load, :func:`_case_from_rows` (its reference twin) gives the error to show.
    """
    texts = case_documents.record_texts(
        conn, row.id, visible_private=visible_private, before_seq=row.next_seq
    )
    visible = {r.record_id for r in texts}
    texts = [text_without_hidden_supersedes(r, visible) for r in texts]
    return Case.model_validate_json(case_documents.case_document(row, items, texts))


def _case_from_rows(
    conn: sa.Connection,
    row: case_store.CaseRow,
    items: Sequence[case_store.ItemRow],
    visible_private: frozenset[str] | None,
) -> Case:
    """:func:`case_from_texts` from decoded rows (the reference path, and its errors)."""
    rows = case_store.record_rows(conn, row.id, visible_private=visible_private)
    payload = case_documents.case_payload(row, items, rows)
    visible = {r.record_id for r in rows}
    for group in ("proposals", "events"):
        payload[group] = [without_hidden_supersedes(p, visible) for p in payload[group]]
    return Case.model_validate(payload)
