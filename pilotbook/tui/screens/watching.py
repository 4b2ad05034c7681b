"""Noticing changes another facilitator made to the pilot that is on screen.

Every few seconds a worker reads the store's change stamp for the pilot (a
count of history events and the pilot's `updated_at`: one small indexed
query, on SQLite and PostgreSQL alike). When it moves, the pilot is read
again and each answer that is newer in the store replaces the one shown,
except where this screen has a save queued or in flight, or the field holds
text being typed: that text stays, and saving it later on the old revision
is a conflict that shows both sides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from pilotbook.tui.screens.pilot_messages import ChangedElsewhere
from pilotbook.tui.text import one_line
from pilotbook.tui.widgets.base import AnswerInput

if TYPE_CHECKING:
    from pilotbook.workshop.views import AnswerView

# Seconds between two looks at the store; tests set their own.
WATCH_SECONDS = 2.0


class WatchMixin:
    """For the pilot screen: `start_watching()` once the pilot is loaded."""

    stamp: Any = None

    def start_watching(self) -> None:
        self.set_interval(WATCH_SECONDS, self.look_for_changes)  # type: ignore[attr-defined]

    def look_for_changes(self) -> None:
        if getattr(self, "view", None) is not None:
            self.watch_worker(self.stamp)

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def watch_worker(self, known: Any) -> None:
        ws = self.workshop  # type: ignore[attr-defined]
        try:
            stamp = ws.pilots.change_stamp(self.pilot_id)  # type: ignore[attr-defined]
            if stamp == known:
                return
            view = ws.pilots.open(self.pilot_id)  # type: ignore[attr-defined]
        except Exception:
            return  # the store is unreachable for a moment: saves say so; look again later
        self.post_message(ChangedElsewhere(view, stamp))  # type: ignore[attr-defined]

    def on_changed_elsewhere(self, message: ChangedElsewhere) -> None:
        self.stamp = message.stamp
        saves = self.saves  # type: ignore[attr-defined]
        current = self.current  # type: ignore[attr-defined]
        changed: list[str] = []
        for qid, fresh in message.view.answers.items():
            mine: AnswerView = self.answer(qid)  # type: ignore[attr-defined]
            if fresh.revision <= mine.revision:
                continue  # ours, or older than what is shown
            if qid in saves.pending or qid in saves.in_flight:
                continue  # our save of it answers first (or conflicts)
            if qid == current and self._typing():
                # Keep the text and the revision it was typed on: saving it will
                # be a conflict that shows both sides, never a silent overwrite.
                self.set_state(  # type: ignore[attr-defined]
                    qid, f"changed elsewhere (revision {fresh.revision}); your text is kept"
                )
                continue
            self.answers[qid] = fresh  # type: ignore[attr-defined]
            changed.append(qid)
        if not changed:
            return
        if current in changed:
            self.set_state(current, "updated: changed elsewhere")  # type: ignore[attr-defined]
            self.show_question(current)  # type: ignore[attr-defined]
        self.refresh_status()  # type: ignore[attr-defined]
        self.reassess()  # type: ignore[attr-defined]
        names = ", ".join(one_line(q, 30) for q in changed[:3])
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        self.notify(f"Changed elsewhere: {names}{more}", markup=False)  # type: ignore[attr-defined]

    def _typing(self) -> bool:
        return any(w.dirty() for w in self.query(AnswerInput))  # type: ignore[attr-defined]
