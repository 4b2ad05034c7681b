"""Commands on the store and its pilots: init, where, new, list, show, answer, history,
undo, actions, dump, load, backup, demo.

Bodies import the service when they run, so `--help` stays light. Every
failure the user can act on is one line on stderr: exit code 2 for bad
input, 1 for a store that cannot be used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pilotbook.cli.common import (
    author,
    echo,
    echo_json,
    fail,
    guarded,
    state,
    stdin_text,
    workshop,
)
from pilotbook.cli.exits import DATA, USAGE, for_error
from pilotbook.cli.options import ByOpt, JsonOpt, PilotArg, QuestionArg, RevisionOpt, parse_date
from pilotbook.cli.pilots_show import columns, plain, show_lines

if TYPE_CHECKING:
    from pilotbook.playbook.model import Question
    from pilotbook.workshop.service import Workshop


def init(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="Make (or bring up to date) this store instead: a file, or a "
            "postgresql:// URL whose database exists.",
        ),
    ] = None,
) -> None:
    """Make ./store/ here (with an empty store in it) and use it from this folder down."""
    from pilotbook.locations import STORE_DIR, STORE_FILE

    target = db or state.db
    if target is None:
        folder = Path.cwd() / STORE_DIR
        try:
            folder.mkdir(exist_ok=True)
        except OSError as e:
            fail(f"cannot make {folder}: {e.strerror}", for_error(e))
        target = str(folder / STORE_FILE)
    state.db = target
    ws = workshop()
    echo(f"store ready: {ws.location.shown}")


def where(as_json: JsonOpt = False) -> None:
    """Print the store and the playbook folders in use, and why each was chosen."""
    from pilotbook.locations import builtin_playbooks_dir, resolve_store, user_playbook_dirs

    with guarded():
        store = resolve_store(state.db)
    folders = [
        (str(builtin_playbooks_dir()), "built-in"),
        *((d.value, d.why) for d in user_playbook_dirs()),
    ]
    if as_json:
        echo_json(
            {
                "store": {"value": store.shown, "why": store.why},
                "playbooks": [{"folder": f, "why": why} for f, why in folders],
            }
        )
        return
    echo(f"store: {store.shown}  ({store.why})")
    for folder, why in folders:
        echo(f"playbooks: {folder}  ({why})")


def new(
    name: Annotated[str, typer.Argument(help="The pilot's name, e.g. 'Support assistant'.")],
    playbook: Annotated[
        str, typer.Option("--playbook", "-p", help="Playbook id (see `pilotbook playbooks list`).")
    ] = "ai-pilot",
    facilitator: Annotated[
        str | None, typer.Option("--facilitator", help="Who runs the workshops.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Start a new pilot on a playbook and print its slug."""
    ws = workshop()
    with guarded():
        made = ws.pilots.create(name, playbook_id=playbook, facilitator=facilitator)
    if as_json:
        echo_json(made)
    else:
        echo(f"{made.slug}  {plain(made.name)}  ({made.playbook_id} v{made.playbook_version})")


