"""On GitHub an answer notifies no one, links no issue and sets no mathematics.

GitHub finds `@name`, `#123` and `GH-123` in the text of the rendered page,
after a backslash escape is gone, and reads `$...$` as mathematics. So the
HTML cmark-gfm (GitHub's parser) makes of an export must hold none of these
patterns in its text, and the Markdown no `$` of an answer."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pytest
from hostile_exports import demo_exports

from pilotbook.export import trackers

cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm is in the test extra")

PAYLOAD = (
    "ping @octocat and @org/team, cc:@sam about #123 (and #7), GH-42 and gh-9; "
    "costs $5 or $x^2$ then $`y`$ and $$z$$"
)
# What GitHub's filters look for in the text of the page.
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
ISSUE = re.compile(r"(?<![\w&])#\d|\bGH-\d", re.IGNORECASE)
CODE = re.compile(r"<code>.*?</code>", re.S)
TAG = re.compile(r"<[^>]+>")


def _page_text(markdown: str) -> str:
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return html.unescape(TAG.sub(" ", CODE.sub(" ", rendered)))


def _check(markdown: str) -> None:
    assert "octocat" in markdown and "123" in markdown
    text = _page_text(markdown)
    assert "octocat" in text
    assert not MENTION.search(text), MENTION.findall(text)
    assert not ISSUE.search(text), ISSUE.findall(text)
    # No `$` for GitHub's mathematics to pair up: each one an entity.
    assert "$" not in CODE.sub("", markdown)
    assert "costs $5 or $x^2$" in text.replace("\u2060", "")


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict:  # type: ignore[no-untyped-def]
    return demo_exports(tmp_path_factory.mktemp("refs"), PAYLOAD)


@pytest.mark.parametrize("kind", ("brief", "charter"))
def test_the_brief_and_charter_mention_and_link_nothing(kind: str, exports: dict) -> None:
    _check(exports[(kind, "md")])


def test_the_github_task_list_mentions_and_links_nothing() -> None:
    @dataclass
    class Action:
        id: str = "a1"
        title: str = PAYLOAD
        owner: str | None = "@octocat"
        due: dt.date | None = None
        status: str = "open"
        question_id: str | None = None

    pilot = trackers.PilotRef("p1", "p", "Pilot #123 of @octocat")
    _check(trackers.render("github-md", [Action()], pilot))


def test_the_html_export_shows_the_text_as_typed(exports: dict) -> None:
    page = html.unescape(TAG.sub(" ", exports[("brief", "html")])).replace("\u2060", "")
    assert "ping @octocat and @org/team" in page and "GH-42" in page
    assert "costs $5 or $x^2$" in page
