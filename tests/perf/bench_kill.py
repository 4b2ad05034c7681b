"""kill -9 at random moments while saving, upgrading an old store and loading a dump.

Runs the rounds of `tests/integration/test_kill.py` many more times than the
suite does, and prints what was checked:

    .venv/bin/python tests/perf/bench_kill.py [SAVE_ROUNDS [MIGRATE_ROUNDS [LOAD_ROUNDS]]]

Defaults: 100, 40, 40.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from test_kill import run_kill_rounds, run_load_kills, run_migration_kills


def main() -> None:
    saves, migrations, loads = (
        [int(a) for a in sys.argv[1:4]] + [100, 40, 40][len(sys.argv) - 1 :]
    )[:3]
    folder = Path(tempfile.mkdtemp(prefix="pb-kill-"))
    print(f"kill -9 benchmark in {folder}")

    start = time.perf_counter()
    s = run_kill_rounds(folder / "store.db", saves, 7)
    print(
        f"  saving:    {s.rounds} kills, {s.saves} returned saves all present, integrity ok "
        f"({s.killed_before_first_save} kills while opening) in {time.perf_counter() - start:.1f} s"
    )
    for name, run in (("upgrading", run_migration_kills), ("loading", run_load_kills)):
        rounds = migrations if name == "upgrading" else loads
        here = folder / name
        here.mkdir()
        start = time.perf_counter()
        j = run(here, rounds, 7)
        outcomes = ", ".join(f"{v} {k}" for k, v in sorted(j.outcomes.items()))
        print(
            f"  {name + ':':<10} {j.rounds} kills ({outcomes}; {j.finished} finished before "
            f"the kill), every check passed, in {time.perf_counter() - start:.1f} s"
        )


if __name__ == "__main__":
    main()
