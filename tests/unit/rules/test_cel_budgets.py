"""A playbook cannot hang pilotbook: conditions are held to budgets when the
playbook loads (nesting, estimated cost, names that exist) and when they run
(steps and time), and their errors never quote the evaluation context."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotbook.playbook.errors import PlaybookError
from pilotbook.rules import cel
from pilotbook.rules.cel import CelError, compiled
from pilotbook.rules.playbooks import load_playbook

HEAD = """\
id: budgets
version: 1
title: Budgets
phases:
  - {id: before, title: Before}
sections:
  - id: basics
    phase: before
    title: Basics
    questions:
      - {id: systems, ask: "Which systems?", type: list}
      - {id: name, ask: "Name?", type: text}
verdict:
"""


def _nested(depth: int) -> str:
    names = "abcdefghij"[:depth]
    text = " + ".join(names) + ' != ""'
    for n in reversed(names):
        text = f"answers.systems.all({n}, {text})"
    return text


def _problems(tmp_path: Path, condition: str) -> list[str]:
    body = HEAD + f"  - id: gate\n    if: '{condition}'\n    then: no-go\n    because: x\n"
    path = tmp_path / "b.yaml"
    path.write_text(body, encoding="utf-8")
    try:
        load_playbook(path)
    except PlaybookError as e:
        return [str(p) for p in e.problems]
    return []


def test_six_nested_all_macros_are_refused_with_line_and_column(tmp_path):
    [problem] = _problems(tmp_path, _nested(6))
    assert "b.yaml:15:" in problem and "nested more than 3 deep" in problem


def test_a_misspelt_variable_is_refused_with_line_and_column(tmp_path):
    [problem] = _problems(tmp_path, 'answerz.name == "x"')
    assert problem.startswith(str(tmp_path / "b.yaml") + ":15:10:")
    assert "unknown name `answerz`" in problem and "`answers`" in problem
    [problem] = _problems(tmp_path, 'answers.unknown_q == "x"')
    assert ":15:10:" in problem and "does not exist" in problem


def test_macro_variables_and_type_names_are_known(tmp_path):
    assert _problems(tmp_path, 'answers.systems.exists(s, string(s) == "crm")') == []
    assert _problems(tmp_path, _nested(3)) == []


def test_a_condition_too_long_or_too_deep_is_refused_before_parsing(tmp_path):
    with pytest.raises(CelError, match="nested more than"):
        compiled("(" * 1000 + "true" + ")" * 1000)
    with pytest.raises(CelError, match="characters"):
        compiled("true || " * 1000 + "true")
    [problem] = _problems(tmp_path, "(" * 30 + "true" + ")" * 30)
    assert ":15:34:" in problem  # the 25th bracket


def test_an_evaluation_over_its_step_budget_is_a_condition_error_not_a_hang():
    condition = compiled(_nested(4))  # passes the static check by nesting, not by size
    answers = {"answers": {"systems": [f"s{i}" for i in range(100)], "name": None}, "na": []}
    with pytest.raises(CelError, match="budget"):
        condition.holds(answers)


def test_an_evaluation_over_its_time_budget_stops(monkeypatch):
    monkeypatch.setattr(cel, "seconds_budget", lambda: 0.0)
    answers = {"answers": {"systems": [f"s{i}" for i in range(100)], "name": None}, "na": []}
    with pytest.raises(CelError, match="budget"):
        compiled(_nested(2)).holds(answers)


def test_an_error_never_quotes_the_evaluation_context():
    answers = {f"q{i}": "secret " * 20 for i in range(100)}
    with pytest.raises(CelError) as e:
        compiled('answerz.q0 == "x"').holds({"answers": answers, "na": []})
    assert "secret" not in str(e.value) and len(str(e.value)) <= 200
    assert "answerz" in str(e.value)


def test_the_shipped_playbooks_stay_well_inside_the_budgets():
    from pilotbook.rules import celcheck

    root = Path(__file__).resolve().parents[3] / "playbooks"
    for path in root.glob("*.yaml"):
        load_playbook(path)  # no budget problem
    assert celcheck.MAX_MACRO_NESTING >= 2  # room for a table checked against a list
