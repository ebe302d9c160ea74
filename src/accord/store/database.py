"""A database handle: an engine, read and write transactions, and the store's own errors."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows: there, writers of other processes meet SQLite's own wait
    fcntl = None  # type: ignore[assignment]

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from accord.store import migrate
from accord.store.engine import NO_BEGIN, PING_AFTER, WRITE, default_database_url, make_engine, sqlite_file


class StoreError(Exception):
    """Base of the store's errors."""


class DuplicateKey(StoreError):
    """A write collided with a row another writer added first (a unique key held)."""


class NotMigrated(StoreError):
    """The database is not at the schema revision this version of Accord needs."""


class WritersBusy(StoreError):
    """A write that may not wait for another thread's (:meth:`Writers.without_waiting_for_threads`)
    found one under way; nothing was written."""


class ReadNeedsTransaction(StoreError):
    """A read opened with ``one_statement=True`` asked for a second statement."""


class Writers:
    """SQLite's writers on one database file, queued: the threads of this process on a lock of
    their own, then, for a file on disk, the processes on an advisory lock (``flock``) on a file
    beside it (``<database>-writers``), taken by the thread that holds the first.

    SQLite lets a writer that finds the database locked wait by sleeping and trying again (sleeps
    of up to 100 ms), so under a burst of writes each waited for several sleeps after the lock was
    free; a thread or a process waiting on these locks is woken as they are released. Nested
    writes of one thread take them once.
    """

    def __init__(self, database: str | None) -> None:
        self._threads = threading.RLock()
        self._depth = threading.local()
        file = sqlite_file(database)
        self._path = file.with_name(f"{file.name}-writers") if file is not None and fcntl else None
        self._fd: int | None = None
        self._pid = 0

    @contextmanager
    def queue(self) -> Iterator[None]:
        may_wait = not getattr(self._depth, "no_thread_wait", False) or getattr(self._depth, "n", 0) > 0
        if not self._threads.acquire(blocking=may_wait):
            raise WritersBusy("another thread of this process is writing")
        try:
            depth = getattr(self._depth, "n", 0)
            self._depth.n = depth + 1
            try:
                fd = self._file() if depth == 0 else None
                if fd is None:
                    yield
                    return
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                self._depth.n = depth
        finally:
            self._threads.release()

    @contextmanager
    def without_waiting_for_threads(self) -> Iterator[None]:
        """In this thread, a write that would wait for another thread's raises
        :class:`WritersBusy` instead (before it begins)."""
        self._depth.no_thread_wait = True
        try:
            yield
        finally:
            self._depth.no_thread_wait = False

    def try_hold(self, *, wait_for_processes: bool = True) -> bool:
        """Take the turn for this thread until :meth:`release`, without waiting for another
        thread of this process (``False`` while one writes); the lock the processes share is
        waited for, or with ``wait_for_processes=False`` only tried. The writes this thread makes
        meanwhile take neither lock again. For a writer on the server's event loop
        (:func:`accord.api.deps.writers_turn`)."""
        if not self._threads.acquire(blocking=False):
            return False
        try:
            depth = getattr(self._depth, "n", 0)
            fd = self._file() if depth == 0 else None
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX if wait_for_processes else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another process writes
            self._threads.release()
            return False
        except BaseException:
            self._threads.release()
            raise
        if depth == 0:
            self._depth.held = fd
        self._depth.n = depth + 1
        return True

    def release(self) -> None:
        """Give back the turn :meth:`try_hold` took."""
        depth = self._depth.n - 1
        self._depth.n = depth
        if depth == 0 and self._depth.held is not None:
            fcntl.flock(self._depth.held, fcntl.LOCK_UN)
            self._depth.held = None
        self._threads.release()

    def _file(self) -> int | None:
        """This process's descriptor of the lock file (opened anew in a forked child); ``None``
        where there is none, or it cannot be opened (then SQLite's own wait stands in)."""
        if self._path is None:
            return None
        if self._fd is None or self._pid != os.getpid():
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                self._path = None
                return None
            self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


_ALONE, _SNAPSHOT, _WRITE = "alone", "snapshot", "write"
_MODES = (_ALONE, _SNAPSHOT, _WRITE)
"""The connections :class:`Database` keeps between uses, by what they are set for: one statement
sent alone, a read transaction (a snapshot), a write transaction."""


