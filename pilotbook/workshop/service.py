"""The workshop service: the one way into the store for the TUI and the CLI.

Every method runs its own short transaction and returns frozen dataclasses,
so one `Workshop` can be shared by threads. Writes take the store's write
lock when they begin and are durable when they return.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.db.engine import check_integrity, open_engine, store_error, writer
from pilotbook.locations import Located, resolve_store
from pilotbook.playbook.model import Playbook
from pilotbook.workshop import convert, kept
from pilotbook.workshop.answers import AnswersMixin
from pilotbook.errors import AmbiguousPilot, InvalidValue, NotFound
from pilotbook.workshop.playbooks import PlaybookSource, default_source
from pilotbook.workshop.record_edits import RecordEditsMixin
from pilotbook.workshop.records import RecordsMixin
from pilotbook.workshop.revisit import RevisitMixin
from pilotbook.workshop.rounds import RoundsMixin
from pilotbook.workshop.transfer import TransferMixin
from pilotbook.workshop.views import PilotSummary, PilotView, PlaybookInfo

if TYPE_CHECKING:
    from pilotbook.rules.results import Assessment
    from pilotbook.workshop.verdict import AcceptanceInfo

MAX_NAME = 200


def open_workshop(db: str | None = None, *, playbooks: PlaybookSource | None = None) -> Workshop:
    """Open (making and migrating if needed) the store that `db` or the defaults name."""
    located = resolve_store(db)
    if located.why.startswith("user data folder"):
        from pilotbook.locations import user_data_dir

        # The user data folder is ours to make; any other missing folder is a typo.
        user_data_dir().mkdir(parents=True, exist_ok=True)
    engine = open_engine(located.value)
    return Workshop(engine, located, playbooks)


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"pilot-{slug}" if slug else "pilot"
    return slug


class Workshop(
    AnswersMixin, RecordsMixin, RecordEditsMixin, TransferMixin, RevisitMixin, RoundsMixin
):
    def __init__(
        self, engine: Engine, location: Located, playbooks: PlaybookSource | None = None
    ) -> None:
        self.engine = engine
        self.location = location
        # Every time the service writes comes from here: tests and the demo set their own.
        # Looked up at each call, so patching `tables.utcnow` works at any moment.
        self.clock: Callable[[], dt.datetime] = lambda: t.utcnow()
        self._writer = writer(engine)
        self._playbooks = playbooks
        self._local = threading.local()
        self._checked = False  # the quick integrity check runs before the first write

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _session(self, write: bool = False, snapshot: bool = False) -> Iterator[Session]:
        """One transaction; database failures leave as one-line StoreErrors.

        A read asked for while this thread already has a session open joins
        it, so one assessment reads one snapshot. A write forgets the kept
        verdict of every pilot it touched, in the same transaction.
        `snapshot`: every query sees the store as of the first one (a read
        transaction on SQLite in WAL mode does already; PostgreSQL needs
        REPEATABLE READ), for dumps and logical backups.
        """
        if write and not self._checked:
            # Never add to a damaged file: a page-level fault found now is one line, not
            # a save that lands in a broken tree.
            check_integrity(self.engine, self.location.value)
            self._checked = True
        current = getattr(self._local, "session", None)
        if current is not None and not write and not snapshot:
            yield current
            return
        bind = self._writer if write else self.engine
        if snapshot and self.engine.dialect.name == "postgresql":
            bind = bind.execution_options(isolation_level="REPEATABLE READ")
        try:
            with Session(bind, expire_on_commit=False) as s:
                self._local.session = s
                try:
                    if write:
                        kept.track(s)
                    yield s
                    if write:
                        kept.forget(s)
                        s.commit()
                finally:
                    self._local.session = current
        except DBAPIError as e:
            raise store_error(e, self.location.value) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workshop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def playbook_source(self) -> PlaybookSource:
        if self._playbooks is None:
            self._playbooks = default_source()
        return self._playbooks

    def reload_playbooks(self) -> None:
        """Look for playbooks again (a file was added or edited)."""
        self._playbooks = None

    def playbooks(self) -> list[PlaybookInfo]:
        return self.playbook_source.infos()

    def playbook_by_id(self, playbook_id: str) -> Playbook:
        return self.playbook_source.get(playbook_id)

    def playbook(self, pilot_id: str) -> Playbook:
        """The current version of the playbook the pilot uses."""
        with self._session() as s:
            pilot = self._pilot(s, pilot_id)
        return self.playbook_by_id(pilot.playbook_id)

    @staticmethod
    def _pilot(s: Session, pilot_id: str) -> t.Pilot:
        pilot = s.get(t.Pilot, pilot_id)
        if pilot is None:
            raise NotFound(f"no pilot with id {pilot_id!r}")
        return pilot

    # ------------------------------------------------------------ pilots

    def create_pilot(
        self, name: str, playbook_id: str = "ai-pilot", facilitator: str | None = None
    ) -> PilotSummary:
        name = _clean_name(name)
        book = self.playbook_by_id(playbook_id)
        now = self.clock()
        with self._session(write=True) as s:
            base = slugify(name)
            taken = set(
                s.exec(
                    select(t.Pilot.slug).where(
                        or_(t.Pilot.slug == base, col(t.Pilot.slug).startswith(base + "-"))
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
            from pilotbook.workshop.keep import keep_playbook

            keep_playbook(self, s, book)
        return convert.summary(pilot, (0, _required_total(book), 0))

    def list_pilots(self, include_archived: bool = False) -> list[PilotSummary]:
        """Every pilot, most recently changed first, with how far its answers go."""
        # Plain rows, not ORM objects: ten thousand pilots stay well under half a second.
        query = select(*t.Pilot.__table__.columns).order_by(col(t.Pilot.updated_at).desc())
        if not include_archived:
            query = query.where(t.Pilot.archived == False)  # noqa: E712
        with self._session() as s:
            pilots = list(s.execute(query).all())
            books = {p.playbook_id for p in pilots}
            counts, totals = self._counts(s, books, every_pilot=len(books) == 1)
        from pilotbook.workshop.quicklist import fresh_verdict

        versions = {b: self._current_version(b) for b in books}
        today = self.clock().date()
        out = []
        for p in pilots:
            answered, required = counts.get(p.id, (0, 0))
            summary = convert.summary(p, (answered, totals.get(p.playbook_id, 0), required))
            out.append(fresh_verdict(summary, versions[p.playbook_id], today))
        return out

    def _current_version(self, playbook_id: str) -> int | None:
        try:
            return self.playbook_by_id(playbook_id).version
        except NotFound:
            return None

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
                book = self.playbook_by_id(playbook_id)
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
                .group_by(t.Answer.pilot_id)
            )
            if pilot_id is not None:
                query = query.where(t.Answer.pilot_id == pilot_id)
            elif not every_pilot:
                mine = select(t.Pilot.id).where(t.Pilot.playbook_id == playbook_id)
                query = query.where(col(t.Answer.pilot_id).in_(mine))
            for pid, answered, req_answered in s.exec(query).all():
                counts[pid] = (int(answered), int(req_answered or 0))
        return counts, totals

    def pilot_summary(self, pilot_id: str) -> PilotSummary:
        with self._session() as s:
            pilot = self._pilot(s, pilot_id)
            counts, totals = self._counts(s, {pilot.playbook_id}, pilot.id)
        answered, required = counts.get(pilot.id, (0, 0))
        total = totals.get(pilot.playbook_id, 0)
        return convert.summary(pilot, (answered, total, required))

    def find_pilot(self, ref: str) -> PilotSummary:
        """A pilot by slug, exact name (any case), an unambiguous id prefix, or else
        the unique start of a slug or name; a miss suggests the closest slugs."""
        ref = ref.strip()
        if not ref:
            raise NotFound("no pilot named ''")
        with self._session() as s:
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
        return self.pilot_summary(pilot_id)

    def rename_pilot(self, pilot_id: str, name: str) -> PilotSummary:
        """A new name; the slug stays, so scripts that use it keep working."""
        name = _clean_name(name)
        with self._session(write=True) as s:
            pilot = self._pilot(s, pilot_id)
            pilot.name, pilot.updated_at = name, self.clock()
        return self.pilot_summary(pilot_id)

    def archive_pilot(self, pilot_id: str, archived: bool = True) -> PilotSummary:
        with self._session(write=True) as s:
            pilot = self._pilot(s, pilot_id)
            pilot.archived, pilot.updated_at = archived, self.clock()
        return self.pilot_summary(pilot_id)

    def set_phase(self, pilot_id: str, phase: str, by: str | None = None) -> PilotSummary:
        """Move to a phase; the phase left is frozen in a snapshot first."""
        from pilotbook.workshop.phases import set_phase

        return set_phase(self, pilot_id, phase, by=by)

    def open_pilot(self, pilot_id: str) -> PilotView:
        """The pilot with its playbook (current version), answers, sessions and actions."""
        with self._session() as s:
            pilot = self._pilot(s, pilot_id)
            book = self.playbook_by_id(pilot.playbook_id)
            rows = s.exec(select(t.Answer).where(t.Answer.pilot_id == pilot_id)).all()
            sessions = self._sessions(s, pilot_id)
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

        The number of history events (append-only, read from the unique index)
        and the pilot's own `updated_at` (renames, phases, archiving).
        """
        with self._session() as s:
            events = s.execute(
                select(func.count()).where(t.AnswerEvent.pilot_id == pilot_id)
            ).scalar_one()
            updated = s.execute(
                select(t.Pilot.updated_at).where(t.Pilot.id == pilot_id)
            ).scalar_one_or_none()
        return int(events), updated

    def answers_for_rules(self, pilot_id: str) -> dict[str, Any]:
        """What CEL conditions see: every question's value (None if none) and the n/a ids."""
        from pilotbook.workshop.verdict import activation

        return activation(self.open_pilot(pilot_id))

    # ------------------------------------------------------------ the verdict

    def assess(self, pilot_id: str, phase: str | None = None) -> Assessment:
        """The verdict of a pilot for the decision of `phase` (default: its current one),
        with its reasons: what every front end and document shows."""
        if phase is None:
            return kept.assess_and_keep(self, pilot_id)
        from pilotbook.workshop.verdict import assess_view

        return assess_view(self, self.open_pilot(pilot_id), phase=phase)

    def accept_risk(
        self, pilot_id: str, question_id: str, *, by: str, why: str, until: dt.date
    ) -> AcceptanceInfo:
        from pilotbook.workshop.verdict import accept_risk

        return accept_risk(self, pilot_id, question_id, by=by, why=why, until=until)

    def withdraw_acceptance(self, pilot_id: str, question_id: str, by: str | None = None) -> None:
        from pilotbook.workshop.verdict import withdraw_acceptance

        withdraw_acceptance(self, pilot_id, question_id, by)

    def acceptances(self, pilot_id: str) -> list[AcceptanceInfo]:
        from pilotbook.workshop.verdict import acceptances

        return acceptances(self, pilot_id)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidValue("a pilot needs a name")
    if len(name) > MAX_NAME:
        raise InvalidValue(f"a pilot name has at most {MAX_NAME} characters")
    return name


def _required_total(book: Playbook) -> int:
    return sum(1 for q in book.questions() if q.required)
