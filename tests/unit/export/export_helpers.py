"""Building exports for tests: plain and hostile answers, and Markdown structure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from pilotbook.export import build_document, render_document
from pilotbook.rules import assess

ROOT = Path(__file__).resolve().parents[3]
LINT_CONFIG = ROOT / ".pymarkdown.json"

HOSTILE = (
    "# x\n| a | b |\n- item\n```\n<script>alert(1)</script> [bold](http://x.test) **b**\n"
    "\n> quote\n1. one\n---\n=== <b>x</b> &amp; ~~s~~ `code` 😀 שלום עולם \x1b[31mred\x1b[0m"
    "\n    indented\n[ref]: http://x.test\n<!-- c --> \\ end |"
)
TEXT_TYPES = {"text", "longtext", "person"}


def hostile_value(question: Any, value: Any, payload: str = HOSTILE) -> Any:
    """The same answer with every free text replaced by `payload` (choices stay valid)."""
    if value is None:
        return None
    if question.type in TEXT_TYPES:
        return payload
    if question.type == "list":
        return [payload for _ in value]
    if question.type == "table":
        free = {c.id for c in question.columns if c.type in ("text", "person")}
        return [{k: (payload if k in free and v else v) for k, v in row.items()} for row in value]
    return value


def hostile_answers(playbook: Any, answers: dict[str, Any]) -> dict[str, Any]:
    return {q.id: hostile_value(q, answers.get(q.id)) for q in playbook.questions()}


def extras(text: str) -> dict[str, Any]:
    """Actions, a decision, sign-offs and attendees, all carrying `text`."""
    when = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    return {
        "actions": [
            {"title": text, "owner": text, "due": dt.date(2026, 12, 1), "status": "open"},
            {"title": "Closed one", "status": "done"},
        ],
        "decision": {
            "outcome": "conditional",
            "rationale": text,
            "by": text,
            "at": when,
            "conditions": (text,),
        },
        "signoffs": [{"name": text, "role": text, "scope": None, "at": when}],
        "attendees": [{"name": text, "role": text, "team": text, "uses_workflow": True}],
    }


def export(
    kind: str,
    playbook: Any,
    answers: dict[str, Any],
    *,
    na: tuple[str, ...] = (),
    name: str = "Claims triage",
    text: str = "Plain words",
    fmt: str = "md",
    template: Path | None = None,
) -> str:
    assessment = assess(playbook, {"answers": answers, "na": list(na)})
    doc = build_document(
        kind,
        playbook,
        answers,
        assessment,
        pilot_name=name,
        pilot_slug="claims",
        phase="decision",
        today=dt.date(2026, 11, 22),
        **extras(text),
    )
    return render_document(doc, fmt, template)


_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_BLOCKS = {
    "heading_open",
    "table_open",
    "tr_open",
    "th_open",
    "td_open",
    "bullet_list_open",
    "ordered_list_open",
    "list_item_open",
    "fence",
    "code_block",
    "blockquote_open",
    "html_block",
    "hr",
}


def structure(markdown: str) -> list[str]:
    """The block structure: headings (with level), tables, rows, cells, lists, fences."""
    out = []
    for tok in _MD.parse(markdown):
        if tok.type in _BLOCKS:
            out.append(f"{tok.type}:{tok.tag}")
    return out


def headings(markdown: str) -> list[str]:
    toks = _MD.parse(markdown)
    return [toks[i + 1].content for i, t in enumerate(toks) if t.type == "heading_open"]


def inline_kinds(markdown: str) -> set[str]:
    kinds = set()
    for tok in _MD.parse(markdown):
        for child in tok.children or ():
            kinds.add(child.type)
    return kinds


def lint(markdown: str) -> list[str]:
    from pymarkdown.api import PyMarkdownApi

    result = PyMarkdownApi().configuration_file_path(str(LINT_CONFIG)).scan_string(markdown)
    return [f"{f.line_number}:{f.rule_id} {f.rule_description}" for f in result.scan_failures]


def run(db: str, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    from pilotbook.cli.root import app

    result = CliRunner().invoke(app, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result
