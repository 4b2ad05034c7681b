"""Column widths of the HTML tables: every share positive, the whole line shared."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pilotbook.export.columns import widths

cells = st.text(alphabet="abc xyz-0123456789", max_size=80)


def test_a_column_of_one_long_word_never_gets_a_negative_width() -> None:
    # A 14-letter word needs more room than its own text counts (bold, padding).
    shares = widths([["Stalled", "Abcdefghijklmn"], ["x", "Abcdefghijklmn"]])
    assert all(s > 0 for s in shares) and abs(sum(shares) - 100) < 0.01


@given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8))
def test_every_share_is_positive_and_they_fill_the_line(rows: list[list[str]]) -> None:
    shares = widths(rows)
    assert all(s > 0 for s in shares) and abs(sum(shares) - 100) < 0.01
