"""The wheel, unpacked away from the checkout, still finds its built-in playbooks.

A packaging mistake (playbooks left out of the wheel, a path computed from the
checkout) passes every other test; this one builds the real wheel and runs
`pilotbook playbooks list` from another folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, f"wheel build failed:\n{build.stdout}\n{build.stderr}"
    (wheel,) = dist.glob("pilotbook-*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def run_elsewhere(site: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PILOTBOOK_")}
    env |= {"PYTHONPATH": str(site), "PILOTBOOK_HOME": str(tmp_path / "home")}
    code = "import sys; from pilotbook.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_wheel_ships_the_playbooks(unpacked_wheel: Path) -> None:
    shipped = {p.name for p in (unpacked_wheel / "pilotbook" / "_playbooks").glob("*.yaml")}
    assert shipped == {p.name for p in (REPO / "playbooks").glob("*.yaml")}
    entry_points = next(unpacked_wheel.glob("pilotbook-*.dist-info")) / "entry_points.txt"
    assert "pilotbook = pilotbook.cli:main" in entry_points.read_text()


def test_installed_wheel_lists_its_playbooks_from_another_folder(
    unpacked_wheel: Path, tmp_path: Path
) -> None:
    result = run_elsewhere(unpacked_wheel, tmp_path, "playbooks", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for playbook_id in ("ai-pilot", "integration-health"):
        line = next((x for x in lines if x.startswith(playbook_id + " ")), None)
        assert line is not None, result.stdout
        # Found inside the unpacked wheel, not in the checkout.
        assert str(unpacked_wheel / "pilotbook" / "_playbooks") in line, line
    assert "Traceback" not in result.stderr


def test_installed_wheel_validates_a_playbook(unpacked_wheel: Path, tmp_path: Path) -> None:
    shipped = unpacked_wheel / "pilotbook" / "_playbooks" / "ai-pilot.yaml"
    result = run_elsewhere(unpacked_wheel, tmp_path, "playbooks", "validate", str(shipped))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {shipped} (ai-pilot v")
