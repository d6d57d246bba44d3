"""What several engine tests build on: small questions and areas, the lead's answers, estimates."""

from __future__ import annotations

from typing import Any

from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing
from assessment.engine.question_types import AGREEMENT_OPTIONS, QuestionType
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.engine.readiness import RespondentAnswers
from assessment.engine.text import Text

T = Text({"en": "t"})
ALL = frozenset(Role)


def question(qid: str, kind: QuestionType = QuestionType.AGREEMENT, **kw: Any) -> Question:
    options = kw.pop("options", AGREEMENT_OPTIONS if kind is QuestionType.AGREEMENT else ())
    return Question(qid, kind, T, kw.pop("roles", ALL), options=options, **kw)


def area(*questions: Question) -> Questionnaire:
    return Questionnaire("goals", 1, T, questions)


def lead(**areas: dict) -> RespondentAnswers:
    return RespondentAnswers("lead", None, areas)


def everything_answered_well(definitions: Definitions) -> list[RespondentAnswers]:
    best = {
        q.id: {
            x.id: max(x.options, key=lambda o: o.value).id
            for x in q.questions
            if x.options and x.type.value != "multiple_choice"
        }
        for q in definitions.questionnaires
    }
    return [RespondentAnswers("lead", None, best)]


P = ThreePoint


COST, BENEFIT, LICENCES = P(80_000, 100_000, 150_000), P(8_000, 12_000, 15_000), P(1_000, 1_200, 1_500)


def estimates(cost: ThreePoint = COST, benefit: ThreePoint = BENEFIT, licences: ThreePoint = LICENCES) -> Estimates:
    return Estimates(
        "USD",
        (CostLine("implementation", cost, Timing.ONCE, project=True), CostLine("licences", licences, Timing.MONTHLY)),
        (BenefitLine("revenue", (("amount", benefit),), ramp_months=3),),
    )


def profitable() -> Estimates:
    return estimates(P(50_000, 60_000, 70_000), P(20_000, 25_000, 30_000))
