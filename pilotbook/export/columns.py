"""Column widths for the HTML tables, worked out from their text.

A browser and WeasyPrint size an automatic table by its longest word, so one
hash or address widens the table past the window or the paper; and once
`overflow-wrap: anywhere` lets such a word break, they may squeeze a date or
a name into two lines instead. So the page uses `table-layout: fixed` and
each table gets its widths here: a column is at least as wide as its longest
ordinary word, and the rest of the line is shared by how much text each
column holds.
"""

from __future__ import annotations

import math
import re
from typing import Any

# Characters, counted the way the widths are shared: a word longer than WORD
# (a hash, an address) may break; a cell's text counts up to TEXT.
WORD, TEXT, LINE = 14, 60, 100
_MARKUP = re.compile(r"\\(.)|\*\*|`")


def _plain(markdown: str) -> str:
    return _MARKUP.sub(lambda m: m.group(1) or "", markdown)


def widths(rows: list[list[str]]) -> list[float]:
    """Each column's share of the table's width in percent, for rows of cell texts."""
    n = max((len(r) for r in rows), default=0)
    if n == 0:
        return []
    word = [1] * n
    text = [1] * n
    for row in rows:
        for j, cell in enumerate(row[:n]):
            plain = _plain(cell)
            longest = max((len(w) for w in plain.split()), default=0)
            # Room for bold titles, wide digits and the cell's padding.
            word[j] = max(word[j], math.ceil(min(longest, WORD) * 1.15) + 2)
            text[j] = max(text[j], min(len(plain), TEXT) + 2)
    # Every column its longest word first, then what is left by the text beyond it.
    room = LINE - sum(word)
    # A word's room (padded) can exceed its cell's text: no column gives back room.
    extra = [max(0, t - w) for t, w in zip(text, word, strict=True)]
    if room <= 0 or sum(extra) == 0:
        chars = [float(w) for w in word]
    else:
        share = min(1.0, room / sum(extra))
        chars = [w + e * share for w, e in zip(word, extra, strict=True)]
    total = sum(chars)
    return [100 * c / total for c in chars]


def add_column_widths(state: Any) -> None:
    """A markdown-it core rule: note each table's column widths on its `table_open`."""
    tokens = state.tokens
    table: Any = None
    rows: list[list[str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            table, rows = tok, []
        elif tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open") and rows:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            rows[-1].append(nxt.content if nxt is not None and nxt.type == "inline" else "")
        elif tok.type == "table_close" and table is not None:
            table.meta["widths"] = widths(rows)
            table = None


def colgroup(shares: list[float]) -> str:
    cols = "".join(f'<col style="width: {s:.1f}%">' for s in shares)
    return f"<colgroup>{cols}</colgroup>\n" if cols else ""
