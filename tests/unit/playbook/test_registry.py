"""Finding playbooks: built-in first, the user's folders after, broken files aside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playbook_paths import PLAYBOOKS, TINY

from pilotbook import locations
from pilotbook.playbook import registry as reg
from pilotbook.playbook.errors import PlaybookError
from pilotbook.rules.playbooks import discover


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """A built-in folder, the user data folder and a folder from PILOTBOOK_PLAYBOOKS."""
    builtin, home, extra = tmp_path / "builtin", tmp_path / "home", tmp_path / "extra"
    for folder in (builtin, home / "playbooks", extra):
        folder.mkdir(parents=True)
    monkeypatch.setattr(locations, "builtin_playbooks_dir", lambda: builtin)
    monkeypatch.setenv("PILOTBOOK_HOME", str(home))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(extra))
    monkeypatch.chdir(tmp_path)
    reg.clear_cache()
    return builtin, home / "playbooks", extra


def tiny(title: str = "Tiny", version: int = 1) -> str:
    return TINY.replace("title: Tiny", f"title: {title}").replace(
        "version: 1", f"version: {version}"
    )


def test_later_folder_overrides_with_a_warning(folders: tuple[Path, Path, Path]) -> None:
    builtin, user, _extra = folders
    (builtin / "tiny.yaml").write_text(tiny("Shipped"))
    (user / "mine.yaml").write_text(tiny("Mine", 2))
    found = discover()
    info = found.playbooks["tiny"]
    assert (info.title, info.version, info.origin) == ("Mine", 2, "user data folder")
    assert info.overrides == ((builtin / "tiny.yaml").resolve(),)
    assert len(found.warnings) == 1 and "overrides" in found.warnings[0]
    assert found.get("tiny").title == "Mine"


def test_a_broken_file_never_hides_the_others(folders: tuple[Path, Path, Path]) -> None:
    builtin, _user, extra = folders
    (builtin / "tiny.yaml").write_text(tiny())
    (extra / "bad.yaml").write_text(tiny().replace("version: 1", "version: one"))
    (extra / "notes.txt").write_text("not a playbook")
    found = discover()
    assert list(found.playbooks) == ["tiny"]
    (path, error), *_ = found.broken.items()
    assert path.name == "bad.yaml"
    assert isinstance(error, PlaybookError)
    assert str(error.first) == f"{path}:2:10: `version`: expected a whole number, got 'one'"


def test_a_broken_override_keeps_the_builtin(folders: tuple[Path, Path, Path]) -> None:
    builtin, user, _extra = folders
    (builtin / "tiny.yaml").write_text(tiny("Shipped"))
    (user / "tiny.yaml").write_text(tiny("Mine").replace("type: text", "type: txt"))
    found = discover()
    assert found.playbooks["tiny"].title == "Shipped"
    assert len(found.broken) == 1


def test_missing_folders_are_fine(folders: tuple[Path, Path, Path]) -> None:
    _builtin, user, _extra = folders
    os.rmdir(user)
    assert discover().playbooks == {}
    with pytest.raises(KeyError):
        discover().get("nope")


def test_parsed_playbooks_are_cached_until_the_file_changes(
    folders: tuple[Path, Path, Path],
) -> None:
    builtin, _, _ = folders
    path = builtin / "tiny.yaml"
    path.write_text(tiny("One"))
    first = discover().get("tiny")
    assert discover().get("tiny") is first  # same object: not parsed again
    path.write_text(tiny("Two, longer"))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert discover().get("tiny").title == "Two, longer"


def test_the_real_builtin_folder_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path))
    monkeypatch.delenv("PILOTBOOK_PLAYBOOKS", raising=False)
    found = discover(cwd=tmp_path)
    assert {p.stem for p in PLAYBOOKS.glob("*.yaml")} <= set(found.playbooks)
    assert all(i.origin == reg.BUILTIN for i in found.playbooks.values())
    assert not found.broken


def test_a_new_process_reads_the_disk_cache(
    folders: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin, _, _ = folders
    path = builtin / "tiny.yaml"
    path.write_text(tiny("Cached"))
    assert discover().get("tiny").title == "Cached"
    reg.clear_cache()  # as in a new process

    def no_parsing(path: Path, **_: object) -> None:
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr("pilotbook.playbook.loader.load_playbook", no_parsing)
    assert discover().get("tiny").title == "Cached"
    # An edited file is read again, never served stale.
    reg.clear_cache()
    path.write_text(tiny("Edited"))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    with pytest.raises(AssertionError, match="parsed"):
        discover()


def test_a_damaged_disk_cache_is_a_miss(folders: tuple[Path, Path, Path]) -> None:
    builtin, user, _ = folders
    (builtin / "tiny.yaml").write_text(tiny("Fine"))
    discover()
    entries = list((user.parent / "cache" / "playbooks").glob("*.json"))
    assert len(entries) == 1
    entries[0].write_text('{"key": [1], "playbook": ')
    reg.clear_cache()
    assert discover().get("tiny").title == "Fine"


def test_the_disk_cache_gives_back_the_same_playbook(
    folders: tuple[Path, Path, Path],
) -> None:
    builtin, _, _ = folders
    for path in PLAYBOOKS.glob("*.yaml"):
        (builtin / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    fresh = discover()
    reg.clear_cache()
    cached = discover()
    assert set(cached.playbooks) == set(fresh.playbooks)
    for playbook_id in fresh.playbooks:
        assert cached.get(playbook_id) == fresh.get(playbook_id)


def test_the_disk_cache_sees_an_edit_that_keeps_size_and_mtime(
    folders: tuple[Path, Path, Path],
) -> None:
    builtin, _, _ = folders
    path = builtin / "tiny.yaml"
    path.write_text(tiny(version=1))
    stamp = path.stat().st_mtime_ns
    assert discover().playbooks["tiny"].version == 1
    reg.clear_cache()
    path.write_text(tiny(version=2))  # same size
    os.utime(path, ns=(stamp, stamp))
    assert discover().playbooks["tiny"].version == 2
