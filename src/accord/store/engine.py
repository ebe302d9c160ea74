"""Where the database is and how to connect to it: SQLite (a file in WAL mode) or PostgreSQL."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

ENV_VAR = "ACCORD_DATABASE_URL"
WRITE = "accord_write"
"""Execution option: this connection's transaction writes (SQLite takes the write lock at BEGIN)."""
NO_BEGIN = "accord_no_begin"
"""Execution option: this SQLite connection reads one statement, which is a transaction by itself
(no BEGIN, no COMMIT: :meth:`accord.store.Database.read` with ``one_statement``)."""


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user data folder (platformdirs where installed, else the XDG default).

    Examples
    --------
    >>> data_dir({"XDG_DATA_HOME": "/tmp/x"}).as_posix()
    '/tmp/x/accord'
    """
    environ = os.environ if environ is None else environ
    if "XDG_DATA_HOME" not in environ:
        try:
            import platformdirs

            return Path(platformdirs.user_data_dir("accord"))
        except ImportError:
            pass
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")).expanduser() / ".local/share")
    return Path(base) / "accord"


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """``ACCORD_DATABASE_URL`` when set, else a SQLite file ``accord.sqlite`` in :func:`data_dir`.

    Examples
    --------
    >>> default_database_url({"ACCORD_DATABASE_URL": "postgresql+psycopg://db/accord"})
    'postgresql+psycopg://db/accord'
    >>> default_database_url({"XDG_DATA_HOME": "/srv"})
    'sqlite:////srv/accord/accord.sqlite'
    """
    environ = os.environ if environ is None else environ
    if environ.get(ENV_VAR):
        return environ[ENV_VAR]
    return f"sqlite:///{data_dir(environ) / 'accord.sqlite'}"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy's default driver is psycopg2).

    Examples
    --------
    >>> normalise_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, pool_size: int = 10, sqlite_synchronous: str = "FULL") -> Engine:
    """An engine for ``url``; a SQLite file (and its folder) is created on first use, in WAL mode.

    ``sqlite_synchronous``: ``FULL`` (the default) syncs every commit to disk, so an acknowledged
    write survives a power cut; ``NORMAL`` survives a crash of the process only, and is much faster
    on slow disks.
    """
    if sqlite_synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"sqlite_synchronous must be FULL or NORMAL, not {sqlite_synchronous!r}")
    url = normalise_url(url)
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, pool_size, sqlite_synchronous)
    return postgresql_engine(url, pool_size)


PING_AFTER = 10.0
"""Seconds a pooled PostgreSQL connection may sit unused before it is checked on its next use."""


def postgresql_engine(url: str, pool_size: int, ping_after: float = PING_AFTER) -> Engine:
    """An engine whose pool checks a connection (``SELECT 1``) when it has been idle for over
    ``ping_after`` seconds, and replaces it when the server has dropped it (a restart, an idle
    timeout). SQLAlchemy's ``pool_pre_ping`` checks on every use: a round trip per request that
    cost a busy team server an eighth of its throughput (bench/bench_server.py), to guard against
    what happens while a connection waits. A connection that dies while in use fails that
    request, and SQLAlchemy then renews the whole pool.
    """
    engine = sa.create_engine(url, pool_size=pool_size, max_overflow=2 * pool_size)

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) <= ping_after:
            return
        try:
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:  # any failure: the pool discards it and connects anew
            raise sa.exc.DisconnectionError(str(error)) from error

    return engine


def sqlite_file(database: str | None) -> Path | None:
    """The file of a SQLite URL's ``database`` part: ``None`` in memory, and for a ``file:`` URI
    (whose path SQLite reads itself).

    >>> sqlite_file(":memory:"), sqlite_file("file:x.db?mode=ro"), sqlite_file("/srv/a.sqlite")
    (None, None, PosixPath('/srv/a.sqlite'))
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _sqlite_engine(url: str, database: str | None, pool_size: int, synchronous: str) -> Engine:
    connect_args = {"timeout": 60, "check_same_thread": False}
    if not database or database == ":memory:":
        # One in-memory database shared by every thread (for doctests and quick experiments).
        engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.StaticPool)
    else:
        if (path := sqlite_file(database)) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, connect_args=connect_args, pool_size=pool_size, max_overflow=2 * pool_size
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred and late).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A writer takes the lock at BEGIN, so two writers never deadlock upgrading read locks.
        options = connection.get_execution_options()
        if options.get(NO_BEGIN, False):
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE, False) else "BEGIN")

    return engine
