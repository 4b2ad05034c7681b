"""The review's forms: the decision, a sign-off, an accepted risk (each sent to the
service by a ServiceForm, its error shown in the form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import DataTable

from pilotbook.tui.screens.forms import ServiceForm
from pilotbook.tui.screens.modals import Field
from pilotbook.tui.text import one_line

if TYPE_CHECKING:
    from pilotbook.tui.screens.review import ReviewScreen
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.verdict import AcceptanceInfo
    from pilotbook.workshop.views import DecisionInfo, SignoffInfo

OUTCOME_LABELS = {"go": "Go", "conditional": "Go with conditions", "no-go": "No-go"}


def decide(screen: ReviewScreen) -> None:
    """c: the team's decision, beside the rules' verdict."""
    from pilotbook.workshop.review import decide as record

    verdict = screen.review.assessment.verdict if screen.review else None
    default = verdict if verdict in OUTCOME_LABELS else None
    options = [(label, key) for key, label in OUTCOME_LABELS.items()]
    hint = f" (the rules say {OUTCOME_LABELS.get(verdict or '', 'not ready')})"
    fields = [
        Field("outcome", "Decision" + hint, "select", default, True, options),
        Field("rationale", "Rationale (required when it differs from the rules)", "longtext"),
        Field("by", "Decided by", value=screen.pilot.by, suggestions=screen.pilot.people),
    ]

    pid = screen.pilot_id

    def job(ws: Workshop, v: dict[str, Any]) -> DecisionInfo:
        return record(ws, pid, v["outcome"], v["rationale"], by=v["by"])

    def done(result: DecisionInfo) -> None:
        screen.notify(f"Decision recorded: {OUTCOME_LABELS[result.outcome]}")
        screen.reload()

    screen.app.push_screen(ServiceForm("Record the decision", fields, job, done))


def sign_off(screen: ReviewScreen) -> None:
    """o: a named person signs the brief, the charter, or both."""
    from pilotbook.workshop.review import sign_off as record

    scopes = [("Brief and charter", "all"), ("Brief", "brief"), ("Charter", "charter")]
    fields = [
        Field("name", "Name", required=True, suggestions=screen.pilot.people),
        Field("role", "Role"),
        Field("scope", "Signs for", "select", "all", True, scopes),
    ]

    pid, by = screen.pilot_id, screen.pilot.by

    def job(ws: Workshop, v: dict[str, Any]) -> SignoffInfo:
        return record(ws, pid, v["name"], v["role"], v["scope"], by=by)

    def done(result: SignoffInfo) -> None:
        screen.notify(f"Signed off by {one_line(result.name, 40)}", markup=False)
        screen.reload()

    screen.app.push_screen(ServiceForm("Add a sign-off", fields, job, done))


def accept_risk(screen: ReviewScreen) -> None:
    """a: the highlighted risk accepted by someone, for a reason, until a date."""
    r = screen.review
    table = screen.query_one("#reasons", DataTable)
    row = table.cursor_row
    if r is None or not 0 <= row < len(screen.reasons):
        return
    reason = screen.reasons[row]
    if not reason.acceptable:
        # Not this one: go to the next reason that can be ("a ✓"), or say there is none.
        found = screen.next_acceptable()
        if found is None:
            screen.notify("No reason here can be accepted: hard stops and gates can only be fixed.")
        else:
            table.move_cursor(row=found)
            screen.notify("This risk can be accepted: a again to accept it.")
        return
    qid = reason.questions[0]
    fields = [
        Field(
            "by",
            "Accepted by",
            value=screen.pilot.by,
            required=True,
            suggestions=screen.pilot.people,
        ),
        Field("why", "Why it is acceptable", "longtext", required=True),
        Field("until", "Until (YYYY-MM-DD)", "date", required=True),
    ]

    pid = screen.pilot_id

    def job(ws: Workshop, v: dict[str, Any]) -> AcceptanceInfo:
        return ws.verdict.accept(pid, qid, by=v["by"], why=v["why"], until=v["until"])

    def done(result: AcceptanceInfo) -> None:
        screen.notify(f"Risk accepted until {result.until.isoformat()}")
        screen.reload()
        screen.outcome.reassess = True

    title = f"Accept the risk: {one_line(r.ask(qid), 50)}"
    screen.app.push_screen(ServiceForm(title, fields, job, done))
