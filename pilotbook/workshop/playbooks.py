"""Where the service finds playbooks: the registry, or a plain folder scan.

The service asks a `PlaybookSource` for a playbook by id. The default one is
the registry (`pilotbook.rules.playbooks.discover()`); tests hand in their
own source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pilotbook.playbook.model import Playbook
from pilotbook.workshop.errors import NotFound
from pilotbook.workshop.views import PlaybookInfo

if TYPE_CHECKING:
    from pilotbook.playbook.registry import Registry


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
