"""What GitHub, a browser and Mermaid make of an export whose answers were
typed by a hostile participant: GitHub-flavoured Markdown rendered by
cmark-gfm (GitHub's own parser), and the HTML export read as HTML.

Each export is compared with the same pilot answered in plain words: the
answers may change the text, never the links, check boxes, headings, tables
or diagrams."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from hostile_exports import ATTACK, BIDI, PLAIN, demo_exports, mermaid_blocks

cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm is in the test extra")

KINDS = ("brief", "charter")
STRUCTURE = {"a", "input", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "th", "td"}
STRUCTURE |= {"ul", "ol", "li", "pre", "blockquote", "hr", "img", "svg", "figure", "script"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {
        "plain": demo_exports(tmp_path_factory.mktemp("plain"), PLAIN),
        "hostile": demo_exports(tmp_path_factory.mktemp("hostile"), ATTACK),
    }


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.titles = 0
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in STRUCTURE:
            self.counts[tag] += 1
        self.titles += tag == "title"
        self.attrs += attrs


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def github(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


@pytest.mark.parametrize("kind", KINDS)
def test_github_makes_no_link_box_heading_or_row_of_an_answer(kind, exports) -> None:
    plain, hostile = exports["plain"][(kind, "md")], exports["hostile"][(kind, "md")]
    assert "evil.test" in hostile and "Security review passed" in hostile
    shown_plain, shown_hostile = github(plain), github(hostile)
    assert tags(shown_hostile).counts == tags(shown_plain).counts
    # The only links are the brief's contents, to its own sections.
    own = re.sub(r'<a href="#[a-z0-9-]+">', "", shown_hostile)
    assert "<a " not in own and "evil.test/x" in shown_hostile
    assert "onerror" not in shown_hostile.replace("onerror=alert", "")  # only as text


@pytest.mark.parametrize("kind", KINDS)
def test_the_html_export_takes_nothing_from_an_answer(kind, exports) -> None:
    plain, hostile = exports["plain"][(kind, "html")], exports["hostile"][(kind, "html")]
    found = tags(hostile)
    assert found.counts == tags(plain).counts
    assert found.titles == 1 and "<html lang=" in hostile
    assert not any(name.startswith("on") for name, _ in found.attrs)
    # The template's own open actions are check boxes; `[x]` typed in an answer is not.
    assert "[x] Security review passed" in hostile
    assert 'checked="checked"' not in hostile


@pytest.mark.parametrize("fmt", ("md", "html"))
def test_no_bidi_control_reaches_an_export(fmt, exports) -> None:
    for kind in KINDS:
        text = exports["hostile"][(kind, fmt)]
        assert "evil" in text and not BIDI.search(text)


def test_no_mermaid_block_holds_a_directive_or_comment(exports) -> None:
    blocks = [b for k in KINDS for b in mermaid_blocks(exports["hostile"][(k, "md")])]
    assert len(blocks) >= 3  # the escalation path, the lane and a metric's chart
    for block in blocks:
        assert "%" not in block
        for line in block.splitlines()[1:]:
            # Every label is one quoted string with nothing quoted inside it.
            assert line.count('"') % 2 == 0


def test_the_html_draws_the_diagrams(exports) -> None:
    for kind in KINDS:
        html = exports["hostile"][(kind, "html")]
        assert "language-mermaid" not in html  # no diagram left as source
    charter = exports["plain"][("charter", "html")]
    assert charter.count('<ol class="flow') == 2 and "<svg" in charter
    assert re.search(r"<span>Intake: [^<]+</span>", charter)


def test_tables_split_long_words_only(exports) -> None:
    """Cells wrap anywhere (a hash never widens the page), so every column is
    given room for its longest ordinary word: a date or a name stays whole."""
    from pilotbook.export.columns import WORD, widths

    html = exports["plain"][("brief", "html")]
    assert "table-layout: fixed" in html and "overflow-wrap: anywhere" in html
    assert html.count("<table>") == html.count("<colgroup>") > 5
    rows = [
        ["Risk accepted on", "Accepted by", "Why", "Until"],
        ["Where does the security review stand?", "Lena Fischer", "word " * 40, "2026-12-30"],
        ["a" * 64, "b", "c", "d"],
    ]
    shares = widths(rows)
    for j, share in enumerate(shares):
        longest = max(len(w) for row in rows for w in row[j].split())
        # A share of a line of about 100 characters.
        assert share >= min(longest, WORD), (j, shares)
