"""Writing a file at a path the user named: whole or not at all, and only over a file.

Exports, dumps and backups all go through `write_file`: the content is written
to a temporary file in the target's folder, synced, and renamed over the
target, so a reader (or a full disk) never leaves half a file where a good one
was. Whatever sits at the target must be a regular file: a symlink, a FIFO, a
device, a socket or a folder is refused, never replaced or written through.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

Content = str | bytes | Callable[[Path], None]


class WriteRefused(Exception):
    """The file cannot be written as asked; the message is one line. `errno`:
    the system's reason when there is one (ENOSPC for a full disk)."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class TargetExists(WriteRefused):
    """A regular file is at the target and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(path: Path) -> bool:
    """True when a regular file is at `path`, False when nothing is; WriteRefused otherwise."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as e:
        raise WriteRefused(f"cannot write {path}: {e.strerror or e}", e.errno) from None
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"cannot write {path}: it is {_kind(st.st_mode)}, not a file")
    return True


def write_file(path: Path, content: Content, *, mode: int = 0o600, overwrite: bool = False) -> Path:
    """Write `content` to `path` with permission bits `mode`, atomically.

    `content` is text (UTF-8, '\\n' line ends), bytes, or a function that fills
    the temporary file whose path it is given. TargetExists when a file is
    there and `overwrite` is false; WriteRefused (one line) for anything else.
    """
    path = Path(path)
    if check_target(path) and not overwrite:
        raise TargetExists(path)
    folder = path.parent
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, mode)
            if not callable(content):
                data = content.encode("utf-8") if isinstance(content, str) else content
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
        finally:
            os.close(fd)
        if callable(content):
            content(Path(tmp))
        if overwrite:
            check_target(path)  # refused even if a link or a FIFO appeared meanwhile
            os.replace(tmp, path)
        else:
            _link_new(Path(tmp), path)
        tmp = None
        _sync_folder(folder)
    except FileExistsError:
        raise TargetExists(path) from None
    except OSError as e:
        raise WriteRefused(f"cannot write {path}: {e.strerror or e}", e.errno) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` only if nothing has that name (no race with another writer)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, no clobber
        # of anything but a regular file that appeared in between).
        if check_target(path):
            raise FileExistsError(path) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder's entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_folder(folder: Path) -> Path:
    """Make `folder` (and the folders above it) for a file the user asked to write there;
    WriteRefused when something other than a folder is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteRefused(f"{folder} is not a folder") from None
    except OSError as e:
        raise WriteRefused(f"cannot make the folder {folder}: {e.strerror or e}") from None
    return folder
