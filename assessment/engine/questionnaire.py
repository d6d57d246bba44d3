"""Questionnaire definitions as frozen data, and the rules that read answers against them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from assessment.engine.question_types import KINDS, NOT_APPLICABLE, Answer, Band, Kind, Option, QuestionType
from assessment.engine.size import ProjectProfile, ProjectSizes
from assessment.engine.text import Text

if TYPE_CHECKING:
    from assessment.engine.policy import Policy

AREAS: tuple[str, ...] = ("goals", "strategy", "scope", "adoption", "process")
"""The five failure areas, in the order a walk-through visits them."""


class Role(StrEnum):
    """Who a question is addressed to."""

    SPONSOR = "sponsor"
    PROJECT_MANAGER = "project_manager"
    IT = "it"
    SALES_SERVICE_LEAD = "sales_service_lead"
    END_USER = "end_user"


class Condition(ABC):
    """A declarative show-if condition over other answers."""

    @abstractmethod
    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Whether the condition is met by `answers`."""

    @abstractmethod
    def questions(self) -> Iterable[str]:
        """The question ids the condition reads."""


@dataclass(frozen=True)
class AnswerIn(Condition):
    """Holds when the question's answer (or any of its picks) is one of `options`."""

    question: str
    options: frozenset[str]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        answer = answers.get(self.question)
        picks = answer if isinstance(answer, tuple) else (answer,)
        return any(pick in self.options for pick in picks)

    def questions(self) -> Iterable[str]:
        return (self.question,)


@dataclass(frozen=True)
class NumberBetween(Condition):
    """Holds when a number answer lies within the inclusive bounds given."""

    question: str
    at_least: float | None = None
    at_most: float | None = None

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        answer = answers.get(self.question)
        if not isinstance(answer, (int, float)):
            return False
        return (self.at_least is None or answer >= self.at_least) and (self.at_most is None or answer <= self.at_most)

    def questions(self) -> Iterable[str]:
        return (self.question,)


@dataclass(frozen=True)
class AllOf(Condition):
    conditions: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        return all(condition.holds(answers) for condition in self.conditions)

    def questions(self) -> Iterable[str]:
        return (q for condition in self.conditions for q in condition.questions())


@dataclass(frozen=True)
class AnyOf(Condition):
    conditions: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        return any(condition.holds(answers) for condition in self.conditions)

    def questions(self) -> Iterable[str]:
        return (q for condition in self.conditions for q in condition.questions())


@dataclass(frozen=True)
class Not(Condition):
    condition: Condition

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        return not self.condition.holds(answers)

    def questions(self) -> Iterable[str]:
        return self.condition.questions()


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: Text
    roles: frozenset[Role]
    weight: float = 1.0
    help: Text | None = None
    critical: float | None = None
    """An answer whose value is at or below this is a red flag by itself."""
    mitigation: Text | None = None
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    allow_na: bool = False
    unit: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    bands: tuple[Band, ...] = ()
    max_length: int = 2000
    situation: bool = False
    """Describes the organisation's situation (how large the change is) rather than its preparation:
    it scores, but a better answer is not something a team can do, so it is never proposed as a step."""
    owner: Role | None = None
    """Who would usually act on a low answer; None leaves it to the questionnaire's owner."""
    from_size: str | None = None
    """Asked only of projects of this size band or larger (the policy's `project_size`); None: of all."""
    red_flags_from_size: str | None = None
    """Its critical threshold and any knock-out or finding on it apply only from this size band up."""
    flags: bool = True
    """False when, at the project's size, no answer to it raises a red flag (`red_flags_from_size`)."""
    quick_scan: bool = False
    """Asked in the public quick scan, where a prospect answers a few questions of each area without an account."""

    _values: Mapping[str, float] = field(init=False, repr=False, compare=False)
    _kind: Kind = field(init=False, repr=False, compare=False)
    _scored: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Scoring reads these for every answer of every respondent: look them up once.
        object.__setattr__(self, "_values", {o.id: o.value for o in self.options})
        object.__setattr__(self, "_kind", KINDS[self.type])
        object.__setattr__(self, "_scored", self._kind.scored(bool(self.bands)))

    @property
    def kind(self) -> Kind:
        """What the question's type means: how answers are read, scored and shown."""
        return self._kind

    @property
    def scored(self) -> bool:
        """Free text and unbanded numbers inform the report but carry no score."""
        return self._scored

    @property
    def answer_ids(self) -> list[str]:
        """The ids a choice question accepts: its options, and not-applicable where allowed."""
        return [o.id for o in self.options] + ([NOT_APPLICABLE] if self.allow_na else [])

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def option_value(self, answer: Answer) -> float | None:
        """The value of the option `answer` names; None when it names none."""
        return self._values.get(answer) if isinstance(answer, str) else None

    def value_of(self, answer: Answer) -> float | None:
        """The answer's value in [0, 1]; None when it is not applicable or not scored."""
        if not self._scored or answer == NOT_APPLICABLE:
            return None
        return self._kind.value(self, answer)


