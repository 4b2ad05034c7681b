"""Real Well-Architected lenses import, validate, and rate risk as their own rules do."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from lens_helpers import fixture_lenses, lens_risk, load, need_lenses

from pilotbook.rules import assess
from pilotbook.rules.playbooks import import_lens, load_playbook
from pilotbook.rules.results import worse

LENS_IDS = [p.name for p in fixture_lenses()] or ["missing"]


def _lens(name: str) -> Path:
    return next(p for p in need_lenses() if p.name == name)


def _combinations(choice_ids: list[str], seed: str) -> list[set[str]]:
    """Every non-empty set of choices for small questions; for big ones the
    singletons, all, all but one, and random sets (seeded: the same every run)."""
    n = len(choice_ids)
    if n <= 6:
        return [set(c) for k in range(1, n + 1) for c in itertools.combinations(choice_ids, k)]
    rng = random.Random(seed)
    found = [{c} for c in choice_ids] + [set(choice_ids)]
    found += [set(choice_ids) - {c} for c in choice_ids]
    found += [set(rng.sample(choice_ids, rng.randint(1, n))) for _ in range(40)]
    return found


@pytest.mark.parametrize("name", LENS_IDS)
def test_lens_imports_and_validates(name: str, tmp_path: Path) -> None:
    path = _lens(name)
    text, playbook = import_lens(path)
    out = tmp_path / f"{playbook.id}.yaml"
    out.write_text(text, encoding="utf-8")
    again = load_playbook(out)  # the file on disk is a valid playbook by itself
    lens = load(path)
    assert again == playbook
    assert [s.title for s in playbook.sections] == [p["name"] for p in lens["pillars"]]
    lens_questions = [q for p in lens["pillars"] for q in p["questions"]]
    assert [q.source for q in playbook.questions()] == [q["id"] for q in lens_questions]
    for q, lq in zip(playbook.questions(), lens_questions, strict=True):
        assert q.type == "multichoice"
        assert [o.source for o in q.options] == [c["id"] for c in lq["choices"]]
    assert text.startswith("# Imported from the AWS Well-Architected custom lens")


@pytest.mark.parametrize("name", LENS_IDS)
def test_risk_matches_the_lens_rules(name: str) -> None:
    path = _lens(name)
    _, playbook = import_lens(path)
    lens = load(path)
    checked = 0
    for lq in (q for p in lens["pillars"] for q in p["questions"]):
        q = next(x for x in playbook.questions() if x.source == lq["id"])
        to_option = {o.source: o.id for o in q.options}
        for chosen in _combinations([c["id"] for c in lq["choices"]], lq["id"]):
            answers = {x.id: None for x in playbook.questions()}
            answers[q.id] = sorted(to_option[c] for c in chosen)
            got = assess(playbook, {"answers": answers, "na": []}).question_risks[q.id].risk
            assert got == lens_risk(lq, chosen), (lq["id"], sorted(chosen))
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("name", LENS_IDS)
def test_gates_follow_the_worst_risk(name: str) -> None:
    """Every question answered: any high is a no-go, else any medium a conditional go."""
    path = _lens(name)
    _, playbook = import_lens(path)
    lens = load(path)
    lens_questions = [q for p in lens["pillars"] for q in p["questions"]]
    rng = random.Random(name)
    seen = set()
    for _ in range(30):
        answers, risks = {}, []
        for lq in lens_questions:
            q = next(x for x in playbook.questions() if x.source == lq["id"])
            ids = [c["id"] for c in lq["choices"]]
            chosen = set(rng.sample(ids, rng.randint(1, len(ids))))
            if rng.random() < 0.5:
                chosen = set(ids)  # often all, so that some runs have no risk at all
            answers[q.id] = sorted({o.source: o.id for o in q.options}[c] for c in chosen)
            risks.append(lens_risk(lq, chosen))
        expected = "no-go" if "high" in risks else "conditional" if "medium" in risks else "go"
        verdict = assess(playbook, {"answers": answers, "na": []}).verdict
        assert verdict == expected
        seen.add(verdict)
    assert "no-go" in seen


def test_unanswered_lens_is_not_ready() -> None:
    _, playbook = import_lens(need_lenses()[0])
    answers = {q.id: None for q in playbook.questions()}
    assert assess(playbook, {"answers": answers, "na": []}).verdict == "not-ready"


def test_gate_results_can_be_chosen() -> None:
    _, playbook = import_lens(need_lenses()[0], high="conditional", medium="none")
    rules = [r for q in playbook.questions() for r in q.risk]
    assert {r.verdict for r in rules if r.then == "high"} == {"conditional"}
    assert {r.verdict for r in rules if r.then != "high"} == {None}
    assert playbook.verdict == ()  # risk rules say it: no condition written twice
    _, waiting = import_lens(need_lenses()[0], high="not-ready", medium="none")
    assert {g.then for g in waiting.verdict} == {"not-ready"}
    assert all(g.id.endswith("_high") for g in waiting.verdict)


@pytest.mark.parametrize("name", LENS_IDS)
@pytest.mark.parametrize(("high", "medium"), [("not-ready", "not-ready"), ("no-go", "none")])
def test_every_result_follows_the_lens_rules(name: str, high: str, medium: str) -> None:
    """Gates (not-ready) and risk rules' own verdicts give what the lens's rules say."""
    path = _lens(name)
    _, playbook = import_lens(path, high=high, medium=medium)
    lens = load(path)
    lens_questions = [q for p in lens["pillars"] for q in p["questions"]]
    rng = random.Random(name + high)
    for _ in range(20):
        answers, risks = {}, []
        for lq in lens_questions:
            q = next(x for x in playbook.questions() if x.source == lq["id"])
            ids = [c["id"] for c in lq["choices"]]
            chosen = set(rng.sample(ids, rng.randint(1, len(ids))))
            answers[q.id] = sorted({o.source: o.id for o in q.options}[c] for c in chosen)
            risks.append(lens_risk(lq, chosen))
        results = [high if r == "high" else medium if r == "medium" else "go" for r in risks]
        if high == "none" and "high" in risks:
            results.append("conditional")  # a high risk's usual cap
        expected = "go"
        for r in results:
            if r != "none":
                expected = worse(expected, r)
        assert assess(playbook, {"answers": answers, "na": []}).verdict == expected
