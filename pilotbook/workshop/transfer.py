"""Dump pilots to JSON and load them back: lossless, history included, idempotent.

Every row keeps its id, so loading the same dump twice adds nothing. Every
field is checked first (`loadcheck.py`), and a pilot the store already has
takes a later dump only when asked to merge (`merge.py`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from pilotbook import __version__
from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop import loadcheck
from pilotbook.workshop.merge import Incoming, merge_pilot

if TYPE_CHECKING:
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork

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
    conflicts: list[str] = field(default_factory=list)  # one line per diverged question

    @property
    def changed(self) -> bool:
        return bool(self.pilots_added or self.pilots_updated or self.rows_added)


def _out(row: Any) -> dict[str, Any]:
    data = {}
    for c in row.__table__.columns:
        if c.name in t.DERIVED:
            continue
        value = getattr(row, c.name)
        if isinstance(value, dt.datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[c.name] = value
    return data


class Transfer:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks) -> None:
        self._unit = unit
        self._playbooks = playbooks

    def dump(self, pilot_ids: list[str] | None = None) -> dict[str, Any]:
        """A JSON-ready copy of the pilots named (all when None), with their whole history."""
        with self._unit.read(snapshot=True) as s:
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

    def _dump_pilot(self, s: Session, pilot: t.Pilot) -> dict[str, Any]:
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

    def load(self, data: Any, *, merge: bool = False) -> LoadReport:
        """Add what a dump holds and this store does not; all of it or nothing.

        A pilot already in the store is refused when the dump holds anything it
        lacks, unless `merge`: then the answer events it lacks are appended in
        revision order, and a question whose history diverged is reported in
        `conflicts` and keeps the store's side.
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InvalidValue('not a pilotbook dump (no "format": "pilotbook-dump")')
        if data.get("version") != FORMAT_VERSION:
            raise InvalidValue(
                f"dump format version {_short(data.get('version'))} is not one this pilotbook reads"
            )
        pilots = data.get("pilots")
        if not isinstance(pilots, list):
            raise InvalidValue('not a pilotbook dump: "pilots" should be a list')
        parsed = [self._parse_pilot(entry, f"pilots[{n}]") for n, entry in enumerate(pilots)]
        report = LoadReport()
        with self._unit.write() as s:
            for incoming in parsed:
                merge_pilot(s, incoming, report, merge)
        return report

    def _parse_pilot(self, entry: Any, where: str) -> Incoming:
        """Every row of one pilot of a dump, checked; nothing is written yet."""
        if not isinstance(entry, dict):
            raise loadcheck.problem(where, "should be an object")
        pilot = loadcheck.row(t.Pilot, entry.get("pilot"), f"{where}.pilot")
        out = Incoming(where, pilot)
        for key, table in PARTS.items():
            rows = entry.get(key, [])
            if not isinstance(rows, list):
                raise loadcheck.problem(f"{where}.{key}", "should be a list")
            for i, r in enumerate(rows):
                here = f"{where}.{key}[{i}]"
                row = loadcheck.row(table, r, here)
                if getattr(row, "pilot_id", pilot.id) != pilot.id:
                    raise loadcheck.problem(f"{here}.pilot_id", "names another pilot")
                out.rows[key].append((here, row))
        sessions = {r.id for _, r in out.rows["sessions"]}
        for here, row in out.rows["attendees"]:
            if row.session_id not in sessions:
                raise loadcheck.problem(f"{here}.session_id", "names a session not in this pilot")
        self._check_answers(out)
        return out

    def _check_answers(self, out: Incoming) -> None:
        try:
            book = self._playbooks.get(out.pilot.playbook_id)
        except NotFound:
            book = None  # nothing to check the values against: kept as they are
        loadcheck.pilot_against(out.pilot, book, self._playbooks, out.where)
        loadcheck.revisions_against_events(out.rows["answers"], out.rows["events"])
        flagged = {r.question_id for _, r in out.rows["answers"] if r.review}
        seen: dict[str, set[str]] = {"answers": set(), "events": set()}
        for key in ("answers", "events"):
            for here, row in out.rows[key]:
                mark = row.question_id if key == "answers" else f"{row.question_id}@{row.revision}"
                if mark in seen[key]:
                    what = "answer" if key == "answers" else f"revision {row.revision}"
                    raise loadcheck.problem(here, f"a second {what} of {row.question_id!r}")
                seen[key].add(mark)
                if book is None or row.question_id in flagged:
                    continue  # a value the app itself marked as needing a look
                try:
                    question = book.question(row.question_id)
                except KeyError:
                    continue  # a retired question keeps whatever it had
                loadcheck.answer_value(question, row.value_json, f"{here}.value_json")

    def backup(self, target: Path) -> Path:
        """A consistent copy of the store, made while it may be in use: the SQLite
        file itself, or for a server a logical backup (every pilot in the dump
        format, read in one snapshot) that `pilotbook load` restores."""
        if self._unit.engine.dialect.name != "sqlite":
            from pilotbook.db.backup import write_private

            text = json.dumps(self.dump(), indent=1, ensure_ascii=False) + "\n"
            return write_private(Path(target), text)
        from pilotbook.db.backup import backup_file

        source = self._unit.engine.url.database
        return backup_file(Path(str(source)), Path(target))


def _short(value: Any) -> str:
    return loadcheck._short(value)
