"""What the portfolio is made of: its filters, its rows and its counts, and the facts
read from the store to make them (`workshop/portfolio.py`)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pilotbook.errors import InvalidValue

# The owner of a pilot is the first of these answered: the workflow's owner, then
# the process owner, then the person who runs it in production.
OWNER_QUESTIONS = ("owner_workflow", "process_owner", "owner_production")
NEXT_REVIEW, OWNERS_CONFIRMED, KILL_HIT = "next_review", "owners_confirmed", "kill_hit"
# The gate that names lapsed owners itself when it sets the verdict (ai-pilot's).
OWNERS_GATE = "owners_moved_on"
DECISION_PHASE = "decision"
STALLED_DAYS = 60  # the export's "stalled": this long in one phase
TREND_QUARTERS = 8
SORTS = ("name", "owner", "phase", "days", "verdict", "review", "overdue", "kill")
# What the portfolio itself sees holding a pilot back, beside the gates and risks of
# its kept verdict (which come first), worst first.
REASONS: dict[str, str] = {
    "kill": "kill threshold crossed",
    "review-overdue": "next review date has passed",
    "no-review": "no next review date",
    "owners-lapsed": "owners no longer in their roles",
    "overdue": "overdue actions",
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
            elif not value:
                continue  # still being typed
            elif key == "stalled":
                if not value.isdigit():
                    raise InvalidValue(f"stalled: takes a number of days, not {value!r}")
                found[key] = int(value)
            else:
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
    # The first blocking reason of the kept verdict in words, else the first of REASONS.
    reason: str | None
    reasons: tuple[str, ...]  # ids of the kept verdict's reasons, then keys of REASONS
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
class Stalled:
    """At the end of a quarter (today for this one): the selected pilots that existed,
    and those that had been in one phase for STALLED_DAYS or more."""

    quarter: str
    pilots: int
    stalled: int


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
    trend: tuple[Stalled, ...] = ()  # the last TREND_QUARTERS quarters, oldest first

    @property
    def rate(self) -> float | None:
        decided = sum(q.decided for q in self.quarters)
        return sum(q.production for q in self.quarters) / decided if decided else None

    def stalled(self, days: int = STALLED_DAYS) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.days_in_phase >= days)


@dataclass
class Facts:
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
    titles: dict[str, str] = field(default_factory=dict)  # reason id -> its first title


def kept_reasons(text: str | None) -> tuple[tuple[str, str, str], ...]:
    """(id, title, kind) of each reason kept with a verdict; none when not kept or
    unreadable (the background fill keeps them again)."""
    if not text:
        return ()
    try:
        found = json.loads(text)
        return tuple((str(r["id"]), str(r["title"]), str(r["kind"])) for r in found)
    except (ValueError, TypeError, KeyError):
        return ()


NO_ANSWERS: dict[str, Any] = {}


def loads(text: str) -> Any:
    # Most values read here are names and dates: plain JSON strings need no parser.
    if len(text) > 1 and text[0] == '"' and text[-1] == '"' and "\\" not in text:
        return text[1:-1]
    return json.loads(text)


def as_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def aware(when: dt.datetime | str) -> dt.datetime:
    """A time read from the store, as an aware UTC datetime: SQLite hands back naive
    ones, or strings from plain sqlite3 rows."""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def days_between(a: dt.datetime, b: dt.datetime) -> int:
    return max(0, (b - a).days)


def quarter_of(when: dt.datetime | dt.date) -> str:
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"
