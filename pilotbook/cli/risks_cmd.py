"""Accepting a risk: who, why and until when, kept in the pilot's history."""

from __future__ import annotations

from typing import Annotated

import typer

from pilotbook.cli.common import echo, echo_json, guarded, workshop
from pilotbook.cli.exits import USAGE
from pilotbook.cli.options import JsonOpt, PilotArg, QuestionArg, parse_date


def accept(
    pilot: PilotArg,
    question: QuestionArg,
    by: Annotated[str | None, typer.Option("--by", help="Who accepts the risk.")] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why it is acceptable.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="When the acceptance ends: YYYY-MM-DD.")
    ] = None,
    withdraw: Annotated[
        bool, typer.Option("--withdraw", help="Take back the acceptance of this risk.")
    ] = False,
) -> None:
    """Accept the risk of one answer as it stands, so it no longer holds the verdict back.

    The acceptance lapses on its end date, or when the answer changes; a risk
    the playbook makes a hard stop cannot be accepted.
    """
    from pilotbook.cli.common import fail
    from pilotbook.cli.pilots_show import plain

    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        if withdraw:
            ws.verdict.withdraw(summary.id, question, by)
            echo(f"acceptance withdrawn: {question}")
            return
    missing = [f"--{n}" for n, v in (("by", by), ("why", why), ("until", until)) if not v]
    if missing:
        fail(f"accepting a risk needs {', '.join(missing)}", USAGE)
    assert by is not None and why is not None and until is not None
    end = parse_date(until, "--until")
    with guarded():
        a = ws.verdict.accept(summary.id, question, by=by, why=why, until=end)
    echo(f"risk accepted: {question} by {plain(a.by)} until {a.until.isoformat()}")


def risks(pilot: PilotArg, as_json: JsonOpt = False) -> None:
    """The accepted risks of a pilot: who, why, until when, and whether each still holds."""
    from pilotbook.cli.pilots_show import plain

    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        found = ws.verdict.acceptances(summary.id)
    if as_json:
        echo_json(
            [
                {
                    "question": a.question_id,
                    "by": a.by,
                    "why": a.why,
                    "until": a.until.isoformat(),
                    "at": a.at.isoformat(),
                    "status": a.status,
                }
                for a in found
            ]
        )
        return
    if not found:
        echo("no accepted risks")
    for a in found:
        echo(
            f"{plain(a.question)} — accepted by {plain(a.by)} until {a.until.isoformat()} "
            f"({a.status}): {plain(a.why)}"
        )
