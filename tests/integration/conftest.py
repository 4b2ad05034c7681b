"""Running `pilotbook.cli.main` in-process, as a shell would run the command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PLAYBOOKS = Path(__file__).resolve().parents[1] / "unit" / "store" / "playbooks"


def run_main(*args: str | bytes, stdin: bytes = b"") -> tuple[int, str, str]:
    """`pilotbook ARGS < stdin` in this process: (exit code, stdout, stderr).

    Arguments given as bytes are decoded the way Python decodes a real argv
    (undecodable bytes become lone surrogates), and stdin is raw bytes. An
    exception that escapes `main` is a traceback the user would have seen, so
    it is not caught here.
    """
    from typer.testing import CliRunner

    from pilotbook.cli import main

    argv = [os.fsdecode(a) if isinstance(a, bytes) else a for a in args]
    with CliRunner().isolation(input=stdin) as (out, err, _):
        try:
            main(argv)
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        outs = (
            out.getvalue().decode("utf-8", "replace"),
            err.getvalue().decode("utf-8", "replace"),
        )
    return code, *outs


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
