"""`pilotbook serve` started for real in a child process, on 127.0.0.1 and a free port."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from processes import stop_group


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT/pilotbook-RUN: the run's own path, no slash at the end
    token: str
    process: subprocess.Popen[str]
    port: int

    @property
    def origin(self) -> str:
        return self.base.split("/pilotbook-")[0]

    @property
    def path(self) -> str:
        return self.base[len(self.origin) :]


@contextlib.contextmanager
def served(tmp_path: Path, *args: str, port: int | None = None) -> Iterator[Served]:
    port = free_port() if port is None else port
    env = dict(os.environ, PILOTBOOK_HOME=str(tmp_path / "home"))
    cmd = [sys.executable, "-m", "pilotbook", "--db", str(tmp_path / "store.db")]
    # A group of its own: serve starts the app (`pilotbook room`) per browser
    # tab, and those outlive serve's SIGTERM unless their group is stopped too.
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        seen = []
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                raise AssertionError(f"serve printed no address: {seen}") from None
            seen.append(line)
            m = re.search(r"(http://127\.0\.0\.1:(\d+)/pilotbook-\w+)/\?token=([\w-]+)", line)
            if m:
                break
        port = int(m.group(2))
        # The address is printed as the server starts, a moment before it listens.
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        yield Served(m.group(1), m.group(3), proc, port)
    finally:
        stop_group(proc)
