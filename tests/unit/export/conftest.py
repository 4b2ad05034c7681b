from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# The fully answered default pilot lives with the rules tests; share it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))

from ai_pilot_answers import good_answers
from export_helpers import ROOT


@pytest.fixture(scope="session")
def answered_store(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A store file with one fully answered pilot, made once and copied per test."""
    from pilotbook.workshop import open_workshop

    folder = tmp_path_factory.mktemp("store")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PILOTBOOK_HOME", str(folder / "home"))
        mp.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
        ws = open_workshop(str(folder / "store.db"))
        pilot = ws.pilots.create("Claims triage")
        for qid, value in good_answers().items():
            if value not in (None, []):
                ws.answers.set(pilot.id, qid, value, by="Ana")
        ws.close()
    return folder / "store.db"


@pytest.fixture
def store(answered_store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)
    db = tmp_path / "store.db"
    shutil.copyfile(answered_store, db)
    db.chmod(0o600)
    ws = open_workshop(str(db))
    yield ws, ws.pilots.find("claims-triage"), str(db)
    ws.close()
