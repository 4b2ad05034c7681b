"""What the store keeps beside the answers: the playbook versions pilots were
answered with, and the history of moves of a whole pilot.

The registry knows only the current file of a playbook. A copy of each version
a pilot was created or upgraded with is kept in `playbook_copy`, once per
(playbook, version), so the questions of an older version (and the text of a
retired question) can still be shown after the file has moved on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.workshop import convert
from pilotbook.workshop.views import PilotEventInfo

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.service import Workshop


def _kept(ws: Workshop) -> set[tuple[str, int]]:
    # Saves call this on every answer: remember what is known to be kept already.
    known = ws.__dict__.get("_kept_copies")
    if known is None:
        known = ws.__dict__["_kept_copies"] = set()
    return known


def has_copy(ws: Workshop, s: Session, playbook_id: str, version: int) -> bool:
    if (playbook_id, version) in _kept(ws):
        return True
    found = s.exec(
        select(t.PlaybookCopy.id).where(
            t.PlaybookCopy.playbook_id == playbook_id, t.PlaybookCopy.version == version
        )
    ).first()
    if found is not None:
        _kept(ws).add((playbook_id, version))
    return found is not None


def keep_playbook(ws: Workshop, s: Session, book: Playbook) -> None:
    """Keep this version of the playbook, unless a copy of it is there already."""
    if has_copy(ws, s, book.id, book.version):
        return
    content = book.model_dump(mode="json", by_alias=True, exclude_none=True)
    s.add(
        t.PlaybookCopy(
            playbook_id=book.id,
            version=book.version,
            content_json=json.dumps(content, ensure_ascii=False, sort_keys=True),
            stored_at=ws.clock(),
        )
    )
    s.flush()
    _kept(ws).add((book.id, book.version))


def version_to_record(ws: Workshop, s: Session, pilot: t.Pilot) -> int:
    """The playbook version a pilot stays on when it is answered.

    A pilot on a kept version stays there until it is upgraded. A pilot from an
    older store has no copy of its version, so there is nothing to compare
    against: it takes the current version (which is kept from then on).
    """
    book = ws.playbook_by_id(pilot.playbook_id)
    if pilot.playbook_version == book.version:
        keep_playbook(ws, s, book)
        return book.version
    if has_copy(ws, s, pilot.playbook_id, pilot.playbook_version):
        return pilot.playbook_version
    keep_playbook(ws, s, book)
    return book.version


def stored_playbook(ws: Workshop, playbook_id: str, version: int) -> Playbook | None:
    """The kept copy of one version of a playbook, or None."""
    from pilotbook.playbook.model import Playbook

    with ws._session() as s:
        row = s.exec(
            select(t.PlaybookCopy).where(
                t.PlaybookCopy.playbook_id == playbook_id, t.PlaybookCopy.version == version
            )
        ).first()
    return None if row is None else Playbook.model_validate(json.loads(row.content_json))


def stored_versions(ws: Workshop, playbook_id: str) -> list[Playbook]:
    """Every kept version of a playbook, newest first."""
    from pilotbook.playbook.model import Playbook

    with ws._session() as s:
        rows = s.exec(
            select(t.PlaybookCopy)
            .where(t.PlaybookCopy.playbook_id == playbook_id)
            .order_by(col(t.PlaybookCopy.version).desc())
        ).all()
    return [Playbook.model_validate(json.loads(r.content_json)) for r in rows]


def record_event(
    ws: Workshop,
    s: Session,
    pilot_id: str,
    kind: str,
    detail: dict[str, Any],
    by: str | None = None,
) -> None:
    s.add(
        t.PilotEvent(
            pilot_id=pilot_id,
            kind=kind,
            detail_json=convert.dumps(detail),
            by=by.strip()[:200] or None if by else None,
            at=ws.clock(),
        )
    )


def pilot_history(ws: Workshop, pilot_id: str) -> list[PilotEventInfo]:
    """Moves of the whole pilot (phase, snapshot, upgrade), oldest first."""
    with ws._session() as s:
        ws._pilot(s, pilot_id)
        rows = s.exec(
            select(t.PilotEvent)
            .where(t.PilotEvent.pilot_id == pilot_id)
            .order_by(col(t.PilotEvent.at))
        ).all()
    return [
        PilotEventInfo(
            r.id, r.pilot_id, r.kind, convert.loads(r.detail_json) or {}, r.by, convert.aware(r.at)
        )  # type: ignore[arg-type]
        for r in rows
    ]
