"""The store's tables (SQLModel over SQLAlchemy).

Ids are UUID strings made by pilotbook, so a dump loaded twice, or into
another store, names the same rows. Values are JSON text; times are UTC.
Nothing here is SQLite-only: the same tables run on PostgreSQL.

The schema itself is made by the Alembic migrations in `migrations/`; a test
checks that these models and the migrated schema agree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Field() is typed Any, so that a model attribute of any type can take it as its default.
def _when(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index),
    )


def _text(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


def _fk(target: str, nullable: bool = False, index: bool = True) -> Any:
    return Field(
        default=None,
        foreign_key=target,
        nullable=nullable,
        index=index,
        max_length=36,
        ondelete="CASCADE",
    )


class Pilot(SQLModel, table=True):
    __tablename__ = "pilot"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200)
    playbook_id: str = Field(max_length=64)
    playbook_version: int
    phase: str | None = Field(default=None, max_length=64)
    facilitator: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = _when()
    updated_at: dt.datetime = _when()
    archived: bool = False
    # The verdict of the pilot's phase, kept up to date in the transaction of
    # every change that can move it, so a list of pilots reads it in one query.
    # `verdict_until`: the day an accepted risk lapses, after which it is
    # worked out again. NULL: not known yet (worked out when read).
    verdict: str | None = Field(default=None, max_length=16)
    verdict_label: str | None = Field(default=None, max_length=200)
    verdict_until: dt.date | None = None
    verdict_version: int | None = None  # the playbook version the rules came from
    # The reasons that set the kept verdict, weight order, as JSON: [{id, kind,
    # title}]; NULL when not kept (with the verdict, or not since 0008).
    verdict_reasons: str | None = _text()
    # Counts every change to the pilot or what belongs to it: a verdict worked
    # out from an older count is never kept.
    change_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Answer(SQLModel, table=True):
    """The current state of one question of one pilot."""

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("pilot_id", "question_id", name="uq_answer_question"),
        # Covers the progress counts of `pilotbook list` without reading the values.
        Index("ix_answer_progress", "pilot_id", "answered", "question_id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id", index=False)  # the unique constraint indexes it
    question_id: str = Field(max_length=64)
    value_json: str | None = _text()
    na_reason: str | None = _text()
    note: str | None = _text()
    revision: int = 1
    updated_at: dt.datetime = _when()
    updated_by: str | None = Field(default=None, max_length=200)
    answered: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Why the answer needs a look (its question changed type in a newer playbook).
    review: str | None = _text()


class AnswerEvent(SQLModel, table=True):
    """Append-only: every change of an answer, with the state it left."""

    __tablename__ = "answer_event"
    # One event per revision: a second writer on the same revision is refused by the store.
    __table_args__ = (
        Index("uq_answer_event_revision", "pilot_id", "question_id", "revision", unique=True),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id", index=False)
    question_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)  # set, clear, na, note, undo
    value_json: str | None = _text()
    na_reason: str | None = _text()
    note: str | None = _text()
    revision: int
    by: str | None = Field(default=None, max_length=200)
    at: dt.datetime = _when()
    session_id: str | None = Field(default=None, max_length=36)


class Snapshot(SQLModel, table=True):
    """All answers and the verdict frozen at a milestone."""

    __tablename__ = "snapshot"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    phase: str | None = Field(default=None, max_length=64)
    label: str = Field(max_length=200)
    answers_json: str = _text(nullable=False)
    verdict_json: str | None = _text()
    at: dt.datetime = _when()
    kind: str | None = Field(default=None, max_length=16)  # phase, manual, upgrade
    playbook_id: str | None = Field(default=None, max_length=64)
    playbook_version: int | None = None
    actions_json: str | None = _text()  # the open actions at that moment


class WorkshopSession(SQLModel, table=True):
    __tablename__ = "workshop_session"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    title: str | None = Field(default=None, max_length=200)
    facilitator: str | None = Field(default=None, max_length=200)
    started_at: dt.datetime = _when()
    ended_at: dt.datetime | None = _when(nullable=True)


class Attendee(SQLModel, table=True):
    __tablename__ = "attendee"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    session_id: str = _fk("workshop_session.id")
    name: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    uses_workflow: bool = False


class Action(SQLModel, table=True):
    __tablename__ = "action"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    title: str = _text(nullable=False)
    owner: str | None = Field(default=None, max_length=200)
    due: dt.date | None = None
    status: str = Field(default="open", max_length=16)
    question_id: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = _when()
    closed_at: dt.datetime | None = _when(nullable=True)


class Decision(SQLModel, table=True):
    """The humans' go/no-go, beside whatever the rules said."""

    __tablename__ = "decision"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    outcome: str = Field(max_length=16)
    rationale: str = _text(nullable=False)
    conditions_json: str | None = _text()
    by: str | None = Field(default=None, max_length=200)
    at: dt.datetime = _when()


