"""Compiled templates kept on disk across processes.

Jinja compiles a template to Python code in every process; for the brief
that is a good part of an export's time. Jinja's own bytecode cache keeps
the compiled code, and this one keeps it the way the condition cache keeps
syntax trees (`rules/compile_cache.py`): one file per template under the
user cache folder, named by a hash of the template's content, of Jinja's and
Python's versions and of this package's sandbox sources, and signed with
the user's secret. Compiled code runs when loaded, so an unsigned, foreign
or corrupt file is refused and the template compiled again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from pilotbook import __version__

KIND = "templates"


@cache
def _stamp() -> str:
    """What decides the compiled code beside the template: versions and our generator."""
    import sys

    import jinja2

    parts = [__version__, jinja2.__version__, sys.version]
    here = Path(__file__).resolve().parent
    for f in (here / "sandbox.py", here / "render.py", here / "escape.py"):
        try:
            st = f.stat()
            parts.append(f"{f.name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f.name)
    return "|".join(parts)


def _key(bucket: Bucket) -> str:
    h = hashlib.sha256(_stamp().encode())
    h.update(f"\0{bucket.key}\0{bucket.checksum}".encode())
    return h.hexdigest()


class SignedBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache over pilotbook's signed cache files."""

    def load_bytecode(self, bucket: Bucket) -> None:
        from pilotbook.rules.compile_cache import read_signed

        data = read_signed(KIND, _key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # checks Jinja's magic and the checksum

    def dump_bytecode(self, bucket: Bucket) -> None:
        from pilotbook.rules.compile_cache import write_signed

        try:
            data = bucket.bytecode_to_string()
        except Exception:
            return  # only costs speed
        write_signed(KIND, _key(bucket), data)


def bytecode_cache() -> Any:
    return SignedBytecodeCache()
