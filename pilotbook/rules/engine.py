"""The rules engine: risk per question, readiness per section, and the verdict.

Pure functions over a playbook and the answers as the service hands them to
the rules (`ws.verdict.answers_for_rules`): `{"answers": {qid: value | None},
"na": [qid, ...]}`. Nothing here touches the store or a front end.

Decisions worth knowing (docs/verdict.md says them for users):

- A question whose `show_if` does not hold is hidden: it is not missing, has
  no risk, and gates and risk rules see its answer as null.
- A risk rule that fails when evaluated is reported as a problem; the question
  is then rated at least medium, because nobody can tell it is fine.
- A gate that fails when evaluated does not count as passed. If a question it
  reads is still unanswered, the gate simply cannot be checked yet and the
  verdict is not ready. Otherwise it is a problem in the playbook: it is
  reported, and it caps the verdict at conditional (go only once the gate can
  be checked), so a playbook bug never yields a go and never a false no-go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pilotbook.rules.cel import CelError, Condition, compiled, referenced_answers, warm
from pilotbook.rules.evaluate import Evaluator
from pilotbook.rules.results import (
    RISK_LEVELS,
    VERDICTS,
    Acceptance,
    Assessment,
    Problem,
    QuestionRisk,
    QuestionRiskLevel,
    Reason,
    SectionStats,
    Verdict,
    worse,
)

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook, Question, RiskRule, Section, VerdictRule


def condition(text: str) -> Condition:
    """The compiled condition for `text`, compiled once per process; CelError if it does not parse.

    Every pilot of a playbook shares the same expressions, and compiling costs
    far more than evaluating, so the loader and the engine share one cache.
    """
    return compiled(text)


def is_answered(value: Any, question: Question | None = None) -> bool:
    """An answer is there unless it is null, blank text, or an empty list or map; with
    its question, the question's kind also says no to what means nobody ("TBD")."""
    if value is None:
        return False
    if question is not None:
        from pilotbook.playbook.kinds import counts_as_answer

        return counts_as_answer(question, value)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


def _as_cel_value(value: Any) -> Any:
    # Numbers reach CEL as doubles, so `answers.n > 2.0` works whether the
    # store kept 3 or 3.0; bools stay bools.
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_as_cel_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_cel_value(v) for k, v in value.items()}
    return value


def visibility(
    playbook: Playbook, activation: dict[str, Any]
) -> tuple[dict[str, bool], list[Problem]]:
    """Which questions are shown, and the problems met deciding it.

    A `show_if` that fails leaves its question shown: better asked once too
    often than silently skipped.
    """
    answers, na = _split(playbook, activation)
    _warm(playbook)
    base = Evaluator({q: (None if q in na else v) for q, v in answers.items()}, sorted(na))
    shown: dict[str, bool] = {}
    problems: list[Problem] = []
    for q in playbook.questions():
        if q.show_if is None:
            shown[q.id] = True
            continue
        try:
            shown[q.id] = base.holds(q.show_if)
        except CelError as e:
            shown[q.id] = True
            problems.append(Problem("show_if", q.id, q.show_if, e.message))
    return shown, problems


def _warm(playbook: Playbook) -> None:
    """Every condition of the playbook compiled, from the compile cache when it can."""
    warm(playbook.condition_texts())


