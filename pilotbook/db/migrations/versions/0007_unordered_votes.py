"""Votes kept in no order: keyed by round and random ballot id, without row ids or times.

The old table numbered its rows as they came (SQLite row ids) and carried a
time column, so the order in which people voted could be read back. The new
one is a table WITHOUT ROWID on SQLite (stored in key order, and the ballot id
is a keyed hash, so random), with no id and no time; on PostgreSQL, no serial.
The votes are copied in ballot order; a vote's value is all that moves over.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _votes(name: str, **options: Any) -> None:
    op.create_table(
        name,
        sa.Column(
            "round_id",
            sa.String(36),
            sa.ForeignKey("round.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("ballot", sa.String(64), primary_key=True),
        sa.Column("value_json", sa.Text, nullable=False),
        **options,
    )


def upgrade() -> None:
    _votes("round_vote_new", sqlite_with_rowid=False)
    op.execute(
        "INSERT INTO round_vote_new (round_id, ballot, value_json) "
        "SELECT round_id, ballot, value_json FROM round_vote ORDER BY round_id, ballot"
    )
    op.drop_table("round_vote")
    op.rename_table("round_vote_new", "round_vote")


def downgrade() -> None:
    op.create_table(
        "round_vote_old",
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
    # Each vote gets its round's opening time back, and its ballot id as its id.
    op.execute(
        "INSERT INTO round_vote_old (id, round_id, ballot, value_json, at) "
        "SELECT substr(v.ballot, 1, 36), v.round_id, v.ballot, v.value_json, r.opened_at "
        "FROM round_vote v JOIN round r ON r.id = v.round_id"
    )
    op.drop_table("round_vote")
    op.rename_table("round_vote_old", "round_vote")
