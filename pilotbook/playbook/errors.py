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

    def __post_init__(self) -> None:
        # A problem is one line, whatever an author typed into a key or an id.
        object.__setattr__(self, "message", _one_line(self.message))
        object.__setattr__(self, "file", _one_line(self.file))

    def __str__(self) -> str:
        if self.line <= 0:
            # No place to point at, e.g. a file that cannot be read.
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


_CONTROL = {c: f"\\x{c:02x}" for c in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 127: "\\x7f"}
_CONTROL |= {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\x85"}


def _one_line(text: str) -> str:
    return text.translate(_CONTROL)


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
