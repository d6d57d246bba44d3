"""Every question type in one place: how a raw answer is read and checked, what is stored,
how it scores, which input shows it, and which definition keys it takes.

The web form, the autosave, the JSON API and answers files all read answers through
`Kind.read`, so a value is accepted or refused the same way wherever it comes from.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from assessment.engine.numbers import parse_number, plain_number
from assessment.engine.text import N_, Text

if TYPE_CHECKING:
    from assessment.engine.questionnaire import Question

Answer = str | float | tuple[str, ...]
"""A stored answer: an option id (or NOT_APPLICABLE), a number, option ids, or free text."""

NOT_APPLICABLE = "not_applicable"
"""The answer that removes a question from its area's mean."""

DefinitionProblem = tuple[tuple[str | int, ...], str]
"""A problem in a question's definition: the path below the question, and what is wrong."""


class QuestionType(StrEnum):
    AGREEMENT = "agreement"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    YES_NO = "yes_no"
    FREE_TEXT = "free_text"


class Widget(StrEnum):
    """The input a page shows for a type: the template macro and the page's script read this."""

    ONE_OF = "one_of"
    MANY_OF = "many_of"
    NUMBER = "number"
    TEXT = "text"


@dataclass(frozen=True)
class Option:
    id: str
    value: float
    text: Text | None = None
    """None for the built-in scales (agreement, yes/no), whose labels the interface supplies."""


@dataclass(frozen=True)
class Band:
    """Scores a number answer: the first band whose `up_to` is at or above it applies."""

    up_to: float | None
    value: float


AGREEMENT_OPTIONS: tuple[Option, ...] = tuple(
    Option(option_id, step / 4)
    for step, option_id in enumerate(("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"))
)
"""A five-point agreement scale, 1..5 mapped to (x - 1) / 4."""

NOT_AN_OPTION = N_("Choose one of the options shown.")
NOT_A_NUMBER = N_("Enter a number, for example 12 or 7.5.")
NUMBER_TOO_SMALL = N_("Enter a number of at least %(minimum)s.")
NUMBER_TOO_LARGE = N_("Enter a number of at most %(maximum)s.")
TEXT_TOO_LONG = N_("Keep this to at most %(max)s characters.")
NOT_TEXT = N_("Enter the answer as text.")


class AnswerError(ValueError):
    """A value a question cannot take.

    `message` (with `params`) is what the person answering reads, translated where it is shown;
    `detail` names the value and what is accepted, for answers files and logs.
    """

    def __init__(self, message: str, detail: str, **params: Any) -> None:
        super().__init__(detail)
        self.message = message
        self.detail = detail
        self.params = params


def answer_to_data(answer: Answer | None) -> Any:
    """An answer as JSON keeps it: the picks of a multiple choice become a list."""
    return list(answer) if isinstance(answer, tuple) else answer


def answer_from_data(value: Any) -> Answer | None:
    """An answer read back from JSON: a list of picks becomes a tuple again."""
    return tuple(value) if isinstance(value, list) else value


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


