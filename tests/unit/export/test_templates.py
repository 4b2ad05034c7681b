"""Templates: a playbook's own, broken ones, the sandbox, and other playbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from ai_pilot_answers import good_answers, load_playbook
from export_helpers import ROOT, export, headings, lint
from rules_fixtures import GOOD, make_playbook

from pilotbook.export import TemplateProblem

PB = load_playbook()


def _write(tmp_path: Path, text: str, name: str = "mine.md.j2") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_playbook_template_is_used(tmp_path: Path) -> None:
    path = _write(tmp_path, "# Ours: {{ doc.pilot_name | md_inline }}\n\n{{ doc.verdict_label }}\n")
    out = export("brief", PB, good_answers(), name="A *b*", template=path)
    assert out == "# Ours: A \\*b\\*\n\nGo\n"


def test_a_playbook_template_can_import_the_shipped_macros(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '{% import "_macros.md.j2" as m with context %}\n# Mine\n\n'
        '{{ m.show(doc.pick("owner_*")) }}\n',
    )
    out = export("charter", PB, good_answers(), template=path)
    assert "| Who owns the workflow? | Dana (claims operations) | None |" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# x\n{% if %}\n", "mine.md.j2:2: template error:"),
        ("# x\n\n{{ doc.no_such_field }}\n", "mine.md.j2:3: template error:"),
        ("{{ doc.__class__.__mro__ }}", "template error:"),
        ("{{ ''.__class__.__subclasses__() }}", "template error:"),
        ('{% include "nowhere.j2" %}', "template error:"),
    ],
)
def test_a_broken_template_is_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TemplateProblem) as err:
        export("brief", PB, good_answers(), template=path)
    message = str(err.value)
    assert expected in message and "\n" not in message


def test_a_missing_template_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateProblem, match=r"nope\.md\.j2: the brief template does not exist"):
        export("brief", PB, good_answers(), template=tmp_path / "nope.md.j2")


def test_a_template_cannot_read_files(tmp_path: Path) -> None:
    secret = _write(tmp_path, "secret", "secret.txt")
    path = _write(tmp_path, "{{ doc.__init__.__globals__ }}")
    with pytest.raises(TemplateProblem):
        export("brief", PB, good_answers(), template=path)
    assert secret.read_text() == "secret"


@pytest.mark.parametrize("kind", ["brief", "charter"])
def test_another_playbook_exports_with_graceful_gaps(kind: str) -> None:
    small = make_playbook()
    out = export(kind, small, dict(GOOD))
    assert headings(out)[0].endswith("Claims triage")
    assert "Not asked by this playbook." in out or "names no owners" in out
    assert lint(out) == []


def test_every_shipped_playbook_exports() -> None:
    import yaml

    from pilotbook.playbook.model import Playbook

    for path in sorted((ROOT / "playbooks").glob("*.yaml")):
        pb = Playbook.model_validate(yaml.safe_load(path.read_text("utf-8")))
        for kind in ("brief", "charter"):
            assert export(kind, pb, {}).startswith("# "), (path.name, kind)


def test_a_brief_with_every_kind_of_reason_passes_the_lint() -> None:
    # Missing answers, a fired gate, a gate that cannot be evaluated, and a
    # decision that differs: every branch of the verdict part of the brief.
    small = make_playbook(
        verdict=[
            {"id": "no_commitment", "if": 'answers.commitment == "no"', "then": "no-go",
             "because": "Nobody committed.", "fix": "Get a commitment."},
            {"id": "bad_gate", "if": "answers.systems.exists(r, r.cost > 1.0)",
             "then": "no-go", "because": "Costs."},
        ]
    )  # fmt: skip
    answers = {**GOOD, "commitment": "no", "owner": None, "systems": [{"name": "x", "cost": None}]}
    out = export("brief", small, answers)
    assert "Verdict of the rules: **No-go — and 1 answer still missing**" in out
    assert "### Problems in the playbook" in out and "Still to answer:" in out
    assert "It differs from the rules' verdict" in out
    assert lint(out) == []
