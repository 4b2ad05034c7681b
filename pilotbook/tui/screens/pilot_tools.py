"""The workshop tools of the pilot screen: N/A, notes, actions, history, session, verdict."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from pilotbook.tui.screens.modals import Field, FormScreen
from pilotbook.tui.text import cell, literal, one_line

if TYPE_CHECKING:
    from pilotbook.errors import Conflict
    from pilotbook.tui.screens.pilot import PilotScreen
    from pilotbook.tui.screens.saving import Op
    from pilotbook.workshop.views import AnswerEvent, AnswerView


def shown(screen: PilotScreen, question_id: str, value: Any) -> str:
    from pilotbook.playbook.values import display

    if value is None:
        return "(no answer)"
    try:
        return display(screen.playbook.question(question_id), value)  # type: ignore[union-attr]  # loaded
    except Exception:
        return repr(value)


def shown_now(screen: PilotScreen) -> dict[str, bool]:
    """Which questions show with the answers as the room sees them: saved, on their way
    to the store, and the one in the field. The last assessment may not know of the
    answer just given, and a follow-up question it reveals must not be skipped."""
    from pilotbook.playbook.kinds import cel_answers
    from pilotbook.rules import visibility

    assert screen.playbook is not None
    values = {q: a.value for q, a in screen.answers.items() if not a.retired}
    na = {q for q, a in screen.answers.items() if not a.retired and a.na_reason is not None}
    for qid, op in screen.saves.unsaved():
        if op[0] in ("set", "clear"):
            values[qid] = op[1]
            na.discard(qid)
        elif op[0] == "na":
            values[qid] = None
            na.add(qid)
    for widget in screen.inputs_shown():
        with suppress(ValueError):  # text that is not an answer yet changes nothing
            value = widget.read()
            values[widget.question.id] = value
            if value is not None:
                na.discard(widget.question.id)
    try:
        activation = {"answers": cel_answers(screen.playbook, values), "na": sorted(na)}
        return visibility(screen.playbook, activation)[0]
    except Exception:  # an odd value: the last assessment decides, as before
        return {q.id: screen.question_shown(q.id) for q in screen.playbook.questions()}


def when(screen: PilotScreen, moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def not_applicable(screen: PilotScreen) -> None:
    if screen.current is None:
        return
    qid = screen.current
    answer = screen.answer(qid)

    def done(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        if values["reason"]:
            screen.queue(qid, ("na", values["reason"], answer.revision), rebuild=True)
        elif answer.na_reason:
            screen.queue(qid, ("clear", None, answer.revision), rebuild=True)

    hint = " (leave empty to make it applicable again)" if answer.na_reason else ""
    screen.app.push_screen(
        FormScreen(
            "Not applicable",
            [Field("reason", "Why it does not apply" + hint, "longtext", answer.na_reason)],
        ),
        done,
    )


def note(screen: PilotScreen) -> None:
    if screen.current is None:
        return
    qid = screen.current
    answer = screen.answer(qid)

    def done(values: dict[str, Any] | None) -> None:
        if values is not None:
            # Based on the note the editor showed: a note changed elsewhere since
            # is a conflict, not an overwrite.
            screen.queue(qid, ("note", values["note"], answer.revision))

    current = answer.note
    screen.app.push_screen(
        FormScreen(
            "Note",
            [
                Field(
                    "note", "Note on this question (Ctrl+S saves, Esc cancels)", "longtext", current
                )
            ],
        ),
        done,
    )


def add_action(screen: PilotScreen) -> None:
    from pilotbook.tui.screens.actions import action_fields

    qid, pid, by = screen.current, screen.pilot_id, screen.by

    def done(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        screen.call(
            lambda ws: ws.records.add_action(
                pid, values["title"], values["owner"], values["due"], question_id=qid, by=by
            ),
            lambda _: screen.notify(f"Action added: {one_line(values['title'], 60)}", markup=False),
            failure="The action was not added",
        )

    screen.app.push_screen(FormScreen("New action", action_fields(screen)), done)


class HistoryScreen(ModalScreen[bool]):
    """Every change of one answer; `u` undoes the last one."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="history.close", tooltip="Back to the question"),
        Binding("u", "undo", "Undo", id="history.undo", tooltip="Undo the last change"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            if not self.rows:
                yield Static("No change yet.", classes="muted")
            with Horizontal(classes="buttons"):
                yield Button("Undo last change", variant="warning", id="undo")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "Who", "What", "Value")
        for row in self.rows:
            table.add_row(*(cell(one_line(text, 60)) for text in row))
        table.styles.max_height = 14

    def action_close(self) -> None:
        self.dismiss(False)

    def action_undo(self) -> None:
        self.dismiss(bool(self.rows))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "undo" and bool(self.rows))


def history(screen: PilotScreen) -> None:
    if screen.current is None:
        return
    qid, pid = screen.current, screen.pilot_id
    screen.call(
        lambda ws: ws.answers.history(pid, qid),
        lambda events: show_history(screen, qid, events),
        failure="No history",
        hold=True,
    )


