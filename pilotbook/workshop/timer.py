"""The facilitator's timer: per section, started, paused, extended and reset by hand.

Each change is a pilot event of kind `timer` holding the section's whole
state (time spent before the last start, when it was started if it runs,
minutes added), so the newest event of a section is its state: reopening the
app, or coming back to the section, resumes the count where it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop.events import record_event

if TYPE_CHECKING:
    from sqlmodel import Session

    from pilotbook.workshop.service import Workshop

TIMER = "timer"
PLAN = "session_plan"  # today's session: the sections it covers and its length
EXTEND_SECONDS = 5 * 60
MOVES = ("start", "pause", "extend", "shorten", "reset")


@dataclass(frozen=True)
class SectionTimer:
    section_id: str
    title: str
    phase: str
    timebox: int | None  # seconds the playbook gives it, plus any extension
    spent_before: float  # seconds counted up to the last start or pause
    running_since: dt.datetime | None
    extra: int = 0  # seconds added by hand to the playbook's timebox

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def spent(self, now: dt.datetime) -> float:
        extra = (now - self.running_since).total_seconds() if self.running_since else 0.0
        return self.spent_before + max(extra, 0.0)

    def left(self, now: dt.datetime) -> float | None:
        return None if self.timebox is None else self.timebox - self.spent(now)

    def over(self, now: dt.datetime) -> bool:
        left = self.left(now)
        return left is not None and left < 0


@dataclass(frozen=True)
class Agenda:
    sections: list[SectionTimer]
    today: tuple[str, ...] = ()  # the sections of today's session, in playbook order
    length: int | None = None  # seconds today's session lasts; None: no session planned

    @property
    def planned(self) -> list[SectionTimer]:
        """Today's sections; every section when no session is planned."""
        if not self.today:
            return self.sections
        return [s for s in self.sections if s.section_id in self.today]

    def total(self) -> int:
        return sum(s.timebox or 0 for s in self.planned)

    def spent(self, now: dt.datetime) -> float:
        return sum(s.spent(now) for s in self.planned)

    def left(self, now: dt.datetime) -> float:
        return (self.length or self.total()) - self.spent(now)

    def over(self, now: dt.datetime) -> float:
        """Seconds today's session has run over its length (0 when it has not)."""
        if self.length is None:
            return 0.0
        return max(self.spent(now) - self.length, 0.0)

    @property
    def running(self) -> SectionTimer | None:
        return next((s for s in self.sections if s.running), None)

    def section(self, section_id: str) -> SectionTimer:
        for s in self.sections:
            if s.section_id == section_id:
                return s
        raise NotFound(f"no section {section_id!r} in this playbook")


def agenda(ws: Workshop, pilot_id: str, phase: str | None = None) -> Agenda:
    """Every section of the playbook (or of one phase) with its timer."""
    book = ws.playbooks.for_pilot(pilot_id)
    states: dict[str, dict[str, Any]] = {}
    plan: dict[str, Any] = {}
    today = _local_day(ws.clock())
    for e in ws.phases.history(pilot_id):
        if e.kind == TIMER and isinstance(e.detail.get("section"), str):
            states[e.detail["section"]] = e.detail
        elif e.kind == PLAN and _local_day(e.at) == today:
            plan = e.detail  # an earlier day's plan is not today's session
    out = []
    for section in book.sections:
        if phase is not None and section.phase != phase:
            continue
        st = states.get(section.id, {})
        box = section.timebox_seconds
        extra = int(st.get("extra", 0))
        since = st.get("running_since")
        out.append(
            SectionTimer(
                section.id,
                section.title,
                section.phase or "",
                None if box is None and not extra else (box or 0) + extra,
                float(st.get("spent", 0.0)),
                dt.datetime.fromisoformat(since) if since else None,
                extra,
            )
        )
    known = {t.section_id for t in out}
    chosen = tuple(sid for sid in plan.get("sections", []) if sid in known)
    length = plan.get("seconds")
    return Agenda(out, chosen, int(length) if chosen and length else None)


def _local_day(at: dt.datetime) -> dt.date:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().date()


def plan_session(
    ws: Workshop, pilot_id: str, section_ids: list[str], minutes: int, by: str | None = None
) -> Agenda:
    """Make `section_ids` today's session of `minutes`: each timebox is fitted to it
    (`session_plan.fit`); time already spent stays."""
    from pilotbook.workshop.session_plan import fit

    if minutes <= 0:
        raise InvalidValue(f"a session lasts some minutes, not {minutes}")
    current = agenda(ws, pilot_id)
    book = ws.playbooks.for_pilot(pilot_id)
    boxes = {s.id: s.timebox_seconds for s in book.sections}
    chosen = [t for t in current.sections if t.section_id in set(section_ids)]
    if not chosen:
        raise InvalidValue("pick at least one section for the session")
    fitted = fit([(t.section_id, boxes.get(t.section_id)) for t in chosen], minutes * 60)
    now = _now(ws)
    with ws.unit.write() as s:
        ws.unit.pilot(s, pilot_id)
        for t in chosen:
            extra = fitted[t.section_id] - (boxes.get(t.section_id) or 0)
            _save(ws, s, pilot_id, t, "fit", t.spent_before, t.running_since, extra, by)
        detail = {"sections": [t.section_id for t in chosen], "seconds": minutes * 60}
        record_event(s, pilot_id, PLAN, detail, by, now)
    return agenda(ws, pilot_id)


def _now(ws: Workshop) -> dt.datetime:
    now = ws.clock()
    return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now


def move_timer(
    ws: Workshop, pilot_id: str, section_id: str, move: str, by: str | None = None
) -> SectionTimer:
    """start, pause, extend (+5 minutes), shorten (-5, to no less than 5) or reset one
    section's timer.

    Starting a section pauses any other that runs: the room is in one place.
    """
    if move not in MOVES:
        raise InvalidValue(f"a timer can {', '.join(MOVES)}, not {move!r}")
    now = _now(ws)
    current = agenda(ws, pilot_id)
    timer = current.section(section_id)
    with ws.unit.write() as s:
        ws.unit.pilot(s, pilot_id)
        if move == "start":
            for other in current.sections:
                if other.running and other.section_id != section_id:
                    _save(ws, s, pilot_id, other, "pause", other.spent(now), None, other.extra, by)
        spent, since, extra = timer.spent(now), timer.running_since, timer.extra
        if move == "start":
            spent, since = timer.spent_before, timer.running_since or now
        elif move == "pause":
            since = None
        elif move in ("extend", "shorten"):
            # Never below five minutes: shortening is for trimming, not for dropping.
            box = timer.timebox or 0
            change = EXTEND_SECONDS if move == "extend" else -min(EXTEND_SECONDS, box - 300)
            extra += max(change, 0) if move == "extend" else min(change, 0)
            spent, since = timer.spent_before, timer.running_since
        else:
            spent, since, extra = 0.0, None, 0
        _save(ws, s, pilot_id, timer, move, spent, since, extra, by)
    return agenda(ws, pilot_id).section(section_id)


def _save(
    ws: Workshop,
    s: Session,
    pilot_id: str,
    timer: SectionTimer,
    move: str,
    spent: float,
    since: dt.datetime | None,
    extra: int,
    by: str | None,
) -> None:
    detail = {
        "section": timer.section_id,
        "move": move,
        "spent": round(spent, 3),
        "running_since": since.isoformat() if since else None,
        "extra": extra,
    }
    record_event(s, pilot_id, TIMER, detail, by, ws.clock())
