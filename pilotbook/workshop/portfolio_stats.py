"""The portfolio's counts over the selected rows: where they stall, the time in each
phase, the pilot-to-production rate, what changed and the trend, from the facts read
once (`portfolio_views.Facts`)."""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from pilotbook.workshop.portfolio_views import (
    DECISION_PHASE,
    REASONS,
    STALLED_DAYS,
    TREND_QUARTERS,
    VERDICT_ORDER,
    Change,
    Facts,
    Filters,
    PhaseTime,
    Quarter,
    Row,
    Stall,
    Stalled,
    aware,
    days_between,
    quarter_of,
)


def kept_rows(rows: tuple[Row, ...], hays: tuple[str, ...], f: Filters) -> list[Row]:
    """The rows `keep` keeps, each with its name and slug folded once (`hays`): one
    pass with the filters' own checks hoisted, as it runs on each key typed."""
    words = [w.casefold() for w in f.words]
    owner = f.owner.casefold() if f.owner is not None else None
    phase, verdict, stalled = f.phase, f.verdict, f.stalled
    out = []
    for r, hay in zip(rows, hays, strict=True):
        if phase is not None and r.phase != phase:
            continue
        if verdict is not None and r.verdict != verdict:
            continue
        if stalled is not None and r.days_in_phase < stalled:
            continue
        if words and not all(w in hay for w in words):
            continue
        if owner is not None and owner not in (r.owner or "").casefold():
            continue
        out.append(r)
    return out


def sort_key(sort: str) -> Any:
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


def stalls(rows: list[Row], titles: dict[str, str]) -> tuple[Stall, ...]:
    """Each gate, risk or fact by id, with the pilots it holds back: most pilots first,
    then the gates and risks (by id) before the portfolio's own facts."""
    held: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for k in r.reasons:
            held[k].append(r.slug)
    order = list(REASONS)
    found = [Stall(k, REASONS.get(k) or titles.get(k, k), tuple(v)) for k, v in held.items()]
    found.sort(
        key=lambda x: (
            -len(x.pilots),
            x.key in REASONS,
            order.index(x.key) if x.key in REASONS else 0,
            x.key,
        )
    )
    return tuple(found)


def phase_times(f: Facts, rows: list[Row], now: dt.datetime) -> tuple[PhaseTime, ...]:
    """Days spent in each phase, over every stay of the selected pilots (the current
    stay counts up to now)."""
    spans: dict[str, list[int]] = defaultdict(list)
    created = {p.id: aware(p.created_at) for p in f.pilots}
    phases = {p.id: p.phase for p in f.pilots}
    order: list[str] = []
    for r in rows:
        start, phase = created[r.id], None
        moves = f.moves.get(r.id, [])
        if moves:
            phase = moves[0][1]
        for at, _old, new in moves:
            if phase is not None:
                spans[phase].append(days_between(start, at))
            start, phase = at, new
        phase = phase if moves else phases[r.id]
        if phase is not None:
            spans[phase].append(days_between(start, now))
        order += [ph for ph in spans if ph not in order]
    return tuple(
        PhaseTime(ph, len(spans[ph]), statistics.median(spans[ph]), min(spans[ph]), max(spans[ph]))
        for ph in order
    )


def production(
    f: Facts, chosen: set[str], books: dict[str, str], phase_ids: dict[str, list[str]]
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


def changes(f: Facts, rows: list[Row], since: dt.date) -> tuple[Change, ...]:
    start = dt.datetime.combine(since, dt.time(), dt.UTC)
    created = {p.id: aware(p.created_at) for p in f.pilots}
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


def quarter_ends(first: dt.datetime, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The end of each quarter from `first`'s to now's (that one ends now), at most
    TREND_QUARTERS of them."""
    out = []
    year, q = first.year, (first.month - 1) // 3
    while True:
        end_year, end_month = (year + 1, 1) if q == 3 else (year, q * 3 + 4)
        end = dt.datetime(end_year, end_month, 1, tzinfo=dt.UTC) - dt.timedelta(seconds=1)
        if end >= now:
            out.append((f"{year}-Q{q + 1}", now))
            return out[-TREND_QUARTERS:]
        out.append((f"{year}-Q{q + 1}", end))
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)


def trend(f: Facts, rows: list[Row], now: dt.datetime) -> tuple[Stalled, ...]:
    """How many of the selected pilots had stalled at each quarter's end, from the
    phase moves: the trend of "where they stall" without keeping anything more."""
    created = {p.id: aware(p.created_at) for p in f.pilots}
    chosen = [r.id for r in rows]
    if not chosen:
        return ()
    ends = quarter_ends(min(created[pid] for pid in chosen), now)
    at = [end for _q, end in ends]
    pilots, stalled = [0] * len(at), [0] * len(at)
    span = dt.timedelta(days=STALLED_DAYS)
    for pid in chosen:
        starts = [created[pid]] + [when for when, _old, _new in f.moves.get(pid, ())]
        last, j = len(starts) - 1, 0
        # Quarters ending before the pilot was made do not count it; for the others,
        # walk its phase starts along the quarter ends (both in time order).
        for i in range(bisect.bisect_left(at, starts[0]), len(at)):
            end = at[i]
            while j < last and starts[j + 1] <= end:
                j += 1
            pilots[i] += 1
            stalled[i] += end - starts[j] >= span
    return tuple(Stalled(q, pilots[i], stalled[i]) for i, (q, _end) in enumerate(ends))
