"""Workshop sessions and attendees, actions, decisions, sign-offs, measurements, snapshots."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.workshop import convert
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop.keep import record_event
from pilotbook.workshop.views import (
    ActionInfo,
    AttendeeInfo,
    DecisionInfo,
    MeasurementInfo,
    SessionInfo,
    SignoffInfo,
    SnapshotInfo,
)

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop

OUTCOMES = ("go", "conditional", "no-go")


def _text(value: str | None, what: str, limit: int = 200, required: bool = False) -> str | None:
    value = " ".join(value.split()) if value else None
    if required and not value:
        raise InvalidValue(f"{what} cannot be empty")
    if value and len(value) > limit:
        raise InvalidValue(f"{what} has at most {limit} characters")
    return value


class RecordsMixin:
    # ------------------------------------------------------------ sessions

    def start_session(
        self: Workshop, pilot_id: str, title: str | None = None, facilitator: str | None = None
    ) -> SessionInfo:
        """Open a workshop session; answers saved while it is open are linked to it."""
        row = t.WorkshopSession(
            pilot_id=pilot_id,
            title=_text(title, "a session title"),
            facilitator=_text(facilitator, "a facilitator's name"),
            started_at=self.clock(),
        )
        with self._session(write=True) as s:
            self._pilot(s, pilot_id)
            s.add(row)
        return convert.session(row, [])

    def end_session(self: Workshop, session_id: str) -> SessionInfo:
        with self._session(write=True) as s:
            row = _get(s, t.WorkshopSession, session_id, "session")
            if row.ended_at is None:
                row.ended_at = self.clock()
            attendees = _attendees(s, [session_id])
        return convert.session(row, attendees.get(session_id, []))

    def add_attendee(
        self: Workshop,
        session_id: str,
        name: str,
        role: str | None = None,
        team: str | None = None,
        uses_workflow: bool = False,
    ) -> AttendeeInfo:
        row = t.Attendee(
            session_id=session_id,
            name=_text(name, "an attendee's name", required=True),  # type: ignore[arg-type]
            role=_text(role, "a role"),
            team=_text(team, "a team"),
            uses_workflow=uses_workflow,
        )
        with self._session(write=True) as s:
            _get(s, t.WorkshopSession, session_id, "session")
            s.add(row)
        return convert.attendee(row)

    def sessions(self: Workshop, pilot_id: str) -> list[SessionInfo]:
        with self._session() as s:
            self._pilot(s, pilot_id)
            return self._sessions(s, pilot_id)

    def _sessions(self: Workshop, s: Session, pilot_id: str) -> list[SessionInfo]:
        rows = s.exec(
            select(t.WorkshopSession)
            .where(t.WorkshopSession.pilot_id == pilot_id)
            .order_by(col(t.WorkshopSession.started_at))
        ).all()
        attendees = _attendees(s, [r.id for r in rows])
        return [convert.session(r, attendees.get(r.id, [])) for r in rows]

    def people(self: Workshop, pilot_id: str) -> list[str]:
        """Names the team already used: attendees, and people named in person answers."""
        view = self.open_pilot(pilot_id)
        names = {a.name for a in view.attendees}
        for q in view.playbook.questions():
            a = view.answers.get(q.id)
            if a is None or a.value is None:
                continue
            if q.type == "person":
                names.add(a.value)
            elif q.type == "table":
                person_cols = [c.id for c in q.columns if c.type == "person"]
                names.update(row[c] for row in a.value for c in person_cols if row.get(c))
        names.update(x.owner for x in view.actions if x.owner)
        return sorted(names, key=str.lower)

    # ------------------------------------------------------------ actions

    def add_action(
        self: Workshop,
        pilot_id: str,
        title: str,
        owner: str | None = None,
        due: dt.date | None = None,
        question_id: str | None = None,
        by: str | None = None,
    ) -> ActionInfo:
        row = t.Action(
            pilot_id=pilot_id,
            title=_text(title, "an action's title", 2000, required=True),  # type: ignore[arg-type]
            owner=_text(owner, "an owner's name"),
            due=due,
            question_id=question_id,
            created_at=self.clock(),
        )
        with self._session(write=True) as s:
            self._pilot(s, pilot_id)
            s.add(row)
            detail = {"action": row.id, "title": row.title}
            record_event(self, s, pilot_id, "action.added", detail, by)
        return convert.action(row)

    def actions(self: Workshop, pilot_id: str, open_only: bool = False) -> list[ActionInfo]:
        with self._session() as s:
            self._pilot(s, pilot_id)
            query = select(t.Action).where(t.Action.pilot_id == pilot_id)
            if open_only:
                query = query.where(t.Action.status == "open")
            rows = s.exec(query.order_by(col(t.Action.created_at))).all()
        return [convert.action(r) for r in rows]

    # ------------------------------------------------------------ decisions and the rest

    def record_decision(
        self: Workshop,
        pilot_id: str,
        outcome: str,
        rationale: str,
        *,
        conditions: list[str] | tuple[str, ...] = (),
        by: str | None = None,
    ) -> DecisionInfo:
        """The humans' go/no-go with its rationale; the latest one stands."""
        if outcome not in OUTCOMES:
            raise InvalidValue(f"a decision is one of {', '.join(OUTCOMES)}, not {outcome!r}")
        if not rationale.strip():
            raise InvalidValue("a decision needs its rationale")
        row = t.Decision(
            pilot_id=pilot_id,
            outcome=outcome,
            rationale=rationale.strip(),
            conditions_json=convert.dumps([c for c in conditions if c.strip()] or None),
            by=_text(by, "a name"),
            at=self.clock(),
        )
        with self._session(write=True) as s:
            self._pilot(s, pilot_id)
            s.add(row)
        return convert.decision(row)

    def decisions(self: Workshop, pilot_id: str) -> list[DecisionInfo]:
        return [convert.decision(r) for r in self._rows(t.Decision, pilot_id, t.Decision.at)]

    def add_signoff(
        self: Workshop,
        pilot_id: str,
        name: str,
        role: str | None = None,
        scope: str | None = None,
        by: str | None = None,
    ) -> SignoffInfo:
        row = t.Signoff(
            pilot_id=pilot_id,
            name=_text(name, "a name", required=True),  # type: ignore[arg-type]
            role=_text(role, "a role"),
            scope=_text(scope, "a scope", 64),
            at=self.clock(),
        )
        with self._session(write=True) as s:
            self._pilot(s, pilot_id)
            s.add(row)
            detail = {"signoff": row.id, "name": row.name, "scope": row.scope}
            record_event(self, s, pilot_id, "signoff.added", detail, by)
        return convert.signoff(row)

    def signoffs(self: Workshop, pilot_id: str) -> list[SignoffInfo]:
        return [convert.signoff(r) for r in self._rows(t.Signoff, pilot_id, t.Signoff.at)]

    def add_measurement(
        self: Workshop,
        pilot_id: str,
        metric: str,
        value: float,
        measured_on: dt.date,
        unit: str | None = None,
        note: str | None = None,
    ) -> MeasurementInfo:
        row = t.Measurement(
            pilot_id=pilot_id,
            metric=_text(metric, "a metric", required=True),  # type: ignore[arg-type]
            value=float(value),
            unit=_text(unit, "a unit", 32),
            measured_on=measured_on,
            note=note,
        )
        with self._session(write=True) as s:
            self._pilot(s, pilot_id)
            s.add(row)
        return convert.measurement(row)

    def measurements(self: Workshop, pilot_id: str) -> list[MeasurementInfo]:
        rows = self._rows(t.Measurement, pilot_id, t.Measurement.measured_on)
        return [convert.measurement(r) for r in rows]

    def take_snapshot(
        self: Workshop,
        pilot_id: str,
        label: str,
        verdict: dict[str, Any] | None = None,
        phase: str | None = None,
    ) -> SnapshotInfo:
        """Freeze every answer (and the verdict the caller computed) at a milestone."""
        view = self.open_pilot(pilot_id)
        answers = {
            qid: {
                "value": a.value,
                "na_reason": a.na_reason,
                "note": a.note,
                "revision": a.revision,
            }
            for qid, a in view.answers.items()
        }
        row = t.Snapshot(
            pilot_id=pilot_id,
            phase=phase or view.summary.phase,
            label=_text(label, "a snapshot label", required=True),  # type: ignore[arg-type]
            answers_json=convert.dumps(answers) or "{}",
            verdict_json=convert.dumps(verdict),
            at=self.clock(),
        )
        with self._session(write=True) as s:
            s.add(row)
        return convert.snapshot(row)

    def snapshots(self: Workshop, pilot_id: str) -> list[SnapshotInfo]:
        return [convert.snapshot(r) for r in self._rows(t.Snapshot, pilot_id, t.Snapshot.at)]

    def _rows(self: Workshop, table: Any, pilot_id: str, order: Any) -> list[Any]:
        with self._session() as s:
            self._pilot(s, pilot_id)
            return list(
                s.exec(select(table).where(table.pilot_id == pilot_id).order_by(col(order))).all()
            )


def _get(s: Session, table: Any, row_id: str, what: str) -> Any:
    row = s.get(table, row_id)
    if row is None:
        raise NotFound(f"no {what} with id {row_id!r}")
    return row


def _attendees(s: Session, session_ids: list[str]) -> dict[str, list[t.Attendee]]:
    if not session_ids:
        return {}
    out: dict[str, list[t.Attendee]] = {}
    rows = s.exec(select(t.Attendee).where(col(t.Attendee.session_id).in_(session_ids))).all()
    for a in rows:
        out.setdefault(a.session_id, []).append(a)
    return out
