"""The command line: a thin Typer layer over the workshop service.

Each group of commands lives in its own module and registers itself on `app`.
Command bodies import what they need when they run, so `pilotbook --version`
and `--help` stay fast and never load textual, SQLAlchemy or Jinja2.
"""

from __future__ import annotations

import sys

from pilotbook import __version__


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        # Answered before Typer is even imported: scripts call this often.
        print(f"pilotbook {__version__}")
        return
    from pilotbook.cli.root import app

    app(args=args, prog_name="pilotbook")
