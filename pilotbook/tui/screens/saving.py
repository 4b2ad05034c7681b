"""Saving answers without ever making the facilitator wait or lose a word.

One save per question is in flight at a time; a newer value waits for it and
goes next, with the revision the first save returned. A failed save keeps the
value queued and retries with a growing pause; a conflict asks the facilitator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from pilotbook.tui.screens.pilot_messages import SaveConflict, Saved, SaveFailed, SaveRejected
from pilotbook.tui.text import one_line
from pilotbook.tui.widgets.base import AnswerInput

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.views import AnswerView

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)


class SaveQueue:
    """The bookkeeping half; the screen owns the display."""

    def __init__(self) -> None:
        self.pending: dict[str, tuple[str, Any]] = {}
        self.in_flight: set[str] = set()
        self.sending: dict[str, tuple[str, Any]] = {}  # the ops in flight
        self.failures: dict[str, int] = {}

    def put(self, question_id: str, op: tuple[str, Any]) -> bool:
        """Queue `op`; True when it should start now."""
        self.pending[question_id] = op
        return question_id not in self.in_flight

    def take(self, question_id: str) -> tuple[str, Any] | None:
        op = self.pending.pop(question_id, None)
        if op is not None:
            self.in_flight.add(question_id)
            self.sending[question_id] = op
        return op

    def done(self, question_id: str) -> None:
        self.in_flight.discard(question_id)
        self.sending.pop(question_id, None)
        self.failures.pop(question_id, None)

    def failed(self, question_id: str, op: tuple[str, Any]) -> float:
        """Keep `op` for a retry (unless a newer value came); the pause before it."""
        self.in_flight.discard(question_id)
        self.sending.pop(question_id, None)
        self.pending.setdefault(question_id, op)
        n = self.failures.get(question_id, 0)
        self.failures[question_id] = n + 1
        return RETRY_DELAYS[min(n, len(RETRY_DELAYS) - 1)]

    def unsaved(self) -> list[tuple[str, tuple[str, Any]]]:
        """The changes not in the store yet, oldest first: those in flight, then those queued."""
        return [*self.sending.items(), *self.pending.items()]

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.in_flight)


class SavingMixin:
    """Saving for the pilot screen: the queue, the worker that writes, its answers.

    The screen provides `answers`, `current`, `saves`, `rebuild_after`,
    `answer()`, `set_state()`, `show_question()`, `show_answer_extras()` and
    `reassess()`.
    """

    pilot_id: str
    # Who the history names for each change: the session's facilitator, else the pilot's.
    by: str | None = None

    @property
    def workshop(self) -> Workshop:
        return self.app.workshop  # type: ignore[attr-defined]

    # Not exclusive: a save of another question still in flight must finish;
    # saves of one question are put in order by SaveQueue instead.
    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def save_worker(self, question_id: str, op: tuple[Any, ...], revision: int) -> None:
        from pilotbook.errors import BadInput, Conflict

        kind, payload = op[0], op[1]
        ws = self.workshop
        pid, by = self.pilot_id, self.by
        try:
            if kind in ("set", "clear") and payload is None:
                answer = ws.answers.clear(pid, question_id, expected_revision=revision, by=by)
            elif kind == "set":
                answer = ws.answers.set(
                    pid, question_id, payload, expected_revision=revision, by=by
                )
            elif kind == "na":
                answer = ws.answers.not_applicable(
                    pid, question_id, payload, expected_revision=revision, by=by
                )
            elif kind == "note":
                answer = ws.answers.set_note(
                    pid, question_id, payload, expected_revision=revision, by=by
                )
            elif kind == "undo":
                answer = ws.answers.undo(pid, question_id, expected_revision=revision, by=by)
            else:
                raise ValueError(f"unknown change {kind!r}")
        except Conflict as c:
            self.post_message(  # type: ignore[attr-defined]
                SaveConflict(
                    question_id,
                    op,
                    c.theirs,
                    c.current_revision,
                    c.mine_text,
                    c.theirs_text,
                    c.part,
                )
            )
        except BadInput as e:
            self.post_message(SaveRejected(question_id, str(e)))  # type: ignore[attr-defined]
        except Exception as e:  # disk full, locked, gone: keep the value, say why, retry
            self.post_message(SaveFailed(question_id, op, str(e) or type(e).__name__))  # type: ignore[attr-defined]
        else:
            self.post_message(Saved(question_id, answer))  # type: ignore[attr-defined]

    # The screen side: queueing, and what each answer of the worker means.

    def queue(self, question_id: str, op: tuple[str, Any]) -> None:
        if self.saves.put(question_id, op):
            self.start_save(question_id)
        else:
            self.set_state(question_id, "… saving (after the change before it)", "-saving")

    def start_save(self, question_id: str) -> None:
        op = self.saves.take(question_id)
        if op is None:
            return
        self.set_state(question_id, "… saving", "-saving")
        # A change made in a dialog carries the revision the dialog showed: the
        # answer may have been refreshed from the store while it was open.
        revision = op[2] if len(op) > 2 else self.answer(question_id).revision
        self.save_worker(question_id, op, revision)

    # A named handler, not @on: decorated handlers only register on Textual classes.
    def on_answer_input_changed(self, event: AnswerInput.Changed) -> None:
        self.queue(event.question_id, ("set", event.value))

    def on_saved(self, message: Saved) -> None:
        qid = message.question_id
        self.saves.done(qid)
        self.answers[qid] = message.answer
        stamp = self.app.now().astimezone().strftime("%H:%M")  # type: ignore[attr-defined]
        self.set_state(qid, f"✓ saved {stamp}", "-saved")
        if qid == self.current and qid in self.rebuild_after:
            self.show_question(qid)
        elif qid == self.current:
            self.show_answer_extras()
        self.rebuild_after.discard(qid)
        if qid in self.saves.pending:
            self.start_save(qid)
        self.reassess()

    def on_save_failed(self, message: SaveFailed) -> None:
        qid = message.question_id
        delay = self.saves.failed(qid, message.op)
        self.set_state(
            qid,
            f"✗ not saved: {one_line(message.error, 120)} · your answer stays here; "
            f"retrying in {delay:g}s",
            "-failed",
        )
        self.set_timer(delay, lambda: self._retry(qid))

    def _retry(self, question_id: str) -> None:
        if question_id not in self.saves.in_flight:
            self.start_save(question_id)

    def on_save_rejected(self, message: SaveRejected) -> None:
        qid = message.question_id
        self.saves.done(qid)
        self.set_state(qid, f"✗ not saved: {one_line(message.error, 160)}", "-failed")
        if qid == self.current:
            for widget in self.query(AnswerInput):
                widget.show_error(message.error)
                widget.accepted(object())  # the same value sent again is tried again

    def on_save_conflict(self, message: SaveConflict) -> None:
        from pilotbook.tui.screens.pilot_tools import resolve_conflict

        resolve_conflict(self, message)  # type: ignore[arg-type]

    def adopt(self, question_id: str, answer: AnswerView) -> None:
        """Another writer's answer wins: show it."""
        self.answers[question_id] = answer
        if question_id == self.current:
            self.show_question(question_id)
        self.reassess()
