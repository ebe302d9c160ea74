"""The packaged migrations build exactly the schema the code declares, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
