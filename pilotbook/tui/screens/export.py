"""The export screen: pick a document and a format, see it, write it to a file.

The preview is the Markdown source the file holds (for HTML and PDF, the
Markdown they are made from), in a read-only text area: rendering a long
brief with Textual's Markdown widget took seconds on the UI thread. The
document is built in a thread worker; the text area only lays out the lines
on screen. Control characters are made visible, nothing else is changed.

The folder offered is the one this pilot's last export went to, else the
user's documents folder: never the folder the app was started in unasked.
Writing an existing file asks first; a folder that cannot take the file is
an error the facilitator reads in a modal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from pilotbook.tui import settings
from pilotbook.tui.deliver import offer, served
from pilotbook.tui.screens.modals import ConfirmScreen, MessageScreen
from pilotbook.tui.text import clean, literal
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

DOCS = [("Go/no-go brief", "brief"), ("Ownership charter", "charter")]
FORMATS = [
    ("Markdown (.md)", "md"),
    ("HTML, one file (.html)", "html"),
    ("PDF (.pdf)", "pdf"),
]


@dataclass
class Rendered(Message):
    kind: str
    fmt: str
    filename: str
    markdown: str  # what the preview shows
    text: str | bytes  # what the file gets


@dataclass
class RenderFailed(Message):
    error: str


@dataclass
class Written(Message):
    path: Path


@dataclass
class WriteExists(Message):
    path: Path


@dataclass
class WriteFailed(Message):
    error: str


class ExportScreen(Screen[None]):
    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="export.back", tooltip="Back without writing"),
        Binding("ctrl+s", "write", "Write", id="export.write", tooltip="Write the file"),
    ]

    def __init__(self, workshop: Any, pilot_id: str, folder: Path | None = None) -> None:
        super().__init__()
        self.workshop = workshop
        self.pilot_id = pilot_id
        self.folder = folder
        self.rendered: Rendered | None = None
        self.suggested = ""

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · export")
        with Horizontal(id="export"):
            with Vertical(id="export-form"):
                yield Label("Document")
                yield Select(DOCS, value="brief", allow_blank=False, id="doc")
                yield Label("Format")
                yield Select(FORMATS, value="md", allow_blank=False, id="fmt")
                web = served(self.app)  # the browser gets the file: no server folder
                yield Label("Folder", id="folder-label").set_class(web, "-hidden")
                folder = self.folder or settings.export_folder(self.pilot_id)
                yield Input(str(folder), id="folder").set_class(web, "-hidden")
                yield Label("File name")
                yield Input("", id="filename")
                text = "Download (Ctrl+S)" if web else "Write (Ctrl+S)"
                yield Button(text, variant="primary", id="write")
                yield Static("", id="export-state", markup=False)
            yield TextArea(
                "Rendering…",
                read_only=True,
                soft_wrap=True,
                show_line_numbers=False,
                id="preview-text",
            )
        yield QuietFooter()

    def on_mount(self) -> None:
        self.render_doc()

    def choice(self) -> tuple[str, str]:
        return str(self.query_one("#doc", Select).value), str(self.query_one("#fmt", Select).value)

    @on(Select.Changed)
    def _changed(self) -> None:
        if self.is_mounted:
            self.render_doc()

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-render")
    def render_doc(self) -> None:
        from pilotbook.workshop.review import export_document

        kind, fmt = self.choice()
        try:
            md = export_document(self.workshop, self.pilot_id, kind, "md", today=self._today())
            out = md
            if fmt != "md":
                out = export_document(self.workshop, self.pilot_id, kind, fmt, today=self._today())
        except Exception as e:
            self.post_message(RenderFailed(str(e)))
            return
        self.post_message(Rendered(kind, fmt, out.filename, md.text, out.text))

    def _today(self) -> Any:
        now = getattr(self.app, "now", None)
        return now().date() if now else None

    async def on_rendered(self, message: Rendered) -> None:
        if (message.kind, message.fmt) != self.choice():
            return  # the choice changed meanwhile; its own render is on the way
        self.rendered = message
        name = self.query_one("#filename", Input)
        if not name.value.strip() or name.value == self.suggested:
            name.value = message.filename
        self.suggested = message.filename
        # Control characters become visible symbols; the Markdown is escaped already.
        preview = self.query_one("#preview-text", TextArea)
        preview.load_text(clean(message.markdown))
        preview.scroll_home(animate=False)

    def on_render_failed(self, message: RenderFailed) -> None:
        self.rendered = None
        self.app.push_screen(MessageScreen("Could not render the document", message.error))

    def target(self) -> Path | None:
        folder = self.query_one("#folder", Input).value.strip()
        name = self.query_one("#filename", Input).value.strip()
        if not folder:
            self.app.push_screen(MessageScreen("No folder", "Give the folder to write into."))
            return None
        if not name:
            self.app.push_screen(MessageScreen("No file name", "Give the file a name."))
            return None
        return Path(folder).expanduser() / name

    def action_write(self, overwrite: bool = False) -> None:
        if self.rendered is None:
            self.notify("The document is still being rendered.")
            return
        if served(self.app):
            name = self.query_one("#filename", Input).value.strip() or self.rendered.filename
            name = offer(self.app, self.rendered.text, name)
            self.query_one("#export-state", Static).update(literal(f"✓ offered: {name}"))
            self.notify(f"Offered as a download: {name}", title="Export", markup=False)
            return
        path = self.target()
        if path is not None:
            self.query_one("#export-state", Static).update("… writing")
            self.write(self.rendered.text, path, overwrite)

    @on(Button.Pressed, "#write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_write()

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-write")
    def write(self, text: str | bytes, path: Path, overwrite: bool) -> None:
        from pilotbook.workshop.review import ExportExists, write_export

        try:
            written = write_export(text, path, overwrite=overwrite)
        except ExportExists:
            self.post_message(WriteExists(path))
            return
        except Exception as e:
            self.post_message(WriteFailed(str(e) or type(e).__name__))
            return
        self.post_message(Written(written))

    def on_written(self, message: Written) -> None:
        settings.remember_export_folder(self.pilot_id, message.path.parent)
        self.query_one("#export-state", Static).update(literal(f"✓ written: {message.path}"))
        self.notify(f"Written: {message.path}", title="Export", markup=False)

    def on_write_exists(self, message: WriteExists) -> None:
        self.query_one("#export-state", Static).update("")

        def answer(yes: bool | None) -> None:
            if yes and self.rendered is not None:
                self.query_one("#export-state", Static).update("… writing")
                self.write(self.rendered.text, message.path, True)
            else:
                self.notify("Not written: the file is left as it was.")

        question = f"{message.path} exists already. Replace it?"
        self.app.push_screen(ConfirmScreen(question, yes="Replace"), answer)

    def on_write_failed(self, message: WriteFailed) -> None:
        self.query_one("#export-state", Static).update("✗ not written")
        self.app.push_screen(MessageScreen("The file was not written", message.error))

    def action_close(self) -> None:
        self.dismiss(None)
