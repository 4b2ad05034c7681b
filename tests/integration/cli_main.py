"""Running `pilotbook.cli.main` in-process, as a shell would run the command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
