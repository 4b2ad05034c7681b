"""Keep every test away from the real user's pilotbook folders, and make sure
no process a test started outlives the run."""

from __future__ import annotations

import os
import tempfile
import time

import pytest


def pytest_configure(config):
    # Every process this one starts, and every process those start, carries
    # its pid: `no_process_left` finds them at the end even when orphaned. An
    # xdist worker puts its own pid over the one it inherited.
    import processes

    os.environ[processes.OWNER] = str(os.getpid())
    # Set before any test runs, so subprocesses inherit it too: no test may
    # read or write the user data or cache folders of whoever runs the suite.
    if "PILOTBOOK_HOME" not in os.environ:
        os.environ["PILOTBOOK_HOME"] = tempfile.mkdtemp(prefix="pilotbook-test-home-")
    os.environ.pop("PILOTBOOK_DB", None)
    os.environ.pop("PILOTBOOK_PLAYBOOKS", None)


@pytest.fixture(scope="session", autouse=True)
def no_process_left():  # type: ignore[no-untyped-def]
    """Fail the run when a process a test started outlives the tests.

    Set up before any other fixture, so torn down after all of them (the
    PostgreSQL server included). Whatever is found is killed after it is
    reported, so a failing run leaves nothing running either."""
    import processes

    yield
    # A child may still be exiting after its parent stopped, or be between fork
    # and exec (its environment unreadable for a moment): look a few times.
    deadline = time.monotonic() + 5
    scans = 0
    while True:
        left = processes.left_behind(os.getpid())
        scans += 1
        if (not left and scans >= 3) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if left:
        processes.kill(left)
        listed = "\n".join(f"  {p}" for p in left)
        pytest.fail(f"processes started by the tests were still running at the end:\n{listed}")


# ---------------------------------------------------------------- PostgreSQL
# The store, service, CLI and concurrency tests run on SQLite and on a real
# PostgreSQL server that the test run starts itself (tests/pgserver.py).
# A test that asks for `engine_kind` (directly or through a fixture) runs on
# both, unless it also reads the SQLite file (`store_path`) or is marked
# `sqlite_only`.

ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):  # type: ignore[no-untyped-def]
    names = metafunc.fixturenames
    if "engine_kind" not in names or "store_path" in names:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    metafunc.parametrize("engine_kind", ENGINES, indirect=True)


@pytest.fixture
def engine_kind(request):  # type: ignore[no-untyped-def]
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    import pgserver

    if pgserver.server_bin() is None:
        if os.environ.get("PILOTBOOK_TEST_POSTGRES") == "required":
            pytest.fail("PostgreSQL tests are required but no server binaries were found")
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    server = pgserver.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):  # type: ignore[no-untyped-def]
    """A fresh, empty database on the test server (URL with its password)."""
    return pg_server.new_database()