def _split(playbook: Playbook, activation: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    given = activation.get("answers") or {}
    answers = {q.id: _as_cel_value(given.get(q.id)) for q in playbook.questions()}
    na = {q for q in activation.get("na") or () if q in answers}
    return answers, na


def _question_risk(
    q: Question, section_id: str, value: Any, rules: Evaluator, problems: list[Problem]
) -> tuple[QuestionRisk, RiskRule | None]:
    """The question's risk, and the rule that set it (None when no rule matched)."""

    def result(risk: QuestionRiskLevel, because: str | None = None) -> QuestionRisk:
        return QuestionRisk(q.id, section_id, risk, because, q.required)

    if not is_answered(value, q):
        return result("unanswered"), None
    for rule in q.risk:
        if rule.if_ is None:
            return result(rule.then, rule.because), rule
        try:
            matched = rules.holds(rule.if_, value)
        except CelError as e:
            problems.append(Problem("risk", q.id, rule.if_, e.message))
            level = rule.then if rule.then == "high" else "medium"
            return result(level, f"this risk rule could not be evaluated: {e.message}"), None
        if matched:
            return result(rule.then, rule.because), rule
    return result("none"), None


def named(playbook: Playbook, question_ids: Iterable[str], most: int = 3) -> str:
    """Questions in the playbook's own words, for a reason a person reads.

    At most `most` are quoted; the rest are counted, since every front end
    lists a reason's questions in full beside it.
    """
    ids = list(question_ids)
    asks = []
    for qid in ids[:most]:
        try:
            asks.append(f"“{playbook.question(qid).ask}”")
        except KeyError:
            asks.append(qid)
    rest = len(ids) - len(asks)
    if rest:
        return ", ".join(asks) + f" and {rest} more"
    return asks[0] if len(asks) == 1 else ", ".join(asks[:-1]) + " and " + asks[-1]


def _gate_reason(
    playbook: Playbook,
    gate: VerdictRule,
    rules: Evaluator,
    unanswered: set[str],
    known: set[str],
    problems: list[Problem],
) -> Reason | None:
    try:
        cond = condition(gate.if_)
        questions = gate.questions or tuple(q for q in cond.answers if q in known)
        fired = rules.holds(gate.if_)
    except CelError as e:
        questions = gate.questions or tuple(q for q in referenced_answers(gate.if_) if q in known)
        waiting = [q for q in questions if q in unanswered]
        if waiting:
            return Reason(
                gate=gate.id,
                result="not-ready",
                because=f"Cannot check yet: {gate.because}",
                questions=tuple(waiting),
                fix="Answer " + named(playbook, waiting) + ".",
            )
        problems.append(Problem("gate", gate.id, gate.if_, e.message))
        return Reason(
            gate=gate.id,
            result="conditional",
            because=f"This check could not be evaluated ({e.message}): {gate.because}",
            questions=questions,
            fix="Fix the gate's condition in the playbook, or the answers it reads.",
            problem=True,
        )
    if not fired:
        return None
    return Reason(gate.id, gate.then, gate.because, questions, gate.fix)


def assess(
    playbook: Playbook,
    activation: dict[str, Any],
    *,
    phase: str | None = None,
    accepted: Iterable[Acceptance] = (),
    extra: Iterable[Reason] = (),
    today: dt.date | None = None,
) -> Assessment:
    """Everything the rules say about one pilot's answers, for the decision of `phase`.

    The verdict of a phase reads the sections of that phase and the earlier
    ones, and the gates that count from that phase on; `phase=None` is the
    last phase, every rule. `accepted` are the risks the team has accepted
    (they no longer cap the verdict until they expire on `today`); `extra`
    are reasons worked out outside the rules, such as crossed kill thresholds.
    """
    answers, na = _split(playbook, activation)
    shown, problems = visibility(playbook, activation)
    # Risk rules and gates see hidden and not-applicable answers as null.
    seen = {q: (v if shown[q] and q not in na else None) for q, v in answers.items()}
    rules = Evaluator(seen, sorted(na))
    scope = playbook.phase_index(phase) if phase is not None else len(playbook.phases) - 1
    in_scope = [s for s in playbook.sections if playbook.phase_index(s.phase) <= scope]
    scoped = {s.id for s in in_scope}

    risks: dict[str, QuestionRisk] = {}
    caps: dict[str, RiskRule] = {}
    sections: list[SectionStats] = []
    # Keyed by risk level; plain str keys, as the results and their JSON hold them.
    totals: dict[str, int] = dict.fromkeys(RISK_LEVELS, 0)
    unanswered: set[str] = set()
    for s in playbook.sections:
        counts: dict[str, int] = dict.fromkeys(totals, 0)
        required_total = required_answered = 0
        missing: list[str] = []
        for q in s.questions:
            if not shown[q.id]:
                risk = QuestionRisk(q.id, s.id, "hidden", None, q.required)
            elif q.id in na:
                risk = QuestionRisk(q.id, s.id, "not-applicable", None, q.required)
            else:
                risk, rule = _question_risk(q, s.id, seen[q.id], rules, problems)
                if rule is not None and rule.cap is not None:
                    caps[q.id] = rule
            risks[q.id] = risk
            counts[risk.risk] += 1
            if risk.risk == "unanswered":
                unanswered.add(q.id)
            if q.required and risk.risk != "hidden":
                required_total += 1
                if risk.risk == "unanswered":
                    missing.append(q.id)
                else:
                    required_answered += 1
        # Every section keeps its own figures (the app shows them all); only those
        # of this phase and earlier ones count toward the verdict and the totals.
        if s.id in scoped:
            for level, n in counts.items():
                totals[level] += n
        sections.append(
            SectionStats(
                s.id,
                s.title,
                s.phase,
                counts,
                required_total,
                required_answered,
                tuple(missing),
                in_scope=s.id in scoped,
            )
        )

    reasons: list[Reason] = []
    all_missing = [q for s in sections if s.in_scope for q in s.missing]
    if all_missing:
        n = len(all_missing)
        reasons.append(
            Reason(
                gate="missing-answers",
                result="not-ready",
                because=f"{n} required answer{'s are' if n != 1 else ' is'} missing: "
                + named(playbook, all_missing)
                + ".",
                questions=tuple(all_missing),
                fix="Answer them, or mark them not applicable with a reason.",
                kind="missing",
            )
        )
    known = set(answers)
    for gate in playbook.verdict:
        if playbook.gate_phase(gate, referenced_answers(gate.if_)) > scope:
            continue
        reason = _gate_reason(playbook, gate, rules, unanswered, known, problems)
        if reason is not None:
            reasons.append(reason)
    used, risk_reasons = _risk_reasons(playbook, in_scope, caps, reasons, accepted, today)
    reasons += risk_reasons
    reasons += list(extra)
    reasons.sort(key=lambda r: VERDICTS.index(r.result))  # stable: the playbook's order stays

    verdict: Verdict = "go"
    for r in reasons:
        verdict = worse(verdict, r.result)
    current = playbook.phases[scope]
    return Assessment(
        verdict=verdict,
        reasons=tuple(reasons),
        problems=tuple(problems),
        question_risks=risks,
        sections=tuple(sections),
        counts=totals,
        phase=current.id if phase is not None else None,
        phase_title=current.title if phase is not None else None,
        decides=current.decides if phase is not None else None,
        accepted=used,
    )


def _risk_reasons(
    playbook: Playbook,
    in_scope: list[Section],
    caps: dict[str, RiskRule],
    gates: list[Reason],
    accepted: Iterable[Acceptance],
    today: dt.date | None,
) -> tuple[tuple[Acceptance, ...], list[Reason]]:
    """A reason for each risk that caps the verdict and nobody has dealt with.

    A risk a gate already reports at least as strongly is not said twice. An
    acceptance covers a risk until its end date, but never a hard stop.
    """
    today = today or dt.date.today()
    by_question = {a.question_id: a for a in accepted}
    used: list[Acceptance] = []
    out: list[Reason] = []
    for s in in_scope:
        for q in s.questions:
            rule = caps.get(q.id)
            if rule is None or rule.cap is None:
                continue
            cap: Verdict = rule.cap
            if any(q.id in g.questions and worse(g.result, cap) == g.result for g in gates):
                continue
            level = "High" if rule.then == "high" else "Medium"
            because = f"{level} risk on “{q.ask}”" + (f": {rule.because}" if rule.because else ".")
            acceptance = by_question.get(q.id)
            if acceptance is not None and cap != "no-go":
                if not acceptance.expired(today):
                    used.append(acceptance)
                    continue
                because += (
                    f" It was accepted by {acceptance.by} until "
                    f"{acceptance.until.isoformat()}, and that date has passed."
                )
            fix = (
                "Change what makes it risky; the playbook makes this a hard stop."
                if cap == "no-go"
                else "Change what makes it risky, or accept the risk: who, why and until when."
            )
            out.append(Reason(f"risk-{q.id}", cap, because, (q.id,), fix, kind="risk"))
    return tuple(used), out
