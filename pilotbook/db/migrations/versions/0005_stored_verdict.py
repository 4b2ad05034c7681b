"""The verdict kept on the pilot, so a list of pilots reads it with one query.

The columns start empty; the service fills them after the migration (the
rules need the playbooks and CEL, which a migration script should not load)
and keeps them current in the transaction of every change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pilot") as batch:
        batch.add_column(sa.Column("verdict", sa.String(16)))
        batch.add_column(sa.Column("verdict_label", sa.String(200)))
        batch.add_column(sa.Column("verdict_until", sa.Date))
        batch.add_column(sa.Column("verdict_version", sa.Integer))
        batch.add_column(sa.Column("change_count", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("pilot") as batch:
        batch.drop_column("change_count")
        batch.drop_column("verdict_version")
        batch.drop_column("verdict_until")
        batch.drop_column("verdict_label")
        batch.drop_column("verdict")
