"""F12: the workshop's agenda, and the timer the facilitator drives.

Every section with its timebox, the time spent and left, and what runs now.
Space starts or pauses the highlighted section, + gives it five more minutes,
r resets it, Enter goes to it. The state is kept in the store
(`workshop/timer.py`), so reopening the app resumes the count.
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
    return "⏸ paused" if t.spent(now) else "· not started"


@dataclass
class AgendaChoice:
    """The section to go to (if any), and the agenda as the timers left it."""

    section_id: str | None
    agenda: Agenda | None


class AgendaScreen(ServiceCalls, ModalScreen[AgendaChoice]):
    BINDINGS = [
        Binding("escape,f12", "close", "Close", id="agenda.close", tooltip="Back to the question"),
        Binding(
            "space,s",
            "move('toggle')",
            "Start/pause",
            id="agenda.toggle",
            tooltip="Start the highlighted section's timer, or pause it",
        ),
        Binding(
            "plus,+",
            "move('extend')",
            "+5 min",
            id="agenda.extend",
            tooltip="Give the section five more minutes",
        ),
        Binding(
            "r",
            "move('reset')",
            "Reset",
            id="agenda.reset",
            tooltip="Back to the playbook's timebox, nothing spent",
        ),
        Binding("enter", "go", "Go to", id="agenda.go", tooltip="Go to the section"),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot
        self.agenda: Agenda | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Agenda and timer", classes="title")
            yield Static("", id="agenda-total", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="agenda")
            yield Static(
                "Space start/pause · + five more minutes · r reset · Enter go to · Esc close",
                classes="muted",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Section", "Box", "Spent", "Left", "Timer")
        table.styles.max_height = 14
        self.set_interval(1.0, self.show)
        self.show_agenda(self.pilot.agenda)

    def show_agenda(self, agenda: Agenda | None) -> None:
        self.agenda = agenda
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        if agenda is None:
            return
        here = self.pilot.section_id()
        for t in agenda.sections:
            table.add_row(cell(one_line(t.title, 30)), "", "", "", "", key=t.section_id)
        if not table.row_count:
            return
        if row <= 0:
            row = next((i for i, t in enumerate(agenda.sections) if t.section_id == here), 0)
        table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        self.show()

    def show(self) -> None:
        if self.agenda is None:
            return
        now = self.pb.now()
        table = self.query_one(DataTable)
        for t in self.agenda.sections:
            box = clock_text(t.timebox) if t.timebox is not None else "–"
            values = [box, clock_text(t.spent(now)), clock_text(t.left(now)), timer_state(t, now)]
            for column, value in zip(table.ordered_columns[1:], values, strict=True):
                table.update_cell(t.section_id, column.key, value)
        a = self.agenda
        self.query_one("#agenda-total", Static).update(
            f"Whole workshop: {clock_text(a.total())} planned · {clock_text(a.spent(now))} spent"
            f" · {clock_text(a.left(now))} left"
        )

    def highlighted(self) -> SectionTimer | None:
        if self.agenda is None or not self.agenda.sections:
            return None
        return self.agenda.sections[self.query_one(DataTable).cursor_row]

    def action_move(self, move: str) -> None:
        t = self.highlighted()
        if t is None:
            return
        if move == "toggle":
            move = "pause" if t.running else "start"
        from pilotbook.workshop.timer import agenda, move_timer

        pid, by = self.pilot.pilot_id, self.pilot.by

        def job(ws: Workshop) -> Agenda:
            move_timer(ws, pid, t.section_id, move, by=by)
            return agenda(ws, pid)

        self.call(job, self.show_agenda, failure="The timer did not change", hold=True)

    def action_go(self) -> None:
        t = self.highlighted()
        self.dismiss(AgendaChoice(t.section_id if t else None, self.agenda))

    def action_close(self) -> None:
        self.dismiss(AgendaChoice(None, self.agenda))
