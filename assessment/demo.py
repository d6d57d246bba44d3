"""A demonstration organisation with a half-filled assessment and two invited colleagues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.config import ROOT
from assessment.engine.question_types import Answer, QuestionType
from assessment.engine.questionnaire import Definitions, Question, Role
from assessment.services import accounts, economics, pipeline
from assessment.services import answers as answering
from assessment.services import assessments as service
from assessment.services.audit import Actor
from assessment.storage.models import Assessment, Organisation, User, Workspace

DEMO_ORGANISATION = "Parsian Industrial Supplies (demo)"
DEMO_WORKSPACE = "Demo consultancy"
DEMO_LOGIN = ("demo@crmgate.example", "demo-password")
DEMO_ESTIMATES = ROOT / "docs" / "examples" / "estimates.yaml"
"""The demo owner's sign-in, printed by `make run`; the demo exists only where someone seeded it."""

LEAD_ANSWERS: dict[str, dict[str, Answer]] = {
    "goals": {
        "business_goals_written": "agree",
        "measurable_kpis": "kpis_named",
        "tracked_kpis": ("lead_conversion", "sales_cycle", "user_adoption"),
        "revenue_effect_measurable": "disagree",
        "goals_serve_customers": "agree",
        "goals_serve_users": "disagree",
        "features_traced_to_goals": "neutral",
        "goals_shared_by_managers": "neutral",
        "goals_prioritised": "ranked",
        "goals_dated": "no",
        "benefit_owners": "no",
        "goals_reviewed_monthly": "agree",
    },
    "strategy": {
        "executive_sponsor": "yes",
        "sponsor_active_visible": "disagree",
        "sponsor_resolves_conflicts": "neutral",
        "crm_strategy_written": "neutral",
        "strategic_direction": "revenue_growth",
        "beyond_reporting": "agree",
        "digital_roadmap": "as_is_analysed",
        "phased_rollout": "agree",
        "selection_criteria": ("functional_fit", "total_cost_of_ownership", "partner_references"),
        "partner_outcome_oriented": "neutral",
        "digital_maturity": "digitised",
        "data_driven_decisions": "disagree",
        "crm_seen_as_strategy": "neutral",
    },
    "scope": {
        "scope_documented": "feature_list",
        "change_control": "no",
        "data_migration_estimated": "sources_known",
        "integrations_specified": "listed",
        "customisation_estimated": "disagree",
        "planned_duration_months": 14.0,
    },
}
SPONSOR_ANSWERS: dict[str, dict[str, Answer]] = {
    "goals": {"business_goals_written": "strongly_agree", "goals_shared_by_managers": "strongly_agree"},
    "strategy": {
        "executive_sponsor": "yes",
        "sponsor_active_visible": "strongly_agree",
        "crm_seen_as_strategy": "agree",
    },
}
END_USER_ANSWERS: dict[str, dict[str, Answer]] = {
    "goals": {"goals_serve_users": "strongly_disagree", "goals_shared_by_managers": "disagree"},
    "adoption": {"past_changes_adopted": "disagree", "primary_group_awareness": "neutral"},
}


@dataclass(frozen=True)
class DemoOrganisation:
    """One demo organisation, written in the language its visitors read."""

    name: str
    industry: str
    crm_product: str
    people: tuple[str, str, str]
    """The lead (who is also the workspace owner in English), the sponsor and an end user."""
    estimates: Path
    scenario: str


ENGLISH = DemoOrganisation(
    DEMO_ORGANISATION,
    "Industrial distribution",
    "Microsoft Dynamics 365 Sales",
    ("Sara Ahmadi", "Reza Karimi", "Neda Rahimi"),
    DEMO_ESTIMATES,
    economics.BASE_CASE,
)
PERSIAN = DemoOrganisation(
    "بازرگانی پارسیان (نمونه)",
    "توزیع تجهیزات صنعتی",
    "دیدار CRM",
    ("سارا احمدی", "رضا کریمی", "ندا رحیمی"),
    ROOT / "docs" / "examples" / "estimates-irr.yaml",
    "سناریوی پایه",
)


PROSPECTS = (
    ("Arya Pharmaceuticals", "Pharmaceuticals", 120, 0.9, True),
    ("Behsazan Logistics", "Logistics", 60, 0.75, True),
    ("Caspian Foods", "Food and beverages", 45, 0.6, True),
    ("Dena Insurance Brokers", "Insurance", 30, 0.35, True),
    ("صنایع غذایی البرز", "Food and beverages", 150, 0.8, True),
    ("Elburz Steel", "Manufacturing", 220, 0.5, True),
    ("Farhang Publishing", "Publishing", 12, 0.95, True),
    ("Golestan Retail", "Retail", 90, 0.2, True),
    ("Hamoon Clinics", "Healthcare", 40, 0.65, True),
    ("کاشی و سرامیک یزد", "Manufacturing", 70, 0.55, True),
    ("Ilam Telecom", "Telecommunications", 400, 0.45, True),
    ("Kish Hotels", "Travel", 25, 0.85, False),
    ("Jolfa Travel", "Travel", 8, 0.7, False),
)
"""A consultancy's other prospects: name, industry, CRM users, how well prepared (0-1), and whether
everyone has answered (scored) or answers are still coming in."""


