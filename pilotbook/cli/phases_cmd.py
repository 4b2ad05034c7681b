"""Commands for coming back at each phase: phase, snapshot, snapshots, diff, measure,
scorecard, upgrade.

Bodies import the service when they run, so `--help` stays light. Bad input
is one line on stderr and exit code 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pilotbook.cli.common import author, echo, echo_json, fail, guarded, workshop
from pilotbook.cli.exits import DATA
from pilotbook.cli.options import JsonOpt, PilotArg, parse_date
from pilotbook.cli.pilots_show import columns, plain

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.phases import CarryOver

ByOpt = Annotated[str | None, typer.Option("--by", help="Who did it (kept in the history).")]


def _carry_lines(c: CarryOver, book: Playbook) -> list[str]:
    from pilotbook.workshop.phase_names import phase_title

    lines = []
    if c.from_phase and c.unanswered:
        lines.append(f"still unanswered from {plain(phase_title(book, c.from_phase))}:")
        lines += [f"  {u.question_id}: {plain(u.ask)}" for u in c.unanswered]
    if c.open_actions:
        lines.append("open actions:")
        for a in c.open_actions:
            due = f" due {a.due.isoformat()}" if a.due else ""
            lines.append(f"  {a.id[:8]} {plain(a.title)}{due}")
    return lines


def phase(
    pilot: PilotArg,
    to: Annotated[
        str | None,
        typer.Argument(
            help="`next`, or a phase (its id or its title). Leave out to see the phase "
            "and what is open."
        ),
    ] = None,
    by: ByOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Move to the next phase even after a no-go or with required answers open.",
        ),
    ] = False,
) -> None:
    """Show the pilot's phase, or move it on (a snapshot of the phase left is taken first)."""
    from pilotbook.export.reports import since_markdown
    from pilotbook.workshop.phase_names import phase_title

    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        book = ws.playbooks.for_pilot(summary.id)
        if to is None:
            echo(f"{plain(summary.name)}: phase {plain(phase_title(book, summary.phase))}")
            for p in book.phases:
                mark = "*" if p.id == summary.phase else " "
                echo(f" {mark} {p.id}: {plain(p.title)}")
            since = ws.phases.since_last_time(summary.id)
            if since is not None:
                echo("")
                echo(since_markdown(since), nl=False)
            lines = _carry_lines(ws.phases.carry_over(summary.id), book)
            said = ws.rounds.in_phase(summary.id).lines()
            if said:
                lines += ["rounds closed in this phase:", *(f"  {plain(x)}" for x in said)]
            if lines:
                echo("")
                echo("\n".join(lines))
            return
        if to == "next":
            warning = None if force else ws.phases.move_warning(summary.id)
            if warning:
                fail(f"{warning} Add --force to move anyway.", DATA)
            moved = ws.phases.advance(summary.id, by=author(by, summary))
        else:
            moved = ws.phases.set(summary.id, to, by=author(by, summary))
        snap = ws.records.snapshots(summary.id)[-1] if moved.phase != summary.phase else None
        carry = ws.phases.carry_over(summary.id)
    now = plain(phase_title(book, moved.phase))
    if snap is None:
        echo(f"{summary.slug} is in {now} already")
        return
    echo(f"moved to {now} (snapshot {snap.id[:8]} {plain(snap.label)})")
    lines = _carry_lines(carry, book)
    if lines:
        echo("\n".join(lines))


def snapshot(
    pilot: PilotArg,
    label: Annotated[
        str | None,
        typer.Option("--label", "-l", help="A name for it (default: the date and time)."),
    ] = None,
    by: ByOpt = None,
) -> None:
    """Freeze the answers, the verdict, the open actions and the playbook version."""
    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        snap = ws.phases.snapshot(
            summary.id, label or f"{ws.clock():%Y-%m-%d %H:%M:%S}", by=author(by, summary)
        )
    echo(f"snapshot taken: {snap.id[:8]} {plain(snap.label)}")


