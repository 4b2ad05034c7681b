"""Rows of the records (sessions, actions, decisions, sign-offs) as the Records
service checks, finds and compares them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop import convert
from pilotbook.workshop.views import SessionInfo

if TYPE_CHECKING:
    from pilotbook.workshop.unit import UnitOfWork

ACTION_STATUSES = ("open", "done", "dropped")
SIGNOFF_SCOPES = ("brief", "charter", "all")
ACTION_FIELDS = {"title", "owner", "due", "status", "question_id"}
SIGNOFF_FIELDS = {"name", "role", "scope"}


def text(value: str | None, what: str, limit: int = 200, required: bool = False) -> str | None:
    value = " ".join(value.split()) if value else None
    if required and not value:
        raise InvalidValue(f"{what} cannot be empty")
    if value and len(value) > limit:
        raise InvalidValue(f"{what} has at most {limit} characters")
    return value


def required_text(value: str | None, what: str, limit: int = 200) -> str:
    """`text` that cannot be empty."""
    return text(value, what, limit, required=True) or ""


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def changes(row: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that really change."""
    out = {}
    for key, value in fields.items():
        before = getattr(row, key)
        if before != value:
            out[key] = [plain(before), plain(value)]
    return out


def action_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of an action's edit, checked and cleaned."""
    unknown = set(fields) - ACTION_FIELDS
    if unknown:
        raise InvalidValue(f"an action has no field {sorted(unknown)[0]!r}")
    if "status" in fields and fields["status"] not in ACTION_STATUSES:
        raise InvalidValue(f"an action's status is one of {', '.join(ACTION_STATUSES)}")
    if "title" in fields:
        fields["title"] = text(fields["title"], "an action's title", 2000, required=True)
    if "owner" in fields:
        fields["owner"] = text(fields["owner"], "an owner's name")
    if "due" in fields and fields["due"] is not None and not isinstance(fields["due"], dt.date):
        raise InvalidValue("an action's due date is a date (YYYY-MM-DD)")
    return fields


def signoff_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a sign-off's edit, checked and cleaned."""
    unknown = set(fields) - SIGNOFF_FIELDS
    if unknown:
        raise InvalidValue(f"a sign-off has no field {sorted(unknown)[0]!r}")
    if "name" in fields:
        fields["name"] = text(fields["name"], "a name", required=True)
    if "role" in fields:
        fields["role"] = text(fields["role"], "a role")
    if fields.get("scope") is not None and fields["scope"] not in SIGNOFF_SCOPES:
        raise InvalidValue(f"a sign-off is for one of {', '.join(SIGNOFF_SCOPES)}")
    return fields


def get(s: Session, table: Any, row_id: str, what: str) -> Any:
    row = s.get(table, row_id)
    if row is None:
        raise NotFound(f"no {what} with id {row_id!r}")
    return row


def attendees(s: Session, session_ids: list[str]) -> dict[str, list[t.Attendee]]:
    if not session_ids:
        return {}
    out: dict[str, list[t.Attendee]] = {}
    rows = s.exec(select(t.Attendee).where(col(t.Attendee.session_id).in_(session_ids))).all()
    for a in rows:
        out.setdefault(a.session_id, []).append(a)
    return out


def sessions_of(s: Session, pilot_id: str) -> list[SessionInfo]:
    """The pilot's workshop sessions, oldest first, with their attendees."""
    rows = s.exec(
        select(t.WorkshopSession)
        .where(t.WorkshopSession.pilot_id == pilot_id)
        .order_by(col(t.WorkshopSession.started_at))
    ).all()
    people = attendees(s, [r.id for r in rows])
    return [convert.session(r, people.get(r.id, [])) for r in rows]


def pilot_rows(unit: UnitOfWork, table: Any, pilot_id: str, order: Any) -> list[Any]:
    """Every row of `table` that belongs to the pilot, in `order`."""
    with unit.read() as s:
        unit.pilot(s, pilot_id)
        return list(
            s.exec(select(table).where(table.pilot_id == pilot_id).order_by(col(order))).all()
        )
