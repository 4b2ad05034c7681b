"""Commands: start the workshop app (`pilotbook`, `pilotbook open PILOT`)."""

from __future__ import annotations

import typer

from pilotbook.cli.common import echo, fail, state
from pilotbook.cli.exits import for_error

NO_TERMINAL_HINT = "no terminal here: run it in a terminal to open the app"


def has_terminal() -> bool:
    """Both ends are a terminal, or Textual was given another driver (a browser
    tab under `pilotbook serve` talks over pipes): the app can draw and read keys."""
    import os
    import sys

    if os.environ.get("TEXTUAL_DRIVER"):
        return True

    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def run_app(pilot_ref: str | None, room_host: str = "127.0.0.1", room_port: int = 0) -> None:
    """Open the store, find the pilot, then start the app; failures are one line.

    Without a terminal (a pipe, CI, `</dev/null`) the app would write escape codes
    and wait for keys that never come, so the pilots (or the one pilot) are
    printed instead, with a hint on stderr, and the exit code is 0."""
    if not has_terminal():
        _print_instead(pilot_ref)
        return
    from pilotbook.errors import BadInput, WorkshopError
    from pilotbook.tui.app import make_app

    try:
        if pilot_ref is None:
            # A store that needs no migration opens behind the first screen.
            app = make_app(state.db, room_host=room_host, room_port=room_port)
        else:
            from pilotbook.workshop import open_workshop

            workshop = open_workshop(state.db)
            pid = workshop.pilots.find(pilot_ref).id
            app = make_app(workshop, pilot=pid, room_host=room_host, room_port=room_port)
    except BadInput as e:
        fail(str(e), for_error(e))
    except WorkshopError as e:
        fail(str(e), for_error(e))
    except OSError as e:
        fail(f"cannot open the store: {e.strerror or e}", for_error(e))

    try:
        app.run()
    finally:
        app.stop_room()


def _print_instead(pilot_ref: str | None) -> None:
    from pilotbook.cli.pilots_cmd import list_pilots, show

    if pilot_ref is None:
        list_pilots(include_archived=False, as_json=False)
    else:
        show(pilot_ref, at=None, as_json=False)
    echo(NO_TERMINAL_HINT, err=True)


def open_pilot(
    pilot: str = typer.Argument(
        ..., help="The pilot: its slug, its name, the start of either, or an id prefix."
    ),
) -> None:
    """Open the workshop app on one pilot (without a terminal: print its answers)."""
    run_app(pilot)