class Kind(ABC):
    """What one question type means; each type is one subclass, found through `KINDS`."""

    widget: ClassVar[Widget]
    keys: ClassVar[frozenset[str]] = frozenset()
    """Definition keys that only this type takes."""
    tested_by_options: ClassVar[bool] = True
    """Whether a show-if may test the answer with `equals` / `in`."""
    tested_by_range: ClassVar[bool] = False
    """Whether a show-if may test the answer with `at_least` / `at_most`."""
    counts_in_progress: ClassVar[bool] = True
    """False for optional answers, which a respondent may leave empty and still be done."""

    def scored(self, banded: bool) -> bool:
        """Whether answers carry a score (`banded`: the definition gives number bands)."""
        return True

    def options(self, data: Mapping[str, Any]) -> tuple[Option, ...]:
        """The options a definition's question offers, built once at load."""
        return ()

    def definition_errors(self, data: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
        """Problems of meaning particular to this type in a structurally valid definition."""
        return iter(())

    @abstractmethod
    def read(self, question: Question, raw: Any) -> Answer | None:
        """`raw` (typed in a form, sent as JSON, written in YAML) as the answer to store; None when blank."""

    def value(self, question: Question, answer: Answer) -> float | None:
        """The answer's score in [0, 1]; None when the type carries no score."""
        return question.option_value(answer)

    def best(self, question: Question) -> tuple[Answer, float] | None:
        """The answer that scores highest, and its score; None when no answer can be improved by choice."""
        top = max(question.options, key=lambda o: o.value, default=None)
        return None if top is None else (top.id, top.value)

    def as_input(self, question: Question, answer: Answer | None) -> Any:
        """A stored answer as the value its input shows."""
        return "" if answer is None else answer


class _OneOf(Kind):
    widget = Widget.ONE_OF
    keys = frozenset({"not_applicable"})

    def read(self, question: Question, raw: Any) -> Answer | None:
        if _blank(raw):
            return None
        allowed = question.answer_ids
        if not isinstance(raw, str) or raw not in allowed:
            raise AnswerError(NOT_AN_OPTION, f"{raw!r} is not one of: {', '.join(allowed)}")
        return raw


class _Agreement(_OneOf):
    def options(self, data: Mapping[str, Any]) -> tuple[Option, ...]:
        return AGREEMENT_OPTIONS


class _YesNo(_OneOf):
    keys = frozenset({"not_applicable", "scores"})

    def options(self, data: Mapping[str, Any]) -> tuple[Option, ...]:
        scores = data.get("scores", {"yes": 1.0, "no": 0.0})
        return Option("yes", float(scores["yes"])), Option("no", float(scores["no"]))

    def read(self, question: Question, raw: Any) -> Answer | None:
        if isinstance(raw, bool):
            detail = 'write "yes" or "no" in quotes: YAML reads a bare yes or no as true or false'
            raise AnswerError(NOT_AN_OPTION, detail)
        return super().read(question, raw)


def _choice_options(data: Mapping[str, Any]) -> tuple[Option, ...]:
    return tuple(Option(o["id"], float(o["value"]), Text(o["text"])) for o in data.get("options", []))


def _choice_errors(data: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
    options = data.get("options", [])
    if len(options) < 2:
        yield ("options",), "a choice question needs at least two options"
    seen: set[str] = set()
    for index, option in enumerate(options):
        if option["id"] == NOT_APPLICABLE:
            yield ("options", index, "id"), f"'{NOT_APPLICABLE}' is reserved: use 'not_applicable: true'"
        elif option["id"] in seen:
            yield ("options", index, "id"), f"duplicate option id '{option['id']}'"
        seen.add(option["id"])


class _SingleChoice(_OneOf):
    keys = frozenset({"not_applicable", "options"})

    def options(self, data: Mapping[str, Any]) -> tuple[Option, ...]:
        return _choice_options(data)

    def definition_errors(self, data: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
        return _choice_errors(data)


class _MultipleChoice(Kind):
    """Several picks; their values add up to at most 1."""

    widget = Widget.MANY_OF
    keys = frozenset({"options"})

    def options(self, data: Mapping[str, Any]) -> tuple[Option, ...]:
        return _choice_options(data)

    def definition_errors(self, data: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
        return _choice_errors(data)

    def read(self, question: Question, raw: Any) -> Answer | None:
        if _blank(raw):
            return None
        allowed = question.answer_ids
        if not isinstance(raw, list) or not all(isinstance(pick, str) for pick in raw):
            raise AnswerError(NOT_AN_OPTION, f"expected a list of option ids, got {raw!r}")
        unknown = [pick for pick in raw if pick not in allowed]
        if unknown:
            raise AnswerError(NOT_AN_OPTION, f"{', '.join(map(repr, unknown))} not among: {', '.join(allowed)}")
        return tuple(option_id for option_id in allowed if option_id in raw)

    def value(self, question: Question, answer: Answer) -> float | None:
        picks = answer if isinstance(answer, tuple) else (answer,)
        return min(1.0, sum(question.option_value(pick) or 0.0 for pick in picks))

    def best(self, question: Question) -> tuple[Answer, float] | None:
        good = [o for o in question.options if o.value > 0]
        return (tuple(o.id for o in good), min(1.0, sum(o.value for o in good))) if good else None

    def as_input(self, question: Question, answer: Answer | None) -> Any:
        return () if answer is None else answer


class _Number(Kind):
    """A number within the question's bounds, scored only through its bands."""

    widget = Widget.NUMBER
    keys = frozenset({"unit", "min", "max", "bands"})
    tested_by_options = False
    tested_by_range = True

    def scored(self, banded: bool) -> bool:
        return banded

    def definition_errors(self, data: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
        if "min" in data and "max" in data and data["min"] >= data["max"]:
            yield ("max",), "'max' must be greater than 'min'"
        bands = data.get("bands", [])
        limits = [band.get("up_to") for band in bands]
        if bands and limits[-1] is not None:
            yield ("bands", len(bands) - 1), "the last band must have no 'up_to', so every number falls in a band"
        for index, limit in enumerate(limits[:-1]):
            if limit is None:
                yield ("bands", index), "only the last band may omit 'up_to'"
            elif index and limits[index - 1] is not None and limit <= limits[index - 1]:
                yield ("bands", index, "up_to"), "bands must be in increasing order of 'up_to'"

    def read(self, question: Question, raw: Any) -> Answer | None:
        if _blank(raw):
            return None
        try:
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                raise ValueError(raw)
            number = parse_number(raw) if isinstance(raw, str) else float(raw)
            if not math.isfinite(number):
                raise ValueError(raw)
        except (ValueError, OverflowError):
            raise AnswerError(NOT_A_NUMBER, f"expected a number, got {raw!r}") from None
        low, high = question.minimum, question.maximum
        if low is not None and number < low:
            raise AnswerError(NUMBER_TOO_SMALL, _outside(number, low, high), minimum=plain_number(low))
        if high is not None and number > high:
            raise AnswerError(NUMBER_TOO_LARGE, _outside(number, low, high), maximum=plain_number(high))
        return number

    def value(self, question: Question, answer: Answer) -> float | None:
        if not question.bands or not isinstance(answer, (int, float)):
            return None
        return next(b.value for b in question.bands if b.up_to is None or answer <= b.up_to)

    def best(self, question: Question) -> tuple[Answer, float] | None:
        return None

    def as_input(self, question: Question, answer: Answer | None) -> Any:
        return plain_number(answer) if isinstance(answer, float) else ("" if answer is None else answer)


def _outside(number: float, low: float | None, high: float | None) -> str:
    bounds = ("" if limit is None else plain_number(limit) for limit in (low, high))
    return f"{plain_number(number)} is outside {'..'.join(bounds)}"


class _FreeText(Kind):
    """Words that inform the report; optional, and never scored."""

    widget = Widget.TEXT
    keys = frozenset({"max_length"})
    tested_by_options = False
    counts_in_progress = False

    def scored(self, banded: bool) -> bool:
        return False

    def read(self, question: Question, raw: Any) -> Answer | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise AnswerError(NOT_TEXT, f"expected text, got {raw!r}")
        if len(raw) > question.max_length:
            raise AnswerError(TEXT_TOO_LONG, f"longer than {question.max_length} characters", max=question.max_length)
        return raw.strip() or None

    def value(self, question: Question, answer: Answer) -> float | None:
        return None

    def best(self, question: Question) -> tuple[Answer, float] | None:
        return None


KINDS: Mapping[QuestionType, Kind] = {
    QuestionType.AGREEMENT: _Agreement(),
    QuestionType.SINGLE_CHOICE: _SingleChoice(),
    QuestionType.MULTIPLE_CHOICE: _MultipleChoice(),
    QuestionType.NUMBER: _Number(),
    QuestionType.YES_NO: _YesNo(),
    QuestionType.FREE_TEXT: _FreeText(),
}
"""The one table from question type to what it means."""
