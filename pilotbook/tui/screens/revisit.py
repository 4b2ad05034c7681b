"""Coming back at each phase: since last time, what changed, snapshots, the next phase,
and moving to the current version of the playbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Label, Select, Static

from pilotbook.errors import Stale
from pilotbook.tui.screens.forms import ServiceForm
from pilotbook.tui.screens.modals import ConfirmScreen, Field, MessageScreen
from pilotbook.tui.service import ServiceCalls
from pilotbook.tui.text import cell, literal, one_line
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.tui.screens.review import ReviewScreen, UpgradeCheck
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.diff import AnswerChange, Diff, SinceLast
    from pilotbook.workshop.phases import CarryOver
    from pilotbook.workshop.upgrade import UpgradePlan, UpgradeResult
    from pilotbook.workshop.views import SnapshotInfo

CHANGE_MARK = {"added": "+ added", "changed": "~ changed", "cleared": "− cleared"}
NOW = "now"


def day(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d") if moment else "now"


def snapshot_name(snap: SnapshotInfo) -> str:
    """Short enough for a picker at 80 columns; the date only when the label lacks it."""
    when = day(snap.at)
    label = one_line(snap.label, 28)
    return label if when in snap.label else f"{one_line(snap.label, 17)} · {when}"


def verdict_line(d: Diff) -> str:
    then, now = d.verdict_then, d.verdict_now
    arrow = "→" if d.verdict_changed else "= (unchanged)"
    return f"Verdict then: {then.label}  {arrow}  now: {now.label}"


def since_text(s: SinceLast, upgrade_to: int | None = None, problem: str | None = None) -> str:
    d = s.diff
    lines = [
        f"Last snapshot: {one_line(s.snapshot.label, 60)} ({day(s.snapshot.at)})",
        verdict_line(d),
        *(f"  ▲ new: {one_line(because, 110)}" for because in d.new_reasons[:3]),
        f"Answers: {d.count('added')} added, {d.count('changed')} changed, "
        f"{d.count('cleared')} cleared",
    ]
    for c in d.changes[:6]:
        lines.append(f"  {CHANGE_MARK[c.change]}: {one_line(c.ask, 54)}")
    if len(d.changes) > 6:
        lines.append(f"  … and {len(d.changes) - 6} more (d shows them all)")
    if s.overdue:
        lines.append(f"Overdue actions ({len(s.overdue)}):")
        lines += [
            f"  ⚠ {one_line(a.title, 50)} · {one_line(a.owner or 'no owner', 24)} · due {a.due}"
            for a in s.overdue
        ]
    else:
        lines.append("No overdue action.")
    if s.missing_measurements:
        names = ", ".join(one_line(m.label, 30) for m in s.missing_measurements)
        lines.append(f"Not measured since the snapshot: {names}")
    if upgrade_to is not None:
        lines.append(f"▲ Version {upgrade_to} of the playbook is current: u shows the move.")
    if problem is not None:
        lines.append(f"⚠ Could not check for a newer playbook: {problem}")
    return "\n".join(lines)


class SinceLastScreen(ModalScreen[str]):
    """Shown first when a pilot with a snapshot is opened; any of its keys dismisses it."""

    DEFAULT_CSS = "SinceLastScreen VerticalScroll { height: auto; max-height: 18; }"

    BINDINGS = [
        Binding("escape,enter", "pick('')", "Carry on", id="since.close", tooltip="To the pilot"),
        Binding("d", "pick('diff')", "Diff", id="since.diff", tooltip="Every change, by section"),
        Binding("u", "pick('upgrade')", "Upgrade", id="since.upgrade", tooltip="Newer playbook"),
    ]

    def __init__(self, since: SinceLast, upgrade: UpgradeCheck) -> None:
        super().__init__()
        self.since, self.upgrade = since, upgrade
        self.upgrade_to = upgrade.to_version

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="since"):
            yield Label("Since last time", classes="title")
            with VerticalScroll():
                text = since_text(self.since, self.upgrade_to, self.upgrade.problem)
                yield Static(literal(text), id="since-body")
            yield Static("Enter: carry on · d: every change, side by side", classes="muted")

    def action_pick(self, what: str) -> None:
        if what == "upgrade" and self.upgrade_to is None:
            return
        self.dismiss(what)


def on_opened(screen: PilotScreen) -> None:
    """After a pilot loads: since last time (if it has a snapshot), else a newer playbook note."""
    from pilotbook.tui.screens.review import check_upgrade

    pid = screen.pilot_id
    today = screen.pb.now().date()

    def job(ws: Workshop) -> tuple[SinceLast | None, UpgradeCheck]:
        return ws.phases.since_last_time(pid, today), check_upgrade(ws, pid)

    def done(result: tuple[SinceLast | None, UpgradeCheck]) -> None:
        since, upgrade = result
        if since is not None:
            then = since.snapshot.id

            def picked(what: str | None) -> None:
                if what == "diff":
                    screen.app.push_screen(DiffScreen(pid, then))
                elif what == "upgrade":
                    offer_upgrade(screen)

            screen.app.push_screen(SinceLastScreen(since, upgrade), picked)
        elif upgrade.to_version is not None:
            screen.notify(
                f"Version {upgrade.to_version} of the playbook is current. "
                "F10 then u shows the move.",
                title="Newer playbook",
            )
        elif upgrade.problem is not None:
            screen.notify(
                f"Could not check for a newer playbook: {upgrade.problem}",
                severity="warning",
                markup=False,
            )

    screen.call(job, done, failure="Could not read what changed since last time", hold=True)


# ------------------------------------------------------------ diff


@dataclass
class Compared:
    snapshots: list[SnapshotInfo]  # oldest first
    diff: Diff | None  # None: no snapshot to compare with


def compare(ws: Workshop, pilot_id: str, a: str | None, b: str | None) -> Compared:
    snaps = ws.records.snapshots(pilot_id)
    a = a or (snaps[-1].id if snaps else None)
    return Compared(snaps, ws.phases.diff(pilot_id, a, b) if a else None)


class DiffScreen(ServiceCalls, Screen[None]):
    """Two states side by side, by section: any two snapshots, or a snapshot and now."""

    DEFAULT_CSS = """
    DiffScreen #diff-pick { height: auto; padding: 0 1; }
    DiffScreen #diff-pick Select { width: 1fr; }
    DiffScreen #diff-verdict { padding: 0 1; text-style: bold; }
    DiffScreen #diff-table { height: 1fr; }
    DiffScreen #diff-empty { padding: 0 1; color: $text-muted; }
    DiffScreen #diff-detail { padding: 0 1; height: auto; max-height: 5; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Back", id="diff.back", tooltip="Back")]

    def __init__(self, pilot_id: str, then: str | None = None) -> None:
        super().__init__()
        self.pilot_id, self.then = pilot_id, then
        self.filling = True
        self.changes: list[AnswerChange | None] = []  # per table row; None for a section
        self.diff: Diff | None = None  # the one shown

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · what changed")
        with Horizontal(id="diff-pick"):
            yield Select([], prompt="From snapshot", id="from")
            yield Select([], prompt="To", id="to")
        yield Static("", id="diff-verdict", markup=False)
        yield Static("", id="diff-empty", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="diff-table")
        yield Static("", id="diff-detail", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Question", "Change", "Then", "Now")
        self.load(self.then, None)

    def load(self, a: str | None, b: str | None) -> None:
        pid = self.pilot_id
        self.call(
            lambda ws: compare(ws, pid, a, b),
            self.show_compared,
            failure="Could not compare",
            group="diff",
            exclusive=True,
        )

    def show_compared(self, compared: Compared) -> None:
        d = compared.diff
        self.diff = d
        if self.filling:
            options = [(literal(snapshot_name(s)), s.id) for s in compared.snapshots]
            self.query_one("#from", Select).set_options(options)
            self.query_one("#to", Select).set_options([("now", NOW), *options])
            if d is not None:
                self.query_one("#from", Select).value = d.then.snapshot_id
                self.query_one("#to", Select).value = d.now.snapshot_id or NOW
            self.call_after_refresh(self._filled)
        empty = self.query_one("#diff-empty", Static)
        table = self.query_one(DataTable)
        table.clear()
        if d is None:
            self.query_one("#diff-verdict", Static).update("")
            empty.update("No snapshot yet: take one from the review screen (s).")
            return
        self.query_one("#diff-verdict", Static).update(literal(verdict_line(d)))
        summary = (
            f"{d.count('added')} added · {d.count('changed')} changed · "
            f"{d.count('cleared')} cleared · {len(d.actions_opened)} action(s) opened · "
            f"{len(d.actions_closed)} closed"
        )
        empty.update("Nothing changed." if d.empty else summary)
        self.changes = []
        # Side by side: the question, then and now share what the terminal has.
        room = max(self.size.width - 22, 30)
        ask_w, side_w = room * 3 // 10, room * 7 // 20
        for section in d.sections:
            table.add_row(cell(f"■ {one_line(section.title, ask_w)}"), "", "", "")
            self.changes.append(None)
            for c in section.changes:
                table.add_row(
                    cell(one_line(c.ask, ask_w)),
                    CHANGE_MARK[c.change],
                    cell(one_line(c.old_text or "–", side_w)),
                    cell(one_line(c.new_text or "–", side_w)),
                )
                self.changes.append(c)
        if len(self.changes) > 1:
            table.move_cursor(row=1)  # the first change, not its section's heading
        self.show_change(1)

    def show_change(self, row: int) -> None:
        """The highlighted change in full, for values longer than their column."""
        detail = self.query_one("#diff-detail", Static)
        c = self.changes[row] if 0 <= row < len(self.changes) else None
        if c is None:
            detail.update("")
            return
        detail.update(
            literal(
                f"{one_line(c.ask, 200)}\nThen: {one_line(c.old_text or '–', 300)}\n"
                f"Now:  {one_line(c.new_text or '–', 300)}"
            )
        )

    @on(DataTable.RowHighlighted, "#diff-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_change(event.cursor_row)

    def _filled(self) -> None:
        self.filling = False

    @on(Select.Changed)
    def _picked(self) -> None:
        if self.filling:
            return
        a = self.query_one("#from", Select).value
        b = self.query_one("#to", Select).value
        if a is Select.NULL:
            return
        self.load(str(a), None if b in (NOW, Select.NULL) else str(b))

    def action_close(self) -> None:
        self.dismiss(None)


# ------------------------------------------------------------ snapshot, next phase


def take_snapshot(screen: ReviewScreen) -> None:
    pid, by = screen.pilot_id, screen.pilot.by
    fields = [Field("label", "Label (e.g. steering group, March)", required=True)]

    def job(ws: Workshop, v: dict[str, Any]) -> SnapshotInfo:
        return ws.phases.snapshot(pid, v["label"], by=by)

    def done(snap: SnapshotInfo) -> None:
        screen.notify(f"Snapshot taken: {one_line(snap.label, 60)}", markup=False)

    screen.app.push_screen(ServiceForm("Take a snapshot", fields, job, done, submit="Take"))


def carry_over_text(c: CarryOver, titles: dict[str, str] | None = None) -> str:
    """What a phase left open; `titles` gives the phases' words for their ids."""
    name = (titles or {}).get
    to = c.to_phase or "–"
    before, after = name(c.from_phase or "", c.from_phase or "–"), name(to, to)
    lines = [f"What “{before}” left open, at the start of “{after}”."]
    if c.empty:
        return "\n".join([*lines, "Nothing carried over: no open action, nothing missing."])
    if c.open_actions:
        lines.append(f"Open actions ({len(c.open_actions)}):")
        lines += [
            f"  ☐ {one_line(a.title, 50)} · {one_line(a.owner or 'no owner', 24)}"
            f" · due {a.due or '–'}"
            for a in c.open_actions
        ]
    if c.unanswered:
        lines.append(f"Required questions of “{before}” still unanswered ({len(c.unanswered)}):")
        lines += [
            f"  ○ {one_line(u.section_title, 24)}: {one_line(u.ask, 60)}" for u in c.unanswered
        ]
    return "\n".join(lines)


def next_phase(screen: ReviewScreen) -> None:
    pid, by = screen.pilot_id, screen.pilot.by
    r = screen.review
    if r is None:
        return
    ids = [p.id for p in r.playbook.phases]
    titles = {p.id: p.title for p in r.playbook.phases}
    here = r.pilot.phase
    if here in ids and ids.index(here) + 1 >= len(ids):
        screen.notify(f"The pilot is in the last phase ({titles[here]}) already.", markup=False)
        return
    to = ids[ids.index(here) + 1] if here in ids else ids[0]
    was = titles.get(here or "", here or "–")

    def job(ws: Workshop) -> CarryOver:
        # From the phase the facilitator confirmed leaving: moved elsewhere since, `Stale`.
        ws.phases.set(pid, to, by=by, expected=here)
        return ws.phases.carry_over(pid)

    def moved(carry: CarryOver) -> None:
        screen.notify(
            f"Moved to “{titles.get(carry.to_phase or '', carry.to_phase or '–')}”; "
            f"a snapshot of “{was}” was taken.",
            markup=False,
        )
        screen.pilot_moved()
        screen.app.push_screen(MessageScreen("Carried over", carry_over_text(carry, titles)))

    def answer(yes: bool | None) -> None:
        if yes:
            screen.call(job, moved, failure="The pilot did not move", on_error=refused)

    def refused(error: Exception) -> None:
        if isinstance(error, Stale):  # the review shows the phase it is in now
            screen.pilot_moved()

    def ask(warning: str | None) -> None:
        question = (
            f"Move from “{was}” to “{titles[to]}”? The answers as they stand are kept "
            "first in a snapshot."
        )
        if warning:
            # a no-go or open required answers: going on is a choice, not the default
            question = f"{warning}\n\n{question}"
        confirm = ConfirmScreen(question, yes="Move", default="no" if warning else "yes")
        screen.app.push_screen(confirm, answer)

    # keys typed while the warning is worked out go to the confirmation
    screen.call(lambda ws: ws.phases.move_warning(pid), ask, failure="Could not check", hold=True)


# ------------------------------------------------------------ upgrade


def plan_text(plan: UpgradePlan) -> str:
    lines = [f"Version {plan.from_version} → {plan.to_version} of {plan.playbook_id}."]
    if not plan.old_known:
        lines.append("The old version was not kept: changed types cannot be compared.")
    titles = {
        "added": "New questions",
        "removed": "Removed (answers kept as retired)",
        "retyped": "Type changed (old value kept, flagged for review)",
        "options": "Options changed",
    }
    for kind, title in titles.items():
        moves = plan.of(kind)  # type: ignore[arg-type]  # the keys are the move kinds
        if moves:
            lines.append(f"{title} ({len(moves)}):")
            for m in moves:
                answered = " · answered" if m.answered else ""
                detail = f" ({m.detail})" if m.detail else ""
                lines.append(f"  • {one_line(m.ask, 60)}{detail}{answered}")
    if not plan.moves:
        lines.append("No question changes: only the version number moves.")
    lines.append("A snapshot is taken first; no answer is deleted.")
    return "\n".join(lines)


class UpgradeScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "answer(False)", "Not now", id="upgrade.no", tooltip="Keep the version"),
        Binding("y", "answer(True)", "Upgrade", id="upgrade.yes", tooltip="Move to it now"),
    ]

    def __init__(self, plan: UpgradePlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Move to the current playbook?", classes="title")
            with VerticalScroll():
                yield Static(literal(plan_text(self.plan)), id="plan")
            with Horizontal(classes="buttons"):
                yield Button("Upgrade (y)", variant="warning", id="yes")
                yield Button("Not now", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def offer_upgrade(screen: ReviewScreen | PilotScreen) -> None:
    """Show the plan, then move on a yes; `screen` is the review or the pilot screen."""
    from pilotbook.tui.screens.review import ReviewScreen

    pid = screen.pilot_id
    by = screen.pilot.by if isinstance(screen, ReviewScreen) else screen.by

    def planned(plan: UpgradePlan) -> None:
        if not plan.needed:
            screen.notify("The pilot uses the current version of its playbook.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                screen.call(lambda ws: ws.phases.upgrade(pid, by=by), upgraded, failure="Not moved")

        screen.app.push_screen(UpgradeScreen(plan), answer)

    def upgraded(result: UpgradeResult) -> None:
        flagged = f"; {len(result.flagged)} answer(s) to review" if result.flagged else ""
        screen.notify(f"Moved to version {result.plan.to_version}{flagged}.", title="Upgrade")
        if isinstance(screen, ReviewScreen):
            screen.pilot_moved()
        else:
            screen.load()

    screen.call(lambda ws: ws.phases.upgrade_plan(pid), planned, failure="Could not plan the move")
