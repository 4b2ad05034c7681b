"""Commands at the end of a workshop: verdict, decide, signoff, export.

Bodies import the service, the rules and the exporters when they run, so
`pilotbook --help` never loads Jinja2 or celpy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pilotbook.cli.common import author, echo, echo_json, fail, guarded, workshop
from pilotbook.cli.exits import CANT_CREATE, DATA, USAGE
from pilotbook.cli.options import PilotArg

if TYPE_CHECKING:
    from pilotbook.rules.results import Assessment

VERDICT_EXIT = {"go": 0, "conditional": 1, "no-go": 2, "not-ready": 3}

VERDICT_HELP = """Print the go/no-go verdict of a pilot, its reasons and what would change it.

The verdict answers the question of the pilot's phase ("Should this pilot
start?" before it, "Should it go to production?" at the decision), from the
answers of that phase and the earlier ones; --phase asks another phase's.
A hard stop shows even while answers are missing.

The exit code is the verdict, for scripts: 0 go, 1 conditional (go with the
named conditions), 2 no-go, 3 not ready (required answers missing). When the
verdict cannot be worked out the code is that of the error, 64 and above, as
for every command (64 a mistyped command line, 66 no such pilot, 69 a store
that cannot be used; the table is in docs/guide.md).
"""


def verdict_lines(name: str, a: Assessment, ask: Callable[[str], str] = str) -> list[str]:
    """The verdict for a person: words, not ids (`ask` gives a question's words)."""
    from pilotbook.cli.pilots_show import plain
    from pilotbook.rules.results import VERDICT_LABELS

    lines = [f"{plain(name)}: {a.label}"]
    if a.phase_title:
        asked = f" ({plain(a.decides)})" if a.decides else ""
        lines.append(f"  phase: {plain(a.phase_title)}{asked}")
    for r in a.reasons:
        lines.append(f"  [{VERDICT_LABELS[r.result]}] {plain(r.because)}")
        if r.questions:
            lines.append(f"      questions: {plain('; '.join(ask(q) for q in r.questions))}")
        if r.fix:
            lines.append(f"      to change it: {plain(r.fix)}")
    if a.problems:
        lines.append("problems in the playbook (these checks never count as passed):")
        lines += [f"  {plain(str(p))}" for p in a.problems]
    for acc in a.accepted:
        lines.append(
            f"  accepted risk: “{plain(ask(acc.question_id))}”, by {plain(acc.by)} until "
            f"{acc.until.isoformat()}: {plain(acc.why)}"
        )
    scoped = a.scoped_sections
    ready = sum(1 for s in scoped if s.ready)
    lines.append(
        f"sections ready: {ready} of {len(scoped)}; "
        f"risks: {a.counts['high']} high, {a.counts['medium']} medium, "
        f"{a.counts['unanswered']} unanswered"
    )
    return lines


def _asker(book: Any) -> Callable[[str], str]:
    def ask(question_id: str) -> str:
        try:
            return str(book.question(question_id).ask)
        except KeyError:
            return question_id

    return ask


def verdict(
    pilot: PilotArg,
    phase: Annotated[
        str | None,
        typer.Option(
            "--phase",
            help="The phase whose decision to give, by id or title "
            "(default: the pilot's current phase).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    from pilotbook.cli.common import state
    from pilotbook.workshop.quickread import light_verdict

    light = light_verdict(state.db, pilot, phase)  # a current SQLite store: no ORM
    if light is not None:
        summary, book, assessment = light.view.summary, light.view.playbook, light.assessment
    else:
        with guarded():
            from pilotbook.workshop import open_workshop
            from pilotbook.workshop.phase_names import phase_id

            ws = open_workshop(state.db)
            summary = ws.pilots.find(pilot)
            book = ws.playbooks.for_pilot(summary.id)
            if phase is not None:
                phase = phase_id(book, phase)  # an id or a title
            assessment = ws.verdict.assess(summary.id, phase)
    if as_json:
        echo_json({"pilot": summary.slug, "name": summary.name, **assessment.to_json()})
    else:
        for line in verdict_lines(summary.name, assessment, _asker(book)):
            echo(line)
    raise typer.Exit(VERDICT_EXIT[assessment.verdict])


def decide(
    pilot: PilotArg,
    outcome: Annotated[str, typer.Argument(help="The team's decision: go, conditional or no-go.")],
    rationale: Annotated[
        str | None,
        typer.Option(
            "--rationale",
            "-r",
            help="Why. Required when the decision differs from the computed verdict.",
        ),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decided.")] = None,
    conditions: Annotated[
        list[str] | None,
        typer.Option(
            "--condition",
            "-c",
            help="A condition of a conditional go (repeat it). Default: the rules' conditions.",
        ),
    ] = None,
) -> None:
    """Record the team's go / conditional / no-go decision, with its rationale."""
    from pilotbook.workshop.review import decide as record

    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        d = record(
            ws,
            summary.id,
            outcome,
            rationale,
            conditions=conditions or None,
            by=author(by, summary),
        )
    echo(f"decision recorded: {d.outcome} ({d.at:%Y-%m-%d %H:%M} UTC)")


def signoff(
    pilot: PilotArg,
    name: Annotated[str, typer.Argument(help="Who signs.")],
    role: Annotated[str | None, typer.Option("--role", help="Their role.")] = None,
    scope: Annotated[
        str | None,
        typer.Option("--for", help="What they sign: brief, charter or all (default: all)."),
    ] = None,
    edit: Annotated[
        str | None,
        typer.Option(
            "--edit", metavar="ID", help="Correct a sign-off (id prefix): NAME, --role, --for."
        ),
    ] = None,
    withdraw: Annotated[
        bool, typer.Option("--withdraw", help="Withdraw NAME's sign-off (the history keeps it).")
    ] = False,
    by: Annotated[str | None, typer.Option("--by", help="Who makes the change.")] = None,
) -> None:
    """Record a sign-off (name, role, date) on the brief, the charter or both; --edit or
    --withdraw one. Every change is kept in `history`."""
    from pilotbook.workshop.review import sign_off

    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        if edit is not None or withdraw:
            rows = ws.records.signoffs(summary.id)
            if edit is not None:
                found = [r for r in rows if edit.strip() and r.id.startswith(edit.strip())]
            else:
                found = [r for r in rows if r.name.casefold() == name.strip().casefold()]
            if len(found) != 1:
                what = f"id {edit!r}" if edit is not None else f"name {name!r}"
                fail(f"{what} matches {len(found)} sign-offs of {summary.slug}", USAGE)
            if withdraw:
                gone = ws.records.delete_signoff(
                    found[0].id, by=author(by, summary), expected=found[0]
                )
                echo(f"withdrawn: {gone.name}")
                return
            fields: dict[str, str | None] = {"name": name}
            if role is not None:
                fields["role"] = role
            if scope is not None:
                fields["scope"] = scope
            s = ws.records.update_signoff(
                found[0].id, by=author(by, summary), expected=found[0], **fields
            )
            echo(f"sign-off corrected: {s.name}")
            return
        s = sign_off(ws, summary.id, name, role, scope, by=author(by, summary))
    echo(f"signed off: {s.name} ({s.at:%Y-%m-%d})")


def export(
    pilot: PilotArg,
    doc: Annotated[
        str, typer.Option("--doc", "-d", help="brief, charter or all.", metavar="DOC")
    ] = "brief",
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="md, html, pdf, or wa-json (the answers to an imported lens, for the "
            "Well-Architected Tool; --doc is then ignored).",
            metavar="FMT",
        ),
    ] = "md",
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="A file, a folder (files are named <pilot>-<doc>.<format>) or - for stdout.",
            metavar="PATH",
        ),
    ] = ".",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Export the pilot as it stood at a snapshot (its label or an id prefix).",
            metavar="SNAPSHOT",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that are there already.")
    ] = False,
) -> None:
    """Write the go/no-go brief and/or the ownership charter as Markdown, HTML or PDF, or
    the answers to an imported lens for the Well-Architected Tool (wa-json)."""
    from pilotbook.export import TemplateProblem
    from pilotbook.workshop.review import KINDS, ExportExists, export_documents, write_export

    if doc not in (*KINDS, "all"):
        fail(f"--doc is brief, charter or all, not {doc!r}", USAGE)
    kinds = KINDS if doc == "all" else (doc,)
    if fmt == "wa-json":
        kinds = ("brief",)  # one file of answers, whatever --doc says
    target = None if output == "-" else Path(output)
    into_folder = target is not None and (target.is_dir() or output.endswith(("/", os.sep)))
    if target is not None and len(kinds) > 1 and not into_folder:
        fail(f"--doc all writes two files: -o needs a folder, and {output} is not one", USAGE)
    if target is None and len(kinds) > 1 and fmt == "html":
        fail("--doc all --format html cannot go to stdout as one page: give -o a folder", USAGE)
    if target is None and fmt == "pdf":
        fail("a PDF does not go to stdout: give -o a file or a folder", USAGE)
    from pilotbook.cli.common import state
    from pilotbook.workshop.quickread import light_export

    # A current SQLite store and the pilot as it is now: read without the ORM.
    light = None if as_of is not None else light_export(state.db, pilot, kinds, fmt)
    if light is not None:
        exports = light
    else:
        ws = workshop()
        with guarded():
            summary = ws.pilots.find(pilot)
            try:
                exports = export_documents(ws, summary.id, kinds, fmt, as_of=as_of)
            except TemplateProblem as e:
                fail(str(e), DATA)  # the playbook's template
    if target is None:
        # Only text comes here: a PDF to stdout was refused above.
        texts = [made.text for made in exports if isinstance(made.text, str)]
        echo("\n---\n\n".join(texts), nl=False)
        return
    for made in exports:
        path = target / made.filename if into_folder else target
        with guarded():
            try:
                write_export(made.text, path, overwrite=force)
            except ExportExists:
                fail(f"{path} exists already: add --force to replace it", CANT_CREATE)
        echo(f"wrote {path}")
