"""No control sequence reaches the terminal: every command, given hostile names,
answers, notes and playbook titles, prints them as visible escapes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pilotbook.textsafe import json_safe, safe, safe_line

PLAYBOOKS = Path(__file__).resolve().parents[1] / "unit" / "store" / "playbooks"
# ESC sequences (window title, clear screen), CSI as one C1 byte, a carriage
# return, a bidi override and an isolate, a line separator.
EVIL = "\x1b]0;owned\x07\x1b[2J\x9b31m\r\u202eevil\u2066\u2028"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_safe_shows_each_control_as_a_visible_escape():
    assert safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert safe("\x9b\u202e\u2069") == "\\x9b\\u202e\\u2069"
    assert safe("two\nlines\tok") == "two\nlines\tok"
    assert safe_line("two\nlines") == "two\\nlines"
    assert RAW.search(safe(EVIL)) is None and RAW.search(safe_line(EVIL)) is None
    text = json_safe(json.dumps({"k": EVIL}, ensure_ascii=False))
    assert RAW.search(text) is None and json.loads(text) == {"k": EVIL}


@pytest.fixture
def cli(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from pilotbook.cli.root import app

    books = tmp_path / "books"
    books.mkdir()
    text = (PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8")
    evil_yaml = json.dumps(EVIL)  # a double-quoted YAML scalar
    text = text.replace("title: Store test playbook", f"title: {evil_yaml}")
    text = text.replace("title: Basics", f"title: {evil_yaml}")
    (books / "store-test.yaml").write_text(text, encoding="utf-8")
    broken = text.replace("id: store-test", "id: broken-one").replace("version: 2", "version: x")
    (books / "broken.yaml").write_text(broken + f"\n{json.dumps(EVIL)}: 1\n", encoding="utf-8")
    shutil.copy(books / "broken.yaml", tmp_path / "broken.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(books))
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)
    runner = CliRunner()
    seen: list[str] = []

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        out = result.stdout + result.stderr
        assert "Traceback" not in out
        found = RAW.search(out)
        assert found is None, (args, repr(out[max(0, found.start() - 40) : found.end() + 40]))
        seen.append(out)
        return result.stdout

    run.seen = seen  # type: ignore[attr-defined]
    return run


def test_no_command_prints_a_raw_control_character(cli, tmp_path):
    cli("init")
    cli("new", f"Bot {EVIL}", "-p", "store-test")
    slug = json.loads(cli("list", "--json"))[0]["slug"]
    for q, value in [("name", EVIL), ("story", f"line\n{EVIL}"), ("systems", f"a, {EVIL}")]:
        cli("answer", slug, q, value, "--by", EVIL)
    cli("answer", slug, "owner", "--note", EVIL)
    cli("answer", slug, "budget", "--na", EVIL)
    cli("answer", slug, "commitment", EVIL)  # refused: the error quotes it
    cli("actions", slug, "--add", EVIL, "--owner", EVIL)
    cli("signoff", slug, EVIL, "--role", EVIL)
    cli("decide", slug, "no-go", "--rationale", EVIL, "--by", EVIL)
    cli("snapshot", slug, "--label", EVIL)
    cli("rename", slug, f"Bot 2 {EVIL}")
    for args in [
        ("list",),
        ("list", "--json"),
        ("show", slug),
        ("show", slug, "--json"),
        ("history", slug),
        ("history", slug, "--json"),
        ("actions", slug),
        ("actions", slug, "--json"),
        ("verdict", slug),
        ("verdict", slug, "--json"),
        ("export", slug, "-o", "-"),
        ("export", slug, "-f", "html", "-o", "-"),
        ("phase", slug),
        ("snapshots", slug),
        ("where",),
        ("playbooks", "list"),
        ("playbooks", "list", "--json"),
        ("playbooks", "validate", "broken.yaml"),
        ("show", EVIL),  # no such pilot: the error quotes it
        ("dump", "--all"),
    ]:
        cli(*args)
    cli("dump", "--all", "-o", "d.json")
    assert RAW.search((tmp_path / "d.json").read_text(encoding="utf-8")) is None
    cli("--db", str(tmp_path / "other.db"), "load", "d.json")
    shown = "\n".join(cli.seen)  # type: ignore[attr-defined]
    assert "\\x1b]0;owned" in shown and "\\u202e" in shown  # visible, not dropped
