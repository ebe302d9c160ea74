"""SQLite's writers queue on locks of their own, woken as they are released, instead of sleeping
in SQLite's wait (sleeps of up to 100 ms): the threads of a process on a lock, the processes on an
advisory lock on a file beside the database (``<database>-writers``)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.store import Database, WritersBusy


def _users(db: Database) -> list[str]:
    with db.read() as conn:
        return [r[0] for r in conn.execute(sa.text("select username from users order by id"))]


def _add_user(conn: sa.Connection, name: str) -> None:
    conn.execute(
        sa.text(
            "insert into users (username, password_hash, is_admin, disabled, created_at)"
            " values (:name, 'x', false, false, current_timestamp)"
        ),
        {"name": name},
    )


@pytest.fixture
def db(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path}/team.sqlite")
    database.upgrade()
    yield database
    database.dispose()


def test_a_write_holds_the_lock_beside_the_database(db: Database, tmp_path: Path):
    with db.write() as conn:
        _add_user(conn, "ada")
        probe = os.open(tmp_path / "team.sqlite-writers", os.O_RDWR)
        with pytest.raises(BlockingIOError):  # another open file: another process, for flock
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once the write ended
        fcntl.flock(probe, fcntl.LOCK_UN)
    finally:
        os.close(probe)
    assert _users(db) == ["ada"]


def test_a_write_of_another_process_waits_for_the_lock_then_goes_in(db: Database, tmp_path: Path):
    """The other process takes the lock and holds its write open; this one's write waits until
    the other commits, then goes in after it (both are kept, in that order)."""
    url = f"sqlite:///{tmp_path}/team.sqlite"
    holder = textwrap.dedent(
        f"""
        import sys, time
        import sqlalchemy as sa
        from accord.store import Database
        db = Database({url!r})
        with db.write() as conn:
            conn.execute(sa.text("insert into users (username, password_hash, is_admin, disabled, created_at)"
                                 " values ('first', 'x', false, false, current_timestamp)"))
            print("holding", flush=True)
            time.sleep(1.0)
        db.dispose()
        """
    )
    other = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "holding"
        began = time.monotonic()
        with db.write() as conn:
            waited = time.monotonic() - began
            _add_user(conn, "second")
        assert other.wait(30) == 0
    finally:
        other.kill()
    assert waited > 0.5  # it waited for the other's write to end
    assert _users(db) == ["first", "second"]


def _try_turn(db: Database) -> bool:
    """The writers' turn taken as the event loop takes it, and without waiting for another
    process either: ``False`` if busy."""
    writers = db.writers
    assert writers is not None
    return writers.try_hold(wait_for_processes=False)


def test_the_writers_turn_is_taken_only_when_free_and_writes_under_it_take_it_no_more(
    db: Database, tmp_path: Path
):
    """The parts of the turn a writer on the event loop takes (``Writers``): tried, never waited
    for, and then held across the writes it makes."""
    probe = os.open(tmp_path / "team.sqlite-writers", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(probe, fcntl.LOCK_EX)  # another process writes
        assert not _try_turn(db)
        fcntl.flock(probe, fcntl.LOCK_UN)
        assert _try_turn(db)
        with db.write() as conn:  # under the turn held: neither lock is asked for again
            _add_user(conn, "ada")
        with pytest.raises(BlockingIOError):  # still held until released
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        db.writers.release()
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(probe, fcntl.LOCK_UN)
    finally:
        os.close(probe)
    assert _users(db) == ["ada"]


@contextlib.contextmanager
def _another_thread_writing(db: Database, name: str):
    """Another thread of this process adds user ``name`` and holds its write open for the block."""
    writing, done = threading.Event(), threading.Event()

    def other() -> None:
        with db.write() as conn:
            _add_user(conn, name)
            writing.set()
            done.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    try:
        assert writing.wait(10)
        yield
    finally:
        done.set()
        thread.join()


def test_the_writers_turn_is_not_taken_while_another_thread_writes(db: Database):
    with _another_thread_writing(db, "bo"):
        assert not _try_turn(db)
    assert _try_turn(db)
    db.writers.release()
    assert _users(db) == ["bo"]


def test_a_write_that_may_not_wait_for_a_thread_is_refused_before_it_begins(db: Database):
    with (
        _another_thread_writing(db, "bo"),
        db.writers.without_waiting_for_threads(),
        pytest.raises(WritersBusy),
        db.write() as conn,
    ):
        _add_user(conn, "cy")
    with db.writers.without_waiting_for_threads(), db.write() as conn:  # free: it goes in
        _add_user(conn, "di")
    assert _users(db) == ["bo", "di"]
