"""The database keeps its connections between uses, by what each is set for (one statement sent
alone, a read transaction, a write): no check-in to the pool and out again, no mode set and
reset. But not one idle too long, nor any once one was lost. Real SQLite files and a real
PostgreSQL server."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from accord.store import Database, ReadNeedsTransaction
from accord.store import database as database_module
from server_support import POSTGRES_ADMIN_URL, drop_postgres_database, new_postgres_database


def _checkouts(db: Database) -> list[Any]:
    found: list[Any] = []
    sa.event.listen(db.engine, "checkout", lambda *args: found.append(args[0]))
    return found


def _one(db: Database) -> Any:
    with db.read(one_statement=True) as conn:
        return conn.exec_driver_sql("select 1").scalar_one()


def test_a_one_statement_read_keeps_its_connection_for_the_next(db: Database):
    _one(db)  # one kept from now on
    checkouts = _checkouts(db)
    assert [_one(db) for _ in range(5)] == [1] * 5
    with pytest.raises(ReadNeedsTransaction), db.read(one_statement=True) as conn:
        conn.exec_driver_sql("select 1")
        conn.exec_driver_sql("select 2")  # refused before it is sent: the connection stays good
    assert _one(db) == 1
    assert checkouts == []


def test_read_and_write_transactions_keep_theirs_too(db: Database):
    def both() -> None:
        with db.read() as conn:
            assert conn.exec_driver_sql("select 1").scalar_one() == 1
        with db.write() as conn:
            conn.exec_driver_sql("select 1")
        with pytest.raises(ZeroDivisionError), db.write() as conn:  # rolled back: still good
            conn.exec_driver_sql("select 1")
            raise ZeroDivisionError

    both()
    checkouts = _checkouts(db)
    for _ in range(5):
        both()
    assert checkouts == []
    if db.backend == "postgresql":  # each kept as it was set: a snapshot, and READ COMMITTED writes
        with db.read() as conn:
            assert conn.exec_driver_sql("show transaction_isolation").scalar_one() == "repeatable read"
        with db.write() as conn:
            assert conn.exec_driver_sql("show transaction_isolation").scalar_one() == "read committed"


def test_threads_at_once_each_take_a_connection_and_at_most_the_pools_size_are_kept(db: Database):
    barrier = threading.Barrier(4)

    def read() -> None:
        with db.read(one_statement=True) as conn:
            barrier.wait(5)
            conn.exec_driver_sql("select 1")

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept = [c for mode in db._kept.values() for c, _ in mode]
    assert len(db._kept["alone"]) >= 1 and len(kept) <= db.pool_size
    assert len({id(c) for c in kept}) == len(kept)


def test_one_idle_too_long_is_left_to_the_pool_which_checks_it(db: Database, monkeypatch):
    _one(db)
    checkouts = _checkouts(db)
    _one(db)
    assert checkouts == []
    monkeypatch.setattr(database_module, "PING_AFTER", -1.0)  # every kept one idle too long
    _one(db)
    assert len(checkouts) == 1


@pytest.mark.postgres
def test_a_lost_connection_takes_the_kept_ones_with_it():
    url = new_postgres_database()
    db = Database(url, pool_size=3)
    try:
        pids = []
        held = [db._kept_connection("alone") for _ in range(2)]
        for conn in held:
            pids.append(conn.exec_driver_sql("select pg_backend_pid()").scalar_one())
            db._give_back(conn, "alone")
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # the one given back last is taken first
            assert conn.exec_driver_sql(f"select pg_terminate_backend({pids[-1]})").scalar_one()
        admin.dispose()
        with pytest.raises(sa.exc.OperationalError), db.read(one_statement=True) as conn:
            conn.exec_driver_sql("select pg_backend_pid()")
        assert db._kept["alone"] == []  # the other kept one went too (a restart loses them all)
        with db.read(one_statement=True) as conn:
            assert conn.exec_driver_sql("select pg_backend_pid()").scalar_one() not in pids
    finally:
        db.dispose()
        drop_postgres_database(url)
