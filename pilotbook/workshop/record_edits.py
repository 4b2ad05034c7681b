"""Changing and removing actions and sign-offs, each change kept in the pilot's history.

An action or a sign-off is a commitment someone made in the room: when it is
corrected, reopened or removed, the history says what it was, who changed it
and when (pilot events of kinds `action.*` and `signoff.*`, shown by
`pilotbook history`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pilotbook.db import tables as t
from pilotbook.workshop import convert
from pilotbook.errors import InvalidValue
from pilotbook.workshop.keep import record_event
from pilotbook.workshop.records import _get, _text
from pilotbook.workshop.views import ActionInfo, SignoffInfo

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop

ACTION_STATUSES = ("open", "done", "dropped")
SIGNOFF_SCOPES = ("brief", "charter", "all")
_ACTION_FIELDS = {"title", "owner", "due", "status", "question_id"}
_SIGNOFF_FIELDS = {"name", "role", "scope"}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _changes(row: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that really change."""
    out = {}
    for key, value in fields.items():
        before = getattr(row, key)
        if before != value:
            out[key] = [_plain(before), _plain(value)]
    return out


class RecordEditsMixin:
    # ------------------------------------------------------------ actions

    def update_action(
        self: Workshop, action_id: str, by: str | None = None, **fields: Any
    ) -> ActionInfo:
        """Change any of title, owner, due, status ("open", "done", "dropped"), question_id."""
        unknown = set(fields) - _ACTION_FIELDS
        if unknown:
            raise InvalidValue(f"an action has no field {sorted(unknown)[0]!r}")
        if "status" in fields and fields["status"] not in ACTION_STATUSES:
            raise InvalidValue(f"an action's status is one of {', '.join(ACTION_STATUSES)}")
        if "title" in fields:
            fields["title"] = _text(fields["title"], "an action's title", 2000, required=True)
        if "owner" in fields:
            fields["owner"] = _text(fields["owner"], "an owner's name")
        if "due" in fields and fields["due"] is not None and not isinstance(fields["due"], dt.date):
            raise InvalidValue("an action's due date is a date (YYYY-MM-DD)")
        with self._session(write=True) as s:
            row = _get(s, t.Action, action_id, "action")
            changes = _changes(row, fields)
            for key, value in fields.items():
                setattr(row, key, value)
            if "status" in fields:
                row.closed_at = None if row.status == "open" else (row.closed_at or self.clock())
            if changes:
                detail = {"action": row.id, "title": row.title, "changes": changes}
                record_event(self, s, row.pilot_id, "action.changed", detail, by)
        return convert.action(row)

    def close_action(
        self: Workshop, action_id: str, status: str = "done", by: str | None = None
    ) -> ActionInfo:
        return self.update_action(action_id, by=by, status=status)

    def reopen_action(self: Workshop, action_id: str, by: str | None = None) -> ActionInfo:
        return self.update_action(action_id, by=by, status="open")

    def delete_action(self: Workshop, action_id: str, by: str | None = None) -> ActionInfo:
        """Remove an action; the history keeps what it said."""
        with self._session(write=True) as s:
            row = _get(s, t.Action, action_id, "action")
            gone = convert.action(row)
            detail = {
                "action": row.id,
                "title": row.title,
                "owner": row.owner,
                "due": _plain(row.due),
                "status": row.status,
            }
            record_event(self, s, row.pilot_id, "action.deleted", detail, by)
            s.delete(row)
        return gone

    # ------------------------------------------------------------ sign-offs

    def update_signoff(
        self: Workshop, signoff_id: str, by: str | None = None, **fields: Any
    ) -> SignoffInfo:
        """Correct a sign-off's name, role or scope ("brief", "charter", "all")."""
        unknown = set(fields) - _SIGNOFF_FIELDS
        if unknown:
            raise InvalidValue(f"a sign-off has no field {sorted(unknown)[0]!r}")
        if "name" in fields:
            fields["name"] = _text(fields["name"], "a name", required=True)
        if "role" in fields:
            fields["role"] = _text(fields["role"], "a role")
        if fields.get("scope") is not None and fields["scope"] not in SIGNOFF_SCOPES:
            raise InvalidValue(f"a sign-off is for one of {', '.join(SIGNOFF_SCOPES)}")
        with self._session(write=True) as s:
            row = _get(s, t.Signoff, signoff_id, "sign-off")
            changes = _changes(row, fields)
            for key, value in fields.items():
                setattr(row, key, value)
            if changes:
                detail = {"signoff": row.id, "name": row.name, "changes": changes}
                record_event(self, s, row.pilot_id, "signoff.changed", detail, by)
        return convert.signoff(row)

    def delete_signoff(self: Workshop, signoff_id: str, by: str | None = None) -> SignoffInfo:
        """Withdraw a sign-off; the history keeps who had signed, for what, and when."""
        with self._session(write=True) as s:
            row = _get(s, t.Signoff, signoff_id, "sign-off")
            gone = convert.signoff(row)
            detail = {
                "signoff": row.id,
                "name": row.name,
                "role": row.role,
                "scope": row.scope,
                "signed": convert.aware(row.at).isoformat(),
            }
            record_event(self, s, row.pilot_id, "signoff.deleted", detail, by)
            s.delete(row)
        return gone
