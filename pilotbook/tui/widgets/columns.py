"""Table columns that fit the terminal by giving way in a set order.

The words a row is about (a date, an owner, a verdict) are never cut; the
long free texts (a question, a title) shrink first, and the least needed one
goes altogether when even its shortest width does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A DataTable gives each column one cell of padding on either side.
PADDING = 2


@dataclass(frozen=True)
class Column:
    key: str
    want: int  # the width its longest value needs
    least: int = 0  # below this it goes (0: it is never cut, it keeps `want`)
    gives_way: int = 0  # 1 gives way first, then 2, ...; 0 never shrinks


def fit(columns: Sequence[Column], total: int) -> dict[str, int]:
    """Each kept column's width for a table `total` columns wide (dropped ones absent)."""
    widths = {c.key: c.want for c in columns}
    over = sum(w + PADDING for w in widths.values()) - total
    for c in sorted((c for c in columns if c.gives_way), key=lambda c: c.gives_way):
        if over <= 0:
            break
        room = widths[c.key] - c.least
        if room >= over:
            widths[c.key] -= over
            over = 0
        else:  # even at its least it does not fit: the column goes
            over -= widths.pop(c.key) + PADDING
    return widths
