"""Moving a pilot to the current version of its playbook.

    from pilotbook.workshop.upgrade import upgrade_plan, upgrade
    plan = upgrade_plan(ws, pilot_id)     # what the move does; plan.needed
    done = upgrade(ws, pilot_id, by="Sam")

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
from pilotbook.workshop import convert
from pilotbook.errors import BadInput
from pilotbook.workshop.keep import keep_playbook, record_event, stored_playbook, stored_versions

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook, Question
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import AnswerView, SnapshotInfo

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


def upgrade_plan(ws: Workshop, pilot_id: str) -> UpgradePlan:
    """What moving the pilot to the current playbook version would do (nothing is changed)."""
    view = ws.open_pilot(pilot_id)
    s = view.summary
    old = stored_playbook(ws, s.playbook_id, s.playbook_version)
    return plan_between(pilot_id, old, view.playbook, s.playbook_version, view.answers)


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


def upgrade(ws: Workshop, pilot_id: str, *, by: str | None = None) -> UpgradeResult:
    """Move the pilot to the current playbook version; a snapshot is taken first."""
    from pilotbook.workshop import phases

    view = ws.open_pilot(pilot_id)
    summary = view.summary
    old = stored_playbook(ws, summary.playbook_id, summary.playbook_version)
    plan = plan_between(pilot_id, old, view.playbook, summary.playbook_version, view.answers)
    if not plan.needed:
        raise BadInput(f"{summary.slug} is on {plan.playbook_id} v{plan.to_version} already")
    frozen = phases.freeze(ws, view)
    flagged: list[str] = []
    with ws._session(write=True) as s:
        pilot = ws._pilot(s, pilot_id)
        if pilot.playbook_version != plan.from_version:
            raise BadInput(f"{summary.slug} was upgraded meanwhile; look at the plan again")
        label = phases._free_label(
            phases._labels(s, pilot_id),
            f"before-v{plan.to_version}-{ws.clock().date().isoformat()}",
        )
        snap = phases._write(ws, s, pilot_id, frozen, label, "upgrade", by)
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
        keep_playbook(ws, s, view.playbook)
        pilot.playbook_version, pilot.updated_at = plan.to_version, ws.clock()
        detail = {
            "from": plan.from_version,
            "to": plan.to_version,
            "snapshot": snap.id,
            **{k: [m.question_id for m in plan.of(k)] for k in ("added", "removed", "retyped")},
            "flagged": flagged,
        }
        record_event(ws, s, pilot_id, "upgrade", detail, by)
    return UpgradeResult(plan, convert.snapshot(snap), tuple(flagged))


def retired_answers(
    ws: Workshop, pilot_id: str, answers: dict[str, AnswerView] | None = None
) -> list[RetiredAnswer]:
    """Answers to questions gone from the current playbook, with their own text.

    `answers`: other answers than the current ones (a snapshot's), retired marked.
    """
    from pilotbook.workshop.diff import value_text

    view = ws.open_pilot(pilot_id)
    given = view.answers if answers is None else answers
    retired = sorted((a for a in given.values() if a.retired), key=lambda a: a.question_id)
    if not retired:
        return []
    books = stored_versions(ws, view.summary.playbook_id)
    out = []
    for a in retired:
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
