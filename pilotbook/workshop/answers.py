"""Answers: set, clear, not applicable, notes, undo and history.

Each change writes the answer row and its history event in one transaction.
An event records the whole state the change left (value, n/a reason, note),
so history reads without replaying, and undo is one more event: history is
never rewritten.

Every kind of change (value, clear, n/a, note, undo) can name the revision
it was based on; a stale one is a `Conflict` carrying both sides, and
nothing is written. The check holds across processes by the database's own
guarantees: a change first locks the pilot's row (`SELECT … FOR UPDATE` on
PostgreSQL; on SQLite the write transaction holds the file's write lock from
its `BEGIN IMMEDIATE`), so the revision it reads cannot move before it
writes; and the history's unique (pilot, question, revision) refuses a
second event on one revision whatever happens.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, NotFound, NothingToUndo
from pilotbook.playbook import values
from pilotbook.playbook.model import Question
from pilotbook.workshop import convert
from pilotbook.workshop.revisions import (
    EMPTY,
    State,
    clean_note,
    clean_reason,
    conflict,
    lock_pilot,
)
from pilotbook.workshop.views import AnswerEvent, AnswerView

if TYPE_CHECKING:
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork

MAX_BY = 200


KEEP: Any = object()  # change: leave this part as it is


class Answers:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks) -> None:
        self._unit = unit
        self._playbooks = playbooks

    def set(
        self,
        pilot_id: str,
        question_id: str,
        value: Any,
        *,
        expected_revision: int | None = None,
        by: str | None = None,
    ) -> AnswerView:
        """Save a value, checked against the question's type; None or blank clears it."""
        question = self._question(pilot_id, question_id)
        try:
            clean = values.validate(question, value)
        except values.ValueProblem as e:
            raise InvalidValue(str(e), question_id) from None
        if clean is None:
            return self.clear(pilot_id, question_id, expected_revision=expected_revision, by=by)
        text = convert.dumps(clean)
        return self._change(
            pilot_id,
            question_id,
            "set",
            lambda old: State(text, None, old.note),
            expected_revision,
            by,
            question,
        )

    def clear(
        self,
        pilot_id: str,
        question_id: str,
        *,
        expected_revision: int | None = None,
        by: str | None = None,
    ) -> AnswerView:
        """Remove the value and any n/a mark; the note stays."""
        question = self._question(pilot_id, question_id, allow_retired=True)
        return self._change(
            pilot_id,
            question_id,
            "clear",
            lambda old: State(None, None, old.note),
            expected_revision,
            by,
            question,
        )

    def not_applicable(
        self,
        pilot_id: str,
        question_id: str,
        reason: str,
        *,
        expected_revision: int | None = None,
        by: str | None = None,
    ) -> AnswerView:
        """Mark the question not applicable, with the reason why (its value goes)."""
        question = self._question(pilot_id, question_id)
        reason = clean_reason(question_id, reason)
        return self._change(
            pilot_id,
            question_id,
            "na",
            lambda old: State(None, reason, old.note),
            expected_revision,
            by,
            question,
        )

    def set_note(
        self,
        pilot_id: str,
        question_id: str,
        note: str | None,
        *,
        expected_revision: int | None = None,
        by: str | None = None,
    ) -> AnswerView:
        """Attach a note to a question (None or blank removes it)."""
        question = self._question(pilot_id, question_id, allow_retired=True)
        clean = clean_note(question_id, note)
        return self._change(
            pilot_id,
            question_id,
            "note",
            lambda old: State(old.value_json, old.na_reason, clean),
            expected_revision,
            by,
            question,
        )

    def change(
        self,
        pilot_id: str,
        question_id: str,
        *,
        value: Any = KEEP,
        na: str | None = None,
        clear: bool = False,
        note: Any = KEEP,
        expected_revision: int | None = None,
        by: str | None = None,
    ) -> AnswerView:
        """One change of value (or n/a, or clear) and note together: one transaction,
        one event, one revision. Everything is checked before anything is written."""
        if sum((value is not KEEP, na is not None, clear)) > 1:
            raise InvalidValue(f"{question_id}: give one of a value, not applicable or clear")
        question = self._question(pilot_id, question_id, allow_retired=value is KEEP)
        new_note = KEEP if note is KEEP else clean_note(question_id, note)
        kind, state = "note", None
        if value is not KEEP:
            try:
                clean = values.validate(question, value)
            except values.ValueProblem as e:
                raise InvalidValue(str(e), question_id) from None
            kind = "set" if clean is not None else "clear"
            state = convert.dumps(clean) if clean is not None else None
        elif na is not None:
            kind, reason = "na", clean_reason(question_id, na)
        elif clear:
            kind = "clear"

        def new_state(old: State) -> State:
            kept = old.note if new_note is KEEP else new_note
            if kind == "set":
                return State(state, None, kept)
            if kind == "na":
                return State(None, reason, kept)
            if kind == "clear":
                return State(None, None, kept)
            return State(old.value_json, old.na_reason, kept)

        return self._change(pilot_id, question_id, kind, new_state, expected_revision, by, question)

    def undo(
        self,
        pilot_id: str,
        question_id: str,
        *,
        expected_revision: int | None = None,
        by: str | None = None,
    ) -> AnswerView:
        """Go back to the state before the question's last change, as a new event.

        Undo twice goes back two changes: an undo event cancels the change it undid.
        With `expected_revision`, an answer changed since is a `Conflict`: the undo
        would otherwise take back someone else's change.
        """
        with self._unit.write() as s:
            lock_pilot(s, pilot_id)
            row = _answer_row(s, pilot_id, question_id)
            current = row.revision if row else 0
            if expected_revision is not None and expected_revision != current:
                question = self._question_or_none(pilot_id, question_id)
                raise conflict(question, question_id, "undo", None, row, current)
            events = s.exec(
                select(t.AnswerEvent)
                .where(t.AnswerEvent.pilot_id == pilot_id, t.AnswerEvent.question_id == question_id)
                .order_by(col(t.AnswerEvent.revision))
            ).all()
            stack: list[State] = []
            for e in events:
                if e.kind == "undo":
                    if stack:
                        stack.pop()
                else:
                    stack.append(State(e.value_json, e.na_reason, e.note))
            if not stack:
                raise NothingToUndo(f"{question_id}: nothing to undo")
            target = stack[-2] if len(stack) > 1 else EMPTY
            return self._write_change(s, pilot_id, question_id, "undo", target, by, row)

    def history(self, pilot_id: str, question_id: str | None = None) -> list[AnswerEvent]:
        """Every change, oldest first: of one question, or of the whole pilot."""
        with self._unit.read() as s:
            self._unit.pilot(s, pilot_id)
            query = select(t.AnswerEvent).where(t.AnswerEvent.pilot_id == pilot_id)
            if question_id is not None:
                query = query.where(t.AnswerEvent.question_id == question_id)
            rows = s.exec(
                query.order_by(
                    col(t.AnswerEvent.at),
                    col(t.AnswerEvent.question_id),
                    col(t.AnswerEvent.revision),
                )
            ).all()
        return [convert.event(e) for e in rows]

    def at(self, pilot_id: str, when: dt.datetime) -> dict[str, AnswerView]:
        """The answers as they stood at `when`: "what did we say in March?"."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        known = {q.id for q in self._playbooks.for_pilot(pilot_id).questions()}
        out: dict[str, AnswerView] = {}
        for e in self.history(pilot_id):
            if e.at > when:
                continue
            out[e.question_id] = AnswerView(
                e.question_id,
                e.value,
                e.na_reason,
                e.note,
                e.revision,
                e.at,
                e.by,
                e.question_id not in known,
            )
        return {k: a for k, a in out.items() if a.answered or a.note}

    # ------------------------------------------------------------ internals

    def _question(self, pilot_id: str, question_id: str, allow_retired: bool = False) -> Question:
        book = self._playbooks.for_pilot(pilot_id)
        try:
            return book.question(question_id)
        except KeyError:
            if allow_retired and self._has_answer(pilot_id, question_id):
                return Question.model_construct(id=question_id, ask=question_id, type="text")
            raise NotFound(f"no question {question_id!r} in playbook {book.id}") from None

    def _question_or_none(self, pilot_id: str, question_id: str) -> Question | None:
        try:
            return self._playbooks.for_pilot(pilot_id).question(question_id)
        except (KeyError, NotFound):
            return None

    def _has_answer(self, pilot_id: str, question_id: str) -> bool:
        with self._unit.read() as s:
            return _answer_row(s, pilot_id, question_id) is not None

    def _change(
        self,
        pilot_id: str,
        question_id: str,
        kind: str,
        new_state: Any,
        expected_revision: int | None,
        by: str | None,
        question: Question,
    ) -> AnswerView:
        mine: State | None = None
        try:
            with self._unit.write() as s:
                # Taken before the revision is read: a second writer waits here, then
                # reads the revision the first one left.
                lock_pilot(s, pilot_id)
                row = _answer_row(s, pilot_id, question_id)
                current = row.revision if row else 0
                old = State(row.value_json, row.na_reason, row.note) if row else EMPTY
                mine = new_state(old)
                if expected_revision is not None and expected_revision != current:
                    raise conflict(question, question_id, kind, mine, row, current)
                if mine == old and row is not None:
                    return convert.answer(row)  # nothing changed: no event
                return self._write_change(s, pilot_id, question_id, kind, mine, by, row)
        except IntegrityError:
            # The store refused a second answer row or a second event on one revision:
            # another writer got there first, whatever this one had read.
            with self._unit.read() as s:
                row = _answer_row(s, pilot_id, question_id)
            current = row.revision if row else 0
            raise conflict(question, question_id, kind, mine, row, current) from None

    def _write_change(
        self,
        s: Session,
        pilot_id: str,
        question_id: str,
        kind: str,
        new: State,
        by: str | None,
        row: t.Answer | None = None,
    ) -> AnswerView:
        pilot = self._unit.pilot(s, pilot_id)
        if row is None:
            row = _answer_row(s, pilot_id, question_id)
        by = by.strip()[:MAX_BY] or None if by else None
        now = self._unit.clock()
        if row is None:
            row = t.Answer(pilot_id=pilot_id, question_id=question_id, revision=0)
        row.value_json, row.na_reason, row.note = new.value_json, new.na_reason, new.note
        row.answered = new.value_json is not None or new.na_reason is not None
        if kind != "note":
            row.review = None  # a new value, once looked at, needs no more review
        row.revision += 1
        row.updated_at, row.updated_by = now, by
        s.add(row)
        open_session = s.exec(
            select(t.WorkshopSession.id)
            .where(
                t.WorkshopSession.pilot_id == pilot_id, col(t.WorkshopSession.ended_at).is_(None)
            )
            .order_by(col(t.WorkshopSession.started_at).desc())
        ).first()
        s.add(
            t.AnswerEvent(
                pilot_id=pilot_id,
                question_id=question_id,
                kind=kind,
                value_json=new.value_json,
                na_reason=new.na_reason,
                note=new.note,
                revision=row.revision,
                by=by,
                at=now,
                session_id=open_session,
            )
        )
        pilot.updated_at = now
        # The pilot records the playbook version it was answered with; a version kept
        # in the store moves only by an upgrade (a missing playbook does not stop a
        # retired answer from being cleared or undone).
        with suppress(NotFound):
            pilot.playbook_version = self._playbooks.version_to_record(s, pilot)
        s.flush()
        return convert.answer(row)


def _answer_row(s: Session, pilot_id: str, question_id: str) -> t.Answer | None:
    return s.exec(
        select(t.Answer).where(t.Answer.pilot_id == pilot_id, t.Answer.question_id == question_id)
    ).first()
