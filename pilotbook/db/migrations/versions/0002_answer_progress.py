"""Answers carry an `answered` flag with a covering index, so listing 10,000 pilots
with their progress reads an index instead of every answer's value.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "answer",
        sa.Column("answered", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    answer = sa.table(
        "answer",
        sa.column("answered", sa.Boolean),
        sa.column("value_json", sa.Text),
        sa.column("na_reason", sa.Text),
    )
    op.execute(
        answer.update().values(
            answered=sa.or_(answer.c.value_json.is_not(None), answer.c.na_reason.is_not(None))
        )
    )
    op.create_index("ix_answer_progress", "answer", ["pilot_id", "answered", "question_id"])


def downgrade() -> None:
    op.drop_index("ix_answer_progress", "answer")
    with op.batch_alter_table("answer") as batch:
        batch.drop_column("answered")
