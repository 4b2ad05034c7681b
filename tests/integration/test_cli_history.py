"""`pilotbook history` is the pilot's whole story, and every change made on the
command line has an author even without --by."""

from __future__ import annotations

import getpass


def test_history_tells_the_whole_story(pb):
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    pb("--db", "s.db", "answer", "support-bot", "users", "1200", "--by", "Ana")
    pb("--db", "s.db", "phase", "support-bot", "after", "--by", "Bo")
    pb("--db", "s.db", "decide", "support-bot", "no-go", "-r", "Budget frozen", "--by", "Cy")
    pb("--db", "s.db", "actions", "support-bot", "--add", "Book the room", "--by", "Di")
    _, out, _ = pb("--db", "s.db", "history", "support-bot")
    lines = out.splitlines()
    assert any("phase" in x and "Bo" in x and "Before → After" in x for x in lines), out
    assert any("snapshot" in x for x in lines), out
    assert any("decision" in x and "Cy" in x and "Budget frozen" in x for x in lines), out
    assert any("action.added" in x and "Book the room" in x for x in lines), out
    assert any("users" in x and "Ana" in x for x in lines), out


def test_changes_without_by_name_the_facilitator_else_the_user(pb):
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    pb("--db", "s.db", "new", "Claims", "-p", "store-test", "--facilitator", "Lena")
    pb("--db", "s.db", "answer", "support-bot", "users", "12")
    pb("--db", "s.db", "answer", "claims", "users", "12")
    pb("--db", "s.db", "phase", "claims", "after")
    _, out, _ = pb("--db", "s.db", "history", "support-bot")
    assert getpass.getuser() in out.splitlines()[1]
    _, out, _ = pb("--db", "s.db", "history", "claims")
    rows = out.splitlines()[1:]
    assert rows and all("Lena" in r for r in rows), out
