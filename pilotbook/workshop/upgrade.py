"""Moving a pilot to the current version of its playbook.

    plan = ws.phases.upgrade_plan(pilot_id)     # what the move does; plan.needed
    done = ws.phases.upgrade(pilot_id, by="Sam")

Answers stay keyed by question id, so they carry over as they are. Nothing is
deleted: an answer to a removed question stays as a retired answer (its text
comes from the kept copy of the version it was answered with); a question
whose type changed keeps its old value and is flagged for review, as is a
choice whose chosen option is gone. A snapshot is taken first, and the move
is recorded in the pilot's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlmodel import select

from pilotbook.db import tables as t
from pilotbook.errors import BadInput
from pilotbook.workshop import convert
from pilotbook.workshop.events import record_event
from pilotbook.workshop.phases import free_label, labels_of, write_snapshot

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook, Question
    from pilotbook.workshop.phases import Frozen
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork
    from pilotbook.workshop.views import AnswerView, PilotView, SnapshotInfo

MoveKind = Literal["added", "removed", "retyped", "options"]


@dataclass(frozen=True)
class QuestionMove:
    question_id: str
    ask: str
    kind: MoveKind
    detail: str  # "text -> number", "options removed: x, y", ...
    answered: bool  # the pilot has an answer to it


@dataclass(frozen=True)
class UpgradePlan:
    pilot_id: str
    playbook_id: str
    from_version: int
    to_version: int
    old_known: bool  # the version answered with was kept, so types could be compared
    moves: tuple[QuestionMove, ...]

    @property
    def needed(self) -> bool:
        return self.from_version != self.to_version

    def of(self, kind: MoveKind) -> tuple[QuestionMove, ...]:
        return tuple(m for m in self.moves if m.kind == kind)


@dataclass(frozen=True)
class UpgradeResult:
    plan: UpgradePlan
    snapshot: SnapshotInfo
    flagged: tuple[str, ...]  # question ids flagged for review


@dataclass(frozen=True)
class RetiredAnswer:
    question_id: str
    ask: str  # from the newest kept version that has it, else the id
    section_title: str | None
    answer: AnswerView
    text: str


def _options_gone(old: Question, new: Question) -> list[str]:
    return [o for o in old.option_ids if o not in new.option_ids]


def _chosen(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def plan_between(
    pilot_id: str,
    old: Playbook | None,
    new: Playbook,
    from_version: int,
    answers: dict[str, AnswerView],
) -> UpgradePlan:
    answered = {qid for qid, a in answers.items() if a.answered or a.note}
    new_ids = {q.id for q in new.questions()}
    moves: list[QuestionMove] = []
    if old is not None:
        old_ids = {q.id for q in old.questions()}
        for q in new.questions():
            if q.id not in old_ids:
                moves.append(QuestionMove(q.id, q.ask, "added", q.type, False))
                continue
            was = old.question(q.id)
            if was.type != q.type:
                detail = f"{was.type} -> {q.type}"
                moves.append(QuestionMove(q.id, q.ask, "retyped", detail, q.id in answered))
            elif was.option_ids != q.option_ids or was.columns != q.columns:
                gone, added = (
                    _options_gone(was, q),
                    [o for o in q.option_ids if o not in was.option_ids],
                )
                parts = [f"removed: {', '.join(gone)}"] if gone else []
                parts += [f"added: {', '.join(added)}"] if added else []
                detail = "options " + "; ".join(parts) if parts else "columns changed"
                moves.append(QuestionMove(q.id, q.ask, "options", detail, q.id in answered))
        for q in old.questions():
            if q.id not in new_ids:
                moves.append(QuestionMove(q.id, q.ask, "removed", q.type, q.id in answered))
    else:
        # Nothing kept of the old version: only the answers show what went away.
        for qid in sorted(answered - new_ids):
            moves.append(QuestionMove(qid, qid, "removed", "unknown type", True))
    return UpgradePlan(pilot_id, new.id, from_version, new.version, old is not None, tuple(moves))


def _review_reason(
    move: QuestionMove, value: object, old: Playbook | None, new: Playbook
) -> str | None:
    if move.kind == "retyped":
        return f"answered as {move.detail.replace(' -> ', ', the question is now ')}: check it"
    if move.kind == "options" and old is not None:
        gone = set(_options_gone(old.question(move.question_id), new.question(move.question_id)))
        lost = [v for v in _chosen(value) if v in gone]
        if lost:
            return f"chosen option {', '.join(lost)} is no longer offered: choose again"
    return None


def upgrade(
    unit: UnitOfWork,
    playbooks: Playbooks,
    view: PilotView,
    old: Playbook | None,
    frozen: Frozen,
    by: str | None,
) -> UpgradeResult:
    """Move the pilot of `view` to the current version of its playbook, after a
    snapshot (`frozen`) of it as it is; `old` is the kept version it is on."""
    summary = view.summary
    pilot_id = summary.id
    plan = plan_between(pilot_id, old, view.playbook, summary.playbook_version, view.answers)
    if not plan.needed:
        raise BadInput(f"{summary.slug} is on {plan.playbook_id} v{plan.to_version} already")
    flagged: list[str] = []
    with unit.write() as s:
        pilot = unit.pilot(s, pilot_id)
        if pilot.playbook_version != plan.from_version:
            raise BadInput(f"{summary.slug} was upgraded meanwhile; look at the plan again")
        label = free_label(
            labels_of(s, pilot_id),
            f"before-v{plan.to_version}-{unit.clock().date().isoformat()}",
        )
        snap = write_snapshot(s, pilot_id, frozen, label, "upgrade", by, unit.clock())
        for move in plan.moves:
            if move.kind not in ("retyped", "options") or not move.answered:
                continue
            row = s.exec(
                select(t.Answer).where(
                    t.Answer.pilot_id == pilot_id, t.Answer.question_id == move.question_id
                )
            ).first()
            value = convert.loads(row.value_json) if row else None
            why = _review_reason(move, value, old, view.playbook)
            if row is not None and why and row.value_json is not None:
                row.review = why  # the value stays as it was
                flagged.append(move.question_id)
        playbooks.keep(s, view.playbook)
        pilot.playbook_version, pilot.updated_at = plan.to_version, unit.clock()
        detail = {
            "from": plan.from_version,
            "to": plan.to_version,
            "snapshot": snap.id,
            **{k: [m.question_id for m in plan.of(k)] for k in ("added", "removed", "retyped")},
            "flagged": flagged,
        }
        record_event(s, pilot_id, "upgrade", detail, by, unit.clock())
    return UpgradeResult(plan, convert.snapshot(snap), tuple(flagged))


def retired(answers: dict[str, AnswerView], books: list[Playbook]) -> list[RetiredAnswer]:
    """The retired ones of `answers`, each with its text from the newest of `books`
    (kept playbook versions, newest first) that has its question."""
    from pilotbook.workshop.diff import value_text

    out = []
    for a in sorted((a for a in answers.values() if a.retired), key=lambda a: a.question_id):
        q, title = None, None
        for book in books:
            try:
                q, title = book.question(a.question_id), book.section_of(a.question_id).title
                break
            except KeyError:
                continue
        entry = {"value": a.value, "na_reason": a.na_reason, "note": a.note}
        out.append(
            RetiredAnswer(
                a.question_id, q.ask if q else a.question_id, title, a, value_text(q, entry)
            )
        )
    return out
