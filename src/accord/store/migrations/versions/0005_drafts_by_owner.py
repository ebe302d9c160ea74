"""An index of records by draft owner and writing order: a new record's place among the records
its writer sees is its number less the drafts hidden from them before it, counted over the drafts
alone (a write to a case of 10,000 records spent about 0.7 ms counting every earlier one).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_case_id_private_to_seq", "records", ["case_id", "private_to", "seq"])


def downgrade() -> None:
    op.drop_index("ix_records_case_id_private_to_seq", table_name="records")
