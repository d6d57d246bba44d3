"""The meaning of a structurally valid questionnaire (tier two): ids, types, conditions, cycles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assessment.definitions.problems import Path
from assessment.engine.question_types import KINDS, NOT_APPLICABLE, QuestionType

Found = tuple[Path, str]

_TYPED_KEYS = frozenset().union(*(kind.keys for kind in KINDS.values()))
"""Definition keys that only some question types take."""


def meaning_errors(area: str, data: dict[str, Any], quick_scan: bool = False) -> list[Found]:
    """Every problem of meaning in a questionnaire that passed the structural tier; with `quick_scan`,
    it must also mark at least one question for the public quick scan."""
    found: list[Found] = []
    if data["id"] != area:
        found.append((("id",), f"'{data['id']}' must match the file name '{area}'"))
    questions = {}
    for index, question in enumerate(data["questions"]):
        if question["id"] in questions:
            found.append((("questions", index, "id"), f"duplicate question id '{question['id']}'"))
        else:
            questions[question["id"]] = question
    for index, question in enumerate(data["questions"]):
        found.extend(_question_errors(("questions", index), question, questions))
    found.extend(_cycle_errors(data["questions"]))
    if quick_scan and not any(question.get("quick_scan") for question in data["questions"]):
        found.append(
            (("questions",), "mark at least one question 'quick_scan: true': the public quick scan asks every area")
        )
    return found


def _question_errors(path: Path, question: dict[str, Any], questions: dict[str, Any]) -> Iterator[Found]:
    kind_name = QuestionType(question["type"])
    kind = KINDS[kind_name]
    for key in question:
        if key in _TYPED_KEYS and key not in kind.keys:
            yield (*path, key), f"'{key}' does not apply to a {kind_name.value} question"
    if len(set(question["roles"])) != len(question["roles"]):
        yield (*path, "roles"), "a role is listed twice"
    for where, problem in kind.definition_errors(question):
        yield (*path, *where), problem
    if not kind.scored("bands" in question):
        for key in ("critical", "weight", "mitigation"):
            if key in question:
                yield (
                    (*path, key),
                    f"'{key}' needs a scored question (free text and numbers without bands carry no score)",
                )
    elif "mitigation" not in question:
        yield (*path,), "a scored question needs a 'mitigation' for low answers"
    if question.get("quick_scan"):
        yield from _quick_scan_errors(path, question, kind.scored("bands" in question))
    if "show_if" in question:
        condition = question["show_if"]
        yield from _condition_errors((*path, "show_if"), condition, question["id"], questions)
        for target in sorted(set(_referenced(condition)) & set(questions)):
            unasked = set(question["roles"]) - set(questions[target]["roles"])
            if unasked:
                yield (
                    (*path, "show_if"),
                    (
                        f"'{target}' must be asked of every role this question is asked of "
                        f"(missing: {', '.join(sorted(unasked))})"
                    ),
                )


def _quick_scan_errors(path: Path, question: dict[str, Any], scored: bool) -> Iterator[Found]:
    """A quick-scan question stands alone (nothing else is asked first) and counts in the prospect's readiness."""
    if "show_if" in question:
        yield (
            (*path, "quick_scan"),
            "a follow-up (one with 'show_if') cannot be in the quick scan, which asks no question before it",
        )
    if not scored:
        yield (
            (*path, "quick_scan"),
            "the quick scan asks scored questions only (free text and numbers without bands carry no score)",
        )


def _condition_errors(path: Path, condition: dict[str, Any], own_id: str, questions: dict[str, Any]) -> Iterator[Found]:
    keys = set(condition)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                yield path, f"'{combinator}' must stand alone in a condition"
            for index, inner in enumerate(condition[combinator]):
                yield from _condition_errors((*path, combinator, index), inner, own_id, questions)
            return
    if "not" in keys:
        if keys != {"not"}:
            yield path, "'not' must stand alone in a condition"
        yield from _condition_errors((*path, "not"), condition["not"], own_id, questions)
        return
    if "question" not in keys:
        yield path, "a condition needs 'question' (or 'all', 'any', 'not')"
        return
    target_id = condition["question"]
    if target_id == own_id:
        yield (*path, "question"), "a question cannot depend on itself"
        return
    target = questions.get(target_id)
    if target is None:
        yield (*path, "question"), f"no question '{target_id}' in this questionnaire"
        return
    tests = keys - {"question"}
    kind_name = QuestionType(target["type"])
    kind = KINDS[kind_name]
    if tests in ({"equals"}, {"in"}):
        if not kind.tested_by_options:
            yield path, f"'{target_id}' is a {kind_name.value} question: compare it with at_least / at_most"
            return
        allowed = _option_ids(target)
        for value in [condition["equals"]] if "equals" in tests else condition["in"]:
            if value not in allowed:
                yield (
                    path,
                    f"'{value}' is not an answer of '{target_id}' (expected one of: {', '.join(sorted(allowed))})",
                )
    elif tests and tests <= {"at_least", "at_most"}:
        if not kind.tested_by_range:
            yield path, f"at_least / at_most need a number question, and '{target_id}' is {kind_name.value}"
    else:
        yield path, "a condition on a question needs exactly one of: equals, in, or at_least / at_most"


def _option_ids(question: dict[str, Any]) -> set[str]:
    ids = {o.id for o in KINDS[QuestionType(question["type"])].options(question)}
    return ids | ({NOT_APPLICABLE} if question.get("not_applicable") else set())


def _referenced(condition: dict[str, Any]) -> Iterator[str]:
    if "question" in condition:
        yield condition["question"]
    for inner in condition.get("all", []) + condition.get("any", []):
        yield from _referenced(inner)
    if "not" in condition:
        yield from _referenced(condition["not"])


def _cycle_errors(questions: list[dict[str, Any]]) -> Iterator[Found]:
    """Report each show_if cycle once, naming the questions around it."""
    depends = {q["id"]: [r for r in _referenced(q.get("show_if", {})) if r != q["id"]] for q in questions}
    position = {q["id"]: index for index, q in enumerate(questions)}
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> Iterator[Found]:
        state[node] = "open"
        stack.append(node)
        for target in depends.get(node, []):
            if target not in depends:
                continue
            if state.get(target) == "open":
                cycle = stack[stack.index(target) :] + [target]
                yield ("questions", position[node], "show_if"), "show_if cycle: " + " -> ".join(cycle)
            elif target not in state:
                yield from visit(target)
        stack.pop()
        state[node] = "done"

    for question in questions:
        if question["id"] not in state:
            yield from visit(question["id"])
