"""The review screen: the rules' verdict beside the team's decision, and the way on.

Opened from the pilot screen (F10, or a click on the verdict line). It shows
the verdict and its reasons (Enter on a reason jumps to its first question),
risk counts and readiness per section, the accepted risks, the open actions,
the recorded decision and the sign-offs, and what the room said in the
rounds closed in this phase. A risk reason can be accepted here
(who, why, until when). From here the facilitator records the decision,
adds sign-offs, exports the documents, and comes back at the next phase
(diff, scorecard, snapshot, next phase, playbook upgrade).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from pilotbook.tui.screens import review_forms
from pilotbook.tui.screens.review_forms import OUTCOME_LABELS
from pilotbook.tui.service import ServiceCalls, error_text
from pilotbook.tui.text import cell, literal, one_line, wrapped
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.status import VERDICT_MARK
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from pilotbook.rules import Reason
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.review import Review


def _b(key: str, action: str, text: str, bid: str, tip: str, **kw: Any) -> Binding:
    return Binding(key, action, text, id=f"review.{bid}", tooltip=tip, **kw)


@dataclass
class UpgradeCheck:
    """Whether a newer version of the pilot's playbook is current, or why that is unknown."""

    to_version: int | None = None
    problem: str | None = None


def check_upgrade(ws: Workshop, pilot_id: str) -> UpgradeCheck:
    """Never fails: the review and "since last time" show without it, saying why."""
    try:
        plan = ws.phases.upgrade_plan(pilot_id)
    except Exception as e:  # the playbook file gone or broken: said, not fatal
        return UpgradeCheck(problem=error_text(e))
    return UpgradeCheck(plan.to_version if plan.needed else None)


@dataclass
class ReviewRead:
    review: Review
    upgrade: UpgradeCheck


def read_review(ws: Workshop, pilot_id: str) -> ReviewRead:
    from pilotbook.workshop.review import review

    return ReviewRead(review(ws, pilot_id), check_upgrade(ws, pilot_id))


@dataclass
class ReviewOutcome:
    """What the pilot screen must do once the review closes."""

    goto: str | None = None  # a question to show
    reassess: bool = False  # a risk was accepted: the verdict moved
    reload: bool = False  # the pilot moved on (next phase, playbook upgrade): read it again


