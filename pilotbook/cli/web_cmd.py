"""Commands: the workshop app with rounds for the room (`room`), and in a browser (`serve`)."""

from __future__ import annotations

import typer

from pilotbook.cli.common import fail, state

HOST_HELP = (
    "Address to listen on. Default 127.0.0.1 (this machine only); give this machine's "
    "network address, or 0.0.0.0, to let others on the network in."
)


def room(
    pilot: str | None = typer.Argument(None, help="A pilot to open straight away."),
    host: str = typer.Option("127.0.0.1", "--host", help=HOST_HELP),
    port: int = typer.Option(0, "--port", help="Port of the participants' pages (0: any free)."),
) -> None:
    """Open the workshop app; rounds (Ctrl+R) are served to participants on HOST."""
    from pilotbook.cli.app_cmd import run_app

    if not 0 <= port <= 65535:
        fail(f"--port {port}: give a port from 0 to 65535", 64)
    run_app(pilot, room_host=host, room_port=port)


def serve(
    pilot: str | None = typer.Argument(None, help="A pilot to open straight away."),
    host: str = typer.Option("127.0.0.1", "--host", help=HOST_HELP),
    port: int = typer.Option(8000, "--port", help="Port of the app's page."),
    room_port: int = typer.Option(
        0, "--room-port", help="Port of the participants' pages (0: any free)."
    ),
) -> None:
    """The workshop app in a browser (needs the serve extra), behind an access token."""
    from pilotbook.tui.serve import MissingServe
    from pilotbook.tui.serve import serve as run

    for name, value in (("--port", port), ("--room-port", room_port)):
        if not 0 <= value <= 65535:
            fail(f"{name} {value}: give a port from 0 to 65535", 64)
    try:
        run(state.db, pilot, host, port, room_port)
    except MissingServe as e:
        fail(str(e), 69)  # the serve extra is not installed
    except OSError as e:
        fail(f"cannot listen on {host}:{port}: {e.strerror or e}", 69)
