"""Who is in the room, and the actions agreed: each on its own screen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Label, Static

from pilotbook.tui.screens.modals import Field, FormScreen, MessageScreen
from pilotbook.tui.text import cell, literal, one_line
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen


class SessionScreen(ModalScreen[None]):
    """The session under way and its attendees; start one, add people, end it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="session.close", tooltip="Back to the question"),
        Binding("n", "add", "Add attendee", id="session.add", tooltip="Record who is here"),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot
        self.session: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Workshop session", classes="title")
            yield Static("", id="session-info", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="attendees")
            with Horizontal(classes="buttons"):
                yield Button("Start session", variant="primary", id="start")
                yield Button("Add attendee (n)", id="add")
                yield Button("End session", id="end")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Role", "Team", "Uses it daily")
        table.styles.max_height = 12
        self.refill()

    def refill(self) -> None:
        ws = self.pilot.workshop
        try:
            sessions = ws.sessions(self.pilot.pilot_id)
        except Exception as e:
            self.app.push_screen(MessageScreen("Could not read the sessions", str(e)))
            return
        self.session = next((s for s in reversed(sessions) if s.ended_at is None), None)
        info = self.query_one("#session-info", Static)
        table = self.query_one(DataTable)
        table.clear()
        if self.session is None:
            info.update("No session under way. Start one to record who is in the room.")
        else:
            s = self.session
            info.update(
                literal(
                    f"{one_line(s.title or 'Session', 50)} · facilitator "
                    f"{one_line(s.facilitator or '–', 40)} · {len(s.attendees)} attendee(s)"
                )
            )
            for a in s.attendees:
                table.add_row(
                    *(cell(one_line(x or "–", 30)) for x in (a.name, a.role, a.team)),
                    "yes" if a.uses_workflow else "no",
                )
        self.query_one("#start").display = self.session is None
        self.query_one("#add").display = self.session is not None
        self.query_one("#end").display = self.session is not None

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        if self.session is None:
            return

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                self.pilot.workshop.add_attendee(
                    self.session.id,
                    values["name"],
                    role=values["role"],
                    team=values["team"],
                    uses_workflow=bool(values["uses"]),
                )
            except Exception as e:
                self.app.push_screen(MessageScreen("Not added", str(e)))
                return
            self.pilot.people.append(values["name"])
            self.refill()

        fields = [
            Field("name", "Name", required=True),
            Field("role", "Role"),
            Field("team", "Team"),
            Field("uses", "Uses the workflow day to day", "check", False),
        ]
        self.app.push_screen(FormScreen("Attendee", fields, submit="Add"), done)

    def start(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                self.pilot.workshop.start_session(
                    self.pilot.pilot_id, values["title"], values["facilitator"]
                )
                if values["facilitator"]:
                    self.pilot.by = values["facilitator"]
            except Exception as e:
                self.app.push_screen(MessageScreen("No session started", str(e)))
                return
            self.refill()

        fields = [
            Field("title", "Title", placeholder="e.g. Kick-off"),
            Field("facilitator", "Facilitator"),
        ]
        self.app.push_screen(FormScreen("Start a session", fields, submit="Start"), done)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.start()
        elif event.button.id == "add":
            self.action_add()
        elif event.button.id == "end" and self.session is not None:
            self.pilot.workshop.end_session(self.session.id)
            self.refill()
        elif event.button.id == "close":
            self.dismiss(None)


TRACKER_FORMATS = [
    ("CSV (spreadsheets)", "csv"),
    ("Jira CSV import", "jira-csv"),
    ("GitHub task list (Markdown)", "github-md"),
    ("Calendar (.ics): due dates and the next review", "ics"),
]


@dataclass
class ActionsWritten(Message):
    path: str


@dataclass
class ActionsNotWritten(Message):
    error: str


class ActionsScreen(Screen[None]):
    """Every action of the pilot: n adds one, d marks the highlighted one done,
    x writes them all to a file for a tracker."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="actions.back", tooltip="Back to the question"),
        Binding("n", "add", "New action", id="actions.new", tooltip="Add an action"),
        Binding("d", "done", "Done", id="actions.done", tooltip="Mark the action done"),
        Binding(
            "x",
            "export",
            "Export",
            id="actions.export",
            tooltip="Write the actions for a tracker: CSV, Jira, GitHub or a calendar",
        ),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · actions")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="actions")
        yield Static("No actions yet. Press n to add one.", id="no-actions", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for title, key in [
            ("Title", "title"),
            ("Owner", "owner"),
            ("Due", "due"),
            ("Status", "status"),
            ("Question", "question"),
        ]:
            table.add_column(title, key=key)
        self.refill()

    def refill(self) -> None:
        try:
            actions = self.pilot.workshop.actions(self.pilot.pilot_id)
        except Exception as e:
            self.app.push_screen(MessageScreen("Could not read the actions", str(e)))
            return
        table = self.query_one(DataTable)
        table.clear()
        for a in actions:
            table.add_row(
                cell(one_line(a.title, 50)),
                cell(one_line(a.owner or "–", 24)),
                a.due.isoformat() if a.due else "–",
                a.status,
                cell(a.question_id or "–"),
                key=a.id,
            )
        self.query_one("#no-actions").display = not actions

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        from pilotbook.tui.screens.pilot_tools import action_fields

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                self.pilot.workshop.add_action(
                    self.pilot.pilot_id, values["title"], values["owner"], values["due"]
                )
            except Exception as e:
                self.app.push_screen(MessageScreen("The action was not added", str(e)))
                return
            self.refill()

        self.app.push_screen(FormScreen("New action", action_fields(self.pilot)), done)

    def action_done(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        try:
            self.pilot.workshop.close_action(key)
        except Exception as e:
            self.app.push_screen(MessageScreen("Not changed", str(e)))
            return
        self.refill()

    def action_export(self) -> None:
        from pilotbook.tui.deliver import served

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.write_actions(values["fmt"], values["file"])

        if served(self.app):  # in a browser: a download, never a file on the server
            fmt = Field("fmt", "Format", "select", "csv", required=True, options=TRACKER_FORMATS)
            self.app.push_screen(
                FormScreen("Download the actions", [fmt], submit="Download"),
                lambda values: values and self.write_actions(values["fmt"], None),
            )
            return

        fields = [
            Field("fmt", "Format", "select", "csv", required=True, options=TRACKER_FORMATS),
            Field("file", "File", placeholder="default: <pilot>-actions.<format> here"),
        ]
        self.app.push_screen(FormScreen("Export the actions", fields, submit="Write"), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="actions-export")
    def write_actions(self, fmt: str, file: str | None) -> None:
        from pilotbook.tui.deliver import offer, served
        from pilotbook.workshop.review import write_export
        from pilotbook.workshop.tracking import export_actions

        try:
            out = export_actions(self.pilot.workshop, self.pilot.pilot_id, fmt)
            if served(self.app):
                self.app.call_from_thread(offer, self.app, out.text, out.filename)
                self.post_message(ActionsWritten(f"offered as a download: {out.filename}"))
                return
            path = Path(file).expanduser() if file else Path(out.filename)
            written = write_export(out.text, path, overwrite=False)
        except Exception as e:
            self.post_message(ActionsNotWritten(str(e) or type(e).__name__))
            return
        self.post_message(ActionsWritten(str(written)))

    def on_actions_written(self, message: ActionsWritten) -> None:
        self.notify(f"Written: {message.path}", title="Actions exported", markup=False)

    def on_actions_not_written(self, message: ActionsNotWritten) -> None:
        self.app.push_screen(MessageScreen("The actions were not written", message.error))
