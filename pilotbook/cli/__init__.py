"""The command line: a thin Typer layer over the workshop service.

Each group of commands lives in its own module; `root` registers them all on `app`.
Command bodies import what they need when they run, so `pilotbook --version`
and `--help` stay fast and never load textual, SQLAlchemy or Jinja2.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from pilotbook import __version__


def _bad_text(args: list[str]) -> str | None:
    """Where undecodable bytes reached us (Python keeps them as lone surrogates).

    A NUL cannot come from a shell, only from a caller of `main`; no path or
    value may hold one, so it is refused here too."""
    for n, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return f"argument {n} is not valid UTF-8 text"
        if "\x00" in arg:
            return f"argument {n} holds a NUL character"
    for name in ("PILOTBOOK_DB", "PILOTBOOK_HOME", "PILOTBOOK_PLAYBOOKS"):
        try:
            os.environ.get(name, "").encode("utf-8")
        except UnicodeEncodeError:
            return f"${name} is not valid UTF-8 text"
    return None


def _error(message: str, code: int) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        # Answered before Typer is even imported: scripts call this often.
        print(f"pilotbook {__version__}")
        return
    bad = _bad_text(args)
    if bad is not None:
        _error(bad, 64)
    import typer
    from typer.exceptions import TyperException

    from pilotbook.cli.root import app

    try:
        code = app(args=args, prog_name="pilotbook", standalone_mode=False)
    except typer.Abort:
        _error("interrupted", 130)
    except TyperException as e:
        # Usage errors as one line, like every other error, with where to read more.
        message = e.format_message() if hasattr(e, "format_message") else str(e)
        ctx = getattr(e, "ctx", None)
        where = ctx.command_path if ctx is not None else "pilotbook"
        # Click's usage errors carry exit code 2; its other errors (a file it could
        # not open) carry 1.
        code = 64 if getattr(e, "exit_code", 1) == 2 else 66
        _error(f"{message} (see '{where} --help')", code)
    if isinstance(code, int) and code:
        raise SystemExit(code)
