"""Actions on their way out: to a tracker's file, and the ones a playbook suggests.

from pilotbook.workshop.tracking import export_actions, suggested_actions
out = export_actions(ws, pilot_id, "jira-csv")      # out.filename, out.text
for s in suggested_actions(ws, pilot_id): ...       # improvement plans of a lens
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pilotbook.errors import InvalidValue

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import ActionInfo, PilotView


@dataclass(frozen=True)
class ActionsExport:
    fmt: str
    filename: str  # a suggestion: <slug>-actions.<suffix>
    text: str


@dataclass(frozen=True)
class Suggestion:
    question_id: str
    option_id: str
    risk: str  # high or medium: the question's risk now
    title: str  # the option's suggested action


def next_review(view: PilotView) -> dt.date | None:
    """The pilot's next review date: its answer to a date question `next_review`."""
    answer = view.answers.get("next_review")
    if answer is None or answer.retired or not isinstance(answer.value, str):
        return None
    try:
        return dt.date.fromisoformat(answer.value)
    except ValueError:
        return None


def export_actions(
    ws: Workshop, pilot_id: str, fmt: str, *, open_only: bool = False, bom: bool = False
) -> ActionsExport:
    """The pilot's actions (all, or the open ones) as a tracker's file; `bom` starts
    a CSV with the byte order mark Excel needs."""
    from pilotbook.export import trackers

    if fmt not in trackers.FORMATS:
        known = ", ".join(trackers.FORMATS)
        raise InvalidValue(f"an actions export is one of {known}, not {fmt!r}")
    view = ws.pilots.open(pilot_id)
    actions: list[ActionInfo] = ws.records.actions(pilot_id, open_only=open_only)
    # A tracker's reader sees the question in words: the trackers show whatever
    # `question_id` holds, so it is given the question as the playbook asks it.
    asks = {q.id: q.ask for q in view.playbook.questions()}
    actions = [
        dataclasses.replace(a, question_id=asks.get(a.question_id, a.question_id))
        if a.question_id
        else a
        for a in actions
    ]
    s = view.summary
    pilot = trackers.PilotRef(s.id, s.slug, s.name, next_review(view))
    text = trackers.render(fmt, actions, pilot, now=ws.clock(), bom=bom)
    return ActionsExport(fmt, trackers.filename(s.slug, fmt), text)


def suggested_actions(ws: Workshop, pilot_id: str) -> list[Suggestion]:
    """For each question at high or medium risk, the suggested action of every option
    not chosen (an imported lens's improvement plans), in playbook order."""
    view = ws.pilots.open(pilot_id)
    risks = ws.verdict.assess(pilot_id).question_risks
    out = []
    for q in view.playbook.questions():
        risk = risks.get(q.id)
        if risk is None or risk.risk not in ("high", "medium"):
            continue
        answer = view.answers.get(q.id)
        value = answer.value if answer is not None else None
        chosen = set(value) if isinstance(value, list) else {value}
        for o in q.options:
            if o.improve and not o.exclusive and o.id not in chosen:
                out.append(Suggestion(q.id, o.id, risk.risk, f"{o.label}: {o.improve}"))
    return out


def add_suggested(ws: Workshop, pilot_id: str) -> list[ActionInfo]:
    """Add each suggestion as an open action on its question, unless it is there already."""
    have = {(a.question_id, a.title) for a in ws.records.actions(pilot_id)}
    added = []
    for s in suggested_actions(ws, pilot_id):
        title = s.title[:2000]
        if (s.question_id, title) not in have:
            added.append(ws.records.add_action(pilot_id, title, question_id=s.question_id))
            have.add((s.question_id, title))
    return added
