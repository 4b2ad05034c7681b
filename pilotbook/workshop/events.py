"""The history of moves of a whole pilot: phases, snapshots, upgrades, edits of
its records, accepted risks, rounds and the facilitator's timer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.workshop import convert
from pilotbook.workshop.views import PilotEventInfo

if TYPE_CHECKING:
    from pilotbook.workshop.unit import UnitOfWork

MAX_BY = 200


def record_event(
    s: Session,
    pilot_id: str,
    kind: str,
    detail: dict[str, Any],
    by: str | None,
    at: dt.datetime,
) -> None:
    """Add one event to the pilot's history, in the caller's write transaction."""
    s.add(
        t.PilotEvent(
            pilot_id=pilot_id,
            kind=kind,
            detail_json=convert.dumps(detail),
            by=by.strip()[:MAX_BY] or None if by else None,
            at=at,
        )
    )


def pilot_events(s: Session, pilot_id: str) -> list[PilotEventInfo]:
    """Every move of the pilot, oldest first."""
    rows = s.exec(
        select(t.PilotEvent).where(t.PilotEvent.pilot_id == pilot_id).order_by(col(t.PilotEvent.at))
    ).all()
    return [
        PilotEventInfo(
            r.id, r.pilot_id, r.kind, convert.loads(r.detail_json) or {}, r.by, convert.aware(r.at)
        )
        for r in rows
    ]


def pilot_history(unit: UnitOfWork, pilot_id: str) -> list[PilotEventInfo]:
    """Moves of the whole pilot (phase, snapshot, upgrade, ...), oldest first."""
    with unit.read() as s:
        unit.pilot(s, pilot_id)
        return pilot_events(s, pilot_id)
