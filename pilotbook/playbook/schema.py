"""The JSON Schema of the playbook language, for editors that autocomplete YAML."""

from __future__ import annotations

from typing import Any

from pilotbook.playbook.model import ID_PATTERN, TIMEBOX_PATTERN, Playbook

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "pilotbook playbook"


def playbook_schema() -> dict[str, Any]:
    schema = Playbook.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    # The YAML also accepts `{id: label}` for options and checklist items.
    for model, prop, label in (
        ("Question", "options", "label"),
        ("Question", "items", "label"),
        ("Column", "options", "label"),
    ):
        props = defs.get(model, {}).get("properties", {})
        if prop in props:
            props[prop] = {"anyOf": [props[prop], _shorthand(label)]}
    # The loader's own timebox pattern, so an editor refuses what `validate` refuses.
    timebox = defs.get("Section", {}).get("properties", {}).get("timebox")
    if timebox is not None:
        timebox["anyOf"] = [{"type": "string", "pattern": TIMEBOX_PATTERN}, {"type": "null"}]
        timebox["description"] = (
            "Time for the section in hours, minutes and/or seconds: 15m, 1h30m, 90s."
        )
    # What each question type asks for, from the question kinds.
    from pilotbook.playbook.kinds import KINDS

    qtype = defs.get("Question", {}).get("properties", {}).get("type")
    if qtype is not None:
        qtype["description"] = "; ".join(f"{k.name}: {k.summary}" for k in KINDS.values())
    schema.pop("title", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": TITLE,
        "description": "A playbook: phases, sections of questions, risk rules and verdict "
        "gates. Conditions are CEL expressions.",
        **schema,
    }


def _shorthand(label: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"Shorthand: each key is an id, each value its {label} "
        "(or a mapping of the other fields).",
        "propertyNames": {"pattern": ID_PATTERN},
        "additionalProperties": {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "required": [label]},
            ]
        },
    }
