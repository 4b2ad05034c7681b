"""Where the real lenses are, and a small evaluator of lens risk rules of our own.

The evaluator is written here on purpose, apart from the converter: the tests
compare the converter's CEL with what the lens's rules say, read directly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# The shared fixtures sit beside the checkout, or beside the folder of worktrees.
LENSES = next(
    (
        d / "shared" / "fixtures" / "lenses"
        for d in (REPO.parent, REPO.parent.parent)
        if (d / "shared" / "fixtures" / "lenses").is_dir()
    ),
    REPO.parent / "shared" / "fixtures" / "lenses",
)


def fixture_lenses() -> list[Path]:
    if not LENSES.is_dir():
        return []
    return sorted(LENSES.glob("*.json"))


def need_lenses() -> list[Path]:
    found = fixture_lenses()
    if not found:
        pytest.skip(f"the shared lens fixtures are not at {LENSES}")
    return found


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def holds(condition: str, chosen: set[str]) -> bool:
    """Whether a lens condition holds for the chosen choice ids."""
    if condition.strip() == "default":
        return True
    tokens = re.findall(r"&&|\|\||[!()]|[^\s!()&|]+", condition)
    value, rest = _or(tokens, chosen)
    assert not rest, f"left over: {rest}"
    return value


def _or(tokens: list[str], chosen: set[str]) -> tuple[bool, list[str]]:
    value, tokens = _and(tokens, chosen)
    while tokens and tokens[0] == "||":
        right, tokens = _and(tokens[1:], chosen)
        value = value or right
    return value, tokens


def _and(tokens: list[str], chosen: set[str]) -> tuple[bool, list[str]]:
    value, tokens = _not(tokens, chosen)
    while tokens and tokens[0] == "&&":
        right, tokens = _not(tokens[1:], chosen)
        value = value and right
    return value, tokens


def _not(tokens: list[str], chosen: set[str]) -> tuple[bool, list[str]]:
    head, tokens = tokens[0], tokens[1:]
    if head == "!":
        value, tokens = _not(tokens, chosen)
        return not value, tokens
    if head == "(":
        value, tokens = _or(tokens, chosen)
        assert tokens[0] == ")"
        return value, tokens[1:]
    return head in chosen, tokens


LEVEL = {"HIGH_RISK": "high", "MEDIUM_RISK": "medium", "NO_RISK": "none"}


def lens_risk(question: dict, chosen: set[str]) -> str:
    """The risk the lens gives a question answered with `chosen`: first rule that holds."""
    for rule in question["riskRules"]:
        if holds(rule["condition"], chosen):
            return LEVEL[rule["risk"]]
    return "none"
