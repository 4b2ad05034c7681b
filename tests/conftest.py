"""Keep every test away from the real user's pilotbook folders."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    # Set before any test runs, so subprocesses inherit it too: no test may
    # read or write the user data or cache folders of whoever runs the suite.
    if "PILOTBOOK_HOME" not in os.environ:
        os.environ["PILOTBOOK_HOME"] = tempfile.mkdtemp(prefix="pilotbook-test-home-")
    os.environ.pop("PILOTBOOK_DB", None)
    os.environ.pop("PILOTBOOK_PLAYBOOKS", None)
