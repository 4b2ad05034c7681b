"""Rounds: questions put to the participants' own devices, and their anonymous votes.

Two new tables; no existing row is touched.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "pilot_id",
            sa.String(36),
            sa.ForeignKey("pilot.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("question_id", sa.String(64)),
        sa.Column("section_id", sa.String(64)),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("options_json", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("result_json", sa.Text),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("by", sa.String(200)),
    )
    op.create_index("ix_round_pilot_id", "round", ["pilot_id"])
    op.create_table(
        "round_vote",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "round_id",
            sa.String(36),
            sa.ForeignKey("round.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ballot", sa.String(64), nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("round_id", "ballot", name="uq_round_vote_ballot"),
    )


def downgrade() -> None:
    op.drop_table("round_vote")
    op.drop_index("ix_round_pilot_id", "round")
    op.drop_table("round")
