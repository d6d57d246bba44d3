"""Who is answering: the assessment's lead (every question) or an invitee (their role's questions)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from flask import abort, jsonify, make_response, render_template
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from assessment.engine.answers import Submission
from assessment.engine.progress import Progress, respondent_progress
from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.services import answers as answering
from assessment.services import assessments
from assessment.services.audit import Actor
from assessment.services.definitions import pinned
from assessment.storage.database import session
from assessment.storage.models import Assessment, MemberRole, Respondent
from assessment.web.access import assessment_for, current_actor, may
from assessment.web.errors import wants_json
from assessment.web.limits import guessed_link
from assessment.web.survey.posted import posted_answers


@dataclass
class Sitting:
    assessment: Assessment
    respondent: Respondent
    definitions: Definitions
    actor: Actor
    can_edit: bool
    """False for a steering viewer, who may read the lead's answers but not change them."""

    @property
    def role(self) -> Role | None:
        """None for the lead, who answers every question."""
        return answering.role_of(self.respondent)

    @cached_property
    def answers(self) -> dict[str, dict[str, Answer]]:
        """This respondent's answers by area; nobody else's."""
        return answering.answers_of(session(), [self.respondent.id])[self.respondent.id]

    @cached_property
    def areas(self) -> tuple[Questionnaire, ...]:
        """The areas holding at least one question for this respondent."""
        return tuple(q for q in self.definitions.questionnaires if q.for_role(self.role))

    def area(self, area_id: str) -> Questionnaire:
        found = next((q for q in self.areas if q.id == area_id), None)
        if found is None:
            abort(404)
        return found

    def submit(self, area_id: str, formdata: MultiDict) -> Submission:
        """Read a page or autosave post and, when it is valid, save what it changed."""
        questionnaire = self.area(area_id)
        stored = self.answers.get(area_id, {})
        sent, seen = posted_answers(questionnaire, formdata)
        submission = answering.submit_answers(session(), self.respondent, questionnaire, sent, seen, self.actor, stored)
        if submission.accepted and submission.changed:
            saved = {**stored, **submission.changed}
            self.answers[area_id] = {key: value for key, value in saved.items() if value is not None}
        return submission

    def opened(self, area_id: str, before: Mapping[str, Answer]) -> list[Question]:
        """Unanswered questions that the latest answers revealed, compared with `before`."""
        questionnaire, now = self.area(area_id), self.answers.get(area_id, {})
        return [
            q
            for q in questionnaire.visible(now, self.role)
            if q.id not in now and not questionnaire.is_visible(q, before)
        ]

    def progress(self) -> tuple[dict[str, Progress], Progress]:
        return respondent_progress(self.areas, self.answers, self.role)


def _link_closed() -> str | Response:
    """The page saying so, or for the autosave the same words as JSON for the page's status line."""
    if wants_json():
        return jsonify(error=_("Not saved: this link is closed. Your answers so far are kept; ask who invited you."))
    return render_template("survey/link_closed.html")


def resolve(assessment_id: uuid.UUID | None, token: str | None, needed: MemberRole) -> Sitting:
    """The sitting named by the URL: a respondent's open link, or an assessment the asker may reach."""
    db = session()
    if token is not None:
        respondent = assessments.find_by_token(db, token)
        if respondent is None:
            guessed_link()
            abort(404)
        if not assessments.link_is_open(respondent):
            abort(make_response(_link_closed(), 410))
        actor = assessments.respondent_actor(respondent)
        assessment, can_edit = respondent.assessment, True
    elif assessment_id is not None:
        assessment = assessment_for(assessment_id, needed)
        respondent, actor = assessments.lead_of(assessment), current_actor()
        can_edit = may(MemberRole.ANALYST, assessment.organisation.workspace_id)
    else:
        abort(404)
    everyone = answering.answers_of(db, [r.id for r in assessment.respondents])
    # Only the questions that apply at the project's size (its users and planned months) are walked through.
    definitions = answering.sized_for(pinned(db, assessment.definitions_digest), assessment, everyone)
    return Sitting(assessment, respondent, definitions, actor, can_edit)
