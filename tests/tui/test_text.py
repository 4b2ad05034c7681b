"""Typed text in an editable field: shown without terminal codes, saved back as typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pilotbook.tui.text import editable, restore


def test_an_escape_sequence_cannot_reach_the_terminal_from_a_field():
    shown = editable("before\x1b[2J\x1b[31mred\x1b[0m\x07after\n\tnext")
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "before␛[2J␛[31mred␛[0m␇after\n\tnext"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2500)))
def test_a_field_gives_back_what_it_was_given(text: str):
    # Control pictures typed on their own are the one thing that does not round-trip.
    text = "".join(c for c in text if not 0x2400 <= ord(c) <= 0x2421)
    assert restore(editable(text)) == text
