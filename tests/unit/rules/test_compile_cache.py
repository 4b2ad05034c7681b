"""A playbook version's conditions are parsed once, not in every process, and
the file that keeps them is never trusted unless this user's pilotbook signed it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pilotbook.rules import cel, compile_cache

TEXTS = ['answers.name == "x"', "answers.systems.exists(s, s == 'crm')", "size(na) > 0"]
ANSWERS = {"answers": {"name": "x", "systems": ["crm"]}, "na": []}


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A process that has parsed nothing and built no parser, with its own home."""
    from celpy.celparser import CELParser

    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path))
    monkeypatch.setattr(cel, "_compiled", {})
    monkeypatch.setattr(cel, "_warmed", set())
    monkeypatch.setattr(CELParser, "CEL_PARSER", None)
    return tmp_path


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from celpy.celparser import CELParser

    monkeypatch.setattr(cel, "_compiled", {})
    monkeypatch.setattr(cel, "_warmed", set())
    monkeypatch.setattr(CELParser, "CEL_PARSER", None)
    cel._env.cache_clear()


def _parser_built() -> bool:
    from celpy.celparser import CELParser

    return CELParser.CEL_PARSER is not None and not isinstance(
        CELParser.CEL_PARSER, cel._LazyParser
    )


def test_a_second_process_builds_no_parser_and_parses_nothing(fresh, monkeypatch):
    cel._env.cache_clear()
    cel.warm(TEXTS)
    assert _parser_built()
    _new_process(monkeypatch)
    cel.warm(TEXTS)
    assert not _parser_built()
    assert [cel.compiled(t).holds(ANSWERS) for t in TEXTS] == [True, True, False]
    cel._env.cache_clear()


def _entry(fresh: Path) -> Path:
    [entry] = (fresh / "cache" / "conditions").iterdir()
    return entry


class _Trap:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (Path(self.marker),))

    marker = ""


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign"])
def test_a_corrupt_or_foreign_cache_file_is_refused_and_rebuilt(fresh, monkeypatch, damage):
    cel._env.cache_clear()
    cel.warm(TEXTS)
    entry = _entry(fresh)
    raw = entry.read_bytes()
    marker = fresh / "unpickled"
    if damage == "garbage":
        entry.write_bytes(b"\x00not a cache\xff" * 10)
    elif damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    else:  # someone else's pickle, well formed, that runs code when loaded
        _Trap.marker = str(marker)
        payload = pickle.dumps({TEXTS[0]: _Trap()})
        entry.write_bytes(raw[: len(compile_cache._MAGIC) + 32] + payload)
    _new_process(monkeypatch)
    cel.warm(TEXTS)
    assert not marker.exists()
    assert _parser_built()  # refused, so parsed again
    assert [cel.compiled(t).holds(ANSWERS) for t in TEXTS] == [True, True, False]
    assert compile_cache.load(compile_cache.content_key(TEXTS)) is not None  # rebuilt
    cel._env.cache_clear()


def test_a_different_playbook_version_has_its_own_entry(fresh):
    assert compile_cache.content_key(TEXTS) == compile_cache.content_key(reversed(TEXTS))
    assert compile_cache.content_key(TEXTS) != compile_cache.content_key([*TEXTS, "true"])
