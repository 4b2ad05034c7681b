"""Rows to views: the only place that knows both the tables and the dataclasses."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast, overload

from pilotbook.db import tables as t
from pilotbook.workshop import views as v


@overload
def aware(when: dt.datetime | str) -> dt.datetime: ...
@overload
def aware(when: None) -> None: ...
@overload
def aware(when: dt.datetime | str | None) -> dt.datetime | None: ...
def aware(when: dt.datetime | str | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes (or, from plain rows, strings); all are UTC."""
    if when is None:
        return None
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def dumps(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def summary(p: Any, counts: tuple[int, int, int] = (0, 0, 0)) -> v.PilotSummary:
    return v.PilotSummary(
        id=p.id,
        slug=p.slug,
        name=p.name,
        playbook_id=p.playbook_id,
        playbook_version=p.playbook_version,
        phase=p.phase,
        archived=bool(p.archived),
        created_at=aware(p.created_at),
        updated_at=aware(p.updated_at),
        facilitator=p.facilitator,
        answered=counts[0],
        required_total=counts[1],
        required_answered=counts[2],
        verdict=getattr(p, "verdict", None),
        verdict_label=getattr(p, "verdict_label", None),
        verdict_until=getattr(p, "verdict_until", None),
        verdict_version=getattr(p, "verdict_version", None),
        reasons_kept=getattr(p, "verdict_reasons", None) is not None,
    )


def answer(a: t.Answer, retired: bool = False) -> v.AnswerView:
    return v.AnswerView(
        question_id=a.question_id,
        value=loads(a.value_json),
        na_reason=a.na_reason,
        note=a.note,
        revision=a.revision,
        updated_at=aware(a.updated_at),
        updated_by=a.updated_by,
        retired=retired,
        review=getattr(a, "review", None),
    )


def event(e: t.AnswerEvent) -> v.AnswerEvent:
    return v.AnswerEvent(
        id=e.id,
        question_id=e.question_id,
        kind=cast(v.EventKind, e.kind),  # the store writes only these kinds
        value=loads(e.value_json),
        na_reason=e.na_reason,
        note=e.note,
        revision=e.revision,
        by=e.by,
        at=aware(e.at),
        session_id=e.session_id,
    )


def attendee(a: t.Attendee) -> v.AttendeeInfo:
    return v.AttendeeInfo(a.id, a.session_id, a.name, a.role, a.team, bool(a.uses_workflow))


def session(s: t.WorkshopSession, attendees: list[t.Attendee]) -> v.SessionInfo:
    return v.SessionInfo(
        id=s.id,
        pilot_id=s.pilot_id,
        title=s.title,
        facilitator=s.facilitator,
        started_at=aware(s.started_at),
        ended_at=aware(s.ended_at),
        attendees=tuple(attendee(a) for a in attendees),
    )


def action(a: t.Action) -> v.ActionInfo:
    return v.ActionInfo(
        id=a.id,
        pilot_id=a.pilot_id,
        title=a.title,
        owner=a.owner,
        due=a.due,
        status=a.status,
        question_id=a.question_id,
        created_at=aware(a.created_at),
        closed_at=aware(a.closed_at),
    )


def decision(d: t.Decision) -> v.DecisionInfo:
    return v.DecisionInfo(
        id=d.id,
        pilot_id=d.pilot_id,
        outcome=d.outcome,
        rationale=d.rationale,
        conditions=tuple(loads(d.conditions_json) or ()),
        by=d.by,
        at=aware(d.at),
    )


def signoff(s: t.Signoff) -> v.SignoffInfo:
    return v.SignoffInfo(s.id, s.pilot_id, s.name, s.role, s.scope, aware(s.at))


def measurement(m: t.Measurement) -> v.MeasurementInfo:
    return v.MeasurementInfo(
        m.id, m.pilot_id, m.metric, m.value, m.unit, m.measured_on, m.note, m.source
    )


def snapshot(s: t.Snapshot) -> v.SnapshotInfo:
    return v.SnapshotInfo(
        id=s.id,
        pilot_id=s.pilot_id,
        phase=s.phase,
        label=s.label,
        answers=loads(s.answers_json) or {},
        verdict=loads(s.verdict_json),
        at=aware(s.at),
        kind=s.kind,
        playbook_id=s.playbook_id,
        playbook_version=s.playbook_version,
        actions=tuple(loads(s.actions_json) or ()),
    )
