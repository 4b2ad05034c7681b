"""Today's session: which sections it covers and how long each gets (pure functions).

A playbook's timeboxes add up to a whole programme (hours over several
phases); a workshop is one sitting of, say, 90 minutes. The facilitator picks
the sections for today (by default the current phase's open ones) and the
timeboxes are scaled to fit the session, shorter as well as longer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MINUTE = 60
DEFAULT_SESSION_MINUTES = 90
# A section kept in the session gets at least this much: a timebox of no time is no plan.
SHORTEST = 5 * MINUTE


def default_sections(
    sections: Sequence[tuple[str, str]], phase: str, open_ids: Iterable[str]
) -> list[str]:
    """The current phase's sections still open; every section of the phase if none is.

    `sections` is (section id, phase id) in playbook order.
    """
    open_set = set(open_ids)
    in_phase = [sid for sid, p in sections if p == phase]
    return [sid for sid in in_phase if sid in open_set] or in_phase


def fit(boxes: Sequence[tuple[str, int | None]], length: int) -> dict[str, int]:
    """Each section's seconds for a session of `length` seconds, in proportion to the
    playbook's timeboxes (a section without one counts as the average), in whole
    minutes that add up to the length exactly (never below `SHORTEST` each, which
    may run over a session too short for its sections)."""
    if not boxes:
        return {}
    known = [b for _, b in boxes if b]
    average = sum(known) / len(known) if known else float(MINUTE * 15)
    weights = [(sid, float(b) if b else average) for sid, b in boxes]
    total = sum(w for _, w in weights)
    minutes = max(length // MINUTE, 0)
    floor = SHORTEST // MINUTE
    raw = {sid: minutes * w / total for sid, w in weights}
    out = {sid: max(int(r), floor) for sid, r in raw.items()}
    # Hand the minutes rounding left over to the largest remainders (Hamilton's method).
    left = minutes - sum(out.values())
    by_remainder = sorted(raw, key=lambda sid: raw[sid] - int(raw[sid]), reverse=True)
    for sid in by_remainder[: max(left, 0)]:
        out[sid] += 1
    return {sid: m * MINUTE for sid, m in out.items()}
