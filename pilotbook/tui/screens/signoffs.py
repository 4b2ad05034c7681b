"""The sign-offs of a pilot: correct a name, role or scope, or withdraw one.

Reached from the review (O). Every change is kept in the pilot's history.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from pilotbook.errors import Stale
from pilotbook.tui.screens.modals import ConfirmScreen, Field, FormScreen, MessageScreen, rebased
from pilotbook.tui.service import ServiceCalls, error_text
from pilotbook.tui.text import cell, one_line

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.workshop.views import SignoffInfo

SCOPES = [("Brief and charter", "all"), ("Brief", "brief"), ("Charter", "charter")]


class SignoffsScreen(ServiceCalls, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="signoffs.close", tooltip="Back to the review"),
        Binding("e,enter", "edit", "Edit", id="signoffs.edit", tooltip="Correct the sign-off"),
        Binding("delete,d", "delete", "Withdraw", id="signoffs.delete", tooltip="Withdraw it"),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot
        self.rows: list[SignoffInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Sign-offs · e edit · d withdraw · Esc close", classes="title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="signoff-rows")
            yield Static("Reading the sign-offs…", id="no-signoffs", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Role", "For", "Signed")
        table.styles.max_height = 12
        self.refill()

    def refill(self, row: int | None = None) -> None:
        pid = self.pilot.pilot_id
        keep = self.query_one(DataTable).cursor_row if row is None else row
        self.call(
            lambda ws: ws.records.signoffs(pid),
            lambda rows: self.show(rows, keep),
            failure="Could not read the sign-offs",
            hold=True,
        )

    def show(self, rows: list[SignoffInfo], keep: int) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for s in rows:
            table.add_row(
                cell(one_line(s.name, 30)),
                cell(one_line(s.role or "–", 30)),
                s.scope or "all",
                s.at.astimezone().strftime("%Y-%m-%d"),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1), animate=False)
        empty = self.query_one("#no-signoffs", Static)
        empty.update("No sign-off yet: o on the review adds one.")
        empty.display = not rows

    def highlighted(self) -> SignoffInfo | None:
        table = self.query_one(DataTable)
        return self.rows[min(table.cursor_row, len(self.rows) - 1)] if self.rows else None

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        s = self.highlighted()
        if s is not None:
            self.edit(s, FormScreen("Correct the sign-off", self.fields(s)))

    def fields(self, s: SignoffInfo) -> list[Field]:
        return [
            Field("name", "Name", value=s.name, required=True, suggestions=self.pilot.people),
            Field("role", "Role", value=s.role),
            Field("scope", "Signs for", "select", s.scope or "all", True, SCOPES),
        ]

    def edit(self, seen: SignoffInfo, form: FormScreen) -> None:
        """The form's values go to the sign-off as `seen`: changed since, nothing is
        saved and the form comes back with the typing over what is there now."""
        by = self.pilot.by

        def done(v: dict[str, Any] | None) -> None:
            if v is None:
                return

            def failed(error: Exception) -> None:
                if not isinstance(error, Stale):
                    self.report("The sign-off was not changed", error)
                    return
                self.refill()
                now: SignoffInfo | None = error.current
                if now is None:
                    typed = ", ".join(str(x) for x in v.values() if x)
                    body = f"{error_text(error)}.\n\nWhat you typed: {typed}"
                    self.app.push_screen(MessageScreen("Withdrawn elsewhere", body))
                    return
                theirs = ", ".join(x for x in (now.name, now.role, now.scope or "all") if x)
                note = (
                    f"Changed elsewhere: it now reads {theirs}. Nothing was saved. Below: "
                    "your changes over it as it is now; Save applies them."
                )
                mine = replace(now, **rebased(seen, v, now))
                title = "Changed elsewhere: correct the sign-off"
                self.edit(now, FormScreen(title, self.fields(mine), note=note))

            self.call(
                lambda ws: ws.records.update_signoff(seen.id, by=by, expected=seen, **v),
                lambda _: self.refill(),
                failure="The sign-off was not changed",
                hold=True,
                on_error=failed,
                report=False,
            )

        self.app.push_screen(form, done)

    def action_delete(self) -> None:
        s = self.highlighted()
        if s is None:
            return
        by = self.pilot.by

        def done(yes: bool | None) -> None:
            if yes:
                self.call(
                    lambda ws: ws.records.delete_signoff(s.id, by=by, expected=s),
                    lambda _: self.refill(),
                    failure="The sign-off was not withdrawn",
                    hold=True,
                    # changed elsewhere: the toast says so, the list shows it now
                    on_error=lambda e: self.refill() if isinstance(e, Stale) else None,
                )

        question = f"Withdraw the sign-off of {one_line(s.name, 40)}? The history keeps it."
        self.app.push_screen(ConfirmScreen(question, yes="Withdraw"), done)
