"""The arguments and options many commands share, and the parsing of their values."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from pilotbook.cli.common import fail, state
from pilotbook.cli.exits import USAGE


def complete_pilot(ctx: typer.Context, incomplete: str) -> list[str]:
    """Slugs for shell completion; silent when the store cannot be opened."""
    try:
        from pilotbook.workshop import open_workshop

        with open_workshop(ctx.find_root().params.get("db") or state.db) as ws:
            return [p.slug for p in ws.pilots.all() if p.slug.startswith(incomplete)]
    except Exception:  # completion must never print a traceback
        return []


def complete_question(ctx: typer.Context, incomplete: str) -> list[str]:
    """Question ids of the pilot named earlier on the line."""
    try:
        from pilotbook.workshop import open_workshop

        with open_workshop(ctx.find_root().params.get("db") or state.db) as ws:
            book = ws.playbooks.for_pilot(ws.pilots.find(ctx.params["pilot"]).id)
            return [q.id for q in book.questions() if q.id.startswith(incomplete)]
    except Exception:  # completion must never print a traceback
        return []


PilotArg = Annotated[
    str,
    typer.Argument(
        help="The pilot: its slug, its name, the start of either, or an id prefix.",
        autocompletion=complete_pilot,
    ),
]
QuestionArg = Annotated[
    str,
    typer.Argument(
        help="The question id, as `pilotbook questions PILOT` lists it.",
        autocompletion=complete_question,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace a file that is there already.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who gave the answer (kept in history).")]
RevisionOpt = Annotated[
    int | None,
    typer.Option(
        "--revision",
        help="Refuse the change unless the answer is at this revision (see `history`).",
    ),
]


def parse_date(text: str, what: str) -> dt.date:
    """A YYYY-MM-DD date given to option `what`, or one line and exit code 2."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{what}: expected a date as YYYY-MM-DD, not {text!r}", USAGE)
