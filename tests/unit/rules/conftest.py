from __future__ import annotations

import pytest
from rules_fixtures import make_playbook

from pilotbook.playbook.model import Playbook


@pytest.fixture
def small() -> Playbook:
    return make_playbook()
