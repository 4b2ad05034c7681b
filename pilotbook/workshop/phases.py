"""Phases and snapshots: coming back to a pilot at each phase.

    from pilotbook.workshop import phases
    phases.advance_phase(ws, pilot_id)          # snapshot of the phase left, then the next
    phases.snapshot(ws, pilot_id, "after the steering meeting")
    phases.find_snapshot(ws, pilot_id, "before-2026-03-02")   # id prefix or label
    phases.carry_over(ws, pilot_id)             # what the previous phase left open
    phases.move_warning(ws, pilot_id)           # why moving on may be early, or None

A snapshot freezes the answers, the verdict with its reasons (kill thresholds
included), the open actions and the playbook version. Nothing changes a
snapshot once taken: there is no API to edit or delete one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import select

from pilotbook.db import tables as t
from pilotbook.workshop import convert
from pilotbook.errors import BadInput, InvalidValue, NotFound
from pilotbook.workshop.keep import record_event

if TYPE_CHECKING:
    from sqlmodel import Session

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import ActionInfo, PilotSummary, PilotView, SnapshotInfo

MAX_LABEL = 200


@dataclass(frozen=True)
class Frozen:
    """What a snapshot holds, made from the pilot as it is now."""

    answers: dict[str, dict[str, Any]]
    verdict: dict[str, Any]
    actions: list[dict[str, Any]]
    playbook_id: str
    playbook_version: int
    phase: str | None


@dataclass(frozen=True)
class Unanswered:
    question_id: str
    ask: str
    section_id: str
    section_title: str


@dataclass(frozen=True)
class CarryOver:
    """What the previous phase left open, for the start of the current one."""

    from_phase: str | None  # None when the pilot is in its first phase
    to_phase: str | None
    open_actions: tuple[ActionInfo, ...]
    unanswered: tuple[Unanswered, ...]  # required questions of the previous phase

    @property
    def empty(self) -> bool:
        return not self.open_actions and not self.unanswered


def action_json(a: ActionInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "owner": a.owner,
        "due": a.due.isoformat() if a.due else None,
        "question_id": a.question_id,
    }


def freeze(ws: Workshop, view: PilotView) -> Frozen:
    from pilotbook.workshop.verdict import assess_view

    assessment = assess_view(ws, view)
    answers = {
        qid: {"value": a.value, "na_reason": a.na_reason, "note": a.note, "revision": a.revision}
        for qid, a in view.answers.items()
    }
    return Frozen(
        answers=answers,
        verdict=assessment.to_json(),
        actions=[action_json(a) for a in view.actions if a.status == "open"],
        playbook_id=view.summary.playbook_id,
        playbook_version=view.summary.playbook_version,
        phase=view.summary.phase,
    )


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise InvalidValue("a snapshot needs a label")
    if len(label) > MAX_LABEL:
        raise InvalidValue(f"a snapshot label has at most {MAX_LABEL} characters")
    return label


def _labels(s: Session, pilot_id: str) -> set[str]:
    return set(s.exec(select(t.Snapshot.label).where(t.Snapshot.pilot_id == pilot_id)).all())


def _write(
    ws: Workshop, s: Session, pilot_id: str, frozen: Frozen, label: str, kind: str, by: str | None
) -> t.Snapshot:
    row = t.Snapshot(
        pilot_id=pilot_id,
        phase=frozen.phase,
        label=label,
        answers_json=convert.dumps(frozen.answers) or "{}",
        verdict_json=convert.dumps(frozen.verdict),
        at=ws.clock(),
        kind=kind,
        playbook_id=frozen.playbook_id,
        playbook_version=frozen.playbook_version,
        actions_json=convert.dumps(frozen.actions),
    )
    s.add(row)
    record_event(ws, s, pilot_id, "snapshot", {"snapshot": row.id, "label": label}, by)
    return row


def snapshot(
    ws: Workshop, pilot_id: str, label: str, *, kind: str = "manual", by: str | None = None
) -> SnapshotInfo:
    """Take a snapshot by hand; its label must be new for this pilot."""
    label = _label(label)
    frozen = freeze(ws, ws.open_pilot(pilot_id))
    with ws._session(write=True) as s:
        if label in _labels(s, pilot_id):
            raise InvalidValue(f"this pilot has a snapshot labelled {label!r} already")
        row = _write(ws, s, pilot_id, frozen, label, kind, by)
    return convert.snapshot(row)


def _free_label(taken: set[str], base: str) -> str:
    label, n = base, 2
    while label in taken:
        label, n = f"{base}-{n}", n + 1
    return label


def set_phase(ws: Workshop, pilot_id: str, phase: str, *, by: str | None = None) -> PilotSummary:
    """Move to any phase; the phase left is frozen in a snapshot first, labelled
    with its id and the date (`before-2026-03-02`)."""
    view = ws.open_pilot(pilot_id)
    book = view.playbook
    ids = [p.id for p in book.phases]
    if phase not in ids:
        raise InvalidValue(f"no phase {phase!r} in {book.id} (phases: {', '.join(ids)})")
    old = view.summary.phase
    if phase == old:
        return view.summary
    frozen = freeze(ws, view)
    with ws._session(write=True) as s:
        pilot = ws._pilot(s, pilot_id)
        base = f"{old or 'start'}-{ws.clock().date().isoformat()}"
        row = _write(ws, s, pilot_id, frozen, _free_label(_labels(s, pilot_id), base), "phase", by)
        pilot.phase, pilot.updated_at = phase, ws.clock()
        record_event(ws, s, pilot_id, "phase", {"from": old, "to": phase, "snapshot": row.id}, by)
    return ws.pilot_summary(pilot_id)


def next_phase(book: Playbook, current: str | None) -> str:
    ids = [p.id for p in book.phases]
    if current not in ids:
        return ids[0]
    i = ids.index(current)
    if i + 1 >= len(ids):
        raise BadInput(f"the pilot is in the last phase ({current}) already")
    return ids[i + 1]


def move_warning(ws: Workshop, pilot_id: str) -> str | None:
    """Why moving to the next phase may be early: the recorded decision is a no-go,
    or required answers of the current phase are open. None when neither holds."""
    from pilotbook.workshop.verdict import assess_view

    view = ws.open_pilot(pilot_id)
    book, here = view.playbook, view.summary.phase
    reasons = []
    decisions = ws.decisions(pilot_id)
    if decisions and decisions[-1].outcome == "no-go":
        reasons.append("the recorded decision is a no-go")
    if here is not None:
        assessment = assess_view(ws, view)
        missing = sum(len(assessment.section(s.id).missing) for s in book.sections_in(here))
        if missing:
            title = next((p.title for p in book.phases if p.id == here), here)
            noun = "answer is" if missing == 1 else "answers are"
            reasons.append(f"{missing} required {noun} still open in {title!r}")
    if not reasons:
        return None
    return "Careful: " + " and ".join(reasons) + "."


def advance_phase(ws: Workshop, pilot_id: str, *, by: str | None = None) -> PilotSummary:
    """Move to the next phase of the playbook, after a snapshot of the one left."""
    summary = ws.pilot_summary(pilot_id)
    return set_phase(ws, pilot_id, next_phase(ws.playbook(pilot_id), summary.phase), by=by)


def snapshots(ws: Workshop, pilot_id: str) -> list[SnapshotInfo]:
    """Every snapshot of the pilot, oldest first."""
    return ws.snapshots(pilot_id)


def latest_snapshot(ws: Workshop, pilot_id: str) -> SnapshotInfo | None:
    found = ws.snapshots(pilot_id)
    return found[-1] if found else None


def find_snapshot(ws: Workshop, pilot_id: str, ref: str) -> SnapshotInfo:
    """A snapshot by its exact label, or an unambiguous prefix of its id."""
    ref = ref.strip()
    found = ws.snapshots(pilot_id)
    by_label = [x for x in found if x.label == ref]
    if len(by_label) == 1:
        return by_label[0]
    by_id = [x for x in found if len(ref) >= 4 and x.id.startswith(ref.lower())]
    if len(by_id) == 1:
        return by_id[0]
    if len(by_label) > 1 or len(by_id) > 1:
        shown = ", ".join(f"{x.id[:8]} {x.label}" for x in (by_label or by_id)[:5])
        raise BadInput(f"snapshot {ref!r} is ambiguous: {shown}")
    raise NotFound(f"no snapshot {ref!r} (give a label or an id prefix; see `pilotbook snapshots`)")


def carry_over(ws: Workshop, pilot_id: str) -> CarryOver:
    """Open actions, and the required questions of the previous phase still unanswered."""
    from pilotbook.workshop.verdict import assess_view

    view = ws.open_pilot(pilot_id)
    book = view.playbook
    ids = [p.id for p in book.phases]
    current = view.summary.phase
    i = ids.index(current) if current in ids else 0
    previous = ids[i - 1] if i > 0 else None
    opened = tuple(a for a in view.actions if a.status == "open")
    if previous is None:
        return CarryOver(None, current, opened, ())
    assessment = assess_view(ws, view)
    missing = []
    for section in book.sections_in(previous):
        for qid in assessment.section(section.id).missing:
            missing.append(Unanswered(qid, book.question(qid).ask, section.id, section.title))
    return CarryOver(previous, current, opened, tuple(missing))


def overdue(actions: tuple[ActionInfo, ...] | list[ActionInfo], today: dt.date) -> tuple:
    return tuple(a for a in actions if a.status == "open" and a.due is not None and a.due < today)
