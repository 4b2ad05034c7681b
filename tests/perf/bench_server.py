"""Benchmark a store on a local PostgreSQL server, beside SQLite in the same run.

Run: .venv/bin/python tests/perf/bench_server.py [--quick | --smoke]

Starts a throwaway server (tests/pgserver.py: initdb + pg_ctl, loopback,
fsync on) and prints:

- save: 1,000 `ws.answers.set` calls on PostgreSQL and on SQLite, and
  the same two writes with bare psycopg (one transaction each) as the floor;
- a store of 10,000 pilots and 1,000,000 events (bench_store.py's SQLite
  store, copied into PostgreSQL with COPY): `ws.pilots.all()` and
  `ws.pilots.open()` on both engines;
- the concurrency test's run (8 processes x 200 revision-checked writes to
  three answers of one pilot): wall time and writes per second, both engines.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "perf"))

from bench_store import big_store, ms, pct  # noqa: E402


def saves(location: str, n: int) -> list[float]:
    from pilotbook.workshop import open_workshop

    ws = open_workshop(location)
    pilot = ws.pilots.create("Bench", playbook_id="ai-pilot")
    times = []
    for i in range(n):
        start = time.perf_counter()
        ws.answers.set(pilot.id, "user_count", i + 1)
        times.append(time.perf_counter() - start)
    ws.close()
    return times


def bare_saves(url: str, n: int) -> list[float]:
    import psycopg

    from pilotbook.workshop import open_workshop

    open_workshop(url).close()  # the schema
    conn = psycopg.connect(url)
    pid = str(uuid.uuid4())
    with conn.transaction():
        conn.execute(
            "INSERT INTO pilot VALUES (%s, %s, 'x', 'ai-pilot', 1, 'before', NULL, now(), now(),"
            " false)",
            (pid, pid),
        )
        conn.execute(
            "INSERT INTO answer (id, pilot_id, question_id, revision, updated_at, answered)"
            " VALUES (%s, %s, 'user_count', 0, now(), true)",
            (str(uuid.uuid4()), pid),
        )
    times = []
    for i in range(n):
        start = time.perf_counter()
        with conn.transaction():
            conn.execute(
                "UPDATE answer SET value_json = %s, revision = revision + 1 WHERE pilot_id = %s",
                (str(i), pid),
            )
            conn.execute(
                "INSERT INTO answer_event (id, pilot_id, question_id, kind, value_json,"
                " revision, at) VALUES (%s, %s, 'user_count', 'set', %s, %s, now())",
                (str(uuid.uuid4()), pid, str(i), i + 1),
            )
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def copy_big(source: Path, url: str) -> None:
    """The big SQLite store's rows into the (migrated) PostgreSQL database."""
    import psycopg

    from pilotbook.workshop import open_workshop

    open_workshop(url).close()
    lite = sqlite3.connect(source)
    with psycopg.connect(url) as conn:
        for table in ("pilot", "answer", "answer_event", "playbook_copy"):
            cols = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
            rows = lite.execute(f"SELECT {', '.join(cols)} FROM {table}")
            bools = {"archived", "answered"}
            with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            bool(v) if c in bools and v is not None else v
                            for c, v in zip(cols, row, strict=True)
                        ]
                    )
        conn.execute("ANALYZE")


def big(location: str, ids: list[str], opens: int) -> tuple[float, list[float]]:
    from pilotbook.workshop import open_workshop

    ws = open_workshop(location)
    ws.pilots.all()  # warm: playbooks loaded, pool connected
    lists = []
    for _ in range(3):
        start = time.perf_counter()
        ws.pilots.all()
        lists.append(time.perf_counter() - start)
    times = []
    for pid in ids[:opens]:
        start = time.perf_counter()
        ws.pilots.open(pid)
        times.append(time.perf_counter() - start)
    ws.close()
    return min(lists), times


def contention(location: str, processes: int, writes: int) -> tuple[float, int, int]:
    import yaml
    from test_concurrency import PLAYBOOKS, run_writers

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    ws = open_workshop(location, playbooks=StaticPlaybooks([Playbook.model_validate(data)]))
    pilot = ws.pilots.create("Contended", playbook_id="store-test")
    ws.close()
    start = time.perf_counter()
    results = run_writers(location, pilot.id, processes, writes)
    wall = time.perf_counter() - start
    applied = sum(1 for r in results if r[0] == "ok")
    return wall, applied, len(results) - applied


def main() -> None:
    import pgserver

    smoke = "--smoke" in sys.argv
    quick = smoke or "--quick" in sys.argv
    n = 20 if smoke else 200 if quick else 1000
    server = pgserver.start()
    folder = Path(tempfile.mkdtemp(prefix="pb-server-"))
    try:
        print(f"saving an answer, durable, {n} times")
        pg = saves(server.new_database(), n)
        lite = saves(str(folder / "store.db"), n)
        floor = bare_saves(server.new_database(), n)
        base = statistics.median(floor)
        for what, t in (("PostgreSQL", pg), ("SQLite", lite), ("bare psycopg, 2 writes", floor)):
            m = statistics.median(t)
            print(
                f"  {what:<26} median {ms(m)}  p99 {ms(pct(t, 99))}  ÷ bare psycopg {m / base:.1f}x"
            )

        if not quick:
            print("\n10,000 pilots and 1,000,000 events")
            path, ids = big_store()
            url = server.new_database()
            made = time.perf_counter()
            copy_big(path, url)
            print(f"  (copied into PostgreSQL in {time.perf_counter() - made:.1f} s)")
            for what, location in (("PostgreSQL", url), ("SQLite", str(path))):
                listed, opened = big(location, ids, 200)
                print(
                    f"  {what:<12} list_pilots {ms(listed)}   open_pilot median "
                    f"{ms(statistics.median(opened))} p99 {ms(pct(opened, 99))}"
                )

        processes, writes = (2, 3) if smoke else (8, 50) if quick else (8, 200)
        print(f"\n{processes} processes x {writes} revision-checked writes to 3 answers")
        for what, location in (
            ("PostgreSQL", server.new_database()),
            ("SQLite", str(folder / "contended.db")),
        ):
            wall, applied, conflicts = contention(location, processes, writes)
            total = applied + conflicts
            print(
                f"  {what:<12} {wall:6.1f} s  {total / wall:6.0f} writes/s  "
                f"({applied} applied, {conflicts} conflicts)"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
