"""Saving answers without ever making the facilitator wait or lose a word.

One save per question is in flight at a time; a newer value waits for it and
goes next, with the revision the first save returned. A failed save keeps the
value queued and retries with a growing pause; a conflict asks the facilitator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from pilotbook.tui.screens.pilot_messages import SaveConflict, Saved, SaveFailed, SaveRejected

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)


class SaveQueue:
    """The bookkeeping half; the screen owns the display."""

    def __init__(self) -> None:
        self.pending: dict[str, tuple[str, Any]] = {}
        self.in_flight: set[str] = set()
        self.failures: dict[str, int] = {}

    def put(self, question_id: str, op: tuple[str, Any]) -> bool:
        """Queue `op`; True when it should start now."""
        self.pending[question_id] = op
        return question_id not in self.in_flight

    def take(self, question_id: str) -> tuple[str, Any] | None:
        op = self.pending.pop(question_id, None)
        if op is not None:
            self.in_flight.add(question_id)
        return op

    def done(self, question_id: str) -> None:
        self.in_flight.discard(question_id)
        self.failures.pop(question_id, None)

    def failed(self, question_id: str, op: tuple[str, Any]) -> float:
        """Keep `op` for a retry (unless a newer value came); the pause before it."""
        self.in_flight.discard(question_id)
        self.pending.setdefault(question_id, op)
        n = self.failures.get(question_id, 0)
        self.failures[question_id] = n + 1
        return RETRY_DELAYS[min(n, len(RETRY_DELAYS) - 1)]

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.in_flight)


class SavingMixin:
    """The worker that writes; mixed into the pilot screen."""

    pilot_id: str
    # Who the history names for each change: the session's facilitator, else the pilot's.
    by: str | None = None

    @property
    def workshop(self) -> Workshop:
        return self.app.workshop  # type: ignore[attr-defined]

    # Not exclusive: a save of another question still in flight must finish;
    # saves of one question are put in order by SaveQueue instead.
    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def save_worker(self, question_id: str, op: tuple[str, Any], revision: int) -> None:
        from pilotbook.workshop.errors import BadInput, Conflict

        kind, payload = op
        ws = self.workshop
        pid, by = self.pilot_id, self.by
        try:
            if kind in ("set", "clear") and payload is None:
                answer = ws.clear_answer(pid, question_id, expected_revision=revision, by=by)
            elif kind == "set":
                answer = ws.set_answer(pid, question_id, payload, expected_revision=revision, by=by)
            elif kind == "na":
                answer = ws.mark_not_applicable(
                    pid, question_id, payload, expected_revision=revision, by=by
                )
            elif kind == "note":
                answer = ws.set_note(pid, question_id, payload, by=by)
            elif kind == "undo":
                answer = ws.undo(pid, question_id, by=by)
            else:
                raise ValueError(f"unknown change {kind!r}")
        except Conflict as c:
            self.post_message(SaveConflict(question_id, op, c.theirs, c.current_revision))  # type: ignore[attr-defined]
        except BadInput as e:
            self.post_message(SaveRejected(question_id, str(e)))  # type: ignore[attr-defined]
        except Exception as e:  # disk full, locked, gone: keep the value, say why, retry
            self.post_message(SaveFailed(question_id, op, str(e) or type(e).__name__))  # type: ignore[attr-defined]
        else:
            self.post_message(Saved(question_id, answer))  # type: ignore[attr-defined]
