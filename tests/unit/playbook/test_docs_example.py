"""The example in docs/playbooks.md is a real, valid playbook."""

from __future__ import annotations

import re

import jsonschema
import yaml
from playbook_paths import REPO

from pilotbook.playbook.schema import playbook_schema
from pilotbook.rules.playbooks import load_text

GUIDE = REPO / "docs" / "playbooks.md"


def example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(r"<!-- example-playbook -->\n+```yaml\n(.*?)\n```", text, re.S)
    assert m, "docs/playbooks.md lost its example playbook block"
    return m.group(1)


def test_the_guide_example_validates() -> None:
    playbook = load_text(example(), "docs/playbooks.md example")
    assert playbook.id == "vendor-check"
    types = {q.type for q in playbook.questions()}
    # The example shows the common kinds: options, lists, numbers, checklists.
    assert {"text", "choice", "multichoice", "yesno", "money", "checklist"} <= types
    assert playbook.verdict and any(q.risk for q in playbook.questions())


def test_the_guide_example_passes_the_schema() -> None:
    jsonschema.validate(yaml.safe_load(example()), playbook_schema())


def test_the_guide_names_every_question_type() -> None:
    from typing import get_args

    from pilotbook.playbook.model import QuestionType

    text = GUIDE.read_text(encoding="utf-8")
    for kind in get_args(QuestionType):
        assert f"| `{kind}` |" in text, kind
