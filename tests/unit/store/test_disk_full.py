"""The disk fills up under a save: a one-line "disk full" refusal, the answers
saved before are intact, and the same save works once space is free again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotbook.errors import StoreIO
from tests.diskfull import BIG, filling_disk


def test_a_save_on_a_full_disk_is_refused_in_one_line_and_loses_nothing(
    store_path: Path, test_playbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    disk = filling_disk(monkeypatch)
    ws = open_workshop(str(store_path), playbooks=StaticPlaybooks([test_playbook]))
    try:
        pid = ws.pilots.create("Full", playbook_id="store-test").id
        ws.answers.set(pid, "name", "Support assistant")
        ws.answers.set(pid, "story", "It started small.")
        disk.full = True
        with pytest.raises(StoreIO) as refused:
            ws.answers.set(pid, "story", BIG, expected_revision=1)
        message = str(refused.value)
        assert message.startswith("disk full") and "free some space" in message
        assert "\n" not in message and str(store_path) in message
        view = ws.pilots.open(pid)
        assert view.answer("name").value == "Support assistant"
        assert (view.answer("story").value, view.answer("story").revision) == (
            "It started small.",
            1,
        )
        disk.full = False
        ws.answers.set(pid, "story", BIG, expected_revision=1)
        assert ws.pilots.open(pid).answer("story").value == BIG.strip()
    finally:
        ws.close()
    # What was saved is in the file, and the file is sound.
    again = open_workshop(str(store_path), playbooks=StaticPlaybooks([test_playbook]))
    try:
        assert again.pilots.open(pid).answer("name").value == "Support assistant"
    finally:
        again.close()