def list_pilots(
    include_archived: Annotated[
        bool, typer.Option("--all", "-a", help="Include archived pilots.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the pilots, most recently changed first, with how far their answers go.

    A verdict not kept yet shows as "…": it is worked out in the background
    (`workshop/kept_fill.py`), never while the user waits."""
    location, pilots = _light_list(include_archived)
    if pilots is None:
        ws = workshop()
        with guarded():
            pilots = ws.pilots.all(include_archived=include_archived)
            location = ws.location.value
    if as_json:
        echo_json(pilots)
        _fill_pending(location, pilots, say=False)
        return
    if not pilots:
        echo("no pilots yet: `pilotbook new NAME` or `pilotbook demo`", err=True)
        return
    rows = [("SLUG", "NAME", "PLAYBOOK", "PHASE", "REQUIRED", "ANSWERED", "VERDICT", "UPDATED")]
    from pilotbook.workshop.quicklist import phase_titles

    titles = phase_titles({p.playbook_id for p in pilots})
    for p in pilots:
        rows.append(
            (
                p.slug,
                plain(p.name) + (" (archived)" if p.archived else ""),
                f"{p.playbook_id} v{p.playbook_version}",
                plain(titles.get((p.playbook_id, p.phase), p.phase or "")),
                f"{p.required_answered}/{p.required_total}",
                str(p.answered),
                p.verdict_label or "…",
                p.updated_at.strftime("%Y-%m-%d %H:%M"),
            )
        )
    echo("\n".join(columns(rows)))  # one write: thousands of rows print fast
    _fill_pending(location, pilots, say=True)


def _light_list(include_archived: bool) -> tuple[str | None, list[Any] | None]:
    """The pilots read with sqlite3 alone when the store allows it (SQLAlchemy and the
    models never load); None for the full service's path and its checks."""
    from pilotbook.locations import resolve_store
    from pilotbook.workshop import quicklist

    try:
        location = resolve_store(state.db).value
    except Exception:
        return None, None  # the full path says what is wrong, in one line
    path = quicklist.local_path(location)
    if path is None or not quicklist.store_is_current(path):
        return None, None
    try:
        return location, quicklist.list_pilots(path, include_archived)
    except Exception:
        return None, None  # the full path says what is wrong, in one line


def _fill_pending(location: str | None, pilots: list[Any], say: bool) -> None:
    pending = sum(p.verdict_label is None for p in pilots)
    if not pending or location is None:
        return
    from pilotbook.workshop import kept_fill

    started = kept_fill.start(location)
    if say:
        s = "" if pending == 1 else "s"
        more = "; being worked out now, list again in a moment" if started else ""
        echo(f"{pending} verdict{s} pending (…){more}", err=True)


def show(
    pilot: PilotArg,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATE",
            help="The answers as they stood at the end of DATE (YYYY-MM-DD).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a pilot's answers by section, readable (retired answers at the end)."""
    import dataclasses
    import datetime as dt

    when = None
    if at is not None:
        when = dt.datetime.combine(parse_date(at, "--at"), dt.time.max, dt.UTC)
    from pilotbook.workshop.quickshow import light_view

    light = None if when is not None or as_json else light_view(state.db, pilot)
    if light is not None:
        echo("\n".join(show_lines(light)))
        return
    ws = workshop()
    with guarded():
        view = ws.pilots.open(ws.pilots.find(pilot).id)
        if when is not None:
            view = dataclasses.replace(view, answers=ws.answers.at(view.summary.id, when))
    if as_json:
        echo_json(view)
        return
    for line in show_lines(view):
        echo(line)


def answer(
    pilot: PilotArg,
    question: QuestionArg,
    value: Annotated[
        str | None,
        typer.Argument(
            help="The answer, typed: numbers (1,200), dates (2026-03-01), yes/no, choice ids "
            "or labels, lists as 'a; b', tables and checklists as JSON. '-' reads stdin."
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the answer.")] = False,
    na: Annotated[
        str | None, typer.Option("--na", metavar="REASON", help="Mark not applicable, saying why.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Attach a note ('' removes it).")
    ] = None,
    revision: RevisionOpt = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Save an answer (or clear it, mark it not applicable, or attach a note).

    A value and --note together are one change: both are saved, or neither.
    `pilotbook questions PILOT` lists the question ids and what is still missing."""
    from pilotbook.playbook import values

    chosen = sum(x is not None for x in (value, na, clear or None))
    if chosen > 1 or (chosen == 0 and note is None):
        fail("give exactly one of VALUE, --clear or --na (or only --note)", USAGE)
    ws = workshop()
    from pilotbook.workshop.answers import KEEP

    with guarded():
        found = ws.pilots.find(pilot)
        parsed: Any = KEEP
        if value is not None:
            q = _question(ws, found.id, question)
            text = stdin_text() if value == "-" else value
            try:
                parsed = values.parse_text(q, text)
            except values.ValueProblem as e:
                fail(str(e), DATA)
        view = ws.answers.change(
            found.id,
            question,
            value=parsed,
            na=na,
            clear=clear,
            note=KEEP if note is None else note,
            expected_revision=revision,
            by=author(by, found),
        )
    if as_json:
        echo_json(view)
    else:
        echo(f"saved {question} (revision {view.revision})")


def _question(ws: Workshop, pilot_id: str, question_id: str) -> Question:
    from pilotbook.errors import NotFound

    book = ws.playbooks.for_pilot(pilot_id)
    try:
        return book.question(question_id)
    except KeyError:
        raise NotFound(f"no question {question_id!r} in playbook {book.id}") from None


def history(
    pilot: PilotArg,
    question: Annotated[
        str | None, typer.Argument(help="Only this question (default: the whole pilot).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The pilot's story, oldest first: every answer change, phase move, snapshot,
    decision, accepted risk, round and edit of an action or sign-off; what, who, when.

    --json gives the answer changes."""
    from pilotbook.cli import history_show as story
    from pilotbook.playbook import values
    from pilotbook.workshop.quickread import light_history

    light = light_history(state.db, pilot, question)  # a current SQLite store: no ORM
    if light is not None:
        events, book = light.events, light.view.playbook
        moves = story.moves_of(light.pilot_events, light.decisions, question)
    else:
        ws = workshop()
        with guarded():
            found = ws.pilots.find(pilot)
            if question is not None:
                _known_or_answered(ws, found.id, question)
            events = ws.answers.history(found.id, question)
            book = ws.playbooks.for_pilot(found.id)
            moves = [] if as_json else story.moves(ws, found.id, question)
    if as_json:
        echo_json(events)
        return
    questions = {q.id: q for q in book.questions()}
    rows = [("WHEN", "QUESTION", "REV", "CHANGE", "BY", "VALUE")]
    entries: list[Any] = [*events, *moves]
    for e in sorted(entries, key=lambda e: e.at):
        if not hasattr(e, "revision"):  # a move of the whole pilot
            rows.append(
                (
                    e.at.strftime("%Y-%m-%d %H:%M:%S"),
                    str(e.detail.get("question", "")),
                    "",
                    e.kind,
                    plain(e.by or ""),
                    plain(story.move_text(e, book)),
                )
            )
            continue
        q = questions.get(e.question_id)
        shown = values.display(q, e.value) if q else json.dumps(e.value, ensure_ascii=False)
        if e.na_reason is not None:
            shown = f"not applicable: {e.na_reason}"
        if e.kind == "note":
            shown = f"note: {e.note or '(removed)'}"
        rows.append(
            (
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.question_id,
                str(e.revision),
                e.kind,
                plain(e.by or ""),
                plain(shown) if shown != "null" else "",
            )
        )
    if len(rows) == 1:
        echo("no changes yet", err=True)
        return
    if question is not None and question in questions:
        # One question: its words head the table, which keeps the id column for scripts.
        echo(plain(questions[question].ask))
    echo("\n".join(columns(rows)))  # one write: thousands of rows print fast


def _known_or_answered(ws: Workshop, pilot_id: str, question_id: str) -> None:
    from pilotbook.errors import NotFound

    book = ws.playbooks.for_pilot(pilot_id)
    if question_id not in {q.id for q in book.questions()} and not ws.answers.history(
        pilot_id, question_id
    ):
        raise NotFound(f"no question {question_id!r} in playbook {book.id}")


def undo(
    pilot: PilotArg,
    question: QuestionArg,
    revision: RevisionOpt = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Undo a question's last change (kept in history as an undo)."""
    ws = workshop()
    with guarded():
        found = ws.pilots.find(pilot)
        _known_or_answered(ws, found.id, question)
        view = ws.answers.undo(found.id, question, expected_revision=revision, by=author(by, found))
    if as_json:
        echo_json(view)
    else:
        echo(f"undone: {question} (now revision {view.revision})")
