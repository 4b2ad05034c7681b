"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a temporary folder.

The server listens on a free loopback port, with password authentication,
so the URLs the tests use carry a password (and the tests can check that it
is never printed). initdb refuses to run as root: as root, the server runs
as the `postgres` user that Debian's package makes.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

USER = "pilotbook"
PASSWORD = "s3cret-test"


def server_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's versioned folder."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    bindir: Path
    data: Path
    port: int
    run_as: str | None

    def url(self, database: str = "postgres", driver: bool = False) -> str:
        scheme = "postgresql+psycopg" if driver else "postgresql"
        return f"{scheme}://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A fresh, empty database; its URL (plain `postgresql://`, as users type it)."""
        name = "t_" + uuid.uuid4().hex[:16]
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.data.parent, ignore_errors=True)


def start() -> Server:
    """Start a server; raises RuntimeError with the reason when it cannot."""
    bindir = server_bin()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no postgres user for initdb") from None
        run_as = "postgres"
    top = Path(tempfile.mkdtemp(prefix="pilotbook-pg-"))
    data, sockets = top / "data", top / "sock"
    pwfile = top / "pw"
    pwfile.write_text(PASSWORD + "\n")
    sockets.mkdir()
    if run_as:
        os.chmod(top, 0o755)
        for p in (top, sockets, pwfile):
            shutil.chown(p, run_as)
    server = Server(bindir, data, _free_port(), run_as)
    init = subprocess.run(
        server._cmd(
            "initdb",
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if init.returncode != 0:
        shutil.rmtree(top, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[-300:]}")
    opts = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -k {sockets} "
        "-c fsync=on -c max_connections=60 -c shared_buffers=32MB"
    )
    started = subprocess.run(
        server._cmd("pg_ctl", "-D", str(data), "-o", opts, "-l", str(top / "log"), "-w", "start"),
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        log = (top / "log").read_text() if (top / "log").exists() else ""
        shutil.rmtree(top, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {(started.stderr + log).strip()[-300:]}")
    for _ in range(50):  # pg_ctl -w waits, but a busy machine can still be slow to accept
        try:
            server.admin("SELECT 1")
            break
        except Exception:
            time.sleep(0.1)
    return server
