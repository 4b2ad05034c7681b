"""Benchmark: exporting the go/no-go brief.

1. One fully answered pilot of the default playbook: the first export (cold:
   imports, template compilation), the median and p95 of warm ones (the
   rules remember results, as when the app re-renders a pilot), and the
   median with the rules' memory emptied each time (a pilot never seen).
2. Every pilot of a 10,000-pilot store (about a million answer events):
   each brief exported in turn, with the median, p95 and total.

The baseline, measured in the same run, is opening the same pilot through
the service (`ws.pilots.open`): the ratio says what an export costs on
top of reading the pilot. The target is 200 ms per brief.

    .venv/bin/python tests/perf/bench_export.py [--pilots 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "rules"))

from ai_pilot_answers import good_answers  # noqa: E402

TARGET_MS = 200.0
EVENTS_PER_ANSWER = 1  # ~100 answers a pilot: ~1,000,000 events for 10,000 pilots


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100.0 * (len(ordered) - 1)))]


def _vary(playbook: Any, base: dict[str, Any], rng: random.Random) -> tuple[dict, list[str]]:
    """A plausible pilot: the good answers with some changed, left out or not applicable."""
    answers = copy.deepcopy(base)
    na = []
    for q in playbook.questions():
        roll = rng.random()
        if roll < (0.003 if q.required else 0.08):
            answers[q.id] = None
        elif roll < 0.10 and not q.required:
            answers[q.id] = None
            na.append(q.id)
        elif q.type == "choice" and roll < 0.35:
            answers[q.id] = rng.choice(q.option_ids)
        elif q.type == "yesno" and roll < 0.25:
            answers[q.id] = not answers[q.id]
        elif q.type in ("number", "money", "percent") and answers[q.id] is not None:
            answers[q.id] = round(answers[q.id] * rng.uniform(0.5, 1.5), 1)
        elif q.type in ("text", "longtext", "person") and answers[q.id]:
            answers[q.id] = f"{answers[q.id]} #{rng.randint(1, 999)}"
    return answers, na


def _against(times: list[float], base: list[float]) -> None:
    """The baseline, the ratio to it, and the target, for the p95."""
    ratio = statistics.median(times) / statistics.median(base)
    met = "met" if _ms(_pct(times, 95)) <= TARGET_MS else "MISSED"
    print(f"  baseline open_pilot median  {_ms(statistics.median(base)):7.1f} ms")
    print(f"  ratio export / open_pilot   {ratio:.1f}x")
    print(f"  target p95 <= {TARGET_MS:.0f} ms: {met}")


def build_store(path: Path, pilots: int, seed: int = 7) -> tuple[Any, str]:
    """The store: one pilot answered through the service, the rest written in bulk."""
    from pilotbook.db import tables as t
    from pilotbook.workshop import open_workshop

    ws = open_workshop(str(path))
    first = ws.pilots.create("Claims triage")
    for qid, value in good_answers().items():
        if value not in (None, []):
            ws.answers.set(first.id, qid, value, by="Ana")
    playbook = ws.playbooks.for_pilot(first.id)
    rng = random.Random(seed)
    base = good_answers()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    with ws.engine.begin() as conn:
        for i in range(1, pilots):
            pid = str(uuid.uuid4())
            when = start + dt.timedelta(minutes=i)
            pilot = {
                "id": pid,
                "slug": f"pilot-{i:05d}",
                "name": f"Pilot {i:05d}",
                "playbook_id": playbook.id,
                "playbook_version": playbook.version,
                "phase": "decision",
                "facilitator": None,
                "created_at": when,
                "updated_at": when,
                "archived": False,
            }
            conn.execute(t.Pilot.__table__.insert(), [pilot])
            answers, na = _vary(playbook, base, rng)
            rows, events = [], []
            for qid, value in answers.items():
                if value is None and qid not in na:
                    continue
                reason = "Not in this pilot" if qid in na else None
                value_json = None if reason else json.dumps(value)
                common = {"pilot_id": pid, "question_id": qid, "value_json": value_json}
                rows.append(
                    {
                        **common,
                        "id": str(uuid.uuid4()),
                        "na_reason": reason,
                        "note": None,
                        "revision": EVENTS_PER_ANSWER,
                        "updated_at": when,
                        "updated_by": "Ana",
                    }
                )
                for rev in range(1, EVENTS_PER_ANSWER + 1):
                    last = rev == EVENTS_PER_ANSWER
                    events.append(
                        {
                            **common,
                            "id": str(uuid.uuid4()),
                            "kind": "na" if reason and last else "set",
                            "na_reason": reason if last else None,
                            "note": None,
                            "revision": rev,
                            "by": "Ana",
                            "at": when,
                            "session_id": None,
                        }
                    )
            conn.execute(t.Answer.__table__.insert(), rows)
            conn.execute(t.AnswerEvent.__table__.insert(), events)
            if i % 1000 == 0:
                print(f"  {i} pilots written ({time.perf_counter() - t0:.0f} s)", flush=True)
    return ws, first.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--warm-runs", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="build the store in this folder and keep it")
    args = parser.parse_args()

    os.environ.setdefault("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _run(args, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(args: argparse.Namespace, folder: Path) -> None:
    os.environ["PILOTBOOK_HOME"] = str(folder / "home")
    store = folder / "store.db"
    if store.exists():
        store.unlink()

    from pilotbook.rules.evaluate import forget
    from pilotbook.workshop.review import export_document

    ws, first = build_store(store, 1)
    cold = time.perf_counter()
    brief = export_document(ws, first, "brief")
    cold = time.perf_counter() - cold
    warm, base = [], []
    for _ in range(args.warm_runs):
        s = time.perf_counter()
        ws.pilots.open(first)
        base.append(time.perf_counter() - s)
        s = time.perf_counter()
        export_document(ws, first, "brief")
        warm.append(time.perf_counter() - s)
    fresh = []
    for _ in range(max(3, args.warm_runs // 3)):
        forget()  # every condition evaluated again, as for a pilot never seen
        s = time.perf_counter()
        export_document(ws, first, "brief")
        fresh.append(time.perf_counter() - s)
    s = time.perf_counter()
    export_document(ws, first, "brief", "html")
    as_html = time.perf_counter() - s
    ws.close()
    print("one fully answered pilot (brief, Markdown):")
    print(f"  size {len(brief.text):,} characters")
    print(f"  cold (first, with imports)  {_ms(cold):7.1f} ms")
    print(f"  warm median                 {_ms(statistics.median(warm)):7.1f} ms")
    print(f"  warm p95                    {_ms(_pct(warm, 95)):7.1f} ms")
    print(f"  rules from scratch, median  {_ms(statistics.median(fresh)):7.1f} ms")
    print(f"  as HTML                     {_ms(as_html):7.1f} ms")
    _against(warm, base)

    if args.pilots <= 1:
        return
    store.unlink()
    print(f"building a store of {args.pilots:,} pilots ...", flush=True)
    t0 = time.perf_counter()
    ws, first = build_store(store, args.pilots)
    print(f"  built in {time.perf_counter() - t0:.0f} s, {store.stat().st_size / 1e6:.0f} MB")
    ids = [p.id for p in ws.pilots.all()]
    times, opens, verdicts = [], [], {}
    for n, pid in enumerate(ids, 1):
        s = time.perf_counter()
        ws.pilots.open(pid)
        opens.append(time.perf_counter() - s)
        s = time.perf_counter()
        e = export_document(ws, pid, "brief")
        times.append(time.perf_counter() - s)
        verdict = e.text.split("Verdict of the rules: **", 1)[1].split("**", 1)[0]
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        if n % 1000 == 0:
            print(f"  {n} exported ({sum(times):.0f} s)", flush=True)
    print(f"every pilot of a {len(ids):,}-pilot store (brief, Markdown):")
    print(f"  total {sum(times):.1f} s for {len(times):,} briefs")
    print(
        f"  per brief median {_ms(statistics.median(times)):6.1f} ms  "
        f"p95 {_ms(_pct(times, 95)):6.1f} ms  max {_ms(max(times)):6.1f} ms"
    )
    print(f"  verdicts: {dict(sorted(verdicts.items()))}")
    _against(times, opens)
    ws.close()


if __name__ == "__main__":
    main()
