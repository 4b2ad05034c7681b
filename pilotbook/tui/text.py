"""Showing text people typed: always literally, never as markup or terminal codes."""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

from pilotbook.textsafe import safe

# C0 controls (but newline and tab) and DEL/C1: an ANSI escape typed into an
# answer must show as a visible symbol, never reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def clean(text: str) -> str:
    """The text with control and bidi characters made visible.

    C0 controls show as their pictures (␛); what is left of the terminal-unsafe
    set of `pilotbook.textsafe` (C1, bidi overrides, isolates and marks, line
    separators) as escapes such as `\\u202e`, so text reads in the order it is stored.
    """
    return safe(_CONTROL.sub(_picture, text))


# What an editable field may hold: C0 controls and DEL as their pictures, but
# newline and tab as themselves. `restore` undoes it, so an answer that came in
# with escape codes (pasted, or through the CLI) is saved back unchanged.
_EDIT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EDIT_PICTURE = re.compile(r"[\u2400-\u2408\u240b-\u241f\u2421]")


def editable(text: str) -> str:
    """Text safe to put in an Input or TextArea: no control code reaches the terminal."""
    return _EDIT_CONTROL.sub(_picture, text)


def restore(text: str) -> str:
    """The text as typed, from what `editable` put in a field."""

    def back(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return "\x7f" if code == 0x2421 else chr(code - 0x2400)

    return _EDIT_PICTURE.sub(back, text)


def one_line(text: str, limit: int = 0) -> str:
    """The text on one line (for tables and titles), cut to `limit` characters if given."""
    flat = " ".join(clean(text).split())
    if limit and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat


def literal(text: str) -> Content:
    """Content that shows `text` exactly as typed: `[bold]` stays `[bold]`."""
    return Content(clean(text))


def cell(text: str) -> Text:
    """A table cell (DataTable measures Rich text) showing `text` literally."""
    return Text(clean(text), no_wrap=True)


def wrapped(text: str, width: int) -> Text:
    """A table cell that wraps within `width` columns (for a row of `height=None`)."""
    return Text(one_line(text, 6 * width), overflow="fold")
