"""Noticing changes another facilitator made to the pilot that is on screen.

Every few seconds a service call reads the store's change stamp for the pilot (a
count of history events and the pilot's `updated_at`: one small indexed
query, on SQLite and PostgreSQL alike). When it moves, the pilot is read
again and each answer that is newer in the store replaces the one shown,
except where this screen has a save queued or in flight, or the field holds
text being typed: that text stays, and saving it later on the old revision
is a conflict that shows both sides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pilotbook.tui.text import one_line

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotRead, PilotScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.views import AnswerView, PilotView

# Seconds between two looks at the store; tests set their own.
WATCH_SECONDS = 2.0


def start_watching(screen: PilotScreen) -> None:
    screen.set_interval(WATCH_SECONDS, lambda: look_for_changes(screen))


def look_for_changes(screen: PilotScreen) -> None:
    if screen.view is None:
        return
    known, pid = screen.stamp, screen.pilot_id

    def read(ws: Workshop) -> PilotRead | None:
        from pilotbook.tui.screens.pilot import read_pilot

        stamp = ws.pilots.change_stamp(pid)
        return None if stamp == known else read_pilot(ws, pid)

    def failed(error: Exception) -> None:
        # Once per run of failures: the store unreachable a while is said, not repeated.
        if not screen.watch_failing:
            screen.report("Could not look for changes made elsewhere", error)
        screen.watch_failing = True

    def done(fresh: PilotRead | None) -> None:
        screen.watch_failing = False
        if fresh is not None:
            changed_elsewhere(screen, fresh.stamp, fresh.view)
            took_the_rest(screen, fresh)

    screen.call(
        read, done, failure="", group="watch", exclusive=True, on_error=failed, report=False
    )


def changed_elsewhere(screen: PilotScreen, stamp: tuple[int, Any], view: PilotView) -> None:
    """The pilot changed in the store since it was last read: take what is newer."""
    screen.stamp = stamp
    saves, current = screen.saves, screen.current
    changed: list[str] = []
    for qid, fresh in view.answers.items():
        mine: AnswerView = screen.answer(qid)
        if fresh.revision <= mine.revision:
            continue  # ours, or older than what is shown
        if qid in saves.pending or qid in saves.in_flight:
            continue  # our save of it answers first (or conflicts)
        if qid == current and any(w.dirty() for w in screen.inputs_shown()):
            # Keep the text and the revision it was typed on: saving it will
            # be a conflict that shows both sides, never a silent overwrite.
            screen.set_state(
                qid, f"changed elsewhere (revision {fresh.revision}); your text is kept"
            )
            continue
        screen.answers[qid] = fresh
        changed.append(qid)
    if not changed:
        return
    if current in changed:
        screen.set_state(current, "updated: changed elsewhere")
        screen.show_question(current)
    screen.refresh_status()
    screen.reassess()
    names = ", ".join(one_line(q, 30) for q in changed[:3])
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    screen.notify(f"Changed elsewhere: {names}{more}", markup=False)


def took_the_rest(screen: PilotScreen, fresh: PilotRead) -> None:
    """What is not an answer: the phase (and so the verdict's question), names, the agenda.

    A phase moved on the command line decides another question: the verdict
    shown is reassessed whether or not an answer changed.
    """
    old = screen.view
    screen.people = list(dict.fromkeys([*screen.people, *fresh.people]))
    for widget in screen.inputs_shown():
        widget.offer(screen.people)
    screen.agenda = fresh.agenda
    screen.view = fresh.view
    if old is None or old.summary.phase != fresh.view.summary.phase:
        screen.reassess()
    screen.tick()
