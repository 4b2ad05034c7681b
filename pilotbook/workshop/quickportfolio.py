"""The portfolio read without the models, for `pilotbook portfolio` and the app's
portfolio screen.

Importing SQLModel and the ORM costs more than reading 10,000 pilots. On a
SQLite store at the current schema (`quicklist.store_is_current`) the facts
are read with the standard library's sqlite3, read-only; on PostgreSQL with
SQLAlchemy Core on the checked engine (`db.engine.open_engine`), no ORM. The
report is then worked out by the same code as `ws.portfolio.report`
(`portfolio_build`), and a test compares the two paths over one store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pilotbook.errors import NotFound
from pilotbook.workshop.portfolio_build import BookFacts, Builder, FactsOf, book_facts, check
from pilotbook.workshop.portfolio_views import (
    KILL_HIT,
    NEXT_REVIEW,
    OWNER_QUESTIONS,
    OWNERS_CONFIRMED,
    Facts,
    Filters,
    Portfolio,
    aware,
    loads,
)

if TYPE_CHECKING:
    import sqlite3

    from pilotbook.playbook.model import Playbook
    from pilotbook.playbook.registry import Registry

# One call: SQL with :named parameters and their values -> rows as tuples.
Run = Callable[[str, dict[str, Any]], Iterable[tuple[Any, ...]]]


class PilotRow(NamedTuple):
    # The fields `portfolio_build` unpacks, in its order.
    id: str
    slug: str
    name: str
    playbook_id: str
    phase: str | None
    created_at: Any  # a datetime, or its text from sqlite3
    verdict: str | None
    verdict_label: str | None
    verdict_reasons: str | None


WANTED = (*OWNER_QUESTIONS, NEXT_REVIEW, OWNERS_CONFIRMED, KILL_HIT, "baselines")
_IN = ", ".join(f":q{i}" for i in range(len(WANTED)))
PILOTS = (
    "SELECT id, slug, name, playbook_id, phase, created_at, verdict, verdict_label,"
    " verdict_reasons FROM pilot WHERE archived = :no"
)
MOVES = "SELECT pilot_id, detail_json, at FROM pilot_event WHERE kind = 'phase' ORDER BY at"
DECISIONS = "SELECT pilot_id, outcome, at FROM decision ORDER BY at"
ANSWERS = (
    "SELECT pilot_id, question_id, value_json FROM answer"
    f" WHERE question_id IN ({_IN}) AND answered = :yes"
)
OVERDUE = (
    "SELECT pilot_id, count(*) FROM action WHERE status = 'open' AND due < :today GROUP BY pilot_id"
)
MEASURED = "SELECT pilot_id, metric, value FROM measurement ORDER BY measured_on, id"


def read(run: Run, today: dt.date | str) -> Facts:
    """The facts `ws.portfolio` reads, in the same few queries."""
    f = Facts()
    f.pilots = [
        PilotRow(pid, slug, name, book, phase, aware(made), verdict, label, reasons)
        for pid, slug, name, book, phase, made, verdict, label, reasons in run(
            PILOTS, {"no": False}
        )
    ]
    # A handful of distinct moves ({"from": "before", "to": "during"}...): parsed once each.
    parsed: dict[str, tuple[Any, Any]] = {}
    for pid, detail, at in run(MOVES, {}):
        move = parsed.get(detail)
        if move is None:
            d = json.loads(detail) if detail else {}
            move = parsed[detail] = (d.get("from"), d.get("to"))
        f.moves[pid].append((aware(at), *move))
    for pid, outcome, at in run(DECISIONS, {}):
        f.decisions[pid].append((aware(at), outcome))
    asked = {f"q{i}": q for i, q in enumerate(WANTED)}
    for pid, qid, value in run(ANSWERS, {**asked, "yes": True}):
        if value is not None:
            f.answers[pid][qid] = loads(value)
    f.overdue = {pid: n for pid, n in run(OVERDUE, {"today": today})}
    for pid, metric, measured in run(MEASURED, {}):
        f.latest[(pid, metric)] = measured  # the last one of each metric wins
    return f


def sqlite_facts(path: Path, today: dt.date) -> Facts:
    """The facts of a SQLite store at the current schema, read-only with sqlite3."""
    from pilotbook.workshop.quicklist import _connect

    conn = _connect(path)
    try:
        return read(sqlite_run(conn), today.isoformat())
    finally:
        conn.close()


def sqlite_run(conn: sqlite3.Connection) -> Run:
    """`read`'s queries on a sqlite3 connection."""

    def run(sql: str, args: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
        # SQLite keeps booleans as 0/1 and dates as ISO text, as the models write them.
        plain = {k: int(v) if isinstance(v, bool) else v for k, v in args.items()}
        return conn.execute(sql, plain).fetchall()

    return run


def server_facts(location: str, today: dt.date) -> Facts:
    """The facts of a PostgreSQL store, with SQLAlchemy Core on the checked engine."""
    from sqlalchemy import text

    from pilotbook.db.engine import open_engine

    engine = open_engine(location, create=False)
    try:
        with engine.connect() as conn:

            def run(sql: str, args: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
                return [tuple(r) for r in conn.execute(text(sql), args)]

            return read(run, today)
    finally:
        engine.dispose()


class Books:
    """The playbook files by id, found as `ws.playbooks` finds them (built-in and
    user folders), without the store's models; what the portfolio needs of them comes
    from the disk cache's summaries when it has them all (no pydantic)."""

    def __init__(self) -> None:
        self._registry: Registry | None = None
        self._summaries: dict[str, dict[str, Any]] | None = None
        self._looked = False

    def facts(self, playbook_id: str) -> BookFacts:
        from pilotbook.playbook.registry import summaries

        if not self._looked:
            self._summaries, self._looked = summaries(), True
        found = (self._summaries or {}).get(playbook_id)
        if found is not None and "baselines" in found:
            table = found["baselines"]
            baselines = None if table is None else (str(table[0]), dict(table[1]))
            return BookFacts(tuple(found["phases"]), baselines)
        return book_facts(self.get(playbook_id))  # a summary from an older pilotbook

    def get(self, playbook_id: str) -> Playbook:
        from pilotbook.playbook.errors import PlaybookError
        from pilotbook.rules.playbooks import discover

        if self._registry is None:
            self._registry = discover()
        try:
            return self._registry.get(playbook_id)
        except KeyError:
            raise NotFound(f"no playbook {playbook_id!r} in the playbook folders") from None
        except PlaybookError as e:
            raise NotFound(f"playbook {playbook_id!r} cannot be read: {e.first}") from None


def report(
    facts: Facts,
    now: dt.datetime,
    filters: Filters | None = None,
    *,
    sort: str = "name",
    since: dt.date | None = None,
    facts_of: FactsOf | None = None,
) -> Portfolio:
    """What `ws.portfolio.report` gives, from facts read here."""
    filters = filters or Filters()
    check(filters, sort)
    return Builder(facts_of or Books().facts).report(facts, now, filters, sort=sort, since=since)


def light_report(
    location: str,
    filters: Filters | None = None,
    *,
    sort: str = "name",
    since: dt.date | None = None,
) -> Portfolio | None:
    """The report of the store at `location` without the models; None when the store
    needs the full path (a SQLite file not at this schema, not WAL, or not there), which
    has those checks and their errors."""
    from pilotbook.workshop import quicklist

    now = dt.datetime.now(dt.UTC)
    filters = filters or Filters()
    check(filters, sort)  # bad input says so before any store is opened
    path = quicklist.local_path(location)
    if path is None:
        facts = server_facts(location, now.date())
    elif quicklist.store_is_current(path):
        facts = sqlite_facts(path, now.date())
    else:
        return None
    return report(facts, now, filters, sort=sort, since=since)
