"""Whatever the input, the loader answers with a playbook or a PlaybookError: never
another exception, and every problem has a place inside the file."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playbook_paths import PLAYBOOKS

from pilotbook.playbook.errors import PlaybookError
from pilotbook.playbook.model import Playbook
from pilotbook.rules.cel import compiled
from pilotbook.rules.playbooks import load_text

# celpy raises the recursion limit when it first starts; let it do so before
# hypothesis takes note of the limit.
compiled("true")

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REAL = {p.stem: p.read_text(encoding="utf-8") for p in sorted(PLAYBOOKS.glob("*.yaml"))}
REAL_DATA = {name: yaml.safe_load(text) for name, text in REAL.items()}


def check(text: str) -> None:
    try:
        result = load_text(text, "fuzz.yaml")
    except PlaybookError as e:
        lines = text.count("\n") + 2
        for p in e.problems:
            assert p.file == "fuzz.yaml"
            assert 0 < p.line <= lines and p.column > 0, p
            assert p.message and "\n" not in p.message, p
        return
    assert isinstance(result, Playbook)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["yes", "no", "choice", "answers.q1 == 1", "15m", "high", "no-go"]),
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    check(text)


def test_text_that_is_not_unicode() -> None:
    check("id: x\ntitle: \ud800\n")


@FAST
@given(junk)
def test_random_yaml_data(data: Any) -> None:
    check(dump(data))


ids = st.sampled_from(["q1", "q2", "q3", "before", "Bad Id", "", "x" * 70, "yes"])
conditions = st.sampled_from(
    [
        'answers.q1 == "a"',
        'answers.q2 == "zz"',
        "answers.q3 > 3",
        "answers.nope != null",
        "answer == 'a'",
        "answers.q1 ==",
        "answers.q2 != null && answers.q1 in ['a', 'b']",
        '"a" in answers.q2',
        "answers.q1.item == 'pass'",
        "true",
        "1 +",
    ]
)
question = st.fixed_dictionaries(
    {
        "id": ids,
        "ask": st.sampled_from(["Why?", ""]),
        "type": st.sampled_from(
            ["text", "choice", "multichoice", "yesno", "number", "table", "checklist", "blob"]
        ),
    },
    optional={
        "options": st.one_of(
            st.dictionaries(ids, st.sampled_from(["A", ""]), max_size=3),
            st.lists(st.fixed_dictionaries({"id": ids, "label": st.just("L")}), max_size=3),
        ),
        "items": st.dictionaries(ids, st.just("Item"), max_size=3),
        "columns": st.lists(st.fixed_dictionaries({"id": ids, "title": st.just("T")}), max_size=2),
        "show_if": conditions,
        "required": st.booleans() | st.just("maybe"),
        "risk": st.lists(
            st.fixed_dictionaries(
                {"then": st.sampled_from(["high", "none", "low"])}, optional={"if": conditions}
            ),
            max_size=3,
        ),
        "min": st.integers(0, 5) | st.just("x"),
    },
)
playbooks = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["pb", "Bad"]),
        "version": st.sampled_from([1, 0, "one"]),
        "title": st.just("T"),
        "phases": st.lists(st.fixed_dictionaries({"id": ids, "title": st.just("P")}), max_size=2),
        "sections": st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids,
                    "phase": ids,
                    "title": st.just("S"),
                    "questions": st.lists(question, max_size=4),
                },
                optional={"timebox": st.sampled_from(["15m", "soon"])},
            ),
            max_size=3,
        ),
    },
    optional={
        "verdict": st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids,
                    "if": conditions,
                    "then": st.sampled_from(["no-go", "go"]),
                    "because": st.just("B"),
                },
                optional={"questions": st.lists(ids, max_size=2)},
            ),
            max_size=2,
        )
    },
)


@FAST
@given(playbooks)
def test_generated_playbooks(data: dict[str, Any]) -> None:
    check(dump(data))


def _mutate(data: Any, draw: Any) -> Any:
    """One random change somewhere in the tree: delete, duplicate or retype a node."""
    if isinstance(data, dict) and data and draw(st.integers(0, 3)):
        key = draw(st.sampled_from(sorted(data, key=str)))
        op = draw(st.sampled_from(["descend", "descend", "delete", "retype", "rename"]))
        copy = dict(data)
        if op == "descend":
            copy[key] = _mutate(data[key], draw)
        elif op == "delete":
            del copy[key]
        elif op == "retype":
            copy[key] = draw(junk)
        else:
            copy[draw(st.sampled_from(["id", "ask", "if", "zz", str(key) + "x"]))] = copy.pop(key)
        return copy
    if isinstance(data, list) and data and draw(st.integers(0, 3)):
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["descend", "descend", "delete", "duplicate", "retype"]))
        copy = list(data)
        if op == "descend":
            copy[i] = _mutate(data[i], draw)
        elif op == "delete":
            del copy[i]
        elif op == "duplicate":
            copy.insert(i, data[i])
        else:
            copy[i] = draw(junk)
        return copy
    return draw(junk)


@settings(FAST, max_examples=100)
@given(st.data())
def test_mutated_real_playbooks(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(REAL_DATA)))
    mutated = REAL_DATA[name]
    for _ in range(data.draw(st.integers(1, 3))):
        mutated = _mutate(mutated, data.draw)
    check(dump(mutated))


@settings(FAST, max_examples=100)
@given(st.data())
def test_real_playbook_text_with_a_line_broken(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(REAL)))
    lines = REAL[name].splitlines(keepends=True)
    i = data.draw(st.integers(0, len(lines) - 1))
    change = data.draw(st.sampled_from(["delete", "duplicate", "indent", "insert"]))
    if change == "delete":
        del lines[i]
    elif change == "duplicate":
        lines.insert(i, lines[i])
    elif change == "indent":
        lines[i] = " " + lines[i]
    else:
        col = data.draw(st.integers(0, max(0, len(lines[i]) - 1)))
        lines[i] = (
            lines[i][:col]
            + data.draw(st.sampled_from(list(":-[]{}'\"#&*!|>%@`\t")))
            + lines[i][col:]
        )
    check("".join(lines))