def answer_at(question: Question, quality: float) -> Answer | None:
    """An answer as good as `quality` (0 the worst, 1 the best) among a question's options; a number at
    its best, text as text: how generated prospects (the demo's, the benchmarks', the tests') answer."""
    if question.options:
        ranked = sorted(question.options, key=lambda o: o.value)
        chosen = ranked[round(quality * (len(ranked) - 1))].id
        return (chosen,) if question.type == QuestionType.MULTIPLE_CHOICE else chosen
    if question.type == QuestionType.FREE_TEXT:
        return "Written down in the project charter."
    best = question.kind.best(question)
    return best[0] if best else question.minimum


def answers_at(
    definitions: Definitions, quality: float, spread: float = 0.08, weakest: int = 0
) -> dict[str, dict[str, Answer]]:
    """Every question's answer at one level of preparation, the areas `spread` apart around it, the
    `weakest`-th area (in the questionnaires' order) the weakest, so that prospects differ."""
    found: dict[str, dict[str, Answer]] = {}
    areas = len(definitions.questionnaires)
    for offset, questionnaire in enumerate(definitions.questionnaires):
        shifted = min(1.0, max(0.0, quality + ((offset - weakest) % areas - 2) * spread))
        answers = {q.id: answer_at(q, shifted) for q in questionnaire.questions}
        found[questionnaire.id] = {key: value for key, value in answers.items() if value is not None}
    return found


def seed_demo(session: Session, definitions: Definitions) -> tuple[Assessment, bool]:
    """Create the demo once (an English and a Persian organisation, the same answers, dollars and
    rials, and the consultancy's other prospects); return the English one's assessment and whether
    it was created now."""
    existing = session.scalar(select(Assessment).join(Organisation).where(Organisation.name == DEMO_ORGANISATION))
    if existing is not None:
        return existing, False
    workspace, owner = accounts.create_workspace(session, DEMO_WORKSPACE, DEMO_LOGIN[0], "Sara Ahmadi", DEMO_LOGIN[1])
    actor = Actor("user", owner.id, owner.email)
    _seed_organisation(session, definitions, workspace, actor, PERSIAN)
    _seed_prospects(session, definitions, workspace, actor, owner)
    return _seed_organisation(session, definitions, workspace, actor, ENGLISH), True


def _seed_prospects(
    session: Session, definitions: Definitions, workspace: Workspace, actor: Actor, owner: User
) -> None:
    for number, (name, industry, users, quality, scored) in enumerate(PROSPECTS):
        organisation = service.create_organisation(
            session, workspace, service.OrganisationDetails(name, industry, "b2b" if number % 3 else "b2c")
        )
        details = service.AssessmentDetails("Didar CRM", "cloud", users, date(2027, 3 + number % 9, 1), "Sara Ahmadi")
        assessment = service.create_assessment(session, definitions, organisation, details)
        for area, answers in answers_at(definitions, quality, weakest=number).items():
            answering.save_answers(session, service.lead_of(assessment), area, answers, actor)
        sponsor = service.invite(session, assessment, "Reza Karimi", None, Role.SPONSOR, actor)
        if scored:
            service.finish(session, sponsor)
        if number % 3 != 2:
            pipeline.set_prospect(session, organisation, owner, None, actor)
        if number % 2 == 0:
            estimates = yaml.safe_load(ENGLISH.estimates.read_text(encoding="utf-8"))
            economics.save_scenario(session, assessment, ENGLISH.scenario, estimates | {"users": users}, actor)


def _seed_organisation(
    session: Session, definitions: Definitions, workspace: Workspace, actor: Actor, demo: DemoOrganisation
) -> Assessment:
    organisation = service.create_organisation(
        session,
        workspace,
        service.OrganisationDetails(organisation_name=demo.name, industry=demo.industry, business_type="b2b"),
    )
    lead, sponsor_name, end_user_name = demo.people
    assessment = service.create_assessment(
        session,
        definitions,
        organisation,
        service.AssessmentDetails(
            crm_product=demo.crm_product,
            deployment="cloud",
            crm_users=85,
            go_live=date(2027, 9, 1),
            lead_name=lead,
        ),
    )
    sponsor = service.invite(session, assessment, sponsor_name, "reza@example.com", Role.SPONSOR, actor)
    end_user = service.invite(session, assessment, end_user_name, None, Role.END_USER, actor)
    for respondent, answers in (
        (service.lead_of(assessment), LEAD_ANSWERS),
        (sponsor, SPONSOR_ANSWERS),
        (end_user, END_USER_ANSWERS),
    ):
        who = actor if respondent.is_lead else service.respondent_actor(respondent)
        for area, area_answers in answers.items():
            answering.save_answers(session, respondent, area, area_answers, who)
    estimates = yaml.safe_load(demo.estimates.read_text(encoding="utf-8"))
    economics.save_scenario(session, assessment, demo.scenario, estimates, actor)
    return assessment
