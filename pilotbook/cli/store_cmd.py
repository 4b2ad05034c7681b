"""Commands: actions, dump, load, backup, demo (the rest of the store's commands)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pilotbook.cli.common import author, echo, echo_json, fail, guarded, read_stdin, workshop
from pilotbook.cli.exits import CANT_CREATE, DATA, NO_INPUT, TEMP, USAGE, for_error
from pilotbook.cli.options import ForceOpt, JsonOpt, PilotArg, parse_date
from pilotbook.cli.pilots_show import columns, plain

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import ActionInfo


def actions(
    pilot: PilotArg,
    add: Annotated[
        str | None, typer.Option("--add", metavar="TITLE", help="Add an action.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who owns the new action.")] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="When the new action is due (YYYY-MM-DD).")
    ] = None,
    question: Annotated[
        str | None, typer.Option("--question", help="The question the new action is about.")
    ] = None,
    close: Annotated[
        str | None, typer.Option("--close", metavar="ID", help="Mark an action done (id prefix).")
    ] = None,
    reopen: Annotated[
        str | None, typer.Option("--reopen", metavar="ID", help="Open a closed action again.")
    ] = None,
    edit: Annotated[
        str | None,
        typer.Option(
            "--edit",
            metavar="ID",
            help="Change an action: with --title, --owner, --due (empty clears), --status.",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title for --edit.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="open, done or dropped, for --edit.")
    ] = None,
    delete: Annotated[
        str | None,
        typer.Option("--delete", metavar="ID", help="Delete an action (the history keeps it)."),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who makes the change.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="List only open actions.")] = False,
    as_json: JsonOpt = False,
    export: Annotated[
        str | None,
        typer.Option(
            "--export",
            metavar="FORMAT",
            help="Write the actions for a tracker: csv, jira-csv, github-md or ics (with -o).",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The file for --export, or - for stdout."
        ),
    ] = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom",
            help="Start a CSV export with a byte order mark, which Excel needs to read UTF-8.",
        ),
    ] = False,
    force: ForceOpt = False,
    suggested: Annotated[
        bool,
        typer.Option(
            "--suggested",
            help="List the actions the playbook suggests for questions at risk "
            "(an imported lens's improvement plans).",
        ),
    ] = False,
    add_suggested: Annotated[
        bool, typer.Option("--add-suggested", help="Add every suggested action not there yet.")
    ] = False,
) -> None:
    """List a pilot's actions; --add, --edit, --close, --reopen or --delete one (by its id
    prefix); --export them to a tracker's file. Every change is kept in `history`."""
    due_date = parse_date(due, "--due") if due else None
    ws = workshop()
    if export is not None or suggested or add_suggested:
        with guarded():
            found = ws.pilots.find(pilot)
        _actions_out(ws, found.id, export, output, suggested, add_suggested, open_only, bom, force)
        return
    with guarded():
        found = ws.pilots.find(pilot)
        known = {q.id for q in ws.playbooks.for_pilot(found.id).questions()}
        if question is not None and question not in known:
            fail(f"no question {question!r} in playbook {found.playbook_id}", NO_INPUT)
        if add is not None:
            ws.records.add_action(
                found.id, add, owner=owner, due=due_date, question_id=question, by=author(by, found)
            )
        if edit is not None:
            fields: dict[str, object] = {}
            for key, value in (("title", title), ("owner", owner), ("status", status)):
                if value is not None:
                    fields[key] = value
            if due is not None:
                fields["due"] = due_date
            if question is not None:
                fields["question_id"] = question
            if not fields:
                fail("--edit needs at least one of --title, --owner, --due, --status", USAGE)
            seen = _one_action(ws, found, edit)
            ws.records.update_action(seen.id, by=author(by, found), expected=seen, **fields)
        if close is not None:
            seen = _one_action(ws, found, close)
            ws.records.close_action(seen.id, by=author(by, found), expected=seen)
        if reopen is not None:
            seen = _one_action(ws, found, reopen)
            ws.records.reopen_action(seen.id, by=author(by, found), expected=seen)
        if delete is not None:
            seen = _one_action(ws, found, delete)
            gone = ws.records.delete_action(seen.id, by=author(by, found), expected=seen)
            echo(f"deleted: {plain(gone.title)}", err=True)
        listed = ws.records.actions(found.id, open_only=open_only)
    if as_json:
        echo_json(listed)
        return
    if not listed:
        echo("no actions", err=True)
        return
    rows = [("ID", "STATUS", "DUE", "OWNER", "TITLE", "QUESTION")]
    for a in listed:
        rows.append(
            (
                a.id[:8],
                a.status,
                a.due.isoformat() if a.due else "",
                plain(a.owner or ""),
                plain(a.title),
                a.question_id or "",
            )
        )
    echo("\n".join(columns(rows)))  # one write: thousands of rows print fast


def _one_action(ws: Workshop, found: Any, prefix: str) -> ActionInfo:
    matches = [a for a in ws.records.actions(found.id) if a.id.startswith(prefix.strip())]
    if len(matches) != 1 or not prefix.strip():
        n = len(matches)
        fail(f"{prefix!r} matches {n} actions of {found.slug}; give more of its id", USAGE)
    return matches[0]


