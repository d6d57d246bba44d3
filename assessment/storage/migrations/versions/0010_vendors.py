"""the vendor's side: stored readiness summaries and area readiness for the pipeline and
benchmarks, prospects' owners and deal values, quick scans and their contacts, webhooks

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

WORKSPACE_COLUMNS = (
    sa.Column("quick_scan_token", sa.String(length=64), nullable=True),
    sa.Column("quick_scan_open", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("quick_scan_embedding", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("privacy_text", sa.Text(), nullable=True),
    sa.Column("webhook_secret", sa.String(length=64), nullable=True),
)


# Plain ALTER TABLEs (no SQLite batch rebuild): other tables point at these by foreign key.
def upgrade() -> None:
    for column in WORKSPACE_COLUMNS:
        op.add_column("workspaces", column)
    op.create_index("ix_workspaces_quick_scan_token", "workspaces", ["quick_scan_token"], unique=True)
    op.create_table(
        "prospects",
        sa.Column(
            "organisation_id", sa.Uuid(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("owner_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("deal_value", sa.Float(), nullable=True),
        sa.Column("deal_currency", sa.String(length=3), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_prospects_owner_id", "prospects", ["owner_id"])
    op.add_column("assessments", sa.Column("kind", sa.String(length=20), nullable=False, server_default="full"))
    op.create_table(
        "assessment_summaries",
        sa.Column("assessment_id", sa.Uuid(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("workspace_id", sa.Uuid(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("addressed", sa.Integer(), nullable=False),
        sa.Column("readiness", sa.Float(), nullable=True),
        sa.Column("weakest_area", sa.String(length=20), nullable=True),
        sa.Column("failure_probability", sa.Float(), nullable=True),
        sa.Column("recommendation", sa.String(length=20), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("qualification", sa.String(length=20), nullable=True),
        sa.Column("qualification_reasons", sa.JSON(), nullable=False),
        sa.Column("deal_value", sa.Float(), nullable=True),
        sa.Column("deal_currency", sa.String(length=3), nullable=True),
        sa.Column("size_band", sa.String(length=20), nullable=True),
        sa.Column("last_activity", sa.DateTime(timezone=True), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assessment_summaries_organisation_id", "assessment_summaries", ["organisation_id"])
    op.create_index("ix_assessment_summaries_pipeline", "assessment_summaries", ["workspace_id", "latest", "readiness"])
    op.create_index(
        "ix_assessment_summaries_activity", "assessment_summaries", ["workspace_id", "latest", "last_activity"]
    )
    op.create_table(
        "area_readiness",
        sa.Column("assessment_id", sa.Uuid(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("area", sa.String(length=20), primary_key=True),
        sa.Column("workspace_id", sa.Uuid(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("readiness", sa.Float(), nullable=False),
        sa.Column("industry", sa.String(length=120), nullable=False),
        sa.Column("size_band", sa.String(length=20), nullable=True),
    )
    op.create_index("ix_area_readiness_peers", "area_readiness", ["workspace_id", "area", "readiness"])
    op.create_index("ix_area_readiness_industry", "area_readiness", ["workspace_id", "area", "industry", "readiness"])
    op.create_index("ix_area_readiness_size", "area_readiness", ["workspace_id", "area", "size_band", "readiness"])
    op.create_table(
        "prospect_contacts",
        sa.Column("assessment_id", sa.Uuid(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("privacy_text", sa.Text(), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("language", sa.String(length=10), nullable=True),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("workspace_id", sa.Uuid(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_webhooks_workspace_id", "webhooks", ["workspace_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("webhook_id", sa.Uuid(), sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_webhook_deliveries_webhook_id", "webhook_deliveries", ["webhook_id"])
    op.create_index("ix_webhook_deliveries_next_attempt_at", "webhook_deliveries", ["next_attempt_at"])


def downgrade() -> None:
    for table in ("webhook_deliveries", "webhooks", "prospect_contacts", "area_readiness"):
        op.drop_table(table)
    for table in ("assessment_summaries", "prospects"):
        op.drop_table(table)
    op.drop_column("assessments", "kind")
    op.drop_index("ix_workspaces_quick_scan_token", "workspaces")
    for column in reversed(WORKSPACE_COLUMNS):
        op.drop_column("workspaces", column.name)
