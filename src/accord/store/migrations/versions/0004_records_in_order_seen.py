"""An index of records by writing order and draft owner: a record's place among the records a
reader sees is counted from the index alone (a write to a case of 10,000 records spent 6 ms
reading every earlier row).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_case_id_seq_private_to", "records", ["case_id", "seq", "private_to"])


def downgrade() -> None:
    op.drop_index("ix_records_case_id_seq_private_to", table_name="records")
