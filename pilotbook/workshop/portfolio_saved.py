"""Named portfolio snapshots: the counts of a portfolio saved under a name, to compare
a later one with (`pilotbook portfolio --save NAME`, then `--since NAME`).

Only counts and the labels of what holds pilots back are kept, never a pilot's
answers or names: nothing a user of the store could not already read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import select

from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop import convert

if TYPE_CHECKING:
    import datetime as dt

    from pilotbook.workshop.portfolio_views import Portfolio
    from pilotbook.workshop.unit import UnitOfWork

NAME_MAX = 80


@dataclass(frozen=True)
class Compared:
    what: str  # in words: "pilots", "reached production", or a reason's label
    was: int
    now: int


@dataclass(frozen=True)
class Saved:
    name: str
    saved_at: dt.datetime
    counts: dict[str, Any]


def counts(p: Portfolio) -> dict[str, Any]:
    return {
        "pilots": len(p.rows),
        "stalled": len(p.stalled()),
        "production": p.production,
        "came_back": p.came_back,
        "stalls": {s.key: {"label": s.label, "pilots": len(s.pilots)} for s in p.stalls},
    }


def compare(saved: Saved, p: Portfolio) -> tuple[Compared, ...]:
    """Each count then and now; a reason that appeared or went away counts 0 on its
    other side. Unchanged counts are left out."""
    was, now = saved.counts, counts(p)
    out = [
        Compared(words, int(was.get(key, 0)), int(now[key]))
        for key, words in (
            ("pilots", "pilots"),
            ("stalled", "stalled pilots"),
            ("production", "reached production"),
            ("came_back", "came back from production"),
        )
    ]
    then = was.get("stalls", {})
    for key in [*now["stalls"], *(k for k in then if k not in now["stalls"])]:
        item = now["stalls"].get(key) or then[key]
        before = int(then.get(key, {}).get("pilots", 0))
        out.append(
            Compared(str(item["label"]), before, now["stalls"].get(key, {}).get("pilots", 0))
        )
    return tuple(c for c in out if c.was != c.now)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise InvalidValue(f"a snapshot name is 1 to {NAME_MAX} printable characters, not {name!r}")
    return name


def save(unit: UnitOfWork, name: str, p: Portfolio) -> Saved:
    name = check_name(name)
    text = json.dumps(counts(p), sort_keys=True)
    when = unit.clock()
    with unit.write() as s:
        row = s.get(t.PortfolioSnapshot, name)
        if row is None:
            s.add(t.PortfolioSnapshot(name=name, saved_at=when, counts_json=text))
        else:  # saving under a name again replaces it, like a bookmark
            row.saved_at, row.counts_json = when, text
    return Saved(name, when, json.loads(text))


def load(unit: UnitOfWork, name: str) -> Saved:
    name = check_name(name)
    with unit.read() as s:
        row = s.get(t.PortfolioSnapshot, name)
        if row is None:
            known = [r.name for r in s.exec(select(t.PortfolioSnapshot))]
            listed = ", ".join(sorted(known)) or "none yet"
            raise NotFound(f"no portfolio snapshot {name!r} (saved: {listed})")
        return Saved(row.name, convert.aware(row.saved_at), json.loads(row.counts_json))
