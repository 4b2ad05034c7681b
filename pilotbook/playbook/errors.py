"""The one error a playbook can raise: every problem in the file, each with a place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a playbook file; line and column are 1-based, 0 when unknown."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            # No place to point at, e.g. a file that cannot be read.
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class PlaybookError(Exception):
    """A playbook that cannot be used, with all of its problems (at least one)."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("a PlaybookError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
