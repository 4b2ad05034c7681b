"""One event per revision: the history has a unique (pilot, question, revision).

Two writers that both passed the revision check used to be able to write the
same revision twice (a PostgreSQL store, or an old `load`). The database now
refuses the second one. A store that already holds such twins has the
events of those questions numbered again in the order they were written
(revision, then time), and the answer's revision set to the last one, so
the constraint can be made; every event is kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

events = sa.table(
    "answer_event",
    sa.column("id", sa.String),
    sa.column("pilot_id", sa.String),
    sa.column("question_id", sa.String),
    sa.column("revision", sa.Integer),
    sa.column("at", sa.DateTime),
)
answers = sa.table(
    "answer",
    sa.column("pilot_id", sa.String),
    sa.column("question_id", sa.String),
    sa.column("revision", sa.Integer),
)


def upgrade() -> None:
    if not context.is_offline_mode():  # SQL for review has no rows to number again
        _number_twins_again()
    op.drop_index("ix_answer_event_question", table_name="answer_event")
    op.create_index(
        "uq_answer_event_revision",
        "answer_event",
        ["pilot_id", "question_id", "revision"],
        unique=True,
    )


def _number_twins_again() -> None:
    bind = op.get_bind()
    twins = bind.execute(
        sa.select(events.c.pilot_id, events.c.question_id)
        .group_by(events.c.pilot_id, events.c.question_id, events.c.revision)
        .having(sa.func.count() > 1)
        .distinct()
    ).all()
    for pilot_id, question_id in twins:
        ids = bind.execute(
            sa.select(events.c.id)
            .where(events.c.pilot_id == pilot_id, events.c.question_id == question_id)
            .order_by(events.c.revision, events.c.at, events.c.id)
        ).scalars()
        n = 0
        for n, event_id in enumerate(list(ids), start=1):
            bind.execute(sa.update(events).where(events.c.id == event_id).values(revision=n))
        bind.execute(
            sa.update(answers)
            .where(answers.c.pilot_id == pilot_id, answers.c.question_id == question_id)
            .values(revision=n)
        )


def downgrade() -> None:
    op.drop_index("uq_answer_event_revision", table_name="answer_event")
    op.create_index(
        "ix_answer_event_question", "answer_event", ["pilot_id", "question_id", "revision"]
    )
