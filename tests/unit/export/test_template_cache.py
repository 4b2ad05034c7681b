"""A template is compiled once, not in every process, and the file that keeps its
code is never run unless this user's pilotbook signed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotbook.export import render


def _fresh_environment(folder: Path) -> object:
    """A process's first environment: nothing compiled in memory yet."""
    return render._environment(folder)


def _compiles(monkeypatch: pytest.MonkeyPatch, folder: Path) -> int:
    """How many times Jinja compiled a template from its source, loading it once."""
    from jinja2 import Environment

    calls = []
    real = Environment.compile

    def counting(self, *a, **k):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(Environment, "compile", counting)
    env = _fresh_environment(folder)
    assert env.get_template("own.md.j2").render(x="world") == "Hello world\n"  # type: ignore[attr-defined]
    monkeypatch.setattr(Environment, "compile", real)
    return len(calls)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "own.md.j2").write_text("Hello {{ x }}\n", encoding="utf-8")
    return tmp_path / "tpl"


def _entries(folder: Path) -> list[Path]:
    return sorted((folder.parent / "home").rglob("templates/*.bin"))


def test_a_second_process_runs_the_kept_code(folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _compiles(monkeypatch, folder) == 1
    assert len(_entries(folder)) == 1
    assert _compiles(monkeypatch, folder) == 0


def test_a_changed_template_is_compiled_again(folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _compiles(monkeypatch, folder)
    (folder / "own.md.j2").write_text("Hi {{ x }}\n", encoding="utf-8")
    env = _fresh_environment(folder)
    assert env.get_template("own.md.j2").render(x="you") == "Hi you\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign"])
def test_a_damaged_or_foreign_file_is_refused_and_rebuilt(
    folder: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    _compiles(monkeypatch, folder)
    (entry,) = _entries(folder)
    raw = entry.read_bytes()
    if damage == "flip":
        entry.write_bytes(raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:])
    elif damage == "truncate":
        entry.write_bytes(raw[:20])
    else:  # another user's key: the same bytes do not verify
        key = folder.parent / "home"
        for k in key.rglob("cache-signing.key"):
            k.write_bytes(b"\x01" * 32)
    assert _compiles(monkeypatch, folder) == 1  # refused, compiled, and kept again
    assert _compiles(monkeypatch, folder) == 0
