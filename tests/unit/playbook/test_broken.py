"""Each file in broken/ says, in `# expect: LINE: fragment` header lines, which
problems the loader must report and where; all of them must be there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playbook_paths import BROKEN

from pilotbook.playbook.errors import PlaybookError
from pilotbook.rules.playbooks import load_playbook

_EXPECT = re.compile(r"^# expect: (\d+): (.+)$")


def expectations(path: Path) -> list[tuple[int, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _EXPECT.match(line)
        if not m:
            break
        found.append((int(m.group(1)), m.group(2)))
    return found


CASES = sorted(BROKEN.glob("*.yaml"))


def test_there_are_enough_broken_playbooks() -> None:
    assert len(CASES) >= 30
    assert all(expectations(p) for p in CASES), "every broken file says what it expects"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_broken_playbook_reports_the_expected_problem(path: Path) -> None:
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    problems = info.value.problems
    for line, fragment in expectations(path):
        assert any(p.line == line and fragment in p.message for p in problems), (
            f"expected line {line}: {fragment!r}; got:\n{info.value}"
        )
    for p in problems:
        assert p.file == str(path)
        assert str(p).startswith(f"{path}:{p.line}:{p.column}: ")
        assert "\n" not in p.message


def test_a_file_with_many_problems_reports_them_all() -> None:
    path = BROKEN / "many-errors.yaml"
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    expected = expectations(path)
    assert len(expected) == 8
    assert len(info.value.problems) == len(expected), str(info.value)
    # In file order, one line each.
    assert [p.line for p in info.value.problems] == [line for line, _ in expected]
    assert str(info.value).count("\n") == len(expected) - 1
