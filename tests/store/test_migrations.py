"""The packaged migrations build exactly the schema the code declares, on both backends."""

import datetime as dt

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.dialects.postgresql import JSONB

from accord.store import Database, migrate
from accord.store.schema import metadata


def test_upgrade_reaches_head_and_matches_the_declared_schema(db: Database):
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    db.check_migrated()
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_downgrade_and_upgrade_again_on_a_fresh_database(database_url: str):
    # A database of its own (the module's shared one stays migrated for the other tests).
    scratch = Database(database_url)
    try:
        migrate.upgrade(scratch.engine, "head")
        from alembic import command

        config = migrate.alembic_config(scratch.engine)
        with scratch.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert migrate.current_revision(scratch.engine) is None
        assert "records" not in migrate.table_names(scratch.engine)
        assert scratch.upgrade() == migrate.head_revision()
        assert "records" in migrate.table_names(scratch.engine)
    finally:
        scratch.dispose()


def test_an_unmigrated_database_is_named_with_the_fix(tmp_path):
    fresh = Database(f"sqlite:///{tmp_path / 'new.sqlite'}")
    try:
        fresh.check_migrated()
    except Exception as error:
        assert "accord db upgrade" in str(error)
    else:
        raise AssertionError("an empty database passed check_migrated")
    finally:
        fresh.dispose()


def test_sqlite_files_use_wal_and_pass_the_integrity_check(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'sub' / 'a.sqlite'}")
    database.upgrade()
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert database.integrity_check() == []
    assert (tmp_path / "sub" / "a.sqlite").exists()
    database.dispose()


def test_revision_0003_adds_known_dates_and_fills_them_from_the_records(database_url: str):
    """A database at 0002 with records (one whose payload has a known date) upgrades with the
    column filled from the payload."""
    scratch = Database(database_url)
    try:
        config = migrate.alembic_config(scratch.engine)
        with scratch.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert migrate.upgrade(scratch.engine, "0002") == "0002"
        now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        old = {"id": "p", "date": "2023-06-01", "from": "wga", "to": "amptp"}
        payload = sa.JSON().with_variant(JSONB(), "postgresql")
        names = ("case_id", "seq", "record_id", "group", "kind", "date", "created_at")
        table = sa.table("records", *(sa.column(n) for n in names), sa.column("payload", payload))
        with scratch.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO cases (id, title, version, next_seq, items_version, created_at) "
                    "VALUES ('c', 'C', 1, 2, 1, :now)"
                ),
                {"now": now},
            )
            for seq, record in enumerate((old, {**old, "id": "q", "known": "2023-06-05"})):
                row = dict(
                    zip(
                        names,
                        ("c", seq, record["id"], "proposal", "proposal", dt.date(2023, 6, 1), now),
                        strict=True,
                    )
                )
                conn.execute(table.insert(), {**row, "payload": record})
        assert migrate.upgrade(scratch.engine) == migrate.head_revision()
        with scratch.engine.connect() as conn:
            after = sa.table(
                "records", sa.column("case_id"), sa.column("record_id"), sa.column("known", sa.Date)
            )
            query = sa.select(after.c.record_id, after.c.known).where(after.c.case_id == "c")
            found = {row[0]: row[1] for row in conn.execute(query)}
        assert found == {"p": None, "q": dt.date(2023, 6, 5)}
    finally:
        scratch.dispose()
