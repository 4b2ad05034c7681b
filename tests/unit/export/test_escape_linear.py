"""Escaping takes time in proportion to the text: any answer the store accepts
exports within the render budget.

Timings here are never held to an absolute figure: a long answer is compared
with a short one measured in the same run, with a bound twenty times
looser than what linear work needs (quadratic work needs a hundred times more).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotbook.export.escape import _emails, md_block, md_cell, md_inline
from pilotbook.playbook.kinds.base import MAX_TEXT

# What the escaping used to find addresses with: the spans must not change.
_EMAIL = re.compile(r"[A-Za-z0-9.+_-]+@[A-Za-z0-9._-]+")
# Runs of what an address is made of, with no `@`: each once took time in the
# square of its length.
LONG = {
    "letters": "a",
    "dotted": "a.",
    "signs": "a+b-c_",
    "ats": "a@",
    "urls": "x://www.",
    "markup": "*_`[|",
    "lines": "a\n \n",
}


def _best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1.+_-@ !:/x", max_size=40))
def test_addresses_are_found_where_the_pattern_found_them(text: str) -> None:
    assert _emails(text) == [m.span() for m in _EMAIL.finditer(text)]


@pytest.mark.parametrize("shape", LONG)
@pytest.mark.parametrize("escape", [md_inline, md_block, md_cell])
def test_escaping_grows_linearly_with_the_text(shape: str, escape: Callable[[str], str]) -> None:
    unit = LONG[shape]
    short, long = unit * (1_000 // len(unit)), unit * (MAX_TEXT // len(unit))
    base = _best(lambda: escape(short))
    # Linear: about 100 times the short text's time. Quadratic was 10,000 times.
    assert _best(lambda: escape(long), runs=1) < 20 * 100 * base + 0.5


def test_an_answer_of_the_longest_length_exports_like_a_short_one(store) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.workshop.review import export_documents

    ws, pilot, _ = store
    view = ws.pilots.open(pilot.id)
    long = [q.id for q in view.playbook.questions() if q.type == "longtext"][:3]
    times = {}
    for n in (1_000, MAX_TEXT):
        for qid in long:
            ws.answers.set(pilot.id, qid, "a" * n)
        times[n] = _best(lambda: export_documents(ws, pilot.id, ("brief",), "md"), runs=1)
    # Was 10 s per 100,000-character answer; linear escaping adds well under a second.
    assert times[MAX_TEXT] < 5 * times[1_000] + 3.0, times
