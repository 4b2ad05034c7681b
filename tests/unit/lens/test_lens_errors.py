"""Broken lenses get one clear line per problem, with its JSON path; nothing is written.
Lenses as they come from the wild (a byte-order mark, "None of these", extra keys,
spaces in the file name) import."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pilotbook.cli.root import app
from pilotbook.playbook.lens import LensError
from pilotbook.playbook.values import ValueProblem, validate
from pilotbook.rules.playbooks import import_lens

runner = CliRunner()

GOOD: dict[str, Any] = {
    "schemaVersion": "2021-11-01",
    "name": "Tiny lens",
    "description": "Two questions.",
    "_comment": "keys starting with _ are the author's notes",
    "pillars": [
        {
            "id": "ops",
            "name": "Operations",
            "questions": [
                {
                    "id": "ops-1",
                    "title": "Do you watch it?",
                    "description": "Watching is the start.",
                    "choices": [
                        {
                            "id": "ops_1_a",
                            "title": "Dashboards",
                            "helpfulResource": {"displayText": "See [x](javascript:1)"},
                            "improvementPlan": {
                                "displayText": "Build a dashboard.",
                                "url": "https://example.com/d",
                            },
                            "additionalResources": [],
                        },
                        {
                            "id": "ops_1_b",
                            "title": "Alarms",
                            "improvementPlan": {"displayText": "Add an alarm."},
                        },
                        {
                            "id": "ops_1_no",
                            "title": "None of these",
                            "improvementPlan": {"displayText": "Start somewhere."},
                        },
                    ],
                    "riskRules": [
                        {"condition": "ops_1_a && ops_1_b", "risk": "NO_RISK"},
                        {"condition": "ops_1_no || (!ops_1_a && !ops_1_b)", "risk": "HIGH_RISK"},
                        {"condition": "default", "risk": "MEDIUM_RISK"},
                    ],
                },
                {
                    "id": "OPS 2",
                    "title": "Who owns it?",
                    "choices": [{"id": "1", "title": "Someone"}],
                    "riskRules": [{"condition": "1", "risk": "NO_RISK"}],
                },
            ],
        }
    ],
}


def write(tmp_path: Path, data: Any, name: str = "lens.json", *, bom: bool = False) -> Path:
    path = tmp_path / name
    text = json.dumps(data) if not isinstance(data, str) else data
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def problems(tmp_path: Path, data: Any) -> list[str]:
    with pytest.raises(LensError) as e:
        import_lens(write(tmp_path, data))
    lines = [str(p) for p in e.value.problems]
    assert all("\n" not in line for line in lines)
    return lines


def test_a_lens_from_the_wild_imports(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD, "my lens v1.json", bom=True)
    _, playbook = import_lens(path)
    q = playbook.questions()[0]
    assert (q.id, q.source) == ("ops_1", "ops-1")
    assert playbook.questions()[1].id == "ops_2"
    assert [o.id for o in playbook.questions()[1].options] == ["x_1"]
    none = q.options[2]
    assert none.exclusive and none.source == "ops_1_no"
    with pytest.raises(ValueProblem):
        validate(q, ["ops_1_a", "ops_1_no"])
    assert q.options[0].improve == "Build a dashboard. (https://example.com/d)"
    # Lens text lands in the guide as text: it cannot make a link of its own.
    assert "\\[x\\](javascript:1)" in (q.why or "")


def _broken(mutate) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    mutate(data)
    return data


Q0 = "$.pillars[0].questions[0]"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("name"), "$.name: `name` is missing"),
        (lambda d: d["pillars"][0]["questions"][0].pop("choices"), f"{Q0}.choices: `choices`"),
        (lambda d: d["pillars"][0]["questions"][0]["choices"][1].pop("id"), "choices[1].id"),
        (
            lambda d: d["pillars"][0]["questions"][0]["riskRules"][0].update(risk="SEVERE"),
            f'{Q0}.riskRules[0].risk: unknown risk "SEVERE"',
        ),
        (
            lambda d: d["pillars"][0]["questions"][0]["riskRules"][0].update(condition="ops_1_z"),
            f"{Q0}.riskRules[0].condition: names choice `ops_1_z`",
        ),
        (
            lambda d: d["pillars"][0]["questions"][0]["riskRules"][1].update(condition="(ops_1_a"),
            "is never closed",
        ),
        (
            lambda d: d["pillars"][0]["questions"][0]["riskRules"][2].update(condition="a & b"),
            "unexpected '&'",
        ),
        (
            lambda d: d["pillars"][0]["questions"][1].update(id="ops-1"),
            "$.pillars[0].questions[1].id: duplicate question id `ops-1`",
        ),
        (
            lambda d: d["pillars"][0]["questions"][0]["choices"][1].update(id="ops_1_a"),
            f"{Q0}.choices[1].id: duplicate choice id `ops_1_a`",
        ),
        (lambda d: d.update(name="n" * 200), "$.name: `name` is 200 characters; at most 128"),
        (
            lambda d: d["pillars"][0]["questions"][0]["choices"][0]["improvementPlan"].update(
                url="javascript:alert(1)"
            ),
            "improvementPlan.url: a url starts with http",
        ),
        (lambda d: d.update(pillars=[]), "$.pillars: `pillars` is not a non-empty list"),
    ],
)
def test_broken_lens_names_the_json_path(tmp_path: Path, mutate, expected: str) -> None:
    lines = problems(tmp_path, _broken(mutate))
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(str(tmp_path / "lens.json") + ": $") for line in lines)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def mutate(d: dict[str, Any]) -> None:
        d.pop("schemaVersion")
        d["pillars"][0]["questions"][1]["riskRules"][0]["risk"] = "LOW"

    assert len(problems(tmp_path, _broken(mutate))) == 2


def test_not_json_not_utf8_and_too_big(tmp_path: Path) -> None:
    assert "not JSON" in problems(tmp_path, "{nope")[0]
    path = tmp_path / "latin.json"
    path.write_bytes(json.dumps(GOOD).encode("utf-8").replace(b"Tiny", b"T\xe9ny"))
    with pytest.raises(LensError, match="not UTF-8"):
        import_lens(path)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (10 * 1024 * 1024))
    with pytest.raises(LensError, match="at most 512,000 bytes"):
        import_lens(big)


def test_cli_writes_nothing_for_a_broken_lens(tmp_path: Path) -> None:
    lens = write(tmp_path, _broken(lambda d: d.pop("pillars")))
    out = tmp_path / "playbooks" / "tiny.yaml"
    result = runner.invoke(app, ["playbooks", "import-lens", str(lens), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {lens}: $.pillars: ")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_writes_a_playbook_that_validates(tmp_path: Path) -> None:
    lens = write(tmp_path, GOOD, "tiny lens.json")
    out = tmp_path / "playbooks" / "tiny.yaml"
    result = runner.invoke(app, ["playbooks", "import-lens", str(lens), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tiny-lens v1, 2 questions" in result.stdout
    assert runner.invoke(app, ["playbooks", "validate", str(out)]).exit_code == 0
    again = runner.invoke(app, ["playbooks", "import-lens", str(lens), "-o", str(out)])
    assert again.exit_code == 73 and "exists already" in again.stderr
