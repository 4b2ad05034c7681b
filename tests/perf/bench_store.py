"""Benchmark the store: durable saves, a big store's list and open, memory, kill -9.

Run: .venv/bin/python tests/perf/bench_store.py [--quick | --smoke]

Prints each figure beside its target from DESIGN.md and a ratio against a
baseline measured in the same run on the same machine:

- save: 1,000 `ws.answers.set` calls (answer row + history event, one
  transaction, synchronous=FULL) against the same two writes done with bare
  sqlite3 in one transaction each, also synchronous=FULL.
- a store of 10,000 pilots and 1,000,000 answer events (made once with bulk
  inserts and kept under /tmp): `pilotbook list` as a command and
  `ws.pilots.all()`, against `SELECT * FROM pilot` with sqlite3; opening
  a pilot (`ws.pilots.open`) against reading its answer rows with sqlite3.
- peak memory (max RSS) of `pilotbook list` on the big store, against
  `pilotbook --version`.
- 100 kills with SIGKILL while saving (the reliability test, longer).
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
PILOTBOOK = [sys.executable, "-m", "pilotbook"]
CACHE = Path(tempfile.gettempdir()) / "pilotbook-bench"
PILOTS = 10_000
EVENTS_PER_PILOT = 100  # 1,000,000 events


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(what: str, value: float, target: str, baseline: float | None = None) -> None:
    ratio = f"  ({value / baseline:5.1f}x baseline {ms(baseline).strip()})" if baseline else ""
    print(f"  {what:<42} {ms(value)}   target {target}{ratio}")


# ---------------------------------------------------------------- saves


def bench_saves(n: int) -> None:
    from pilotbook.workshop import open_workshop

    print(f"\nsaving an answer, durable, {n} times")
    folder = Path(tempfile.mkdtemp(prefix="pb-save-"))
    ws = open_workshop(str(folder / "store.db"))
    pilot = ws.pilots.create("Bench", playbook_id="ai-pilot")
    times = []
    for i in range(n):
        start = time.perf_counter()
        ws.answers.set(pilot.id, "user_count", i + 1)
        times.append(time.perf_counter() - start)
    ws.close()

    base = _raw_saves(folder / "store.db", pilot.id, n, "FULL", first_revision=n + 1)
    normal = _raw_saves(folder / "store.db", pilot.id, n, "NORMAL", first_revision=2 * n + 1)
    median_base = statistics.median(base)
    report("save median", statistics.median(times), "<= 5 ms", median_base)
    report("save p99", pct(times, 99), "<= 20 ms", pct(base, 99))
    # What synchronous=FULL costs over NORMAL here (the choice is in docs/architecture.md).
    report("bare writes, synchronous=NORMAL, median", statistics.median(normal), "(for scale)")
    report("bare writes, synchronous=FULL, median", median_base, "(for scale)")


def _raw_saves(path: Path, pilot_id: str, n: int, sync: str, first_revision: int) -> list[float]:
    """The same two writes as a save (answer row, history event) with bare sqlite3."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA synchronous = {sync}")
    times = []
    for i in range(n):
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            "UPDATE answer SET value_json = ?, revision = revision + 1 WHERE pilot_id = ?",
            (str(i), pilot_id),
        )
        raw.execute(
            "INSERT INTO answer_event (id, pilot_id, question_id, kind, value_json, revision, at)"
            " VALUES (?, ?, 'user_count', 'set', ?, ?, '2026-01-01 00:00:00.000000')",
            (str(uuid.uuid4()), pilot_id, str(i), first_revision + i),
        )
        raw.execute("COMMIT")
        times.append(time.perf_counter() - start)
    raw.close()
    return times


# ---------------------------------------------------------------- the big store


def big_store() -> tuple[Path, list[str]]:
    from pilotbook.db.schema import HEAD

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"big-{HEAD}-{PILOTS}-{EVENTS_PER_PILOT}.db"
    if not path.exists():
        made = time.perf_counter()
        _make_big(path.with_suffix(".tmp"))
        path.with_suffix(".tmp").rename(path)
        print(f"  (made {path} in {time.perf_counter() - made:.1f} s)")
    with sqlite3.connect(path) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM pilot")]
    return path, ids


def _value(q) -> str:  # type: ignore[no-untyped-def]
    samples = {
        "choice": lambda: q.option_ids[0],
        "multichoice": lambda: list(q.option_ids[:2]),
        "yesno": lambda: True,
        "number": lambda: 42,
        "money": lambda: 120000,
        "percent": lambda: 80,
        "date": lambda: "2026-03-01",
        "list": lambda: ["one", "two"],
        "table": lambda: [{q.columns[0].id: "row"}],
        "checklist": lambda: {q.items[0].id: "pass"},
    }
    return json.dumps(samples.get(q.type, lambda: "An answer of a few words")())


