"""Who is in the room, and the actions agreed: each on its own screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from pilotbook.errors import Stale
from pilotbook.tui.screens.modals import ConfirmScreen, Field, FormScreen, MessageScreen, rebased
from pilotbook.tui.service import ServiceCalls, error_text
from pilotbook.tui.text import cell, literal, one_line
from pilotbook.tui.widgets.columns import Column, fit

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.workshop.views import AttendeeInfo, SessionInfo

HEADINGS = {"name": "Name", "role": "Role", "team": "Team", "daily": "Uses it daily"}


@dataclass
class SessionChanges:
    """What the pilot screen takes from the session screen when it closes."""

    facilitator: str | None = None  # who now runs the workshop (named in the history)
    people: list[str] = field(default_factory=list)  # attendees added


class SessionScreen(ServiceCalls, ModalScreen[SessionChanges]):
    """The session under way and its attendees; start one, add people, end it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="session.close", tooltip="Back to the question"),
        Binding("s", "start", "Start", id="session.start", tooltip="Start a session"),
        Binding("n", "add", "Add attendee", id="session.add", tooltip="Record who is here"),
        Binding("e", "edit", "Edit", id="session.edit", tooltip="Correct the attendee's details"),
        Binding(
            "delete,d", "remove", "Remove", id="session.remove", tooltip="Take them off the list"
        ),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot
        self.session: SessionInfo | None = None
        self.changes = SessionChanges()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Workshop session", classes="title")
            yield Static("Reading the sessions…", id="session-info", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="attendees")
            with Horizontal(classes="buttons"):
                yield Button("Start session (s)", variant="primary", id="start")
                yield Button("Add attendee (n)", variant="primary", id="add")
                yield Button("End session", id="end")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.styles.max_height = 12
        for b in ("#start", "#add", "#end"):
            self.query_one(b).display = False
        self.refill()

    def refill(self) -> None:
        pid = self.pilot.pilot_id
        self.call(
            lambda ws: ws.records.sessions(pid),
            self.show,
            failure="Could not read the sessions",
            hold=True,
        )

    def show(self, sessions: list[SessionInfo]) -> None:
        self.session = next((s for s in reversed(sessions) if s.ended_at is None), None)
        info = self.query_one("#session-info", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        attendees = self.session.attendees if self.session else []
        widths = self.columns(attendees)
        for key, width in widths.items():
            table.add_column(HEADINGS[key], key=key, width=width)
        if self.session is None:
            info.update("No session under way. Start one (s) to record who is in the room.")
        else:
            s = self.session
            info.update(
                literal(
                    f"{one_line(s.title or 'Session', 50)} · facilitator "
                    f"{one_line(s.facilitator or '–', 40)} · {len(s.attendees)} attendee(s)"
                )
            )
            for a in s.attendees:
                values = {
                    "name": cell(one_line(a.name or "–", widths["name"])),
                    "role": cell(one_line(a.role or "–", widths.get("role", 0))),
                    "team": cell(one_line(a.team or "–", widths.get("team", 0))),
                    "daily": "yes" if a.uses_workflow else "no",
                }
                table.add_row(*(values[k] for k in widths), key=a.id)
        self.query_one("#start").display = self.session is None
        self.query_one("#add").display = self.session is not None
        self.query_one("#end").display = self.session is not None
        self.query_one("#start" if self.session is None else "#add", Button).focus()

    def columns(self, attendees: Sequence[AttendeeInfo]) -> dict[str, int]:
        """The name and whether they use it daily whole; the team gives way first, then the role."""

        def longest(values: list[str | None], cap: int) -> int:
            return min(max([4, *(len(one_line(v or "–")) for v in values)]), cap)

        table = self.query_one(DataTable)
        return fit(
            [
                Column("name", longest([a.name for a in attendees], 30)),
                Column("role", longest([a.role for a in attendees], 30), least=8, gives_way=2),
                Column("team", longest([a.team for a in attendees], 30), least=8, gives_way=1),
                Column("daily", len(HEADINGS["daily"])),
            ],
            (table.size.width or self.size.width - 8) - 2,  # the table's scrollbar
        )

    def action_close(self) -> None:
        self.dismiss(self.changes)

    def highlighted(self) -> AttendeeInfo | None:
        table = self.query_one(DataTable)
        if self.session is None or not self.session.attendees or not table.row_count:
            return None
        return self.session.attendees[min(table.cursor_row, len(self.session.attendees) - 1)]

    @on(DataTable.RowSelected, "#attendees")
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        a = self.highlighted()
        if a is None:
            self.notify("No attendee to edit: n adds one.")
            return
        self.edit(a, FormScreen("Attendee", self.fields(a), submit="Save"))

    def edit(self, seen: AttendeeInfo, form: FormScreen) -> None:
        """The form's values go to the attendee as `seen`: changed elsewhere since,
        nothing is saved and the form comes back with the typing over what is there."""

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            typed = {k: values[k] for k in ("name", "role", "team")}
            typed["uses_workflow"] = bool(values["uses"])

            def edited(_: object) -> None:
                self.changes.people.append(typed["name"])
                self.refill()

            def failed(error: Exception) -> None:
                if not isinstance(error, Stale):
                    self.report("Not changed", error)
                    return
                self.refill()
                now: AttendeeInfo | None = error.current
                if now is None:
                    body = f"{error_text(error)}.\n\nWhat you typed: {typed['name']}"
                    self.app.push_screen(MessageScreen("Removed elsewhere", body))
                    return
                theirs = ", ".join(x for x in (now.name, now.role, now.team) if x)
                note = (
                    f"Changed elsewhere: it now reads {theirs}. Nothing was saved. Below: "
                    "your changes over it as it is now; Save applies them."
                )
                mine = replace(now, **rebased(seen, typed, now))
                again = FormScreen("Changed elsewhere: attendee", self.fields(mine), note=note)
                self.edit(now, again)

            self.call(
                lambda ws: ws.records.update_attendee(seen.id, expected=seen, **typed),
                edited,
                failure="Not changed",
                hold=True,
                on_error=failed,
                report=False,
            )

        self.app.push_screen(form, done)

    def action_remove(self) -> None:
        a = self.highlighted()
        if a is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.call(
                    lambda ws: ws.records.remove_attendee(a.id, expected=a),
                    lambda _: self.refill(),
                    failure="Not removed",
                    hold=True,
                    # changed elsewhere: the toast says so, the list shows it now
                    on_error=lambda e: self.refill() if isinstance(e, Stale) else None,
                )

        question = f"Take {one_line(a.name, 40)} off this session's list?"
        self.app.push_screen(ConfirmScreen(question, yes="Remove"), done)

    def fields(self, a: AttendeeInfo | None = None) -> list[Field]:
        return [
            Field(
                "name",
                "Name",
                value=a.name if a else None,
                required=True,
                suggestions=self.pilot.people,
            ),
            Field("role", "Role", value=a.role if a else None),
            Field("team", "Team", value=a.team if a else None),
            Field("uses", "Uses the workflow day to day", "check", a.uses_workflow if a else False),
        ]

    def action_add(self) -> None:
        if self.session is None:
            return
        session_id = self.session.id

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return

            def added(_: object) -> None:
                self.changes.people.append(values["name"])
                self.refill()

            self.call(
                lambda ws: ws.records.add_attendee(
                    session_id,
                    values["name"],
                    role=values["role"],
                    team=values["team"],
                    uses_workflow=bool(values["uses"]),
                ),
                added,
                failure="Not added",
                hold=True,
            )

        self.app.push_screen(FormScreen("Attendee", self.fields(), submit="Add"), done)

    def action_start(self) -> None:
        if self.session is not None:
            return

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            pid = self.pilot.pilot_id

            def started(_: object) -> None:
                if values["facilitator"]:
                    self.changes.facilitator = values["facilitator"]
                self.refill()

            self.call(
                lambda ws: ws.records.start_session(pid, values["title"], values["facilitator"]),
                started,
                failure="No session started",
                hold=True,
            )

        fields = [
            Field("title", "Title", placeholder="e.g. Kick-off"),
            # The facilitator named when the pilot was made runs this session, unless told.
            Field("facilitator", "Facilitator", value=self.pilot.by, suggestions=self.pilot.people),
        ]
        self.app.push_screen(FormScreen("Start a session", fields, submit="Start"), done)

    def end(self, session_id: str) -> None:
        self.call(
            lambda ws: ws.records.end_session(session_id),
            lambda _: self.refill(),
            failure="The session was not ended",
            hold=True,
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "add":
            self.action_add()
        elif event.button.id == "end" and self.session is not None:
            self.end(self.session.id)
        elif event.button.id == "close":
            self.action_close()


# The actions list lives in its own module; it was here first.
from pilotbook.tui.screens.actions import ActionsScreen  # noqa: E402

__all__ = ["ActionsScreen", "SessionScreen"]
