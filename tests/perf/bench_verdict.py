"""The verdict as one table answer grows, against the same pilot with 10 rows.

Every table and list of the shipped playbook's sample answers is filled to
the size given; the verdict is worked out cold (nothing remembered) each
time. Prints the median, the ratio to 10 rows (the floor, measured in the
same run) and the time a row; the cost should grow linearly, and every size
up to the store's limit must end in a verdict, not a playbook problem.

    .venv/bin/python tests/perf/bench_verdict.py [--runs 3] [--smoke]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "rules"))

from ai_pilot_answers import good_answers, load_playbook  # noqa: E402

from pilotbook.playbook.kinds import MAX_ITEMS, MAX_ROWS  # noqa: E402
from pilotbook.rules import assess, evaluate  # noqa: E402


def sized(book: Any, rows: int) -> dict[str, Any]:
    answers = good_answers()
    for q in book.questions():
        value = answers.get(q.id)
        if q.type == "table" and isinstance(value, list) and value:
            answers[q.id] = (value * (rows // len(value) + 1))[:rows]
        elif q.type == "list":
            answers[q.id] = [f"item {i}" for i in range(min(rows, MAX_ITEMS))]
    return answers


def once(book: Any, answers: dict[str, Any]) -> tuple[float, str, int]:
    evaluate.forget()
    start = time.perf_counter()
    result = assess(book, {"answers": answers, "na": []})
    return time.perf_counter() - start, result.verdict, len(result.problems)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one run, 10 and 100 rows")
    args = parser.parse_args()
    sizes = [10, 100] if args.smoke else [10, 100, 250, MAX_ROWS]
    runs = 1 if args.smoke else args.runs
    book = load_playbook()
    once(book, sized(book, 10))  # compile every condition first
    times: dict[int, list[float]] = {n: [] for n in sizes}
    outcome: dict[int, tuple[str, int]] = {}
    for _ in range(runs):
        for n in sizes:  # interleaved, so a busy moment hits every size alike
            took, verdict, problems = once(book, sized(book, n))
            times[n].append(took)
            outcome[n] = (verdict, problems)
    floor = statistics.median(times[sizes[0]])
    print(f"{'rows':>6} {'median':>9} {'÷ 10 rows':>10} {'a row':>8}  verdict")
    for n in sizes:
        m = statistics.median(times[n])
        verdict, problems = outcome[n]
        said = verdict + (f", {problems} playbook problems" if problems else "")
        print(f"{n:>6} {m * 1000:7.0f} ms {m / floor:9.1f}x {m / n * 1000:6.2f} ms  {said}")


if __name__ == "__main__":
    main()