def _make_big(path: Path) -> None:
    from pilotbook.workshop import open_workshop

    path.unlink(missing_ok=True)
    ws = open_workshop(str(path))
    book = ws.playbooks.get("ai-pilot")
    ws.close()
    questions = book.questions()[:40]
    values = [_value(q) for q in questions]
    # 20 questions changed three times, 20 twice: 100 events per pilot.
    changes = [3] * 20 + [2] * 20
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    rng = random.Random(1)
    for n in range(PILOTS):
        pid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        when = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00.000000"
        db.execute(
            "INSERT INTO pilot (id, slug, name, playbook_id, playbook_version, phase,"
            " facilitator, created_at, updated_at, archived)"
            " VALUES (?, ?, ?, 'ai-pilot', 1, 'before', NULL, ?, ?, 0)",
            (pid, f"pilot-{n:05d}", f"Pilot number {n}", when, when),
        )
        events, answers = [], []
        for q, value, count in zip(questions, values, changes, strict=True):
            for rev in range(1, count + 1):
                events.append((str(uuid.uuid4()), pid, q.id, "set", value, rev, when))
            answers.append((str(uuid.uuid4()), pid, q.id, value, count, when))
        db.executemany(
            "INSERT INTO answer_event (id, pilot_id, question_id, kind, value_json, revision, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        db.executemany(
            "INSERT INTO answer (id, pilot_id, question_id, value_json, revision, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            answers,
        )
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command} failed: {result.stderr.strip()}")
    return elapsed


_RSS = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _rss_of(command: list[str]) -> int:
    """Peak resident memory of one run of `command`, in KiB.

    Started from a small launcher: a child forked from this big process would
    count this process's pages in its own peak before it execs.
    """
    out = subprocess.run(
        [sys.executable, "-S", "-c", _RSS, *command], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def bench_big(rounds: int) -> None:
    from pilotbook.workshop import open_workshop

    path, ids = big_store()
    print(f"\na store of {PILOTS:,} pilots and {PILOTS * EVENTS_PER_PILOT:,} answer events")
    ws = open_workshop(str(path))
    ws.pilots.all()  # warm: the playbooks are read once per process
    listing = []
    for _ in range(rounds):
        start = time.perf_counter()
        listed = ws.pilots.all()
        listing.append(time.perf_counter() - start)
    assert len(listed) == PILOTS
    raw = sqlite3.connect(path)
    base = []
    for _ in range(rounds):
        start = time.perf_counter()
        raw.execute("SELECT * FROM pilot ORDER BY updated_at DESC").fetchall()
        base.append(time.perf_counter() - start)
    report("ws.pilots.all()", statistics.median(listing), "<= 0.5 s", statistics.median(base))

    opening, base_open = [], []
    for pid in random.Random(2).sample(ids, 50):
        start = time.perf_counter()
        view = ws.pilots.open(pid)
        opening.append(time.perf_counter() - start)
        assert len(view.answers) == 40
        start = time.perf_counter()
        raw.execute("SELECT * FROM answer WHERE pilot_id = ?", (pid,)).fetchall()
        base_open.append(time.perf_counter() - start)
    report(
        "ws.pilots.open() median",
        statistics.median(opening),
        "<= 100 ms",
        statistics.median(base_open),
    )
    report("ws.pilots.open() p99", pct(opening, 99), "", None)
    history = []
    for pid in ids[:20]:
        start = time.perf_counter()
        ws.answers.history(pid)
        history.append(time.perf_counter() - start)
    report("ws.answers.history(pilot) median", statistics.median(history), "(100 events)")
    ws.close()
    for pragma, when in (
        ("quick_check", "first write of a process"),
        ("integrity_check", "backup"),
    ):
        start = time.perf_counter()
        assert raw.execute(f"PRAGMA {pragma}").fetchall() == [("ok",)]
        report(f"PRAGMA {pragma} ({when})", time.perf_counter() - start, "(no target)")
    raw.close()

    command = [*PILOTBOOK, "--db", str(path), "list"]
    version = [*PILOTBOOK, "--version"]
    cli = [_timed(command) for _ in range(3)]
    bare = [_timed(version) for _ in range(3)]
    report(
        "`pilotbook list` command, wall",
        statistics.median(cli),
        "<= 0.5 s",
        statistics.median(bare),
    )
    show = [*PILOTBOOK, "--db", str(path), "show", f"pilot-{PILOTS // 2:05d}"]
    report("`pilotbook show PILOT` command, wall", _timed(show), "", statistics.median(bare))
    peak, peak_bare = _rss_of(command), _rss_of(version)
    print(
        f"  {'peak memory of `pilotbook list`':<42} {peak / 1024:8.1f} MiB   target <= 150 MiB"
        f"  ({peak / peak_bare:4.1f}x `pilotbook --version`: {peak_bare / 1024:.1f} MiB)"
    )


def bench_kills(rounds: int) -> None:
    from test_kill import run_kill_rounds

    print(f"\nkill -9 while saving, {rounds} times")
    start = time.perf_counter()
    stats = run_kill_rounds(Path(tempfile.mkdtemp(prefix="pb-kill-")) / "store.db", rounds, 7)
    print(
        f"  {stats.rounds} kills, {stats.saves} returned saves all present, integrity ok "
        f"({stats.killed_before_first_save} kills while opening) in "
        f"{time.perf_counter() - start:.1f} s"
    )


def main() -> None:
    global PILOTS
    kind = "smoke" if "--smoke" in sys.argv else "quick" if "--quick" in sys.argv else "full"
    if kind == "smoke":
        PILOTS = 200  # the big store's code still runs, on a store made in seconds
    saves, big, kills = {"smoke": (20, 1, 2), "quick": (200, 3, 20), "full": (1000, 5, 100)}[kind]
    print(f"pilotbook store benchmark ({kind}), python {sys.version.split()[0]}")
    bench_saves(saves)
    bench_big(big)
    bench_kills(kills)


if __name__ == "__main__":
    main()
