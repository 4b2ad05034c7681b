"""The revision check shared by every kind of answer change, and both sides of a conflict.

A change locks the pilot's row before it reads the revision it checks, so
two writers on one pilot take turns on PostgreSQL as they do on SQLite; the
unique (pilot, question, revision) of the history is the last guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from pilotbook.db import tables as t
from pilotbook.errors import Conflict, InvalidValue, NotFound
from pilotbook.playbook import values
from pilotbook.playbook.model import Question
from pilotbook.workshop import convert


@dataclass(frozen=True)
class State:
    value_json: str | None = None
    na_reason: str | None = None
    note: str | None = None


EMPTY = State()


def lock_pilot(s: Session, pilot_id: str) -> t.Pilot:
    """The pilot's row, locked until the transaction ends (PostgreSQL; SQLite's
    write transaction holds the whole file already)."""
    pilot = s.exec(select(t.Pilot).where(t.Pilot.id == pilot_id).with_for_update()).first()
    if pilot is None:
        raise NotFound(f"no pilot with id {pilot_id!r}")
    return pilot


def clean_note(question_id: str, note: str | None) -> str | None:
    clean = note if note and note.strip() else None
    if clean is not None and len(clean) > values.MAX_TEXT:
        raise InvalidValue(f"{question_id}: a note has at most {values.MAX_TEXT} characters")
    return clean


def clean_reason(question_id: str, reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidValue(f"{question_id}: say why it does not apply", question_id)
    return reason


def conflict(
    question: Question | None,
    question_id: str,
    kind: str,
    mine: State | None,
    row: t.Answer | None,
    current: int,
) -> Conflict:
    """Both sides of a stale change: the part it changes, as each side holds it."""
    theirs = State(row.value_json, row.na_reason, row.note) if row else EMPTY
    if kind == "note":
        mine_note = mine.note if mine else None
        return Conflict(
            question_id,
            mine_note,
            theirs.note,
            current,
            part="note",
            mine_text=mine_note or "(no note)",
            theirs_text=theirs.note or "(no note)",
        )
    mine_value = convert.loads(mine.value_json) if mine and mine.value_json else None
    mine_text = "undo your last change" if kind == "undo" else shown(question, mine)
    return Conflict(
        question_id,
        mine_value,
        convert.loads(theirs.value_json) if theirs.value_json else None,
        current,
        part="answer",
        mine_text=mine_text,
        theirs_text=shown(question, theirs),
    )


def shown(question: Question | None, state: State | None) -> str:
    if state is None or (state.value_json is None and state.na_reason is None):
        return "(no answer)"
    if state.na_reason is not None:
        return f"not applicable: {state.na_reason}"
    value = convert.loads(state.value_json)
    try:
        return values.display(question, value) if question is not None else str(value)
    except Exception:  # a retired question's value in a shape its stand-in does not know
        return str(value)
