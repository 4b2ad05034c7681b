"""Find the playbooks: the built-in ones, then the user's folders, later ones winning.

A broken file never hides the others: it is listed with its problems.
Parsed playbooks are cached per (path, mtime, size): in memory, and on disk
(see diskcache), so neither asking again nor opening the app again re-parses.
Loading checks a playbook's conditions with the check the caller gives
(`pilotbook.rules.playbooks.discover` gives the rules' one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pilotbook import locations
from pilotbook.playbook import diskcache
from pilotbook.playbook.errors import PlaybookError, Problem

if TYPE_CHECKING:
    from pilotbook.playbook.checks import ConditionCheck
    from pilotbook.playbook.model import Playbook

BUILTIN = "built-in"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PlaybookInfo:
    id: str
    version: int
    title: str
    path: Path
    origin: str  # "built-in", or why the folder is searched
    overrides: tuple[Path, ...] = ()  # the files this one hides, earliest first


@dataclass
class Registry:
    check: ConditionCheck
    playbooks: dict[str, PlaybookInfo] = field(default_factory=dict)
    broken: dict[Path, PlaybookError] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def get(self, playbook_id: str) -> Playbook:
        """The playbook in use for `playbook_id`; KeyError when there is none."""
        info = self.playbooks[playbook_id]
        loaded = _load(info.path, self.check)
        if isinstance(loaded, PlaybookError):
            raise loaded  # changed on disk since discovery
        return loaded

    def ids(self) -> list[str]:
        return sorted(self.playbooks)


_cache: dict[Path, tuple[tuple[int, int], Playbook | PlaybookError]] = {}


def _load(path: Path, check: ConditionCheck) -> Playbook | PlaybookError:
    try:
        stat = path.stat()
    except OSError as e:
        return PlaybookError([Problem(str(path), 0, 0, f"cannot read the file: {e.strerror}")])
    key = (stat.st_mtime_ns, stat.st_size)
    hit = _cache.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    result: Playbook | PlaybookError | None = diskcache.get(path)
    if result is None:
        # YAML and the CEL compiler load only on a cache miss: a start-up that
        # finds the playbook in the disk cache never imports them.
        from pilotbook.playbook.loader import load_playbook

        try:
            result = load_playbook(path, check=check)
            diskcache.put(path, result)
        except PlaybookError as e:
            result = e  # never cached on disk: a broken file is re-read, and re-reported
    _cache[path] = (key, result)
    return result


def clear_cache() -> None:
    _cache.clear()


def folders(cwd: Path | None = None) -> list[tuple[Path, str]]:
    """The folders searched, in order, each with why."""
    found = [(locations.builtin_playbooks_dir(), BUILTIN)]
    found += [(Path(d.value), d.why) for d in locations.user_playbook_dirs(cwd)]
    return found


def discover(check: ConditionCheck, cwd: Path | None = None) -> Registry:
    registry = Registry(check)
    for folder, origin in folders(cwd):
        for path in _files(folder, registry.warnings):
            loaded = _load(path, check)
            if isinstance(loaded, PlaybookError):
                registry.broken[path] = loaded
                continue
            earlier = registry.playbooks.get(loaded.id)
            overrides: tuple[Path, ...] = ()
            if earlier is not None:
                overrides = (*earlier.overrides, earlier.path)
                registry.warnings.append(
                    f"playbook `{loaded.id}` in {path} overrides the one in {earlier.path}"
                )
            registry.playbooks[loaded.id] = PlaybookInfo(
                loaded.id, loaded.version, loaded.title, path, origin, overrides
            )
    return registry


def summaries(cwd: Path | None = None) -> dict[str, dict[str, Any]] | None:
    """`discover`'s choice of playbook per id, as disk-cache summaries (no pydantic).

    None when any playbook file is not in the disk cache (new, edited or broken):
    the caller then uses `discover`.
    """
    found: dict[str, dict[str, Any]] = {}
    for folder, _origin in folders(cwd):
        for path in _files(folder, []):
            summary = diskcache.summary(path)
            if summary is None:
                return None
            found[summary["id"]] = summary  # a later folder overrides, as in `discover`
    return found


def _files(folder: Path, warnings: list[str]) -> list[Path]:
    try:
        if not folder.is_dir():
            return []
        return sorted(p.resolve() for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
    except OSError as e:
        warnings.append(f"cannot read the playbook folder {folder}: {e.strerror}")
        return []
