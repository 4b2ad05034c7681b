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
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop import convert, portfolio_saved
from pilotbook.workshop.measurements import Metric, metrics
from pilotbook.workshop.portfolio_saved import Compared
from pilotbook.workshop.portfolio_stats import (
    changes,
    keep,
    phase_times,
    production,
    sort_key,
    stalls,
    trend,
)
from pilotbook.workshop.portfolio_views import (
    KILL_HIT,
    NEXT_REVIEW,
    NO_ANSWERS,
    OWNER_QUESTIONS,
    OWNERS_CONFIRMED,
    REASONS,
    SORTS,
    STALLED_DAYS,
    VERDICT_ORDER,
    Change,
    Facts,
    Filters,
    PhaseTime,
    Portfolio,
    Quarter,
    Row,
    Stall,
    Stalled,
    as_date,
    days_between,
    kept_reasons,
    loads,
)
from pilotbook.workshop.views import AnswerView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork
    from pilotbook.workshop.verdict import Verdict

__all__ = [
    "REASONS",
    "STALLED_DAYS",
    "Change",
    "Filters",
    "PhaseTime",
    "Portfolio",
    "PortfolioService",
    "Quarter",
    "Row",
    "Stall",
    "Stalled",
]


class PortfolioService:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks, verdict: Verdict) -> None:
        self._unit = unit
        self._playbooks = playbooks
        self._verdict = verdict
        self._books: dict[str, Playbook | None] = {}  # for one report
        self._metrics: dict[tuple[str, str], list[Metric]] = {}

    # --- reading ------------------------------------------------------------

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
            at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # SQLite's are naive UTC
            f.moves[pid].append((at, d.get("from"), d.get("to")))
        d_ = t.Decision
        for pid, outcome, at in run(
            select(col(d_.pilot_id), col(d_.outcome), col(d_.at)).order_by(col(d_.at))
        ):
            f.decisions[pid].append((convert.aware(at), outcome))
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

    # --- working out ----------------------------------------------------------

    def _book(self, book_id: str) -> Playbook | None:
        if book_id not in self._books:
            try:
                self._books[book_id] = self._playbooks.get(book_id)
            except NotFound:
                self._books[book_id] = None
        return self._books[book_id]

    def _kills(self, f: Facts, pid: str, book_id: str) -> int:
        rows = f.answers.get(pid, {}).get("baselines")
        if not rows:
            return 0
        book = self._book(book_id)
        if book is None:
            return 0
        key = (book_id, json.dumps(rows, sort_keys=True))
        found = self._metrics.get(key)
        if found is None:  # pilots made from one template share their baselines
            view = {"baselines": AnswerView("baselines", rows, None, None, 1, None, None)}
            found = self._metrics[key] = metrics(book, view)
        n = 0
        for m in found:
            value = f.latest.get((pid, m.key))
            n += value is not None and m.past_kill(value)
        return n

    def _row(self, f: Facts, p: Any, now: dt.datetime, today: dt.date) -> Row:
        # Unpacked once: attribute access on result rows costs more than the rest here.
        pid, slug, name, book_id, phase, created, verdict, label, kept = p
        answers = f.answers.get(pid, NO_ANSWERS)
        owner = None
        for q in OWNER_QUESTIONS:
            value = answers.get(q)
            if isinstance(value, str) and value.strip():
                owner = value.strip()
                break
        moves = f.moves.get(pid)
        since = moves[-1][0] if moves else convert.aware(created)
        review = as_date(answers.get(NEXT_REVIEW))
        kills = self._kills(f, pid, book_id) if "baselines" in answers else 0
        # The team's own "a kill threshold was crossed" counts when no measurement says so.
        if not kills and answers.get(KILL_HIT) is True:
            kills = 1
        overdue = f.overdue.get(pid, 0)
        gates = kept_reasons(kept) if verdict is not None else ()
        keys = [g[0] for g in gates]
        for gid, title, kind in gates:
            # A kill reason's title carries this pilot's measurement; the count says
            # which threshold only.
            if kind == "kill":
                title = f"kill threshold crossed: {gid.removeprefix('kill-').replace('_', ' ')}"
            f.titles.setdefault(gid, title)
        # The portfolio's own facts, after the gates; a crossed kill threshold the
        # verdict already names is not counted twice.
        if kills and not any(g[2] == "kill" for g in gates):
            keys.append("kill")
        started = phase is not None and phase != "before"
        if started and review is not None and review < today:
            keys.append("review-overdue")
        if phase == "after" and review is None:
            keys.append("no-review")
        if overdue:
            keys.append("overdue")
        first = gates[0][1] if gates else REASONS[keys[0]] if keys else None
        return Row(
            pid, slug, name, owner, phase, days_between(since, now), verdict, label,
            first, tuple(keys), review, overdue, kills,
        )  # fmt: skip

    def _phase_ids(self, f: Facts) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for book_id in {p.playbook_id for p in f.pilots}:
            try:
                out[book_id] = [ph.id for ph in self._playbooks.get(book_id).phases]
            except NotFound:
                out[book_id] = []
        return out

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
        if sort.lstrip("-") not in SORTS:
            raise InvalidValue(f"--sort is one of {', '.join(SORTS)}, not {sort!r}")
        filters = filters or Filters()
        if filters.verdict is not None and filters.verdict not in VERDICT_ORDER:
            known = ", ".join(VERDICT_ORDER)
            raise InvalidValue(f"--verdict is one of {known}, not {filters.verdict!r}")
        now = self._unit.clock()
        self._books, self._metrics = {}, {}
        with self._unit.read() as s:
            f = self._read(s, now.date())
        today = now.date()
        rows = [self._row(f, p, now, today) for p in f.pilots]
        rows = [r for r in rows if keep(r, filters)]
        rows.sort(key=lambda r: r.name.lower())
        rows.sort(key=sort_key(sort.lstrip("-")), reverse=sort.startswith("-"))
        chosen = {r.id for r in rows}
        books = {p.id: p.playbook_id for p in f.pilots}
        phase_ids = self._phase_ids(f)
        went, back, quarters = production(f, chosen, books, phase_ids)
        return Portfolio(
            today=now.date(),
            rows=tuple(rows),
            stalls=stalls(rows, f.titles),
            phase_times=phase_times(f, rows, now),
            quarters=quarters,
            production=went,
            came_back=back,
            changes=changes(f, rows, since) if since else (),
            trend=trend(f, rows, now),
            since=since,
        )

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