@dataclass(frozen=True, eq=False)
class Questionnaire:
    """One failure area's questions, in the order they are asked; equal only to itself."""

    id: str
    version: int
    title: Text
    questions: tuple[Question, ...]
    intro: Text | None = None
    owner: Role | None = None
    """Who would usually act on a low answer in this area, unless a question names someone else."""
    _index: Mapping[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        return self._index[question_id]

    def owner_of(self, question: Question) -> Role | None:
        """The role suggested to act on a low answer to `question`."""
        return question.owner or self.owner

    def for_role(self, role: Role | None) -> tuple[Question, ...]:
        """The questions addressed to `role`; every question when `role` is None."""
        if role is None:
            return self.questions
        return tuple(q for q in self.questions if role in q.roles)

    def for_size(self, reached: frozenset[str]) -> Questionnaire:
        """The questions that apply to a project of a band whose own and smaller bands are `reached`:
        without those asked only of larger projects, and without red flags where they apply only to larger ones."""
        kept = tuple(
            q
            if q.red_flags_from_size is None or q.red_flags_from_size in reached
            else replace(q, critical=None, flags=False)
            for q in self.questions
            if q.from_size is None or q.from_size in reached
        )
        return replace(self, questions=kept)

    def is_visible(self, question: Question, answers: Mapping[str, Answer]) -> bool:
        """Shown when its condition holds, reading a hidden question's answer (or one not asked at
        this project's size) as unanswered."""
        if question.show_if is None:
            return True
        read = {
            q: answers[q]
            for q in question.show_if.questions()
            if q in answers and q in self._index and self.is_visible(self.question(q), answers)
        }
        return question.show_if.holds(read)

    def visible(self, answers: Mapping[str, Answer], role: Role | None = None) -> tuple[Question, ...]:
        return tuple(q for q in self.for_role(role) if self.is_visible(q, answers))


@dataclass(frozen=True, eq=False)
class Definitions:
    """The five questionnaires and the scoring policy of one version, with their source texts."""

    questionnaires: tuple[Questionnaire, ...]
    sources: Mapping[str, str]
    digest: str
    policy: Policy
    sizes: ProjectSizes = ProjectSizes()
    """The policy's project-size bands (docs/MODEL.md section 1.7)."""
    project: ProjectProfile | None = None
    """The project these definitions are sized for; None: not sized, every question as written."""
    size: str | None = None
    """The band of `project`; None: held to every expectation (the largest band, or no bands)."""
    _full: Definitions | None = field(default=None, repr=False)
    _by_band: dict[str | None, tuple[Questionnaire, ...]] = field(default_factory=dict, init=False, repr=False)

    def area(self, area_id: str) -> Questionnaire:
        return next(q for q in self.questionnaires if q.id == area_id)

    def for_project(self, project: ProjectProfile) -> Definitions:
        """These definitions as they apply to `project`: each questionnaire without the questions its
        size band is not asked, and without the red flags its band is spared (`Questionnaire.for_size`)."""
        full = self._full or self
        band = full.sizes.band_of(project)
        if band not in full._by_band:
            reached = full.sizes.reached(band)
            full._by_band[band] = (
                full.questionnaires if reached is None else tuple(q.for_size(reached) for q in full.questionnaires)
            )
        return Definitions(
            full._by_band[band], full.sources, full.digest, full.policy, full.sizes, project, band, _full=full
        )
