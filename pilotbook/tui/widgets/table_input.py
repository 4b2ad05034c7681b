"""Table answers: rows edited in a small form with one typed field per column."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from pilotbook.playbook import kinds
from pilotbook.playbook.model import Column, Question
from pilotbook.tui.text import cell, editable, literal, one_line, restore
from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.columns import Column as Fit
from pilotbook.tui.widgets.columns import fit


def show_cell(question: Question, column: Column, value: Any) -> str:
    return one_line(kinds.display(kinds.cell(question, column), value), 40)


class RowForm(ModalScreen[dict[str, Any] | None]):
    """Add or edit one row; dismisses with the row, or None when cancelled."""

    DEFAULT_CSS = """
    RowForm { align: center middle; }
    RowForm > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    RowForm .title { dock: top; }
    RowForm .row-foot { dock: bottom; height: auto; }
    RowForm VerticalScroll { height: auto; max-height: 100%; }
    RowForm .row-error { color: $error; height: auto; }
    RowForm Horizontal { height: auto; align: right middle; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="row.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save row", id="row.save", tooltip="Keep this row"),
    ]

    AUTO_FOCUS = "Input, Select"

    def __init__(self, question: Question, row: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.question = question
        self.row = row or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(("Edit" if self.row else "Add") + " a row"), classes="title")
            with VerticalScroll():
                for column in self.question.columns:
                    yield Label(literal(column.title + (" *" if column.required else "")))
                    yield self.field_for(column)
            # docked below the fields, so Save and Cancel show however many columns
            with Vertical(classes="row-foot"):
                yield Static("", classes="row-error", markup=False)
                with Horizontal():
                    yield Button("Save", variant="primary", id="save")
                    yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Focusing the first field scrolls it into view, past its own label: show the top.
        self.call_after_refresh(self.query_one(VerticalScroll).scroll_home, animate=False)

    def field_for(self, column: Column) -> Input | Select[str]:
        value = self.row.get(column.id)
        fid = f"col-{column.id}"
        if column.type == "choice":
            opts = [(literal(o.label), o.id) for o in column.options]
            return Select(opts, value=value if value is not None else Select.NULL, id=fid)
        if column.type == "yesno":
            v = Select.NULL if value is None else value
            return Select([("yes", True), ("no", False)], value=v, id=fid)
        text = editable(kinds.edit_text(kinds.cell(self.question, column), value))
        placeholder = "YYYY-MM-DD" if column.type == "date" else ""
        return Input(text, placeholder=placeholder, id=fid)

    def read(self) -> dict[str, Any]:
        """The row as the question's kinds read it; ValueError names the column."""
        typed: dict[str, Any] = {}
        for column in self.question.columns:
            field = self.query_one(f"#col-{column.id}")
            raw = field.value  # type: ignore[attr-defined]  # Input or Select: both have a value
            if raw is Select.NULL:
                raw = None
            typed[column.id] = restore(raw) if isinstance(raw, str) else raw
        return kinds.parse_row(self.question, typed)

    def action_save(self) -> None:
        try:
            row = self.read()
        except ValueError as e:
            self.query_one(".row-error", Static).update(literal(str(e)))
            return
        self.dismiss(row)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


class RowsTable(DataTable[Any]):
    BINDINGS = [
        Binding("a", "add_row", "Add row", id="table.add", tooltip="Add a row to this table"),
        Binding("e,enter", "edit_row", "Edit row", id="table.edit", tooltip="Edit this row"),
        Binding("d,delete", "delete_row", "Delete row", id="table.delete", tooltip="Delete it"),
    ]

    def _owner(self) -> TableInput:
        owner = self.parent
        assert isinstance(owner, TableInput)
        return owner

    def action_add_row(self) -> None:
        self._owner().edit(None)

    def action_edit_row(self) -> None:
        if self.row_count:
            self._owner().edit(self.cursor_row)

    def action_delete_row(self) -> None:
        if self.row_count:
            self._owner().delete(self.cursor_row)


class TableInput(AnswerInput):
    """A table: a add, e/Enter edit, d delete; sent after every change."""

    DEFAULT_CSS = "TableInput DataTable { height: auto; max-height: 12; }"

    def __init__(self, question: Question, value: Any = None, **kw: Any) -> None:
        super().__init__(question, value, **kw)
        self.rows: list[dict[str, Any]] = [dict(r) for r in value or [] if isinstance(r, dict)]

    def compose_input(self) -> ComposeResult:
        yield RowsTable(id="field", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.refill()

    def on_resize(self) -> None:
        if self.rows:
            self.refill()

    def widths(self) -> dict[str, int | None]:
        """Each shown column's width (None: as wide as it needs).

        At 80 columns a table of eight columns scrolled sideways and hid its
        kill threshold. The numbers, dates, choices and required cells stay
        whole; a column nobody filled goes first, then the optional free
        texts, right to left (the row's form, e, shows every column).
        """
        q = self.question
        if not self.rows or not self.size.width:
            return {c.id: None for c in q.columns}
        texts = [c for c in q.columns if c.type == "text" and not c.required]
        specs: list[Fit] = []
        for c in q.columns:
            values = [show_cell(q, c, r.get(c.id)) for r in self.rows]
            want = max([len(c.title), *(len(v) for v in values)])
            if not any(r.get(c.id) not in (None, "", []) for r in self.rows):
                specs.append(Fit(c.id, want, least=want, gives_way=1))
            elif c in texts:
                order = 2 + len(texts) - 1 - texts.index(c)
                specs.append(Fit(c.id, want, least=min(want, 8), gives_way=order))
            else:
                specs.append(Fit(c.id, want))
        kept = fit(specs, self.size.width - 2)  # the table's scrollbar
        return {c.id: kept[c.id] for c in q.columns if c.id in kept}

    def hint(self) -> str | None:
        return "a add a row · e edit · d delete"

    def refill(self) -> None:
        table = self.query_one("#field", RowsTable)
        row_at = table.cursor_row
        table.clear(columns=True)
        q, widths = self.question, self.widths()
        shown = [c for c in q.columns if c.id in widths]
        for column in shown:
            table.add_column(cell(column.title), key=column.id, width=widths[column.id])
        for row in self.rows:
            table.add_row(
                *(cell(one_line(show_cell(q, c, row.get(c.id)), widths[c.id] or 0)) for c in shown)
            )
        if self.rows:
            table.move_cursor(row=min(row_at, len(self.rows) - 1), animate=False)

    def focus_input(self) -> None:
        self.query_one("#field", RowsTable).focus()

    def edit(self, index: int | None) -> None:
        current = None if index is None else self.rows[index]

        def done(row: dict[str, Any] | None) -> None:
            if row is None:
                return
            if index is None:
                self.rows.append(row)
            else:
                self.rows[index] = row
            self.refill()
            self.commit()

        self.app.push_screen(RowForm(self.question, current), done)

    def delete(self, index: int) -> None:
        del self.rows[index]
        self.refill()
        self.commit()

    def read(self) -> Any:
        return [dict(r) for r in self.rows] or None
