"""The command line at its edges: files at the end of a path, odd bytes, odd stores.

The commands run in-process through `pilotbook.cli.main` (see conftest.py),
and as a real process where the bytes a shell hands over matter: whatever
goes wrong must read as one line on stderr with a non-zero exit code, never
a traceback.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def _process(tmp_path: Path, *args: bytes, stdin: bytes = b"") -> tuple[int, str]:
    """A real `pilotbook` process, for the bytes a shell hands over as they are."""
    env = {**os.environ, "PILOTBOOK_HOME": str(tmp_path / "home"), "PILOTBOOK_LOCK_TIMEOUT": "0.5"}
    env.pop("PILOTBOOK_DB", None)
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"pilotbook", *args],
        input=stdin,
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.fixture
def store(pb):  # type: ignore[no-untyped-def]
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    pb("--db", "s.db", "answer", "support-bot", "users", "1200")
    return pb


def _one_line(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0], err


# ---------------------------------------------------------------- writes to a path


def test_a_dump_is_private_and_replaces_the_old_one_whole(store, tmp_path):
    (tmp_path / "d.json").write_text("old")
    os.chmod(tmp_path / "d.json", 0o644)
    store("--db", "s.db", "dump", "--all", "-o", "d.json", "--force")
    assert stat.S_IMODE((tmp_path / "d.json").stat().st_mode) == 0o600
    assert '"pilotbook-dump"' in (tmp_path / "d.json").read_text()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("command", [["dump", "--all"], ["export", "support-bot"]])
@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_dump_and_export_refuse_what_is_not_a_file(store, tmp_path, command, kind):
    target = tmp_path / "out"
    if kind == "symlink":
        (tmp_path / "precious.txt").write_text("keep me")
        target.symlink_to(tmp_path / "precious.txt")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path(os.devnull)
    before = os.lstat(target)
    _, _, err = store("--db", "s.db", *command, "-o", str(target), code=73)
    _one_line(err, str(target))
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    if kind == "symlink":
        assert (tmp_path / "precious.txt").read_text() == "keep me"


# ---------------------------------------------------------------- never a traceback


def test_invalid_utf8_in_an_argument_is_one_line(store):
    _, _, err = store("--db", "s.db", "show", b"bot\xff", code=64)
    _one_line(err, "UTF-8")
    _, _, err = store("--db", b"s\xfe.db", "list", code=64)
    _one_line(err, "UTF-8")


def test_a_nul_in_an_argument_is_one_line(store):
    # A shell cannot pass one, but a program calling `main` can (the fuzz test found it).
    _, _, err = store("--db", "s\x00.db", "list", code=64)
    _one_line(err, "NUL")
    _, _, err = store("--db", "s.db", "dump", "--all", "-o", "d\x00.json", code=64)
    _one_line(err, "NUL")


def test_invalid_utf8_from_a_real_shell_is_one_line(tmp_path):
    code, err = _process(tmp_path, b"--db", b"s.db", b"show", b"bot\xff")
    assert code == 64 and "Traceback" not in err
    _one_line(err, "UTF-8")
    code, err = _process(tmp_path, b"--db", b"s.db", b"load", b"-", stdin=b"[\xff]")
    assert code == 65 and "Traceback" not in err
    _one_line(err, "UTF-8")


def test_invalid_utf8_on_stdin_is_one_line(store):
    _, _, err = store(
        "--db", "s.db", "answer", "support-bot", "name", "-", stdin=b"Bot\xff", code=65
    )
    _one_line(err, "UTF-8")
    _, _, err = store("--db", "s.db", "load", "-", stdin=b'{"a": "\xc3"}', code=65)
    _one_line(err, "UTF-8")


def test_json_nested_100000_deep_on_stdin_is_one_line(store):
    deep = b"[" * 100_000 + b"]" * 100_000
    _, _, err = store("--db", "s.db", "load", "-", stdin=deep, code=65)
    _one_line(err, "nested too deeply")


@pytest.mark.parametrize(
    "db", ["mysql://user:secret@localhost/db", "foo://x", "sqlite:///:memory:"]
)
def test_a_store_url_that_cannot_work_is_one_line_with_the_store_error_code(pb, db):
    _, _, err = pb("--db", db, "list", code=69)
    _one_line(err)
    assert "secret" not in err


def test_a_fifo_as_the_store_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.db")
    code, err = _process(tmp_path, b"--db", b"pipe.db", b"list")  # a hang hits the timeout
    assert code == 69
    _one_line(err, "not a regular file")


def test_a_usage_mistake_is_one_line(pb):
    _, _, err = pb("nosuchcommand", code=64)
    _one_line(err, "nosuchcommand", "--help")
    _, _, err = pb("list", "--nosuchoption", code=64)
    _one_line(err, "--nosuchoption")