def _actions_out(
    ws: Workshop,
    pilot_id: str,
    export: str | None,
    output: str | None,
    suggested: bool,
    add_suggested: bool,
    open_only: bool,
    bom: bool = False,
    force: bool = False,
) -> None:
    from pilotbook.workshop import tracking

    if export is not None:
        if output is None:
            fail("--export needs -o FILE (or -o - for stdout)", USAGE)
        with guarded():
            out = tracking.export_actions(ws, pilot_id, export, open_only=open_only, bom=bom)
        if output == "-":
            sys.stdout.write(out.text)
            return
        from pilotbook.workshop.review import ExportExists, write_export

        with guarded():
            try:
                write_export(out.text, Path(output), overwrite=force)
            except ExportExists:
                fail(f"{output} exists already: add --force to replace it", CANT_CREATE)
        echo(f"wrote {output}")
        return
    with guarded():
        if add_suggested:
            added = tracking.add_suggested(ws, pilot_id)
            echo(f"added {len(added)} suggested actions")
            return
        found = tracking.suggested_actions(ws, pilot_id)
    if not found:
        echo("no suggested actions (no question at risk has one)", err=True)
    for s in found:
        echo(f"{s.question_id} [{s.risk}] {plain(s.title)}")


def rename(
    pilot: PilotArg,
    name: Annotated[str, typer.Argument(help="The new name (the slug stays the same).")],
) -> None:
    """Rename a pilot; its slug stays, so scripts that use it keep working."""
    ws = workshop()
    with guarded():
        done = ws.pilots.rename(ws.pilots.find(pilot).id, name)
    echo(f"{done.slug}  {plain(done.name)}")


def archive(
    pilot: PilotArg,
    restore: Annotated[
        bool, typer.Option("--restore", help="Bring an archived pilot back to the list.")
    ] = False,
) -> None:
    """Archive a pilot: hidden from `list` (see `list --all`), nothing deleted."""
    ws = workshop()
    with guarded():
        done = ws.pilots.archive(ws.pilots.find(pilot).id, archived=not restore)
    echo(f"{done.slug} {'archived' if done.archived else 'restored'}")


def dump(
    pilot: Annotated[
        str | None, typer.Argument(help="The pilot (slug, name or id prefix); or use --all.")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Dump every pilot.")] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this file (- for stdout, the default)."
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write pilots as JSON, history included, for `pilotbook load` (lossless)."""
    if (pilot is None) == (not everything) or (pilot is not None and everything):
        fail("give a PILOT or --all", USAGE)
    ws = workshop()
    with guarded():
        ids = None if pilot is None else [ws.pilots.find(pilot).id]
        data = ws.transfer.dump(ids)
    from pilotbook.textsafe import json_safe

    # Safe to `cat`: no control or bidi character is written raw, only as \uXXXX.
    text = json_safe(json.dumps(data, indent=1, ensure_ascii=False)) + "\n"
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from pilotbook.files import TargetExists, WriteRefused, write_file

    try:
        # Private (the whole history is in it) and atomic: a full disk keeps the old dump.
        write_file(Path(output), text, mode=0o600, overwrite=force)
    except TargetExists:
        fail(f"{output} exists already: add --force to replace it", CANT_CREATE)
    except WriteRefused as e:
        fail(str(e), for_error(e))
    echo(f"dumped {len(data['pilots'])} pilot(s) to {output}", err=True)


def load(
    file: Annotated[
        Path, typer.Argument(help="A file written by `pilotbook dump` ('-' for stdin).")
    ],
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Add the history a pilot already in the store lacks; report where it diverged.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add the pilots of a dump to the store; loading the same file again adds nothing.

    A pilot the store already has is refused when the dump holds more, unless --merge.
    """
    try:
        raw = read_stdin() if str(file) == "-" else file.read_bytes()
        text = raw.decode("utf-8")
    except OSError as e:
        fail(f"cannot read {file}: {e.strerror}", for_error(e))
    except UnicodeDecodeError as e:
        fail(f"{file}: not a pilotbook dump (not UTF-8 text at byte {e.start})", DATA)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        fail(f"{file}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}", DATA)
    except RecursionError:
        fail(f"{file}: not a pilotbook dump (JSON nested too deeply)", DATA)
    ws = workshop()
    with guarded():
        report = ws.transfer.load(data, merge=merge)
    if as_json:
        echo_json(report)
    else:
        added = ", ".join(report.pilots_added) or "none"
        echo(
            f"loaded {file}: pilots added: {added}; rows added: {report.rows_added}; "
            f"answers updated: {report.answers_updated}"
        )
    for line in report.conflicts:
        echo(f"conflict: {line}", err=True)
    if report.conflicts:
        raise typer.Exit(TEMP)


def backup(
    path: Annotated[Path, typer.Argument(help="The new file to write the copy to.")],
) -> None:
    """Copy the store to PATH while it may be in use (SQLite's online backup; for a
    PostgreSQL store, a logical backup in the dump format that `load` restores)."""
    ws = workshop()
    with guarded():
        made = ws.transfer.backup(path)
    if ws.engine.dialect.name == "sqlite":
        echo(f"backed up {ws.location.shown} to {made}")
    else:
        echo(
            f"wrote a logical backup of {ws.location.shown} to {made} (the dump format: "
            "restore it with `pilotbook load`; pg_dump makes a server-level one)"
        )


def demo(
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Only add the demo pilot; do not open the app.")
    ] = False,
    portfolio: Annotated[
        bool,
        typer.Option("--portfolio", help="Also add a dozen pilots in every phase and state."),
    ] = False,
) -> None:
    """Add a demo pilot (a customer-service assistant, answered part-way) and open it."""
    from pilotbook.demo import fill_demo

    ws = workshop()
    with guarded():
        made = fill_demo(ws)
        if portfolio:
            from pilotbook.demo_portfolio import fill_portfolio

            echo(f"demo portfolio ready: {len(fill_portfolio(ws))} more pilots", err=True)
    echo(f"demo pilot ready: {made.slug} in {ws.location.shown}", err=True)
    ws.close()
    if not no_open:
        from pilotbook.cli.app_cmd import run_app

        run_app(made.slug)
