"""What changed: between two snapshots, or a snapshot and now; and the short
"since last time" summary shown when a pilot with a snapshot is opened.

    d = ws.phases.diff(pilot_id, "before-2026-03-02")          # that snapshot against now
    d = ws.phases.diff(pilot_id, "before-2026-03-02", "mid-pilot")
    s = ws.phases.since_last_time(pilot_id)                     # None without a snapshot

Everything returned is a frozen dataclass a screen can show as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook, Question
    from pilotbook.workshop.measurements import Metric
    from pilotbook.workshop.views import ActionInfo, SnapshotInfo

Change = Literal["added", "changed", "cleared"]
NOW = "now"


@dataclass(frozen=True)
class State:
    """One side of a diff: a snapshot, or the pilot as it is now."""

    label: str
    at: dt.datetime | None  # None for now
    snapshot_id: str | None
    answers: dict[str, dict[str, Any]]
    verdict: dict[str, Any] | None
    actions: tuple[dict[str, Any], ...]  # open actions
    playbook_version: int | None


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    ask: str  # the question's text (from the playbook version that still has it)
    change: Change
    old: dict[str, Any] | None  # value, na_reason, note; None when there was none
    new: dict[str, Any] | None
    old_text: str  # the value as people read it ("" for none)
    new_text: str


@dataclass(frozen=True)
class SectionChanges:
    section_id: str | None  # None for questions no playbook version places
    title: str
    changes: tuple[AnswerChange, ...]


@dataclass(frozen=True)
class VerdictSide:
    verdict: str | None  # None when the snapshot kept no verdict
    label: str
    reasons: tuple[str, ...]  # each reason's `because`
    weighty: tuple[str, ...] = ()  # the `because` of each not about missing answers


@dataclass(frozen=True)
class Diff:
    pilot_id: str
    then: State
    now: State
    sections: tuple[SectionChanges, ...]
    verdict_then: VerdictSide
    verdict_now: VerdictSide
    actions_opened: tuple[dict[str, Any], ...]
    actions_closed: tuple[dict[str, Any], ...]  # open then, done or dropped now

    @property
    def changes(self) -> tuple[AnswerChange, ...]:
        return tuple(c for s in self.sections for c in s.changes)

    def count(self, change: Change) -> int:
        return sum(1 for c in self.changes if c.change == change)

    @property
    def new_reasons(self) -> tuple[str, ...]:
        """Reasons the verdict has now and had not then (a kill threshold newly crossed, a
        gate newly failed), worth saying even when the verdict's word is unchanged; answers
        still missing are counted elsewhere."""
        if self.verdict_then.verdict is None:
            return ()
        before = set(self.verdict_then.reasons)
        return tuple(r for r in self.verdict_now.weighty if r and r not in before)

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_then.verdict != self.verdict_now.verdict

    @property
    def empty(self) -> bool:
        return not (
            self.changes or self.verdict_changed or self.actions_opened or self.actions_closed
        )


@dataclass(frozen=True)
class SinceLast:
    """What a pilot shows first when it is opened again."""

    snapshot: SnapshotInfo
    diff: Diff
    overdue: tuple[ActionInfo, ...]  # open, due before today
    missing_measurements: tuple[Metric, ...]  # no measurement since the snapshot


def state_of(snap: SnapshotInfo) -> State:
    return State(
        snap.label,
        snap.at,
        snap.id,
        snap.answers,
        snap.verdict,
        snap.actions,
        snap.playbook_version,
    )


def _side(verdict: dict[str, Any] | None) -> VerdictSide:
    from pilotbook.rules.results import VERDICT_LABELS

    if not verdict or "verdict" not in verdict:
        return VerdictSide(None, "not kept", ())
    v = str(verdict["verdict"])
    reasons = tuple(str(r.get("because", "")) for r in verdict.get("reasons", ()))
    weighty = tuple(
        str(r.get("because", ""))
        for r in verdict.get("reasons", ())
        if r.get("kind") not in ("missing", "problem") and r.get("gate") != "missing-answers"
    )
    return VerdictSide(v, VERDICT_LABELS.get(v, v), reasons, weighty)


def _answered(entry: dict[str, Any] | None) -> bool:
    if not entry:
        return False
    return entry.get("value") is not None or entry.get("na_reason") is not None


def _key(entry: dict[str, Any] | None) -> tuple[Any, ...]:
    if not entry:
        return (None, None, None)
    return (entry.get("value"), entry.get("na_reason"), entry.get("note"))


def value_text(q: Question | None, entry: dict[str, Any] | None) -> str:
    """An answer as people read it: option labels, Yes/No, numbers with units."""
    from pilotbook.export.qview import plain_text, question_view

    if not entry:
        return ""
    if entry.get("na_reason") is not None:
        text = f"not applicable: {entry['na_reason']}"
    elif entry.get("value") is None:
        text = ""
    elif q is None:
        text = plain_text(entry["value"])
    elif q.type == "table" and isinstance(entry["value"], list):
        view = question_view(q, "", entry["value"], None, None, "answered", "none", None)
        titles = dict(zip([c.id for c in q.columns], view.columns, strict=True))
        text = " | ".join(
            ", ".join(f"{titles[k]}: {v}" for k, v in rec.items() if v) for rec in view.records
        )
    else:
        text = question_view(q, "", entry["value"], None, None, "answered", "none", None).text
    note = entry.get("note")
    return f"{text} (note: {note})" if note else text


def _placer(books: list[Playbook]) -> Any:
    """Find a question's definition and section in the first version that has it."""

    def place(qid: str) -> tuple[Question | None, str | None, str]:
        for book in books:
            try:
                return book.question(qid), book.section_of(qid).id, book.section_of(qid).title
            except KeyError:
                continue
        return None, None, "Questions no longer in the playbook"

    return place


def compare(pilot_id: str, then: State, now: State, books: list[Playbook]) -> Diff:
    """The differences between two states; `books` are playbook versions, preferred first."""
    place = _placer(books)
    order = [q.id for b in books for q in b.questions()]
    rank = {qid: i for i, qid in reversed(list(enumerate(order)))}
    by_section: dict[str | None, tuple[str, list[AnswerChange]]] = {}
    section_rank: dict[str | None, int] = {}
    for qid in sorted(set(then.answers) | set(now.answers), key=lambda q: (rank.get(q, 1e9), q)):
        old, new = then.answers.get(qid), now.answers.get(qid)
        if _key(old) == _key(new):
            continue
        if _answered(new) and not _answered(old):
            change: Change = "added"
        elif _answered(old) and not _answered(new):
            change = "cleared"
        else:
            change = "changed"
        q, section_id, title = place(qid)
        entry = by_section.setdefault(section_id, (title, []))
        section_rank.setdefault(section_id, rank.get(qid, 10**9))
        entry[1].append(
            AnswerChange(
                qid,
                q.ask if q else qid,
                change,
                {k: old.get(k) for k in ("value", "na_reason", "note")} if old else None,
                {k: new.get(k) for k in ("value", "na_reason", "note")} if new else None,
                value_text(q, old),
                value_text(q, new),
            )
        )
    sections = tuple(
        SectionChanges(sid, title, tuple(changes))
        for sid, (title, changes) in sorted(by_section.items(), key=lambda kv: section_rank[kv[0]])
    )
    then_ids = {a["id"] for a in then.actions}
    now_ids = {a["id"] for a in now.actions}
    return Diff(
        pilot_id,
        then,
        now,
        sections,
        _side(then.verdict),
        _side(now.verdict),
        tuple(a for a in now.actions if a["id"] not in then_ids),
        tuple(a for a in then.actions if a["id"] not in now_ids),
    )
