"""Writers in separate processes on one pilot: every write applied or a conflict, never lost.

On PostgreSQL this is the lost update the pilot-row lock and the unique
(pilot, question, revision) prevent; on SQLite the write lock does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from test_cli_store import PLAYBOOKS

WRITER = Path(__file__).with_name("concurrent_writer.py")
PROCESSES, WRITES = 8, 200  # on PostgreSQL; SQLite takes turns on one lock: half as many


def run_writers(store: str, pilot_id: str, processes: int, writes: int) -> list[list]:
    import os

    env = {**os.environ, "PILOTBOOK_LOCK_TIMEOUT": "60"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WRITER),
                store,
                pilot_id,
                str(n),
                str(writes),
                str(PLAYBOOKS / "store-test.yaml"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(processes)
    ]
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-2000:]
            results += [json.loads(line) for line in out.splitlines()]
    finally:  # one writer failed or hung: the others stop too
        for p in procs:
            p.kill()
            p.wait()
    return results


@pytest.fixture
def store(engine_kind, tmp_path, request):  # type: ignore[no-untyped-def]
    import yaml

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    if engine_kind == "postgresql":
        location = request.getfixturevalue("pg_url")
    else:
        location = str(tmp_path / "store.db")
    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    ws = open_workshop(location, playbooks=StaticPlaybooks([Playbook.model_validate(data)]))
    yield location, ws
    ws.close()


def test_concurrent_writers_lose_nothing_and_never_reuse_a_revision(store):
    store_location, ws = store
    pilot = ws.pilots.create("Contended", playbook_id="store-test")
    writes = WRITES if store_location.startswith("postgresql") else WRITES // 2
    results = run_writers(store_location, pilot.id, PROCESSES, writes)
    assert len(results) == PROCESSES * writes  # every write answered: applied or a conflict
    applied = [r for r in results if r[0] == "ok"]
    assert applied, "no write was applied"
    events = ws.answers.history(pilot.id)
    by_question: dict[str, list] = defaultdict(list)
    for e in events:
        by_question[e.question_id].append(e)
    for question, found in by_question.items():
        revisions = [e.revision for e in found]
        assert len(set(revisions)) == len(revisions), f"{question}: a revision used twice"
        # In revision order, the history is in the order the writes happened.
        ordered = sorted(found, key=lambda e: e.revision)
        assert [e.revision for e in ordered] == list(range(1, len(found) + 1))
        assert [e.at for e in ordered] == sorted(e.at for e in found)
        assert ws.pilots.open(pilot.id).answer(question).value == ordered[-1].value
    # Every applied write is in the history at the revision its save returned.
    recorded = {(e.question_id, e.revision): e.value for e in events}
    assert all(recorded[(q, rev)] == value for _, q, rev, value in applied)
    assert len(events) == len(applied)
