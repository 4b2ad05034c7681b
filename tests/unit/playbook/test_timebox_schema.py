"""The JSON Schema an editor checks a playbook with takes the timeboxes `validate` takes."""

from __future__ import annotations

import jsonschema
import pytest
from pydantic import ValidationError

from pilotbook.playbook.model import Section
from pilotbook.playbook.schema import playbook_schema

STRINGS = [
    "15m",
    "1h30m",
    "90s",
    "1h",
    "2h 5m 10s",
    " 15m ",
    "0m",
    "15 m",
    "10 minutes",
    "soon",
    "",
    " ",
    "15",
    "m",
    "1h30",
    "15m\n",
    "\n15m",
    "1.5h",
    "-5m",
    "15M",
    "m15",
    "1h1h",
    "٣m",
    "15m;",
    "1s2m",
    "\t15m",
]


def _schema_accepts(value: str) -> bool:
    schema = playbook_schema()
    section = {"$defs": schema["$defs"], **schema["$defs"]["Section"]}
    timebox = {"$defs": schema["$defs"], **section["properties"]["timebox"]}
    return jsonschema.Draft202012Validator(timebox).is_valid(value)


def _validate_accepts(value: str) -> bool:
    question = {"id": "q", "ask": "Q?", "type": "text"}
    try:
        Section(id="s", phase="p", title="S", timebox=value, questions=(question,))
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("value", STRINGS)
def test_schema_and_validate_agree(value: str) -> None:
    assert _schema_accepts(value) == _validate_accepts(value), value


def test_the_usual_forms_pass_and_prose_does_not() -> None:
    assert _validate_accepts("1h30m") and _schema_accepts("1h30m")
    assert not _schema_accepts("10 minutes")
    assert _schema_accepts(None)  # type: ignore[arg-type]  # no timebox at all
