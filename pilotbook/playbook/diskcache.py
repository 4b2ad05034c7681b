"""Validated playbooks kept on disk as JSON, so a cold start skips the YAML parse,
the checks and the CEL compile (about half a second for the built-in ones).

An entry is used only while the file's content (by hash: mtimes repeat in
reproducible builds, and sizes survive a one-character edit), pilotbook's
version and the loader's own source files are unchanged. JSON, not pickle: a cache file is
data, re-validated by pydantic on the way in. Any failure is a cache miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pilotbook import __version__, locations

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook

_FORMAT = 2  # 2: entries carry a summary that is read without pydantic


@cache
def _code_stamp() -> str:
    # A change to the model or the checks in a checkout invalidates the cache
    # even when the version number stays the same.
    here = Path(__file__).resolve().parent
    rules = here.parent / "rules"
    files = [
        *sorted(here.glob("*.py")),
        rules / "cel.py",
        rules / "celcheck.py",
        rules / "conditions.py",
    ]
    parts = [__version__, str(_FORMAT)]
    for f in files:
        try:
            st = f.stat()
            parts.append(f"{f.name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f.name)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _entry(path: Path) -> Path:
    name = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return locations.user_cache_dir() / "playbooks" / f"{name}.json"


def _key(path: Path) -> list[object]:
    content = hashlib.sha256(path.read_bytes()).hexdigest()
    return [str(path), content, _code_stamp()]


def _read(path: Path) -> dict[str, Any] | None:
    raw = json.loads(_entry(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("key") != _key(path):
        return None
    return raw


def get(path: Path) -> Playbook | None:
    from pydantic import ValidationError

    from pilotbook.playbook.model import Playbook

    try:
        raw = _read(path)
        return None if raw is None else Playbook.model_validate(raw["playbook"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None


def summary(path: Path) -> dict[str, Any] | None:
    """Id, version, title, phase titles and required question ids of a cached playbook,
    or None.

    Plain JSON, no pydantic: the first screen's progress column needs no more.
    """
    try:
        raw = _read(path)
        found = None if raw is None else raw["summary"]
        if (
            isinstance(found, dict)
            and isinstance(found.get("id"), str)
            and isinstance(found.get("version"), int)
            and isinstance(found.get("required"), list)
            and isinstance(found.get("phases"), dict)
        ):
            return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def put(path: Path, playbook: Playbook) -> None:
    from pilotbook.playbook.baselines import baselines_table

    entry = _entry(path)
    try:
        key = _key(path)
    except OSError:
        return
    data = {
        "key": key,
        "playbook": playbook.model_dump(mode="json", by_alias=True, exclude_unset=True),
        "summary": {
            "id": playbook.id,
            "version": playbook.version,
            "title": playbook.title,
            "required": [q.id for q in playbook.questions() if q.required],
            "phases": {ph.id: ph.title for ph in playbook.phases},
            # [question id, {metric option: label}] or None (`playbook/baselines.py`)
            "baselines": baselines_table(playbook),
        },
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass  # a read-only home only costs speed
