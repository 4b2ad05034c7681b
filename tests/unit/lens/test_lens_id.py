"""A lens never takes the place of a playbook in use: an id that a built-in or a user
playbook has is refused with a free one suggested, and no file is replaced without --force."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from test_lens_errors import GOOD, write
from typer.testing import CliRunner

from pilotbook.cli.root import app
from pilotbook.playbook import registry

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    registry.clear_cache()
    assert runner.invoke(app, ["init"]).exit_code == 0
    return tmp_path


def _lens(tmp_path: Path, name: str, file: str) -> Path:
    data = copy.deepcopy(GOOD)
    data["name"] = name
    return write(tmp_path, data, file)


def test_a_lens_named_like_a_built_in_playbook_is_refused(home: Path) -> None:
    lens = _lens(home, "AI pilot", "ai.json")
    result = runner.invoke(app, ["playbooks", "import-lens", str(lens)])
    assert result.exit_code == 65  # bad data: the id is taken
    assert "`ai-pilot` is taken by the built-in playbook" in result.stderr
    assert "--id ai-pilot-lens" in result.stderr
    assert not (home / "playbooks" / "ai-pilot.yaml").exists()
    # --force does not let a lens hide a built-in playbook either.
    forced = runner.invoke(app, ["playbooks", "import-lens", str(lens), "--force"])
    assert forced.exit_code == 65 and not (home / "playbooks" / "ai-pilot.yaml").exists()
    # The suggested id works, and the built-in playbook is still the one in use.
    ok = runner.invoke(app, ["playbooks", "import-lens", str(lens), "--id", "ai-pilot-lens"])
    assert ok.exit_code == 0, ok.output
    listed = runner.invoke(app, ["playbooks", "list"]).stdout
    assert any(line.startswith("ai-pilot ") and "built-in" in line for line in listed.splitlines())


def test_a_user_playbook_is_replaced_only_with_force(home: Path) -> None:
    first = _lens(home, "Ops lens", "one.json")
    assert runner.invoke(app, ["playbooks", "import-lens", str(first)]).exit_code == 0
    target = home / "playbooks" / "ops-lens.yaml"
    before = target.read_text(encoding="utf-8")
    second = copy.deepcopy(GOOD)
    second["name"] = "Ops lens"
    second["pillars"][0]["name"] = "Operations, again"
    other = write(home, second, "two.json")
    registry.clear_cache()
    refused = runner.invoke(app, ["playbooks", "import-lens", str(other)])
    assert refused.exit_code == 65
    assert f"taken by {target}" in refused.stderr and "--id ops-lens-lens" in refused.stderr
    assert target.read_text(encoding="utf-8") == before
    # Written elsewhere under the same id, it would hide the first: refused too.
    elsewhere = home / "playbooks" / "copy.yaml"
    again = runner.invoke(app, ["playbooks", "import-lens", str(other), "-o", str(elsewhere)])
    assert again.exit_code == 65 and not elsewhere.exists()
    registry.clear_cache()
    forced = runner.invoke(app, ["playbooks", "import-lens", str(other), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "Operations, again" in target.read_text(encoding="utf-8")


def test_an_existing_file_is_never_replaced_without_force(home: Path) -> None:
    lens = _lens(home, "Fresh lens", "fresh.json")
    out = home / "notes.yaml"
    out.write_text("my notes\n", encoding="utf-8")
    result = runner.invoke(app, ["playbooks", "import-lens", str(lens), "-o", str(out)])
    assert result.exit_code == 73 and "exists already" in result.stderr
    assert out.read_text(encoding="utf-8") == "my notes\n"
