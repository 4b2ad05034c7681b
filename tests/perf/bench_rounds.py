"""50 participants voting within about a second: every vote counted, and the latency
of one vote (the form post to its page back), median and p99, against the
floor of the same devices fetching the page in the same run.

    .venv/bin/python tests/perf/bench_rounds.py [participants]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.rounds.client import Device, csrf_of


def main(n: int = 50) -> None:
    from pilotbook.web.room import Room
    from pilotbook.workshop import open_workshop

    ws = open_workshop(str(Path(tempfile.mkdtemp()) / "store.db"))
    pilot = ws.pilots.create("Bench", "ai-pilot")
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    room = Room(lambda: ws)
    url = room.join_url(room.publish(r.id))
    devices = [Device() for _ in range(n)]
    tokens = [csrf_of(d.get(url)[1]) for d in devices]  # every phone has the page open
    times: list[float] = []
    start = threading.Barrier(n + 1)

    def vote(i: int) -> None:
        start.wait()
        time.sleep(i / n)  # spread over one second, as a room would
        t0 = time.perf_counter()
        status, _ = devices[i].vote(url, str(1 + i % 5), csrf=tokens[i])
        times.append(time.perf_counter() - t0)
        assert status == 200

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    counted = ws.rounds.vote_count(r.id)
    # The floor, in the same run: the same devices fetching the round's page.
    floor = []
    for d in devices:
        t0 = time.perf_counter()
        d.get(url)
        floor.append(time.perf_counter() - t0)
    room.stop()
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    median, page = statistics.median(times), statistics.median(floor)
    print(f"{n} votes sent over {took:.2f} s; counted {counted}")
    print(f"vote latency: median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(f"page fetch (floor): median {page * 1000:.1f} ms; vote ÷ floor {median / page:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
