"""The processes a test run starts, found through /proc, and stopping them for good.

Every process the run starts carries OWNER in its environment (set in
tests/conftest.py, inherited by children and their children), so a process
is found even after its parent died and it was handed to init: a `pilotbook
room` that `pilotbook serve` started, for one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

OWNER = "PILOTBOOK_TEST_OWNER"
PROC = Path("/proc")


@dataclass(frozen=True)
class Running:
    pid: int
    ppid: int
    group: int
    command: str

    def __str__(self) -> str:
        return f"pid {self.pid}: {self.command}"


def _read(pid: int) -> tuple[Running, bytes] | None:
    """The process and its environment as it started; None once it is gone or a zombie."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        environ = (PROC / str(pid) / "environ").read_bytes()
        cmdline = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:  # gone meanwhile, or not ours to read
        return None
    # The command name is in brackets and may hold spaces: the fields follow the last ")".
    state, ppid, group = stat[stat.rindex(")") + 2 :].split()[:3]
    if state in ("Z", "X"):  # dead, waiting to be reaped: nothing runs
        return None
    command = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return Running(pid, int(ppid), int(group), command), environ


def running() -> Iterable[tuple[Running, bytes]]:
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            found = _read(int(entry.name))
            if found is not None:
                yield found


def left_behind(owner: int) -> list[Running]:
    """The live processes `owner` started, however far down, other than itself."""
    mark = f"{OWNER}={owner}".encode()
    table = list(running())
    parent = {p.pid: p.ppid for p, _env in table}

    def descends(pid: int) -> bool:
        seen = set()
        while pid > 1 and pid not in seen:
            seen.add(pid)
            pid = parent.get(pid, 0)
            if pid == owner:
                return True
        return False

    return [
        p for p, env in table if p.pid != owner and (mark in env.split(b"\0") or descends(p.pid))
    ]


def in_group(group: int) -> list[Running]:
    return [p for p, _env in running() if p.group == group]


def _gone(group: int, proc: subprocess.Popen[str] | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None:
            proc.poll()  # reaps the leader, so it does not count as running
        if not in_group(group):
            return True
        time.sleep(0.05)
    return False


def stop_group(proc: subprocess.Popen[str], timeout: float = 20) -> None:
    """Stop `proc`, started with `start_new_session=True`, and every process in its
    group: SIGTERM, then SIGKILL for whatever is left after `timeout` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:  # the whole group is gone already
            break
        if _gone(proc.pid, proc, timeout):
            break
    proc.wait(timeout)


def kill(processes: Iterable[Running]) -> None:
    for p in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p.pid, signal.SIGKILL)
