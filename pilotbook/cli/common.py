"""What every command shares: the global options and the one way to fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import typer


@dataclass
class State:
    db: str | None = None


state = State()


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit: never a traceback for a user's mistake."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
