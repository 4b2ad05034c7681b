"""Render documents: Jinja2 (sandboxed) to Markdown, markdown-it-py to HTML.

Jinja2 and markdown-it-py load when a document is first rendered, never at
import, so the CLI and the app start without them.
"""

from __future__ import annotations

import gc
import html
import re
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pilotbook.export.escape import FILTERS, clean
from pilotbook.export.summary import pairs, shorten

if TYPE_CHECKING:
    from markdown_it.renderer import RendererHTML

    from pilotbook.export.document import Document

KINDS = ("brief", "charter")


class TemplateProblem(Exception):
    """A template that cannot be read, parsed or rendered; `str()` is one line."""


@cache
def _package_environment() -> Any:
    return _environment(None)


def _environment(extra_dir: Path | None) -> Any:
    from jinja2 import ChoiceLoader, PackageLoader, StrictUndefined

    from pilotbook.export.sandbox import BudgetedEnvironment, FolderLoader
    from pilotbook.export.template_cache import bytecode_cache

    loaders: list[Any] = []
    if extra_dir is not None:
        loaders.append(FolderLoader(extra_dir))
    loaders.append(PackageLoader("pilotbook.export", "templates"))
    # Markdown is not HTML: escaping is done by the filters, chosen for where
    # each value lands; StrictUndefined makes a typo in a template an error
    # rather than a silently empty paragraph.
    env = BudgetedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        # Compiled once per template content, signed, kept across processes.
        bytecode_cache=bytecode_cache(),
    )
    env.filters.update(FILTERS)
    env.filters["shorten"] = shorten
    env.globals["pairs"] = pairs
    env.budget_filters()
    return env


def template_for(kind: str, custom: Path | None = None) -> Any:
    """The compiled template: a playbook's own file when given, else the package's."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    if custom is None:
        env, name, shown = _package_environment(), f"{kind}.md.j2", f"{kind}.md.j2"
    else:
        env, name, shown = _environment(custom.parent), custom.name, str(custom)
        if not custom.is_file():
            raise TemplateProblem(f"{shown}: the {kind} template does not exist")
    try:
        return env.get_template(name)
    except TemplateSyntaxError as e:
        where = f"{e.filename or shown}:{e.lineno}" if e.lineno else shown
        raise TemplateProblem(f"{where}: template error: {e.message}") from None
    except TemplateNotFound as e:
        raise TemplateProblem(f"{shown}: template not found: {e.name}") from None
    except (TemplateError, OSError, UnicodeDecodeError) as e:
        raise TemplateProblem(f"{shown}: cannot read the template: {_first_line(e)}") from None


def render_markdown(doc: Document, template: Any) -> str:
    """Run the template on the document; TemplateProblem names the line on failure."""
    from pilotbook.export.sandbox import render

    try:
        text = render(template, doc=doc)
    except Exception as e:  # any failure inside a user's template is theirs to fix
        raise TemplateProblem(f"{_where(template, e)}: template error: {_first_line(e)}") from None
    return tidy(text)


def tidy(markdown: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip(" ") for line in markdown.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"


def _where(template: Any, err: BaseException) -> str:
    filename = getattr(template, "filename", None) or getattr(template, "name", "template")
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return f"{filename}:{line}" if line else str(filename)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# ------------------------------------------------------------------ HTML


@cache
def _markdown_it() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    from pilotbook.export.escape import anchor

    # Raw HTML off: whatever got through as text is shown as text, never as a tag.
    # Task lists are read from the Markdown source, where an answer's `[x]`
    # is escaped (`\\[x\\]`), so only the template's own `- [ ]` items become
    # check boxes.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )
    md.use(tasklists_plugin)
    # The brief's contents link to its sections: ids as GitHub makes them.
    md.use(anchors_plugin, min_level=2, max_level=2, slug_func=anchor)

    # A render rule is bound to the renderer: `renderer.fence` is the default.
    def fence(renderer: RendererHTML, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            from pilotbook.export.diagram import mermaid_html

            drawn = mermaid_html(token.content)
            if drawn is not None:
                return drawn
        return renderer.fence(tokens, idx, options, env)

    md.add_render_rule("fence", fence)

    # Tables have fixed column widths worked out from their text (columns.py).
    from pilotbook.export.columns import add_column_widths, colgroup

    md.core.ruler.push("column_widths", add_column_widths)

    def table_open(renderer: RendererHTML, tokens: Any, idx: int, options: Any, env: Any) -> str:
        opened: str = renderer.renderToken(tokens, idx, options, env)
        return opened + colgroup(tokens[idx].meta.get("widths", []))

    md.add_render_rule("table_open", table_open)
    return md


@cache
def _stylesheet() -> str:
    return resources.files("pilotbook.export").joinpath("templates/page.css").read_text("utf-8")


_pauses = threading.Lock()
_paused: list[bool] = []  # one entry per render under way: was the collector on?


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while markdown-it builds its tokens.

    A brief of long answers is several hundred thousand tokens (one per escaped
    sign), alive until the page is written: each pass of the collector walks
    those of its generations, and the passes come as the tree grows, so with it
    on the HTML cost more than tenfold for ten times the text. The tokens hold
    no reference cycles (counting frees them); the collector is back on, if it
    was, when the last render under way ends, even one that failed.
    """
    with _pauses:
        _paused.append(gc.isenabled() if not _paused else _paused[0])
        gc.disable()
    try:
        yield
    finally:
        with _pauses:
            was = _paused.pop()
            if not _paused and was:
                gc.enable()


def markdown_to_html(markdown: str, title: str) -> str:
    """One self-contained HTML file: the rendered Markdown and a print stylesheet."""
    with _collector_paused():
        body = _markdown_it().render(markdown)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(clean(title))}</title>\n"
        f"<style>\n{_stylesheet()}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
