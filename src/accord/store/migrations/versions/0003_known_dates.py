"""Records' known dates: the date each record became known (views show it from then).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Payload = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("known", sa.Date, nullable=True))
    # Records written before this revision keep their payload; a payload with a known date
    # (none can have one yet, but a hand-edited database might) fills the column.
    records = sa.table(
        "records", sa.column("id", sa.Integer), sa.column("known", sa.Date), sa.column("payload", Payload)
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(records.c.id, records.c.payload)):
        known = (row.payload or {}).get("known")
        if isinstance(known, str):
            conn.execute(
                records.update().where(records.c.id == row.id).values(known=dt.date.fromisoformat(known))
            )


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("known")
