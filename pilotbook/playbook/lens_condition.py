"""Lens risk rule conditions: choice ids joined with `&&`, `||`, `!` and
parentheses, or `default` alone, read into a small tree."""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"\s*(?:(&&|\|\|)|([!()])|([A-Za-z0-9_][A-Za-z0-9_.\-]*)|(\S))")
MAX_DEPTH = 50


class ConditionError(ValueError):
    pass


def parse_condition(text: str) -> Any:
    """A lens condition as a tree: ("id", x), ("not", t), ("and", [t...]), ("or", [t...]).

    `default` alone is ("default",). `!` binds tighter than `&&`, and `&&`
    tighter than `||`.
    """
    if text.strip() == "default":
        return ("default",)
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # only trailing blanks are left
            break
        if m.group(4):
            raise ConditionError(f"unexpected {m.group(4)!r} at column {m.start(4) + 1}")
        kind = "op" if m.group(1) or m.group(2) else "id"
        tokens.append((kind, m.group(1) or m.group(2) or m.group(3), m.start() + 1))
        pos = m.end()
    if not tokens:
        raise ConditionError("the condition is empty")
    parser = _Parser(tokens)
    tree = parser.expr(0)
    if parser.i < len(tokens):
        raise ConditionError(f"unexpected {tokens[parser.i][1]!r} at column {tokens[parser.i][2]}")
    return tree


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]]) -> None:
        self.tokens, self.i = tokens, 0

    def _peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def expr(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise ConditionError("the condition is nested too deeply")
        parts = [self._and(depth)]
        while self._peek() == "||":
            self.i += 1
            parts.append(self._and(depth))
        return parts[0] if len(parts) == 1 else ("or", parts)

    def _and(self, depth: int) -> Any:
        parts = [self._unary(depth)]
        while self._peek() == "&&":
            self.i += 1
            parts.append(self._unary(depth))
        return parts[0] if len(parts) == 1 else ("and", parts)

    def _unary(self, depth: int) -> Any:
        if self.i >= len(self.tokens):
            raise ConditionError("the condition ends too early")
        kind, value, col = self.tokens[self.i]
        self.i += 1
        if value == "!":
            return ("not", self._unary(depth + 1))
        if value == "(":
            inner = self.expr(depth + 1)
            if self._peek() != ")":
                raise ConditionError(f"`(` at column {col} is never closed")
            self.i += 1
            return inner
        if kind == "id" and value != "default":
            return ("id", value)
        raise ConditionError(f"unexpected {value!r} at column {col}")


def names_in(tree: Any) -> list[str]:
    if tree[0] == "id":
        return [tree[1]]
    if tree[0] == "not":
        return names_in(tree[1])
    if tree[0] in ("and", "or"):
        return [n for t in tree[1] for n in names_in(t)]
    return []
