"""Commands: start the workshop app (`pilotbook`, `pilotbook open PILOT`)."""

from __future__ import annotations

import typer

from pilotbook.cli.common import fail, state
from pilotbook.cli.root import app


def run_app(pilot_ref: str | None, room_host: str = "127.0.0.1", room_port: int = 0) -> None:
    """Open the store, find the pilot, then start the app; failures are one line."""
    from pilotbook.tui.app import make_app
    from pilotbook.workshop.errors import BadInput, WorkshopError

    try:
        if pilot_ref is None:
            # A store that needs no migration opens behind the first screen.
            app = make_app(state.db, room_host=room_host, room_port=room_port)
        else:
            from pilotbook.workshop import open_workshop

            workshop = open_workshop(state.db)
            pid = workshop.find_pilot(pilot_ref).id
            app = make_app(workshop, pilot=pid, room_host=room_host, room_port=room_port)
    except BadInput as e:
        fail(str(e), 2)
    except WorkshopError as e:
        fail(str(e), 1)
    except OSError as e:
        fail(f"cannot open the store: {e.strerror or e}", 1)

    try:
        app.run()
    finally:
        app.stop_room()


@app.command("open")
def open_pilot(
    pilot: str = typer.Argument(..., help="The pilot: its slug, its exact name or an id prefix."),
) -> None:
    """Open the workshop app on one pilot."""
    run_app(pilot)
