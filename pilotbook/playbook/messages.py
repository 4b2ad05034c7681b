"""pydantic's validation errors, said the way a playbook author thinks of them."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

from pilotbook.playbook import model as m

# The list a model sits in names the model: `questions: [...]` holds questions.
_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "phases": (m.Phase, "phase"),
    "sections": (m.Section, "section"),
    "questions": (m.Question, "question"),
    "options": (m.Option, "option"),
    "columns": (m.Column, "column"),
    "items": (m.ChecklistItem, "checklist item"),
    "risk": (m.RiskRule, "risk rule"),
    "verdict": (m.VerdictRule, "verdict rule"),
    "templates": (m.Templates, "templates"),
}

_KINDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
}

# YAML 1.1 reads these unquoted words as true/false, a classic surprise in ids.
_YAML_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def owner(loc: tuple[Any, ...]) -> tuple[type[BaseModel], str]:
    """The model and its name for the mapping that holds the last part of `loc`."""
    for part in reversed(loc[:-1]):
        if isinstance(part, str) and part in _MODELS:
            return _MODELS[part]
    return m.Playbook, "playbook"


def keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def message(error: dict[str, Any], where: str, yaml_text: str | None) -> str | None:
    """One line for one pydantic error, or None for an echo of another error.

    `where` names the thing, e.g. "question `q1`"; `yaml_text` is the plain
    scalar as written, to explain YAML's own conversions.
    """
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "playbook")
    model, _ = owner(loc)
    msg = str(error.get("msg", ""))
    if kind == "extra_forbidden":
        return f"unknown key `{name}` in {where}" + suggest(name, keys_of(model))
    if kind == "missing":
        return f"missing required key `{name}` in {where}"
    if kind == "too_short" and isinstance(value, (list, tuple, dict)) and len(value) > 0:
        # "at least 1 item after validation": its items failed, and say so themselves.
        return None
    if kind == "too_short":
        return f"`{name}` needs at least one entry"
    if kind == "string_too_short":
        return f"`{name}` must not be empty"
    if kind == "string_pattern_mismatch":
        allowed = (
            "use lowercase letters, digits and -"
            if error.get("ctx", {}).get("pattern") == m.SLUG_PATTERN
            else "use lowercase letters, digits and _"
        )
        return f"`{name}`: {describe(value)} is not a valid id: {allowed}, starting with a letter"
    if kind == "literal_error":
        expected = msg.removeprefix("Input should be ")
        return f"`{name}`: expected {expected}, got {describe(value)}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in _KINDS:
        hint = ""
        if isinstance(value, bool) and yaml_text and yaml_text.lower() in _YAML_BOOLS:
            hint = f"; YAML reads an unquoted {yaml_text} as {describe(value)}: quote it"
        return f"`{name}`: expected {_KINDS[kind]}, got {describe(value)}{hint}"
    return f"`{name}`: {msg.replace('Input should be', 'expected')}"