class Signoff(SQLModel, table=True):
    __tablename__ = "signoff"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    name: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=200)
    scope: str | None = Field(default=None, max_length=64)
    at: dt.datetime = _when()


class Measurement(SQLModel, table=True):
    __tablename__ = "measurement"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    metric: str = Field(max_length=200)
    value: float
    unit: str | None = Field(default=None, max_length=32)
    measured_on: dt.date
    note: str | None = _text()
    source: str | None = _text()


class PlaybookCopy(SQLModel, table=True):
    """A playbook version as pilots were answered with it: the registry only knows
    the current file, so retired questions are shown with their own text from here."""

    __tablename__ = "playbook_copy"
    __table_args__ = (UniqueConstraint("playbook_id", "version", name="uq_playbook_copy_version"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    playbook_id: str = Field(max_length=64)
    version: int
    content_json: str = _text(nullable=False)
    stored_at: dt.datetime = _when()


class PilotEvent(SQLModel, table=True):
    """Append-only: moves of a whole pilot (phase, snapshot, playbook upgrade)."""

    __tablename__ = "pilot_event"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    kind: str = Field(max_length=16)
    detail_json: str | None = _text()
    by: str | None = Field(default=None, max_length=200)
    at: dt.datetime = _when()


class Round(SQLModel, table=True):
    """A question put to the participants' own devices: a confidence vote, a choice,
    or silent notes. Nothing about who voted is kept, only the votes themselves."""

    __tablename__ = "round"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    pilot_id: str = _fk("pilot.id")
    kind: str = Field(max_length=16)  # confidence, choice, notes
    question_id: str | None = Field(default=None, max_length=64)
    section_id: str | None = Field(default=None, max_length=64)
    prompt: str = _text(nullable=False)
    options_json: str = _text(nullable=False)  # [[value, label], ...]
    status: str = Field(default="open", max_length=16)  # open, closed, revealed
    result_json: str | None = _text()  # the tally, kept when the round closes
    opened_at: dt.datetime = _when()
    closed_at: dt.datetime | None = _when(nullable=True)
    by: str | None = Field(default=None, max_length=200)


class RoundVote(SQLModel, table=True):
    """One device's vote in one round; `ballot` is a keyed hash, not the device's id.

    Keyed by (round, ballot) in a table without row ids and with no time: stored
    in the order of the random ballot ids, so the order of voting is not kept."""

    __tablename__ = "round_vote"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: str = Field(
        foreign_key="round.id", primary_key=True, max_length=36, ondelete="CASCADE"
    )
    ballot: str = Field(primary_key=True, max_length=64)
    value_json: str = _text(nullable=False)


# Worked out from the rest and kept only to be read fast: never dumped, never loaded.
DERIVED = frozenset(
    {"verdict", "verdict_label", "verdict_until", "verdict_version", "change_count"}
)

ALL_TABLES = (
    Pilot,
    Answer,
    AnswerEvent,
    Snapshot,
    WorkshopSession,
    Attendee,
    Action,
    Decision,
    Signoff,
    Measurement,
    PlaybookCopy,
    PilotEvent,
    Round,
    RoundVote,
)


class PortfolioSnapshot(SQLModel, table=True):
    """A portfolio's counts saved under a name, for `--since NAME`: only counts and
    pilot slugs any user of the store can already read, never answers."""

    __tablename__ = "portfolio_snapshot"

    name: str = Field(primary_key=True, max_length=80)
    saved_at: dt.datetime = _when()
    counts_json: str = _text(nullable=False)
