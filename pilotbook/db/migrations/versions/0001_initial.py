"""The first schema: pilots, answers and their history, sessions, actions and the rest.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(36), primary_key=True)


def _pilot_fk() -> sa.Column[str]:
    return sa.Column(
        "pilot_id", sa.String(36), sa.ForeignKey("pilot.id", ondelete="CASCADE"), nullable=False
    )


def _when(name: str, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "pilot",
        _id(),
        sa.Column("slug", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("playbook_id", sa.String(64), nullable=False),
        sa.Column("playbook_version", sa.Integer, nullable=False),
        sa.Column("phase", sa.String(64)),
        sa.Column("facilitator", sa.String(200)),
        _when("created_at"),
        _when("updated_at"),
        sa.Column("archived", sa.Boolean, nullable=False),
    )
    op.create_table(
        "answer",
        _id(),
        _pilot_fk(),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("value_json", sa.Text),
        sa.Column("na_reason", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("revision", sa.Integer, nullable=False),
        _when("updated_at"),
        sa.Column("updated_by", sa.String(200)),
        sa.UniqueConstraint("pilot_id", "question_id", name="uq_answer_question"),
    )
    op.create_table(
        "answer_event",
        _id(),
        _pilot_fk(),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value_json", sa.Text),
        sa.Column("na_reason", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("by", sa.String(200)),
        _when("at"),
        sa.Column("session_id", sa.String(36)),
    )
    op.create_index(
        "ix_answer_event_question", "answer_event", ["pilot_id", "question_id", "revision"]
    )
    op.create_table(
        "snapshot",
        _id(),
        _pilot_fk(),
        sa.Column("phase", sa.String(64)),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("answers_json", sa.Text, nullable=False),
        sa.Column("verdict_json", sa.Text),
        _when("at"),
    )
    op.create_table(
        "workshop_session",
        _id(),
        _pilot_fk(),
        sa.Column("title", sa.String(200)),
        sa.Column("facilitator", sa.String(200)),
        _when("started_at"),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "attendee",
        _id(),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey("workshop_session.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200)),
        sa.Column("team", sa.String(200)),
        sa.Column("uses_workflow", sa.Boolean, nullable=False),
    )
    op.create_table(
        "action",
        _id(),
        _pilot_fk(),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200)),
        sa.Column("due", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("question_id", sa.String(64)),
        _when("created_at"),
        _when("closed_at", nullable=True),
    )
    op.create_table(
        "decision",
        _id(),
        _pilot_fk(),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("conditions_json", sa.Text),
        sa.Column("by", sa.String(200)),
        _when("at"),
    )
    op.create_table(
        "signoff",
        _id(),
        _pilot_fk(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200)),
        sa.Column("scope", sa.String(64)),
        _when("at"),
    )
    op.create_table(
        "measurement",
        _id(),
        _pilot_fk(),
        sa.Column("metric", sa.String(200), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(32)),
        sa.Column("measured_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
    )
    for table in ("snapshot", "workshop_session", "action", "decision", "signoff", "measurement"):
        op.create_index(f"ix_{table}_pilot_id", table, ["pilot_id"])
    op.create_index("ix_attendee_session_id", "attendee", ["session_id"])


def downgrade() -> None:
    for table in (
        "measurement",
        "signoff",
        "decision",
        "action",
        "attendee",
        "workshop_session",
        "snapshot",
        "answer_event",
        "answer",
        "pilot",
    ):
        op.drop_table(table)
