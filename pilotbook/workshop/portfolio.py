"""The portfolio: every pilot of the store on one line, and where they stall.

    rows = ws.portfolio.rows(Filters(phase="during", stalled=60), sort="days")
    p = ws.portfolio.report(Filters(), since=dt.date(2026, 9, 1))
    p.rows, p.stalls, p.phase_times, p.quarters, p.changes

The whole store is read in a handful of queries (pilots, phase moves,
decisions, a few answers, overdue actions, measurements), never one pilot at
a time (see `tests/perf/bench_portfolio.py`). The verdict is the
one kept on the pilot row (`workshop/kept.py`); the rules are not run again
here. A pilot whose verdict is not kept yet shows none.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import col

from pilotbook.db import tables as t
from pilotbook.workshop import portfolio_saved, quickportfolio
from pilotbook.workshop.portfolio_build import Builder, Kept, book_facts, check, report_of
from pilotbook.workshop.portfolio_saved import Compared
from pilotbook.workshop.portfolio_views import (
    KILL_HIT,
    NEXT_REVIEW,
    OWNER_QUESTIONS,
    OWNERS_CONFIRMED,
    REASONS,
    STALLED_DAYS,
    Change,
    Facts,
    Filters,
    PhaseTime,
    Portfolio,
    Quarter,
    Row,
    Stall,
    Stalled,
    aware,
    loads,
)

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.orm import Session

    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork
    from pilotbook.workshop.verdict import Verdict

__all__ = [
    "REASONS",
    "STALLED_DAYS",
    "Change",
    "Filters",
    "Kept",
    "PhaseTime",
    "Portfolio",
    "PortfolioService",
    "Quarter",
    "Row",
    "Stall",
    "Stalled",
    "report_of",
]


# On SQLite the facts are read with the driver's own rows, in the read transaction:
# SQLAlchemy's typed rows (its datetime parsing above all) cost half the report at
# 10,000 pilots. Off in a test, to check the Core reader against it.
RAW_ON_SQLITE = True


class PortfolioService:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks, verdict: Verdict) -> None:
        self._unit = unit
        self._playbooks = playbooks
        self._verdict = verdict

    # --- reading ------------------------------------------------------------

    def _read_raw(self, s: Session, today: dt.date) -> Facts:
        """The facts read as `pilotbook portfolio` reads them (`quickportfolio.read`),
        on this session's connection: sqlite3's own rows on SQLite."""
        conn = s.connection()
        if conn.dialect.name != "sqlite":
            return self._read(s, today)
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        return quickportfolio.read(quickportfolio.sqlite_run(raw), today.isoformat())

    def _read(self, s: Session, today: dt.date) -> Facts:
        f = Facts()
        # Core rows, not ORM entities: a third of the time at 10,000 pilots otherwise.
        run = s.connection().execute
        p = t.Pilot
        f.pilots = list(
            run(
                select(
                    col(p.id),
                    col(p.slug),
                    col(p.name),
                    col(p.playbook_id),
                    col(p.phase),
                    col(p.created_at),
                    col(p.verdict),
                    col(p.verdict_label),
                    col(p.verdict_reasons),
                ).where(col(p.archived) == False)  # noqa: E712  (SQL, not Python)
            ).all()
        )
        e = t.PilotEvent
        for pid, detail, at in run(
            select(col(e.pilot_id), col(e.detail_json), col(e.at))
            .where(col(e.kind) == "phase")
            .order_by(col(e.at))
        ):
            d = json.loads(detail) if detail else {}
            at = aware(at)  # SQLite's are naive UTC
            f.moves[pid].append((at, d.get("from"), d.get("to")))
        d_ = t.Decision
        for pid, outcome, at in run(
            select(col(d_.pilot_id), col(d_.outcome), col(d_.at)).order_by(col(d_.at))
        ):
            f.decisions[pid].append((aware(at), outcome))
        a = t.Answer
        wanted = (*OWNER_QUESTIONS, NEXT_REVIEW, OWNERS_CONFIRMED, KILL_HIT, "baselines")
        for pid, qid, value in run(
            select(col(a.pilot_id), col(a.question_id), col(a.value_json)).where(
                col(a.question_id).in_(wanted),
                col(a.answered) == True,  # noqa: E712
            )
        ):
            if value is not None:
                f.answers[pid][qid] = loads(value)
        ac = t.Action
        f.overdue = dict(
            run(
                select(col(ac.pilot_id), func.count())
                .where(col(ac.status) == "open", col(ac.due) < today)
                .group_by(col(ac.pilot_id))
            ).all()
        )
        m = t.Measurement
        for pid, metric, measured in run(
            select(col(m.pilot_id), col(m.metric), col(m.value)).order_by(
                col(m.measured_on), col(m.id)
            )
        ):
            f.latest[(pid, metric)] = measured  # the last one of each metric wins
        return f

    def report(
        self,
        filters: Filters | None = None,
        *,
        sort: str = "name",
        since: dt.date | None = None,
    ) -> Portfolio:
        """The selected pilots, where they stall, their time per phase and the rate.

        Where they stall counts the gates and risks that set each kept verdict (kept
        with it, `kept.reasons_json`), and the portfolio's own facts: a kill
        threshold crossed, the review date, overdue actions.
        """
        filters = filters or Filters()
        check(filters, sort)
        return report_of(self.kept(), filters, sort=sort, since=since)

    def kept(self) -> Kept:
        """The store read once, every pilot's row worked out: `report_of(kept, filters)`
        then gives the report of any filters in memory, as `report` would. The app's
        portfolio keeps it while open and reads again when `stamp()` moves."""
        now = self._unit.clock()
        with self._unit.read() as s:
            stamp = self._stamp(s)
            f = self._read_raw(s, now.date()) if RAW_ON_SQLITE else self._read(s, now.date())
        facts_of = lambda book_id: book_facts(self._playbooks.get(book_id))  # noqa: E731
        return Builder(facts_of).kept(f, now, stamp)

    def stamp(self) -> tuple[Any, ...]:
        """A cheap mark that moves whenever any pilot of the store changes, whoever
        made the change: one scan of the pilot rows.

        Every write counts a change on the pilots it touched (`kept.forget`); a
        verdict kept since, a new, archived or deleted pilot move it too.
        """
        with self._unit.read() as s:
            return self._stamp(s)

    def _stamp(self, s: Session) -> tuple[Any, ...]:
        p = t.Pilot
        found = s.execute(
            select(
                func.count(),
                func.coalesce(func.sum(col(p.change_count)), 0),
                func.count(col(p.verdict)),
                func.max(col(p.updated_at)),
            )
        ).one()
        return tuple(found)

    def save(self, name: str, filters: Filters | None = None) -> portfolio_saved.Saved:
        """Keep the counts of the portfolio of `filters` under `name` (replacing one
        saved under it before), for `compare` later."""
        return portfolio_saved.save(self._unit, name, self.report(filters))

    def compare(
        self, name: str, p: Portfolio
    ) -> tuple[portfolio_saved.Saved, tuple[Compared, ...]]:
        """The counts saved under `name`, and each count of `p` that differs from it."""
        saved = portfolio_saved.load(self._unit, name)
        return saved, portfolio_saved.compare(saved, p)

    def rows(self, filters: Filters | None = None, *, sort: str = "name") -> tuple[Row, ...]:
        return self.report(filters, sort=sort).rows
