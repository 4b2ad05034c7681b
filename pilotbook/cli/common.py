"""What every command shares: the global options, the one way to fail, and the
way to the workshop service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop


class WholeHelpGroup(TyperGroup):
    """A group whose command list gives each command's first paragraph in full.

    Click cuts it to fit one line, ending in "..."; wrapped lines read better
    than a sentence that stops half-way."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.short_help and cmd.help:
                cmd.short_help = " ".join(cmd.help.partition("\n\n")[0].split())
        super().format_commands(ctx, formatter)


@dataclass
class State:
    db: str | None = None


state = State()


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Every line the commands print: controls and bidi characters from what
    users typed or files held are shown as escapes, never sent to the terminal."""
    from pilotbook.textsafe import safe

    typer.echo(safe(message), err=err, nl=nl)


def fail(message: str, code: int = 65) -> NoReturn:
    """Print one line to stderr and exit: never a traceback for a user's mistake.

    `code`: one of `cli.exits` (default: bad data)."""
    from pilotbook.textsafe import safe_line

    typer.echo(f"error: {safe_line(message)}", err=True)
    raise typer.Exit(code)


def read_stdin() -> bytes:
    """All of stdin as bytes: the caller decodes it and says where a bad byte is."""
    import sys

    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (some test runners)
        return sys.stdin.read().encode("utf-8", "surrogateescape")
    return stream.read()


def stdin_text(what: str = "stdin") -> str:
    """Stdin as UTF-8 text, or one line and exit code 65 (bad data)."""
    raw = read_stdin()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{what}: not UTF-8 text (byte {e.start})", 65)


@contextmanager
def guarded() -> Iterator[None]:
    """Turn the service's errors into one line and an exit code."""
    from pilotbook.cli.exits import for_error
    from pilotbook.errors import WorkshopError

    try:
        yield
    except WorkshopError as e:
        fail(str(e), for_error(e))
    except OSError as e:
        fail(f"{e.strerror or e}: {e.filename or ''}".rstrip(": "), for_error(e))


def author(by: str | None, pilot: Any = None) -> str | None:
    """Who a change is recorded as made by: `--by`, else the pilot's facilitator,
    else the user logged in to this machine."""
    if by is not None and by.strip():
        return by
    facilitator = getattr(pilot, "facilitator", None)
    if facilitator:
        return str(facilitator)
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name anywhere (a container without a passwd entry)
        return None


def workshop() -> Workshop:
    """The service on the store in use, or one line and an exit code."""
    from pilotbook.workshop import open_workshop

    with guarded():
        return open_workshop(state.db)
    raise AssertionError  # fail() always exits


def echo_json(data: Any) -> None:
    """`data` as indented JSON for scripts, service objects turned to plain data."""
    import json

    from pilotbook.cli.pilots_show import to_json
    from pilotbook.textsafe import json_safe

    # C0 controls are escaped by json.dumps; C1 and bidi characters by json_safe.
    echo(json_safe(json.dumps(to_json(data), indent=2, ensure_ascii=False)))
