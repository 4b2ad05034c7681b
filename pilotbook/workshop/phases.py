"""Phases and snapshots: coming back to a pilot at each phase.

    ws.phases.advance(pilot_id)                # snapshot of the phase left, then the next
    ws.phases.snapshot(pilot_id, "after the steering meeting")
    ws.phases.find_snapshot(pilot_id, "before-2026-03-02")   # id prefix or label
    ws.phases.carry_over(pilot_id)             # what the previous phase left open
    ws.phases.move_warning(pilot_id)           # why moving on may be early, or None
    ws.phases.diff(pilot_id, "before-2026-03-02")   # against now
    ws.phases.since_last_time(pilot_id)        # None until a snapshot exists
    ws.phases.upgrade_plan(pilot_id); ws.phases.upgrade(pilot_id)

A snapshot freezes the answers, the verdict with its reasons (kill thresholds
included), the open actions and the playbook version. Nothing changes a
snapshot once taken: there is no API to edit or delete one.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import select

from pilotbook.db import tables as t
from pilotbook.errors import Ambiguous, BadInput, InvalidValue, NotFound, Stale
from pilotbook.workshop import convert
from pilotbook.workshop.diff import NOW, Diff, SinceLast, State, compare, state_of
from pilotbook.workshop.events import pilot_history, record_event
from pilotbook.workshop.phase_names import phase_id, phase_title
from pilotbook.workshop.revisions import lock_pilot

if TYPE_CHECKING:
    from sqlmodel import Session

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.measurements import Measurements
    from pilotbook.workshop.pilots import Pilots
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.records import Records
    from pilotbook.workshop.unit import UnitOfWork
    from pilotbook.workshop.upgrade import RetiredAnswer, UpgradePlan, UpgradeResult
    from pilotbook.workshop.verdict import Verdict
    from pilotbook.workshop.views import (
        ActionInfo,
        AnswerView,
        PilotEventInfo,
        PilotSummary,
        PilotView,
        SnapshotInfo,
    )

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


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise InvalidValue("a snapshot needs a label")
    if len(label) > MAX_LABEL:
        raise InvalidValue(f"a snapshot label has at most {MAX_LABEL} characters")
    return label


def labels_of(s: Session, pilot_id: str) -> set[str]:
    return set(s.exec(select(t.Snapshot.label).where(t.Snapshot.pilot_id == pilot_id)).all())


def write_snapshot(
    s: Session,
    pilot_id: str,
    frozen: Frozen,
    label: str,
    kind: str,
    by: str | None,
    at: dt.datetime,
) -> t.Snapshot:
    row = t.Snapshot(
        pilot_id=pilot_id,
        phase=frozen.phase,
        label=label,
        answers_json=convert.dumps(frozen.answers) or "{}",
        verdict_json=convert.dumps(frozen.verdict),
        at=at,
        kind=kind,
        playbook_id=frozen.playbook_id,
        playbook_version=frozen.playbook_version,
        actions_json=convert.dumps(frozen.actions),
    )
    s.add(row)
    record_event(s, pilot_id, "snapshot", {"snapshot": row.id, "label": label}, by, at)
    return row


def free_label(taken: set[str], base: str) -> str:
    label, n = base, 2
    while label in taken:
        label, n = f"{base}-{n}", n + 1
    return label


def next_phase(book: Playbook, current: str | None) -> str:
    ids = [p.id for p in book.phases]
    if current not in ids:
        return ids[0]
    i = ids.index(current)
    if i + 1 >= len(ids):
        raise BadInput(f"the pilot is in the last phase ({current}) already")
    return ids[i + 1]


def _moved(book: Playbook, now: str | None) -> Stale:
    return Stale(
        f"the pilot's phase changed elsewhere (now {phase_title(book, now)}); nothing was saved",
        now,
    )


def overdue(
    actions: tuple[ActionInfo, ...] | list[ActionInfo], today: dt.date
) -> tuple[ActionInfo, ...]:
    return tuple(a for a in actions if a.status == "open" and a.due is not None and a.due < today)


class Phases:
    def __init__(
        self,
        unit: UnitOfWork,
        playbooks: Playbooks,
        pilots: Pilots,
        records: Records,
        measurements: Measurements,
        verdict: Verdict,
    ) -> None:
        self._unit = unit
        self._playbooks = playbooks
        self._pilots = pilots
        self._records = records
        self._measurements = measurements
        self._verdict = verdict

    def freeze(self, view: PilotView) -> Frozen:
        """What a snapshot of the pilot as it is now holds."""
        assessment = self._verdict.of_view(view)
        answers = {
            qid: {
                "value": a.value,
                "na_reason": a.na_reason,
                "note": a.note,
                "revision": a.revision,
            }
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

    def snapshot(
        self, pilot_id: str, label: str, *, kind: str = "manual", by: str | None = None
    ) -> SnapshotInfo:
        """Take a snapshot by hand; its label must be new for this pilot."""
        label = _label(label)
        frozen = self.freeze(self._pilots.open(pilot_id))
        with self._unit.write() as s:
            if label in labels_of(s, pilot_id):
                raise InvalidValue(f"this pilot has a snapshot labelled {label!r} already")
            row = write_snapshot(s, pilot_id, frozen, label, kind, by, self._unit.clock())
        return convert.snapshot(row)

    def set(
        self, pilot_id: str, phase: str, *, by: str | None = None, expected: str | None = None
    ) -> PilotSummary:
        """Move to any phase (an id or a title); the phase left is frozen in a snapshot
        first, labelled with its id and the date (`before-2026-03-02`).

        Compare-and-set, like an answer's revision: the move is refused with `Stale`
        when the pilot is no longer in the phase it was read in (or `expected`), so
        of two moves made at once one succeeds and the other writes nothing."""
        view = self._pilots.open(pilot_id)
        book = view.playbook
        phase = phase_id(book, phase)
        old = view.summary.phase if expected is None else expected
        if old != view.summary.phase:
            raise _moved(book, view.summary.phase)
        if phase == old:
            return view.summary
        frozen = self.freeze(view)
        with self._unit.write() as s:
            pilot = lock_pilot(s, pilot_id)
            if pilot.phase != old:
                raise _moved(book, pilot.phase)
            base = f"{old or 'start'}-{self._unit.clock().date().isoformat()}"
            label = free_label(labels_of(s, pilot_id), base)
            row = write_snapshot(s, pilot_id, frozen, label, "phase", by, self._unit.clock())
            pilot.phase, pilot.updated_at = phase, self._unit.clock()
            detail = {"from": old, "to": phase, "snapshot": row.id}
            record_event(s, pilot_id, "phase", detail, by, self._unit.clock())
        return self._pilots.summary(pilot_id)

    def advance(self, pilot_id: str, *, by: str | None = None) -> PilotSummary:
        """Move to the next phase of the playbook, after a snapshot of the one left;
        refused with `Stale` when another move got there first."""
        summary = self._pilots.summary(pilot_id)
        book = self._playbooks.for_pilot(pilot_id)
        target = next_phase(book, summary.phase)
        return self.set(pilot_id, target, by=by, expected=summary.phase)

    def move_warning(self, pilot_id: str) -> str | None:
        """Why moving to the next phase may be early: the recorded decision is a no-go,
        or required answers of the current phase are open. None when neither holds."""
        view = self._pilots.open(pilot_id)
        book, here = view.playbook, view.summary.phase
        reasons = []
        decisions = self._records.decisions(pilot_id)
        if decisions and decisions[-1].outcome == "no-go":
            reasons.append("the recorded decision is a no-go")
        if here is not None:
            assessment = self._verdict.of_view(view)
            missing = sum(len(assessment.section(s.id).missing) for s in book.sections_in(here))
            if missing:
                title = next((p.title for p in book.phases if p.id == here), here)
                noun = "answer is" if missing == 1 else "answers are"
                reasons.append(f"{missing} required {noun} still open in {title!r}")
        if not reasons:
            return None
        return "Careful: " + " and ".join(reasons) + "."

    def find_snapshot(self, pilot_id: str, ref: str) -> SnapshotInfo:
        """A snapshot by its exact label, or an unambiguous prefix of its id."""
        ref = ref.strip()
        found = self._records.snapshots(pilot_id)
        by_label = [x for x in found if x.label == ref]
        if len(by_label) == 1:
            return by_label[0]
        by_id = [x for x in found if len(ref) >= 4 and x.id.startswith(ref.lower())]
        if len(by_id) == 1:
            return by_id[0]
        if len(by_label) > 1 or len(by_id) > 1:
            shown = ", ".join(f"{x.id[:8]} {x.label}" for x in (by_label or by_id)[:5])
            raise Ambiguous(f"snapshot {ref!r} is ambiguous: {shown}")
        raise NotFound(
            f"no snapshot {ref!r} (give a label or an id prefix; see `pilotbook snapshots`)"
        )

    def carry_over(self, pilot_id: str) -> CarryOver:
        """Open actions, and the required questions of the previous phase still unanswered."""
        view = self._pilots.open(pilot_id)
        book = view.playbook
        ids = [p.id for p in book.phases]
        current = view.summary.phase
        i = ids.index(current) if current in ids else 0
        previous = ids[i - 1] if i > 0 else None
        opened = tuple(a for a in view.actions if a.status == "open")
        if previous is None:
            return CarryOver(None, current, opened, ())
        assessment = self._verdict.of_view(view)
        missing = []
        for section in book.sections_in(previous):
            for qid in assessment.section(section.id).missing:
                missing.append(Unanswered(qid, book.question(qid).ask, section.id, section.title))
        return CarryOver(previous, current, opened, tuple(missing))

    def history(self, pilot_id: str) -> list[PilotEventInfo]:
        """Moves of the whole pilot (phase, snapshot, upgrade, ...), oldest first."""
        return pilot_history(self._unit, pilot_id)

    # ------------------------------------------------------------ what changed

    def _state_now(self, pilot_id: str) -> State:
        frozen = self.freeze(self._pilots.open(pilot_id))
        return State(
            NOW,
            None,
            None,
            frozen.answers,
            frozen.verdict,
            tuple(frozen.actions),
            frozen.playbook_version,
        )

    def _books(self, pilot_id: str, *versions: int | None) -> list[Playbook]:
        """The playbook versions to read question texts from: those of the states compared,
        then the current one, then every other kept version (for retired questions)."""
        book_id = self._pilots.summary(pilot_id).playbook_id
        kept = {b.version: b for b in self._playbooks.stored_versions(book_id)}
        out: list[Playbook] = [kept[v] for v in versions if v in kept]
        # A missing playbook file: the kept copies still place the questions.
        with suppress(NotFound):
            out.append(self._playbooks.get(book_id))
        out += [b for b in kept.values() if b not in out]
        return out

    def diff(self, pilot_id: str, a: str, b: str | None = None) -> Diff:
        """Snapshot `a` against snapshot `b` (a label or an id prefix), or against now."""
        then = state_of(self.find_snapshot(pilot_id, a))
        now = self._state_now(pilot_id) if b is None else state_of(self.find_snapshot(pilot_id, b))
        books = self._books(pilot_id, now.playbook_version, then.playbook_version)
        return compare(pilot_id, then, now, books)

    def since_last_time(self, pilot_id: str, today: dt.date | None = None) -> SinceLast | None:
        """What changed since the latest snapshot, overdue actions, metrics not measured since."""
        snapshots = self._records.snapshots(pilot_id)
        if not snapshots:
            return None
        last = snapshots[-1]
        today = today or self._unit.clock().date()
        now = self._state_now(pilot_id)
        books = self._books(pilot_id, now.playbook_version, last.playbook_version)
        d = compare(pilot_id, state_of(last), now, books)
        since = last.at.date()
        card = self._measurements.scorecard(pilot_id)
        missing = tuple(
            c.metric for c in card.cards if not any(p.measured_on >= since for p in c.points)
        )
        return SinceLast(last, d, overdue(self._records.actions(pilot_id), today), missing)

    # ------------------------------------------------------------ playbook versions

    def upgrade_plan(self, pilot_id: str) -> UpgradePlan:
        """What moving the pilot to the current playbook version would do (nothing changes)."""
        from pilotbook.workshop.upgrade import plan_between

        view = self._pilots.open(pilot_id)
        s = view.summary
        old = self._playbooks.stored(s.playbook_id, s.playbook_version)
        return plan_between(pilot_id, old, view.playbook, s.playbook_version, view.answers)

    def upgrade(self, pilot_id: str, *, by: str | None = None) -> UpgradeResult:
        """Move the pilot to the current playbook version; a snapshot is taken first."""
        from pilotbook.workshop.upgrade import upgrade

        view = self._pilots.open(pilot_id)
        old = self._playbooks.stored(view.summary.playbook_id, view.summary.playbook_version)
        return upgrade(self._unit, self._playbooks, view, old, self.freeze(view), by)

    def retired_answers(
        self, pilot_id: str, answers: dict[str, AnswerView] | None = None
    ) -> list[RetiredAnswer]:
        """Answers to questions gone from the current playbook, with their own text.

        `answers`: other answers than the current ones (a snapshot's), retired marked.
        """
        from pilotbook.workshop.upgrade import retired

        view = self._pilots.open(pilot_id)
        given = view.answers if answers is None else answers
        if not any(a.retired for a in given.values()):
            return []
        return retired(given, self._playbooks.stored_versions(view.summary.playbook_id))