def day(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d") if moment else "–"


def decision_text(r: Review) -> str:
    d = r.decision
    if d is None:
        return "No decision recorded yet. Press c to record the team's decision."
    lines = [
        f"{OUTCOME_LABELS.get(d.outcome, d.outcome)} · decided by {one_line(d.by or '–', 40)}"
        f" on {day(d.at)}"
    ]
    if r.decision_differs:
        lines.append(f"Differs from the rules' verdict ({r.assessment.label}).")
    lines.append(f"Rationale: {d.rationale}")
    lines += [f"  • condition: {c}" for c in d.conditions]
    if len(r.decisions) > 1:
        lines.append(f"({len(r.decisions) - 1} earlier decision(s) in the record)")
    return "\n".join(lines)


# A reason's result in the 13 columns the table gives it.
RESULT_WORDS = {"no-go": "No-go", "not-ready": "Not ready", "conditional": "Conditions", "go": "Go"}
SCOPE_WORDS = {"all": "brief and charter", "brief": "the brief", "charter": "the charter"}


def signoffs_text(r: Review) -> str:
    if not r.signoffs:
        return "No sign-off yet. Press o to add one."
    return "\n".join(
        f"✓ {one_line(s.name, 40)} · {one_line(s.role or 'no role given', 40)}"
        f" · {SCOPE_WORDS.get(s.scope or 'all', s.scope)} · {day(s.at)}"
        for s in r.signoffs
    )


def accepted_text(r: Review) -> str:
    if not r.acceptances:
        return "No risk accepted. On a risk reason, press a to accept it (who, why, until when)."
    return "\n".join(
        f"{'✓' if a.in_force else '○'} {one_line(a.question, 50)} · by {one_line(a.by, 30)}"
        f" until {a.until.isoformat()} · {a.status} · {one_line(a.why, 60)}"
        for a in r.acceptances
    )


def actions_text(r: Review) -> str:
    if not r.open_actions:
        return "No open action."
    return "\n".join(
        f"☐ {one_line(a.title, 60)} · {one_line(a.owner or 'no owner', 30)}"
        f" · due {a.due.isoformat() if a.due else '–'}"
        for a in r.open_actions
    )


class ReviewScreen(ServiceCalls, Screen[ReviewOutcome]):
    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#reasons"
    BINDINGS = [
        _b("escape", "close", "Back", "back", "Back to the question"),
        _b("c", "decide", "Decide", "decide", "Record the team's decision"),
        _b("o", "sign_off", "Sign off", "signoff", "Add a sign-off (name, role)"),
        _b("O", "signoffs", "Sign-offs", "signoffs", "Edit or withdraw a sign-off"),
        _b("a", "accept_risk", "Accept risk", "accept", "Accept the highlighted risk until a date"),
        _b("e", "export", "Export", "export", "Write the brief or the charter to a file"),
        _b("d", "diff", "Diff", "diff", "What changed between snapshots, or since one"),
        _b("m", "scorecard", "Scorecard", "scorecard", "Measurements against the baselines"),
        _b("s", "snapshot", "Snapshot", "snapshot", "Freeze the answers now, with a label"),
        _b("p", "next_phase", "Next phase", "phase", "Snapshot, then move to the next phase"),
        _b("u", "upgrade", "Upgrade", "upgrade", "Move to the current playbook version"),
        # The page scrolls as a whole, whichever table has the cursor.
        _b(
            "pagedown",
            "page(1)",
            "Page down",
            "pagedown",
            "Scroll the review",
            show=False,
            priority=True,
        ),
        _b(
            "pageup",
            "page(-1)",
            "Page up",
            "pageup",
            "Scroll the review",
            show=False,
            priority=True,
        ),
        _b("end", "edge(1)", "End", "end", "The end of the review", show=False, priority=True),
        _b(
            "home",
            "edge(0)",
            "Top",
            "top",
            "The top: verdict, decision, sign-offs",
            show=False,
            priority=True,
        ),
    ]

    def __init__(self, pilot: PilotScreen) -> None:
        super().__init__()
        self.pilot = pilot
        self.review: Review | None = None
        self.upgrade_to: int | None = None
        self.outcome = ReviewOutcome()
        self.unread: str | None = None  # why the review could not be read
        self.reasons: list[Reason] = []  # as shown: what matters first
        self.because_width = 58

    def holds_keys(self) -> bool:
        """Keys typed while the review loads wait for it: c, o and a act on what it shows."""
        return (self.review is None and self.unread is None) or super().holds_keys()

    @property
    def pilot_id(self) -> str:
        return self.pilot.pilot_id

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · review")
        with VerticalScroll(id="review"):
            yield Static("Working out the verdict…", id="verdict", markup=False)
            yield Static("", id="upgrade-note", markup=False)
            # The decision and the sign-offs first: they are what the room is here for.
            yield Label("Decision · c records it", classes="heading")
            yield Static("", id="decision", markup=False)
            yield Label("Sign-offs · o adds one, O edits or withdraws", classes="heading")
            yield Static("", id="signoffs", markup=False)
            yield Label(
                "Reasons · worst first · Enter jumps to the question · a ✓: a accepts",
                classes="heading",
            )
            yield DataTable(cursor_type="row", zebra_stripes=True, id="reasons")
            yield Static("", id="reason-detail", markup=False)
            # Shown only once a round has closed in this phase: most reviews have none.
            yield Label(
                "What the room said · rounds closed in this phase",
                id="rounds-heading",
                classes="heading",
            )
            yield Static("", id="rounds", markup=False)
            yield Label("Sections · risk counts and readiness", classes="heading")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="sections")
            yield Label("Accepted risks", classes="heading")
            yield Static("", id="accepted", markup=False)
            yield Label("Open actions", classes="heading")
            yield Static("", id="open-actions", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        # Fixed widths: the header never has to catch up with rows that arrive later.
        reasons = self.query_one("#reasons", DataTable)
        # "Because" takes the rest of the width and wraps: a reason is read whole.
        self.because_width = max(self.app.size.width - 13 - 9 - 10, 30)
        for label, width in [("Result", 13), ("Accept", 7), ("Because", self.because_width)]:
            reasons.add_column(label, width=width)
        sections = self.query_one("#sections", DataTable)
        for label, width in [("Section", 21), ("Phase", 12), ("Ready", 11)]:
            sections.add_column(label, width=width)
        for label in ("High", "Med", "None", "Open", "N/A"):
            sections.add_column(label, width=4)
        for hidden in ("#upgrade-note", "#rounds-heading", "#rounds"):
            self.query_one(hidden).display = False
        self.load()

    def load(self) -> None:
        pid = self.pilot_id

        def failed(error: Exception) -> None:
            self.unread = error_text(error)
            if self.review is None:
                text = f"⚠ Could not review the pilot: {self.unread} (Esc goes back)"
                self.query_one("#verdict", Static).update(literal(text))

        self.call(
            lambda ws: read_review(ws, pid),
            self.show_review,
            failure="Could not review the pilot",
            group="review",
            exclusive=True,
            on_error=failed,
        )

    def show_review(self, read: ReviewRead) -> None:
        r = read.review
        self.review, self.upgrade_to, self.unread = r, read.upgrade.to_version, None
        a = r.assessment
        self.query_one(TopBar).title = f"pilotbook · review · {r.pilot.name}"
        mark, cls = VERDICT_MARK[a.verdict]
        head = f"{mark} Verdict: {a.label}"
        if a.phase_title:
            head += f" · {a.phase_title}" + (f": {a.decides}" if a.decides else "")
        head += f" · {r.playbook.title} v{r.pilot.playbook_version}"
        verdict = self.query_one("#verdict", Static)
        verdict.update(literal(head))
        verdict.set_classes(cls)
        note = self.query_one("#upgrade-note", Static)
        problem = read.upgrade.problem
        note.display = self.upgrade_to is not None or problem is not None
        if problem is not None:
            note.update(literal(f"⚠ Could not check for a newer playbook: {problem}"))
        elif self.upgrade_to is not None:
            note.update(
                f"▲ Version {self.upgrade_to} of the playbook is current; this pilot was "
                f"answered with version {r.pilot.playbook_version}. Press u to see the move."
            )
        self.fill_reasons(r)
        self.fill_sections(r)
        self.query_one("#accepted", Static).update(literal(accepted_text(r)))
        self.query_one("#open-actions", Static).update(literal(actions_text(r)))
        self.query_one("#decision", Static).update(literal(decision_text(r)))
        self.query_one("#signoffs", Static).update(literal(signoffs_text(r)))
        said = r.rounds.lines() if r.rounds else []
        self.query_one("#rounds", Static).update(literal("\n".join(said)))
        for part in ("#rounds-heading", "#rounds"):
            self.query_one(part).display = bool(said)

    def fill_reasons(self, r: Review) -> None:
        table = self.query_one("#reasons", DataTable)
        table.clear()
        a = r.assessment
        self.reasons = list(a.weighed)  # what matters first; rows are keyed by index here
        for i, reason in enumerate(self.reasons):
            mark = VERDICT_MARK[reason.result][0]
            table.add_row(
                f"{mark} {RESULT_WORDS[reason.result]}",
                "a ✓" if reason.acceptable else "",
                wrapped(reason.because, self.because_width),
                key=str(i),
                height=None,
            )
        for p in a.problems:
            table.add_row("⚠ problem", "", wrapped(str(p), self.because_width), height=None)
        if not a.reasons and not a.problems:
            table.add_row("✓ go", "", "Every gate passes.")
        self.show_reason(0)

    def show_reason(self, row: int) -> None:
        """The highlighted reason in full: the table has room for one line of it."""
        detail = self.query_one("#reason-detail", Static)
        r = self.review
        if r is None or not 0 <= row < len(self.reasons):
            detail.update("")
            return
        reason = self.reasons[row]
        lines = [one_line(reason.because, 240)]
        if reason.fix:
            lines.append(f"What would change it: {reason.fix}")
        if reason.questions:
            asks = "; ".join(one_line(r.ask(q), 60) for q in reason.questions[:4])
            more = f" (+{len(reason.questions) - 4} more)" if len(reason.questions) > 4 else ""
            lines.append(f"Questions: {asks}{more}")
        detail.update(literal("\n".join(lines)))

    @on(DataTable.RowHighlighted, "#reasons")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_reason(event.cursor_row)

    def next_acceptable(self) -> int | None:
        """The row of the next reason that can be accepted, from the cursor on (wrapping)."""
        rows = len(self.reasons)
        here = self.query_one("#reasons", DataTable).cursor_row
        for step in range(rows):
            row = (here + step) % rows
            if self.reasons[row].acceptable:
                return row
        return None

    def fill_sections(self, r: Review) -> None:
        table = self.query_one("#sections", DataTable)
        table.clear()
        for s in r.assessment.sections:
            ready = "✓ ready" if s.ready else f"○ {len(s.missing)} missing"
            counts = [str(s.counts.get(k, 0)) for k in ("high", "medium", "none", "unanswered")]
            table.add_row(
                cell(one_line(s.title, 21)),
                cell(one_line(r.phase_title(s.phase), 12)),
                ready,
                *counts,
                str(s.counts.get("not-applicable", 0)),
            )

    @on(DataTable.RowSelected, "#reasons")
    def _jump(self, event: DataTable.RowSelected) -> None:
        if self.review is None or event.row_key.value is None:
            return
        reason = self.reasons[int(event.row_key.value)]
        if not reason.questions:
            self.notify("This reason names no question.")
            return
        qid = reason.questions[0]
        if self.review.section_of(qid) is None:
            self.notify(f"{qid} is not in the playbook's current version.", markup=False)
            return
        self.outcome.goto = qid
        self.dismiss(self.outcome)

    def action_close(self) -> None:
        self.dismiss(self.outcome)

    def action_page(self, direction: int) -> None:
        page = self.query_one("#review", VerticalScroll)
        if direction > 0:
            page.scroll_page_down(animate=False)
        else:
            page.scroll_page_up(animate=False)

    def action_edge(self, end: int) -> None:
        page = self.query_one("#review", VerticalScroll)
        if end:
            page.scroll_end(animate=False)
        else:
            page.scroll_home(animate=False)

    def reload(self, _: object = None) -> None:
        self.load()

    def pilot_moved(self) -> None:
        """The pilot moved on (next phase, playbook upgrade): its screen reads it again."""
        self.outcome.reload = True
        self.reload()

    # ------------------------------------------------------------ decision, sign-off

    def action_decide(self) -> None:
        review_forms.decide(self)

    def action_sign_off(self) -> None:
        review_forms.sign_off(self)

    def action_signoffs(self) -> None:
        from pilotbook.tui.screens.signoffs import SignoffsScreen

        self.app.push_screen(SignoffsScreen(self.pilot), self.reload)

    def action_accept_risk(self) -> None:
        review_forms.accept_risk(self)

    # ------------------------------------------------------------ the way on

    def action_export(self) -> None:
        from pilotbook.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.pilot_id))

    def action_diff(self) -> None:
        from pilotbook.tui.screens.revisit import DiffScreen

        self.app.push_screen(DiffScreen(self.pilot_id))

    def action_scorecard(self) -> None:
        from pilotbook.tui.screens.scorecard import ScorecardScreen

        self.app.push_screen(ScorecardScreen(self.pilot_id), self.reload)

    def action_snapshot(self) -> None:
        from pilotbook.tui.screens import revisit

        revisit.take_snapshot(self)

    def action_next_phase(self) -> None:
        from pilotbook.tui.screens import revisit

        revisit.next_phase(self)

    def action_upgrade(self) -> None:
        from pilotbook.tui.screens import revisit

        revisit.offer_upgrade(self)
