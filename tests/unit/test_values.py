"""Answer values: parsing what people type, checking shapes, showing one line."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pilotbook.playbook.model import Playbook
from pilotbook.playbook.values import ValueProblem, display, parse_text, validate

BOOK = Playbook.model_validate(
    yaml.safe_load(
        (Path(__file__).parent / "store" / "playbooks" / "store-test.yaml").read_text("utf-8")
    )
)


def q(question_id: str):  # type: ignore[no-untyped-def]
    return BOOK.question(question_id)


@pytest.mark.parametrize(
    ("question_id", "typed", "value"),
    [
        ("name", "  Helper bot  ", "Helper bot"),
        ("story", "\nline one\nline two\n", "line one\nline two"),
        ("commitment", "committed", "committed"),
        ("commitment", "yes, BUDGET and date", "committed"),
        ("channels", "email, Chat", ["email", "chat"]),
        ("channels", "chat; email; chat", ["email", "chat"]),
        ("channels", '["phone"]', ["phone"]),
        ("regulated", "Yes", True),
        ("regulated", "n", False),
        ("users", "1,200", 1200),
        ("users", "2.5", 2.5),
        ("budget", "€12,500", 12500),
        ("budget", "12500 EUR", 12500),
        ("accuracy", "92.5%", 92.5),
        ("launch", "2026-03-01", "2026-03-01"),
        ("owner", "Ana Silva (ops lead)", "Ana Silva (ops lead)"),
        ("systems", "CRM, the EU one; ticketing", ["CRM, the EU one", "ticketing"]),
        ("systems", '["a", " b "]', ["a", "b"]),
        ("checks", "runbook=pass; alerts=FAIL", {"runbook": "pass", "alerts": "fail"}),
        ("checks", '{"access": "unknown"}', {"access": "unknown"}),
        (
            "baselines",
            '[{"metric": "AHT", "value": 5, "kind": "time"}, {"metric": ""}]',
            [{"metric": "AHT", "value": 5, "kind": "time"}],
        ),
        # Cells read numbers as fields do: "6%" in a number column with no unit is 6.
        ("baselines", '[{"metric": "Errors", "value": "6%"}]', [{"metric": "Errors", "value": 6}]),
    ],
)
def test_typed_text_becomes_the_stored_shape(question_id, typed, value):
    assert parse_text(q(question_id), typed) == value


@pytest.mark.parametrize(
    ("question_id", "typed", "expected"),
    [
        ("commitment", "maybe", "one of committed, exploring"),
        ("channels", "email, fax", "one of email, chat, phone"),
        ("regulated", "perhaps", "yes or no"),
        ("users", "forty", "a number"),
        ("users", "-3", "must be at least 0"),
        ("users", "nan", "a finite number"),
        ("accuracy", "120%", "must be at most 100"),
        ("launch", "01/03/2026", "YYYY-MM-DD"),
        ("launch", "2026-02-30", "YYYY-MM-DD"),
        ("checks", "runbook=done", "pass, fail or unknown"),
        ("checks", "nothing=pass", "item ids"),
        ("baselines", "not json", "rows as JSON"),
        ("baselines", '[{"value": 3}]', "row 1: column “Metric” needs a value"),
        (
            "baselines",
            '[{"metric": "x", "value": "lots"}]',
            "row 1, column “Value”: expected a number",
        ),
        ("baselines", '[{"metric": "x", "colour": 1}]', "columns among"),
    ],
)
def test_bad_text_names_the_question_and_what_was_expected(question_id, typed, expected):
    with pytest.raises(ValueProblem) as caught:
        parse_text(q(question_id), typed)
    message = str(caught.value)
    assert message.startswith(f"{question_id}: ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("name", 5),
        ("commitment", ["committed"]),
        ("regulated", 1),
        ("regulated", "yes"),
        ("users", True),
        ("users", "5"),
        ("launch", 20260301),
        ("systems", "a"),
        ("systems", [1]),
        ("checks", ["runbook"]),
        ("baselines", {"metric": "x"}),
    ],
)
def test_validate_refuses_the_wrong_json_shape(question_id, value):
    with pytest.raises(ValueProblem, match=f"^{question_id}: expected"):
        validate(q(question_id), value)


@pytest.mark.parametrize(
    ("question_id", "value"),
    [("name", "   "), ("story", "\n"), ("channels", []), ("systems", [" "]), ("checks", {})],
)
def test_an_empty_answer_is_none(question_id, value):
    assert validate(q(question_id), value) is None


def test_validate_normalises():
    assert validate(q("users"), 3.0) == 3 and isinstance(validate(q("users"), 3.0), int)
    assert validate(q("channels"), ["phone", "email", "phone"]) == ["email", "phone"]
    assert validate(q("checks"), {"alerts": "pass", "runbook": "fail"}) == {
        "runbook": "fail",
        "alerts": "pass",
    }


@pytest.mark.parametrize(
    ("question_id", "value", "shown"),
    [
        ("name", "Helper", "Helper"),
        ("story", "one\n\ntwo", "one / two"),
        ("commitment", "exploring", "We will see"),
        ("channels", ["email", "phone"], "Email; Phone"),
        ("regulated", False, "no"),
        ("users", 1234567, "1,234,567"),
        ("users", 2.25, "2.25"),
        ("budget", 1500, "1,500 EUR"),
        ("accuracy", 90, "90%"),
        ("launch", "2026-03-01", "2026-03-01"),
        ("systems", ["CRM", "ERP"], "CRM; ERP"),
        ("baselines", [{"metric": "AHT", "kind": "time"}], "AHT | Time"),
        ("checks", {"runbook": "pass", "alerts": "fail", "access": "unknown"}, None),
        ("name", None, ""),
    ],
)
def test_display_is_one_plain_line(question_id, value, shown):
    text = display(q(question_id), value)
    assert "\n" not in text
    if shown is not None:
        assert text == shown
    else:
        assert text == "1/3 pass, fail: alerts, 1 unknown"


def test_display_of_a_value_of_another_shape_falls_back_to_json():
    # An answer saved before the question changed type is shown, never lost.
    assert display(q("regulated"), "sometimes") == '"sometimes"'
    assert display(q("users"), ["a"]) == '["a"]'


def test_a_choice_that_was_removed_shows_its_id():
    assert display(q("commitment"), "retired_option") == "retired_option"


def test_markup_in_text_is_kept_literally():
    hostile = "[bold]x[/bold] <script>| # heading"
    assert parse_text(q("name"), hostile) == hostile
    assert display(q("name"), hostile) == hostile


# ---------------------------------------------------------------- properties

_any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(question_id=st.sampled_from([x.id for x in BOOK.questions()]), value=_any_json)
def test_any_json_is_either_refused_with_one_line_or_stored_stably(question_id, value):
    question = q(question_id)
    try:
        clean = validate(question, value)
    except ValueProblem as e:
        assert str(e).startswith(f"{question_id}: ") and "\n" not in str(e)
        return
    assert validate(question, clean) == clean  # saving it again changes nothing
    assert "\n" not in display(question, clean)


@given(text=st.text(max_size=40))
def test_typed_text_never_escapes_as_anything_but_a_value_problem(text):
    for question in BOOK.questions():
        with contextlib.suppress(ValueProblem):
            parse_text(question, text)
