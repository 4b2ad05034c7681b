"""The playbook made from a lens grows with the lens: the CEL written for risk rules
and gates is linear in the lens's conditions, never their square, and a lens at the
Well-Architected Tool's limits imports at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from lens_gen import dumps, make_lens

from pilotbook.playbook.lens import convert
from pilotbook.rules.playbooks import import_lens


def _cel_chars(data: dict) -> int:
    """Characters of every condition in a converted playbook."""
    rules = [r for s in data["sections"] for q in s["questions"] for r in q["risk"]]
    return sum(len(r.get("if", "")) for r in rules) + sum(len(g["if"]) for g in data["verdict"])


def _lens_chars(lens: dict) -> int:
    return sum(
        len(r["condition"]) for p in lens["pillars"] for q in p["questions"] for r in q["riskRules"]
    )


@pytest.mark.parametrize(("high", "medium"), [("no-go", "conditional"), ("not-ready", "not-ready")])
def test_generated_conditions_grow_linearly_with_the_choices(high: str, medium: str) -> None:
    # One risk rule per choice: the rules grow with the choices, as in a lens that
    # rates each choice on its own. Per unit of lens condition, the CEL stays flat.
    per_unit = {}
    for choices in (3, 6, 12, 15):
        lens = make_lens(1, 1, choices)
        per_unit[choices] = _cel_chars(convert(lens, high=high, medium=medium)) / _lens_chars(lens)
    # (Quadratic CEL would grow five-fold from 3 to 15 choices; a fixed part per
    # question makes the smallest lens a little cheaper per unit.)
    assert max(per_unit.values()) <= 1.5 * min(per_unit.values()), per_unit
    assert max(per_unit.values()) < 20


def test_a_lens_at_the_tools_limits_imports(tmp_path: Path) -> None:
    lens = make_lens(10, 20, 15, per_choice=False)
    path = tmp_path / "big.json"
    path.write_text(dumps(lens), encoding="utf-8")
    assert path.stat().st_size <= 500 * 1024
    text, playbook = import_lens(path)
    assert len(playbook.questions()) == 200
    # The playbook is about as big as the lens, not a multiple of its square.
    assert len(text) < 2 * path.stat().st_size
