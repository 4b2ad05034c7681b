"""Escaping for where text lands in an exported document.

Answers are data. Whatever a team typed, it must never add a heading, a list
item, a table row, a code fence, a block quote or an HTML tag to the export,
and never turn into a link or emphasis. Each function here is a Jinja2 filter
and answers for one place: inline text, a table cell, a block of paragraphs,
a Mermaid label.

The approach is CommonMark's own: any ASCII punctuation can be written with a
backslash before it and then means only itself. We escape every character
that can start or end markup anywhere in a line, and the few that matter only
at the start of a line (list markers, ordered-list numbers, setext
underlines). Line breaks are where block structure comes from, so inline text
and table cells lose them, and blocks rebuild them as hard line breaks inside
one paragraph.
"""

from __future__ import annotations

import re

# ANSI/VT escape sequences (colour codes pasted from a terminal), then any
# other control character. Tabs become spaces; line breaks are handled apart.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates: typed into an answer they
# reorder what a reader sees around them, so they go.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85|\x0b|\x0c")

# Characters with a meaning somewhere inside a line: emphasis, code, links,
# images (via `[`), autolinks and HTML, entities, tables, strikethrough, ATX
# heading closers, and the backslash itself.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~#])")
# At the start of a line: bullets, block quotes, thematic breaks, setext
# underlines, and ordered-list numbers ("1." or "1)").
_LINE_START = re.compile(r"^([-+=>:])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")

# GitHub links bare URLs, `www.` names and e-mail addresses. A backslash
# before the `:` of `://` or the `.` after `www` stops the first two. E-mail
# addresses are found after escapes are undone, so they go into a code span,
# where nothing links; the span keeps every character of the address.
_URL_COLON = re.compile(r":(?=/)")
_WWW = re.compile(r"(?i)(www)\.")
# GitHub reads `$...$` as mathematics, and a backslash before `$` does not
# stop it everywhere; as an entity the `$` is text to every Markdown reader.
_DOLLAR = "&#36;"
# GitHub finds mentions (`@name`) and issue references (`#123`, `GH-123`) in
# the text after Markdown is rendered, when a backslash before them is gone.
# A word joiner (U+2060, invisible and zero-width) right after the `@`, `#`
# or `GH-` breaks the pattern it looks for, so no one is notified and nothing
# links; a reader sees the text as typed.
_REFERENCE = re.compile(r"(@|#|\bGH-)(?=[A-Za-z0-9_])", re.IGNORECASE)
# An address is letters, digits and `.+_-`, an `@`, then letters, digits and
# `._-`. Found from each `@` outwards, not with a regular expression: one
# (`[...]+@[...]+`) retries from every letter of a long run with no `@` and
# takes time in the square of the run's length.
_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+_-")
_DOMAIN = re.compile(r"[A-Za-z0-9._-]*")


def clean(text: object) -> str:
    """Plain text: no terminal escapes, no control characters, tabs as spaces."""
    s = "" if text is None else str(text)
    s = _ANSI.sub("", s)
    s = s.replace("\t", " ")
    s = _NEWLINES.sub("\n", s)
    return _BIDI.sub("", _CONTROL.sub("", s))


def _emails(line: str) -> list[tuple[int, int]]:
    """Where e-mail addresses are in the line, leftmost first, in linear time.

    The same spans as the leftmost-longest match of the pattern above: the
    address before an `@` is the run of address characters that ends at it
    (never reaching back past the previous address or `@`), the domain the
    run after it.
    """
    spans, at = [], 0
    while (i := line.find("@", at)) != -1:
        start = i
        while start > at and line[start - 1] in _LOCAL:
            start -= 1
        end = _DOMAIN.match(line, i + 1).end()  # type: ignore[union-attr]  # `*` always matches
        if start < i and end > i + 1:
            spans.append((start, end))
            at = end
        else:
            at = i + 1
    return spans


def _escape_text(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    text = _URL_COLON.sub(r"\\:", text)
    text = _WWW.sub(r"\1\\.", text)
    text = _REFERENCE.sub("\\1\u2060", text)
    # Last: the `&` and `#` of the entity are not to be escaped themselves.
    return text.replace("$", _DOLLAR)


def _escape_line(line: str, spans: bool = True) -> str:
    # Leading spaces would make an indented code block; they carry no meaning
    # in an answer, so they go.
    line = line.strip(" ")
    parts, at = [], 0
    for start, end in _emails(line) if spans else ():
        parts.append(_escape_text(line[at:start]))
        parts.append(f"`{line[start:end]}`")
        at = end
    parts.append(_escape_text(line[at:]))
    line = "".join(parts)
    line = _LINE_START.sub(r"\\\1", line)
    return _ORDERED.sub(r"\1\\\2", line)


def md_inline(text: object, spans: bool = True) -> str:
    """Text inside a line (a paragraph, a list item, a heading): one line, no markup."""
    s = clean(text)
    return _escape_line(" ".join(part.strip() for part in s.split("\n") if part.strip()), spans)


def md_cell(text: object) -> str:
    """Text in a table cell: one line, pipes escaped, never empty (an empty cell reads as a gap)."""
    s = md_inline(text)
    return s if s else "–"


def md_block(text: object) -> str:
    """Longer text as paragraphs: each typed line stays a line (a hard break).

    Blank lines between paragraphs are kept. The result is only paragraphs:
    put it on its own, separated by blank lines from what is around it.
    """
    s = clean(text).strip("\n")
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n", s):
        lines = [_escape_line(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            # A backslash at the end of a line is CommonMark's hard line break.
            paragraphs.append("\\\n".join(lines))
    return "\n\n".join(paragraphs)


def md_code(text: object) -> str:
    """Text for inside a code span: one line, and never a backtick to close it early.

    Nothing else is read inside a code span (no escape, entity, mention or
    link), so the rest stays as typed.
    """
    return " ".join(clean(text).split()).replace("`", "'")


MERMAID_LIMIT = 80
# Left as they are in a Mermaid label; anything else becomes an entity code.
# Not `:`: before parsing, Mermaid drops the last `;` of any line that matches
# `style.*:\S*#.*;` (or the same with `classDef`), which would cut the end off
# an entity code (`#35;` drawn as "#35"); with no `:` in the line, none matches.
_MERMAID_PLAIN = frozenset(" .,!?()/+-")


def mermaid_label(text: object, limit: int = MERMAID_LIMIT) -> str:
    """Text for inside a quoted Mermaid label (`A["..."]`, `title "..."`).

    Mermaid takes `%%` anywhere in a diagram, even inside quotes, as a
    comment or an `%%{init}%%` directive, and gives meaning to quotes,
    backticks, `#`, `;`, angle brackets and (in style lines) `:`. So every
    character but letters, digits, spaces and a little plain punctuation is
    written as a numeric entity code (`#37;` for `%`), which Mermaid turns
    back into the character when it draws the label. Long text is cut with an ellipsis; the label
    stays one line, so it can never close the fence.
    """
    s = " ".join(clean(text).split())
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    coded = "".join(ch if ch.isalnum() or ch in _MERMAID_PLAIN else f"#{ord(ch)};" for ch in s)
    return coded or " "


def anchor(text: object) -> str:
    """A stable id fragment made of letters, digits and hyphens."""
    s = re.sub(r"[^a-z0-9]+", "-", clean(text).lower()).strip("-")
    return s or "x"


FILTERS = {
    "md_inline": md_inline,
    "md_cell": md_cell,
    "md_block": md_block,
    "md_code": md_code,
    "mermaid_label": mermaid_label,
    "anchor": anchor,
}