def snapshots(pilot: PilotArg, as_json: JsonOpt = False) -> None:
    """List the pilot's snapshots, oldest first."""
    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        found = ws.records.snapshots(summary.id)
    if as_json:
        echo_json(
            [
                {
                    "id": s.id,
                    "label": s.label,
                    "at": s.at,
                    "phase": s.phase,
                    "kind": s.kind,
                    "playbook_version": s.playbook_version,
                    "verdict": (s.verdict or {}).get("verdict"),
                    "open_actions": len(s.actions),
                }
                for s in found
            ]
        )
        return
    if not found:
        echo("no snapshots yet")
        return
    rows = [("ID", "TAKEN", "PHASE", "KIND", "VERDICT", "LABEL")]
    for s in found:
        verdict = str((s.verdict or {}).get("verdict", "-"))
        rows.append(
            (
                s.id[:8],
                f"{s.at:%Y-%m-%d %H:%M}",
                s.phase or "-",
                s.kind or "-",
                verdict,
                plain(s.label),
            )
        )
    echo("\n".join(columns(rows)))


def diff(
    pilot: PilotArg,
    a: Annotated[str, typer.Argument(help="A snapshot: its label or an id prefix.")],
    b: Annotated[
        str | None, typer.Argument(help="Another snapshot; leave out to compare with now.")
    ] = None,
) -> None:
    """Print what changed between two snapshots, or since a snapshot, as Markdown."""
    from pilotbook.export.reports import diff_markdown

    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        d = ws.phases.diff(summary.id, a, b)
    echo(diff_markdown(d, f"What changed: {summary.name}"), nl=False)


def measure(
    pilot: PilotArg,
    metric: Annotated[str, typer.Argument(help="A baseline metric: its id or its name.")],
    value: Annotated[
        str,
        typer.Argument(help="The measured value, a number read as `answer` reads one (1,200)."),
    ],
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it was measured: YYYY-MM-DD. Default: today."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Where the figure comes from.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything worth knowing.")] = None,
) -> None:
    """Record a measured value of a baseline metric."""
    when = None if at is None else parse_date(at, "--at")
    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        m = ws.measurements.record(summary.id, metric, value, when, source, note)
        card = ws.measurements.scorecard(summary.id)
    status = next((c.status for c in card.cards if c.metric.key == m.metric), "")
    echo(f"measured {m.metric} = {m.value:g} on {m.measured_on.isoformat()} ({status})")


def scorecard(pilot: PilotArg, as_json: JsonOpt = False) -> None:
    """Each baseline metric: baseline, target, kill threshold, measurements and status."""
    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        card = ws.measurements.scorecard(summary.id)
    if as_json:
        echo_json(card.to_json())
        return
    if not card.cards:
        echo("no baseline metrics yet: answer the baselines table first")
        return

    def num(v: float | None) -> str:
        return "-" if v is None else f"{v:g}"

    rows = [("METRIC", "BASELINE", "TARGET", "KILL", "BETTER", "LATEST", "TREND", "STATUS")]
    for c in card.cards:
        m = c.metric
        rows.append(
            (
                plain(m.key),
                num(m.baseline),
                num(m.target),
                num(m.kill),
                m.direction.split(" ")[0],
                num(c.latest.value if c.latest else None),
                c.sparkline or "-",
                c.status,
            )
        )
    echo("\n".join(columns(rows)))


def upgrade(
    pilot: PilotArg,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what the move does; change nothing.")
    ] = False,
    by: ByOpt = None,
) -> None:
    """Move a pilot to the current version of its playbook; nothing answered is lost."""
    ws = workshop()
    with guarded():
        summary = ws.pilots.find(pilot)
        plan = ws.phases.upgrade_plan(summary.id)
        if not plan.needed:
            echo(f"{summary.slug} is on {plan.playbook_id} v{plan.to_version}, the current one")
            return
        echo(f"{plan.playbook_id}: v{plan.from_version} -> v{plan.to_version}")
        if not plan.old_known:
            echo(f"  (v{plan.from_version} was not kept: changed types cannot be told)")
        words = {
            "added": "new",
            "removed": "removed (answer kept as retired)",
            "retyped": "type changed",
            "options": "options changed",
        }
        for m in plan.moves:
            answered = " [answered]" if m.answered else ""
            echo(f"  {words[m.kind]}: {m.question_id} ({plain(m.detail)}){answered}")
        if dry_run:
            return
        done = ws.phases.upgrade(summary.id, by=author(by, summary))
    echo(f"upgraded; snapshot {done.snapshot.id[:8]} {plain(done.snapshot.label)} taken first")
    for qid in done.flagged:
        echo(f"  flagged for review: {qid}")
