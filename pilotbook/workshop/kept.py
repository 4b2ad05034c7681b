"""The verdict kept on the pilot row, so a list of pilots never works it out again.

Every write transaction of the service forgets the kept verdict of each pilot
it touched, in that same transaction, and counts the change
(`pilot.change_count`): a kept verdict is never older than the answers. The
verdict is kept again when it is next worked out (`Verdict.assess` for the
pilot's own phase), and only if no change came in between: `keep` names the
change count the verdict was worked out from.

Working the verdict out inside every save would hold the store's write lock
for the whole rules run (5 to 15 ms, more on a cold process) on the path
that must stay under 5 ms; forgetting it costs one UPDATE.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, update
from sqlmodel import Session, col

from pilotbook.db import tables as t
from pilotbook.errors import StoreError

if TYPE_CHECKING:
    from pilotbook.rules.results import Assessment
    from pilotbook.workshop.unit import UnitOfWork

_TOUCHED = "pilotbook.touched_pilots"
log = logging.getLogger(__name__)


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
        .where(col(t.Pilot.id).in_(sorted(touched)))
        .values(
            verdict=None,
            verdict_label=None,
            verdict_until=None,
            verdict_version=None,
            verdict_reasons=None,
            change_count=t.Pilot.change_count + 1,
        )
    )


@dataclass(frozen=True)
class Seen:
    """What the pilot row held when its verdict was worked out."""

    change_count: int
    label: str | None
    until: dt.date | None
    version: int | None
    reasons: str | None = None

    @classmethod
    def of(cls, pilot: t.Pilot) -> Seen:
        return cls(
            pilot.change_count,
            pilot.verdict_label,
            pilot.verdict_until,
            pilot.verdict_version,
            pilot.verdict_reasons,
        )


def reasons_json(a: Assessment) -> str:
    """The reasons that set the verdict, what matters first: id, kind and a one-line
    title each. Missing answers read differently per pilot; their title is one line
    for all, so a portfolio counts them together."""
    out = []
    for r in a.weighed:
        if r.result != a.verdict:
            continue
        title = MISSING_TITLE if r.kind == "missing" else " ".join(r.because.split())[:200]
        out.append({"id": r.gate, "kind": r.kind, "title": title})
    return json.dumps(out, ensure_ascii=False)


MISSING_TITLE = "required answers still missing"


def keep(unit: UnitOfWork, pilot_id: str, seen: Seen, a: Assessment, version: int) -> str | None:
    """Keep the verdict `a`, worked out with playbook `version`, on the pilot, unless
    the pilot changed since `seen` was read.

    None when the verdict is kept (or was already); otherwise why it is not kept.
    Keeping is only an optimisation: a store that refuses the write (locked,
    read-only) leaves the verdict not kept, which the next assessment retries.
    """
    until = min((x.until for x in a.accepted), default=None)
    reasons = reasons_json(a)
    if (seen.label, seen.until, seen.version, seen.reasons) == (a.label, until, version, reasons):
        return None
    try:
        with unit.write() as s:
            s.execute(
                update(t.Pilot)
                .where(col(t.Pilot.id) == pilot_id)
                .where(col(t.Pilot.change_count) == seen.change_count)
                .values(
                    verdict=a.verdict,
                    verdict_label=a.label,
                    verdict_until=until,
                    verdict_version=version,
                    verdict_reasons=reasons,
                )
            )
    except StoreError as e:
        log.info("verdict of pilot %s not kept: %s", pilot_id, e)
        return str(e)
    return None
