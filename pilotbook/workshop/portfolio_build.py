"""The portfolio worked out from the facts read once (`portfolio_views.Facts`): one
row per pilot, then the counts (`portfolio_stats`).

Both read paths end here, so they give the same report: the service's
(`ws.portfolio`, SQLAlchemy Core over the unit of work) and the light one of
`pilotbook portfolio` (`workshop/quickportfolio.py`, no models loaded). No store
here, and nothing that imports the models.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.errors import InvalidValue, NotFound
from pilotbook.playbook.baselines import baselines_table
from pilotbook.workshop.baselines import Metric, metrics_in
from pilotbook.workshop.portfolio_stats import (
    changes,
    kept_rows,
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
    OWNERS_GATE,
    REASONS,
    SORTS,
    VERDICT_ORDER,
    Facts,
    Filters,
    Portfolio,
    Row,
    as_date,
    aware,
    days_between,
    kept_reasons,
)

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook


@dataclass(frozen=True)
class BookFacts:
    """What the portfolio needs of a playbook: its phase ids in order, and its
    baselines table (question id, metric option labels), or None."""

    phases: tuple[str, ...]
    baselines: tuple[str, dict[str, str]] | None


def book_facts(book: Playbook) -> BookFacts:
    return BookFacts(tuple(ph.id for ph in book.phases), baselines_table(book))


# The facts of a playbook by id; raises NotFound when its file is gone.
FactsOf = Callable[[str], BookFacts]


def check(filters: Filters, sort: str) -> None:
    """Bad --sort or --verdict: one line naming the choices."""
    if sort.lstrip("-") not in SORTS:
        raise InvalidValue(f"--sort is one of {', '.join(SORTS)}, not {sort!r}")
    if filters.verdict is not None and filters.verdict not in VERDICT_ORDER:
        known = ", ".join(VERDICT_ORDER)
        raise InvalidValue(f"--verdict is one of {known}, not {filters.verdict!r}")


class Builder:
    """Works out one report; playbooks and their metrics are read once for it."""

    def __init__(self, facts_of: FactsOf) -> None:
        self._facts_of = facts_of
        self._books: dict[str, BookFacts | None] = {}
        self._metrics: dict[tuple[str, str], list[Metric]] = {}
        self._kept: dict[str | None, tuple[tuple[str, str, str], ...]] = {}

    def _book(self, book_id: str) -> BookFacts | None:
        if book_id not in self._books:
            try:
                self._books[book_id] = self._facts_of(book_id)
            except NotFound:
                self._books[book_id] = None
        return self._books[book_id]

    def _kills(self, f: Facts, pid: str, book_id: str) -> int:
        rows = f.answers.get(pid, {}).get("baselines")
        if not rows:
            return 0
        book = self._book(book_id)
        # Only the answer to `baselines` is read: a table of another id counts none.
        if book is None or book.baselines is None or book.baselines[0] != "baselines":
            return 0
        key = (book_id, json.dumps(rows, sort_keys=True))
        found = self._metrics.get(key)
        if found is None:  # pilots made from one template share their baselines
            rows = rows if isinstance(rows, list) else []
            found = self._metrics[key] = metrics_in("baselines", book.baselines[1], rows)
        n = 0
        for m in found:
            value = f.latest.get((pid, m.key))
            n += value is not None and m.past_kill(value)
        return n

    def _reasons(self, kept: str | None) -> tuple[tuple[str, str, str], ...]:
        # Many pilots keep the same reasons ("required answers still missing"): each
        # text is parsed once.
        found = self._kept.get(kept)
        if found is None:
            found = self._kept[kept] = kept_reasons(kept)
        return found

    def row(self, f: Facts, p: Any, now: dt.datetime, today: dt.date) -> Row:
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
        since = moves[-1][0] if moves else aware(created)
        review = as_date(answers.get(NEXT_REVIEW))
        kills = self._kills(f, pid, book_id) if "baselines" in answers else 0
        # The team's own "a kill threshold was crossed" counts when no measurement says so.
        if not kills and answers.get(KILL_HIT) is True:
            kills = 1
        overdue = f.overdue.get(pid, 0)
        gates = self._reasons(kept) if verdict is not None else ()
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
        # Owners the team said are no longer in their roles, unless the verdict says so.
        if answers.get(OWNERS_CONFIRMED) is False and OWNERS_GATE not in keys:
            keys.append("owners-lapsed")
        if overdue:
            keys.append("overdue")
        first = gates[0][1] if gates else REASONS[keys[0]] if keys else None
        return Row(
            pid, slug, name, owner, phase, days_between(since, now), verdict, label,
            first, tuple(keys), review, overdue, kills,
        )  # fmt: skip

    def phase_ids(self, f: Facts) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for book_id in {p.playbook_id for p in f.pilots}:
            book = self._book(book_id)
            out[book_id] = list(book.phases) if book is not None else []
        return out

    def kept(self, f: Facts, now: dt.datetime, stamp: Any = None) -> Kept:
        """Every pilot's row worked out once, by name, with what the counts need."""
        today = now.date()
        rows = [self.row(f, p, now, today) for p in f.pilots]
        rows.sort(key=lambda r: r.name.lower())
        books = {p.id: p.playbook_id for p in f.pilots}
        hays = tuple(f"{r.name} {r.slug}".casefold() for r in rows)
        return Kept(f, now, tuple(rows), hays, books, self.phase_ids(f), stamp)

    def report(
        self,
        f: Facts,
        now: dt.datetime,
        filters: Filters,
        *,
        sort: str = "name",
        since: dt.date | None = None,
    ) -> Portfolio:
        return report_of(self.kept(f, now), filters, sort=sort, since=since)


@dataclass(frozen=True)
class Kept:
    """The facts of one read of the store with every pilot's row worked out: kept
    while the app's portfolio is open, so a filter is worked out in memory
    (`report_of`) and the store is read again only when it changed."""

    facts: Facts
    now: dt.datetime
    rows: tuple[Row, ...]  # every pilot, by name
    hays: tuple[str, ...]  # each row's name and slug, folded, for the words typed
    books: dict[str, str]  # pilot id -> playbook id
    phase_ids: dict[str, list[str]]  # playbook id -> its phase ids in order
    stamp: Any = None  # the store's change mark when it was read (`ws.portfolio.stamp`)


def report_of(
    kept: Kept, filters: Filters, *, sort: str = "name", since: dt.date | None = None
) -> Portfolio:
    """The report of the kept facts for `filters`: the same as a fresh read with them
    (no store here, nothing read again)."""
    rows = rows_of(kept, filters, sort=sort)
    return summed(kept, rows, since=since)


def rows_of(kept: Kept, filters: Filters, *, sort: str = "name") -> list[Row]:
    """The report's rows alone: what a filter key needs at once, the counts
    (`summed`) can follow."""
    check(filters, sort)
    rows = kept_rows(kept.rows, kept.hays, filters)
    # The kept rows are by name already; Python's sort is stable.
    rows.sort(key=sort_key(sort.lstrip("-")), reverse=sort.startswith("-"))
    return rows


def summed(kept: Kept, rows: list[Row], *, since: dt.date | None = None) -> Portfolio:
    """The report of `rows` (from `rows_of`): where they stall, the times, the rate."""
    f, now = kept.facts, kept.now
    chosen = {r.id for r in rows}
    went, back, quarters = production(f, chosen, kept.books, kept.phase_ids)
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
