"""`pilotbook answer` when the disk fills up for real (SQLite's own SQLITE_FULL):
one line on stderr, the I/O exit code, no traceback, nothing saved before lost."""

from __future__ import annotations

import json

import pytest

from pilotbook.cli.exits import IO
from tests.diskfull import BIG, filling_disk


def test_answer_on_a_full_disk_exits_with_one_line_then_works_again(
    pb, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    disk = filling_disk(monkeypatch)
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    pb("--db", "s.db", "answer", "support-bot", "name", "Bot")
    disk.full = True
    code, out, err = pb(
        "--db", "s.db", "answer", "support-bot", "story", "-", stdin=BIG.encode(), code=None
    )
    assert code == IO != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "disk full" in lines[0], err
    assert "Traceback" not in err + out
    disk.full = False
    _, out, _ = pb("--db", "s.db", "dump", "--all", "-o", "-")
    (pilot,) = json.loads(out)["pilots"]
    saved = {a["question_id"]: json.loads(a["value_json"]) for a in pilot["answers"]}
    assert saved == {"name": "Bot"}
    pb("--db", "s.db", "answer", "support-bot", "story", "-", stdin=BIG.encode())
