"""Exports: the go/no-go brief and the ownership charter, as Markdown or HTML.

    doc = build_document("brief", playbook, answers, assess(playbook, activation), pilot_name=...)
    text = render_document(doc, fmt="md")          # or "html"

Jinja2 and markdown-it-py load on the first render, not at import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.export.document import Document, build_document
    from pilotbook.export.qview import QView
    from pilotbook.export.render import KINDS, TemplateProblem

_WHERE = {
    "Document": "document",
    "build_document": "document",
    "QView": "qview",
    "KINDS": "render",
    "TemplateProblem": "render",
}

FORMATS = ("md", "html")

__all__ = [
    "FORMATS",
    "KINDS",
    "Document",
    "QView",
    "TemplateProblem",
    "build_document",
    "render_document",
]


def render_document(doc: Document, fmt: str = "md", template: Path | None = None) -> str:
    """The document as Markdown or as one self-contained HTML page.

    `template` is a playbook's own template file for this kind of document;
    None uses the one that ships in the package. TemplateProblem (one line,
    naming the file and line) when the template is broken.
    """
    from pilotbook.export.render import markdown_to_html, render_markdown, template_for

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    markdown = render_markdown(doc, template_for(doc.kind, template))
    if fmt == "md":
        return markdown
    return markdown_to_html(markdown, f"{doc.title}: {doc.pilot_name}")


def __getattr__(name: str) -> Any:
    # Loaded on first use: `pilotbook show` needs `export.qview` alone.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"pilotbook.export.{_WHERE[name]}"), name)
    raise AttributeError(name)
