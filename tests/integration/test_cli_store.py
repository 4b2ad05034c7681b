"""The store's commands, end to end: what a facilitator types, and every fault."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

PLAYBOOKS = Path(__file__).resolve().parents[1] / "unit" / "store" / "playbooks"


@pytest.fixture
def cli(tmp_path, monkeypatch, request):  # type: ignore[no-untyped-def]
    """Run `pilotbook ARGS` in-process from an empty folder with the test playbook.

    A test that names `engine_kind` runs twice: on the SQLite store `init` makes
    here, and with `--db` naming a fresh database on the test PostgreSQL server.
    """
    from pilotbook.cli.root import app

    prefix: list[str] = []
    if request.getfixturevalue("engine_kind") == "postgresql":
        prefix = ["--db", request.getfixturevalue("pg_url")]

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.2")
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0, stdin: str | None = None):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, [*prefix, *args], input=stdin, catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    return run


@pytest.fixture
def filled(cli):  # type: ignore[no-untyped-def]
    cli("init")
    cli("new", "Support bot", "-p", "store-test")
    cli("answer", "support-bot", "users", "1,200", "--by", "Ana")
    return cli


def _one_error_line(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_makes_a_store_folder_that_where_then_finds(cli, tmp_path):
    out = cli("init").stdout
    assert str(tmp_path / "store" / "pilotbook.db") in out
    where = json.loads(cli("where", "--json").stdout)
    assert where["store"]["value"] == str(tmp_path / "store" / "pilotbook.db")
    assert "nearest store/ folder" in where["store"]["why"]
    assert oct((tmp_path / "store" / "pilotbook.db").stat().st_mode & 0o777) == "0o600"


def test_db_option_and_environment_choose_the_store(cli, tmp_path, monkeypatch):
    assert "--db option" in cli("--db", str(tmp_path / "a.db"), "where").stdout
    monkeypatch.setenv("PILOTBOOK_DB", str(tmp_path / "b.db"))
    assert "PILOTBOOK_DB" in cli("where").stdout


def test_a_facilitator_session_from_new_to_history(filled, engine_kind):
    cli = filled
    cli("answer", "support-bot", "channels", "email; chat")
    cli("answer", "Support bot", "launch", "2026-03-01")
    cli("answer", "support-bot", "budget", "--na", "vendor pays")
    cli("answer", "support-bot", "name", "--note", "check with legal")
    cli("answer", "support-bot", "users", "1500")
    assert "now revision 3" in cli("undo", "support-bot", "users").stdout

    listed = json.loads(cli("list", "--json").stdout)
    assert [p["slug"] for p in listed] == ["support-bot"]
    shown = cli("show", "support-bot").stdout
    # Questions in their words, each answer on the line below.
    assert "How many users?\n     1,200\n" in shown
    assert "Which channels?\n     Email; Chat\n" in shown
    assert "Budget?\n     not applicable: vendor pays\n" in shown
    assert "note: check with legal" in shown

    events = json.loads(cli("history", "support-bot", "users", "--json").stdout)
    assert [(e["kind"], e["value"], e["by"]) for e in events] == [
        ("set", 1200, "Ana"),
        # Without --by: the user logged in (the pilot has no facilitator).
        ("set", 1500, getpass.getuser()),
        ("undo", 1200, getpass.getuser()),
    ]
    assert "launch" in cli("history", "support-bot").stdout


def test_a_stale_revision_is_refused(filled, engine_kind):
    result = filled("answer", "support-bot", "users", "5", "--revision", "0", code=75)
    _one_error_line(result, "users", "changed elsewhere")


def test_value_from_stdin_keeps_every_line(filled, engine_kind):
    filled("answer", "support-bot", "story", "-", stdin="line one\n\n## not a heading\n")
    view = json.loads(filled("show", "support-bot", "--json").stdout)
    # Every line is kept; blank lines around the text are not (the app trims them too).
    assert view["answers"]["story"]["value"] == "line one\n\n## not a heading"


def test_actions_add_list_and_close(filled, engine_kind):
    filled(
        "actions", "support-bot", "--add", "Agree budget", "--owner", "Ana", "--due", "2026-12-01"
    )
    [action] = json.loads(filled("actions", "support-bot", "--json").stdout)
    assert (action["owner"], action["due"], action["status"]) == ("Ana", "2026-12-01", "open")
    filled("actions", "support-bot", "--close", action["id"][:8])
    assert json.loads(filled("actions", "support-bot", "--open", "--json").stdout) == []
    _one_error_line(
        filled("actions", "support-bot", "--add", "x", "--due", "soon", code=64), "--due"
    )


def test_dump_and_load_into_an_empty_store_then_again(filled, engine_kind, tmp_path):
    filled("answer", "support-bot", "users", "7")
    filled("dump", "support-bot", "-o", str(tmp_path / "d.json"))
    other = str(tmp_path / "other.db")
    filled("--db", other, "load", str(tmp_path / "d.json"))
    again = filled("--db", other, "load", str(tmp_path / "d.json"), "--json").stdout
    assert json.loads(again)["rows_added"] == 0
    copy = json.loads(filled("--db", other, "dump", "--all").stdout)
    assert copy == json.loads((tmp_path / "d.json").read_text())


def test_load_refuses_what_is_not_a_dump(filled, engine_kind, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "pilotbook-dump",\n "version": }')
    _one_error_line(filled("load", str(bad), code=65), "bad.json:2:")
    bad.write_text("[1, 2]")
    _one_error_line(filled("load", str(bad), code=65), "not a pilotbook dump")
    _one_error_line(filled("load", str(tmp_path / "missing.json"), code=66), "cannot read")


def test_backup_writes_a_copy(filled, tmp_path):
    filled("backup", str(tmp_path / "copy.db"))
    with sqlite3.connect(tmp_path / "copy.db") as db:
        assert db.execute("SELECT count(*) FROM answer_event").fetchone() == (1,)
    _one_error_line(filled("backup", str(tmp_path / "copy.db"), code=73), "already exists")


# ---------------------------------------------------------------- faults: one line, nothing changed


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("show", "nobody"), 66, ("no pilot 'nobody'",)),
        (("answer", "support-bot", "nope", "1"), 66, ("no question 'nope'",)),
        (("answer", "support-bot", "nope", "--clear"), 66, ("no question 'nope'",)),
        (("answer", "support-bot", "users", "forty"), 65, ("users", "a number")),
        (("answer", "support-bot", "launch", "tomorrow"), 65, ("launch", "YYYY-MM-DD")),
        (("answer", "support-bot", "regulated", "perhaps"), 65, ("regulated", "yes or no")),
        (("answer", "support-bot", "commitment", "maybe"), 65, ("commitment", "one of")),
        (("answer", "support-bot", "users"), 64, ("exactly one",)),
        (("undo", "support-bot", "name"), 65, ("nothing to undo",)),
        (("history", "support-bot", "nope"), 66, ("no question 'nope'",)),
        (("new", "X", "-p", "missing"), 66, ("no playbook 'missing'",)),
    ],
)
def test_bad_input_is_one_line_with_its_code_and_changes_nothing(
    filled, tmp_path, args, code, words
):
    store = tmp_path / "store" / "pilotbook.db"
    before = filled("dump", "--all").stdout
    _one_error_line(filled(*args, code=code), *words)
    assert filled("dump", "--all").stdout == before
    assert store.exists()


def test_an_ambiguous_pilot_name_is_refused(filled, engine_kind):
    filled("new", "Twin", "-p", "store-test")
    filled("new", "twin", "-p", "store-test")
    _one_error_line(filled("show", "TWIN", code=64), "matches 2 pilots")


def test_a_file_that_is_not_a_store_is_refused_untouched(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    _one_error_line(cli("--db", str(notes), "list", code=69), "not a pilotbook store")
    assert notes.read_text() == "not a database"


def test_a_corrupt_store_is_one_line(cli, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    before = _digest(broken)
    _one_error_line(cli("--db", str(broken), "list", code=69), "corrupt")
    assert _digest(broken) == before


def test_a_newer_store_is_refused_untouched(filled, tmp_path):
    store = tmp_path / "store" / "pilotbook.db"
    with sqlite3.connect(store) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    before = _digest(store)
    _one_error_line(filled("list", code=69), "newer pilotbook")
    assert _digest(store) == before


def test_a_locked_store_is_one_line_and_nothing_is_saved(filled, tmp_path):
    store = tmp_path / "store" / "pilotbook.db"
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        _one_error_line(
            filled("answer", "support-bot", "users", "9", code=75), "locked by another process"
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    events = json.loads(filled("history", "support-bot", "--json").stdout)
    assert [e["value"] for e in events] == [1200]


def _run_in_read_only_folder(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pilotbook with `folder` read-only for it (root ignores file modes: mount it ro)."""
    command = [sys.executable, "-m", "pilotbook", *args]
    env = {**os.environ, "PILOTBOOK_PLAYBOOKS": str(PLAYBOOKS), "PILOTBOOK_LOCK_TIMEOUT": "0.2"}
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        finally:
            folder.chmod(0o755)
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a folder read-only")
    script = 'd="$1"; shift; mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" && exec "$@"'
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip("running as root and cannot mount a folder read-only here")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_read_only_folder_is_one_line_and_nothing_changes(filled, tmp_path):
    folder = tmp_path / "store"
    store = folder / "pilotbook.db"
    new = _run_in_read_only_folder(folder, "--db", str(folder / "new.db"), "list")
    assert new.returncode == 77
    assert new.stderr.startswith("error: cannot make the store") and new.stderr.count("\n") == 1
    assert not (folder / "new.db").exists()

    before = _digest(store)
    saved = _run_in_read_only_folder(
        folder, "--db", str(store), "answer", "support-bot", "users", "3"
    )
    assert saved.returncode == 77, saved.stderr
    assert saved.stderr.startswith("error: ") and saved.stderr.count("\n") == 1, saved.stderr
    assert "Traceback" not in saved.stderr
    assert _digest(store) == before


