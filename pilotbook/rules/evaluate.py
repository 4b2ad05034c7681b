"""Evaluating conditions on one pilot's answers, remembering results by what they read.

celpy interprets a syntax tree, about a millisecond a condition, and the
default playbook has some 150 of them. But a condition only depends on the
answers it names: `answers.x`, `answers["x"]`, `na` and, in a risk rule,
`answer`. So a result is kept per (condition, the values it reads). The TUI
re-assessing after one answer changes, or a store-wide export where pilots
share many values, then pays only for the conditions whose inputs changed.

A condition that reads `answers` any other way (say `answers[k]` with a
computed `k`) is never remembered. Failures are remembered like results (the
same inputs fail the same way, and a failure that ran to its step budget is
the dearest evaluation of all), except one past its time budget, which a
quieter moment may not repeat.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from typing import Any

from pilotbook.rules.cel import STRING_LITERAL, CelActivation, CelError, compiled, prepare

_ANSWERS = re.compile(r"\banswers\b")
# After string literals are blanked to "", the only safe uses of `answers`.
_SAFE_USE = re.compile(r"\s*(?:\.\s*[A-Za-z_][A-Za-z0-9_]*|\[\s*\"\"\s*\])")
_NA = re.compile(r"\bna\b")
_ANSWER = re.compile(r"\banswer\b")
_NOTHING = object()
MAX_RESULTS = 200_000

_results: dict[tuple[str, str], bool | CelError] = {}
_lock = threading.Lock()


@lru_cache(maxsize=4096)
def _reads(text: str) -> tuple[tuple[str, ...], bool, bool] | None:
    """(answer ids, reads na, reads answer) for a condition, or None if it can't be told."""
    from pilotbook.rules.cel import referenced_answers

    blank = STRING_LITERAL.sub('""', text)
    for m in _ANSWERS.finditer(blank):
        if not _SAFE_USE.match(blank, m.end()):
            return None
    return referenced_answers(text), bool(_NA.search(blank)), bool(_ANSWER.search(blank))


class Evaluator:
    """Conditions over one set of answers (already as CEL sees them: numbers as doubles)."""

    def __init__(self, answers: dict[str, Any], na: list[str]) -> None:
        self.answers = answers
        self.na = na
        self._cel: CelActivation | None = None

    def _activation(self, answer: Any) -> CelActivation:
        if self._cel is None:
            self._cel = prepare({"answers": self.answers, "na": self.na})
        if answer is _NOTHING:
            return self._cel
        return prepare({"answer": answer}, base=self._cel)

    def holds(self, text: str, answer: Any = _NOTHING) -> bool:
        """Whether the condition holds; CelError when it cannot be evaluated."""
        reads = _reads(text)
        key = None
        if reads is not None:
            ids, reads_na, reads_answer = reads
            key = json.dumps(
                [
                    [self.answers.get(i) for i in ids],
                    self.na if reads_na else None,
                    answer if reads_answer and answer is not _NOTHING else None,
                ],
                sort_keys=True,
                default=str,
            )
            found = _results.get((text, key))
            if isinstance(found, CelError):
                raise CelError(found.message, found.column)
            if found is not None:
                return found
        try:
            result = compiled(text).holds(self._activation(answer))
        except CelError as e:
            if key is not None and not e.timed_out:
                _remember(text, key, e)
            raise
        if key is not None:
            _remember(text, key, result)
        return result


def _remember(text: str, key: str, result: bool | CelError) -> None:
    with _lock:
        if len(_results) >= MAX_RESULTS:
            _results.clear()
        _results[(text, key)] = result


def forget() -> None:
    """Drop every remembered result (tests measure cold runs with it)."""
    with _lock:
        _results.clear()
