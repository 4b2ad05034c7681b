"""Writes to a path: whole or not at all, only over a regular file, with the asked mode."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from pilotbook.files import TargetExists, WriteRefused, write_file


def test_a_file_is_written_with_the_mode_asked(tmp_path):
    path = write_file(tmp_path / "out.md", "héllo\n", mode=0o640)
    assert path.read_text(encoding="utf-8") == "héllo\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_an_existing_file_is_kept_unless_overwrite_is_asked(tmp_path):
    path = tmp_path / "out.md"
    path.write_text("old")
    with pytest.raises(TargetExists):
        write_file(path, "new")
    assert path.read_text() == "old"
    write_file(path, "new", overwrite=True)
    assert path.read_text() == "new"


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / kind
    if kind == "symlink":
        (tmp_path / "elsewhere.txt").write_text("not yours")
        path.symlink_to(tmp_path / "elsewhere.txt")
    elif kind == "dangling-symlink":
        path.symlink_to(tmp_path / "nothing-here")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        return Path(os.devnull)
    return path


@pytest.mark.parametrize("kind", ["symlink", "dangling-symlink", "fifo", "folder", "device"])
@pytest.mark.parametrize("overwrite", [True, False])
def test_anything_but_a_regular_file_at_the_target_is_refused(tmp_path, kind, overwrite):
    path = _special(tmp_path, kind)
    before = os.lstat(path)
    with pytest.raises(WriteRefused) as caught:
        write_file(path, "data", overwrite=overwrite)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    after = os.lstat(path)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    if kind == "symlink":
        assert (tmp_path / "elsewhere.txt").read_text() == "not yours"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_full_disk_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "dump.json"
    path.write_text('{"good": true}')
    real_write = os.write

    def full(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteRefused, match="No space left"):
        write_file(path, '{"new": "' + "x" * 10_000 + '"}', overwrite=True)
    monkeypatch.undo()
    assert path.read_text() == '{"good": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["dump.json"]