STORE_COMMANDS = ["init", "where", "new", "list", "show", "answer", "history", "undo"]
STORE_COMMANDS += ["actions", "dump", "load", "backup", "demo", "rename", "archive"]


def test_every_store_command_and_option_has_help():
    import typer.main

    from pilotbook.cli.root import app

    group = typer.main.get_command(app)
    for name in STORE_COMMANDS:
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help, name
        for param in command.params:
            assert getattr(param, "help", None), f"{name} {param.name}"


def test_demo_without_opening_fills_the_store_once(cli, monkeypatch):
    monkeypatch.delenv("PILOTBOOK_PLAYBOOKS")  # the real ai-pilot playbook
    cli("init")
    cli("demo", "--no-open")
    cli("demo", "--no-open")
    [pilot] = json.loads(cli("list", "--json").stdout)
    assert pilot["slug"] == "customer-service-assistant-demo"
    assert 0 < pilot["required_answered"] < pilot["required_total"]
    assert "Maria Okafor" in cli("history", pilot["slug"]).stdout


def test_without_a_store_folder_the_user_data_folder_is_used(cli, tmp_path):
    out = cli("new", "Solo", "-p", "store-test").stdout
    assert out.startswith("solo ")
    assert (tmp_path / "home" / "pilotbook.db").exists()
    assert "user data folder" in cli("where").stdout


