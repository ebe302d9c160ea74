"""The store: the only part of Accord that talks SQL (SQLite by default, PostgreSQL for a team).

:class:`Database` opens a database and runs its migrations; the modules :mod:`~accord.store.cases`,
:mod:`~accord.store.users`, :mod:`~accord.store.private`, :mod:`~accord.store.audit` and
:mod:`~accord.store.simulations` are the repositories, functions over an open connection so that
one transaction can span several.
"""

from accord.store.database import (
    Database,
    DuplicateKey,
    NotMigrated,
    ReadNeedsTransaction,
    StoreError,
    Writers,
    WritersBusy,
)
from accord.store.engine import default_database_url

__all__ = [
    "Database",
    "DuplicateKey",
    "NotMigrated",
    "ReadNeedsTransaction",
    "StoreError",
    "Writers",
    "WritersBusy",
    "default_database_url",
]
