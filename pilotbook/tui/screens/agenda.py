"""F12: today's session, and the timer the facilitator drives.

The sections picked for today (by default the current phase's open ones),
each with its timebox fitted to the session's length, the time spent and
left, and what runs now. Space starts or pauses the highlighted section, + and
- lengthen or shorten it by five minutes, t adds or drops it from today, l
sets the session's length, r resets it (asking first when time was spent),
Enter goes to it. The planning is `workshop/session_plan.py`; the state is
kept in the store (`workshop/timer.py`), so reopening the app resumes the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from pilotbook.tui.service import ServiceCalls
from pilotbook.tui.text import cell, one_line

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.timer import Agenda, SectionTimer


def clock_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def timer_state(t: SectionTimer, now: Any) -> str:
    if t.over(now):
        return "▲ over" + (" ▶" if t.running else "")
    if t.running:
        return "▶ running"
    return "⏸ paused" if t.spent(now) else "· to do"  # short: the column fits 80 columns


def session_line(a: Agenda, now: Any) -> str:
    """The session in one line: what is planned, spent, left, and any overrun."""
    if a.length is None:
        return f"Whole playbook: {clock_text(a.total())} planned · {clock_text(a.spent(now))} spent"
    n = len(a.planned)
    text = (
        f"Today: {n} section{'s' if n != 1 else ''} in {a.length // 60} min · "
        f"{clock_text(a.spent(now))} spent · "
    )
    over = a.over(now)
    return text + (f"▲ {clock_text(over)} over" if over else f"{clock_text(a.left(now))} left")


def open_sections(pilot: PilotScreen) -> list[str]:
    """The sections with required answers missing, or nothing answered yet."""
    from pilotbook.tui.widgets.sidebar import answered_any

    if pilot.assessment is None:
        return []
    return [
        s.section_id for s in pilot.assessment.sections if s.missing or not answered_any(s.counts)
    ]


@dataclass
class AgendaChoice:
    """The section to go to (if any), and the agenda as the timers left it."""

    section_id: str | None
    agenda: Agenda | None


def _b(keys: str, action: str, text: str, bid: str, tip: str) -> Binding:
    return Binding(keys, action, text, id=f"agenda.{bid}", tooltip=tip)


class AgendaScreen(ServiceCalls, ModalScreen[AgendaChoice]):
    BINDINGS = [
        _b("escape,f12", "close", "Close", "close", "Back to the question"),
        _b("space,s", "move('toggle')", "Start/pause", "toggle", "Start or pause its timer"),
        _b("plus,+", "move('extend')", "+5 min", "extend", "Give the section five more minutes"),
        _b("minus,-", "move('shorten')", "-5 min", "shorten", "Five minutes less for it"),
        _b("t", "today", "Today", "today", "Add the section to today's session, or drop it"),
        _b("l", "length", "Length", "length", "How long today's session lasts; refits it"),
        _b("a", "all", "All", "all", "Show every section of the playbook, or today's"),
        _b("r", "move('reset')", "Reset", "reset", "Back to the fitted timebox, nothing spent"),
        _b("enter", "go", "Go to", "go", "Go to the section"),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot
        self.agenda: Agenda | None = None
        self.show_all = False
        self.rows: list[SectionTimer] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Today's session", classes="title")
            yield Static("", id="agenda-total", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="agenda")
            yield Static(
                "Space start/pause · +/- 5 min · t today · l length · a all · r reset · "
                "Enter go to",
                classes="muted",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("", "Section", "Box", "Spent", "Left", "Timer")
        table.styles.max_height = 14
        self.set_interval(1.0, self.show)
        agenda = self.pilot.agenda
        if agenda is not None and not agenda.today:
            self.plan(self.default_today(agenda), None)  # today's session, not the playbook's
        self.show_agenda(agenda)

    def default_today(self, agenda: Agenda) -> list[str]:
        from pilotbook.workshop.session_plan import default_sections

        view = self.pilot.view
        phase = view.summary.phase if view is not None else ""
        pairs = [(t.section_id, t.phase) for t in agenda.sections]
        return default_sections(pairs, phase or "", open_sections(self.pilot))

    def plan(self, section_ids: list[str], minutes: int | None) -> None:
        from pilotbook.workshop.session_plan import DEFAULT_SESSION_MINUTES
        from pilotbook.workshop.timer import plan_session

        length = minutes or (self.agenda.length // 60 if self.agenda and self.agenda.length else 0)
        pid, by, wanted = self.pilot.pilot_id, self.pilot.by, length or DEFAULT_SESSION_MINUTES
        self.call(
            lambda ws: plan_session(ws, pid, section_ids, wanted, by=by),
            self.show_agenda,
            failure="Today's session was not planned",
            hold=True,
        )

    def show_agenda(self, agenda: Agenda | None) -> None:
        self.agenda = agenda
        self.pilot.agenda = agenda
        self.pilot.tick()  # the top bar shows the new plan now, not at its next second
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        if agenda is None:
            return
        here = self.pilot.section_id()
        self.rows = agenda.sections if self.show_all else agenda.planned
        for t in self.rows:
            mark = "●" if t.section_id in agenda.today else ""
            table.add_row(mark, cell(one_line(t.title, 34)), "", "", "", "", key=t.section_id)
        if not table.row_count:
            return
        if row <= 0:
            row = next((i for i, t in enumerate(self.rows) if t.section_id == here), 0)
        table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        self.show()

    def show(self) -> None:
        if self.agenda is None:
            return
        now = self.pb.now()
        table = self.query_one(DataTable)
        for t in self.rows:
            box = clock_text(t.timebox) if t.timebox is not None else "–"
            values = [box, clock_text(t.spent(now)), clock_text(t.left(now)), timer_state(t, now)]
            for column, value in zip(table.ordered_columns[2:], values, strict=True):
                table.update_cell(t.section_id, column.key, value)
        self.query_one("#agenda-total", Static).update(session_line(self.agenda, now))

    def highlighted(self) -> SectionTimer | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one(DataTable).cursor_row, len(self.rows) - 1)]

    def action_move(self, move: str) -> None:
        t = self.highlighted()
        if t is None:
            return
        if move == "toggle":
            move = "pause" if t.running else "start"
        if move == "reset" and t.spent(self.pb.now()) >= 1:
            from pilotbook.tui.screens.modals import ConfirmScreen

            spent = clock_text(t.spent(self.pb.now()))
            question = f"Reset {one_line(t.title, 40)}? The {spent} spent on it is wiped."
            self.app.push_screen(
                ConfirmScreen(question, yes="Reset", default="no"),
                lambda yes: self.send(t.section_id, "reset") if yes else None,
            )
            return
        self.send(t.section_id, move)

    def send(self, section_id: str, move: str) -> None:
        from pilotbook.workshop.timer import agenda, move_timer

        pid, by = self.pilot.pilot_id, self.pilot.by

        def job(ws: Workshop) -> Agenda:
            move_timer(ws, pid, section_id, move, by=by)
            return agenda(ws, pid)

        self.call(job, self.show_agenda, failure="The timer did not change", hold=True)

    def action_today(self) -> None:
        t = self.highlighted()
        if t is None or self.agenda is None:
            return
        today = list(self.agenda.today)
        if t.section_id in today:
            if len(today) == 1:
                self.notify("Today's session needs a section: add another first.")
                return
            today.remove(t.section_id)
        else:
            today.append(t.section_id)
        self.plan(today, None)

    def action_length(self) -> None:
        from pilotbook.tui.screens.modals import Field, FormScreen

        current = self.agenda.length // 60 if self.agenda and self.agenda.length else 90

        def check(values: dict[str, Any]) -> str | None:
            text = values.get("minutes") or ""
            ok = text.isdigit() and 0 < int(text) <= 24 * 60
            return None if ok else "The session's length in minutes, for example 90"

        def done(values: dict[str, Any] | None) -> None:
            if values and self.agenda is not None:
                self.plan(list(self.agenda.today), int(values["minutes"]))

        form = FormScreen(
            "Today's session",
            [Field("minutes", "Length in minutes", value=current, required=True)],
            submit="Fit",
            check=check,
        )
        self.app.push_screen(form, done)

    def action_all(self) -> None:
        self.show_all = not self.show_all
        self.show_agenda(self.agenda)

    def action_go(self) -> None:
        t = self.highlighted()
        self.dismiss(AgendaChoice(t.section_id if t else None, self.agenda))

    def action_close(self) -> None:
        self.dismiss(AgendaChoice(None, self.agenda))
