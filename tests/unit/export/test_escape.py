"""Escaping: whatever was typed stays text, in the place it lands."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pilotbook.export.escape import clean, md_block, md_cell, md_inline, mermaid_label

MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
ONLY_TEXT = {"text", "softbreak", "hardbreak", "code_inline"}

HOSTILE = [
    "# x",
    "## x ##",
    "| a | b |",
    "a\nb",
    "a\r\nb\rc\u2028d",
    "- item",
    "* item",
    "+ item",
    "1. one",
    "1) one",
    "```",
    "~~~",
    "> quote",
    "<script>alert(1)</script>",
    "<b>x</b>",
    "<!-- c -->",
    "[bold](http://x.test)",
    "![img](http://x.test/i.png)",
    "<http://x.test>",
    "[ref]: http://x.test",
    "**b** _i_ ~~s~~ `c`",
    "---",
    "===",
    "    code",
    "&amp; &#60;",
    "\\",
    "😀 emoji",
    "שלום עולם",
    "\x1b[31mred\x1b[0m",
    "nul\x00bell\x07",
    "trailing #",
    "mail bob.smith+1@example.co.uk, http://x.test or www.x.test",
    "[x] Security review passed",
    "right\u202eleft\u2066isolated\u2069",
]


def _table(cell: str) -> str:
    return f"| h | i |\n| --- | --- |\n| {cell} | x |\n"


@pytest.mark.parametrize("text", HOSTILE)
def test_cell_keeps_its_row_and_holds_only_text(text: str) -> None:
    tokens = MD.parse(_table(md_cell(text)))
    assert [t.type for t in tokens].count("tr_open") == 2
    assert [t.type for t in tokens].count("td_open") == 2
    for tok in tokens:
        assert set(c.type for c in tok.children or ()) <= ONLY_TEXT


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("escape", [md_inline, md_block])
def test_text_is_paragraphs_of_plain_text(text: str, escape) -> None:
    tokens = MD.parse("Before.\n\n" + escape(text) + "\n")
    blocks = {t.type for t in tokens if t.level == 0}
    assert blocks <= {"paragraph_open", "paragraph_close", "inline"}
    for tok in tokens:
        assert set(c.type for c in tok.children or ()) <= ONLY_TEXT


@pytest.mark.parametrize("text", HOSTILE)
def test_heading_holds_the_text_and_nothing_more(text: str) -> None:
    tokens = MD.parse(f"# Brief: {md_inline(text)}\n\nAfter.\n")
    assert [t.type for t in tokens if t.level == 0][:2] == ["heading_open", "heading_close"]
    assert [t.type for t in tokens].count("heading_open") == 1
    assert set(c.type for c in tokens[1].children or ()) <= ONLY_TEXT


def _visible(text: str) -> str:
    return " ".join(clean(text).split())


def _rendered_text(markdown: str) -> str:
    parts = []
    for tok in MD.parse(markdown):
        if tok.type == "inline":
            parts.append(
                "".join(
                    c.content if c.type in ("text", "code_inline") else " " for c in tok.children
                )
            )
    # The word joiners after `@` and `#` (which keep GitHub from reading a
    # mention or an issue reference) are invisible: a reader sees no change.
    return " ".join(" ".join(parts).replace("\u2060", "").split())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_nothing_lost_nothing_added(text: str) -> None:
    # What a reader sees is what was typed: the same characters, with line
    # breaks and runs of spaces shown as one space, control codes gone.
    assert _rendered_text(md_inline(text)) == _visible(text)
    assert _rendered_text(_table(md_cell(text))).removeprefix("h i ").removesuffix(" x") in (
        _visible(text),
        "–",
    )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_keeps_a_table_row(text: str) -> None:
    tokens = MD.parse(_table(md_cell(text)))
    assert [t.type for t in tokens].count("td_open") == 2


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_label_stays_inside_its_quotes(text: str) -> None:
    label = mermaid_label(text)
    assert "\n" not in label and '"' not in label and "`" not in label
    assert "<" not in label and ">" not in label
    # Every `#` starts one of our own numeric codes, and each code ends there.
    assert re.fullmatch(r"(?:[^#;%]|#\d+;)*", label)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            '%%{init: {"themeCSS": "x"}}%%',
            "#37;#37;#123;init#58; #123;#34;themeCSS#34;#58; #34;x#34;#125;#125;#37;#37;",
        ),
        ("Zendesk; then #5", "Zendesk#59; then #35;5"),
        ("x" * 200, "x" * 79 + "#8230;"),
        ("", " "),
    ],
)
def test_mermaid_label_codes_every_special_character_and_is_short(text: str, shown: str) -> None:
    assert mermaid_label(text) == shown


def test_block_keeps_lines_and_paragraphs() -> None:
    html = MD.render(md_block("one\ntwo\n\nthree"))
    assert html == "<p>one<br />\ntwo</p>\n<p>three</p>\n"


def test_code_spans_hold_only_email_addresses() -> None:
    # The one place an answer gets markup: an address in a code span, so
    # that GitHub cannot make it a link.
    for text in HOSTILE:
        for tok in MD.parse(md_inline(text)):
            for c in tok.children or ():
                if c.type == "code_inline":
                    assert re.fullmatch(r"[A-Za-z0-9.+_-]+@[A-Za-z0-9._-]+", c.content)


def test_bidi_controls_are_removed() -> None:
    assert clean("a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j") == (
        "abcdefghij"
    )


def test_clean_strips_terminal_codes_and_controls() -> None:
    assert clean("\x1b[1;31mbold red\x1b[0m\x00\x07 ok\tgo") == "bold red ok go"
