"""The blocking reasons of the kept verdict, kept beside it on the pilot.

A JSON list of the reasons that set the kept verdict, in weight order: each
one's id, kind and one-line title. The portfolio counts gates and risks from
it without running the rules. The column starts empty: the background fill
(`workshop/kept_fill.py`) works the verdicts of pilots without it out again.

And `portfolio_snapshot`: a portfolio's counts saved under a name (never a
pilot's answers), for `pilotbook portfolio --since NAME`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pilot") as batch:
        batch.add_column(sa.Column("verdict_reasons", sa.Text))
    op.create_table(
        "portfolio_snapshot",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("portfolio_snapshot")
    with op.batch_alter_table("pilot") as batch:
        batch.drop_column("verdict_reasons")
