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

The same helper kills a child that upgrades an old (schema 0001) store (the
store is then old and intact, or migrated; every backup beside it is whole,
and the next open finishes the job and leaves no partial copy), and a child
that loads a dump into an empty store (all the dump's rows, or none). The
suite runs a few rounds of each; `tests/perf/bench_kill.py` runs more.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve()
PLAYBOOKS = HERE.parents[1] / "unit" / "store" / "playbooks"
ROUNDS = 50
MIGRATE_ROUNDS = 6
LOAD_ROUNDS = 6


# ---------------------------------------------------------------- the helper process


def _child(db: str, pilot_id: str, book, notify: int) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    ws = open_workshop(db, playbooks=StaticPlaybooks([book]))
    n = 0
    while True:
        n += 1
        if n % 7 == 0:
            saved = ws.answers.undo(pilot_id, "users")
        elif n % 2:
            saved = ws.answers.set(pilot_id, "name", f"name {os.getpid()} {n}")
        else:
            saved = ws.answers.set(pilot_id, "users", n)
        line = f"saved\t{saved.question_id}\t{saved.revision}\t{json.dumps(saved.value)}\n"
        os.write(1, line.encode())  # one write: a kill cannot split the line
        os.write(notify, b".")  # tells the helper how far the child got


def _one_job(job: str, path: str, dump, notify: int) -> None:  # type: ignore[no-untyped-def]
    """Migrate (by opening) or load into the store at `path`, then wait to be killed."""
    import time

    from pilotbook.workshop import open_workshop

    ws = open_workshop(path)
    os.write(notify, b".")
    if job == "load":
        ws.transfer.load(dump)
    os.write(1, b"done\n")
    time.sleep(60)


def helper(db: str, pilot_id: str) -> None:
    import yaml

    # Warm up once: every child starts with the modules already imported.
    import pilotbook.workshop.service  # noqa: F401
    from pilotbook.playbook.model import Playbook

    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    book = Playbook.model_validate(data)
    os.write(1, b"ready\n")
    import time

    from pilotbook.workshop import open_workshop

    for command in sys.stdin:
        # "go K DELAY": kill after K saves returned plus DELAY seconds (K = 0: while opening).
        # "migrate DELAY PATH", "load DELAY PATH DUMP": kill DELAY seconds into the job
        # (for load, counted from the moment the store is open).
        job, *words = command.split("\t") if "\t" in command else command.split()
        words[-1] = words[-1].rstrip("\n")
        if job == "warm":
            # Run one job here, in the helper, so every child starts with its modules loaded
            # and the kills land in the job's own work. "warm PATH [DUMP]".
            ws = open_workshop(words[0])
            if len(words) > 1:
                ws.transfer.load(json.loads(Path(words[1]).read_text(encoding="utf-8")))
            ws.close()
            os.write(1, b"warmed\n")
            continue
        if job == "go":
            after, delay = words
        else:
            after, delay = ("1" if job == "load" else "0"), words[0]
            dump = json.loads(Path(words[2]).read_text(encoding="utf-8")) if job == "load" else None
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                if job == "go":
                    _child(db, pilot_id, book, write_end)
                else:
                    _one_job(job, words[1], dump, write_end)
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
        pilot_id = ws.pilots.create("Kill test", playbook_id="store-test").id
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


def _start_helper(db: str = "-", pilot_id: str = "-") -> subprocess.Popen:  # type: ignore[type-arg]
    proc = subprocess.Popen(
        [sys.executable, str(HERE), "helper", db, pilot_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    return proc


def _warm(proc: subprocess.Popen, *paths: Path) -> None:  # type: ignore[type-arg]
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("\t".join(["warm", *map(str, paths)]) + "\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == "warmed\n"


def _kill_job(proc: subprocess.Popen, command: str) -> bool:  # type: ignore[type-arg]
    """Send one job to the helper; True when the child said it was done before the kill."""
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(command + "\n")
    proc.stdin.flush()
    done = False
    for line in proc.stdout:
        if line.startswith("killed"):
            assert os.WIFSIGNALED(int(line.split("\t")[1])), "the child died of something else"
            return done
        done = done or line == "done\n"
    raise AssertionError("the helper stopped")


def _counts(path: Path) -> dict[str, object]:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path
        return {
            "revision": con.execute("SELECT version_num FROM alembic_version").fetchone()[0],
            "rows": [
                con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("pilot", "answer", "answer_event")
            ],
        }
    finally:
        con.close()


def _old_store(path: Path) -> None:
    """A store at schema 0001 with a pilot, three answers and their history."""
    from pilotbook.db import engine, migrate

    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0001")
    eng.dispose()
    when = "2026-01-01 10:00:00.000000"
    with sqlite3.connect(path) as con:
        con.execute(
            "INSERT INTO pilot VALUES ('p1', 'old', 'Old', 'store-test', 2, 'before', NULL,"
            " ?, ?, 0)",
            (when, when),
        )
        for n, (q, v) in enumerate([("name", '"Bot"'), ("users", "12"), ("owner", '"Ana"')]):
            con.execute(
                "INSERT INTO answer (id, pilot_id, question_id, value_json, revision, updated_at)"
                " VALUES (?, 'p1', ?, ?, 1, ?)",
                (f"a{n}", q, v, when),
            )
            con.execute(
                "INSERT INTO answer_event (id, pilot_id, question_id, kind, value_json, revision,"
                " at) VALUES (?, 'p1', ?, 'set', ?, 1, ?)",
                (f"e{n}", q, v, when),
            )
    con.close()


@dataclass
class JobStats:
    rounds: int = 0
    finished: int = 0  # the child said it was done before the kill
    outcomes: dict[str, int] = field(default_factory=dict)


def run_migration_kills(folder: Path, rounds: int, seed: int) -> JobStats:
    """Kill a process upgrading an old store, `rounds` times, checking the store each time."""
    from pilotbook.db.schema import HEAD
    from pilotbook.workshop import open_workshop

    template = folder / "template-0001.db"
    _old_store(template)
    original = _counts(template)
    for timed in ("warm-up.db", "timed.db"):  # the second one is timed, with Alembic loaded
        shutil.copy(template, folder / timed)
        start = time.perf_counter()
        open_workshop(str(folder / timed)).close()
        window = time.perf_counter() - start
    rng = random.Random(seed)
    stats = JobStats()
    proc = _start_helper()
    shutil.copy(template, folder / "warm.db")
    try:
        _warm(proc, folder / "warm.db")
        for n in range(rounds):
            here = folder / f"m{n}"
            here.mkdir()
            path = here / "store.db"
            shutil.copy(template, path)
            done = _kill_job(proc, f"migrate\t{rng.uniform(0, 4 * window):.4f}\t{path}")
            after = _counts(path)
            assert after["rows"] == original["rows"], "the kill lost rows"
            assert after["revision"] in (original["revision"], HEAD)
            assert not done or after["revision"] == HEAD, "a finished migration was lost"
            backups = list(here.glob("store.db.before-*.bak"))
            for backup in backups:
                assert _counts(backup) == original, f"a broken backup: {backup.name}"
            if after["revision"] == HEAD:
                outcome = "migrated"
            else:  # with a backup made, the kill landed in the migration itself
                outcome = "old and intact" + (" after the backup" if backups else "")
            open_workshop(str(path)).close()  # the next open finishes (or has nothing to do)
            assert _counts(path) == {**original, "revision": HEAD}
            left = [p.name for p in here.iterdir() if p.name.endswith((".tmp", "-journal"))]
            assert left == [], left
            stats.rounds += 1
            stats.finished += done
            stats.outcomes[outcome] = stats.outcomes.get(outcome, 0) + 1
    finally:
        proc.kill()
        proc.wait()
    return stats


def _copies(dump: dict, n: int) -> dict:  # type: ignore[type-arg]
    """The dump with each pilot repeated `n` times under new ids and slugs: a bigger load."""
    import re
    import uuid

    pilots = []
    for copy in range(n):
        for entry in dump["pilots"]:
            text = json.dumps(entry)
            for old in set(
                re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)
            ):
                text = text.replace(old, str(uuid.uuid4()))
            made = json.loads(text)
            made["pilot"]["slug"] += f"-{copy}"
            pilots.append(made)
    return {**dump, "pilots": pilots}


def run_load_kills(folder: Path, rounds: int, seed: int) -> JobStats:
    """Kill a process loading a dump into an empty store, `rounds` times: all rows or none."""
    import yaml

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    books = StaticPlaybooks([Playbook.model_validate(data)])
    source, empty, dump = folder / "source.db", folder / "empty.db", folder / "dump.json"
    with open_workshop(str(source), playbooks=books) as ws:
        for p in range(2):
            pilot = ws.pilots.create(f"Pilot {p}", playbook_id="store-test")
            for n in range(5):
                ws.answers.set(pilot.id, "name", f"name {n}")
                ws.answers.set(pilot.id, "users", n)
        dump.write_text(json.dumps(_copies(ws.transfer.dump(None), 20)), encoding="utf-8")
    open_workshop(str(empty)).close()
    # The rows of a finished load, and how long one takes here: the kills land within it.
    shutil.copy(empty, folder / "reference.db")
    with open_workshop(str(folder / "reference.db")) as ws:
        start = time.perf_counter()
        ws.transfer.load(json.loads(dump.read_text(encoding="utf-8")))
        window = time.perf_counter() - start
    full, nothing = _counts(folder / "reference.db"), _counts(empty)
    rng = random.Random(seed)
    stats = JobStats()
    proc = _start_helper()
    shutil.copy(empty, folder / "warm.db")
    try:
        _warm(proc, folder / "warm.db", dump)
        for n in range(rounds):
            path = folder / f"l{n}.db"
            shutil.copy(empty, path)
            done = _kill_job(proc, f"load\t{rng.uniform(0, 2.5 * window):.4f}\t{path}\t{dump}")
            after = _counts(path)
            assert after in (full, nothing), f"a load was half done: {after}"
            assert not done or after == full, "a finished load was lost"
            outcome = "all rows" if after == full else "no rows"
            stats.rounds += 1
            stats.finished += done
            stats.outcomes[outcome] = stats.outcomes.get(outcome, 0) + 1
    finally:
        proc.kill()
        proc.wait()
    return stats


def test_saves_that_returned_survive_kill_9(tmp_path):
    stats = run_kill_rounds(tmp_path / "store.db", ROUNDS, seed=20261122)
    assert stats.rounds == ROUNDS
    # The kills landed among the saves, not only before them.
    assert stats.saves >= stats.expected_at_least > ROUNDS


def test_a_migration_killed_leaves_an_old_or_a_migrated_store(tmp_path):
    stats = run_migration_kills(tmp_path, MIGRATE_ROUNDS, seed=20261130)
    assert stats.rounds == MIGRATE_ROUNDS


def test_a_load_killed_leaves_all_of_the_dump_or_nothing(tmp_path):
    stats = run_load_kills(tmp_path, LOAD_ROUNDS, seed=20261130)
    assert stats.rounds == LOAD_ROUNDS


if __name__ == "__main__" and sys.argv[1:2] == ["helper"]:
    helper(sys.argv[2], sys.argv[3])
