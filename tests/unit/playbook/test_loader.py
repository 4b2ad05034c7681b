"""Loading good playbooks, and the places and words of the problems in bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from playbook_paths import TINY, builtin_playbooks

from pilotbook.playbook.errors import PlaybookError, Problem
from pilotbook.playbook.loader import condition_texts
from pilotbook.rules.cel import Condition, compiled
from pilotbook.rules.playbooks import conditions, load_playbook, load_text


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(PlaybookError) as info:
        load_text(text, "pb.yaml")
    return list(info.value.problems)


def test_a_small_playbook_loads() -> None:
    playbook = load_text(TINY)
    assert playbook.id == "tiny"
    assert [q.id for q in playbook.questions()] == ["commit", "users"]
    assert playbook.question("commit").option_ids == ("committed", "exploring")


def test_conditions_are_compiled_at_load_and_shared() -> None:
    playbook = load_text(TINY)
    found = conditions(playbook)
    assert (
        set(found)
        == set(condition_texts(playbook))
        == {
            'answer == "committed"',
            'answers.commit == "committed"',
            'answers.commit != "committed"',
        }
    )
    assert all(isinstance(c, Condition) for c in found.values())
    # The engine's lookup returns the very object compiled while loading.
    assert compiled('answers.commit != "committed"') is found['answers.commit != "committed"']
    assert found['answers.commit != "committed"'].holds({"answers": {"commit": "exploring"}})


@pytest.mark.parametrize("path", builtin_playbooks(), ids=lambda p: p.stem)
def test_every_builtin_playbook_loads(path: Path) -> None:
    playbook = load_playbook(path)
    assert playbook.questions()
    for condition in conditions(playbook).values():
        assert condition.answers == tuple(a for a in condition.answers if playbook.question(a))


def test_the_builtin_playbooks_include_the_default_ones() -> None:
    names = {p.stem for p in builtin_playbooks()}
    assert "ai-pilot" in names


def test_problem_formats() -> None:
    assert str(Problem("a.yaml", 3, 7, "bad")) == "a.yaml:3:7: bad"
    assert str(Problem("a.yaml", 0, 0, "cannot read")) == "a.yaml: cannot read"
    error = PlaybookError([Problem("a", 1, 1, "x"), Problem("a", 2, 1, "y")])
    assert str(error) == "a:1:1: x\na:2:1: y"
    assert error.first.message == "x"


def test_a_missing_file_is_a_playbook_error(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="cannot read the file"):
        load_playbook(tmp_path / "nope.yaml")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: x\nversion: 1\ntitle: caf\xe9\n")
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    assert info.value.first.line == 3
    assert "not UTF-8" in info.value.first.message


def test_a_condition_error_points_inside_the_expression() -> None:
    text = TINY.replace(
        "    if: 'answers.commit != \"committed\"'", '    if: answers.commit = "committed"'
    )
    (problem,) = problems_of(text)
    # Line 24 is the verdict `if`; the `=` is column 24 of that line.
    assert (problem.line, problem.column) == (24, 24)
    assert "compare with `==`" in problem.message


def test_an_unknown_answer_points_at_its_name() -> None:
    text = TINY.replace('show_if: answers.commit == "committed"', "show_if: answers.comit == 1")
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (21, 18)
    assert "`answers.comit`" in problem.message and "did you mean `commit`" in problem.message


def test_an_unknown_key_points_at_the_key() -> None:
    text = TINY.replace("        type: text\n", "        type: text\n        hint: x\n")
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (21, 9)
    assert problem.message == "unknown key `hint` in question `users`"


def test_a_shorthand_option_error_points_at_its_key() -> None:
    text = TINY.replace(
        '{committed: "Yes", exploring: "Not yet"}', '{committed: "Yes", Exploring: "Not yet"}'
    )
    problems = problems_of(text)
    assert (problems[0].line, problems[0].column) == (14, 37)
    assert "'Exploring' is not a valid id" in problems[0].message


def test_answer_strings_inside_literals_are_not_references() -> None:
    text = TINY.replace(
        'show_if: answers.commit == "committed"',
        'show_if: \'answers.commit == "committed" || "answers.nope == 1" == "x"\'',
    )
    assert load_text(text).question("users").show_if is not None


def test_number_conditions_accept_int_literals() -> None:
    text = TINY.replace(
        "        type: text\n",
        "        type: text\n      - id: cost\n        ask: Cost?\n        type: money\n"
        "        risk:\n          - {if: answer > 100000, then: high}\n          - {then: none}\n",
    )
    playbook = load_text(text)
    rule = playbook.question("cost").risk[0]
    assert rule.if_ is not None
    assert compiled(rule.if_).holds({"answer": 250000.0})
    assert not compiled(rule.if_).holds({"answer": 100000.0})


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    text = "id: x\nversion: 1\ntitle: " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(PlaybookError):
        load_text(text)


def test_unhashable_key_is_a_yaml_problem() -> None:
    (problem,) = problems_of("? [a, b]\n: 1\n")
    assert problem.line == 1


def chain(n: int, closed: bool) -> str:
    """n questions, each shown only if the next one is answered yes."""
    last = "answers.q0 == true" if closed else "'true'"
    qs = "".join(
        f"      - {{id: q{i}, ask: Q, type: yesno, show_if: answers.q{i + 1} == true}}\n"
        for i in range(n)
    )
    qs += f"      - {{id: q{n}, ask: Q, type: yesno, show_if: {last}}}\n"
    return (
        "id: c\nversion: 1\ntitle: C\nphases: [{id: p, title: P}]\n"
        f"sections:\n  - id: s\n    phase: p\n    title: S\n    questions:\n{qs}"
    )


def test_a_long_show_if_cycle_is_found_without_recursion() -> None:
    # Longer than the recursion limit celpy sets (2500): a recursive search
    # would die here.
    assert len(load_text(chain(40, closed=False)).questions()) == 41
    (problem,) = problems_of(chain(2600, closed=True))
    assert problem.line == 10
    assert problem.message.startswith("show_if cycle: q0 → q1 → q2 → q3 → ... 2596 more")
    assert problem.message.endswith("q2600 → q0 (each waits on the next)")


def test_problems_in_shorthand_entries_name_the_entry() -> None:
    text = TINY.replace(
        '{committed: "Yes", exploring: "Not yet"}',
        '{committed: {label: "Yes", halp: x}, exploring: {}}',
    )
    messages = [p.message for p in problems_of(text)]
    assert "unknown key `halp` in option `committed` (did you mean `help`?)" in messages
    assert "missing required key `label` in option `exploring`" in messages


def test_a_folded_condition_says_the_column_inside_it() -> None:
    # Folding joins lines, so a file position is unknown: the message says
    # where in the condition instead, and the place is the condition's start.
    text = TINY.replace(
        "    if: 'answers.commit != \"committed\"'",
        '    if: >-\n      answers.commit !=\n      "committed" )',
    )
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (24, 9)
    assert problem.message.endswith("unexpected `)` (column 31 of the condition)")


def test_templates_a_playbook_names_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "pb.yaml"
    path.write_text(TINY + "templates:\n  brief: brief.md.j2\n  charter: charter.md.j2\n")
    (tmp_path / "brief.md.j2").write_text("# {{ pilot.name }}\n")
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (29, 12)
    assert problem.message == f"charter template `charter.md.j2` not found in {tmp_path}"
    (tmp_path / "charter.md.j2").write_text("x\n")
    assert load_playbook(path).templates is not None


SCALE = (
    "rounds:\n  confidence_scale:\n    - No way\n    - Unlikely\n    - Maybe\n"
    "    - Likely\n    - Certain\n"
)


def test_a_playbook_words_the_confidence_scale() -> None:
    playbook = load_text(TINY + SCALE)
    assert playbook.rounds is not None
    assert playbook.rounds.confidence_scale == ("No way", "Unlikely", "Maybe", "Likely", "Certain")
    assert load_text(TINY).rounds is None  # left out: the default wording


@pytest.mark.parametrize(
    ("scale", "says"),
    [
        ("[Low, Mid, High]", "has five points, from 1 (lowest) to 5; this one has 3"),
        ("[a, b, c, d, e, f]", "this one has 6"),
        ('["", b, c, d, e]', "must not be empty"),
        ("Low to high", "expected a list"),
    ],
)
def test_a_confidence_scale_has_five_worded_points(scale: str, says: str) -> None:
    (problem,) = problems_of(TINY + f"rounds:\n  confidence_scale: {scale}\n")
    assert problem.line == 28  # the scale's own line
    assert problem.message.startswith("`confidence_scale`") and says in problem.message
