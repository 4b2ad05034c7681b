"""Kill -9 while answers are being saved: every save that returned is still there.

A helper process (this file run as a script) imports pilotbook once, then per
round forks a child that opens the store and saves answers in a loop,
writing one line per save *after* the save returned. The helper kills the
child with SIGKILL at a random moment (after a random number of saves, a few
random milliseconds later; or while it opens the store) and says so; the test then checks
the store: each reported save is in the history with its value, every
answer row agrees with its last event, and `PRAGMA integrity_check` is ok.
Forking from a warm helper keeps a round to tens of milliseconds, so the
test runs 50 rounds and the benchmark 100.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve()
PLAYBOOKS = HERE.parents[1] / "unit" / "store" / "playbooks"
ROUNDS = 50


# ---------------------------------------------------------------- the helper process


def _child(db: str, pilot_id: str, book, notify: int) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    ws = open_workshop(db, playbooks=StaticPlaybooks([book]))
    n = 0
    while True:
        n += 1
        if n % 7 == 0:
            saved = ws.undo(pilot_id, "users")
        elif n % 2:
            saved = ws.set_answer(pilot_id, "name", f"name {os.getpid()} {n}")
        else:
            saved = ws.set_answer(pilot_id, "users", n)
        line = f"saved\t{saved.question_id}\t{saved.revision}\t{json.dumps(saved.value)}\n"
        os.write(1, line.encode())  # one write: a kill cannot split the line
        os.write(notify, b".")  # tells the helper how far the child got


def helper(db: str, pilot_id: str) -> None:
    import yaml

    # Warm up once: every child starts with the modules already imported.
    import pilotbook.workshop.service  # noqa: F401
    from pilotbook.playbook.model import Playbook

    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    book = Playbook.model_validate(data)
    os.write(1, b"ready\n")
    import time

    for command in sys.stdin:
        # "go K DELAY": kill after K saves returned plus DELAY seconds (K = 0: while opening).
        _, after, delay = command.split()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                _child(db, pilot_id, book, write_end)
            finally:
                os._exit(3)
        os.close(write_end)
        for _ in range(int(after)):
            if not os.read(read_end, 1):
                break  # the child died on its own; waitpid below says how
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        os.write(1, f"killed\t{status}\n".encode())


# ---------------------------------------------------------------- the checks


@dataclass
class KillStats:
    rounds: int = 0
    saves: int = 0
    killed_before_first_save: int = 0
    expected_at_least: int = 0
    per_round: list[int] = field(default_factory=list)


def check_store(db: Path, pilot_id: str, returned: list[tuple[str, int, str]]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        events = {
            (q, r): v
            for q, r, v in con.execute(
                "SELECT question_id, revision, value_json FROM answer_event WHERE pilot_id = ?",
                (pilot_id,),
            )
        }
        for question, revision, value in returned:
            stored = events.get((question, revision), "missing")
            assert stored != "missing", f"lost: {question} revision {revision}"
            got = json.loads(stored) if stored else None
            assert got == json.loads(value), (question, revision)
        for question, revision, value in con.execute(
            "SELECT question_id, revision, value_json FROM answer WHERE pilot_id = ?", (pilot_id,)
        ):
            # The row and its event were written together: they always agree.
            revisions = sorted(r for q, r in events if q == question)
            assert revisions == list(range(1, revision + 1)), question
            assert events[(question, revision)] == value
    finally:
        con.close()


def run_kill_rounds(db: Path, rounds: int, seed: int) -> KillStats:
    """Make a pilot in `db`, then kill a saving process `rounds` times, checking each time."""
    import yaml

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    with open_workshop(str(db), playbooks=StaticPlaybooks([Playbook.model_validate(data)])) as ws:
        pilot_id = ws.create_pilot("Kill test", playbook_id="store-test").id
    rng = random.Random(seed)
    proc = subprocess.Popen(
        [sys.executable, str(HERE), "helper", str(db), pilot_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    stats = KillStats()
    returned: list[tuple[str, int, str]] = []
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline() == "ready\n"
        for _ in range(rounds):
            # Most kills land among the saves (after a random number of them, a random
            # few milliseconds later); one in five lands while the child opens the store.
            after = 0 if rng.random() < 0.2 else rng.randint(1, 25)
            delay = rng.uniform(0.0, 0.03 if after == 0 else 0.004)
            proc.stdin.write(f"go {after} {delay:.4f}\n")
            proc.stdin.flush()
            count = 0
            for line in proc.stdout:
                kind, *rest = line.rstrip("\n").split("\t")
                if kind == "killed":
                    assert os.WIFSIGNALED(int(rest[0])), "the child died of something else"
                    break
                returned.append((rest[0], int(rest[1]), rest[2]))
                count += 1
            else:
                raise AssertionError("the helper stopped")
            check_store(db, pilot_id, returned)
            stats.rounds += 1
            stats.saves += count
            stats.per_round.append(count)
            stats.killed_before_first_save += count == 0
            stats.expected_at_least += after
            assert count >= after, "the helper killed too early"
    finally:
        proc.kill()
        proc.wait()
    return stats


def test_saves_that_returned_survive_kill_9(tmp_path):
    stats = run_kill_rounds(tmp_path / "store.db", ROUNDS, seed=20261122)
    assert stats.rounds == ROUNDS
    # The kills landed among the saves, not only before them.
    assert stats.saves >= stats.expected_at_least > ROUNDS


if __name__ == "__main__" and sys.argv[1:2] == ["helper"]:
    helper(sys.argv[2], sys.argv[3])
