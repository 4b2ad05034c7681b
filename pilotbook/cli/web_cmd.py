"""Commands: the workshop app with rounds for the room (`room`), and in a browser (`serve`)."""

from __future__ import annotations

import typer

from pilotbook.cli.common import fail, state

HOST_HELP = (
    "Address to listen on. Default 127.0.0.1 (this machine only); give this machine's "
    "network address, or 0.0.0.0, to let others on the network in."
)
PUBLIC_HELP = (
    "The address others open (e.g. http://workshop.example:8000), when it is not this "
    "machine's own network address; without a port, the listening port is added."
)


def _checked_url(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    if url is None:
        return None
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  # raises on a port that is not a number
    except ValueError:
        fail(f"--public-url {url!r}: the port is not a number", 64)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"--public-url {url!r}: give an http:// or https:// address with a host", 64)
    return url


def room(
    pilot: str | None = typer.Argument(None, help="A pilot to open straight away."),
    host: str = typer.Option("127.0.0.1", "--host", help=HOST_HELP),
    port: int = typer.Option(0, "--port", help="Port of the participants' pages (0: any free)."),
    public_url: str | None = typer.Option(None, "--public-url", help=PUBLIC_HELP),
) -> None:
    """Open the workshop app; rounds (Ctrl+R) are served to participants on HOST."""
    import os

    from pilotbook.cli.app_cmd import run_app
    from pilotbook.web.net import ROOM_URL

    if not 0 <= port <= 65535:
        fail(f"--port {port}: give a port from 0 to 65535", 64)
    if _checked_url(public_url):
        os.environ[ROOM_URL] = str(public_url)  # read by the room when a round opens
    run_app(pilot, room_host=host, room_port=port)


def serve(
    pilot: str | None = typer.Argument(None, help="A pilot to open straight away."),
    host: str = typer.Option("127.0.0.1", "--host", help=HOST_HELP),
    port: int = typer.Option(8000, "--port", help="Port of the app's page (0: any free)."),
    room_port: int = typer.Option(
        0, "--room-port", help="Port of the participants' pages (0: any free)."
    ),
    public_url: str | None = typer.Option(None, "--public-url", help=PUBLIC_HELP),
) -> None:
    """The workshop app in a browser (needs the serve extra), behind an access token."""
    from pilotbook.tui.serve import MissingServe
    from pilotbook.tui.serve import serve as run

    for name, value in (("--port", port), ("--room-port", room_port)):
        if not 0 <= value <= 65535:
            fail(f"{name} {value}: give a port from 0 to 65535", 64)
    _checked_url(public_url)
    try:
        run(state.db, pilot, host, port, room_port, public_url=public_url)
    except MissingServe as e:
        fail(str(e), 69)  # the serve extra is not installed
    except OSError as e:
        fail(f"cannot listen on {host}:{port}: {e.strerror or e}", 69)