class _Reading(threading.local):
    connection: sa.Connection | None = None
    memo: dict[Any, Any] | None = None
    statements_left: int | None = None


class Database:
    """One database (SQLite file or PostgreSQL) with read and write transactions.

    Examples
    --------
    >>> db = Database("sqlite://")
    >>> _ = db.upgrade()
    >>> with db.read() as conn:
    ...     conn.execute(sa.text("select count(*) from cases")).scalar_one()
    0
    """

    def __init__(
        self, url: str | None = None, *, pool_size: int = 10, sqlite_synchronous: str = "FULL"
    ) -> None:
        self.url = url or default_database_url()
        self.pool_size = pool_size
        self._reading = _Reading()
        self.engine: Engine = make_engine(
            self.url, pool_size=pool_size, sqlite_synchronous=sqlite_synchronous
        )
        self._sqlite_writers = Writers(self.engine.url.database if self.backend == "sqlite" else None)
        self._kept: dict[str, list[tuple[sa.Connection, float]]] = {mode: [] for mode in _MODES}
        event.listen(self.engine, "before_cursor_execute", self._count_statement)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def in_process(self) -> bool:
        """Whether the database runs in this process (SQLite): a statement is a call of
        microseconds, with no round trip to wait for, so quick requests may be answered on the
        server's event loop (:mod:`accord.api.deps`)."""
        return self.backend == "sqlite"

    @property
    def writers(self) -> Writers | None:
        """SQLite's writers' turn (:class:`Writers`), for a writer that must not stall waiting
        for it (the server's event loop: :func:`accord.api.deps.writers_turn`); ``None`` on
        PostgreSQL, which orders writers itself."""
        return self._sqlite_writers if self.backend == "sqlite" else None

    def upgrade(self, revision: str = "head") -> str | None:
        """Run the migrations up to ``revision``; return the revision reached."""
        return migrate.upgrade(self.engine, revision)

    def check_migrated(self) -> None:
        """Raise :class:`NotMigrated` unless the schema is at the newest revision."""
        current, head = migrate.current_revision(self.engine), migrate.head_revision()
        if current != head:
            raise NotMigrated(
                f"database {self.engine.url.render_as_string()} is at revision {current or 'none'}, "
                f"this Accord needs {head}: run `accord db upgrade`"
            )

    @contextmanager
    def read(self, *, one_statement: bool = False) -> Iterator[sa.Connection]:
        """A read transaction (a consistent snapshot on PostgreSQL and in SQLite's WAL mode).

        Inside another read of this thread, the same transaction: a request that reads in several
        steps (the caller's token, then the case) takes one connection and one round of
        BEGIN/COMMIT, and sees one state of the database throughout.

        ``one_statement``: the caller expects to need one statement (a request answered from
        caches keyed by what that statement reads). It then runs without BEGIN/COMMIT (on
        PostgreSQL one round trip instead of three; on SQLite two calls fewer, each a fifth of
        such a read's time), and a second statement raises :class:`ReadNeedsTransaction` before
        it is sent: the caller starts again with a plain read. One statement is a consistent
        snapshot by itself, so nothing is lost.
        """
        current = self._reading.connection
        if current is not None:
            yield current
            return
        if one_statement:
            connection = self._kept_connection(_ALONE)
            reading = self._reading
            reading.connection, reading.memo, reading.statements_left = connection, {}, 1
            try:
                yield connection
            finally:  # a statement alone leaves nothing open behind it, whatever was raised
                reading.connection = reading.memo = reading.statements_left = None
                self._give_back(connection, _ALONE)
            return
        connection = self._kept_connection(_SNAPSHOT)
        try:
            with connection.begin():
                self._reading.connection, self._reading.memo = connection, {}
                try:
                    yield connection
                finally:
                    self._reading.connection = self._reading.memo = None
        finally:  # the transaction is over, committed or rolled back: the connection is as it was
            self._give_back(connection, _SNAPSHOT)

    def _kept_connection(self, mode: str) -> sa.Connection:
        """A connection set for ``mode`` (:data:`_MODES`): one kept from an earlier use, or one
        from the pool, so set.

        Kept connections are not checked in to the pool and out again for each use, and their
        mode (autocommit, the isolation level) is not set and reset: for one-statement reads that
        cost a sixth of a PostgreSQL request's CPU in bench/bench_server.py's mix. One idle for
        over :data:`~accord.store.engine.PING_AFTER` seconds is closed instead, and the pool's
        (which checks such a one before use) taken.
        """
        kept = self._kept[mode]
        while kept:
            try:
                connection, used = kept.pop()
            except IndexError:  # another thread took the last meanwhile
                break
            if not connection.invalidated and time.monotonic() - used <= PING_AFTER:
                return connection
            connection.close()
        connection = self.engine.connect()
        postgresql = self.backend == "postgresql"
        if mode == _ALONE:  # pysqlite sends no BEGIN of its own (engine.py): the statement alone
            connection.execution_options(
                **({"isolation_level": "AUTOCOMMIT"} if postgresql else {NO_BEGIN: True})
            )
        elif mode == _SNAPSHOT and postgresql:  # its default, READ COMMITTED, sees each statement anew
            connection.execution_options(isolation_level="REPEATABLE READ")
        elif mode == _WRITE:
            connection.execution_options(**{WRITE: True})
        return connection

    def _give_back(self, connection: sa.Connection, mode: str) -> None:
        """Keep ``connection`` for the next use in ``mode`` (at most the pool's size are kept,
        of all modes), unless it was lost (then it is closed, and takes the kept ones with it, as
        SQLAlchemy's pool renews itself)."""
        kept = self._kept[mode]
        if not connection.invalidated and sum(map(len, self._kept.values())) < self.pool_size:
            if connection.in_transaction():  # SQLAlchemy's own record of one; nothing on the server
                connection.rollback()
            kept.append((connection, time.monotonic()))
            return
        if connection.invalidated:  # lost (a server restarted?): so may the others be
            self._drop_kept(invalidate=True)
        connection.close()

    def _drop_kept(self, *, invalidate: bool = False) -> None:
        """Close the kept connections (``invalidate``: not to be used again, even by the pool)."""
        for kept in self._kept.values():
            while kept:
                with contextlib.suppress(IndexError):  # another thread took the last meanwhile
                    connection = kept.pop()[0]
                    if invalidate:
                        connection.invalidate()
                    connection.close()

    def _count_statement(self, connection: sa.Connection, *_: Any) -> None:
        """Refuse a second statement in a ``one_statement`` read (before it is sent)."""
        reading = self._reading
        if reading.statements_left is None or reading.connection is not connection:
            return
        if reading.statements_left == 0:
            raise ReadNeedsTransaction("a one-statement read needed a second statement")
        reading.statements_left -= 1

    def memo(self) -> dict[Any, Any] | None:
        """A dict that lives as long as this thread's open read transaction (None outside one):
        what one step of a request read, for a later step to use without asking again (both see
        the same state of the database)."""
        return self._reading.memo

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction: committed when the block ends, rolled back on any exception.

        A unique-key collision becomes :class:`DuplicateKey`.

        On SQLite the writers queue on locks of their own (:class:`Writers`) before they ask
        for the database's.
        """
        queue = self._sqlite_writers.queue() if self.backend == "sqlite" else nullcontext()
        try:
            with queue:
                connection = self._kept_connection(_WRITE)
                try:
                    with connection.begin():
                        yield connection
                finally:  # committed or rolled back: the connection is as it was
                    self._give_back(connection, _WRITE)
        except IntegrityError as error:
            raise DuplicateKey(str(error.orig)) from error

    def integrity_check(self) -> list[str]:
        """Problems the database reports about itself (empty when sound).

        SQLite runs ``PRAGMA integrity_check``; PostgreSQL checks its own pages, so this only
        confirms the server answers.
        """
        with self.engine.connect() as connection:
            if self.backend == "sqlite":
                rows = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
                return [] if rows == ["ok"] else rows
            connection.exec_driver_sql("SELECT 1")
            return []

    def dispose(self) -> None:
        self._drop_kept()
        self.engine.dispose()
        self._sqlite_writers.close()
