"""The actions agreed in the room: add, edit, mark done (and undo it), delete, export.

The cursor stays on the row it was on after every change (or the next one
when its row is gone), so a second `d` never closes an action nobody looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pilotbook.errors import Stale
from pilotbook.tui.screens.modals import ConfirmScreen, Field, FormScreen, rebased
from pilotbook.tui.service import ServiceCalls, error_text
from pilotbook.tui.text import cell, one_line
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.views import ActionInfo

STATUSES = [("Open", "open"), ("Done", "done"), ("Dropped", "dropped")]
STATUS_MARK = {"open": "☐ open", "done": "✓ done", "dropped": "✗ dropped"}


def action_fields(screen: PilotScreen, action: ActionInfo | None = None) -> list[Field]:
    fields = [
        Field("title", "What needs doing", value=action and action.title, required=True),
        Field("owner", "Owner", value=action and action.owner, suggestions=screen.people),
        Field("due", "Due", "date", action.due.isoformat() if action and action.due else None),
    ]
    if action is not None:
        fields.append(Field("status", "Status", "select", action.status, True, STATUSES))
    return fields


def what_changed(seen: ActionInfo, now: ActionInfo) -> str:
    """Each field that differs, as "owner is now Ann (was Dana)"."""

    def shown(value: object) -> str:
        if value is None:
            return "empty"
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return "“" + one_line(text, 60) + "”"

    names = {"title": "title", "owner": "owner", "due": "due", "status": "status"}
    names["question_id"] = "question"
    parts = [
        f"{name} is now {shown(getattr(now, k))} (was {shown(getattr(seen, k))})"
        for k, name in names.items()
        if getattr(now, k) != getattr(seen, k)
    ]
    return "; ".join(parts) or "saved again"


class ActionsScreen(ServiceCalls, Screen[None]):
    """Every action of the pilot, in the order they were agreed."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="actions.back", tooltip="Back to the question"),
        Binding("n", "add", "New", id="actions.new", tooltip="Add an action"),
        Binding("e,enter", "edit", "Edit", id="actions.edit", tooltip="Change title, owner, due"),
        Binding("d", "done", "Done/undo", id="actions.done", tooltip="Mark done, or open again"),
        Binding("delete", "delete", "Delete", id="actions.delete", tooltip="Delete the action"),
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
        self.rows: list[ActionInfo] = []

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · actions")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="actions")
        yield Static("Reading the actions…", id="no-actions", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self.refill()

    def on_resize(self) -> None:
        if self.rows:
            self.show(self.rows, None, self.query_one(DataTable).cursor_row)

    def columns(self, actions: list[ActionInfo], asks: dict[str, str]) -> dict[str, int]:
        """Status, owner and due date whole; the question gives way first, then the title."""
        from pilotbook.tui.widgets.columns import Column, fit

        def longest(values: list[str], floor: int, cap: int) -> int:
            return min(max([floor, *(len(v) for v in values)]), cap)

        titles = [one_line(a.title) for a in actions]
        owners = [one_line(a.owner or "–") for a in actions]
        questions = [one_line(asks.get(a.question_id or "", "–")) for a in actions]
        return fit(
            [
                Column("status", 8),
                Column("title", longest(titles, 5, 80), least=12, gives_way=2),
                Column("owner", longest(owners, 5, 24)),
                Column("due", 10),
                Column("question", longest(questions, 8, 40), least=10, gives_way=1),
            ],
            self.size.width - 2,  # the table's scrollbar
        )

    def refill(self, keep: str | None = None) -> None:
        """Read the actions again; the cursor goes back to `keep` (an action id) or its row."""
        pid = self.pilot.pilot_id
        row = self.query_one(DataTable).cursor_row
        self.call(
            lambda ws: ws.records.actions(pid),
            lambda actions: self.show(actions, keep, row),
            failure="Could not read the actions",
            hold=True,
        )

    def show(self, actions: list[ActionInfo], keep: str | None, row: int) -> None:
        self.rows = actions
        table = self.query_one(DataTable)
        table.clear(columns=True)
        asks = self._asks()
        widths = self.columns(actions, asks)
        titles = {"status": "Status", "title": "Title", "owner": "Owner", "due": "Due"}
        titles["question"] = "Question"
        for key, width in widths.items():
            table.add_column(titles[key], key=key, width=width)
        for a in actions:
            values = {
                "status": STATUS_MARK.get(a.status, a.status),
                "title": cell(one_line(a.title, widths.get("title", 0))),
                "owner": cell(one_line(a.owner or "–")),
                "due": a.due.isoformat() if a.due else "–",
                "question": cell(
                    one_line(asks.get(a.question_id or "", "–"), widths.get("question", 0))
                ),
            }
            table.add_row(*(values[k] for k in widths), key=a.id)
        ids = [a.id for a in actions]
        if keep in ids:
            row = ids.index(keep)
        if actions:
            table.move_cursor(row=min(max(row, 0), len(actions) - 1), animate=False)
        empty = self.query_one("#no-actions", Static)
        empty.update("No actions yet. Press n to add one.")
        empty.display = not actions

    def _asks(self) -> dict[str, str]:
        book = self.pilot.playbook
        return {q.id: q.ask for q in book.questions()} if book is not None else {}

    def highlighted(self) -> ActionInfo | None:
        table = self.query_one(DataTable)
        if not table.row_count or not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def change(
        self,
        job: Callable[[Workshop], object],
        keep: str | None,
        failure: str,
        note: str = "",
        seen: ActionInfo | None = None,
    ) -> None:
        """Run a change of `seen`; refused as stale (changed elsewhere), the toast says
        what changed and the list shows what is there now."""

        def done(_: object) -> None:
            if note:
                self.notify(note, markup=False)
            self.refill(keep)

        def failed(error: Exception) -> None:
            if not isinstance(error, Stale):
                self.report(failure, error)
                return
            now = error.current
            said = error_text(error)
            if seen is not None and now is not None:
                said += f" · {what_changed(seen, now)}"
            self.notify(said, title=failure, severity="error", markup=False)
            self.refill(keep)

        self.call(job, done, failure=failure, hold=True, on_error=failed, report=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        pid, by = self.pilot.pilot_id, self.pilot.by

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return

            def added(action: ActionInfo) -> None:
                self.refill(action.id)

            self.call(
                lambda ws: ws.records.add_action(
                    pid, values["title"], values["owner"], values["due"], by=by
                ),
                added,
                failure="The action was not added",
                hold=True,
            )

        self.app.push_screen(FormScreen("New action", action_fields(self.pilot)), done)

    def action_edit(self) -> None:
        action = self.highlighted()
        if action is not None:
            self.edit(action, FormScreen("Edit the action", action_fields(self.pilot, action)))

    def edit(self, seen: ActionInfo, form: FormScreen) -> None:
        """The form's values go to the action as `seen`: changed since, nothing is saved."""
        by = self.pilot.by

        def done(v: dict[str, Any] | None) -> None:
            if v is None:
                return
            fields = {k: v[k] for k in ("title", "owner", "due", "status")}

            def failed(error: Exception) -> None:
                if isinstance(error, Stale):
                    self.changed_elsewhere(seen, fields, error.current)
                else:
                    self.report("Not changed", error)

            self.call(
                lambda ws: ws.records.update_action(seen.id, by=by, expected=seen, **fields),
                lambda _: self.refill(seen.id),
                failure="Not changed",
                hold=True,
                on_error=failed,
                report=False,
            )

        self.app.push_screen(form, done)

    def changed_elsewhere(
        self, seen: ActionInfo, typed: dict[str, Any], now: ActionInfo | None
    ) -> None:
        """Someone changed or deleted the action while it was being edited: theirs stands,
        and what was typed comes back to be applied to the action as it is now."""
        self.refill(seen.id)
        if now is None:
            self.add_again(seen, typed)
            return
        mine = replace(now, **rebased(seen, typed, now))
        note = (
            f"Changed elsewhere: {what_changed(seen, now)}. Nothing was saved. "
            "Below: your changes over the action as it is now; Save applies them."
        )
        form = FormScreen(
            "Changed elsewhere: edit the action", action_fields(self.pilot, mine), note=note
        )
        self.edit(now, form)

    def add_again(self, seen: ActionInfo, typed: dict[str, Any]) -> None:
        pid, by = self.pilot.pilot_id, self.pilot.by
        owner, due = typed.get("owner"), typed.get("due")
        yours = "“" + one_line(typed["title"], 200) + "”"
        yours += f", owner {one_line(owner, 60)}" if owner else ""
        yours += f", due {due.isoformat()}" if due else ""

        def done(yes: bool | None) -> None:
            if yes:
                self.change(
                    lambda ws: ws.records.add_action(
                        pid, typed["title"], owner, due, question_id=seen.question_id, by=by
                    ),
                    None,
                    "The action was not added",
                )

        question = (
            f"The action “{one_line(seen.title, 60)}” was deleted elsewhere; nothing was "
            f"saved. Add yours as a new action? {yours}"
        )
        self.app.push_screen(ConfirmScreen(question, yes="Add it", no="Drop mine"), done)

    def action_done(self) -> None:
        action = self.highlighted()
        if action is None:
            return
        by = self.pilot.by
        status = "open" if action.status == "done" else "done"
        note = "Open again: " if status == "open" else "Done: "
        self.change(
            lambda ws: ws.records.update_action(action.id, by=by, expected=action, status=status),
            action.id,
            "Not changed",
            note + one_line(action.title, 60),
            seen=action,
        )

    def action_delete(self) -> None:
        action = self.highlighted()
        if action is None:
            return
        by = self.pilot.by
        row = self.query_one(DataTable).cursor_row

        def done(yes: bool | None) -> None:
            if yes:
                # The next action takes the deleted one's row.
                after = self.rows[row + 1].id if row + 1 < len(self.rows) else None
                self.change(
                    lambda ws: ws.records.delete_action(action.id, by=by, expected=action),
                    after,
                    "Not deleted",
                    seen=action,
                )

        question = f"Delete the action “{one_line(action.title, 60)}”? The history keeps it."
        self.app.push_screen(ConfirmScreen(question, yes="Delete"), done)

    def action_export(self) -> None:
        from pilotbook.tui.screens.actions_export import ask_and_write

        ask_and_write(self)
