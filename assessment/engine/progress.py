"""How far a respondent has got: answered versus shown questions, per area and overall."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Question, Questionnaire, Role


@dataclass(frozen=True)
class Progress:
    area: str
    answered: tuple[Question, ...]
    missing: tuple[Question, ...]

    @property
    def total(self) -> int:
        return len(self.answered) + len(self.missing)

    @property
    def percent(self) -> int:
        """Whole percent answered; an area with nothing to answer counts as complete."""
        return 100 if not self.total else int(100 * len(self.answered) / self.total)


def area_progress(questionnaire: Questionnaire, answers: Mapping[str, Answer], role: Role | None) -> Progress:
    """Progress over the questions shown to `role`; optional free text does not count."""
    counted = [q for q in questionnaire.visible(answers, role) if q.kind.counts_in_progress]
    return Progress(
        questionnaire.id,
        tuple(q for q in counted if q.id in answers),
        tuple(q for q in counted if q.id not in answers),
    )


def overall_progress(areas: Iterable[Progress]) -> Progress:
    areas = list(areas)
    return Progress(
        "overall",
        tuple(q for p in areas for q in p.answered),
        tuple(q for p in areas for q in p.missing),
    )


def respondent_progress(
    questionnaires: Iterable[Questionnaire], answers: Mapping[str, Mapping[str, Answer]], role: Role | None
) -> tuple[dict[str, Progress], Progress]:
    """Progress in each area that asks `role` anything, and overall."""
    by_area = {
        q.id: area_progress(q, answers.get(q.id, {}), role) for q in questionnaires if role is None or q.for_role(role)
    }
    return by_area, overall_progress(by_area.values())
