"""The question kinds: what people type becomes the value, bounds and caps hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotbook.playbook import kinds, values
from pilotbook.playbook.kinds import ValueProblem
from pilotbook.rules.playbooks import load_playbook

BOOK = load_playbook(Path(__file__).parent / "kinds-test.yaml")


def q(question_id: str):  # type: ignore[no-untyped-def]
    return BOOK.question(question_id)


@pytest.mark.parametrize(
    ("question_id", "typed", "value"),
    [
        ("budget_rollout", "$40,000", 40000),
        ("budget_rollout", "40000 eur", 40000),
        ("budget_rollout", "EUR 40,000", 40000),
        ("budget_rollout", "€40k", 40000),
        ("budget_rollout", "40k", 40000),
        ("budget_rollout", "1.2m", 1200000),
        ("budget_rollout", "1,200.50", 1200.5),
        ("budget_rollout", "2.5 bn", 2500000000),
        ("budget_usd", "$40,000", 40000),
        ("budget_usd", "40,000 USD", 40000),
        ("users", "1,200", 1200),
        ("users", "1 200", 1200),
        ("users", "12k", 12000),
        ("users", "2.5e3", 2500),
        ("lead_time", "3 weeks", 21),
        ("lead_time", "1 week", 7),
        ("lead_time", "10 days", 10),
        ("lead_time", "12", 12),
        ("lead_time", "20 weeks", 140),
        ("lead_time", "36 hours", 1.5),
        ("share", "12.5%", 12.5),
        ("share", "12.5 %", 12.5),
        ("share", "40 percent", 40),
        ("users", "  ", None),
    ],
)
def test_numbers_read_as_people_type_them(question_id: str, typed: str, value: object) -> None:
    got = values.parse_text(q(question_id), typed)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    ("question_id", "typed", "message"),
    [
        ("users", "forty", "users: expected a number, got 'forty'"),
        ("users", "1,5", "users: expected a number, got '1,5'"),
        ("users", "inf", "users: expected a finite number, got 'inf'"),
        ("users", "-1", "users: must be at least 0"),
        ("budget_rollout", "0", "budget_rollout: must be at least 1"),
        ("budget_rollout", "40000 usd", "budget_rollout: expected an amount in EUR"),
        ("budget_rollout", "40000 dollars please", "budget_rollout: expected an amount in EUR"),
        ("budget_usd", "€5", "budget_usd: expected an amount in USD"),
        ("lead_time", "3 parsecs", "lead_time: expected a number of days"),
        ("lead_time", "2 months", "lead_time: expected a number of days"),
        ("lead_time", "11 years", "lead_time: expected a number of days"),
        ("share", "5", "share: must be at least 10"),
        ("share", "101%", "share: must be at most 100"),
        ("share", "40k", "share: expected a number"),
        ("users", "1" + "0" * 400, "users: numbers are at most 1,000,000,000,000,000 in size"),
        ("users", "1e400", "users: numbers are at most"),
        ("users", "10**400", "users: expected a number"),
    ],
)
def test_bad_numbers_say_why_on_one_line(question_id: str, typed: str, message: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        values.parse_text(q(question_id), typed)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("value", [10**400, -(10**400), float("inf"), float("nan"), 10**15 + 1])
def test_validate_refuses_numbers_that_do_not_fit(value: object) -> None:
    with pytest.raises(ValueProblem, match=r"^users: ") as caught:
        values.validate(q("users"), value)
    assert "\n" not in str(caught.value)


def test_min_and_max_hold_for_stored_values_too() -> None:
    with pytest.raises(ValueProblem, match=r"^budget_rollout: must be at least 1$"):
        values.validate(q("budget_rollout"), 0)
    assert values.validate(q("budget_rollout"), 1) == 1
    with pytest.raises(ValueProblem, match=r"^lead_time: must be at most 3,650$"):
        values.validate(q("lead_time"), 4000)


PLACEHOLDERS = [
    "TBD",
    "tbd.",
    " TBC ",
    "tba",
    "Nobody",
    "nobody yet",
    "None",
    "n/a",
    "N/A.",
    "na",
    "?",
    "??",
    "-",
    "Unknown",
    "someone",
    "To be decided",
    "TBD (ops lead)",
    "not yet!",
]


@pytest.mark.parametrize("typed", PLACEHOLDERS)
def test_a_person_placeholder_is_refused_with_one_readable_line(typed: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        values.parse_text(q("owner"), typed)
    message = str(caught.value)
    assert message.startswith("owner: ")
    assert "name a person, or mark the question not applicable" in message
    assert "\n" not in message


@pytest.mark.parametrize("typed", PLACEHOLDERS[:5])
def test_a_person_placeholder_in_a_table_cell_is_refused(typed: str) -> None:
    with pytest.raises(ValueProblem, match=r"^costs: row 1, column “Owner”: .*names nobody"):
        values.validate(q("costs"), [{"item": "licence", "owner": typed}])
    with pytest.raises(ValueProblem, match=r"^costs: column “Owner”: .*names nobody"):
        kinds.parse_row(q("costs"), {"item": "licence", "owner": typed})


@pytest.mark.parametrize("name", ["Ana Silva", "Ana Silva (ops lead)", "Tobias", "Nadia N."])
def test_real_names_pass(name: str) -> None:
    assert values.parse_text(q("owner"), name) == name
    assert kinds.counts_as_answer(q("owner"), name)


@pytest.mark.parametrize(
    ("question_id", "value", "counts"),
    [
        ("owner", None, False),
        ("owner", "  ", False),
        ("owner", "TBD", False),  # already in a store from before the check
        ("owner", "nobody yet", False),
        ("name", "", False),
        ("name", "x", True),
        ("systems", [], False),
        ("checks", {}, False),
        ("costs", [], False),
        ("users", 0, True),
        ("users", 10**400, False),
        ("regulated", False, True),
    ],
)
def test_counts_as_answer(question_id: str, value: object, counts: bool) -> None:
    assert kinds.counts_as_answer(q(question_id), value) is counts


def test_cel_value_never_overflows() -> None:
    assert kinds.cel_value(q("users"), 10**400) is None
    assert kinds.cel_value(q("users"), 3) == 3.0
    assert kinds.cel_value(q("owner"), "TBD") is None
    rows = kinds.cel_value(q("costs"), [{"item": "x", "cost": 10**400, "owner": "tbd"}])
    assert rows == [{"item": "x", "cost": None, "owner": None}]
    assert kinds.display(q("users"), 10**400).startswith("10,000")
    assert kinds.export_text(q("users"), 10**400).startswith("10,000")


@pytest.mark.parametrize(
    ("question_id", "value", "fragment"),
    [
        ("systems", ["x"] * 501, "at most 500 items"),
        ("systems", ["x" * 10_001], "item 1: at most 10,000 characters"),
        ("costs", [{"item": "x"}] * 501, "at most 500 rows"),
        ("costs", [{"item": "x" * 10_001}], "row 1, column “Item”: at most 10,000 characters"),
        ("channels", ["email"] * 501, "at most 500 picks"),
        ("name", "x" * 100_001, "at most 100,000 characters"),
        ("story", "x" * 100_001, "at most 100,000 characters"),
        ("systems", ["x" * 9_000] * 120, "at most 1,000,000 characters in all"),
    ],
)
def test_caps(question_id: str, value: object, fragment: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        values.validate(q(question_id), value)
    assert str(caught.value).startswith(f"{question_id}: ")
    assert fragment in str(caught.value)


def test_table_cells_typed_as_text_read_like_their_column() -> None:
    row = kinds.parse_row(
        q("costs"),
        {"item": " licence ", "cost": "$40,000", "share": "12%", "due": "2026-03-01"},
    )
    assert row == {"item": "licence", "cost": 40000, "share": 12, "due": "2026-03-01"}
    typed = '[{"item": "licence", "cost": "40k EUR", "signed": "yes"}]'
    assert values.parse_text(q("costs"), typed) == [
        {"item": "licence", "cost": 40000, "signed": True}
    ]
    with pytest.raises(ValueProblem, match=r"^costs: column “Item” needs a value$"):
        kinds.parse_row(q("costs"), {"cost": "5"})


@pytest.mark.parametrize("question", BOOK.questions(), ids=lambda x: x.id)
def test_every_kind_names_its_widget_and_schema(question) -> None:  # type: ignore[no-untyped-def]
    assert kinds.widget_name(question).endswith("Input")
    assert isinstance(kinds.answer_schema(question), dict)


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("users", 1234567),
        ("users", 2.5),
        ("users", 1e-07),
        ("lead_time", 21),
        ("budget_rollout", 40000),
        ("share", 12.5),
        ("systems", ["a; b"]),
        ("systems", ["a", "b, c"]),
        ("channels", ["email", "phone"]),
        ("checks", {"runbook": "pass"}),
        ("costs", [{"item": "x", "cost": 5}]),
        ("launch", "2026-03-01"),
        ("commitment", "exploring"),
    ],
)
def test_edit_text_reads_back_as_the_same_value(question_id: str, value: object) -> None:
    question = q(question_id)
    assert values.parse_text(question, kinds.edit_text(question, value)) == value


def test_a_table_shows_its_cells_in_the_playbooks_column_order() -> None:
    # A store may hand the row back with its keys sorted (PostgreSQL's jsonb does).
    stored = [{"signed": True, "item": "licence", "cost": 40000}]
    assert values.display(q("costs"), stored) == "licence | 40,000 EUR | yes"
