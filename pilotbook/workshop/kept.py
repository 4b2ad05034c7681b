"""The verdict kept on the pilot row, so a list of pilots never works it out again.

Every write transaction of the service forgets the kept verdict of each pilot
it touched, in that same transaction, and counts the change
(`pilot.change_count`): a kept verdict is never older than the answers. The
verdict is kept again when it is next worked out (`Workshop.assess` for the
pilot's own phase, or a list that finds it missing), and only if no change
came in between: the write names the change count it was worked out from.

Working the verdict out inside every save would hold the store's write lock
for the whole rules run (5 to 15 ms, more on a cold process) on the path
that must stay under 5 ms; forgetting it costs one UPDATE.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event, update
from sqlmodel import Session

from pilotbook.db import tables as t

if TYPE_CHECKING:
    from pilotbook.rules.results import Assessment
    from pilotbook.workshop.service import Workshop

_TOUCHED = "pilotbook.touched_pilots"


def _collect(session: Session, _flush_context: Any) -> None:
    touched = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, t.Pilot):
            touched.add(obj.id)
        else:
            pid = getattr(obj, "pilot_id", None)
            if isinstance(pid, str):
                touched.add(pid)


def track(session: Session) -> None:
    """Note every pilot whose rows this write session flushes."""
    event.listen(session, "after_flush", _collect)


def forget(session: Session) -> None:
    """Before the commit: the kept verdicts of the touched pilots are no longer known."""
    session.flush()
    touched = session.info.pop(_TOUCHED, set())
    if not touched:
        return
    session.execute(
        update(t.Pilot)
        .where(t.Pilot.id.in_(sorted(touched)))  # type: ignore[attr-defined]
        .values(
            verdict=None,
            verdict_label=None,
            verdict_until=None,
            verdict_version=None,
            change_count=t.Pilot.change_count + 1,
        )
    )


def assess_and_keep(ws: Workshop, pilot_id: str) -> Assessment:
    """The verdict of the pilot's own phase, kept on the pilot if nothing changed meanwhile."""
    from pilotbook.workshop.verdict import assess_view

    with ws._session() as s:  # one read snapshot for the count and everything assessed
        pilot = ws._pilot(s, pilot_id)
        count = pilot.change_count
        known = (pilot.verdict_label, pilot.verdict_until, pilot.verdict_version)
        view = ws.open_pilot(pilot_id)
        a = assess_view(ws, view)
    until = min((x.until for x in a.accepted), default=None)
    if known == (a.label, until, view.playbook.version):
        return a
    try:
        with ws._session(write=True) as s:
            s.execute(
                update(t.Pilot)
                .where(t.Pilot.id == pilot_id)  # type: ignore[arg-type]
                .where(t.Pilot.change_count == count)  # type: ignore[arg-type]
                .values(
                    verdict=a.verdict,
                    verdict_label=a.label,
                    verdict_until=until,
                    verdict_version=view.playbook.version,
                )
            )
    except Exception:  # keeping it is only an optimisation: a locked store may refuse it
        pass
    return a
