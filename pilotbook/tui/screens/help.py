"""F1: every key that works on the screen underneath, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from pilotbook.tui.text import cell

KeyRow = tuple[str, str, str]

LEGEND = (
    "Sections: ✖ a high risk · ▲ a medium risk · ○ answers still open · ✓ no risk left; "
    "3/5 = required questions answered of those the section has.\n"
    "Timer (F12): Space starts or pauses a section, + adds five minutes, r resets; "
    "it counts only while started, and is kept when you leave.\n"
    "Ctrl+P opens the command palette: type words of a question to jump to it."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close", id="help.close", tooltip="Back to where you were")
    ]

    def __init__(self, keys: list[KeyRow]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Keys", classes="title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="keys")
            yield Static(LEGEND, classes="muted", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Details")
        for key, description, tooltip in self.keys:
            table.add_row(cell(key), cell(description), cell(tooltip))
        table.styles.max_height = 12

    def action_close(self) -> None:
        self.dismiss(None)
