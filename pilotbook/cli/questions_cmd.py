"""`pilotbook questions PILOT`: every question's id, title, phase and state, so the
ids `answer`, `history` and `undo` take are never read from a playbook's YAML."""

from __future__ import annotations

from typing import Annotated

import typer

from pilotbook.cli.common import echo, echo_json, guarded, workshop
from pilotbook.cli.common import state as cli_state
from pilotbook.cli.options import JsonOpt, PilotArg
from pilotbook.cli.pilots_show import columns, plain


def questions(
    pilot: PilotArg,
    phase: Annotated[
        str | None,
        typer.Option("--phase", help="Only this phase's questions: its id or its title."),
    ] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Only the questions still unanswered.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the pilot's questions: id, title, phase and state (answered, missing, n/a).

    The id is what `answer`, `history` and `undo` take."""
    from pilotbook.workshop.questions import states_of
    from pilotbook.workshop.quickshow import light_view

    wanted = "missing" if missing else None
    light = light_view(cli_state.db, pilot)
    with guarded():
        if light is not None:
            listed = states_of(light, phase=phase, state=wanted)
        else:
            ws = workshop()
            found = ws.pilots.find(pilot)
            listed = ws.questions.of(found.id, phase=phase, state=wanted)
    if as_json:
        echo_json(listed)
        return
    if not listed:
        echo("no questions" + (" missing" if missing else ""))
        return
    rows = [("ID", "PHASE", "STATE", "QUESTION")]
    for q in listed:
        state = q.state + ("" if q.required or q.state != "missing" else " (optional)")
        rows.append((q.id, plain(q.phase_title), state, plain(q.title)))
    for line in columns(rows):
        echo(line)
