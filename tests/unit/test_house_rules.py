"""The rules the codebase keeps about itself: lint clean, layers apart, a light start."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: install the test extras")
    return found


def test_ruff_check_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "check", "--quiet", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "--quiet", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold():
    # textual stays in pilotbook/tui/; the core never imports a front end.
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_version_loads_nothing_heavy():
    probe = (
        "import sys; from pilotbook.cli import main; main(['--version']); "
        "import json; print(json.dumps(sorted(m for m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    first, modules_line = result.stdout.strip().splitlines()
    assert first.startswith("pilotbook ")
    loaded = {m.split(".")[0] for m in json.loads(modules_line)}
    assert not loaded & {"textual", "sqlalchemy", "sqlmodel", "jinja2", "celpy", "alembic"}


def test_help_loads_nothing_heavy():
    probe = (
        "import sys\n"
        "from pilotbook.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'textual', 'sqlalchemy', 'sqlmodel', 'jinja2', 'celpy', 'alembic'}\n"
        "print('HEAVY', sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stdout, result.stdout


def test_no_module_reaches_into_the_workshops_privates():
    # The services share the public unit of work (`ws.unit.read()`, `.write()`,
    # `.pilot()`); nothing reaches for the old private session or the instance dict.
    import re

    private = re.compile(r"\._session\b|\._pilot\b|__dict__|\bws\._\w+")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / "pilotbook").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert found == []
