"""What a file or a store holds wrongly is one line with its exit code, never a traceback."""

from __future__ import annotations

import shutil
import sqlite3

from cli_main import PLAYBOOKS


def test_a_damaged_kept_playbook_is_one_line_in_upgrade_dry_run(pb, tmp_path):
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    with sqlite3.connect(tmp_path / "s.db") as db:
        db.execute("UPDATE playbook_copy SET content_json = '{broken'")
    _, _, err = pb("--db", "s.db", "upgrade", "support-bot", "--dry-run", code=69)
    assert "damaged" in err and err.count("\n") == 1


def test_a_playbook_version_beyond_64_bits_is_one_line(pb, tmp_path, monkeypatch):
    folder = tmp_path / "books"
    folder.mkdir()
    text = (PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8")
    assert "\nversion: " in text
    head, _, rest = text.partition("\nversion: ")
    huge = head + "\nversion: 99999999999999999999999\n" + rest.partition("\n")[2]
    (folder / "huge.yaml").write_text(huge.replace("id: store-test", "id: huge-test", 1))
    shutil.copy(PLAYBOOKS / "store-test.yaml", folder / "store-test.yaml")
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(folder))
    code, _, err = pb("--db", "s.db", "new", "Support bot", "-p", "huge-test", code=None)
    assert code in (65, 66) and err.count("\n") == 1, err
