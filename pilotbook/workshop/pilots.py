"""Pilots: create, list, find, rename, archive, open, and the mark that says one changed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.errors import AmbiguousPilot, InvalidValue, NotFound
from pilotbook.workshop import convert
from pilotbook.workshop.views import PilotSummary, PilotView

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork

MAX_NAME = 200


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"pilot-{slug}" if slug else "pilot"
    return slug


class Pilots:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks) -> None:
        self._unit = unit
        self._playbooks = playbooks

    def create(
        self, name: str, playbook_id: str = "ai-pilot", facilitator: str | None = None
    ) -> PilotSummary:
        name = _clean_name(name)
        book = self._playbooks.get(playbook_id)
        now = self._unit.clock()
        with self._unit.write() as s:
            base = slugify(name)
            taken = set(
                s.exec(
                    select(t.Pilot.slug).where(
                        or_(col(t.Pilot.slug) == base, col(t.Pilot.slug).startswith(base + "-"))
                    )
                ).all()
            )
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            pilot = t.Pilot(
                slug=slug,
                name=name,
                playbook_id=book.id,
                playbook_version=book.version,
                phase=book.phases[0].id,
                facilitator=facilitator,
                created_at=now,
                updated_at=now,
            )
            s.add(pilot)
            self._playbooks.keep(s, book)
        return convert.summary(pilot, (0, _required_total(book), 0))

    def all(self, include_archived: bool = False) -> list[PilotSummary]:
        """Every pilot, most recently changed first, with how far its answers go."""
        from pilotbook.workshop.quicklist import fresh_verdict

        # Plain rows, not ORM objects: ten thousand pilots stay well under half a second.
        columns = t.Pilot.__table__.columns  # type: ignore[attr-defined]  # SQLModel does not declare __table__
        query = select(*columns).order_by(col(t.Pilot.updated_at).desc())
        if not include_archived:
            query = query.where(t.Pilot.archived == False)  # noqa: E712
        with self._unit.read() as s:
            pilots = list(s.execute(query).all())
            books = {p.playbook_id for p in pilots}
            counts, totals = self._counts(s, books, every_pilot=len(books) == 1)
        versions = {b: self._playbooks.current_version(b) for b in books}
        today = self._unit.clock().date()
        out = []
        for p in pilots:
            answered, required = counts.get(p.id, (0, 0))
            summary = convert.summary(p, (answered, totals.get(p.playbook_id, 0), required))
            out.append(fresh_verdict(summary, versions[p.playbook_id], today))
        return out

    def _counts(
        self,
        s: Session,
        playbook_ids: set[str],
        pilot_id: str | None = None,
        every_pilot: bool = False,
    ) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
        """Answered and required-answered counts per pilot, one query per playbook (an
        index scan of `ix_answer_progress`), and the required questions per playbook.

        `every_pilot`: all pilots use this one playbook, so no need to pick them out.
        """
        totals: dict[str, int] = {}
        counts: dict[str, tuple[int, int]] = {}
        for playbook_id in playbook_ids:
            try:
                book = self._playbooks.get(playbook_id)
                required = [q.id for q in book.questions() if q.required]
            except NotFound:
                required = []
            totals[playbook_id] = len(required)
            req = (
                func.sum(case((col(t.Answer.question_id).in_(required), 1), else_=0))
                if required
                else func.sum(0)
            )
            query = (
                select(t.Answer.pilot_id, func.count(), req)
                .where(t.Answer.answered == True)  # noqa: E712
                .group_by(col(t.Answer.pilot_id))
            )
            if pilot_id is not None:
                query = query.where(t.Answer.pilot_id == pilot_id)
            elif not every_pilot:
                mine = select(t.Pilot.id).where(t.Pilot.playbook_id == playbook_id)
                query = query.where(col(t.Answer.pilot_id).in_(mine))
            for pid, answered, req_answered in s.exec(query).all():
                counts[pid] = (int(answered), int(req_answered or 0))
        return counts, totals

    def summary(self, pilot_id: str) -> PilotSummary:
        with self._unit.read() as s:
            pilot = self._unit.pilot(s, pilot_id)
            counts, totals = self._counts(s, {pilot.playbook_id}, pilot.id)
        answered, required = counts.get(pilot.id, (0, 0))
        total = totals.get(pilot.playbook_id, 0)
        return convert.summary(pilot, (answered, total, required))

    def find(self, ref: str) -> PilotSummary:
        """A pilot by slug, exact name (any case), an unambiguous id prefix, or else
        the unique start of a slug or name; a miss suggests the closest slugs."""
        ref = ref.strip()
        if not ref:
            raise NotFound("no pilot named ''")
        with self._unit.read() as s:
            found = (
                s.get(t.Pilot, ref) or s.exec(select(t.Pilot).where(t.Pilot.slug == ref)).first()
            )
            if found is None:
                named = s.exec(select(t.Pilot).where(func.lower(t.Pilot.name) == ref.lower())).all()
                if len(named) > 1:
                    raise AmbiguousPilot(ref, [p.slug for p in named])
                found = named[0] if named else None
            if found is None and re.fullmatch(r"[0-9a-f-]{4,36}", ref):
                by_id = s.exec(select(t.Pilot).where(col(t.Pilot.id).startswith(ref))).all()
                if len(by_id) > 1:
                    raise AmbiguousPilot(ref, [p.id[:8] + " " + p.slug for p in by_id])
                found = by_id[0] if by_id else None
            if found is None:
                from pilotbook.workshop.pilot_refs import by_prefix

                found = by_prefix(s, ref)
            pilot_id = found.id
        return self.summary(pilot_id)

    def rename(self, pilot_id: str, name: str) -> PilotSummary:
        """A new name; the slug stays, so scripts that use it keep working."""
        name = _clean_name(name)
        with self._unit.write() as s:
            pilot = self._unit.pilot(s, pilot_id)
            pilot.name, pilot.updated_at = name, self._unit.clock()
        return self.summary(pilot_id)

    def archive(self, pilot_id: str, archived: bool = True) -> PilotSummary:
        with self._unit.write() as s:
            pilot = self._unit.pilot(s, pilot_id)
            pilot.archived, pilot.updated_at = archived, self._unit.clock()
        return self.summary(pilot_id)

    def open(self, pilot_id: str) -> PilotView:
        """The pilot with its playbook (current version), answers, sessions and actions."""
        from pilotbook.workshop.record_rows import sessions_of

        with self._unit.read() as s:
            pilot = self._unit.pilot(s, pilot_id)
            book = self._playbooks.get(pilot.playbook_id)
            rows = s.exec(select(t.Answer).where(t.Answer.pilot_id == pilot_id)).all()
            sessions = sessions_of(s, pilot_id)
            actions = s.exec(
                select(t.Action)
                .where(t.Action.pilot_id == pilot_id)
                .order_by(col(t.Action.created_at))
            ).all()
        known = {q.id for q in book.questions()}
        answers = {a.question_id: convert.answer(a, a.question_id not in known) for a in rows}
        required = [q.id for q in book.questions() if q.required]
        counts = (
            sum(1 for a in answers.values() if a.answered),
            len(required),
            sum(1 for q in required if q in answers and answers[q].answered),
        )
        open_now = [x for x in sessions if x.ended_at is None]
        return PilotView(
            summary=convert.summary(pilot, counts),
            playbook=book,
            answers=answers,
            attendees=tuple(a for x in sessions for a in x.attendees),
            actions=tuple(convert.action(a) for a in actions),
            session=open_now[-1] if open_now else None,
            sessions=tuple(sessions),
        )

    def change_stamp(self, pilot_id: str) -> tuple[int, Any]:
        """A cheap mark that moves whenever the pilot or any of its answers changes,
        whoever made the change: the app polls it to notice other facilitators.

        The number of history events, of the pilot's own moves (phases,
        snapshots, actions, sign-offs, accepted risks, rounds) and of its
        decisions, each an indexed count, and the pilot's `updated_at`
        (renames, attendees, measurements). One query.
        """

        def count(table: Any) -> Any:
            return select(func.count()).where(table.pilot_id == pilot_id).scalar_subquery()

        with self._unit.read() as s:
            row = s.execute(
                select(
                    count(t.AnswerEvent),
                    count(t.PilotEvent),
                    count(t.Decision),
                    t.Pilot.updated_at,
                ).where(t.Pilot.id == pilot_id)
            ).one_or_none()
        if row is None:
            return 0, None
        answers, moves, decisions, updated = row
        return int(answers) + int(moves) + int(decisions), updated


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidValue("a pilot needs a name")
    if len(name) > MAX_NAME:
        raise InvalidValue(f"a pilot name has at most {MAX_NAME} characters")
    return name


def _required_total(book: Playbook) -> int:
    return sum(1 for q in book.questions() if q.required)
