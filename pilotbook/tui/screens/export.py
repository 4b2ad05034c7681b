"""The export screen: pick a document and a format, see it, write it to a file.

The preview is the Markdown source the file holds (for HTML and PDF, the
Markdown they are made from), in a read-only text area: rendering a long
brief with Textual's Markdown widget took seconds on the UI thread. The
document is built off the UI thread (`tui/service.py`); the text area only lays out the lines
on screen. Control characters are made visible, nothing else is changed.

The folder offered is the one this pilot's last export went to, else an
`exports` folder beside the store: never the folder the app was started in,
nor the home folder. A folder that is not there yet is offered for creation;
writing an existing file asks first; a folder that cannot take the file is an
error the facilitator reads in a modal. Only Ctrl+S (or the button) writes:
Enter in a field moves on to the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from pilotbook.tui import settings
from pilotbook.tui.deliver import offer, served
from pilotbook.tui.screens.modals import ConfirmScreen, MessageScreen
from pilotbook.tui.service import ServiceCalls
from pilotbook.tui.text import clean, literal
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

DOCS = [("Go/no-go brief", "brief"), ("Ownership charter", "charter")]
FORMATS = [
    ("Markdown (.md)", "md"),
    ("HTML, one file (.html)", "html"),
    ("PDF (.pdf)", "pdf"),
]


if TYPE_CHECKING:
    from pilotbook.workshop import Workshop


@dataclass
class Rendered:
    kind: str
    fmt: str
    filename: str
    markdown: str  # what the preview shows
    text: str | bytes  # what the file gets


def render(ws: Workshop, pilot_id: str, kind: str, fmt: str, today: dt.date) -> Rendered:
    from pilotbook.workshop.review import export_document

    md = export_document(ws, pilot_id, kind, "md", today=today)
    out = md if fmt == "md" else export_document(ws, pilot_id, kind, fmt, today=today)
    preview = md.text if isinstance(md.text, str) else md.text.decode("utf-8")
    return Rendered(kind, fmt, out.filename, preview, out.text)


def store_file(screen: ServiceCalls) -> Path | None:
    """The store's file when it is one on this machine (not a server's database)."""
    from pilotbook.locations import BadLocation, sqlite_path

    app = screen.pb
    if not app.workshop_open:
        return None
    try:
        return sqlite_path(app.workshop.location.value)
    except BadLocation:  # not a file: no folder beside it to offer
        return None


class ExportScreen(ServiceCalls, Screen[None]):
    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="export.back", tooltip="Back without writing"),
        Binding("ctrl+s", "write", "Write", id="export.write", tooltip="Write the file"),
    ]

    def __init__(self, pilot_id: str, folder: Path | None = None) -> None:
        super().__init__()
        self.pilot_id = pilot_id
        self.folder = folder
        self.rendered: Rendered | None = None
        self.suggested = ""
        self.write_waiting = False

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
                folder = self.folder or settings.export_folder(self.pilot_id, store_file(self))
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

    def render_doc(self) -> None:
        (kind, fmt), pid = self.choice(), self.pilot_id
        # What is shown is now another document: never write (or name) the old one.
        self.rendered = None
        self.query_one("#export-state", Static).update("")
        today = self.app.now().date()  # type: ignore[attr-defined]  # PilotbookApp's clock

        def failed(_: Exception) -> None:
            self.rendered = None

        self.call(
            lambda ws: render(ws, pid, kind, fmt, today),
            self.show_rendered,
            failure="Could not render the document",
            group="export-render",
            exclusive=True,
            on_error=failed,
        )

    def show_rendered(self, rendered: Rendered) -> None:
        if (rendered.kind, rendered.fmt) != self.choice():
            return  # the choice changed meanwhile; its own render is on the way
        self.rendered = rendered
        name = self.query_one("#filename", Input)
        if not name.value.strip() or name.value == self.suggested:
            name.value = rendered.filename
        self.suggested = rendered.filename
        # Control characters become visible symbols; the Markdown is escaped already.
        preview = self.query_one("#preview-text", TextArea)
        preview.load_text(clean(rendered.markdown))
        preview.scroll_home(animate=False)
        if self.write_waiting:  # Ctrl+S came while it was rendering
            self.write_waiting = False
            self.action_write()

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
            self.write_waiting = True  # written as soon as it is rendered
            self.query_one("#export-state", Static).update("… rendering, then writing")
            return
        if served(self.app):
            name = self.query_one("#filename", Input).value.strip() or self.rendered.filename
            name = offer(self.app, self.rendered.text, name)
            self.query_one("#export-state", Static).update(literal(f"✓ offered: {name}"))
            self.notify(f"Offered as a download: {name}", title="Export", markup=False)
            return
        path = self.target()
        if path is None:
            return
        if not path.parent.exists():
            self.offer_folder(path)
            return
        self.query_one("#export-state", Static).update("… writing")
        self.write(self.rendered.text, path, overwrite)

    def offer_folder(self, path: Path) -> None:
        def answer(yes: bool | None) -> None:
            if yes and self.rendered is not None:
                self.query_one("#export-state", Static).update("… writing")
                self.write(self.rendered.text, path, False, make=True)
            else:
                self.notify("Not written: give a folder that exists.")

        question = f"The folder {path.parent} does not exist. Create it and write {path.name}?"
        self.app.push_screen(ConfirmScreen(question, yes="Create"), answer)

    @on(Button.Pressed, "#write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter finishes a field, it does not write a file nobody asked for.
        event.stop()
        self.focus_next()

    def write(self, text: str | bytes, path: Path, overwrite: bool, make: bool = False) -> None:
        from pilotbook.files import WriteRefused, make_folder
        from pilotbook.workshop.review import ExportError, write_export

        def job() -> Path:
            if make:
                try:
                    make_folder(path.parent)
                except WriteRefused as e:
                    raise ExportError(str(e)) from None
            return write_export(text, path, overwrite=overwrite)

        def failed(error: Exception) -> None:
            from pilotbook.workshop.review import ExportExists

            if isinstance(error, ExportExists):
                self.ask_replace(path)
            else:
                self.query_one("#export-state", Static).update("✗ not written")
                self.report("The file was not written", error)

        self.run_job(
            job,
            self.written,
            failure="The file was not written",
            group="export-write",
            exclusive=True,
            on_error=failed,
            report=False,  # `failed` asks, or shows it
        )

    def written(self, path: Path) -> None:
        settings.remember_export_folder(self.pilot_id, path.parent)
        self.query_one("#export-state", Static).update(literal(f"✓ written: {path}"))
        self.notify(f"Written: {path}", title="Export", markup=False)

    def ask_replace(self, path: Path) -> None:
        self.query_one("#export-state", Static).update("")

        def answer(yes: bool | None) -> None:
            if yes and self.rendered is not None:
                self.query_one("#export-state", Static).update("… writing")
                self.write(self.rendered.text, path, True)
            else:
                self.notify("Not written: the file is left as it was.")

        question = f"{path} exists already. Replace it?"
        self.app.push_screen(ConfirmScreen(question, yes="Replace"), answer)

    def action_close(self) -> None:
        self.dismiss(None)
