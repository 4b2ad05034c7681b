"""Fixtures of the command-line tests."""

from __future__ import annotations

import pytest
from cli_main import PLAYBOOKS, run_main


@pytest.fixture
def pb(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """`run_main` from an empty folder, with the test playbook and a short lock timeout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.5")
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)

    def go(*args: str | bytes, stdin: bytes = b"", code: int | None = 0):  # type: ignore[no-untyped-def]
        got, out, err = run_main(*args, stdin=stdin)
        assert "Traceback" not in err, err
        if code is not None:
            assert got == code, (out, err)
        return got, out, err

    return go
