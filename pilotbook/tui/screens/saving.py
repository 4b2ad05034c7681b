"""Saving answers without ever making the facilitator wait or lose a word.

One save per question is in flight at a time; a newer value waits for it and
goes next, with the revision the first save returned. A failed save keeps the
value queued and retries with a growing pause; a conflict asks the facilitator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pilotbook.tui.service import error_text
from pilotbook.tui.text import one_line

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.views import AnswerView

Op = tuple[Any, ...]  # (kind, payload[, revision the change was based on])

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)


class SaveQueue:
    """The bookkeeping half; the screen owns the display."""

    def __init__(self) -> None:
        self.pending: dict[str, Op] = {}
        self.in_flight: set[str] = set()
        self.sending: dict[str, Op] = {}  # the ops in flight
        self.failures: dict[str, int] = {}

    def put(self, question_id: str, op: Op) -> bool:
        """Queue `op`; True when it should start now."""
        self.pending[question_id] = op
        return question_id not in self.in_flight

    def take(self, question_id: str) -> Op | None:
        op = self.pending.pop(question_id, None)
        if op is not None:
            self.in_flight.add(question_id)
            self.sending[question_id] = op
        return op

    def done(self, question_id: str) -> None:
        self.in_flight.discard(question_id)
        self.sending.pop(question_id, None)
        self.failures.pop(question_id, None)

    def failed(self, question_id: str, op: Op) -> float:
        """Keep `op` for a retry (unless a newer value came); the pause before it."""
        self.in_flight.discard(question_id)
        self.sending.pop(question_id, None)
        self.pending.setdefault(question_id, op)
        n = self.failures.get(question_id, 0)
        self.failures[question_id] = n + 1
        return RETRY_DELAYS[min(n, len(RETRY_DELAYS) - 1)]

    def unsaved(self) -> list[tuple[str, Op]]:
        """The changes not in the store yet, oldest first: those in flight, then those queued."""
        return [*self.sending.items(), *self.pending.items()]

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.in_flight)


# The pilot screen's saving, as functions of the screen: it owns the state they change.


def queue(screen: PilotScreen, question_id: str, op: Op, *, rebuild: bool = False) -> None:
    """Save `op` for the question; `rebuild` shows the stored value once it is saved
    (undo, not applicable: the field cannot show what the store makes of it)."""
    if rebuild:
        screen.rebuild_after.add(question_id)
    if screen.saves.put(question_id, op):
        start_save(screen, question_id)
    else:
        screen.set_state(question_id, "… saving (after the change before it)", "-saving")


def start_save(screen: PilotScreen, question_id: str) -> None:
    op = screen.saves.take(question_id)
    if op is None:
        return
    screen.set_state(question_id, "… saving", "-saving")
    # A change made in a dialog carries the revision the dialog showed: the
    # answer may have been refreshed from the store while it was open.
    revision = op[2] if len(op) > 2 else screen.answer(question_id).revision
    pid, by = screen.pilot_id, screen.by
    # Not exclusive: a save of another question still in flight must finish;
    # saves of one question are put in order by SaveQueue instead.
    screen.call(
        lambda ws: write_change(ws, pid, question_id, op, revision, by),
        lambda answer: saved(screen, question_id, answer),
        failure="Not saved",
        group="save",
        on_error=lambda error: save_failed(screen, question_id, op, error),
        report=False,  # save_failed shows it
    )


def saved(screen: PilotScreen, qid: str, answer: AnswerView) -> None:
    screen.saves.done(qid)
    screen.answers[qid] = answer
    stamp = screen.pb.now().astimezone().strftime("%H:%M")
    screen.set_state(qid, f"✓ saved {stamp}", "-saved")
    if qid == screen.current and qid in screen.rebuild_after:
        screen.show_question(qid)
    elif qid == screen.current:
        screen.show_answer_extras()
    screen.rebuild_after.discard(qid)
    if qid in screen.saves.pending:
        start_save(screen, qid)
    screen.reassess()


def save_failed(screen: PilotScreen, qid: str, op: Op, error: Exception) -> None:
    from pilotbook.errors import BadInput, Conflict

    if isinstance(error, Conflict):
        from pilotbook.tui.screens.pilot_tools import resolve_conflict

        resolve_conflict(screen, qid, op, error)
    elif isinstance(error, BadInput):
        rejected(screen, qid, error_text(error))
    else:  # disk full, locked, gone: keep the value, say why, retry
        first = qid not in screen.saves.failures
        delay = screen.saves.failed(qid, op)
        screen.set_state(
            qid,
            f"✗ not saved: {one_line(error_text(error), 120)} · your answer stays here; "
            f"retrying in {delay:g}s",
            "-failed",
        )
        if first:  # once per run of failures: the state line follows the retries
            retrying(screen, error)
        screen.set_timer(delay, lambda: retry_now(screen, qid))


def retrying(screen: PilotScreen, error: Exception) -> None:
    """Say a save failed without stopping the typing: the value waits and is sent again.

    The store failing is a toast here (the state line under the field keeps
    the detail); only an unexpected error is the app's modal, with its log.
    """
    from pilotbook.errors import StoreError

    if isinstance(error, StoreError):
        screen.notify(
            f"{error_text(error)} · your answers stay on screen and are sent again",
            title="Not saved; retrying",
            severity="error",
            markup=False,
        )
    else:
        screen.report("Not saved; retrying", error)


def retry_now(screen: PilotScreen, question_id: str) -> None:
    if question_id not in screen.saves.in_flight:
        start_save(screen, question_id)


def rejected(screen: PilotScreen, qid: str, error: str) -> None:
    """The service said the value itself is wrong: retrying would not help."""
    screen.saves.done(qid)
    screen.set_state(qid, f"✗ not saved: {one_line(error, 160)}", "-failed")
    if qid == screen.current:
        for widget in screen.inputs_shown():
            widget.show_error(error)
            widget.accepted(object())  # the same value sent again is tried again


def write_change(
    ws: Workshop, pid: str, question_id: str, op: Op, revision: int, by: str | None
) -> AnswerView:
    """One queued change, sent to the service on the revision it was made on."""
    kind, payload = op[0], op[1]
    if kind in ("set", "clear") and payload is None:
        return ws.answers.clear(pid, question_id, expected_revision=revision, by=by)
    if kind == "set":
        return ws.answers.set(pid, question_id, payload, expected_revision=revision, by=by)
    if kind == "na":
        return ws.answers.not_applicable(
            pid, question_id, payload, expected_revision=revision, by=by
        )
    if kind == "note":
        return ws.answers.set_note(pid, question_id, payload, expected_revision=revision, by=by)
    if kind == "undo":
        return ws.answers.undo(pid, question_id, expected_revision=revision, by=by)
    raise ValueError(f"unknown change {kind!r}")
