"""One pilot read with the standard library's sqlite3, for `pilotbook show`.

The same idea as quicklist.py: on a local SQLite store at the current schema
the read-only command never imports SQLAlchemy or the models. Anything this
module does not settle plainly (a reference that is not an exact id, slug or
unique name; a playbook that cannot be read) returns None, and the command
takes the full service, where the suggestions and errors live. A test
compares its output with the full path's.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pilotbook.workshop.quicklist import _connect, _when, list_pilots
from pilotbook.workshop.views import ActionInfo, AnswerView, PilotView


def find_id(path: Path, ref: str) -> str | None:
    """The id of the pilot `ref` names exactly (id, slug, or the one name in any case)."""
    ref = ref.strip()
    if not ref:
        return None
    conn = _connect(path)
    try:
        rows = conn.execute("SELECT id FROM pilot WHERE id = ? OR slug = ?", (ref, ref)).fetchall()
        if not rows:
            # lower() as the full path's func.lower: ASCII case only, on both sides
            rows = conn.execute(
                "SELECT id FROM pilot WHERE lower(name) = lower(?)", (ref,)
            ).fetchall()
    finally:
        conn.close()
    return str(rows[0][0]) if len(rows) == 1 else None


def _maybe_when(raw: str | None) -> dt.datetime | None:
    return None if raw is None else _when(raw)


def open_pilot(path: Path, ref: str) -> PilotView | None:
    """What `ws.pilots.open(ws.pilots.find(ref).id)` gives, without sessions (the
    text of `show` does not use them); None for the full path."""
    from pilotbook.playbook.errors import PlaybookError
    from pilotbook.rules.playbooks import discover

    pilot_id = find_id(path, ref)
    if pilot_id is None:
        return None
    summaries = list_pilots(path, only=pilot_id)
    if len(summaries) != 1:
        return None
    summary = summaries[0]
    try:  # the registry itself: workshop.playbooks would bring in the models
        book = discover().get(summary.playbook_id)
    except (KeyError, PlaybookError):
        return None
    conn = _connect(path)
    try:
        answers = conn.execute(
            "SELECT question_id, value_json, na_reason, note, revision, updated_at,"
            " updated_by, review FROM answer WHERE pilot_id = ?",
            (pilot_id,),
        ).fetchall()
        actions = conn.execute(
            "SELECT id, title, owner, due, status, question_id, created_at, closed_at"
            " FROM action WHERE pilot_id = ? ORDER BY created_at",
            (pilot_id,),
        ).fetchall()
    finally:
        conn.close()
    known = {q.id for q in book.questions()}
    return PilotView(
        summary=summary,
        playbook=book,
        answers={
            a[0]: AnswerView(
                question_id=a[0],
                value=None if a[1] is None else json.loads(a[1]),
                na_reason=a[2],
                note=a[3],
                revision=a[4],
                updated_at=_maybe_when(a[5]),
                updated_by=a[6],
                retired=a[0] not in known,
                review=a[7],
            )
            for a in answers
        },
        actions=tuple(
            ActionInfo(
                id=x[0],
                pilot_id=pilot_id,
                title=x[1],
                owner=x[2],
                due=dt.date.fromisoformat(x[3]) if x[3] else None,
                status=x[4],
                question_id=x[5],
                created_at=_when(x[6]),
                closed_at=_maybe_when(x[7]),
            )
            for x in actions
        ),
    )


def light_view(db: str | None, ref: str) -> PilotView | None:
    """The pilot from the store `db` names (None: the usual search), when the light
    path may read it; None sends the command down the full path and its checks."""
    from pilotbook.locations import resolve_store
    from pilotbook.workshop import quicklist

    try:
        path = quicklist.local_path(resolve_store(db).value)
        if path is None or not quicklist.store_is_current(path):
            return None
        return open_pilot(path, ref)
    except Exception:
        return None  # the full path says what is wrong, in one line
