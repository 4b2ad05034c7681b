"""Writing one checked pilot of a dump into the store.

A new pilot is added whole. A pilot the store already has is compared
first: a dump that holds nothing new changes nothing (loading a file twice
is harmless); one that holds more is refused unless the user asked to
merge. A merge appends the answer events the store lacks, in revision
order, and moves the answer to the last of them. Where the two histories
went separate ways (the same revision of a question names different
events) the question keeps the store's side and is reported: a revision
is never used twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.workshop import loadcheck

if TYPE_CHECKING:
    from pilotbook.workshop.transfer import LoadReport

KEYS = (
    "answers",
    "events",
    "sessions",
    "attendees",
    "actions",
    "decisions",
    "signoffs",
    "measurements",
    "snapshots",
    "pilot_events",
)


@dataclass
class Incoming:
    where: str  # its JSON path in the dump
    pilot: t.Pilot
    rows: dict[str, list[tuple[str, Any]]] = field(default_factory=lambda: {k: [] for k in KEYS})


def merge_pilot(s: Session, incoming: Incoming, report: LoadReport, merge: bool) -> None:
    pilot = incoming.pilot
    existing = s.get(t.Pilot, pilot.id)
    if existing is None:
        _add_new(s, incoming, report)
        return
    plan = _Plan(s, incoming, existing)
    if not plan.changes:
        return
    if not merge:
        raise loadcheck.problem(
            incoming.where,
            f"pilot {existing.slug!r} is already in this store and the dump holds changes "
            "it lacks; load with --merge to add them",
        )
    plan.apply(report)


def _add_new(s: Session, incoming: Incoming, report: LoadReport) -> None:
    pilot = incoming.pilot
    clash = s.exec(select(t.Pilot).where(t.Pilot.slug == pilot.slug)).first()
    if clash is not None:
        raise loadcheck.problem(
            f"{incoming.where}.pilot.slug",
            f"{pilot.slug!r} belongs to another pilot in this store",
        )
    s.add(pilot)
    s.flush()
    report.pilots_added.append(pilot.slug)
    for key in KEYS:
        rows = [r for _, r in incoming.rows[key]]
        _taken(s, rows, incoming, key)
        for row in rows:
            if key == "answers":
                row.answered = _answered(row)
            s.add(row)
            report.rows_added += 1
        s.flush()


def _taken(s: Session, rows: list[Any], incoming: Incoming, key: str) -> set[str]:
    """Ids of `rows` the store already holds; refused when they belong to another pilot."""
    if not rows:
        return set()
    table = type(rows[0])
    found = s.exec(select(table).where(col(table.id).in_([r.id for r in rows]))).all()
    mine = incoming.pilot.id
    for other in found:
        owner = getattr(other, "pilot_id", None)
        if owner is None and isinstance(other, t.Attendee):
            session = s.get(t.WorkshopSession, other.session_id)
            owner = session.pilot_id if session is not None else None
        if owner != mine:
            raise loadcheck.problem(
                f"{incoming.where}.{key}", f"id {other.id!r} belongs to another pilot"
            )
    return {x.id for x in found}


def _answered(row: Any) -> bool:
    return row.value_json is not None or row.na_reason is not None


class _Plan:
    """What a dump adds to a pilot the store already has."""

    def __init__(self, s: Session, incoming: Incoming, existing: t.Pilot) -> None:
        self.s, self.incoming, self.existing = s, incoming, existing
        self.pilot_newer = _aware(incoming.pilot.updated_at) > _aware(existing.updated_at)
        self.rows: list[Any] = []  # rows of the other tables that the store lacks
        for key in KEYS[2:]:
            rows = [r for _, r in incoming.rows[key]]
            have = _taken(s, rows, incoming, key)
            self.rows += [r for r in rows if r.id not in have]
        self.events: dict[str, list[t.AnswerEvent]] = {}  # question -> events to append
        self.conflicts: list[str] = []
        self._answers()

    @property
    def changes(self) -> bool:
        return bool(self.pilot_newer or self.rows or self.events or self.conflicts)

    def _answers(self) -> None:
        s, pilot_id = self.s, self.existing.id
        theirs: dict[str, list[t.AnswerEvent]] = defaultdict(list)
        for _, e in self.incoming.rows["events"]:
            theirs[e.question_id].append(e)
        mine: dict[str, dict[int, str]] = defaultdict(dict)
        for qid, rev, eid in s.exec(
            select(t.AnswerEvent.question_id, t.AnswerEvent.revision, t.AnswerEvent.id).where(
                t.AnswerEvent.pilot_id == pilot_id
            )
        ).all():
            mine[qid][rev] = eid
        answers = s.exec(select(t.Answer).where(t.Answer.pilot_id == pilot_id)).all()
        rows = {a.question_id: a for a in answers}
        for qid, events in theirs.items():
            events.sort(key=lambda e: e.revision)
            have = mine.get(qid, {})
            top = max(have, default=0)
            if rows.get(qid) is not None:
                top = max(top, rows[qid].revision)
            diverged = [e for e in events if e.revision <= top and have.get(e.revision) != e.id]
            if diverged:
                first = diverged[0].revision
                self.conflicts.append(
                    f"{self.existing.slug}: {qid}: the dump's history differs from the store's "
                    f"at revision {first}; the store's answer (revision {top}) is kept"
                )
                continue
            new = [e for e in events if e.revision > top]
            if new:
                if _taken(self.s, new, self.incoming, "events"):
                    self.conflicts.append(
                        f"{self.existing.slug}: {qid}: the dump reuses event ids the store holds"
                    )
                    continue
                self.events[qid] = new

    def apply(self, report: LoadReport) -> None:
        s = self.s
        if self.pilot_newer:
            for c in t.Pilot.__table__.columns:  # type: ignore[attr-defined]  # SQLModel does not declare __table__
                setattr(self.existing, c.name, getattr(self.incoming.pilot, c.name))
            report.pilots_updated.append(self.existing.slug)
        for row in self.rows:
            s.add(row)
            report.rows_added += 1
        dumped = {a.question_id: a for _, a in self.incoming.rows["answers"]}
        for qid, events in self.events.items():
            for e in events:
                s.add(e)
                report.rows_added += 1
            last = events[-1]
            row = s.exec(
                select(t.Answer).where(
                    t.Answer.pilot_id == self.existing.id, t.Answer.question_id == qid
                )
            ).first()
            if row is None:
                row = t.Answer(pilot_id=self.existing.id, question_id=qid)
                report.rows_added += 1
            else:
                report.answers_updated += 1
            row.value_json, row.na_reason, row.note = last.value_json, last.na_reason, last.note
            row.revision, row.updated_at, row.updated_by = last.revision, last.at, last.by
            row.answered = _answered(row)
            theirs = dumped.get(qid)
            row.review = theirs.review if theirs and theirs.revision == last.revision else None
            s.add(row)
        report.conflicts += self.conflicts
        s.flush()


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
