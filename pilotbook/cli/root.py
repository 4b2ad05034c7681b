"""The root Typer app and the global options; command modules attach to it."""

from __future__ import annotations

import typer

from pilotbook import __version__
from pilotbook.cli.common import WholeHelpGroup, echo, state

app = typer.Typer(
    name="pilotbook",
    cls=WholeHelpGroup,
    help="Walk a team from an AI pilot to a go/no-go decision and a named owner.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        echo(f"pilotbook {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="Store to use: a file path (SQLite) or a SQLAlchemy URL. "
        "Default: $PILOTBOOK_DB, else the nearest store/ folder, else the user data folder.",
        metavar="PATH_OR_URL",
    ),
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """With no command, open the workshop app on the store in use."""
    state.db = db
    if ctx.invoked_subcommand is None:
        from pilotbook.cli.app_cmd import run_app

        run_app(None)


# Each import registers its commands on `app`.
from pilotbook.cli import (  # noqa: E402, F401
    app_cmd,
    docs_cmd,
    phases_cmd,
    pilots_cmd,
    playbooks_cmd,
    risks_cmd,
    web_cmd,
)
