"""The pilots list read with the standard library's sqlite3, for a fast first screen.

Importing SQLAlchemy and SQLModel costs about half a second, more than a bare
Textual app takes to start. The home screen only needs the list, so on a
SQLite store that is already at the current schema the app reads the list
here, read-only, and opens the full service (`open_workshop`) afterwards.

`store_is_current` decides whether that is safe: any store that needs a
migration (and its backup), is newer than this pilotbook, is foreign, or is
not a local file takes the normal path, where those checks and their errors
live. `list_pilots` must give what `ws.pilots.all` gives; a test
compares the two.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from pilotbook.db.schema import HEAD, VERSION_TABLE
from pilotbook.errors import NotFound
from pilotbook.locations import BadLocation, sqlite_path
from pilotbook.workshop.views import PilotSummary


def local_path(location: str) -> Path | None:
    """The file of a local SQLite store, None for a server URL."""
    try:
        return sqlite_path(location)
    except BadLocation:
        return None  # the normal path says what is wrong, in one line


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only: this path never creates, migrates or writes anything.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)


def store_is_current(path: Path) -> bool:
    """True when `path` is a pilotbook store at this pilotbook's schema, in WAL mode."""
    try:
        # No open() of the file here: closing a descriptor would drop this
        # process's SQLite locks on it (see db/engine.prepare_file).
        if not path.is_file():
            return False
        conn = _connect(path)
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            rows = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False  # the normal path says what is wrong, in one line
    return str(mode).lower() == "wal" and rows == [(HEAD,)]


def _when(raw: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(raw)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def playbook_facts(book_ids: set[str]) -> dict[str, tuple[frozenset[str], int | None]]:
    """The required question ids and the current version of each playbook, from the
    disk cache when it has them all.

    Building the pydantic models costs more than the rest of the list; a cache
    miss falls back to loading the playbooks the usual way.
    """
    from pilotbook.playbook.registry import summaries

    cached = summaries()
    if cached is not None:
        return {
            b: (frozenset(cached[b]["required"]), cached[b].get("version"))
            if b in cached
            else (frozenset(), None)
            for b in book_ids
        }
    from pilotbook.workshop.playbooks import default_source

    source = default_source()
    out: dict[str, tuple[frozenset[str], int | None]] = {}
    for book_id in book_ids:
        try:
            book = source.get(book_id)
            out[book_id] = (frozenset(q.id for q in book.questions() if q.required), book.version)
        except NotFound:
            out[book_id] = (frozenset(), None)
    return out


def phase_titles(book_ids: set[str]) -> dict[tuple[str, str | None], str]:
    """(playbook, phase id) -> the phase's title, from the disk cache when it has them all."""
    from pilotbook.playbook.registry import summaries

    cached = summaries()
    if cached is not None:
        return {
            (b, ph): title
            for b in book_ids
            for ph, title in cached.get(b, {}).get("phases", {}).items()
        }
    from pilotbook.workshop.playbooks import default_source

    source = default_source()
    out: dict[tuple[str, str | None], str] = {}
    for book_id in book_ids:
        try:
            book = source.get(book_id)
        except NotFound:
            continue  # the playbook file is gone: its ids are shown
        out.update({(book_id, ph.id): ph.title for ph in book.phases})
    return out


def list_pilots(
    path: Path, include_archived: bool = False, only: str | None = None
) -> list[PilotSummary]:
    """The pilots (not archived, unless asked), most recently changed first, with their
    progress; with `only`, that pilot alone (archived or not)."""
    conn = _connect(path)
    try:
        where = " WHERE id = ?" if only else ("" if include_archived else " WHERE archived = 0")
        args = (only,) if only else ()
        pilots = conn.execute(
            "SELECT id, slug, name, playbook_id, playbook_version, phase, archived,"
            " created_at, updated_at, facilitator, verdict, verdict_label, verdict_until,"
            " verdict_version FROM pilot" + where + " ORDER BY updated_at DESC",
            args,
        ).fetchall()
        answers = conn.execute(
            "SELECT pilot_id, question_id FROM answer WHERE answered = 1"
            + (" AND pilot_id = ?" if only else ""),
            args,
        ).fetchall()
    finally:
        conn.close()
    facts = playbook_facts({p[3] for p in pilots})
    required = {b: f[0] for b, f in facts.items()}
    today = dt.date.today()
    books = {p[0]: p[3] for p in pilots}
    counts: dict[str, list[int]] = {}
    for pid, qid in answers:
        if pid not in books:
            continue
        c = counts.setdefault(pid, [0, 0])
        c[0] += 1
        c[1] += qid in required[books[pid]]
    out = []
    for row in pilots:
        pid, slug, name, book_id, version, phase, archived, created, updated, fac = row[:10]
        answered, req_answered = counts.get(pid, (0, 0))
        until = dt.date.fromisoformat(row[12]) if row[12] else None
        summary = fresh_verdict(
            PilotSummary(
                id=pid,
                slug=slug,
                name=name,
                playbook_id=book_id,
                playbook_version=version,
                phase=phase,
                archived=bool(archived),
                created_at=_when(created),
                updated_at=_when(updated),
                facilitator=fac,
                answered=answered,
                required_total=len(required[book_id]),
                required_answered=req_answered,
                verdict=row[10],
                verdict_label=row[11],
                verdict_until=until,
                verdict_version=row[13],
            ),
            facts[book_id][1],
            today,
        )
        out.append(summary)
    return out


def fresh_verdict(p: PilotSummary, current_version: int | None, today: dt.date) -> PilotSummary:
    """The summary with its kept verdict, or with none when that no longer stands."""
    import dataclasses

    if p.verdict_label is None or is_fresh(p, current_version, today):
        return p
    return dataclasses.replace(p, verdict=None, verdict_label=None)


def is_fresh(p: PilotSummary, current_version: int | None, today: dt.date) -> bool:
    """Whether a kept verdict still stands: worked out with the playbook as it is now,
    and no accepted risk behind it has lapsed."""
    if p.verdict_label is None or p.verdict_version is None:
        return False
    if current_version is not None and p.verdict_version != current_version:
        return False
    return p.verdict_until is None or today <= p.verdict_until
