"""Any answer the store accepts gets a verdict: the shipped playbook's
conditions read a table or list at its maximum size within their budgets."""

from __future__ import annotations

from typing import Any

from ai_pilot_answers import good_answers, load_playbook

from pilotbook.playbook.kinds import MAX_ITEMS, MAX_ROWS
from pilotbook.rules import assess, evaluate


def _largest(book: Any) -> dict[str, Any]:
    """Every table at its most rows and every list at its most items, kept
    varied so the rules cannot stop at the first row."""
    answers = good_answers()
    for q in book.questions():
        value = answers.get(q.id)
        if q.type == "table" and isinstance(value, list) and value:
            answers[q.id] = (value * (MAX_ROWS // len(value) + 1))[:MAX_ROWS]
        elif q.type == "list":
            answers[q.id] = [f"item {i}" for i in range(MAX_ITEMS)]
    return answers


def test_tables_and_lists_at_their_maximum_size_get_a_verdict() -> None:
    book = load_playbook()
    evaluate.forget()
    result = assess(book, {"answers": _largest(book), "na": []})
    assert [p.message for p in result.problems] == []
    assert result.verdict == "go"
