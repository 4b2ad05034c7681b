"""Commands: `pilotbook playbooks list | validate | schema | import-lens`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pilotbook.cli.common import echo

if TYPE_CHECKING:
    from pilotbook.playbook.registry import Registry

GROUP_HELP = "The playbooks: list those found, check files, print the JSON Schema."


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
    from pilotbook.rules.playbooks import discover

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


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
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


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Playbook files to check.", metavar="FILE", show_default=False),
    ],
) -> None:
    """Check playbook files: `ok: FILE` for each good one, else one problem a line
    as FILE:LINE:COLUMN: MESSAGE, and exit code 2."""
    from pilotbook.playbook.errors import PlaybookError
    from pilotbook.rules.playbooks import load_playbook

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
        raise typer.Exit(65)  # bad data


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
        from pilotbook.cli.exits import for_error

        fail(f"cannot write {output}: {e.strerror}", for_error(e))


def import_lens(
    lens: Annotated[
        Path,
        typer.Argument(help="An AWS Well-Architected custom lens (JSON).", show_default=False),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the playbook (YAML), or - for stdout. Default: <id>.yaml in "
            "the playbooks folder beside the store, else in the user data folder.",
            metavar="FILE",
        ),
    ] = None,
    playbook_id: Annotated[
        str | None,
        typer.Option("--id", help="The playbook id (default: made from the lens name)."),
    ] = None,
    high: Annotated[
        str,
        typer.Option(help="What any question at high risk makes the verdict.", metavar="RESULT"),
    ] = "no-go",
    medium: Annotated[
        str,
        typer.Option(help="What any question at medium risk makes the verdict.", metavar="RESULT"),
    ] = "conditional",
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an existing file (never a built-in playbook's id)."),
    ] = False,
) -> None:
    """Turn a Well-Architected custom lens into a playbook: pillars become sections,
    questions multichoice questions, risk rules CEL risk rules, and each risk level a
    gate (RESULT: no-go, conditional, not-ready or none). A lens that breaks the
    format gets one line per problem with its JSON path, and nothing is written.
    An id that a playbook found already has (built-in or yours) is refused, with a
    free one suggested: a lens never takes the place of a playbook in use."""
    from pilotbook.cli.common import fail
    from pilotbook.playbook.errors import PlaybookError
    from pilotbook.playbook.lens import LensError, LensProblem
    from pilotbook.rules.playbooks import import_lens as convert

    warnings: list[LensProblem] = []
    try:
        text, playbook = convert(
            lens, playbook_id=playbook_id, high=high, medium=medium, warnings=warnings
        )
    except (LensError, PlaybookError) as e:
        problems = e.problems
        for problem in problems:
            echo(f"error: {problem}", err=True)
        raise typer.Exit(2) from None
    for warning in warnings:
        echo(f"warning: {warning}", err=True)
    if output == "-":
        echo(text, nl=False)
        return
    target = Path(output) if output else _default_folder() / f"{playbook.id}.yaml"
    from pilotbook.cli import exits
    from pilotbook.errors import WorkshopError
    from pilotbook.rules.playbooks import claim_id
    from pilotbook.workshop.review import ExportExists, write_export

    try:
        claim_id(playbook.id, target, force=force)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_export(text, target, overwrite=force)
    except ExportExists:
        fail(f"{target} exists already (use --force to replace it)", exits.CANT_CREATE)
    except WorkshopError as e:
        fail(str(e), exits.for_error(e))
    except OSError as e:
        fail(f"cannot write {target}: {e.strerror}", exits.for_os_error(e))
    n = len(playbook.questions())
    echo(f"wrote {target} ({playbook.id} v{playbook.version}, {n} questions)")


def _default_folder() -> Path:
    from pilotbook import locations

    dirs = [d for d in locations.user_playbook_dirs() if "environment" not in d.why]
    return Path(dirs[-1].value)
