"""Dump pilots to JSON and load them back: lossless, history included, idempotent.

Every row keeps its id, so loading the same dump twice adds nothing, and a
later dump of the same pilot adds only what is new. The current answer of a
question is taken from the dump only when its revision is newer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime
from sqlmodel import Session, col, select

from pilotbook import __version__
from pilotbook.db import tables as t
from pilotbook.workshop.errors import InvalidValue

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop

FORMAT = "pilotbook-dump"
FORMAT_VERSION = 1

# Key in the dump -> table; pilot-owned tables first, attendees after sessions.
PARTS: dict[str, Any] = {
    "answers": t.Answer,
    "events": t.AnswerEvent,
    "sessions": t.WorkshopSession,
    "attendees": t.Attendee,
    "actions": t.Action,
    "decisions": t.Decision,
    "signoffs": t.Signoff,
    "measurements": t.Measurement,
    "snapshots": t.Snapshot,
    "pilot_events": t.PilotEvent,
}


@dataclass
class LoadReport:
    pilots_added: list[str] = field(default_factory=list)  # slugs
    pilots_updated: list[str] = field(default_factory=list)
    rows_added: int = 0
    answers_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.pilots_added or self.pilots_updated or self.rows_added)


def _out(row: Any) -> dict[str, Any]:
    data = {}
    for c in row.__table__.columns:
        value = getattr(row, c.name)
        if isinstance(value, dt.datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[c.name] = value
    return data


def _in(table: Any, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise InvalidValue(f"not a pilotbook dump: {where} should be an object")
    values = {}
    for c in table.__table__.columns:
        if c.name not in data:
            if c.nullable or c.server_default is not None:
                continue
            raise InvalidValue(f"not a pilotbook dump: {where} has no {c.name!r}")
        value = data[c.name]
        try:
            if value is not None and isinstance(c.type, DateTime):
                value = dt.datetime.fromisoformat(value)
            elif value is not None and isinstance(c.type, Date):
                value = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise InvalidValue(f"not a pilotbook dump: {where}.{c.name} is not a date") from None
        values[c.name] = value
    return table(**values)


class TransferMixin:
    def dump(self: Workshop, pilot_ids: list[str] | None = None) -> dict[str, Any]:
        """A JSON-ready copy of the pilots named (all when None), with their whole history."""
        with self._session(snapshot=True) as s:
            query = select(t.Pilot).order_by(col(t.Pilot.created_at), col(t.Pilot.id))
            if pilot_ids is not None:
                query = query.where(col(t.Pilot.id).in_(pilot_ids))
            pilots = [self._dump_pilot(s, p) for p in s.exec(query).all()]
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "pilotbook": __version__,
            "pilots": pilots,
        }

    def _dump_pilot(self: Workshop, s: Session, pilot: t.Pilot) -> dict[str, Any]:
        out: dict[str, Any] = {"pilot": _out(pilot)}
        sessions = s.exec(
            select(t.WorkshopSession).where(t.WorkshopSession.pilot_id == pilot.id)
        ).all()
        session_ids = [x.id for x in sessions]
        for key, table in PARTS.items():
            if table is t.Attendee:
                query = select(t.Attendee).where(col(t.Attendee.session_id).in_(session_ids))
            else:
                query = select(table).where(table.pilot_id == pilot.id)
            rows = s.exec(query.order_by(col(table.id))).all()
            out[key] = [_out(r) for r in rows]
        return out

    def load(self: Workshop, data: Any) -> LoadReport:
        """Add what a dump holds and this store does not; all of it or nothing."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InvalidValue('not a pilotbook dump (no "format": "pilotbook-dump")')
        if data.get("version") != FORMAT_VERSION:
            raise InvalidValue(
                f"dump format version {data.get('version')!r} is not one this pilotbook reads"
            )
        pilots = data.get("pilots")
        if not isinstance(pilots, list):
            raise InvalidValue('not a pilotbook dump: "pilots" should be a list')
        report = LoadReport()
        with self._session(write=True) as s:
            for n, entry in enumerate(pilots):
                if not isinstance(entry, dict):
                    raise InvalidValue(f"not a pilotbook dump: pilots[{n}] should be an object")
                self._load_pilot(s, entry, f"pilots[{n}]", report)
        return report

    def _load_pilot(
        self: Workshop, s: Session, entry: dict[str, Any], where: str, report: LoadReport
    ) -> None:
        pilot = _in(t.Pilot, entry.get("pilot"), f"{where}.pilot")
        existing = s.get(t.Pilot, pilot.id)
        if existing is None:
            clash = s.exec(select(t.Pilot).where(t.Pilot.slug == pilot.slug)).first()
            if clash is not None:
                raise InvalidValue(
                    f"{where}: slug {pilot.slug!r} belongs to another pilot in this store"
                )
            s.add(pilot)
            s.flush()
            report.pilots_added.append(pilot.slug)
        elif _aware(pilot.updated_at) > _aware(existing.updated_at):
            for c in t.Pilot.__table__.columns:
                setattr(existing, c.name, getattr(pilot, c.name))
            report.pilots_updated.append(pilot.slug)
        for key, table in PARTS.items():
            rows = entry.get(key, [])
            if not isinstance(rows, list):
                raise InvalidValue(f"not a pilotbook dump: {where}.{key} should be a list")
            incoming = [_in(table, r, f"{where}.{key}[{i}]") for i, r in enumerate(rows)]
            for row in incoming:
                owner = getattr(row, "pilot_id", pilot.id)
                if owner != pilot.id:
                    raise InvalidValue(f"not a pilotbook dump: {where}.{key} names another pilot")
            if table is t.Answer:
                self._merge_answers(s, pilot.id, incoming, report)
                continue
            ids = [r.id for r in incoming]
            have = (
                set(s.exec(select(table.id).where(col(table.id).in_(ids))).all()) if ids else set()
            )
            for row in incoming:
                if row.id not in have:
                    s.add(row)
                    report.rows_added += 1
            s.flush()

    @staticmethod
    def _merge_answers(
        s: Session, pilot_id: str, incoming: list[t.Answer], report: LoadReport
    ) -> None:
        current = {
            a.question_id: a
            for a in s.exec(select(t.Answer).where(t.Answer.pilot_id == pilot_id)).all()
        }
        for row in incoming:
            mine = current.get(row.question_id)
            if mine is None:
                s.add(row)
                report.rows_added += 1
            elif row.revision > mine.revision:
                for name in ("value_json", "na_reason", "note", "revision", "updated_at"):
                    setattr(mine, name, getattr(row, name))
                mine.updated_by = row.updated_by
                report.answers_updated += 1
        s.flush()

    def backup(self: Workshop, target: Path) -> Path:
        """A consistent copy of the store, made while it may be in use: the SQLite
        file itself, or for a server a logical backup (every pilot in the dump
        format, read in one snapshot) that `pilotbook load` restores."""
        if self.engine.dialect.name != "sqlite":
            from pilotbook.db.backup import write_private

            text = json.dumps(self.dump(), indent=1, ensure_ascii=False) + "\n"
            return write_private(Path(target), text)
        from pilotbook.db.backup import backup_file

        source = self.engine.url.database
        return backup_file(Path(str(source)), Path(target))


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
