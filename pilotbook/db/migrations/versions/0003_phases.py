"""Coming back at each phase: snapshots say what they froze, measurements their
source, answers can be flagged for review, the playbook a pilot was answered
with is kept, and pilot-level moves (phase, snapshot, upgrade) have a history.

Every change adds a nullable column or a new table: no row is rewritten.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("snapshot") as batch:
        batch.add_column(sa.Column("kind", sa.String(16)))
        batch.add_column(sa.Column("playbook_id", sa.String(64)))
        batch.add_column(sa.Column("playbook_version", sa.Integer))
        batch.add_column(sa.Column("actions_json", sa.Text))
    with op.batch_alter_table("measurement") as batch:
        batch.add_column(sa.Column("source", sa.Text))
    with op.batch_alter_table("answer") as batch:
        batch.add_column(sa.Column("review", sa.Text))
    op.create_table(
        "playbook_copy",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("playbook_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_json", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("playbook_id", "version", name="uq_playbook_copy_version"),
    )
    op.create_table(
        "pilot_event",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "pilot_id",
            sa.String(36),
            sa.ForeignKey("pilot.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("detail_json", sa.Text),
        sa.Column("by", sa.String(200)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pilot_event_pilot_id", "pilot_event", ["pilot_id"])


def downgrade() -> None:
    op.drop_index("ix_pilot_event_pilot_id", "pilot_event")
    op.drop_table("pilot_event")
    op.drop_table("playbook_copy")
    with op.batch_alter_table("answer") as batch:
        batch.drop_column("review")
    with op.batch_alter_table("measurement") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("snapshot") as batch:
        for name in ("actions_json", "playbook_version", "playbook_id", "kind"):
            batch.drop_column(name)
