"""What an export is made from: the pilot now, or as it stood at a snapshot.

As of a snapshot, the answers, the open actions and the playbook version are
the snapshot's own; the verdict is worked out again from those answers with
that version's rules, and measurements count up to the snapshot's date.
Decisions and sign-offs count up to the snapshot's moment. The scorecard and
the retired answers are added to the documents as Markdown sections
(`pilotbook.export.reports.as_of_markdown`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.workshop.views import ActionInfo, AnswerView, DecisionInfo, SignoffInfo

if TYPE_CHECKING:
    from pilotbook.rules.results import Assessment
    from pilotbook.workshop.measurements import Scorecard
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.upgrade import RetiredAnswer
    from pilotbook.workshop.views import PilotView, SnapshotInfo


@dataclass(frozen=True)
class Source:
    view: PilotView
    assessment: Assessment
    decision: DecisionInfo | None
    signoffs: tuple[SignoffInfo, ...]
    scorecard: Scorecard
    retired: tuple[RetiredAnswer, ...]
    snapshot: SnapshotInfo | None = None


def _action(a: dict[str, Any], pilot_id: str, at: dt.datetime) -> ActionInfo:
    due = dt.date.fromisoformat(a["due"]) if a.get("due") else None
    return ActionInfo(
        a["id"], pilot_id, a["title"], a.get("owner"), due, "open", a.get("question_id"), at, None
    )


def _latest(decisions: list[DecisionInfo]) -> DecisionInfo | None:
    return max(decisions, key=lambda d: d.at) if decisions else None


def export_source(ws: Workshop, pilot_id: str, as_of: str | None = None) -> Source:
    from pilotbook.workshop.measurements import scorecard_of

    view = ws.pilots.open(pilot_id)
    decisions = ws.records.decisions(pilot_id)
    signoffs = ws.records.signoffs(pilot_id)
    measured = ws.measurements.all(pilot_id)
    events = ws.phases.history(pilot_id)
    if as_of is None:
        card = scorecard_of(view, measured)
        assessment = ws.verdict.of_view(view, decisions=decisions, measured=measured, events=events)
        return Source(
            view,
            assessment,
            _latest(decisions),
            tuple(signoffs),
            card,
            tuple(ws.phases.retired_answers(pilot_id)),
        )
    snap = ws.phases.find_snapshot(pilot_id, as_of)
    book = view.playbook
    if snap.playbook_version is not None and snap.playbook_version != book.version:
        book = ws.playbooks.stored(view.summary.playbook_id, snap.playbook_version) or book
    known = {q.id for q in book.questions()}
    answers = {
        qid: AnswerView(
            qid,
            a.get("value"),
            a.get("na_reason"),
            a.get("note"),
            int(a.get("revision") or 0),
            snap.at,
            None,
            qid not in known,
        )
        for qid, a in snap.answers.items()
    }
    then = dataclasses.replace(
        view,
        playbook=book,
        answers=answers,
        actions=tuple(_action(a, pilot_id, snap.at) for a in snap.actions),
        summary=dataclasses.replace(
            view.summary, phase=snap.phase, playbook_version=snap.playbook_version or book.version
        ),
    )
    card = scorecard_of(then, measured, snap.at.date())
    retired = tuple(ws.phases.retired_answers(pilot_id, answers))
    return Source(
        then,
        ws.verdict.of_view(
            then, as_of=snap.at, decisions=decisions, measured=measured, events=events
        ),
        _latest([d for d in decisions if d.at <= snap.at]),
        tuple(x for x in signoffs if x.at <= snap.at),
        card,
        retired,
        snap,
    )
