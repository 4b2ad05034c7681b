"""The rest of a pilot read without the ORM, for `verdict`, `export` and `history`.

quickshow.py reads the pilot itself (summary, answers, actions); this module
reads what the verdict and the story add: decisions, measurements, the
pilot's moves and its answer changes. Each reader takes `rows`, a function
that runs one query with `?` placeholders and gives plain tuples, so the same
code serves the standard library's sqlite3 (the command line's light path)
and any DB-API connection (a test runs them on PostgreSQL through SQLAlchemy
Core). Values come back as text on SQLite and as typed values elsewhere:
both are read.

The verdict itself is never worked out here: `light_verdict` hands what it
read to `workshop.verdict.verdict_of`, the one place the rules are asked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pilotbook.workshop.views import (
    AnswerEvent,
    AttendeeInfo,
    DecisionInfo,
    EventKind,
    MeasurementInfo,
    PilotEventInfo,
    SessionInfo,
    SignoffInfo,
)

if TYPE_CHECKING:
    from pilotbook.rules.results import Assessment
    from pilotbook.workshop.asof import Source
    from pilotbook.workshop.review import Export
    from pilotbook.workshop.views import PilotView

Rows = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def _when(raw: dt.datetime | str) -> dt.datetime:
    when = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _day(raw: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(raw) if isinstance(raw, str) else raw


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def decisions(rows: Rows, pilot_id: str) -> list[DecisionInfo]:
    """What `ws.records.decisions` gives."""
    found = rows(
        'SELECT id, pilot_id, outcome, rationale, conditions_json, "by", at FROM decision'
        " WHERE pilot_id = ? ORDER BY at",
        (pilot_id,),
    )
    return [
        DecisionInfo(r[0], r[1], r[2], r[3], tuple(_loads(r[4]) or ()), r[5], _when(r[6]))
        for r in found
    ]


def measurements(rows: Rows, pilot_id: str) -> list[MeasurementInfo]:
    """What `ws.measurements.all` gives."""
    found = rows(
        "SELECT id, pilot_id, metric, value, unit, measured_on, note, source FROM measurement"
        " WHERE pilot_id = ? ORDER BY measured_on",
        (pilot_id,),
    )
    return [
        MeasurementInfo(r[0], r[1], r[2], float(r[3]), r[4], _day(r[5]), r[6], r[7]) for r in found
    ]


def pilot_events(rows: Rows, pilot_id: str) -> list[PilotEventInfo]:
    """What `ws.phases.history` gives: the pilot's moves, oldest first."""
    found = rows(
        'SELECT id, pilot_id, kind, detail_json, "by", at FROM pilot_event'
        " WHERE pilot_id = ? ORDER BY at",
        (pilot_id,),
    )
    return [PilotEventInfo(r[0], r[1], r[2], _loads(r[3]) or {}, r[4], _when(r[5])) for r in found]


def answer_events(rows: Rows, pilot_id: str, question_id: str | None) -> list[AnswerEvent]:
    """What `ws.answers.history` gives: the answer changes, oldest first."""
    one = " AND question_id = ?" if question_id is not None else ""
    args = (pilot_id,) if question_id is None else (pilot_id, question_id)
    found = rows(
        'SELECT id, question_id, kind, value_json, na_reason, note, revision, "by", at,'
        " session_id FROM answer_event WHERE pilot_id = ?"
        + one
        # the same order as the service's query
        + " ORDER BY at, question_id, revision",
        args,
    )
    return [
        AnswerEvent(
            id=r[0],
            question_id=r[1],
            kind=cast(EventKind, r[2]),  # the store writes only these kinds
            value=_loads(r[3]),
            na_reason=r[4],
            note=r[5],
            revision=r[6],
            by=r[7],
            at=_when(r[8]),
            session_id=r[9],
        )
        for r in found
    ]


def verdict_for(rows: Rows, view: PilotView, phase: str | None, today: dt.date) -> Assessment:
    """The verdict of a pilot read through `rows`, worked out by the service's own code."""
    from pilotbook.workshop.verdict import verdict_of

    pid = view.summary.id
    return verdict_of(
        view,
        phase,
        decisions(rows, pid),
        measurements(rows, pid),
        pilot_events(rows, pid),
        today,
    )


def today() -> dt.date:
    """The service's day: the store's clock when this process has loaded it (a test or
    the app may have set it), else the wall clock in UTC, which is what that reads."""
    import sys

    tables = sys.modules.get("pilotbook.db.tables")
    now = tables.utcnow() if tables is not None else dt.datetime.now(dt.UTC)
    return now.date() if isinstance(now, dt.datetime) else dt.datetime.now(dt.UTC).date()


