"""Writing the actions for a tracker (CSV, Jira, GitHub, a calendar) from the actions list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pilotbook.tui.screens.modals import ConfirmScreen, Field, FormScreen

if TYPE_CHECKING:
    from pilotbook.tui.screens.actions import ActionsScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.tracking import ActionsExport

TRACKER_FORMATS = [
    ("CSV (spreadsheets)", "csv"),
    ("Jira CSV import", "jira-csv"),
    ("GitHub task list (Markdown)", "github-md"),
    ("Calendar (.ics): due dates and the next review", "ics"),
]


def ask_and_write(screen: ActionsScreen) -> None:
    """Ask the format (and, on this machine, the folder and file) and write the actions."""
    from pilotbook.tui.deliver import served

    def done(values: dict[str, Any] | None) -> None:
        if values is not None:
            write_actions(
                screen, values["fmt"], values["file"], values["folder"], values.get("make", False)
            )

    if served(screen.app):  # in a browser: a download, never a file on the server
        fmt = Field("fmt", "Format", "select", "csv", required=True, options=TRACKER_FORMATS)

        def download(values: dict[str, Any] | None) -> None:
            if values is not None:
                write_actions(screen, values["fmt"], None)

        screen.app.push_screen(
            FormScreen("Download the actions", [fmt], submit="Download"), download
        )
        return

    from pilotbook.tui import settings
    from pilotbook.tui.screens.export import store_file

    folder = settings.export_folder(screen.pilot.pilot_id, store_file(screen))
    fields = [
        Field("fmt", "Format", "select", "csv", required=True, options=TRACKER_FORMATS),
        Field("folder", "Folder", value=str(folder), required=True),
        Field("file", "File name", placeholder="default: <pilot>-actions.<format>"),
    ]

    def asked(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        where = Path(values["folder"]).expanduser()
        if where.exists():
            done(values)
            return

        def create(yes: bool | None) -> None:
            if yes:
                done(values | {"make": True})

        question = f"The folder {where} does not exist. Create it?"
        screen.app.push_screen(ConfirmScreen(question, yes="Create"), create)

    screen.app.push_screen(FormScreen("Export the actions", fields, submit="Write"), asked)


def write_actions(
    screen: ActionsScreen, fmt: str, file: str | None, folder: str | None = None, make: bool = False
) -> None:
    from pilotbook.files import WriteRefused, make_folder
    from pilotbook.tui.deliver import offer, served
    from pilotbook.workshop.review import ExportError, write_export
    from pilotbook.workshop.tracking import export_actions

    pid, web = screen.pilot.pilot_id, served(screen.app)

    def job(ws: Workshop) -> ActionsExport | Path:
        out = export_actions(ws, pid, fmt)
        if web:  # the browser gets it: nothing is written on the server
            return out
        where = Path(folder).expanduser() if folder else Path()
        if make:
            try:
                make_folder(where)
            except WriteRefused as e:
                raise ExportError(str(e)) from None
        return write_export(out.text, where / (file or out.filename), overwrite=False)

    def done(result: ActionsExport | Path) -> None:
        if isinstance(result, Path):
            screen.notify(f"Written: {result}", title="Actions exported", markup=False)
            return
        name = offer(screen.app, result.text, result.filename)
        screen.notify(f"Offered as a download: {name}", title="Actions exported", markup=False)

    screen.call(
        job,
        done,
        failure="The actions were not written",
        group="actions-export",
        exclusive=True,
    )
