"""Import problems name the lens's JSON path, never a line of the YAML made from it:
ids that read the same once shortened take a suffix with a warning, and a condition
too deep for the playbook is reported at the lens rule it came from."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from test_lens_errors import GOOD, write

from pilotbook.playbook.lens import LensError, LensProblem
from pilotbook.rules.playbooks import import_lens, load_playbook

Q = "$.pillars[0].questions"


def _two_questions(first: str, second: str) -> dict:
    data = copy.deepcopy(GOOD)
    questions = data["pillars"][0]["questions"]
    questions[0]["id"], questions[1]["id"] = first, second
    return data


@pytest.mark.parametrize("high", ["no-go", "not-ready"])
def test_ids_that_collide_once_shortened_take_a_suffix_and_a_warning(
    tmp_path: Path, high: str
) -> None:
    long = "q" * 70
    data = _two_questions(long + "-a", long + "-b")  # the same in their first 60 characters
    data["pillars"][0]["questions"][1]["riskRules"] = [{"condition": "1", "risk": "HIGH_RISK"}]
    warnings: list[LensProblem] = []
    text, playbook = import_lens(write(tmp_path, data), high=high, warnings=warnings)
    ids = [q.id for q in playbook.questions()]
    assert ids == ["q" * 60, "q" * 60 + "_2"]
    assert [w.path for w in warnings] == [f"{Q}[1].id"]
    assert "taken by an earlier one" in warnings[0].message
    gate_ids = [g.id for g in playbook.verdict]
    assert len(gate_ids) == len(set(gate_ids))  # gates too, whatever their shortening
    out = tmp_path / "out.yaml"
    out.write_text(text, encoding="utf-8")
    assert load_playbook(out) == playbook


def test_choice_ids_that_read_the_same_are_told_apart(tmp_path: Path) -> None:
    data = copy.deepcopy(GOOD)
    choices = data["pillars"][0]["questions"][0]["choices"]
    choices[0]["id"], choices[1]["id"] = "Ops.1-A", "ops_1_a"
    for rule in data["pillars"][0]["questions"][0]["riskRules"]:
        rule["condition"] = (
            rule["condition"].replace("ops_1_a", "Ops.1-A").replace("ops_1_b", "ops_1_a")
        )
    warnings: list[LensProblem] = []
    _, playbook = import_lens(write(tmp_path, data), warnings=warnings)
    assert [o.id for o in playbook.questions()[0].options][:2] == ["ops_1_a", "ops_1_a_2"]
    assert [w.path for w in warnings] == [f"{Q}[0].choices[1].id"]


def test_a_condition_too_deep_for_the_playbook_names_its_lens_rule(tmp_path: Path) -> None:
    data = copy.deepcopy(GOOD)
    deep = "ops_1_a"
    for i in range(30):  # the lens's own parser takes up to 50 levels; CEL here fewer
        deep = f"ops_1_{'ab'[i % 2]} {'&&' if i % 2 else '||'} ({deep})"
    data["pillars"][0]["questions"][0]["riskRules"][0]["condition"] = deep
    with pytest.raises(LensError) as e:
        import_lens(write(tmp_path, data), high="not-ready")
    lines = [str(p) for p in e.value.problems]
    assert lines, lines
    for line in lines:
        assert line.startswith(f"{tmp_path / 'lens.json'}: {Q}[0].riskRules"), line
        assert "(as a playbook)" not in line and "yaml" not in line.lower()
    assert any(f"{Q}[0].riskRules[0].condition:" in line for line in lines), lines
