"""`--help` lists every command with its first paragraph in full, never cut with "..."."""

from __future__ import annotations

import pytest
from cli_main import run_main


def _squeezed(text: str) -> str:
    # Wrapping may break a line inside "go/no-go": compare without any spaces.
    return "".join(text.split())


@pytest.mark.parametrize("group", [[], ["playbooks"]], ids=["pilotbook", "playbooks"])
def test_help_lists_each_command_uncut(group: list[str]) -> None:
    import typer

    from pilotbook.cli.root import app

    code, out, err = run_main(*group, "--help")
    assert code == 0, err
    listing = out.partition("Commands:")[2]
    assert listing.strip()
    assert "..." not in listing and "…" not in listing
    flat = _squeezed(listing)
    root = typer.main.get_command(app)
    commands = root.commands[group[0]].commands if group else root.commands
    for name, command in commands.items():
        first = (command.help or "").partition("\n\n")[0]
        assert _squeezed(name + first) in flat, name
