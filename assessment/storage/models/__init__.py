"""Every stored model, in one import for Alembic and the services."""

from assessment.storage.models.accounts import (
    ApiToken,
    MemberInvitation,
    MemberRole,
    Membership,
    PasswordReset,
    SignInSession,
    User,
    Workspace,
)
from assessment.storage.models.assessments import Answer, Assessment, DefinitionSnapshot, Organisation, Respondent
from assessment.storage.models.audit import AuditEntry
from assessment.storage.models.base import Base, as_utc, new_token, now, token_hash
from assessment.storage.models.decisions import DecisionRecord, ReportCache, Scenario, Waiver
from assessment.storage.models.vendors import (
    AreaReadiness,
    AssessmentSummary,
    Prospect,
    ProspectContact,
    Webhook,
    WebhookDelivery,
)

__all__ = [
    "Answer",
    "AreaReadiness",
    "AssessmentSummary",
    "ApiToken",
    "Assessment",
    "AuditEntry",
    "Base",
    "DecisionRecord",
    "DefinitionSnapshot",
    "MemberInvitation",
    "MemberRole",
    "Membership",
    "Organisation",
    "PasswordReset",
    "Prospect",
    "ProspectContact",
    "ReportCache",
    "Respondent",
    "Scenario",
    "SignInSession",
    "User",
    "Waiver",
    "Webhook",
    "WebhookDelivery",
    "Workspace",
    "as_utc",
    "new_token",
    "now",
    "token_hash",
]
