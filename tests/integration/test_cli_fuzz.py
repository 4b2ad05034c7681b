"""Any bytes in, as arguments or on stdin: success, or one line on stderr and a non-zero exit.

Each example runs one command in-process (`pilotbook.cli.main`, as a shell
would run it) on a fresh copy of a small store, with arguments mixed from
words the commands know and arbitrary bytes. An exception escaping `main`
fails the test: that is a traceback a user would have seen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_main import PLAYBOOKS, run_main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Commands that start the app (`open`, `demo` without --no-open, no command at all)
# are left out: they wait for a terminal.
COMMANDS = [
    ["init"],
    ["where"],
    ["new"],
    ["list"],
    ["show"],
    ["answer"],
    ["history"],
    ["undo"],
    ["actions"],
    ["rename"],
    ["archive"],
    ["dump"],
    ["load"],
    ["backup"],
    ["demo", "--no-open"],
    ["verdict"],
    ["decide"],
    ["signoff"],
    ["export"],
    ["phase"],
    ["snapshot"],
    ["snapshots"],
    ["diff"],
    ["measure"],
    ["scorecard"],
    ["upgrade"],
    ["portfolio"],
    ["playbooks", "list"],
    ["playbooks", "check"],
]
WORDS = [
    "support-bot",
    "name",
    "users",
    "owner",
    "story",
    "-",
    "--json",
    "--all",
    "--clear",
    "--na",
    "--note",
    "--revision",
    "--by",
    "-o",
    "out.md",
    "--format",
    "html",
    "--doc",
    "all",
    "--help",
    "1,200",
    "1e400",
    "2026-02-30",
    "\x1b]0;title\x07",
    "\u202e",
    "",
]


def _safe(arg: bytes) -> bytes:
    # Stay inside the example's folder: no absolute paths, no way up, no home folder.
    if arg.startswith((b"/", b"~")) or b".." in arg:
        return b"x" + arg.replace(b"..", b"_").replace(b"/", b"_")
    return arg


ARG = st.one_of(st.sampled_from(WORDS).map(str.encode), st.binary(max_size=24).map(_safe))
STDIN = st.one_of(
    st.binary(max_size=300),
    st.just(b"[" * 100_000 + b"]" * 100_000),
    st.just(b'{"format": "pilotbook-dump", "version": 1, "pilots": [{}]}'),
    st.just(b"\xff\xfe not text"),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fuzz-template")
    path = folder / "s.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    mp.setenv("PILOTBOOK_HOME", str(folder / "home"))
    try:
        assert run_main("--db", str(path), "new", "Support bot", "-p", "store-test")[0] == 0
        assert run_main("--db", str(path), "answer", "support-bot", "users", "12")[0] == 0
    finally:
        mp.undo()
    return path


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(COMMANDS),
    args=st.lists(ARG, max_size=5),
    stdin=STDIN,
    db=st.one_of(
        st.none(),
        st.just(b"s.db"),
        st.sampled_from([b"mysql://u:p@h/d", b"foo://x", b"sqlite:///:memory:", b"a?b#c%20.db"]),
        st.binary(min_size=1, max_size=12).map(_safe),
    ),
)
def test_any_bytes_give_success_or_one_line(
    template: Path, tmp_path_factory, monkeypatch, command, args, stdin, db
):  # type: ignore[no-untyped-def]
    here = tmp_path_factory.mktemp("fuzz")
    shutil.copy(template, here / "s.db")
    monkeypatch.chdir(here)
    monkeypatch.setenv("PILOTBOOK_HOME", str(here / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.2")
    prefix = [] if db is None else [b"--db", db]
    code, out, err = run_main(*prefix, *command, *args, stdin=stdin)
    assert "Traceback" not in err and "Traceback" not in out
    if code != 0:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("error: "), err