def test_hostile_text_prints_literally_and_cannot_drive_the_terminal(filled, engine_kind):
    name = "Evil \x1b[31mred\x1b[0m [bold]x[/bold]"
    filled("new", name, "-p", "store-test")
    listed = filled("list").stdout
    assert "\x1b" not in listed
    assert "[bold]x[/bold]" in listed
    filled("answer", "evil-31mred-0m-bold-x-bold", "story", "line\n# heading\x07")
    shown = filled("show", "evil-31mred-0m-bold-x-bold").stdout
    assert "Tell the story\n     line / # heading\\x07" in shown
    stored = json.loads(filled("show", "evil-31mred-0m-bold-x-bold", "--json").stdout)
    assert stored["answers"]["story"]["value"] == "line\n# heading\x07"  # kept as typed


def test_rename_and_archive(filled, engine_kind):
    assert "Helper" in filled("rename", "support-bot", "Helper").stdout
    filled("archive", "support-bot")
    assert json.loads(filled("list", "--json").stdout) == []
    [kept] = json.loads(filled("list", "--all", "--json").stdout)
    assert (kept["slug"], kept["name"], kept["archived"]) == ("support-bot", "Helper", True)
    filled("archive", "support-bot", "--restore")
    assert len(json.loads(filled("list", "--json").stdout)) == 1


def test_show_at_a_date_gives_the_answers_as_they_stood(filled, tmp_path):
    store = tmp_path / "store" / "pilotbook.db"
    with sqlite3.connect(store) as db:  # the first answer was given in March
        db.execute("UPDATE answer_event SET at = '2026-03-10 10:00:00.000000'")
    filled("answer", "support-bot", "users", "99")
    users = "How many users?\n     "
    assert users + "1,200\n" in filled("show", "support-bot", "--at", "2026-03-31").stdout
    assert users + "-\n" in filled("show", "support-bot", "--at", "2026-03-01").stdout
    assert users + "99\n" in filled("show", "support-bot").stdout
    _one_error_line(filled("show", "support-bot", "--at", "March", code=64), "--at")
