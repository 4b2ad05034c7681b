"""The registry of question kinds: everything pilotbook knows about a question type.

Each type (text, money, table, ...) is one `Kind` object that validates a
stored or JSON value, parses what somebody typed, shows a value on one line
(app and CLI), writes it for an export, hands it to CEL, describes it in JSON
Schema and names its input widget. The CLI, the app's inputs and table cell
editors, the exports and the service all go through the functions below, so a
value typed anywhere is read the same way. Adding a type: a `Kind` here, one
input widget in `pilotbook/tui/widgets/`, and the docs.

No textual import here: the TUI imports this, never the reverse.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pilotbook.playbook.kinds import many
from pilotbook.playbook.kinds.base import (
    MAX_ANSWER,
    MAX_ITEM,
    MAX_ITEMS,
    MAX_NAME,
    MAX_NUMBER,
    MAX_ROWS,
    MAX_TEXT,
    Cell,
    Kind,
    ValueProblem,
    cell_of,
)
from pilotbook.playbook.kinds.many import (
    CHECK_STATES,
    ChecklistKind,
    ListKind,
    MultiChoiceKind,
    TableKind,
)
from pilotbook.playbook.kinds.numbers import MoneyKind, NumberKind, PercentKind, finite, number_text
from pilotbook.playbook.kinds.scalar import (
    ChoiceKind,
    DateKind,
    LongTextKind,
    PersonKind,
    TextKind,
    YesNoKind,
    is_placeholder,
)

__all__ = [
    "CHECK_STATES",
    "KINDS",
    "MAX_ANSWER",
    "MAX_ITEM",
    "MAX_ITEMS",
    "MAX_NAME",
    "MAX_NUMBER",
    "MAX_ROWS",
    "MAX_TEXT",
    "Cell",
    "Kind",
    "ValueProblem",
    "answer_schema",
    "cel_answers",
    "cel_value",
    "counts_as_answer",
    "display",
    "edit_text",
    "export_text",
    "finite",
    "is_placeholder",
    "kind",
    "number_text",
    "parse",
    "parse_row",
    "plain_text",
    "validate",
    "widget_name",
]

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        TextKind(),
        LongTextKind(),
        ChoiceKind(),
        MultiChoiceKind(),
        YesNoKind(),
        NumberKind(),
        MoneyKind(),
        PercentKind(),
        DateKind(),
        PersonKind(),
        ListKind(),
        TableKind(),
        ChecklistKind(),
    )
}


def kind(type_name: str) -> Kind:
    return KINDS[type_name]


def validate(q: Any, value: Any) -> Any:
    """A stored or JSON value checked against the question and normalised; None when empty."""
    if value is None:
        return None
    return KINDS[q.type].check(q, value)


def parse(q: Any, text: str) -> Any:
    """What somebody typed (CLI argument, app field, table cell), as the stored value."""
    return KINDS[q.type].parse(q, text)


def parse_row(q: Any, typed: Mapping[str, Any]) -> dict[str, Any]:
    """A table row from an editor: text cells parsed, picked cells checked, required ones there.

    Errors read `question: column id: ...`; a row with every cell blank is refused.
    """
    try:
        row = many.check_row(q, 1, {k: v for k, v in typed.items() if v is not None}, typed=True)
    except ValueProblem as e:
        detail = e.detail.removeprefix("row 1, ").removeprefix("row 1: ")
        raise ValueProblem.say(q.id, detail) from None
    if not row:
        raise ValueProblem.say(q.id, "the row is empty")
    missing = [c for c in q.columns if c.required and c.id not in row]
    if missing:
        name = many.column_name(cell_of(q, missing[0]))
        raise ValueProblem.say(q.id, f"column {name} needs a value")
    return row


def read_number(name: str, value: Any, unit: str | None = None) -> int | float:
    """A number given outside a question (a measurement): typed text is read as a
    number field reads it (`1,200`, `6%`, `2 days` for a unit of hours), a number is
    held to the same range. ValueProblem names `name`."""
    from pilotbook.playbook.kinds.numbers import check_number, parse_number

    stand_in = Cell(id=name, type="number", unit=unit)
    if isinstance(value, str):
        parsed = parse_number(stand_in, value)
        if parsed is None:
            raise ValueProblem(name, "a number", value)
        return parsed
    return check_number(stand_in, value)


def display(q: Any, value: Any) -> str:
    """One line of plain text, for the app and the CLI; a value of the wrong shape as JSON."""
    if value is None:
        return ""
    try:
        return KINDS[q.type].display(q, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        return json.dumps(value, ensure_ascii=False, default=str)


def export_text(q: Any, value: Any) -> str:
    """A value as the exports write it (`Yes`, `40,000 USD`, `12.5%`), before escaping."""
    if value is None:
        return ""
    try:
        return KINDS[q.type].export(q, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        return plain_text(value)


def edit_text(q: Any, value: Any) -> str:
    """Text an edit field starts with; `parse` reads it back as the same value."""
    if value is None:
        return ""
    try:
        return KINDS[q.type].edit_text(q, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        return plain_text(value)


def cel_value(q: Any, value: Any) -> Any:
    """The value CEL conditions see; never raises (a number out of range is null)."""
    if value is None:
        return None
    try:
        return KINDS[q.type].cel(q, value)
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
        return None


def cel_answers(playbook: Any, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every current question's value as CEL sees it (retired answers left out)."""
    out: dict[str, Any] = {}
    for q in playbook.questions():
        out[q.id] = cel_value(q, answers.get(q.id))
    return out


def counts_as_answer(q: Any, value: Any) -> bool:
    """False for no answer: None, blank text, an empty list or map, a person such as
    "TBD" (old or loaded data), a number that does not fit. True otherwise."""
    if value is None:
        return False
    try:
        return KINDS[q.type].counts(q, value)
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
        return False


def answer_schema(q: Any) -> dict[str, Any]:
    """JSON Schema of a question's stored value (what `answer --json` and dumps hold)."""
    return KINDS[q.type].schema(q)


def widget_name(q: Any) -> str:
    """The class name of the app's input for this question."""
    return KINDS[q.type].widget


def plain_text(value: Any) -> str:
    """A value with no question to read it by (a retired answer)."""
    if isinstance(value, list):
        return "; ".join(plain_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return number_text(value, 2) if isinstance(value, int | float) else str(value)


def cell(q: Any, column: Any) -> Cell:
    """A table column as the kinds read it."""
    return cell_of(q, column)
