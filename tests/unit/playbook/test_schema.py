"""The JSON Schema editors use must accept every playbook the loader accepts."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from playbook_paths import BROKEN, TINY, builtin_playbooks

from pilotbook.playbook.schema import SCHEMA_DIALECT, playbook_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = playbook_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_names_its_dialect_and_title() -> None:
    schema = playbook_schema()
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["title"] == "pilotbook playbook"
    assert "if" in schema["$defs"]["VerdictRule"]["properties"]  # the alias, not `if_`


@pytest.mark.parametrize("path", builtin_playbooks(), ids=lambda p: p.stem)
def test_schema_accepts_builtin_playbooks(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors[:3]]


def test_schema_accepts_shorthand_and_full_options(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = yaml.safe_load(TINY)
    validator.validate(data)
    q = data["sections"][0]["questions"][0]
    q["options"] = [{"id": "committed", "label": "Yes"}, {"id": "exploring", "label": "No"}]
    validator.validate(data)


@pytest.mark.parametrize(
    "name", ["unknown-question-key", "unknown-type", "version-not-a-number", "verdict-then-go"]
)
def test_schema_rejects_what_the_loader_rejects(
    name: str, validator: jsonschema.Draft202012Validator
) -> None:
    data = yaml.safe_load((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))
    assert not validator.is_valid(data)


def test_schema_knows_the_confidence_scale(validator: jsonschema.Draft202012Validator) -> None:
    data = yaml.safe_load(TINY)
    data["rounds"] = {"confidence_scale": ["No way", "Unlikely", "Maybe", "Likely", "Certain"]}
    validator.validate(data)
    data["rounds"]["confidence_scale"] = ["Low", "High"]
    assert not validator.is_valid(data)