def sqlite_rows(path: Path) -> Rows:
    """`rows` over a local SQLite store, read-only, one connection a query."""
    from pilotbook.workshop.quicklist import _connect

    def run(sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        conn = _connect(path)
        try:
            return list(conn.execute(sql, tuple(args)).fetchall())
        finally:
            conn.close()

    return run


def light_store(db: str | None) -> tuple[str, Path] | None:
    """The location and file of the store `db` names (None: the usual search) when the
    light path may read it; None sends the command down the full path and its checks."""
    from pilotbook.locations import resolve_store
    from pilotbook.workshop import quicklist

    try:
        location = resolve_store(db).value
        path = quicklist.local_path(location)
        if path is None or not quicklist.store_is_current(path):
            return None
    except Exception:
        return None  # the full path says what is wrong, in one line
    return location, path


@dataclass(frozen=True)
class LightVerdict:
    view: PilotView
    assessment: Assessment


def light_verdict(db: str | None, ref: str, phase: str | None) -> LightVerdict | None:
    """`verdict` without the ORM; None for the full path (anything not settled plainly).

    Read-only, so a verdict not kept yet is not kept here: the next `list`
    starts the background process that keeps them (`kept_fill`)."""
    from pilotbook.errors import WorkshopError
    from pilotbook.workshop import quickshow
    from pilotbook.workshop.phase_names import phase_id

    store = light_store(db)
    if store is None:
        return None
    _, path = store
    try:
        view = quickshow.open_pilot(path, ref)
        if view is None:
            return None
        if phase is not None:
            phase = phase_id(view.playbook, phase)
        assessment = verdict_for(sqlite_rows(path), view, phase, today())
    except WorkshopError:
        return None  # the full path raises it again, with its exit code
    except Exception:
        return None  # the full path says what is wrong, in one line
    return LightVerdict(view, assessment)


@dataclass(frozen=True)
class LightHistory:
    view: PilotView
    events: list[AnswerEvent]  # the answer changes
    pilot_events: list[PilotEventInfo]  # the moves of the whole pilot
    decisions: list[DecisionInfo]


def light_history(db: str | None, ref: str, question: str | None) -> LightHistory | None:
    """What `history` reads, without the ORM; None for the full path (anything not
    settled plainly, a question the pilot never had included: its error is there)."""
    from pilotbook.workshop import quickshow

    store = light_store(db)
    if store is None:
        return None
    _, path = store
    try:
        view = quickshow.open_pilot(path, ref)
        if view is None:
            return None
        rows = sqlite_rows(path)
        pid = view.summary.id
        events = answer_events(rows, pid, question)
        known = {q.id for q in view.playbook.questions()}
        if question is not None and question not in known and not events:
            return None
        decided = decisions(rows, pid) if question is None else []
        return LightHistory(view, events, pilot_events(rows, pid), decided)
    except Exception:
        return None  # the full path says what is wrong, in one line


def signoffs(rows: Rows, pilot_id: str) -> list[SignoffInfo]:
    """What `ws.records.signoffs` gives."""
    found = rows(
        "SELECT id, pilot_id, name, role, scope, at FROM signoff WHERE pilot_id = ? ORDER BY at",
        (pilot_id,),
    )
    return [SignoffInfo(r[0], r[1], r[2], r[3], r[4], _when(r[5])) for r in found]


def sessions(rows: Rows, pilot_id: str) -> list[SessionInfo]:
    """The pilot's workshop sessions with their attendees, as `ws.pilots.open` reads them."""
    found = rows(
        "SELECT id, pilot_id, title, facilitator, started_at, ended_at FROM workshop_session"
        " WHERE pilot_id = ? ORDER BY started_at",
        (pilot_id,),
    )
    people: dict[str, list[AttendeeInfo]] = {}
    if found:
        marks = ", ".join("?" for _ in found)
        for a in rows(
            "SELECT id, session_id, name, role, team, uses_workflow FROM attendee"
            f" WHERE session_id IN ({marks})",
            [r[0] for r in found],
        ):
            people.setdefault(a[1], []).append(
                AttendeeInfo(a[0], a[1], a[2], a[3], a[4], bool(a[5]))
            )
    return [
        SessionInfo(
            r[0],
            r[1],
            r[2],
            r[3],
            _when(r[4]),
            None if r[5] is None else _when(r[5]),
            tuple(people.get(r[0], [])),
        )
        for r in found
    ]


def whole_view(rows: Rows, view: PilotView) -> PilotView:
    """`view` with its sessions and attendees, as `ws.pilots.open` gives it."""
    import dataclasses

    held = sessions(rows, view.summary.id)
    open_now = [x for x in held if x.ended_at is None]
    return dataclasses.replace(
        view,
        attendees=tuple(a for x in held for a in x.attendees),
        session=open_now[-1] if open_now else None,
        sessions=tuple(held),
    )


def export_source(rows: Rows, view: PilotView, today: dt.date) -> Source | None:
    """What `workshop.asof.export_source` gives for the pilot now; None when the pilot
    has what only the service reads (retired answers with their old wording, rounds)."""
    from pilotbook.workshop.asof import Source
    from pilotbook.workshop.measurements import scorecard_of
    from pilotbook.workshop.verdict import verdict_of

    pid = view.summary.id
    if any(a.retired for a in view.answers.values()):
        return None
    if rows('SELECT count(*) FROM "round" WHERE pilot_id = ?', (pid,))[0][0]:
        return None
    view = whole_view(rows, view)
    decided = decisions(rows, pid)
    measured = measurements(rows, pid)
    assessment = verdict_of(view, None, decided, measured, pilot_events(rows, pid), today)
    return Source(
        view,
        assessment,
        max(decided, key=lambda d: d.at) if decided else None,
        tuple(signoffs(rows, pid)),
        scorecard_of(view, measured),
        (),
    )


def light_export(db: str | None, ref: str, kinds: tuple[str, ...], fmt: str) -> list[Export] | None:
    """`export` of the pilot now as Markdown or HTML without the ORM; None for the full
    path (a snapshot, PDF, wa-json, a playbook's own template, rounds, retired answers)."""
    from pilotbook.workshop import quickshow
    from pilotbook.workshop.review import render_exports

    if fmt not in ("md", "html"):
        return None
    store = light_store(db)
    if store is None:
        return None
    _, path = store
    try:
        view = quickshow.open_pilot(path, ref)
        if view is None or view.playbook.templates:
            return None
        rows = sqlite_rows(path)
        src = export_source(rows, view, today())
        if src is None:
            return None
        return render_exports(
            src, kinds, fmt, rounds=[], round_notes=[], own_template=lambda kind: None
        )
    except Exception:
        return None  # the full path says what is wrong, in one line
