"""Exit codes for scripts: the verdict's 0-3, and sysexits.h codes for every error.

docs/guide.md holds the same table; a test checks the two agree.
"""

from __future__ import annotations

import errno

OK = 0
FAILED = 1  # kept for the verdict's "conditional" only; no error uses it
USAGE = 64  # a mistyped command line: unknown command or option, missing argument,
# a pilot reference that matches several pilots
DATA = 65  # a value, a file's content or a request that does not fit
NO_INPUT = 66  # no such pilot, question, action, snapshot or input file
UNAVAILABLE = 69  # the store cannot be used: not a store, newer, unreachable
SOFTWARE = 70  # a failure of pilotbook itself
CANT_CREATE = 73  # an output file exists already (add --force) or cannot be made
IO = 74  # reading or writing failed at the disk: full, I/O error
TEMP = 75  # try again: the store is locked, or someone changed it first (a conflict)
NO_PERM = 77  # no permission to read or write the store or a file
INTERRUPTED = 130  # Ctrl+C

TABLE: list[tuple[int, str]] = [
    (0, "success; for `verdict`: go"),
    (1, "`verdict`: conditional (go with the named conditions)"),
    (2, "`verdict`: no-go"),
    (3, "`verdict`: not ready (required answers missing)"),
    (USAGE, "usage: unknown command or option, missing argument, an ambiguous pilot prefix"),
    (DATA, "bad data: a value, a file's content or a request that does not fit"),
    (NO_INPUT, "not found: no such pilot, question, action, snapshot or input file"),
    (UNAVAILABLE, "the store cannot be used (not a store, newer schema, server unreachable)"),
    (CANT_CREATE, "an output exists already (add --force) or cannot be made"),
    (IO, "I/O error: disk full, a read or write failed"),
    (TEMP, "try again: the store is locked, or it changed meanwhile (a conflict)"),
    (NO_PERM, "no permission on the store or a file"),
    (INTERRUPTED, "interrupted (Ctrl+C)"),
]


def for_error(error: BaseException) -> int:
    """The exit code of an error the service or the system raised."""
    from pilotbook import errors as e
    from pilotbook.files import TargetExists, WriteRefused
    from pilotbook.workshop.review import ExportError, ExportExists

    if isinstance(error, (e.Exists, TargetExists, ExportExists)):
        return CANT_CREATE
    if isinstance(error, WriteRefused):
        return CANT_CREATE if error.errno is None else for_os_error(OSError(error.errno, ""))
    if isinstance(error, ExportError):
        return CANT_CREATE
    if isinstance(error, e.Ambiguous):
        return USAGE
    if isinstance(error, e.NotFound):
        return NO_INPUT
    if isinstance(error, e.BadInput):
        return DATA
    if isinstance(error, (e.Conflict, e.Stale, e.StoreBusy)):
        return TEMP
    if isinstance(error, e.StoreIO):
        return IO
    if isinstance(error, e.StoreError):
        text = str(error)
        if "read-only" in text.lower() or "permission" in text.lower():
            return NO_PERM
        return UNAVAILABLE
    if isinstance(error, e.WorkshopError):
        return DATA
    if isinstance(error, OSError):
        return for_os_error(error)
    return SOFTWARE


def for_os_error(error: OSError) -> int:
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
        return IO
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return NO_INPUT
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return NO_PERM
    if error.errno == errno.EEXIST:
        return CANT_CREATE
    return IO
