"""Numbers reach CEL as doubles; conditions written with int literals must still work."""

from __future__ import annotations

import pytest

from pilotbook.rules.cel import CelError, compile_condition, compiled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("answers.n > 3", True),
        ("answers.n == 4", True),
        ("4 == answers.n", True),
        ("answers.n != 4", False),
        ("answers.n >= 4 && answers.n <= 4", True),
        ("answers.n in [4, 5]", True),
        ("answers.n > 3.5", True),
        ("answers.n == null", False),
        ("answers.gone == null", True),
        ("answers.gone != null && answers.gone > 3", False),
    ],
)
@pytest.mark.parametrize("n", [4.0, 4])
def test_int_literals_compare_with_double_answers(text: str, expected: bool, n: float) -> None:
    assert compile_condition(text).holds({"answers": {"n": n, "gone": None}}) is expected


def test_ordering_a_null_is_still_an_error() -> None:
    with pytest.raises(CelError):
        compile_condition("answers.n > 3").holds({"answers": {"n": None}})


@pytest.mark.parametrize(
    ("text", "fragment", "column"),
    [
        ("answers.x = 1", "compare with `==`", 11),
        ('answers.x == "a', "string is not closed", 14),
        ("answers.x == ", "ends too early", None),
        ("true false", "unexpected `false`", 6),
        ("   ", "empty", None),
        ("answers.x $ 2", "unexpected character `$`", 11),
    ],
)
def test_syntax_errors_say_what_and_where(text: str, fragment: str, column: int | None) -> None:
    with pytest.raises(CelError) as info:
        compile_condition(text)
    assert fragment in info.value.message
    if column is not None:
        assert info.value.column == column


def test_compiled_is_memoised() -> None:
    assert compiled("answers.a == 1") is compiled("answers.a == 1")
