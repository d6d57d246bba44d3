"""What each spreadsheet download holds: its header and rows, in the reader's language, with labels
for every fixed vocabulary ("Conditional go", never "conditional_go") and numbers as numbers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Question, Role
from assessment.services import answers as answering
from assessment.services import economics, listing
from assessment.services.definitions import pinned
from assessment.services.paging import Window
from assessment.services.report import decisions_of
from assessment.storage.database import session
from assessment.storage.models import Assessment, as_utc
from assessment.web.i18n import format_number, translate
from assessment.web.labels import OUTCOMES, ROLES, input_label
from assessment.web.survey.questions import display_answer

Row = list[object]
BATCH = 500
"""Assessments read per query: the listing's fixed few statements per batch, whatever the workspace holds."""

ASSESSMENTS = (
    _l("Organisation"),
    _l("Planned CRM"),
    _l("Started"),
    _l("Answers given"),
    _l("Questions asked"),
    _l("Respondents finished"),
    _l("Respondents invited"),
    _l("Readiness"),
    _l("Recommendation"),
    _l("Decision"),
    _l("Last activity"),
)


def assessment_rows(workspace_id: uuid.UUID, sort: str) -> Iterator[Row]:
    """The workspace's assessments as its list shows them, every page of it, in the list's order."""
    number, pages = 1, 1
    while number <= pages:
        page = listing.assessment_rows(session(), workspace_id, Window(number, BATCH), sort)
        for row in page.items:
            found = row.assessment
            yield [
                found.organisation.name,
                found.crm_product,
                as_utc(found.created_at).date(),
                row.answered,
                row.addressed,
                row.finished,
                row.invited,
                None if row.readiness is None else round(row.readiness, 1),
                OUTCOMES[row.recommendation.value] if row.recommendation else None,
                OUTCOMES.get(row.decision, row.decision) if row.decision else None,
                as_utc(row.last_activity).date(),
            ]
        number, pages = number + 1, page.pages


ANSWERS = (_l("Respondent"), _l("Role"), _l("Area"), _l("Question"), _l("Answer"))


def answer_rows(assessment: Assessment, everyone: bool) -> Iterator[Row]:
    """A row per respondent and question answered: the lead's answers, and with `everyone` each
    invited respondent's, which the report too shows only to analysts and owners."""
    db = session()
    definitions = pinned(db, assessment.definitions_digest)
    respondents = [r for r in assessment.respondents if everyone or r.is_lead]
    answers = answering.answers_of(db, [r.id for r in respondents])
    for respondent in respondents:
        role = _("Lead") if respondent.is_lead else str(ROLES[Role(respondent.role)])
        for area in definitions.questionnaires:
            given = answers[respondent.id].get(area.id, {})
            title = translate(area.title)
            for question in area.questions:
                if question.id in given:
                    answer = _answer_cell(question, given[question.id])
                    yield [respondent.name, role, title, translate(question.text), answer]


def _answer_cell(question: Question, answer: Answer) -> object:
    """A number as a number (a whole one without ".0"), any other answer in words: its options' labels."""
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        return int(answer) if float(answer).is_integer() else answer
    return display_answer(question, answer)


ESTIMATES = (
    _l("Scenario"),
    _l("Costs or benefits"),
    _l("Line"),
    _l("Low"),
    _l("Most likely"),
    _l("High"),
    _l("Currency"),
)
YEAR = re.compile(r"year(\d+)")


def estimate_rows(assessment: Assessment) -> Iterator[Row]:
    """Every estimated figure of every scenario, with its low, most likely and high values."""
    definitions = pinned(session(), assessment.definitions_digest)
    for found in economics.scenarios(session(), assessment):
        estimates = economics.estimates_of(assessment, found, definitions)
        scales = {f"costs.{cost.id}" for cost in estimates.costs if cost.by_year}
        for key, figure in estimates.inputs():
            if key in scales:
                continue  # a yearly line's scale (1 as entered), which the path to go alone changes
            kind = _("Costs") if key.startswith("costs.") else _("Benefits")
            yield [found.name, kind, _line(key), figure.low, figure.likely, figure.high, estimates.currency]


def _line(key: str) -> str:
    """A figure by its line's label, and its year or driver: "Licences: year 2"."""
    kind, line, *rest = key.split(".", 2)
    year = YEAR.fullmatch(rest[0]) if rest else None
    if year is None and rest != ["initial"]:
        return input_label(key)
    part = _("Initial") if year is None else _("Year %(n)s", n=format_number(int(year.group(1))))
    return _("%(line)s: %(driver)s", line=input_label(f"{kind}.{line}"), driver=part)


DECISIONS = (
    _l("Decided on"),
    _l("Decided by"),
    _l("Decision"),
    _l("Conditions and notes"),
    _l("Recommendation at the time"),
    _l("Recorded by"),
)


def decision_rows(assessment: Assessment) -> Iterator[Row]:
    """Each decision the committee recorded, in the order recorded, with the recommendation it was taken on."""
    for record in decisions_of(session(), assessment):
        recommended = (record.basis or {}).get("recommendation")
        yield [
            record.decided_on,
            record.decided_by,
            OUTCOMES.get(record.outcome, record.outcome),
            record.conditions or None,
            OUTCOMES.get(recommended, recommended) if recommended else None,
            record.recorded_by,
        ]
