"""Commands: `pilotbook playbooks list | validate | schema`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pilotbook.cli.common import echo
from pilotbook.cli.root import app

if TYPE_CHECKING:
    from pilotbook.playbook.registry import Registry

playbooks_app = typer.Typer(
    help="The playbooks: list those found, check files, print the JSON Schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(playbooks_app, name="playbooks")


@playbooks_app.command("list")
def list_playbooks(
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print a JSON object (playbooks, broken, warnings) instead of lines."
        ),
    ] = False,
) -> None:
    """List the playbooks found: id, version, title and where each was found.

    Built-in playbooks come first, then the user's folders (see `pilotbook where`);
    a later playbook with the same id overrides an earlier one, with a warning.
    Broken files are listed with their first problem.
    """
    from pilotbook.playbook.registry import discover

    registry = discover()
    for warning in registry.warnings:
        echo(f"warning: {warning}", err=True)
    if as_json:
        import json

        echo(json.dumps(_as_json(registry), indent=2))
        return
    rows = [
        (i.id, f"v{i.version}", " ".join(i.title.split()), f"{i.origin}: {i.path}")
        for i in sorted(registry.playbooks.values(), key=lambda i: i.id)
    ]
    for row in _columns(rows):
        echo(row)
    for path, error in sorted(registry.broken.items()):
        more = len(error.problems) - 1
        extra = f" (and {more} more; run `pilotbook playbooks validate {path}`)" if more else ""
        echo(f"broken: {error.first}{extra}")
    if not rows and not registry.broken:
        echo("no playbooks found", err=True)


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    # Each line starts with the id, so `grep ^ai-pilot` finds it.
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]) for r in rows
    ]


def _as_json(registry: Registry) -> dict[str, object]:
    return {
        "playbooks": [
            {
                "id": i.id,
                "version": i.version,
                "title": i.title,
                "path": str(i.path),
                "origin": i.origin,
                "overrides": [str(p) for p in i.overrides],
            }
            for i in sorted(registry.playbooks.values(), key=lambda i: i.id)
        ],
        "broken": [
            {"path": str(p), "problems": [str(x) for x in e.problems]}
            for p, e in sorted(registry.broken.items())
        ],
        "warnings": registry.warnings,
    }


@playbooks_app.command("validate")
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Playbook files to check.", metavar="FILE", show_default=False),
    ],
) -> None:
    """Check playbook files: `ok: FILE` for each good one, else one problem a line
    as FILE:LINE:COLUMN: MESSAGE, and exit code 2."""
    from pilotbook.playbook.errors import PlaybookError
    from pilotbook.playbook.loader import load_playbook

    failed = False
    for file in files:
        try:
            playbook = load_playbook(file)
        except PlaybookError as e:
            failed = True
            for problem in e.problems:
                echo(str(problem), err=True)
            continue
        n = len(playbook.questions())
        echo(f"ok: {file} ({playbook.id} v{playbook.version}, {n} questions)")
    if failed:
        raise typer.Exit(2)


@playbooks_app.command("schema")
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the schema to this file instead of printing it."
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of playbooks, for editors that check and complete YAML."""
    import json

    from pilotbook.playbook.schema import playbook_schema

    text = json.dumps(playbook_schema(), indent=2) + "\n"
    if output is None:
        echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        from pilotbook.cli.common import fail

        fail(f"cannot write {output}: {e.strerror}")
