"""`pilotbook playbooks list | validate | schema`: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playbook_paths import BROKEN, PLAYBOOKS, TINY, builtin_playbooks
from typer.testing import CliRunner

from pilotbook.cli.root import app
from pilotbook.playbook import registry

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PILOTBOOK_PLAYBOOKS", raising=False)
    monkeypatch.chdir(tmp_path)
    registry.clear_cache()


def test_validate_good_files_exits_0() -> None:
    files = [str(p) for p in builtin_playbooks()]
    result = runner.invoke(app, ["playbooks", "validate", *files])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    assert lines[0].startswith(f"ok: {files[0]} (") and " questions)" in lines[0]


def test_validate_reports_one_problem_a_line_and_exits_2(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(TINY)
    bad = BROKEN / "many-errors.yaml"
    missing = tmp_path / "missing.yaml"
    result = runner.invoke(app, ["playbooks", "validate", str(good), str(bad), str(missing)])
    assert result.exit_code == 65
    assert f"ok: {good} (tiny v1, 2 questions)" in result.stdout
    errors = result.stderr.splitlines()
    assert len(errors) == 9  # eight in the bad file, one for the missing file
    assert all(line.startswith(f"{bad}:") for line in errors[:8])
    assert errors[-1] == f"{missing}: cannot read the file: No such file or directory"
    assert "Traceback" not in result.output


def test_list_starts_each_line_with_the_id() -> None:
    result = runner.invoke(app, ["playbooks", "list"])
    assert result.exit_code == 0, result.output
    for path in builtin_playbooks():
        playbook_id = path.stem
        line = next(x for x in result.stdout.splitlines() if x.startswith(playbook_id + " "))
        assert "built-in" in line and str(path.name) in line


def test_list_shows_broken_files_and_warnings(tmp_path: Path) -> None:
    mine = tmp_path / "home" / "playbooks"
    mine.mkdir(parents=True)
    (mine / "ai-pilot.yaml").write_text((PLAYBOOKS / "ai-pilot.yaml").read_text())
    (mine / "broken.yaml").write_text("id: [\n")
    result = runner.invoke(app, ["playbooks", "list"])
    assert result.exit_code == 0
    assert "warning: playbook `ai-pilot`" in result.stderr
    assert any(
        x.startswith("ai-pilot ") and "user data folder" in x for x in result.stdout.splitlines()
    )
    assert f"broken: {mine / 'broken.yaml'}:" in result.stdout


def test_list_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["playbooks", "list", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    ids = {p["id"] for p in data["playbooks"]}
    assert "ai-pilot" in ids
    assert data["broken"] == [] and data["warnings"] == []


def test_schema_prints_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["playbooks", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "pilotbook playbook"
    out = tmp_path / "schema.json"
    assert runner.invoke(app, ["playbooks", "schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["$schema"].startswith("https://json-schema.org/")


@pytest.mark.parametrize("command", [[], ["list"], ["validate"], ["schema"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, ["playbooks", *command, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) > 3
