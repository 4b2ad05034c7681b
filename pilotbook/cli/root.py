"""The root Typer app, its global options, and every command, registered here.

The command modules only define functions; this is the one place that names
the commands, in the order `pilotbook --help` lists them. The modules are
light to import: command bodies import what they need when they run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from pilotbook import __version__
from pilotbook.cli import (
    app_cmd,
    docs_cmd,
    phases_cmd,
    pilots_cmd,
    playbooks_cmd,
    portfolio_cmd,
    questions_cmd,
    risks_cmd,
    store_cmd,
    web_cmd,
)
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
    if db is not None and not db.strip():
        from pilotbook.cli.common import fail
        from pilotbook.cli.exits import USAGE

        # An empty value (an unset shell variable) must not quietly mean the default store.
        fail("--db needs a file path or a URL, not an empty value", USAGE)
    state.db = db
    if ctx.invoked_subcommand is None:
        app_cmd.run_app(None)


Command = Callable[..., Any]

COMMANDS: list[tuple[str, Command]] = [
    ("open", app_cmd.open_pilot),
    # The store and its pilots.
    ("init", pilots_cmd.init),
    ("where", pilots_cmd.where),
    ("new", pilots_cmd.new),
    ("list", pilots_cmd.list_pilots),
    ("show", pilots_cmd.show),
    ("questions", questions_cmd.questions),
    ("answer", pilots_cmd.answer),
    ("history", pilots_cmd.history),
    ("undo", pilots_cmd.undo),
    ("actions", store_cmd.actions),
    ("rename", store_cmd.rename),
    ("archive", store_cmd.archive),
    ("dump", store_cmd.dump),
    ("load", store_cmd.load),
    ("backup", store_cmd.backup),
    ("demo", store_cmd.demo),
    # The decision and its documents.
    ("verdict", docs_cmd.verdict),
    ("decide", docs_cmd.decide),
    ("signoff", docs_cmd.signoff),
    ("export", docs_cmd.export),
    # Phases, snapshots and measurements.
    ("phase", phases_cmd.phase),
    ("snapshot", phases_cmd.snapshot),
    ("snapshots", phases_cmd.snapshots),
    ("diff", phases_cmd.diff),
    ("measure", phases_cmd.measure),
    ("scorecard", phases_cmd.scorecard),
    ("upgrade", phases_cmd.upgrade),
    ("accept", risks_cmd.accept),
    ("risks", risks_cmd.risks),
    # Across every pilot of the store.
    ("portfolio", portfolio_cmd.portfolio),
    # The app for participants and in a browser.
    ("room", web_cmd.room),
    ("serve", web_cmd.serve),
]

PLAYBOOK_COMMANDS: list[tuple[str, Command]] = [
    ("list", playbooks_cmd.list_playbooks),
    ("validate", playbooks_cmd.validate),
    ("schema", playbooks_cmd.schema),
    ("import-lens", playbooks_cmd.import_lens),
]

# A help text that is not the function's docstring.
HELP = {docs_cmd.verdict: docs_cmd.VERDICT_HELP}

for name, command in COMMANDS:
    app.command(name, help=HELP.get(command))(command)

playbooks = typer.Typer(
    help=playbooks_cmd.GROUP_HELP, cls=WholeHelpGroup, no_args_is_help=True, rich_markup_mode=None
)
for name, command in PLAYBOOK_COMMANDS:
    playbooks.command(name)(command)
app.add_typer(playbooks, name="playbooks")
