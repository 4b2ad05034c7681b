"""Without a terminal the app is not started: the pilots are printed, with a hint.

`run_main` gives the commands a captured stdin and stdout, which are not
terminals, as in a pipe or a CI job."""

from __future__ import annotations

import subprocess
import sys

HINT = "run it in a terminal to open the app"


def test_no_command_lists_the_pilots_and_hints(pb):
    pb("new", "Support bot")
    pb("verdict", "support-bot", code=None)  # kept: a background fill cannot change the list
    _, listed, _ = pb("list")
    _, out, err = pb()
    assert out == listed
    assert "support-bot" in out
    assert HINT in err


def test_open_prints_the_pilot_instead(pb):
    pb("new", "Support bot")
    _, shown, _ = pb("show", "support-bot")
    _, out, err = pb("open", "support-bot")
    assert out == shown
    assert HINT in err


def test_open_still_fails_on_an_unknown_pilot(pb):
    _, out, err = pb("open", "nobody", code=None)
    got, _, _ = pb("open", "nobody", code=None)
    assert got != 0
    assert out == ""
    assert "error: no pilot 'nobody'" in err
    assert HINT not in err


def test_demo_adds_the_pilot_and_shows_it(pb):
    _, out, err = pb("demo")
    assert "demo pilot ready" in err
    assert HINT in err
    assert out.strip()


def test_a_real_process_with_no_terminal_exits_at_once(tmp_path, pb):
    # A real process, stdin from /dev/null and stdout a pipe: it must not hang.
    pb("new", "Support bot")
    done = subprocess.run(
        [sys.executable, "-m", "pilotbook"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "support-bot" in done.stdout
    assert HINT in done.stderr
    assert "\x1b[" not in done.stdout


def test_a_textual_driver_other_than_the_terminal_still_runs_the_app(monkeypatch):
    # `pilotbook serve` runs the app over pipes with the web driver.
    from pilotbook.cli.app_cmd import has_terminal

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not has_terminal()  # the test's own streams are captured
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert has_terminal()
