"""Exit codes a script can rely on: the verdict's 0-3, sysexits codes for every error,
the same code for the same mistake whichever command it is made in, and the table
in docs/guide.md the same as the one the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"


@pytest.fixture
def store(pb):  # type: ignore[no-untyped-def]
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    pb("--db", "s.db", "new", "Support desk", "-p", "store-test")
    return pb


@pytest.mark.parametrize(
    "args",
    [
        ("nosuch",),  # an unknown command
        ("answer",),  # a missing argument
        ("list", "--bogus"),  # a bad option
        ("verdict", "support-bot", "--bogus"),
        ("show", "support"),  # a prefix of two pilots
        ("verdict", "support"),
        ("phase", "support"),
        ("history", "support"),
    ],
)
def test_usage_mistakes_exit_64_never_a_verdict_code(store, args):
    code, _, err = store("--db", "s.db", *args, code=None)
    assert code == 64, err
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize("command", ["show", "verdict", "history", "phase", "questions"])
def test_a_typo_in_a_pilot_exits_66_and_suggests(store, command):
    code, _, err = store("--db", "s.db", command, "suport-bot", code=None)
    assert code == 66, err
    assert "did you mean support-bot" in err


def test_a_bad_value_exits_65(store):
    code, _, err = store("--db", "s.db", "answer", "support-bot", "users", "many", code=None)
    assert code == 65, err


def test_a_store_that_is_not_one_exits_69(store, tmp_path):
    (tmp_path / "not.db").write_text("hello")
    code, _, err = store("--db", "not.db", "list", code=None)
    assert code == 69, err


def test_the_verdict_codes_are_unchanged(store):
    code, _, _ = store("--db", "s.db", "verdict", "support-bot", code=None)
    assert code in (0, 1, 2, 3)


def test_the_guide_lists_every_code_the_cli_uses():
    from pilotbook.cli.exits import TABLE

    text = GUIDE.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", text, re.M))
    assert {str(code) for code, _ in TABLE} <= set(rows), rows
