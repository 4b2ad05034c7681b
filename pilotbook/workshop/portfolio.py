"""The portfolio: every pilot of the store on one line, and where they stall.

    rows = ws.portfolio.rows(Filters(phase="during", stalled=60), sort="days")
    p = ws.portfolio.report(Filters(), since=dt.date(2026, 9, 1))
    p.rows, p.stalls, p.phase_times, p.quarters, p.changes

The whole store is read in a handful of queries (pilots, phase moves,
decisions, a few answers, overdue actions, measurements), never one pilot at
a time, so 10,000 pilots answer in well under a second. The verdict is the
one kept on the pilot row (`workshop/kept.py`); the rules are not run again
here. A pilot whose verdict is not kept yet shows none.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import col

from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop import convert
from pilotbook.workshop.measurements import Metric, metrics
from pilotbook.workshop.views import AnswerView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork

# The owner of a pilot is the first of these answered: the workflow's owner, then
# the process owner, then the person who runs it in production.
OWNER_QUESTIONS = ("owner_workflow", "process_owner", "owner_production")
NEXT_REVIEW, OWNERS_CONFIRMED, KILL_HIT = "next_review", "owners_confirmed", "kill_hit"
DECISION_PHASE = "decision"
STALLED_DAYS = 60  # the export's "stalled": this long in one phase
SORTS = ("name", "owner", "phase", "days", "verdict", "review", "overdue", "kill")
# What holds a pilot back, worst first: a pilot's first reason is the first that applies.
REASONS: dict[str, str] = {
    "kill": "kill threshold crossed",
    "owners-lapsed": "owners named before the pilot no longer in their roles",
    "no-owner": "no named owner after the pilot started",
    "no-go": "verdict is a no-go",
    "not-ready": "required answers still missing",
    "review-overdue": "next review date has passed",
    "no-review": "no next review date",
    "overdue": "overdue actions",
    "conditional": "go only with conditions",
}
VERDICT_ORDER = {"no-go": 0, "not-ready": 1, "conditional": 2, "go": 3}


@dataclass(frozen=True)
class Filters:
    phase: str | None = None
    verdict: str | None = None
    stalled: int | None = None  # days in the phase, at least
    owner: str | None = None  # part of the owner's name, any case
    words: tuple[str, ...] = ()  # each in the pilot's name or slug, any case

    @classmethod
    def parse(cls, text: str) -> Filters:
        """The app's filter line: `phase:during verdict:no-go stalled:60 owner:ana` and
        words of the name, in any order."""
        found: dict[str, Any] = {}
        words = []
        for part in text.split():
            key, sep, value = part.partition(":")
            key = key.casefold()
            if not sep or key not in ("phase", "verdict", "stalled", "owner"):
                words.append(part)
            elif key == "stalled":
                if not value.isdigit():
                    raise InvalidValue(f"stalled: takes a number of days, not {value!r}")
                found[key] = int(value)
            elif value:
                found[key] = value
        return cls(**found, words=tuple(words))


@dataclass(frozen=True)
class Row:
    id: str
    slug: str
    name: str
    owner: str | None
    phase: str | None
    days_in_phase: int
    verdict: str | None  # kept verdict; None when not worked out since the last change
    verdict_label: str | None
    reason: str | None  # the first of REASONS that applies, in words
    reasons: tuple[str, ...]  # keys of REASONS
    next_review: dt.date | None
    overdue_actions: int
    kills_crossed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "name": self.name,
            "owner": self.owner,
            "phase": self.phase,
            "days_in_phase": self.days_in_phase,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "reason": self.reason,
            "reasons": list(self.reasons),
            "next_review": self.next_review.isoformat() if self.next_review else None,
            "overdue_actions": self.overdue_actions,
            "kills_crossed": self.kills_crossed,
        }


@dataclass(frozen=True)
class Stall:
    key: str
    label: str
    pilots: tuple[str, ...]  # slugs, in the order of the rows


@dataclass(frozen=True)
class PhaseTime:
    phase: str
    spans: int  # stays counted, finished or not
    median_days: float
    low_days: int
    high_days: int


@dataclass(frozen=True)
class Quarter:
    quarter: str  # 2026-Q3
    decided: int  # pilots that left the decision phase in the quarter
    production: int  # of those, moved past it with a go

    @property
    def rate(self) -> float | None:
        return self.production / self.decided if self.decided else None


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    slug: str
    what: str


@dataclass(frozen=True)
class Portfolio:
    today: dt.date
    rows: tuple[Row, ...]
    stalls: tuple[Stall, ...]
    phase_times: tuple[PhaseTime, ...]
    quarters: tuple[Quarter, ...]
    production: int  # selected pilots that ever moved past the decision with a go
    came_back: int  # of those, in an earlier phase again now
    changes: tuple[Change, ...] = ()
    since: dt.date | None = None

    @property
    def rate(self) -> float | None:
        decided = sum(q.decided for q in self.quarters)
        return sum(q.production for q in self.quarters) / decided if decided else None

    def stalled(self, days: int = STALLED_DAYS) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.days_in_phase >= days)


@dataclass
class _Facts:
    """What the store holds for the portfolio, read in a few queries."""

    pilots: list[Any] = field(default_factory=list)
    moves: dict[str, list[tuple[dt.datetime, str | None, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    decisions: dict[str, list[tuple[dt.datetime, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    answers: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    overdue: dict[str, int] = field(default_factory=dict)
    latest: dict[tuple[str, str], float] = field(default_factory=dict)


_NONE: dict[str, Any] = {}


def _loads(text: str) -> Any:
    # Most values read here are names and dates: plain JSON strings need no parser.
    if len(text) > 1 and text[0] == '"' and text[-1] == '"' and "\\" not in text:
        return text[1:-1]
    return json.loads(text)


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _days(a: dt.datetime, b: dt.datetime) -> int:
    return max(0, (b - a).days)


def quarter_of(when: dt.datetime | dt.date) -> str:
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


class PortfolioService:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks) -> None:
        self._unit = unit
        self._playbooks = playbooks
        self._books: dict[str, Playbook | None] = {}  # for one report
        self._metrics: dict[tuple[str, str], list[Metric]] = {}

    # --- reading ------------------------------------------------------------

    def _read(self, s: Session, today: dt.date) -> _Facts:
        f = _Facts()
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
                f.answers[pid][qid] = _loads(value)
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

    def _kills(self, f: _Facts, pid: str, book_id: str) -> int:
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

    def _row(self, f: _Facts, p: Any, now: dt.datetime, today: dt.date) -> Row:
        # Unpacked once: attribute access on result rows costs more than the rest here.
        pid, slug, name, book_id, phase, created, verdict, label = p
        answers = f.answers.get(pid, _NONE)
        owner = None
        for q in OWNER_QUESTIONS:
            value = answers.get(q)
            if isinstance(value, str) and value.strip():
                owner = value.strip()
                break
        moves = f.moves.get(pid)
        since = moves[-1][0] if moves else convert.aware(created)
        review = _date(answers.get(NEXT_REVIEW))
        kills = self._kills(f, pid, book_id) if "baselines" in answers else 0
        # The team's own "a kill threshold was crossed" counts when no measurement says so.
        if not kills and answers.get(KILL_HIT) is True:
            kills = 1
        overdue = f.overdue.get(pid, 0)
        started = phase is not None and phase != "before"
        keys = []
        if kills:
            keys.append("kill")
        if answers.get(OWNERS_CONFIRMED) is False:
            keys.append("owners-lapsed")
        if started and owner is None:
            keys.append("no-owner")
        if verdict in ("no-go", "not-ready"):
            keys.append(verdict)
        if started and review is not None and review < today:
            keys.append("review-overdue")
        if phase == "after" and review is None:
            keys.append("no-review")
        if overdue:
            keys.append("overdue")
        if verdict == "conditional":
            keys.append("conditional")
        return Row(
            pid, slug, name, owner, phase, _days(since, now), verdict, label,
            REASONS[keys[0]] if keys else None, tuple(keys), review, overdue, kills,
        )  # fmt: skip

    def _phase_ids(self, f: _Facts) -> dict[str, list[str]]:
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
        """The selected pilots, where they stall, their time per phase and the rate."""
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
        rows = [r for r in rows if _keep(r, filters)]
        rows.sort(key=lambda r: r.name.lower())
        rows.sort(key=_sort_key(sort.lstrip("-")), reverse=sort.startswith("-"))
        chosen = {r.id for r in rows}
        books = {p.id: p.playbook_id for p in f.pilots}
        phase_ids = self._phase_ids(f)
        went, back, quarters = _production(f, chosen, books, phase_ids)
        return Portfolio(
            today=now.date(),
            rows=tuple(rows),
            stalls=_stalls(rows),
            phase_times=_phase_times(f, rows, now),
            quarters=quarters,
            production=went,
            came_back=back,
            changes=_changes(f, rows, since) if since else (),
            since=since,
        )

    def rows(self, filters: Filters | None = None, *, sort: str = "name") -> tuple[Row, ...]:
        return self.report(filters, sort=sort).rows


def _keep(r: Row, f: Filters) -> bool:
    if f.phase is not None and r.phase != f.phase:
        return False
    if f.verdict is not None and r.verdict != f.verdict:
        return False
    if f.stalled is not None and r.days_in_phase < f.stalled:
        return False
    hay = f"{r.name} {r.slug}".casefold()
    if any(w.casefold() not in hay for w in f.words):
        return False
    return f.owner is None or f.owner.casefold() in (r.owner or "").casefold()


def _sort_key(sort: str) -> Any:
    far = dt.date.max
    return {
        "name": lambda r: r.name.lower(),
        "owner": lambda r: (r.owner or "\uffff").lower(),
        "phase": lambda r: r.phase or "",
        "days": lambda r: r.days_in_phase,
        "verdict": lambda r: VERDICT_ORDER.get(r.verdict or "", 9),
        "review": lambda r: r.next_review or far,
        "overdue": lambda r: r.overdue_actions,
        "kill": lambda r: r.kills_crossed,
    }[sort]


def _stalls(rows: list[Row]) -> tuple[Stall, ...]:
    held: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for k in r.reasons:
            held[k].append(r.slug)
    order = list(REASONS)
    found = [Stall(k, REASONS[k], tuple(v)) for k, v in held.items()]
    found.sort(key=lambda x: (-len(x.pilots), order.index(x.key)))
    return tuple(found)


def _phase_times(f: _Facts, rows: list[Row], now: dt.datetime) -> tuple[PhaseTime, ...]:
    """Days spent in each phase, over every stay of the selected pilots (the current
    stay counts up to now)."""
    spans: dict[str, list[int]] = defaultdict(list)
    created = {p.id: convert.aware(p.created_at) for p in f.pilots}
    phases = {p.id: p.phase for p in f.pilots}
    order: list[str] = []
    for r in rows:
        start, phase = created[r.id], None
        moves = f.moves.get(r.id, [])
        if moves:
            phase = moves[0][1]
        for at, _old, new in moves:
            if phase is not None:
                spans[phase].append(_days(start, at))
            start, phase = at, new
        phase = phase if moves else phases[r.id]
        if phase is not None:
            spans[phase].append(_days(start, now))
        order += [ph for ph in spans if ph not in order]
    return tuple(
        PhaseTime(ph, len(spans[ph]), statistics.median(spans[ph]), min(spans[ph]), max(spans[ph]))
        for ph in order
    )


def _production(
    f: _Facts, chosen: set[str], books: dict[str, str], phase_ids: dict[str, list[str]]
) -> tuple[int, int, tuple[Quarter, ...]]:
    """Per quarter, the pilots that left the decision phase, and those that moved past
    it with a go (the last decision recorded before the move is a go or a conditional go)."""
    decided: dict[str, set[str]] = defaultdict(set)
    went: dict[str, set[str]] = defaultdict(set)
    ever: set[str] = set()
    back = 0
    current = {p.id: p.phase for p in f.pilots}
    for pid in chosen:
        ids = phase_ids.get(books[pid], [])
        if DECISION_PHASE not in ids:
            continue
        at_decision = ids.index(DECISION_PHASE)
        for at, old, new in f.moves.get(pid, []):
            if old != DECISION_PHASE:
                continue
            q = quarter_of(at)
            decided[q].add(pid)
            past = new in ids and ids.index(new) > at_decision
            last = [o for when, o in f.decisions.get(pid, []) if when <= at]
            if past and last and last[-1] in ("go", "conditional"):
                went[q].add(pid)
                ever.add(pid)
        phase = current[pid]
        if pid in ever and (phase not in ids or ids.index(phase) <= at_decision):
            back += 1
    quarters = tuple(Quarter(q, len(decided[q]), len(went[q])) for q in sorted(decided))
    return len(ever), back, quarters


def _changes(f: _Facts, rows: list[Row], since: dt.date) -> tuple[Change, ...]:
    start = dt.datetime.combine(since, dt.time(), dt.UTC)
    created = {p.id: convert.aware(p.created_at) for p in f.pilots}
    out: list[Change] = []
    for r in rows:
        if created[r.id] >= start:
            out.append(Change(created[r.id], r.slug, "new pilot"))
        for at, old, new in f.moves.get(r.id, []):
            if at >= start:
                out.append(Change(at, r.slug, f"moved from {old or 'start'} to {new}"))
        for at, outcome in f.decisions.get(r.id, []):
            if at >= start:
                out.append(Change(at, r.slug, f"decision: {outcome}"))
    out.sort(key=lambda c: (c.at, c.slug))
    return tuple(out)
