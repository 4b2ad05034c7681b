"""The command palette on the pilot screen: jump to any question by words of it."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pilotbook.tui.text import one_line


class QuestionCommands(Provider):
    def _questions(self) -> list[tuple[str, str]]:
        from pilotbook.tui.screens.pilot import PilotScreen

        screen = self.screen
        if not isinstance(screen, PilotScreen) or screen.playbook is None:
            return []
        out = []
        for section in screen.playbook.sections:
            for q in section.questions:
                if screen.question_shown(q.id):
                    out.append((q.id, f"{one_line(section.title, 30)} › {one_line(q.ask, 90)}"))
        return out

    def _jump(self, question_id: str) -> None:
        self.screen.goto(question_id)  # type: ignore[attr-defined]  # only on the pilot screen

    async def search(self, query: str) -> Hits:
        words = query.casefold().split()
        matcher = self.matcher(query)
        for qid, text in self._questions():
            folded = f"{text} {qid}".casefold()
            if words and all(w in folded for w in words):
                score = max(matcher.match(text), 0.5)
                yield Hit(score, matcher.highlight(text), partial(self._jump, qid), text=text)

    async def discover(self) -> Hits:
        for qid, text in self._questions()[:40]:
            yield DiscoveryHit(text, partial(self._jump, qid), text=text)
