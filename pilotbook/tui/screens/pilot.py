"""The workshop itself: one question at a time, saved as it is answered."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from pilotbook.playbook import kinds
from pilotbook.tui.screens import pilot_tools as tools
from pilotbook.tui.screens import saving, watching
from pilotbook.tui.screens.agenda import clock_text
from pilotbook.tui.screens.saving import Op, SaveQueue
from pilotbook.tui.service import ServiceCalls, error_text, ui_steps
from pilotbook.tui.text import literal, one_line
from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.factory import input_for
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.sidebar import SectionTree
from pilotbook.tui.widgets.status import VerdictLine
from pilotbook.tui.widgets.topbar import TopBar, countdown_text

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook, Question
    from pilotbook.rules import Assessment
    from pilotbook.tui.screens.records import SessionChanges
    from pilotbook.tui.screens.review import ReviewOutcome
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.timer import Agenda
    from pilotbook.workshop.views import AnswerView, PilotView


# Seconds leaving waits for saves in flight before it asks.
SAVE_WAIT_SECONDS = 3.0


def _b(key: str, action: str, text: str, bid: str, tip: str, **kw: Any) -> Binding:
    if key.startswith("f"):
        # An F-key is the screen's, whatever field has the focus: a text area
        # binds F6 and F7 itself (select line, select all), which hid History
        # and Session on every long-text and list question.
        kw.setdefault("priority", True)
    return Binding(key, action, text, id=f"pilot.{bid}", tooltip=tip, **kw)


@dataclass
class PilotRead:
    """Everything the screen shows of a pilot, read in one go."""

    stamp: tuple[int, Any]  # read first: a change made meanwhile is noticed, not missed
    view: PilotView
    people: list[str]
    agenda: Agenda


def read_pilot(ws: Workshop, pilot_id: str) -> PilotRead:
    from pilotbook.workshop.timer import agenda

    stamp = ws.pilots.change_stamp(pilot_id)
    return PilotRead(
        stamp, ws.pilots.open(pilot_id), ws.records.people(pilot_id), agenda(ws, pilot_id)
    )


class PilotScreen(ServiceCalls, Screen[None]):
    CSS_PATH = "pilot.tcss"
    BINDINGS = [
        _b("ctrl+n", "next", "Next", "next", "Next question (skips hidden ones)", priority=True),
        _b("ctrl+b", "previous", "Back", "previous", "Previous question", priority=True),
        _b(
            "ctrl+g",
            "next_section",
            "Next section",
            "section",
            "First question of the next section",
            priority=True,
        ),
        _b("escape", "home", "Pilots", "home", "Back to the list of pilots"),
        _b("f2", "guide", "Guide", "guide", "The section's guide and why this question matters"),
        _b("f3", "not_applicable", "N/A", "na", "Mark not applicable, with a reason"),
        _b("f4", "note", "Note", "note", "Add a note to this question"),
        _b("f5", "add_action", "Action", "action", "Add an action (title, owner, due date)"),
        _b("f6", "history", "History", "history", "Who changed this answer, when; undo"),
        _b("f7", "session", "Session", "session", "Start a session, record who is in the room"),
        _b("f8", "actions", "Actions", "actions", "Every action of this pilot"),
        _b("f9", "verdict", "Verdict", "verdict", "The verdict and its reasons"),
        _b("f10", "review", "Review", "review", "Decision, sign-offs, export, snapshots, phases"),
        _b("f12", "agenda", "Timer", "agenda", "Today's session: sections, length, timers"),
        _b("ctrl+r", "round", "Round", "round", "Ask the room: votes or notes from their devices"),
    ]

    def __init__(self, pilot_id: str) -> None:
        super().__init__()
        from pilotbook.tui.commands import QuestionCommands

        # The palette finds questions of this pilot (set here: commands.py imports this).
        self.COMMANDS = {QuestionCommands}  # type: ignore[misc]  # Textual reads it per screen
        self.pilot_id = pilot_id
        self.view: PilotView | None = None
        self.playbook: Playbook | None = None
        self.answers: dict[str, AnswerView] = {}
        self.people: list[str] = []
        self.assessment: Assessment | None = None
        # Why the verdict shown is not the answers' own: it could not be recomputed.
        self.verdict_stale: str | None = None
        self.current: str | None = None
        self.saves = SaveQueue()
        self.agenda: Agenda | None = None
        self.warned_over: set[str] = set()
        self.generation = 0
        self.states: dict[str, str] = {}
        # Questions whose widget must show the stored value once a save returns
        # (undo, not applicable, the other writer's value).
        self.rebuild_after: set[str] = set()
        # Who the history names for each change: the session's facilitator, else the pilot's.
        self.by: str | None = None
        self.stamp: tuple[int, Any] | None = None  # the store's change stamp when last read
        self.watch_failing = False
        self.unopened = False  # the pilot could not be read: the screen closes
        self.leaving = False
        # One input per kind, kept in the holder once built: the next question of
        # that kind refills it instead of building another (see place_input).
        self.kept: dict[str, AnswerInput] = {}
        self.shown: AnswerInput | None = None

    # ------------------------------------------------------------ saving (see saving.py)

    def queue(self, question_id: str, op: Op, *, rebuild: bool = False) -> None:
        saving.queue(self, question_id, op, rebuild=rebuild)

    def on_answer_input_changed(self, event: AnswerInput.Changed) -> None:
        self.queue(event.question_id, ("set", event.value))

    def adopt(self, question_id: str, answer: AnswerView) -> None:
        """Another writer's answer wins: show it."""
        self.answers[question_id] = answer
        if question_id == self.current:
            self.show_question(question_id)
        self.reassess()

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · opening…")
        with Horizontal(id="body"):
            yield SectionTree(id="sidebar")
            with VerticalScroll(id="question"):
                yield Static("", id="q-where", markup=False)
                yield Static("", id="q-ask", markup=False)
                yield Static("", id="q-help", markup=False)
                yield Vertical(id="q-input")
                yield Static("", id="q-na", markup=False)
                yield Static("", id="q-note", markup=False)
                yield Static("", id="q-state", markup=False)
            yield VerticalScroll(id="guide")
        yield VerdictLine("", markup=False)
        yield QuietFooter()

    def holds_keys(self) -> bool:
        """Keys typed while the pilot opens wait for its first question (and "since last time")."""
        return (self.view is None and not self.unopened) or super().holds_keys()

    def on_screen_resume(self) -> None:
        self.leave_unopened()  # another dialog was on top when the pilot failed to open

    def leave_unopened(self) -> None:
        """Back to the list if the pilot could not be read, once this screen is on top."""
        if self.unopened and self.app.screen is self and not self.leaving:
            self.leaving = True  # once: the resume and the refresh may both come
            self.dismiss(None)

    def on_mount(self) -> None:
        self.query_one(SectionTree).tooltip = (
            "✖ high risk · ▲ medium · ○ answers open · ✓ no risk left; "
            "3/5 = required answered of required (F1 for every key)"
        )
        self.query_one("#guide").display = False
        self.load()
        self.set_interval(1.0, self.tick)

    # ------------------------------------------------------------ loading

    def load(self) -> None:
        pid = self.pilot_id

        def failed(_: Exception) -> None:
            if self.view is None:  # nothing to show: back to the list, the error on top
                self.unopened = True
                # Not from here: this runs in the screen's own worker, which leaving
                # the screen cancels, and perhaps before the push has finished. The
                # screen's message loop leaves it once it is shown, as a key would.
                self.call_after_refresh(self.leave_unopened)

        self.call(
            lambda ws: read_pilot(ws, pid),
            self.show_pilot,
            failure="Could not open the pilot",
            group="pilot-load",
            exclusive=True,
            on_error=failed,
        )

    def reassess(self) -> None:
        self.generation += 1
        generation, pid = self.generation, self.pilot_id

        def failed(error: Exception) -> None:
            if generation == self.generation:
                self.verdict_stale = error_text(error)
                self.refresh_status()

        self.call(
            lambda ws: ws.verdict.assess(pid),
            lambda assessment: self.assessed(assessment, generation),
            failure="The verdict could not be recomputed",
            group="assess",
            exclusive=True,
            on_error=failed,
        )

    def show_pilot(self, read: PilotRead) -> None:
        view = read.view
        self.stamp, self.agenda = read.stamp, read.agenda
        if self.view is None:  # opened, not reloaded: since last time comes first
            from pilotbook.tui.screens.revisit import on_opened

            on_opened(self)
            watching.start_watching(self)
        self.view = view
        self.playbook = view.playbook
        self.answers = dict(view.answers)
        self.people = read.people
        session = view.session.facilitator if view.session else None
        self.by = session or view.summary.facilitator
        self.query_one(TopBar).title = f"pilotbook · {view.summary.name}"
        self.show_question(self.current or self.resume_at(view))
        self.reassess()

    def resume_at(self, view: PilotView) -> str:
        """Where the team left off: the last answer touched in the pilot's phase, else the
        phase's first question."""
        assert self.playbook is not None
        phase = view.summary.phase
        in_phase = [q.id for s in self.playbook.sections if s.phase == phase for q in s.questions]
        candidates = in_phase or [q.id for q in self.playbook.questions()]
        touched = [
            (a.updated_at, qid)
            for qid in candidates
            if (a := self.answers.get(qid)) is not None and a.updated_at is not None
        ]
        return max(touched)[1] if touched else candidates[0]

    def assessed(self, assessment: Assessment, generation: int) -> None:
        if generation != self.generation:
            return  # a newer answer is being assessed already
        self.assessment = assessment
        self.verdict_stale = None
        self.refresh_sidebar()
        self.refresh_status()

    # ------------------------------------------------------------ display

    def question_shown(self, question_id: str) -> bool:
        """Shown by the last assessment (a follow-up may be hidden by an answer)."""
        if self.assessment is None:
            return True
        risk = self.assessment.question_risks.get(question_id)
        return risk is None or risk.risk != "hidden"

    def order(self) -> list[str]:
        """The questions shown, in order, counting answers not saved yet."""
        assert self.playbook is not None
        shown = tools.shown_now(self)
        return [q.id for q in self.playbook.questions() if shown.get(q.id, True)]

    def answer(self, question_id: str) -> AnswerView:
        from pilotbook.workshop.views import AnswerView

        return self.answers.get(question_id) or AnswerView(
            question_id, None, None, None, 0, None, None
        )

    def show_question(self, question_id: str) -> Worker[None] | None:
        """Show a question; returns the worker that swaps the input in (await it to be sure)."""
        assert self.playbook is not None
        if not self.flush() and question_id != self.current:
            # The field holds text that is not a valid answer: keep it on screen.
            self.notify(
                "This answer is not valid yet: correct it or clear it before moving on.",
                severity="warning",
            )
            return None
        previous_section = self.section_id()
        self.current = question_id
        question = self.playbook.question(question_id)
        section = self.playbook.section_of(question_id)
        visible = [q for q in section.questions if self.question_shown(q.id)]
        position = next((i for i, q in enumerate(visible) if q.id == question_id), 0) + 1
        where = f"{one_line(section.title, 60)} · question {position} of {len(visible)}"
        if question.required:
            where += " · required"
        self.query_one("#q-where", Static).update(literal(where))
        self.query_one("#q-ask", Static).update(literal(question.ask))
        self.query_one("#q-help", Static).update(literal(question.help or ""))
        answer = self.answer(question_id)
        swap = self.place_input(question, answer.value)
        self.show_answer_extras()
        if section.id != previous_section:
            self.refresh_sidebar()
            if previous_section:
                self.follow_section(section.id)
        self.refresh_status()
        self.refresh_guide()
        self.tick()
        return swap

    async def show_question_now(self, question_id: str) -> None:
        """For key actions: the next key press reaches the new input, never the old one."""
        swap = self.show_question(question_id)
        if swap is not None:
            with suppress(WorkerCancelled, WorkerFailed):
                await swap.wait()

    def place_input(self, question: Question, value: Any) -> Worker[None] | None:
        """The question's input: one kept for its kind, reused in place; else a new one
        swapped in by a worker (returned)."""
        kept = self.kept.get(kinds.widget_name(question))
        swapping = any(
            w.node is self and w.group == "swap" and not w.is_finished for w in self.workers
        )
        if kept is None or swapping or not kept.reuse(question, value, people=self.people):
            return self.swap_input(input_for(question, value, people=self.people))
        shown, self.shown = self.shown, kept
        if shown is not None and shown is not kept:
            kept.display = True
            # First in the holder: a query for the field finds the one on screen.
            self.query_one("#q-input", Vertical).move_child(kept, before=0)
            shown.park()
        self.focus_field(kept)
        self.call_after_refresh(self.warm_next)
        return None

    def warm_next(self) -> None:
        """Build, hidden, the input of the next question's kind if none is kept yet, while
        the facilitator reads this one: the key that moves on then only refills it."""
        if self.playbook is None or self.current is None or not self.is_attached:
            return
        order = self.order()
        if self.current not in order or order[-1] == self.current:
            return
        question = self.playbook.question(order[order.index(self.current) + 1])
        name = kinds.widget_name(question)
        if name in self.kept:
            return
        widget = input_for(question, None, people=self.people)
        widget.park()  # hidden and silent from the start

        async def mount() -> None:
            await self.query_one("#q-input", Vertical).mount(widget)
            if name in self.kept or not widget.is_attached:
                await widget.remove()  # built meanwhile by a key press
            else:
                self.kept[name] = widget

        ui_steps(self, mount, group="warm")

    def inputs_shown(self) -> list[AnswerInput]:
        """The input on screen (others are kept hidden for their kind's next question)."""
        shown = self.shown
        return [shown] if shown is not None and shown.is_attached and not shown.parked else []

    def focus_field(self, widget: AnswerInput) -> None:
        # `focus()` takes effect later, and the focus would pass through the
        # scroll container on its way (two restyles of the whole panel). Focus
        # the field now; `focus_input` still has the last word for an input that
        # focuses something else.
        widget.focus_input()
        fields = [w for w in widget.query("#field") if w.focusable]
        target = fields[0] if fields else next((w for w in widget.query("*") if w.focusable), None)
        if target is not None and self.focused is not target:
            self.set_focus(target)

    def swap_input(self, widget: AnswerInput) -> Worker[None]:
        return ui_steps(self, lambda: self._swap_input(widget), group="swap")

    async def _swap_input(self, widget: AnswerInput) -> None:
        # Mount and focus the new input before the old one goes, so focus moves
        # once: every focus change makes the Footer rebuild its keys.
        holder = self.query_one("#q-input", Vertical)
        await holder.mount(widget, before=0)
        self.kept[type(widget).__name__], self.shown = widget, widget
        self.focus_field(widget)
        self.call_after_refresh(self.warm_next)
        others = [w for w in holder.children if w is not widget]
        for gone in others:
            # Keys typed into the old field after it was flushed: keep them too.
            if isinstance(gone, AnswerInput) and not gone.parked:
                changed, value = gone.take_change()
                if changed:
                    self.queue(gone.question.id, ("set", value))
        # The old input of another kind is kept, hidden, for that kind's next
        # question; one this input replaces as its kind's goes.
        kept = [w for w in others if any(w is k for k in self.kept.values())]
        for gone in kept:
            if isinstance(gone, AnswerInput):
                gone.park()
        drop = [w for w in others if not any(w is k for k in kept)]
        if drop:
            await holder.remove_children(drop)

    def show_answer_extras(self) -> None:
        if self.current is None:
            return
        answer = self.answer(self.current)
        na = f"Not applicable: {answer.na_reason}" if answer.na_reason else ""
        note = f"Note: {answer.note}" if answer.note else ""
        self.query_one("#q-na", Static).update(literal(na))
        self.query_one("#q-note", Static).update(literal(note))
        self.query_one("#q-state", Static).update(literal(self.states.get(self.current, "")))

    def set_state(self, question_id: str, text: str, kind: str = "") -> None:
        self.states[question_id] = text
        if question_id == self.current:
            state = self.query_one("#q-state", Static)
            state.update(literal(text))
            state.set_classes(kind)

    def refresh_sidebar(self) -> None:
        if self.playbook is not None:
            self.query_one(SectionTree).fill(self.playbook, self.assessment, self.section_id())

    def refresh_status(self) -> None:
        if self.playbook is None:
            return
        total = len(self.playbook.questions())
        answered = sum(1 for a in self.answers.values() if a.answered and not a.retired)
        self.query_one(VerdictLine).show(self.assessment, answered, total, self.verdict_stale)

    def refresh_guide(self) -> None:
        panel = self.query_one("#guide", VerticalScroll)
        if not panel.display or self.playbook is None or self.current is None:
            return
        from textual.widgets import Markdown

        section = self.playbook.section_of(self.current)
        question = self.playbook.question(self.current)
        text = f"## {section.title}\n\n{section.guide or '_No guide for this section._'}\n\n"
        text += f"## Why this question\n\n{question.why or '_The playbook does not say._'}\n"
        panel.remove_children()
        panel.mount(Markdown(text))

    def section_id(self) -> str:
        if self.playbook is None or self.current is None:
            return ""
        return self.playbook.section_of(self.current).id

    def tick(self) -> None:
        """The section's timer in the top bar; it runs only when the facilitator starts it."""
        if self.playbook is None or self.current is None or self.agenda is None:
            return
        bar = self.query_one(TopBar)
        try:
            timer = self.agenda.section(self.section_id())
        except Exception:
            timer = None
        now = self.pb.now()
        session_over = self.agenda.over(now)
        late = f"session {clock_text(session_over)} over" if session_over else ""
        if timer is None or timer.timebox is None:
            bar.show_timer(late, bool(late))
            return
        left = dt.timedelta(seconds=timer.left(now) or 0.0)
        text = countdown_text(left, timer.timebox)
        if not timer.running:
            text = "⏸" + text.removeprefix("⏱") + " · F12 starts"
        overdue = timer.over(now)
        bar.show_timer(" · ".join(t for t in (text, late) if t), overdue or bool(late))
        if overdue and timer.running and timer.section_id not in self.warned_over:
            self.warned_over.add(timer.section_id)
            self.notify(
                f"Time is up for {one_line(timer.title, 50)}: F12 gives it five more minutes",
                title="Timebox",
                severity="warning",
                markup=False,
            )

    def follow_section(self, section_id: str) -> None:
        """The room moved on to another section of today's session: while the session's
        clock runs, that section's clock takes over (starting one pauses the other)."""
        agenda = self.agenda
        if agenda is None or agenda.running is None or section_id not in agenda.today:
            return
        if agenda.running.section_id == section_id:
            return
        from pilotbook.workshop.timer import agenda as read_agenda
        from pilotbook.workshop.timer import move_timer

        pid, by = self.pilot_id, self.by

        def job(ws: Workshop) -> Agenda:
            move_timer(ws, pid, section_id, "start", by=by)
            return read_agenda(ws, pid)

        def done(fresh: Agenda) -> None:
            self.agenda = fresh
            self.tick()

        self.call(job, done, failure="The section's timer did not start", group="timer")

    # ------------------------------------------------------------ navigation

    def flush(self) -> bool:
        """Queue what is in the field now, before it leaves the screen; False if invalid."""
        valid = True
        for widget in self.inputs_shown():
            changed, value = widget.take_change()
            if changed:
                self.queue(widget.question.id, ("set", value))
            valid = valid and widget.error is None
        return valid

    async def step(self, delta: int) -> None:
        if self.current is None:
            return
        order = self.order()
        if self.current not in order:
            order = [q.id for q in self.playbook.questions()]  # type: ignore[union-attr]  # loaded: there is a current question
        index = order.index(self.current) + delta
        if 0 <= index < len(order):
            await self.show_question_now(order[index])
        else:
            self.notify("That was the last question." if delta > 0 else "This is the first one.")

    async def action_next(self) -> None:
        await self.step(1)

    async def action_previous(self) -> None:
        await self.step(-1)

    async def action_next_section(self) -> None:
        if self.playbook is None:
            return
        ids = [s.id for s in self.playbook.sections]
        here = ids.index(self.section_id())
        for section in self.playbook.sections[here + 1 :]:
            visible = [q.id for q in section.questions if self.question_shown(q.id)]
            if visible:
                await self.show_question_now(visible[0])
                return
        self.notify("This is the last section.")

    def goto(self, question_id: str) -> None:
        self.show_question(question_id)

    @on(SectionTree.OptionSelected, "#sidebar")
    def _section_picked(self, event: SectionTree.OptionSelected) -> None:
        section_id = event.option_id
        if self.playbook is None or not section_id or section_id == self.section_id():
            return
        section = next(s for s in self.playbook.sections if s.id == section_id)
        visible = [q.id for q in section.questions if self.question_shown(q.id)]
        if visible:
            self.show_question(visible[0])

    def action_home(self) -> None:
        if not self.flush():
            self.notify(
                "This answer is not valid yet: correct it or clear it before leaving.",
                severity="warning",
            )
            return
        self.when_saved(self.app.pop_screen, yes="Leave")

    def when_saved(self, then: Callable[[], Any], *, yes: str) -> None:
        """Run `then` once every answer queued is in the store.

        A save that is merely in flight is waited for (a second or two at most):
        leaving right after typing is the usual case and loses nothing. Only a
        save that failed, or one that takes too long, asks first.
        """
        deadline = time.monotonic() + SAVE_WAIT_SECONDS  # not the app's clock: tests fix it

        def check() -> None:
            if not self.saves.busy:
                then()
            elif self.saves.failures or time.monotonic() >= deadline:
                self.ask_to_leave(then, yes)
            else:
                self.set_timer(0.05, check)

        check()

    def ask_to_leave(self, then: Callable[[], Any], yes: str) -> None:
        from pilotbook.tui.screens.modals import ConfirmScreen

        def answered(leave: bool | None) -> None:
            if leave:
                then()

        self.app.push_screen(ConfirmScreen(self.unsaved_warning(), yes=yes, default="no"), answered)

    def unsaved_warning(self) -> str:
        waiting = sorted(self.saves.pending.keys() | self.saves.in_flight)
        return (
            f"{len(waiting)} answer(s) are not saved yet ({', '.join(waiting[:5])}). "
            "If you leave now they are lost. Leave anyway?"
        )

    def action_guide(self) -> None:
        panel = self.query_one("#guide")
        panel.display = not panel.display
        # On a small terminal the guide takes the sidebar's place.
        self.query_one(SectionTree).display = not (panel.display and self.size.width < 100)
        self.refresh_guide()

    # ------------------------------------------------------------ tools

    def action_not_applicable(self) -> None:
        tools.not_applicable(self)

    def action_note(self) -> None:
        tools.note(self)

    def action_add_action(self) -> None:
        tools.add_action(self)

    def action_history(self) -> None:
        tools.history(self)

    def action_session(self) -> None:
        from pilotbook.tui.screens.records import SessionScreen

        self.app.push_screen(SessionScreen(self), self.session_changed)

    def session_changed(self, changes: SessionChanges | None) -> None:
        if changes is None:
            return
        if changes.facilitator:
            self.by = changes.facilitator
        self.people += [p for p in changes.people if p not in self.people]
        for widget in self.inputs_shown():
            widget.offer(self.people)

    def action_actions(self) -> None:
        from pilotbook.tui.screens.records import ActionsScreen

        self.app.push_screen(ActionsScreen(self))

    def action_verdict(self) -> None:
        tools.verdict(self)

    def action_agenda(self) -> None:
        from pilotbook.tui.screens.agenda import AgendaChoice, AgendaScreen

        def picked(choice: AgendaChoice | None) -> None:
            if choice is None:
                return
            if choice.agenda is not None:
                self.agenda = choice.agenda
            self.tick()
            section_id = choice.section_id
            if section_id and self.playbook is not None and section_id != self.section_id():
                section = next(s for s in self.playbook.sections if s.id == section_id)
                visible = [q.id for q in section.questions if self.question_shown(q.id)]
                if visible:
                    self.show_question(visible[0])

        self.app.push_screen(AgendaScreen(self), picked)

    def action_round(self) -> None:
        from pilotbook.tui.screens.rounds import RoundScreen

        if self.playbook is not None and self.current is not None:
            self.app.push_screen(RoundScreen(self.pilot_id, self.playbook, self.current))

    def action_review(self) -> None:
        from pilotbook.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self), self.review_done)

    def review_done(self, outcome: ReviewOutcome | None) -> None:
        """What the review changed: the pilot moved on, a risk accepted, a question to see."""
        if outcome is None:
            return
        if outcome.reload:
            self.load()
        elif outcome.reassess:
            self.reassess()
        if outcome.goto is not None:
            self.goto(outcome.goto)

    def on_verdict_line_clicked(self) -> None:
        self.action_review()

    def question(self) -> Question:
        assert self.playbook is not None and self.current is not None
        return self.playbook.question(self.current)