def show_history(screen: PilotScreen, qid: str, events: list[AnswerEvent]) -> None:
    rows = []
    for e in reversed(events):
        what = {"na": "not applicable", "clear": "cleared"}.get(e.kind, e.kind)
        value = e.na_reason if e.kind == "na" else (e.note if e.kind == "note" else None)
        rows.append((when(screen, e.at), e.by or "–", what, value or shown(screen, qid, e.value)))

    # The undo takes back the last change the list showed, and nothing newer.
    seen = events[-1].revision if events else 0

    def done(undo: bool | None) -> None:
        if undo:
            screen.queue(qid, ("undo", None, seen), rebuild=True)

    title = f"History of {one_line(screen.question().ask, 50)}"
    screen.app.push_screen(HistoryScreen(title, rows), done)


class ConflictScreen(ModalScreen[str]):
    """Someone else saved this answer first: pick the value that stands."""

    BINDINGS = [
        Binding("m", "pick('mine')", "Keep mine", id="conflict.mine", tooltip="Save yours over it"),
        Binding("t", "pick('theirs')", "Keep theirs", id="conflict.theirs", tooltip="Drop yours"),
    ]

    def __init__(self, question: str, mine: str, theirs: str) -> None:
        super().__init__()
        self.question, self.mine, self.theirs = question, mine, theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Changed by someone else meanwhile", classes="title")
            yield Static(literal(one_line(self.question, 200)))
            yield Label("Yours:", classes="muted")
            yield Static(literal(self.mine), id="mine")
            yield Label("Saved by the other writer:", classes="muted")
            yield Static(literal(self.theirs), id="theirs")
            with Horizontal(classes="buttons"):
                yield Button("Keep mine (m)", variant="primary", id="pick-mine")
                yield Button("Keep theirs (t)", id="pick-theirs")

    def action_pick(self, which: str) -> None:
        self.dismiss(which)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("pick-"))


def resolve_conflict(screen: PilotScreen, qid: str, op: Op, conflict: Conflict) -> None:
    screen.saves.done(qid)
    kind, payload = op[0], op[1]
    mine = shown(screen, qid, payload) if kind == "set" else f"{kind}: {payload}"
    if conflict.mine_text is not None and kind != "set":
        mine = conflict.mine_text
    pid = screen.pilot_id

    def done(which: str | None) -> None:
        if which == "mine":
            # Again, on the revision now in the store (the dialog's own one is dropped).
            screen.queue(qid, (kind, payload, conflict.current_revision))
            return

        def theirs_kept(fresh: AnswerView) -> None:
            screen.set_state(qid, "kept the other writer's answer")
            screen.adopt(qid, fresh)

        screen.call(
            lambda ws: ws.pilots.open(pid).answer(qid),
            theirs_kept,
            failure="Could not read the answer",
        )

    assert screen.playbook is not None
    question = screen.playbook.question(qid).ask
    theirs = conflict.theirs_text
    if theirs is None:
        theirs = shown(screen, qid, conflict.theirs)
    if conflict.part == "note":
        question = f"Note on: {question}"
    screen.app.push_screen(ConflictScreen(question, mine, theirs), done)


class VerdictScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f9", "close", "Close", id="verdict.close", tooltip="Close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            with VerticalScroll():
                yield Static(literal(self.body))

    def action_close(self) -> None:
        self.dismiss(None)


def _ask(screen: PilotScreen, question_id: str) -> str:
    try:
        return screen.playbook.question(question_id).ask  # type: ignore[union-attr]  # loaded
    except KeyError:
        return question_id


def verdict(screen: PilotScreen) -> None:
    a = screen.assessment
    if a is None or screen.playbook is None:
        screen.notify("The verdict is still being worked out.")
        return
    lines: list[str] = []
    # What matters first: hard stops, then conditions; the answers still missing last.
    for r in a.weighed:
        if r.gate == "missing-answers":
            continue
        lines.append(f"{r.result.upper()}: {r.because}")
        if r.questions:
            asks = "; ".join(one_line(_ask(screen, q), 70) for q in r.questions)
            lines.append(f"  questions: {asks}")
        if r.fix:
            lines.append(f"  what would change it: {r.fix}")
        if r.acceptable:
            lines.append("  can be accepted for a while: F10, then a on it")
        lines.append("")
    if a.missing:
        lines.append(f"Required answers missing ({len(a.missing)}):")
        for qid in a.missing:
            lines.append(f"  ○ {one_line(screen.playbook.question(qid).ask, 90)}")
        lines.append("")
    for p in a.problems:
        lines.append(f"playbook problem: {p}")
    if not lines:
        lines.append("Every gate passes.")
    screen.app.push_screen(VerdictScreen(f"Verdict: {a.label}", "\n".join(lines).strip()))
