"""Where the service finds playbooks, and the copies of each version it keeps.

The service asks a `PlaybookSource` for a playbook by id. The default one is
the registry (`pilotbook.rules.playbooks.discover()`); tests hand in their
own source.

The registry knows only the current file of a playbook. A copy of each version
a pilot was created or upgraded with is kept in `playbook_copy`, once per
(playbook, version), so the questions of an older version (and the text of a
retired question) can still be shown after the file has moved on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Protocol

from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.errors import NotFound, StoreError
from pilotbook.playbook.model import Playbook
from pilotbook.workshop.views import PlaybookInfo

if TYPE_CHECKING:
    from pilotbook.playbook.registry import Registry
    from pilotbook.workshop.unit import UnitOfWork


class PlaybookSource(Protocol):
    def get(self, playbook_id: str) -> Playbook: ...  # raises NotFound

    def infos(self) -> list[PlaybookInfo]: ...


class StaticPlaybooks:
    """Playbooks given as objects (tests, or a front end that loaded them already)."""

    def __init__(self, playbooks: list[Playbook], source: str = "(given)") -> None:
        self._by_id = {p.id: p for p in playbooks}
        self._source = source

    def get(self, playbook_id: str) -> Playbook:
        try:
            return self._by_id[playbook_id]
        except KeyError:
            raise NotFound(f"no playbook {playbook_id!r}") from None

    def infos(self) -> list[PlaybookInfo]:
        return [PlaybookInfo(p.id, p.version, p.title, self._source) for p in self._by_id.values()]


class RegistryPlaybooks:
    """The playbook registry (built-in and user folders), as the service needs it."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def get(self, playbook_id: str) -> Playbook:
        from pilotbook.playbook.errors import PlaybookError

        try:
            return self._registry.get(playbook_id)
        except KeyError:
            raise NotFound(f"no playbook {playbook_id!r} in the playbook folders") from None
        except PlaybookError as e:
            raise NotFound(f"playbook {playbook_id!r} cannot be read: {e.first}") from None

    def infos(self) -> list[PlaybookInfo]:
        return [
            PlaybookInfo(i.id, i.version, i.title, str(i.path))
            for i in sorted(self._registry.playbooks.values(), key=lambda i: i.id)
        ]


def default_source() -> PlaybookSource:
    from pilotbook.rules.playbooks import discover

    return RegistryPlaybooks(discover())


class Playbooks:
    """The playbooks pilots are answered with: current files and kept versions."""

    def __init__(self, unit: UnitOfWork, source: PlaybookSource | None = None) -> None:
        self._unit = unit
        self._source = source
        # Saves keep a copy on every answer: remember what is known to be kept already.
        self._kept: set[tuple[str, int]] = set()

    @property
    def source(self) -> PlaybookSource:
        if self._source is None:
            self._source = default_source()
        return self._source

    @source.setter
    def source(self, source: PlaybookSource | None) -> None:
        self._source = source

    def reload(self) -> None:
        """Look for playbooks again (a file was added or edited)."""
        self._source = None

    def all(self) -> list[PlaybookInfo]:
        return self.source.infos()

    def get(self, playbook_id: str) -> Playbook:
        return self.source.get(playbook_id)

    def current_version(self, playbook_id: str) -> int | None:
        """The version of the playbook's file now; None when it cannot be found."""
        try:
            return self.get(playbook_id).version
        except NotFound:
            return None

    def for_pilot(self, pilot_id: str) -> Playbook:
        """The current version of the playbook the pilot uses."""
        with self._unit.read() as s:
            pilot = self._unit.pilot(s, pilot_id)
        return self.get(pilot.playbook_id)

    # ------------------------------------------------------------ kept versions

    def _has_copy(self, s: Session, playbook_id: str, version: int) -> bool:
        if (playbook_id, version) in self._kept:
            return True
        found = s.exec(
            select(t.PlaybookCopy.id).where(
                t.PlaybookCopy.playbook_id == playbook_id, t.PlaybookCopy.version == version
            )
        ).first()
        if found is not None:
            self._kept.add((playbook_id, version))
        return found is not None

    def keep(self, s: Session, book: Playbook) -> None:
        """Keep this version of the playbook, unless a copy of it is there already."""
        if self._has_copy(s, book.id, book.version):
            return
        content = book.model_dump(mode="json", by_alias=True, exclude_none=True)
        s.add(
            t.PlaybookCopy(
                playbook_id=book.id,
                version=book.version,
                content_json=json.dumps(content, ensure_ascii=False, sort_keys=True),
                stored_at=self._unit.clock(),
            )
        )
        s.flush()
        self._kept.add((book.id, book.version))

    def version_to_record(self, s: Session, pilot: t.Pilot) -> int:
        """The playbook version a pilot stays on when it is answered.

        A pilot on a kept version stays there until it is upgraded. A pilot from an
        older store has no copy of its version, so there is nothing to compare
        against: it takes the current version (which is kept from then on).
        """
        book = self.get(pilot.playbook_id)
        if pilot.playbook_version == book.version:
            self.keep(s, book)
            return book.version
        if self._has_copy(s, pilot.playbook_id, pilot.playbook_version):
            return pilot.playbook_version
        self.keep(s, book)
        return book.version

    def stored(self, playbook_id: str, version: int) -> Playbook | None:
        """The kept copy of one version of a playbook, or None."""
        with self._unit.read() as s:
            row = s.exec(
                select(t.PlaybookCopy).where(
                    t.PlaybookCopy.playbook_id == playbook_id, t.PlaybookCopy.version == version
                )
            ).first()
        return None if row is None else _kept(row)

    def stored_versions(self, playbook_id: str) -> list[Playbook]:
        """Every kept version of a playbook, newest first."""
        with self._unit.read() as s:
            rows = s.exec(
                select(t.PlaybookCopy)
                .where(t.PlaybookCopy.playbook_id == playbook_id)
                .order_by(col(t.PlaybookCopy.version).desc())
            ).all()
        return [_kept(r) for r in rows]


def _kept(row: t.PlaybookCopy) -> Playbook:
    """A kept copy read back; a damaged one (edited by hand, a bad disk) is one line."""
    from pydantic import ValidationError

    try:
        return Playbook.model_validate(json.loads(row.content_json))
    except (ValueError, RecursionError, ValidationError, TypeError):
        raise StoreError(
            f"the kept copy of playbook {row.playbook_id} v{row.version} in the store is "
            "damaged; restore a backup"
        ) from None
