"""Remembered condition results must equal fresh evaluations, always."""

from __future__ import annotations

import random

import pytest
from ai_pilot_answers import good_answers, load_playbook

from pilotbook.rules.cel import CelError, compiled, prepare
from pilotbook.rules.evaluate import Evaluator, _reads, forget

PB = load_playbook()


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ('answers.a == "x"', (("a",), False, False)),
        ('answers["b"] > 2.0 && "c" in na', (("b",), True, False)),
        ("answer > 2.0 && answers.z", (("z",), False, True)),
        ('"answers.fake" == answer', ((), False, True)),
    ],
)
def test_what_a_condition_reads(text, reads) -> None:
    assert _reads(text) == reads


@pytest.mark.parametrize(
    "text", ['["a", "b"].exists(k, answers[k] == null)', "size(answers) > 3", "answers == {}"]
)
def test_conditions_reading_answers_freely_are_never_remembered(text) -> None:
    assert _reads(text) is None


def test_results_follow_the_values_they_read() -> None:
    forget()
    text = 'answers.a == "x" && !("a" in na)'
    assert Evaluator({"a": "x"}, []).holds(text) is True
    assert Evaluator({"a": "x"}, ["a"]).holds(text) is False
    assert Evaluator({"a": "y"}, []).holds(text) is False
    assert Evaluator({"a": "x", "other": 1.0}, []).holds(text) is True
    rule = "answer > 2.0"
    assert Evaluator({}, []).holds(rule, 3.0) is True
    assert Evaluator({}, []).holds(rule, 1.0) is False


def test_failures_are_raised_every_time_but_evaluated_once(monkeypatch) -> None:
    from pilotbook.rules import cel

    forget()
    runs = []
    real = cel.Condition.holds

    def counted(self, activation):  # type: ignore[no-untyped-def]
        runs.append(self.text)
        return real(self, activation)

    monkeypatch.setattr(cel.Condition, "holds", counted)
    for _ in range(3):
        with pytest.raises(CelError):
            Evaluator({"a": None}, []).holds("answers.a > 2.0")
    assert runs == ["answers.a > 2.0"]


def _scenario(rng: random.Random) -> tuple[dict, list[str]]:
    answers = good_answers()
    for q in PB.questions():
        roll = rng.random()
        if roll < 0.2:
            answers[q.id] = None
        elif q.type == "choice" and roll < 0.5:
            answers[q.id] = rng.choice(q.option_ids)
        elif q.type == "yesno" and roll < 0.5:
            answers[q.id] = not answers[q.id]
    na = [q.id for q in PB.questions() if rng.random() < 0.05]
    return answers, na


def _conditions() -> list[str]:
    texts = [g.if_ for g in PB.verdict]
    texts += [q.show_if for q in PB.questions() if q.show_if]
    return texts


@pytest.mark.parametrize("seed", range(2))
def test_remembered_equals_fresh_on_random_pilots(seed: int) -> None:
    rng = random.Random(seed)
    forget()
    for _ in range(4):
        answers, na = _scenario(rng)
        answers = {k: (float(v) if isinstance(v, int) and not isinstance(v, bool) else v)
                   for k, v in answers.items()}  # fmt: skip
        fresh_ctx = prepare({"answers": answers, "na": sorted(na)})
        ev = Evaluator(answers, sorted(na))
        for text in _conditions():
            try:
                expected = compiled(text).holds(fresh_ctx)
            except CelError:
                with pytest.raises(CelError):
                    ev.holds(text)
                continue
            assert ev.holds(text) == expected, text
