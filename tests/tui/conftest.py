"""Run `async def` tests on a fresh event loop (Textual's Pilot is async), and fail
any test in which the app touched the store from the thread of its event loop."""

from __future__ import annotations

import asyncio
import inspect
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pilotbook.tui

TUI = str(Path(pilotbook.tui.__file__).parent)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    test = pyfuncitem.obj(**{n: pyfuncitem.funcargs[n] for n in names})
    # A test that waits for something that never comes fails, instead of hanging the run.
    asyncio.run(asyncio.wait_for(test, timeout=120))
    return True


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _tui_caller() -> str | None:
    """The first frame of the app's own code on the stack, if any ("file:line")."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(TUI):
            return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def store_stays_off_the_ui_thread() -> Iterator[list[str]]:
    """Every statement the store runs on the event loop's thread, for the app's code, is
    a failure: the UI would freeze for as long as the store takes. (Test code may read
    the store there to check what was saved.)"""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    found: list[str] = []
    lock = threading.Lock()

    def check(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not _on_event_loop():
            return
        caller = _tui_caller()
        if caller is not None:
            with lock:
                found.append(f"{caller}: {' '.join(statement.split())[:80]}")

    event.listen(Engine, "before_cursor_execute", check)
    try:
        yield found
    finally:
        event.remove(Engine, "before_cursor_execute", check)
    assert not found, "the store was used on the UI thread:\n" + "\n".join(found[:5])
