"""The records of a pilot: workshop sessions and attendees, actions, decisions,
sign-offs and snapshots.

An action or a sign-off is a commitment someone made in the room: when it is
corrected, reopened or removed, the history says what it was, who changed it
and when (pilot events of kinds `action.*` and `signoff.*`, shown by
`pilotbook history`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, Stale
from pilotbook.workshop import convert
from pilotbook.workshop.events import record_event
from pilotbook.workshop.record_rows import (
    action_fields,
    attendees,
    changes,
    get,
    pilot_rows,
    plain,
    required_text,
    sessions_of,
    signoff_fields,
    text,
)
from pilotbook.workshop.views import (
    ActionInfo,
    AttendeeInfo,
    DecisionInfo,
    SessionInfo,
    SignoffInfo,
    SnapshotInfo,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from pilotbook.workshop.pilots import Pilots
    from pilotbook.workshop.unit import UnitOfWork

OUTCOMES = ("go", "conditional", "no-go")
COMPARED = ("title", "owner", "due", "status", "question_id")


def _locked(
    s: Session,
    model: Any,
    row_id: str,
    expected: Any,
    *,
    what: str,
    view: Callable[[Any], Any],
    keys: tuple[str, ...],
    named: Callable[[Any], str],
    gone: str = "deleted",
) -> Any:
    """The record's row, locked until the write ends (PostgreSQL; SQLite's write
    transaction holds the file), and unchanged in `keys` since the caller saw it
    as `expected`; else `Stale`, with what is there now (None when it is gone)."""
    row = s.exec(select(model).where(model.id == row_id).with_for_update()).first()
    if row is None:
        if expected is not None:
            raise Stale(f"{named(expected)} was {gone} elsewhere; nothing was saved")
        return get(s, model, row_id, what)  # raises NotFound
    if expected is not None:
        now = view(row)
        if any(getattr(now, k) != getattr(expected, k) for k in keys):
            raise Stale(f"{named(now)} changed elsewhere; nothing was saved", now)
    return row


def _locked_action(s: Session, action_id: str, expected: ActionInfo | None) -> t.Action:
    row: t.Action = _locked(
        s,
        t.Action,
        action_id,
        expected,
        what="action",
        view=convert.action,
        keys=COMPARED,
        named=lambda a: f"action {a.title!r}",
    )
    return row


def _locked_signoff(s: Session, signoff_id: str, expected: SignoffInfo | None) -> t.Signoff:
    row: t.Signoff = _locked(
        s,
        t.Signoff,
        signoff_id,
        expected,
        what="sign-off",
        view=convert.signoff,
        keys=("name", "role", "scope"),
        named=lambda x: f"the sign-off of {x.name!r}",
        gone="withdrawn",
    )
    return row


def _locked_attendee(s: Session, attendee_id: str, expected: AttendeeInfo | None) -> t.Attendee:
    row: t.Attendee = _locked(
        s,
        t.Attendee,
        attendee_id,
        expected,
        what="attendee",
        view=convert.attendee,
        keys=("name", "role", "team", "uses_workflow"),
        named=lambda x: f"attendee {x.name!r}",
        gone="removed",
    )
    return row


class Records:
    def __init__(self, unit: UnitOfWork, pilots: Pilots) -> None:
        self._unit = unit
        self._pilots = pilots

    # ------------------------------------------------------------ sessions

    def start_session(
        self, pilot_id: str, title: str | None = None, facilitator: str | None = None
    ) -> SessionInfo:
        """Open a workshop session; answers saved while it is open are linked to it."""
        row = t.WorkshopSession(
            pilot_id=pilot_id,
            title=text(title, "a session title"),
            facilitator=text(facilitator, "a facilitator's name"),
            started_at=self._unit.clock(),
        )
        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            s.add(row)
        return convert.session(row, [])

    def end_session(self, session_id: str) -> SessionInfo:
        with self._unit.write() as s:
            row = get(s, t.WorkshopSession, session_id, "session")
            if row.ended_at is None:
                row.ended_at = self._unit.clock()
            people = attendees(s, [session_id])
        return convert.session(row, people.get(session_id, []))

    def add_attendee(
        self,
        session_id: str,
        name: str,
        role: str | None = None,
        team: str | None = None,
        uses_workflow: bool = False,
    ) -> AttendeeInfo:
        row = t.Attendee(
            session_id=session_id,
            name=required_text(name, "an attendee's name"),
            role=text(role, "a role"),
            team=text(team, "a team"),
            uses_workflow=uses_workflow,
        )
        with self._unit.write() as s:
            session = get(s, t.WorkshopSession, session_id, "session")
            s.add(row)
            # Moves the pilot's change stamp: an open app offers the new name.
            self._unit.pilot(s, session.pilot_id).updated_at = self._unit.clock()
        return convert.attendee(row)

    def update_attendee(
        self,
        attendee_id: str,
        *,
        name: str,
        role: str | None = None,
        team: str | None = None,
        uses_workflow: bool = False,
        expected: AttendeeInfo | None = None,
    ) -> AttendeeInfo:
        """Correct an attendee (a misspelt name, a role learnt later); `expected`
        as for an action."""
        with self._unit.write() as s:
            row = _locked_attendee(s, attendee_id, expected)
            row.name = required_text(name, "an attendee's name")
            row.role, row.team = text(role, "a role"), text(team, "a team")
            row.uses_workflow = uses_workflow
            session = get(s, t.WorkshopSession, row.session_id, "session")
            self._unit.pilot(s, session.pilot_id).updated_at = self._unit.clock()
            s.add(row)
            return convert.attendee(row)

    def remove_attendee(
        self, attendee_id: str, expected: AttendeeInfo | None = None
    ) -> AttendeeInfo:
        """Take someone off a session's list (added by mistake, or not there after all)."""
        with self._unit.write() as s:
            row = _locked_attendee(s, attendee_id, expected)
            gone = convert.attendee(row)
            session = get(s, t.WorkshopSession, row.session_id, "session")
            self._unit.pilot(s, session.pilot_id).updated_at = self._unit.clock()
            s.delete(row)
        return gone

    def sessions(self, pilot_id: str) -> list[SessionInfo]:
        with self._unit.read() as s:
            self._unit.pilot(s, pilot_id)
            return sessions_of(s, pilot_id)

    def people(self, pilot_id: str) -> list[str]:
        """Names the team already used: attendees, and people named in person answers."""
        view = self._pilots.open(pilot_id)
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
        self,
        pilot_id: str,
        title: str,
        owner: str | None = None,
        due: dt.date | None = None,
        question_id: str | None = None,
        by: str | None = None,
    ) -> ActionInfo:
        row = t.Action(
            pilot_id=pilot_id,
            title=required_text(title, "an action's title", 2000),
            owner=text(owner, "an owner's name"),
            due=due,
            question_id=question_id,
            created_at=self._unit.clock(),
        )
        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            s.add(row)
            detail = {"action": row.id, "title": row.title}
            record_event(s, pilot_id, "action.added", detail, by, self._unit.clock())
        return convert.action(row)

    def actions(self, pilot_id: str, open_only: bool = False) -> list[ActionInfo]:
        with self._unit.read() as s:
            self._unit.pilot(s, pilot_id)
            query = select(t.Action).where(t.Action.pilot_id == pilot_id)
            if open_only:
                query = query.where(t.Action.status == "open")
            rows = s.exec(query.order_by(col(t.Action.created_at))).all()
        return [convert.action(r) for r in rows]

    def update_action(
        self,
        action_id: str,
        by: str | None = None,
        expected: ActionInfo | None = None,
        **fields: Any,
    ) -> ActionInfo:
        """Change any of title, owner, due, status ("open", "done", "dropped"), question_id.

        `expected`: the action as the caller saw it; when someone else changed or
        deleted it since, `Stale` and nothing is saved (as an answer's revision)."""
        fields = action_fields(fields)
        with self._unit.write() as s:
            row = _locked_action(s, action_id, expected)
            changed = changes(row, fields)
            for key, value in fields.items():
                setattr(row, key, value)
            if "status" in fields:
                row.closed_at = (
                    None if row.status == "open" else (row.closed_at or self._unit.clock())
                )
            if changed:
                detail = {"action": row.id, "title": row.title, "changes": changed}
                record_event(s, row.pilot_id, "action.changed", detail, by, self._unit.clock())
        return convert.action(row)

    def close_action(
        self,
        action_id: str,
        status: str = "done",
        by: str | None = None,
        expected: ActionInfo | None = None,
    ) -> ActionInfo:
        return self.update_action(action_id, by=by, expected=expected, status=status)

    def reopen_action(
        self, action_id: str, by: str | None = None, expected: ActionInfo | None = None
    ) -> ActionInfo:
        return self.update_action(action_id, by=by, expected=expected, status="open")

    def delete_action(
        self, action_id: str, by: str | None = None, expected: ActionInfo | None = None
    ) -> ActionInfo:
        """Remove an action; the history keeps what it said. `expected` as for updates."""
        with self._unit.write() as s:
            row = _locked_action(s, action_id, expected)
            gone = convert.action(row)
            detail = {
                "action": row.id,
                "title": row.title,
                "owner": row.owner,
                "due": plain(row.due),
                "status": row.status,
            }
            record_event(s, row.pilot_id, "action.deleted", detail, by, self._unit.clock())
            s.delete(row)
        return gone

    # ------------------------------------------------------------ decisions and the rest

    def add_decision(
        self,
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
            by=text(by, "a name"),
            at=self._unit.clock(),
        )
        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            s.add(row)
        return convert.decision(row)

    def decisions(self, pilot_id: str) -> list[DecisionInfo]:
        return [
            convert.decision(r) for r in pilot_rows(self._unit, t.Decision, pilot_id, t.Decision.at)
        ]

    def add_signoff(
        self,
        pilot_id: str,
        name: str,
        role: str | None = None,
        scope: str | None = None,
        by: str | None = None,
    ) -> SignoffInfo:
        row = t.Signoff(
            pilot_id=pilot_id,
            name=required_text(name, "a name"),
            role=text(role, "a role"),
            scope=text(scope, "a scope", 64),
            at=self._unit.clock(),
        )
        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            s.add(row)
            detail = {"signoff": row.id, "name": row.name, "scope": row.scope}
            record_event(s, pilot_id, "signoff.added", detail, by, self._unit.clock())
        return convert.signoff(row)

    def signoffs(self, pilot_id: str) -> list[SignoffInfo]:
        return [
            convert.signoff(r) for r in pilot_rows(self._unit, t.Signoff, pilot_id, t.Signoff.at)
        ]

    def update_signoff(
        self,
        signoff_id: str,
        by: str | None = None,
        expected: SignoffInfo | None = None,
        **fields: Any,
    ) -> SignoffInfo:
        """Correct a sign-off's name, role or scope ("brief", "charter", "all").

        `expected`: the sign-off as the caller saw it, as for an action."""
        fields = signoff_fields(fields)
        with self._unit.write() as s:
            row = _locked_signoff(s, signoff_id, expected)
            changed = changes(row, fields)
            for key, value in fields.items():
                setattr(row, key, value)
            if changed:
                detail = {"signoff": row.id, "name": row.name, "changes": changed}
                record_event(s, row.pilot_id, "signoff.changed", detail, by, self._unit.clock())
        return convert.signoff(row)

    def delete_signoff(
        self, signoff_id: str, by: str | None = None, expected: SignoffInfo | None = None
    ) -> SignoffInfo:
        """Withdraw a sign-off; the history keeps who had signed, for what, and when."""
        with self._unit.write() as s:
            row = _locked_signoff(s, signoff_id, expected)
            gone = convert.signoff(row)
            detail = {
                "signoff": row.id,
                "name": row.name,
                "role": row.role,
                "scope": row.scope,
                "signed": convert.aware(row.at).isoformat(),
            }
            record_event(s, row.pilot_id, "signoff.deleted", detail, by, self._unit.clock())
            s.delete(row)
        return gone

    def take_snapshot(
        self,
        pilot_id: str,
        label: str,
        verdict: dict[str, Any] | None = None,
        phase: str | None = None,
    ) -> SnapshotInfo:
        """Freeze every answer (and the verdict the caller computed) at a milestone."""
        view = self._pilots.open(pilot_id)
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
            label=required_text(label, "a snapshot label"),
            answers_json=convert.dumps(answers) or "{}",
            verdict_json=convert.dumps(verdict),
            at=self._unit.clock(),
        )
        with self._unit.write() as s:
            s.add(row)
        return convert.snapshot(row)

    def snapshots(self, pilot_id: str) -> list[SnapshotInfo]:
        return [
            convert.snapshot(r) for r in pilot_rows(self._unit, t.Snapshot, pilot_id, t.Snapshot.at)
        ]
