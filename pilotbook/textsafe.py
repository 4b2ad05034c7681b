"""Text from users and files, made safe to print on a terminal.

A pilot's name, an answer, a playbook title or a file name can hold bytes
that a terminal obeys: ESC and CSI (U+009B) sequences that retitle the
window or clear the screen, carriage returns that overwrite a line, and
bidirectional overrides that make text read in another order than it is
stored. Each is shown as a visible escape (`\\x1b`, `\\u202e`) instead, so
what was typed can still be read, and no sequence reaches the terminal.

Core code: no dependency, cheap to import.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls; the bidi embeddings and
# overrides (U+202A-U+202E), isolates (U+2066-U+2069) and marks (U+200E, U+200F,
# U+061C), which reorder what follows them; the line and paragraph separators,
# which some terminals take as new lines. The one list of them: the app and the
# participants' pages take it from here.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{BIDI}]")
# The same set, in a form to find them in one line of text (tab and newline too).
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI}]")
# What JSON text may keep as it is: json.dumps escapes C0 itself, not these.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code == 0x09:
        return "\\t"
    if code == 0x0A:
        return "\\n"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """The text with every control and bidi character shown as an escape; new lines
    and tabs stay."""
    return _UNSAFE.sub(_visible, "" if text is None else str(text))


def safe_line(text: object) -> str:
    """As `safe`, and on one line: new lines and tabs are shown as escapes too."""
    return _UNSAFE_LINE.sub(_visible, "" if text is None else str(text))


def json_safe(json_text: str) -> str:
    """JSON text with C1 controls and bidi characters written as `\\uXXXX` escapes.

    They can only stand inside JSON strings, where the escape means the same
    character, so the data is unchanged and a `cat` of the file is harmless.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json_text)


def is_safe(text: str) -> bool:
    return _UNSAFE.search(text) is None
